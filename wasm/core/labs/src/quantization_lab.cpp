#include "explorer/quantization_lab.h"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "explorer/analogy_question.h"
#include "explorer/errors.h"
#include "explorer/evaluation.h"
#include "explorer/recall.h"
#include "explorer/sampling.h"

namespace explorer {

namespace {

using Clock = std::chrono::steady_clock;
using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Rows scored per matrix product: a few hundred KB of floats, so the
// block stays in cache while every query of a batch is scored against it.
constexpr size_t kBlockRows = 1024;
// Questions per analogy batch: one pass over the table for all of them.
constexpr size_t kAnalogyBatch = 256;

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

// The float copy's rows, held by shared pointer so the lab outlives the
// JS-side FloatCopy object.
struct FloatRows {
  std::shared_ptr<const std::vector<float>> values;
  size_t rows = 0, dims = 0;
  const float* row(size_t r) const { return values->data() + r * dims; }
};

// Per-row symmetric 4-bit codes of unit vectors, the int8 scheme with 7
// levels a side instead of 127: c = round(7 u / max|u|), scale = 1 / |c|,
// so c * scale is a unit vector. Two codes per byte, low nibble first,
// stored as c + 8.
class Int4Table {
 public:
  explicit Int4Table(const FloatRows& floats)
      : rows_(floats.rows), dims_(floats.dims), rowBytes_((dims_ + 1) / 2), codes_(rows_ * rowBytes_, 0x88),
        scales_(rows_, 0.0f) {
    std::vector<int> row(dims_);
    for (size_t r = 0; r < rows_; ++r) {
      const float* u = floats.row(r);
      float maxAbs = 0;
      for (size_t d = 0; d < dims_; ++d) maxAbs = std::max(maxAbs, std::fabs(u[d]));
      if (maxAbs == 0) continue;  // a zero row keeps zero codes and scores 0 against everything
      double squares = 0;
      for (size_t d = 0; d < dims_; ++d) {
        row[d] = int(std::lround(7.0f * u[d] / maxAbs));
        squares += double(row[d]) * row[d];
      }
      scales_[r] = float(1.0 / std::sqrt(squares));
      uint8_t* out = codes_.data() + r * rowBytes_;
      for (size_t d = 0; d < dims_; ++d) {
        const uint8_t nibble = uint8_t(row[d] + 8);
        out[d / 2] = d % 2 ? uint8_t((out[d / 2] & 0x0F) | nibble << 4) : uint8_t((out[d / 2] & 0xF0) | nibble);
      }
    }
  }

  // Bookkept like EmbeddingTable::memoryBytes: codes plus norm and scale per row.
  uint64_t bytes() const { return codes_.size() + uint64_t(rows_) * 2 * sizeof(float); }

  // Unit vectors of rows [first, first + count), row-major.
  void unpack(size_t first, size_t count, float* out) const {
    for (size_t r = first; r < first + count; ++r) {
      const uint8_t* in = codes_.data() + r * rowBytes_;
      const float scale = scales_[r];
      for (size_t d = 0; d < dims_; ++d) {
        const int code = int(d % 2 ? in[d / 2] >> 4 : in[d / 2] & 0x0F) - 8;
        *out++ = float(code) * scale;
      }
    }
  }

  std::vector<float> unitRow(size_t row) const {
    std::vector<float> out(dims_);
    unpack(row, 1, out.data());
    return out;
  }

