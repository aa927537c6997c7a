#include "explorer/search.h"

#include <algorithm>
#include <cmath>

#include "explorer/errors.h"

namespace explorer {

void TopK::push(uint32_t id, float score) {
  if (k_ == 0) return;
  auto better = [](const Scored& a, const Scored& b) { return a.score > b.score || (a.score == b.score && a.id < b.id); };
  const Scored item{id, score};
  if (items_.size() == k_ && !better(item, items_.back())) return;
  items_.insert(std::upper_bound(items_.begin(), items_.end(), item, better), item);
  if (items_.size() > k_) items_.pop_back();
}

namespace {

size_t queriesPer(Method method) { return method == Method::CosMul ? 3 : 1; }

// Maps every question's directions to kernel queries in one batch.
MappedQueries mapAll(const EmbeddingTable& table, const Space& space, const std::vector<Question>& questions) {
  std::vector<float> directions;
  for (const Question& q : questions) {
    if (q.directions.size() != queriesPer(q.method) * space.dims()) {
      fail(ErrorCode::BadArgument, "query has " + std::to_string(q.directions.size()) +
                                       " values; the space has " + std::to_string(space.dims()) + " dimensions");
    }
    directions.insert(directions.end(), q.directions.begin(), q.directions.end());
  }
  return space.mapQueries(directions.data(), directions.size() / space.dims(), table.paddedDims());
}

// Scores rows [first, first + rows) for the question whose kernel queries
// start at `query`, into `scores`. Kept out of line so V8 tiers it up even
// when the scan that calls it is one long call.
__attribute__((noinline)) void scoreChunk(Method method, const MappedQueries& mapped, size_t query,
                                          const int32_t* dots, size_t stride, const float* rowGain,
                                          const float* rowBias, size_t rows, float* scores) {
  auto cosine = [&](size_t q, size_t r) {
    return mapped.gain[q] * float(dots[q * stride + r]) * rowGain[r] + mapped.bias[q] * rowBias[r];
  };
  if (method == Method::CosAdd) {
    for (size_t r = 0; r < rows; ++r) scores[r] = cosine(query, r);
  } else {
    for (size_t r = 0; r < rows; ++r) {
      const float a = 0.5f * (1 + cosine(query, r));
      const float b = 0.5f * (1 + cosine(query + 1, r));
      const float c = 0.5f * (1 + cosine(query + 2, r));
      scores[r] = b * c / (a + kCosMulEpsilon);
    }
  }
}

template <typename OnScores>
void scoreAll(const EmbeddingTable& table, const Space& space, const std::vector<Question>& questions,
              OnScores&& onScores) {
  const MappedQueries mapped = mapAll(table, space, questions);
  std::vector<size_t> firstQuery(questions.size());
  for (size_t q = 0, at = 0; q < questions.size(); ++q) {
    firstQuery[q] = at;
    at += queriesPer(questions[q].method);
  }
  std::vector<float> scores;
  scanTable(table, mapped.codes.data(), mapped.count, [&](size_t first, size_t rows, const int32_t* dots, size_t stride) {
    scores.resize(rows);
    for (size_t q = 0; q < questions.size(); ++q) {
      scoreChunk(questions[q].method, mapped, firstQuery[q], dots, stride, space.rowGain().data() + first,
                 space.rowBias().data() + first, rows, scores.data());
      onScores(q, first, rows, scores.data());
    }
  });
}

bool isExcluded(const std::vector<uint32_t>& exclude, uint32_t id) {
  return std::find(exclude.begin(), exclude.end(), id) != exclude.end();
}

}  // namespace

std::vector<std::vector<Scored>> searchBatch(const EmbeddingTable& table, const Space& space,
                                             const std::vector<Question>& questions, size_t k) {
  std::vector<TopK> best(questions.size(), TopK(k));
  scoreAll(table, space, questions, [&](size_t q, size_t first, size_t rows, const float* scores) {
    TopK& top = best[q];
    float threshold = top.threshold();
    for (size_t r = 0; r < rows; ++r) {
      if (scores[r] < threshold) continue;
      const auto id = static_cast<uint32_t>(first + r);
      if (isExcluded(questions[q].exclude, id)) continue;
      top.push(id, scores[r]);
      threshold = top.threshold();
    }
  });
  std::vector<std::vector<Scored>> out;
  out.reserve(best.size());
  for (const TopK& top : best) out.push_back(top.items());
  return out;
}

float scoreRow(const EmbeddingTable& table, const Space& space, const Question& question, uint32_t row) {
  // Run the row's own block through the same kernel so the score matches
  // what the scan produced for it bit for bit.
  const MappedQueries mapped = mapAll(table, space, {question});
  const size_t block = row / kernels::kBlockRows;
  std::vector<int32_t> dots(mapped.count * kernels::kBlockRows);
  kernels::dot_i8i16(table.blocks() + block * table.blockBytes(), 1, table.pairCount(), mapped.codes.data(),
                     mapped.count, dots.data(), kernels::kBlockRows);
  float scores[kernels::kBlockRows];
  const size_t first = block * kernels::kBlockRows;
  scoreChunk(question.method, mapped, 0, dots.data(), kernels::kBlockRows, space.rowGain().data() + first,
             space.rowBias().data() + first, kernels::kBlockRows, scores);
  return scores[row - first];
}

Scored rankOf(const EmbeddingTable& table, const Space& space, const Question& question, uint32_t target) {
  if (target >= table.rows()) fail(ErrorCode::BadArgument, "row " + std::to_string(target) + " is out of range");
  const float targetScore = scoreRow(table, space, question, target);
  uint32_t above = 0;
  scoreAll(table, space, {question}, [&](size_t, size_t first, size_t rows, const float* scores) {
    for (size_t r = 0; r < rows; ++r) {
      const auto id = static_cast<uint32_t>(first + r);
      // Same tie rule as TopK: equal scores rank by id.
      if ((scores[r] > targetScore || (scores[r] == targetScore && id < target)) &&
          !isExcluded(question.exclude, id)) {
        ++above;
      }
    }
  });
  return {above + 1, targetScore};
}

}  // namespace explorer
