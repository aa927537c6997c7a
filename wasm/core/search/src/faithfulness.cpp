#include "explorer/faithfulness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "explorer/errors.h"
#include "explorer/gathered_rows.h"
#include "explorer/kernels.h"

namespace explorer {

namespace {

constexpr size_t kQueryRows = 64;
constexpr size_t kColumnRows = 512;
// Float32 rounding of a 100-term dot product and of the int8 cosine's two
// multiplications stays far below this; it widens the proven int8 error
// bound so rounding can never decide a comparison.
constexpr float kRoundingSlack = 1e-5f;

struct Ranked {
  float value;
  uint32_t position;
};
// Larger value first, ties to the smaller position.
bool before(const Ranked& a, const Ranked& b) {
  return a.value > b.value || (a.value == b.value && a.position < b.position);
}

// The best `limit` items offered, kept sorted by before().
class SmallTop {
 public:
  explicit SmallTop(size_t limit) : limit_(limit) { items_.reserve(limit + 1); }
  void clear() { items_.clear(); }
  bool wouldEnter(float value) const { return items_.size() < limit_ || value >= items_.back().value; }
  void offer(Ranked item) {
    if (items_.size() == limit_ && !before(item, items_.back())) return;
    auto at = std::upper_bound(items_.begin(), items_.end(), item, before);
    items_.insert(at, item);
    if (items_.size() > limit_) items_.pop_back();
  }
  const std::vector<Ranked>& items() const { return items_; }

 private:
  size_t limit_;
  std::vector<Ranked> items_;
};

}  // namespace

struct FaithfulnessRun::State {
  std::shared_ptr<const EmbeddingTable> table;
  std::shared_ptr<const Space> space;
  GatheredRows rows;
  std::vector<float> positions, error, cosines;
  std::vector<int32_t> tile;
  std::vector<uint8_t> isCandidate;
  size_t n = 0, k = 0, layoutDims = 0, done = 0, candidates = 0;
  std::vector<float> recall;
  std::vector<uint32_t> neighbors;
  uint64_t rankExcess = 0;  // sum over i of sum_{j in L_i \ F_i} (r(i, j) - k)

  float bound(size_t i, size_t l) const { return error[i] + error[l] + kRoundingSlack; }

  std::vector<uint32_t> layoutNeighbors(size_t i) const {
    SmallTop top(k);
    const float* p = positions.data() + i * layoutDims;
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const float* o = positions.data() + j * layoutDims;
      float d2 = 0;
      for (size_t d = 0; d < layoutDims; ++d) d2 += (p[d] - o[d]) * (p[d] - o[d]);
      // Negated so the smallest distance ranks first.
      if (top.wouldEnter(-d2)) top.offer({-d2, uint32_t(j)});
    }
    std::vector<uint32_t> out;
    for (const Ranked& r : top.items()) out.push_back(r.position);
    return out;
  }

  // The exact float32 top k of row i: int8 candidates re-ranked, plus every
  // other row whose int8 cosine is within its error bound of the k-th.
  std::vector<Ranked> fullNeighbors(size_t i, const float* row) {
    SmallTop coarse(candidates);
    for (size_t l = 0; l < n; ++l) {
      if (l != i && coarse.wouldEnter(row[l])) coarse.offer({row[l], uint32_t(l)});
    }
    SmallTop exact(k);
    for (const Ranked& c : coarse.items()) {
      exact.offer({rows.floatCosine(i, c.position), c.position});
      isCandidate[c.position] = 1;
    }
    const float kth = exact.items().back().value;
    for (size_t l = 0; l < n; ++l) {
      if (l == i || isCandidate[l] || row[l] + bound(i, l) < kth) continue;
      exact.offer({rows.floatCosine(i, l), uint32_t(l)});
    }
    for (const Ranked& c : coarse.items()) isCandidate[c.position] = 0;
    return exact.items();
  }