 private:
  size_t rows_, dims_, rowBytes_;
  std::vector<uint8_t> codes_;
  std::vector<float> scales_;
};

// Brute force over float rows: `block(first, count)` returns rows
// [first, first + count) as row-major floats. queries is dims x n; each
// column gets its own exclusions. Scores are dot products, which rank like
// cosines because every row is a unit vector.
template <typename Block>
std::vector<std::vector<Scored>> bruteForce(size_t rows, size_t dims, Block&& block, const Eigen::MatrixXf& queries,
                                            const std::vector<std::vector<uint32_t>>& exclude, size_t k) {
  std::vector<TopK> best(queries.cols(), TopK(k));
  Eigen::MatrixXf scores;
  for (size_t first = 0; first < rows; first += kBlockRows) {
    const size_t count = std::min(kBlockRows, rows - first);
    const Eigen::Map<const RowMajor> rowsBlock(block(first, count), Eigen::Index(count), Eigen::Index(dims));
    scores.noalias() = rowsBlock * queries;  // count x n
    for (Eigen::Index q = 0; q < queries.cols(); ++q) {
      TopK& top = best[q];
      const std::vector<uint32_t>& skip = exclude[q];
      for (size_t r = 0; r < count; ++r) {
        const float score = scores(Eigen::Index(r), q);
        if (score < top.threshold()) continue;
        const uint32_t id = uint32_t(first + r);
        if (std::find(skip.begin(), skip.end(), id) != skip.end()) continue;
        top.push(id, score);
      }
    }
  }
  std::vector<std::vector<Scored>> out;
  out.reserve(best.size());
  for (const TopK& top : best) out.push_back(top.items());
  return out;
}

// The copy must belong to the loaded table: same shape, and its rows must
// point where the int8 codes point (int8 keeps cosines above 0.999).
void checkCopyMatches(const EmbeddingTable& table, const FloatCopy& floats) {
  if (floats.rows() == 0) {
    fail(ErrorCode::BadArgument, "the quantization lab needs a table loaded with keepFloats");
  }
  if (floats.rows() != table.rows() || floats.dims() != table.dims()) {
    fail(ErrorCode::BadArgument, "the float copy (" + std::to_string(floats.rows()) + " x " +
                                     std::to_string(floats.dims()) + ") is not of the loaded table (" +
                                     std::to_string(table.rows()) + " x " + std::to_string(table.dims()) +
                                     "); load the table again with keepFloats");
  }
  std::vector<float> unit(table.dims());
  for (uint32_t row : sampleRows(table.rows(), 16, 7)) {
    table.unitVector(row, unit.data());
    const Eigen::Map<const Eigen::VectorXf> a(unit.data(), Eigen::Index(unit.size()));
    const Eigen::Map<const Eigen::VectorXf> b(floats.row(row), Eigen::Index(floats.dims()));
    if (a.squaredNorm() == 0 && b.squaredNorm() == 0) continue;
    if (a.dot(b) < 0.99f) {
      fail(ErrorCode::BadArgument, "the float copy does not match the loaded table (row " + std::to_string(row) +
                                       "); load the table again with keepFloats");
    }
  }
}

}  // namespace

struct QuantizationLab::State {
  std::shared_ptr<const EmbeddingTable> table;
  FloatRows floats;
  std::shared_ptr<const Space> raw;
  Int4Table int4;
  std::vector<float> int4Block;
  std::vector<uint32_t> sample;
  std::unique_ptr<AnalogyEvaluation> questions;  // parsed questions only; never stepped
  size_t nextQuery = 0, nextQuestion = 0;
  std::vector<double> floatMs, int8Ms, int4Ms;
  RecallMeter int8Recall, int4Recall;
  LabReport report;

  State(std::shared_ptr<const EmbeddingTable> tableHandle, FloatRows rows)
      : table(std::move(tableHandle)),
        floats(std::move(rows)),
        // The lab compares number formats, so it works in the raw space
        // whatever space the explorer is showing.
        raw(std::make_shared<const Space>(*table, SpaceSpec{}, nullptr)),
        int4(floats),
        int4Block(kBlockRows * floats.dims) {}

  const float* floatBlock(size_t first, size_t) const { return floats.row(first); }
  const float* int4Rows(size_t first, size_t count) {
    int4.unpack(first, count, int4Block.data());
    return int4Block.data();
  }
  size_t analogyCount() const { return questions ? questions->items().size() : 0; }

  // Neighbours of one sampled word, asked one at a time as the page asks
  // them, each form timed on its own.
  void neighbourQuery(uint32_t id) {
    const size_t rows = table->rows(), dims = table->dims();
    const std::vector<std::vector<uint32_t>> exclude{{id}};
    auto start = Clock::now();
    const Eigen::MatrixXf floatQuery = Eigen::Map<const Eigen::VectorXf>(floats.row(id), Eigen::Index(dims));
    const auto reference =
        bruteForce(rows, dims, [&](size_t f, size_t c) { return floatBlock(f, c); }, floatQuery, exclude, kRecallK)[0];
    floatMs.push_back(millisecondsSince(start));

    start = Clock::now();
    const Question question{Method::CosAdd, raw->unitRow(*table, id), {id}};
    const auto int8Top = searchBatch(*table, *raw, {question}, kRecallK)[0];
    int8Ms.push_back(millisecondsSince(start));

    start = Clock::now();
    const std::vector<float> int4Unit = int4.unitRow(id);
    const Eigen::MatrixXf int4Query = Eigen::Map<const Eigen::VectorXf>(int4Unit.data(), Eigen::Index(dims));
    const auto int4Top =
        bruteForce(rows, dims, [&](size_t f, size_t c) { return int4Rows(f, c); }, int4Query, exclude, kRecallK)[0];
    int4Ms.push_back(millisecondsSince(start));

    int8Recall.add(int8Top, reference);
    int4Recall.add(int4Top, reference);
  }

