#include "explorer/formats/table_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "explorer/errors.h"
#include "explorer/explorer.h"
#include "explorer/search.h"
#include "explorer/space.h"

namespace explorer {

namespace {

constexpr size_t kSampleWindow = 2000;   // queries come from the first rows
constexpr size_t kSampleQueries = 100;
constexpr size_t kMinQueries = 20;
constexpr double kFloatWorkBudget = 5e8;  // query x row x dim multiply-adds
constexpr size_t kScoreBatchRows = 256;   // later rows are scored in batches
constexpr size_t kScoreLanes = 16;
constexpr size_t kRecallK = 10;
constexpr uint64_t kMaxReservedRows = 1u << 18;

float halfToFloat(uint16_t bits) {
  const uint32_t sign = uint32_t(bits & 0x8000) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1F, mantissa = bits & 0x3FF;
  float value;
  if (exponent == 0) {
    value = std::ldexp(float(mantissa), -24);  // zero or subnormal
  } else if (exponent == 31) {
    value = mantissa ? NAN : INFINITY;
  } else {
    const uint32_t out = ((exponent + 112) << 23) | (mantissa << 13);
    std::memcpy(&value, &out, 4);
  }
  uint32_t out;
  std::memcpy(&out, &value, 4);
  out |= sign;
  std::memcpy(&value, &out, 4);
  return value;
}

float bfloat16ToFloat(uint16_t bits) {
  const uint32_t out = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &out, 4);
  return value;
}

// Quotes a word for an error message, cut short so a binary blob misread as
// a word does not flood the message.
std::string quoted(std::string_view word) {
  std::string text(word.substr(0, 60));
  if (word.size() > 60) text += "...";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  return "\"" + text + "\"";
}

}  // namespace

struct TableBuilder::State {
  uint32_t seed = 1;
  EmbeddingTable table;
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  size_t duplicates = 0;
  std::string firstDuplicate;
  bool lastRowKept = false;
  bool finished = false;

  bool hasMetadata = false;
  RowMetadata metadata;

  std::function<void(size_t, const float*)> floatRow;
  std::vector<float> unit, halfScratch;

  // Recall sample: held unit rows until the window fills, then the queries.
  std::vector<float> held;
  bool sampled = false;
  std::vector<uint32_t> queryIds;
  std::vector<float> queries;  // queryIds.size() x dims
  size_t activeQueries = 0;
  std::vector<TopK> floatTop;
  // Rows waiting to be scored, transposed (dims x kScoreBatchRows), so the
  // scoring loop runs across rows: independent lanes the compiler turns
  // into SIMD (wasm simd128 too; Eigen is scalar in wasm). This float work
  // is up to a third of a binary-format load.
  std::vector<float> batch;
  std::vector<float> scores;
  uint32_t batchFirstRow = 0;
  size_t batchRows = 0;

  void scoreBatch(size_t dims) {
    for (size_t q = 0; q < activeQueries; ++q) {
      float* score = scores.data();
      const float* query = queries.data() + q * dims;
      // 16 rows at a time: their sums stay in four SIMD registers across
      // all dims, so each multiply-add needs a quarter of a load.
      for (size_t r0 = 0; r0 < kScoreBatchRows; r0 += kScoreLanes) {
        float sum[kScoreLanes] = {};
        const float* column = batch.data() + r0;
        for (size_t d = 0; d < dims; ++d, column += kScoreBatchRows) {
          const float weight = query[d];
          for (size_t i = 0; i < kScoreLanes; ++i) sum[i] += weight * column[i];
        }
        std::memcpy(score + r0, sum, sizeof sum);
      }
      TopK& top = floatTop[q];
      for (size_t r = 0; r < batchRows; ++r) {
        const auto id = static_cast<uint32_t>(batchFirstRow + r);
        if (id != queryIds[q] && score[r] >= top.threshold()) top.push(id, score[r]);
      }
    }
  }

  void addToBatch(const float* unitRow, size_t row, size_t dims) {
    if (batchRows == 0) {
      batchFirstRow = static_cast<uint32_t>(row);
      std::fill(batch.begin(), batch.end(), 0.0f);
    }
    for (size_t d = 0; d < dims; ++d) batch[d * kScoreBatchRows + batchRows] = unitRow[d];
    if (++batchRows == kScoreBatchRows) flushBatch(dims);
  }