  // 1 + the number of rows that come before j in i's float32 order, for
  // each target j. Targets sorted by cosine: a row whose int8 cosine
  // clears the first `definite` targets by its error bound counts for all
  // of them at once (a binary search), so a row costs O(log k) however
  // many targets there are; only targets within the bound need float32.
  void addRanks(size_t i, const float* row, std::vector<Ranked> targets) {
    if (targets.empty()) return;
    std::sort(targets.begin(), targets.end(), [](const Ranked& a, const Ranked& b) { return a.value < b.value; });
    const size_t m = targets.size();
    std::vector<float> values(m);
    for (size_t t = 0; t < m; ++t) values[t] = targets[t].value;
    // clearing[d]: rows that are certainly above targets [0, d) and no more.
    std::vector<uint64_t> clearing(m + 1, 0), rank(m, 1);
    for (size_t l = 0; l < n; ++l) {
      if (l == i) continue;
      const float e = bound(i, l), v = row[l];
      if (v + e < values[0]) continue;
      const size_t definite = size_t(std::lower_bound(values.begin(), values.end(), v - e) - values.begin());
      ++clearing[definite];
      float exactCosine = NAN;
      for (size_t t = definite; t < m && values[t] <= v + e; ++t) {
        if (l == targets[t].position) continue;
        if (std::isnan(exactCosine)) exactCosine = rows.floatCosine(i, l);
        if (before({exactCosine, uint32_t(l)}, targets[t])) ++rank[t];
      }
    }
    uint64_t above = 0;
    for (size_t t = m; t-- > 0;) {
      above += clearing[t + 1];
      rankExcess += rank[t] + above - k;
    }
  }

  void queryBlock() {
    const size_t qFirst = done, qCount = std::min(kQueryRows, n - qFirst);
    const int16_t* queries = rows.wide.data() + qFirst * rows.paddedDims();
    for (size_t cFirst = 0; cFirst < n; cFirst += kColumnRows) {
      const size_t cRows = std::min(kColumnRows, n - cFirst);
      const size_t cBlocks = (cRows + kernels::kBlockRows - 1) / kernels::kBlockRows;
      kernels::dot_i8i16(rows.blocks.data() + (cFirst / kernels::kBlockRows) * rows.blockBytes, cBlocks,
                         rows.pairCount, queries, qCount, tile.data(), kColumnRows);
      for (size_t q = 0; q < qCount; ++q) {
        const float si = rows.scale[qFirst + q];
        float* out = cosines.data() + q * n + cFirst;
        const int32_t* dots = tile.data() + q * kColumnRows;
        for (size_t c = 0; c < cRows; ++c) out[c] = float(dots[c]) * si * rows.scale[cFirst + c];
      }
    }
    for (size_t q = 0; q < qCount; ++q) {
      const size_t i = qFirst + q;
      const float* row = cosines.data() + q * n;
      const std::vector<Ranked> full = fullNeighbors(i, row);
      const std::vector<uint32_t> layout = layoutNeighbors(i);
      std::vector<Ranked> falseNeighbors;
      size_t shared = 0;
      for (uint32_t j : layout) {
        const bool kept = std::any_of(full.begin(), full.end(), [&](const Ranked& f) { return f.position == j; });
        if (kept) ++shared;
        else falseNeighbors.push_back({rows.floatCosine(i, j), j});
      }
      recall[i] = float(shared) / float(k);
      for (size_t c = 0; c < k; ++c) neighbors[i * k + c] = full[c].position;
      addRanks(i, row, falseNeighbors);
    }
    done += qCount;
  }
};

