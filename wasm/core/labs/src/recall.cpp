#include "explorer/recall.h"

#include <algorithm>
#include <cstring>

#include "explorer/errors.h"
#include "explorer/sampling.h"
#include "explorer/space.h"

namespace explorer {

void RecallMeter::add(const std::vector<Scored>& found, const std::vector<Scored>& reference) {
  if (reference.empty()) return;
  size_t hits = 0;
  for (const Scored& a : reference) {
    hits += std::any_of(found.begin(), found.end(), [&](const Scored& b) { return b.id == a.id; });
  }
  sum_ += double(hits) / double(reference.size());
  ++queries_;
}

namespace {

constexpr size_t kSampleWindow = 2000;   // queries come from the first rows
constexpr size_t kSampleQueries = 100;
constexpr size_t kMinQueries = 20;
constexpr double kFloatWorkBudget = 5e8;  // query x row x dim multiply-adds
constexpr size_t kScoreBatchRows = 256;   // later rows are scored in batches
constexpr size_t kScoreLanes = 16;

}  // namespace

struct RecallProbe::State {
  uint64_t seed = 1;
  size_t dims = 0;
  size_t rows = 0;  // rows seen so far

  // Held unit rows until the window fills, then the queries.
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

  void scoreBatch() {
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

  void addToBatch(const float* unitRow, size_t row) {
    if (batchRows == 0) {
      batchFirstRow = static_cast<uint32_t>(row);
      std::fill(batch.begin(), batch.end(), 0.0f);
    }
    for (size_t d = 0; d < dims; ++d) batch[d * kScoreBatchRows + batchRows] = unitRow[d];
    if (++batchRows == kScoreBatchRows) flushBatch();
  }

  void drawSample() {
    const size_t window = dims ? held.size() / dims : 0;
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
    for (size_t r = 0; r < window; ++r) addToBatch(windowRows.data() + r * dims, r);
  }

  void flushBatch() {
    if (batchRows) scoreBatch();
    batchRows = 0;
    // Bound the float work: later rows are scored only for the first
    // activeQueries of the random draw; dropped queries leave the report.
    const double perQuery = double(rows) * double(dims);
    const auto affordable = static_cast<size_t>(kFloatWorkBudget / std::max(perQuery, 1.0));
    activeQueries = std::min(activeQueries, std::max(kMinQueries, affordable));
  }

  void onRow(size_t row, const float* unitRow, size_t width) {
    if (dims == 0) dims = width;
    rows = row + 1;
    if (sampled) return addToBatch(unitRow, row);
    held.insert(held.end(), unitRow, unitRow + dims);
    if (held.size() / dims == kSampleWindow) drawSample();
  }
};

RecallProbe::RecallProbe(uint64_t seed) : state_(std::make_unique<State>()) { state_->seed = seed; }
RecallProbe::~RecallProbe() = default;

void RecallProbe::attach(TableBuilder& builder) {
  State& s = *state_;
  builder.addRowSubscriber([&s, &builder](size_t row, const float* unit) { s.onRow(row, unit, builder.dims()); });
}

RecallResult RecallProbe::measure(const EmbeddingTable& table) {
  State& s = *state_;
  if (!s.sampled) s.drawSample();
  s.flushBatch();
  RecallMeter meter;
  if (s.activeQueries > 0 && table.rows() > 1) {
    if (table.rows() != s.rows || table.dims() != s.dims) {
      fail(ErrorCode::BadArgument, "the recall probe saw " + std::to_string(s.rows) + " rows, the table has " +
                                       std::to_string(table.rows()));
    }
    const Space raw(table, SpaceSpec{}, nullptr);
    std::vector<Question> questions(s.activeQueries);
    for (size_t q = 0; q < s.activeQueries; ++q) {
      questions[q].directions = raw.unitRow(table, s.queryIds[q]);
      questions[q].exclude = {s.queryIds[q]};
    }
    const auto found = searchBatch(table, raw, questions, kRecallK);
    for (size_t q = 0; q < s.activeQueries; ++q) meter.add(found[q], s.floatTop[q].items());
  }
  return {meter.mean(), meter.queries()};
}

}  // namespace explorer