  void drawSample(size_t dims) {
    const size_t window = held.size() / dims;
    sampled = true;
    queryIds = sampleRows(window, kSampleQueries, seed);
    queries.resize(queryIds.size() * dims);
    for (size_t q = 0; q < queryIds.size(); ++q) {
      std::memcpy(queries.data() + q * dims, held.data() + size_t(queryIds[q]) * dims, dims * sizeof(float));
    }
    activeQueries = queryIds.size();
    floatTop.assign(queryIds.size(), TopK(kRecallK));
    batch.assign(kScoreBatchRows * dims, 0.0f);
    scores.resize(kScoreBatchRows);
    std::vector<float> windowRows;
    windowRows.swap(held);
    for (size_t r = 0; r < window; ++r) addToBatch(windowRows.data() + r * dims, r, dims);
  }

  void flushBatch(size_t dims) {
    if (batchRows) scoreBatch(dims);
    batchRows = 0;
    // Bound the float work: later rows are scored only for the first
    // activeQueries of the random draw; dropped queries leave the report.
    const double perQuery = double(table.rows()) * double(dims);
    const auto affordable = static_cast<size_t>(kFloatWorkBudget / std::max(perQuery, 1.0));
    activeQueries = std::min(activeQueries, std::max(kMinQueries, affordable));
  }

  void sampleRow(const float* unitRow, size_t row, size_t dims) {
    if (sampled) return addToBatch(unitRow, row, dims);
    held.insert(held.end(), unitRow, unitRow + dims);
    if (held.size() / dims == kSampleWindow) drawSample(dims);
  }
};

TableBuilder::TableBuilder(std::string fileName, uint32_t seed)
    : fileName_(std::move(fileName)), state_(std::make_unique<State>()) {
  state_->seed = seed;
}

TableBuilder::~TableBuilder() = default;

void TableBuilder::setDims(size_t dims, const std::string& where) {
  if (dims_ != 0 && dims != dims_) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": " + std::to_string(dims) + " dimensions, but earlier rows have " +
                                 std::to_string(dims_));
  }
  if (dims_ != 0) return;
  if (dims == 0) fail(ErrorCode::BadData, fileName_ + ": " + where + ": a table needs at least one dimension");
  if (dims > TableLimits::kMaxDims) {
    fail(ErrorCode::TooLarge, fileName_ + ": " + where + ": " + std::to_string(dims) +
                                  " dimensions is beyond the limit of " + std::to_string(TableLimits::kMaxDims));
  }
  dims_ = dims;
  state_->table = EmbeddingTable(dims, fileName_);
  state_->unit.resize(dims);
  state_->halfScratch.resize(dims);
}

void TableBuilder::expectRows(uint64_t rows, const std::string& where) {
  if (rows > TableLimits::kMaxRows || (dims_ != 0 && rows * dims_ > TableLimits::kMaxCodeBytes)) {
    fail(ErrorCode::TooLarge, fileName_ + ": " + where + ": a table of " + std::to_string(rows) + " rows" +
                                  (dims_ ? " x " + std::to_string(dims_) + " dimensions" : std::string()) +
                                  " is beyond the size limit (" + std::to_string(TableLimits::kMaxRows) +
                                  " rows, 1 GiB of codes)");
  }
  // A header can lie (or be fuzzed): reserve at most 256k rows up front;
  // past that the storage grows as rows actually arrive.
  const size_t reserve = size_t(std::min<uint64_t>(rows, kMaxReservedRows));
  if (dims_ != 0) state_->table.reserveRows(reserve);
  state_->words.reserve(reserve);
}

size_t TableBuilder::rows() const { return state_->table.rows(); }

void TableBuilder::addRow(std::string_view word, const float* values, const std::string& where) {
  State& s = *state_;
  if (dims_ == 0) fail(ErrorCode::BadData, fileName_ + ": " + where + ": a row came before the table's width was known");
  s.lastRowKept = false;
  if (word.empty()) fail(ErrorCode::BadData, fileName_ + ": " + where + ": empty word");
  if (!isValidUtf8(word)) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": word " + quoted(word) + " is not valid UTF-8");
  }
  if (word.find_first_of("\n\r") != std::string_view::npos) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": word " + quoted(word) + " contains a line break");
  }
  double sumSquares = 0;
  for (size_t d = 0; d < dims_; ++d) {
    if (!std::isfinite(values[d])) {
      fail(ErrorCode::BadData, fileName_ + ": " + where + ": " + quoted(word) + " has " +
                                   (std::isnan(values[d]) ? "NaN" : "Inf") + " in column " + std::to_string(d + 1) +
                                   " of " + std::to_string(dims_));
    }
    sumSquares += double(values[d]) * values[d];
  }
  // Finite values can still have a length past float32's range, which the
  // stored norm could not hold (found by fuzzing).
  if (std::sqrt(sumSquares) > std::numeric_limits<float>::max()) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": " + quoted(word) +
                                 " has values so large that its length overflows float32");
  }
  const size_t row = s.table.rows();
  if (row + 1 > TableLimits::kMaxRows || uint64_t(row + 1) * dims_ > TableLimits::kMaxCodeBytes) {
    fail(ErrorCode::TooLarge, fileName_ + ": " + where + ": more than " + std::to_string(row) +
                                  " rows is beyond the size limit (" + std::to_string(TableLimits::kMaxRows) +
                                  " rows, 1 GiB of codes)");
  }
  // One hash lookup per row; a throw below spends the builder anyway.
  const auto [entry, isNew] = s.seen.emplace(word);
  if (!isNew) {
    if (s.duplicates++ == 0) s.firstDuplicate = *entry;
    return;
  }
  const float inverseNorm = sumSquares > 0 ? static_cast<float>(1.0 / std::sqrt(sumSquares)) : 0.0f;
  for (size_t d = 0; d < dims_; ++d) s.unit[d] = values[d] * inverseNorm;
  if (s.floatRow) s.floatRow(row, s.unit.data());
  s.sampleRow(s.unit.data(), row, dims_);
  s.table.appendRow(values);
  s.words.push_back(*entry);
  s.lastRowKept = true;
}