FaithfulnessRun::FaithfulnessRun(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                                 std::vector<uint32_t> ids, std::vector<float> positions, size_t layoutDims,
                                 size_t k)
    : state_(std::make_unique<State>()) {
  if (!table || !space) fail(ErrorCode::BadArgument, "faithfulness: no table or space");
  checkRowIds(ids, table->rows(), "faithfulness");
  const size_t n = ids.size();
  if (layoutDims < 2 || layoutDims > 3) {
    fail(ErrorCode::BadArgument, "faithfulness: the layout must be 2D or 3D, got " + std::to_string(layoutDims) +
                                     " dimensions");
  }
  if (positions.size() != n * layoutDims) {
    fail(ErrorCode::BadArgument, "faithfulness: " + std::to_string(n) + " points in " + std::to_string(layoutDims) +
                                     "D need " + std::to_string(n * layoutDims) + " coordinates, got " +
                                     std::to_string(positions.size()));
  }
  for (size_t c = 0; c < positions.size(); ++c) {
    if (!std::isfinite(positions[c])) {
      fail(ErrorCode::BadArgument, "faithfulness: the position of point " + std::to_string(c / layoutDims) +
                                       " is not a finite number");
    }
  }
  if (k == 0 || 2 * k >= n) {
    fail(ErrorCode::BadArgument, "faithfulness: k must be at least 1 and below half the point count (" +
                                     std::to_string(n) + " points allow k <= " +
                                     std::to_string(n >= 3 ? (n - 1) / 2 : 0) + "), got " + std::to_string(k));
  }
  State& s = *state_;
  s.table = std::move(table);
  s.space = std::move(space);
  s.n = n;
  s.k = k;
  s.layoutDims = layoutDims;
  s.positions = std::move(positions);
  s.candidates = std::min(n - 1, k + std::max<size_t>(k, 10));
  s.rows = gatherRows(*s.table, *s.space, ids);
  // The int8 vector's distance from the float32 one bounds the error of
  // every int8 cosine this row takes part in.
  s.error.resize(n);
  for (size_t i = 0; i < n; ++i) {
    double e2 = 0;
    const float* u = s.rows.unit.data() + i * s.rows.dims;
    const int16_t* c = s.rows.wide.data() + i * s.rows.paddedDims();
    for (size_t d = 0; d < s.rows.dims; ++d) {
      const double diff = double(u[d]) - double(c[d]) * s.rows.scale[i];
      e2 += diff * diff;
    }
    s.error[i] = float(std::sqrt(e2)) * 1.0001f;
  }
  s.cosines.assign(kQueryRows * n, 0.0f);
  s.tile.assign(kQueryRows * kColumnRows, 0);
  s.isCandidate.assign(n, 0);
  s.recall.assign(n, 0.0f);
  s.neighbors.assign(n * k, 0);
}

FaithfulnessRun::~FaithfulnessRun() = default;

bool FaithfulnessRun::step(size_t maxRows) {
  State& s = *state_;
  const size_t target = maxRows == 0 ? s.n : std::min(s.n, s.done + maxRows);
  while (s.done < target) s.queryBlock();
  return finished();
}

bool FaithfulnessRun::finished() const { return state_->done == state_->n; }
size_t FaithfulnessRun::done() const { return state_->done; }
size_t FaithfulnessRun::size() const { return state_->n; }

Faithfulness FaithfulnessRun::result() const {
  const State& s = *state_;
  if (!finished()) {
    fail(ErrorCode::BadArgument, "faithfulness: not finished (" + std::to_string(s.done) + " of " +
                                     std::to_string(s.n) + " points done)");
  }
  Faithfulness f;
  f.points = s.n;
  f.k = s.k;
  f.neighborRecall = s.recall;
  f.neighbors = s.neighbors;
  double sum = 0;
  for (float r : s.recall) sum += r;
  f.meanNeighborRecall = sum / double(s.n);
  const double n = double(s.n), k = double(s.k);
  f.trustworthiness = 1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * double(s.rankExcess);
  return f;
}

Faithfulness measureFaithfulness(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                                 std::vector<uint32_t> ids, std::vector<float> positions, size_t layoutDims,
                                 size_t k) {
  FaithfulnessRun run(std::move(table), std::move(space), std::move(ids), std::move(positions), layoutDims, k);
  run.step(0);
  return run.result();
}

}  // namespace explorer