  // 3CosAdd top-1 for questions [first, first + count) in all three forms.
  void analogyBatch(size_t first, size_t count) {
    const size_t rows = table->rows(), dims = table->dims();
    const std::vector<AnalogyItem>& items = questions->items();
    Eigen::MatrixXf floatDirections(dims, count), int4Directions(dims, count);
    std::vector<std::vector<uint32_t>> exclude;
    std::vector<Question> int8Questions;
    auto floatUnit = [&](uint32_t row) { return Eigen::Map<const Eigen::VectorXf>(floats.row(row), Eigen::Index(dims)); };
    for (size_t i = 0; i < count; ++i) {
      const AnalogyItem& q = items[first + i];
      floatDirections.col(Eigen::Index(i)) = floatUnit(q.b) - floatUnit(q.a) + floatUnit(q.c);
      const std::vector<float> a = int4.unitRow(q.a), b = int4.unitRow(q.b), c = int4.unitRow(q.c);
      for (size_t d = 0; d < dims; ++d) int4Directions(Eigen::Index(d), Eigen::Index(i)) = b[d] - a[d] + c[d];
      exclude.push_back({q.a, q.b, q.c});
      int8Questions.push_back(makeAnalogyQuestion(*table, *raw, q.a, q.b, q.c, Method::CosAdd, /*includeInputs=*/false));
    }
    const auto floatTop =
        bruteForce(rows, dims, [&](size_t f, size_t c) { return floatBlock(f, c); }, floatDirections, exclude, 1);
    const auto int8Top = searchBatch(*table, *raw, int8Questions, 1);
    const auto int4Top =
        bruteForce(rows, dims, [&](size_t f, size_t c) { return int4Rows(f, c); }, int4Directions, exclude, 1);
    for (size_t i = 0; i < count; ++i) {
      const uint32_t expected = items[first + i].expected;
      auto hit = [&](const std::vector<Scored>& top) { return size_t(!top.empty() && top[0].id == expected); };
      report.float32.analogyCorrect += hit(floatTop[i]);
      report.int8.analogyCorrect += hit(int8Top[i]);
      report.int4.analogyCorrect += hit(int4Top[i]);
    }
  }
};

QuantizationLab::QuantizationLab(std::shared_ptr<const EmbeddingTable> table, const FloatCopy& floats,
                                 const LabOptions& options) {
  if (!table) fail(ErrorCode::BadArgument, "no embedding table is loaded");
  if (options.sample == 0) fail(ErrorCode::BadArgument, "the lab needs a sample of at least one query word");
  checkCopyMatches(*table, floats);
  state_ = std::make_unique<State>(table, FloatRows{floats.values(), floats.rows(), floats.dims()});
  State& s = *state_;
  s.sample = sampleRows(table->rows(), options.sample, options.seed);
  s.report.sample = s.sample.size();
  s.report.float32.bytes = floats.bytes();
  s.report.int8.bytes = table->memoryBytes();
  s.report.int4.bytes = s.int4.bytes();
  if (!options.questions.empty()) {
    // AnalogyEvaluation owns the question rules (sections, case, unknown
    // words); we take its parsed questions and answer them three ways.
    s.questions = std::make_unique<AnalogyEvaluation>(table, s.raw, options.questions, Method::CosAdd);
    s.report.analogyQuestions = s.questions->items().size();
    s.report.analogySkipped = s.questions->skipped();
  }
}

QuantizationLab::~QuantizationLab() = default;

size_t QuantizationLab::total() const { return state_->sample.size() + state_->analogyCount(); }
size_t QuantizationLab::done() const { return state_->nextQuery + state_->nextQuestion; }
bool QuantizationLab::finished() const { return done() == total(); }

bool QuantizationLab::step(size_t maxUnits) {
  if (maxUnits == 0) fail(ErrorCode::BadArgument, "a step must run at least one query");
  State& s = *state_;
  size_t units = maxUnits;
  while (units > 0 && s.nextQuery < s.sample.size()) {
    s.neighbourQuery(s.sample[s.nextQuery++]);
    --units;
  }
  // Questions go in batches of at most kAnalogyBatch, one table pass each.
  while (units > 0 && s.nextQuestion < s.analogyCount()) {
    const size_t count = std::min({units, kAnalogyBatch, s.analogyCount() - s.nextQuestion});
    s.analogyBatch(s.nextQuestion, count);
    s.nextQuestion += count;
    units -= count;
  }
  return finished();
}

LabReport QuantizationLab::report() const {
  const State& s = *state_;
  LabReport report = s.report;
  // The mean, not the median: a browser's clock ticks in 0.1 ms steps, so
  // one fast int8 query reads as 0 or 0.1 ms, while the mean of quantized
  // intervals (random phase) is unbiased.
  report.float32.queryMs = mean(s.floatMs);
  report.int8.queryMs = mean(s.int8Ms);
  report.int4.queryMs = mean(s.int4Ms);
  report.float32.recallAt10 = 1;
  report.int8.recallAt10 = s.int8Recall.mean();
  report.int4.recallAt10 = s.int4Recall.mean();
  for (LabVariant* v : {&report.float32, &report.int8, &report.int4}) {
    v->analogyAccuracy = s.nextQuestion ? double(v->analogyCorrect) / double(s.nextQuestion) : NAN;
  }
  return report;
}

LabReport runQuantizationLab(std::shared_ptr<const EmbeddingTable> table, const FloatCopy& floats,
                             const LabOptions& options) {
  QuantizationLab lab(std::move(table), floats, options);
  while (!lab.step(kAnalogyBatch)) {
  }
  return lab.report();
}

}  // namespace explorer