void TableBuilder::addRowHalf(std::string_view word, const uint16_t* bits, bool bfloat16, const std::string& where) {
  float* out = state_->halfScratch.data();
  for (size_t d = 0; d < dims_; ++d) out[d] = bfloat16 ? bfloat16ToFloat(bits[d]) : halfToFloat(bits[d]);
  addRow(word, out, where);
}

void TableBuilder::setMetadataColumns(std::vector<std::string> columns) {
  state_->hasMetadata = true;
  state_->metadata.values.assign(columns.size(), {});
  state_->metadata.columns = std::move(columns);
}

void TableBuilder::addMetadata(std::vector<std::string> values) {
  State& s = *state_;
  if (!s.lastRowKept) return;
  RowMetadata& m = s.metadata;
  if (values.size() != m.columns.size()) {
    fail(ErrorCode::BadData, fileName_ + ": row " + std::to_string(rows()) + " has " + std::to_string(values.size()) +
                                 " metadata values for " + std::to_string(m.columns.size()) + " columns");
  }
  for (size_t c = 0; c < values.size(); ++c) m.values[c].push_back(std::move(values[c]));
}

void TableBuilder::onFloatRow(std::function<void(size_t row, const float* unit)> callback) {
  state_->floatRow = std::move(callback);
}

EmbeddingTable TableBuilder::finish(std::string tableName, QuantizationReport* report, RowMetadata* metadata) {
  State& s = *state_;
  if (s.finished) fail(ErrorCode::BadArgument, fileName_ + ": the table was already finished");
  s.finished = true;
  if (s.table.rows() == 0) {
    fail(ErrorCode::EmptyInput, fileName_ + ": no rows" +
                                    (s.duplicates ? " (every row repeats an earlier word)" : std::string()));
  }
  if (!s.sampled) s.drawSample(dims_);
  s.flushBatch(dims_);

  EmbeddingTable table = std::move(s.table);
  table.attachVocabulary(Vocabulary(std::move(s.words)));
  s.seen.clear();

  // The same queries through the real int8 search, in the raw space.
  double overlap = 0;
  size_t counted = 0;
  if (s.activeQueries > 0 && table.rows() > 1) {
    const Space raw(table, SpaceSpec{}, nullptr);
    std::vector<Question> questions(s.activeQueries);
    for (size_t q = 0; q < s.activeQueries; ++q) {
      questions[q].directions = raw.unitRow(table, s.queryIds[q]);
      questions[q].exclude = {s.queryIds[q]};
    }
    const auto found = searchBatch(table, raw, questions, kRecallK);
    for (size_t q = 0; q < s.activeQueries; ++q) {
      const auto& truth = s.floatTop[q].items();
      if (truth.empty()) continue;
      size_t hits = 0;
      for (const Scored& a : truth) {
        hits += std::any_of(found[q].begin(), found[q].end(), [&](const Scored& b) { return b.id == a.id; });
      }
      overlap += double(hits) / double(truth.size());
      ++counted;
    }
  }
  if (report) {
    report->words = table.rows();
    report->dims = table.dims();
    report->duplicates = s.duplicates;
    report->firstDuplicate = s.firstDuplicate;
    report->bytesBefore = uint64_t(table.rows()) * table.dims() * 4;
    report->bytesAfter = table.memoryBytes();
    // With fewer than two rows there is no neighbour to miss.
    report->recallAt10 = counted ? overlap / double(counted) : 1.0;
    report->recallQueries = counted;
  }
  if (metadata) *metadata = s.hasMetadata ? std::move(s.metadata) : RowMetadata{};
  table.rename(std::move(tableName));
  return table;
}

}  // namespace explorer
