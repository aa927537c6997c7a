#include "explorer/knn_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "explorer/errors.h"
#include "explorer/gathered_rows.h"
#include "explorer/kernels.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace explorer {

namespace {

// Query rows per pass: their int16 codes (64 x 200 bytes) stay in L1 while
// the column rows stream past.
constexpr size_t kQueryRows = 64;
// Column rows per kernel call: their codes (256 x 100 bytes) stay in L1
// while the query rows pass over them, and the 64 x 256 int32 tile (64 KiB)
// stays in L2 for the pass that reads it back.
constexpr size_t kColumnRows = 256;
static_assert(kColumnRows >= kQueryRows && kColumnRows % kQueryRows == 0);

// Candidates kept per row beyond k and re-ranked in float32: int8 cosines
// differ from float32 by ~1e-3, enough to swap neighbours near the k-th;
// measured on GloVe 50k, k + 10 candidates bring recall to float32's graph
// from ~0.97 to above 0.999.
size_t candidateCount(size_t k, size_t points) { return std::min(points - 1, k + std::max<size_t>(k, 10)); }

}  // namespace

struct KnnBuild::State {
  std::shared_ptr<const EmbeddingTable> table;
  std::shared_ptr<const Space> space;
  GatheredRows rows;
  size_t n = 0, k = 0, candidates = 0, done = 0;
  bool taken = false;
  // Per row, `candidates` (cosine, position) pairs sorted best first (ties
  // to the smaller position); threshold[i] is the cosine a new pair must
  // reach (-inf until the list is full, +inf for padding rows).
  std::vector<float> candidateCosine, threshold;
  std::vector<uint32_t> candidatePosition, filled;
  std::vector<int32_t> tile;

  void push(size_t row, uint32_t position, float cosine) {
    float* s = candidateCosine.data() + row * candidates;
    uint32_t* p = candidatePosition.data() + row * candidates;
    uint32_t& m = filled[row];
    if (m == candidates) {
      const float last = s[m - 1];
      if (!(cosine > last || (cosine == last && position < p[m - 1]))) return;
    }
    size_t at = m < candidates ? m : candidates - 1;
    while (at > 0 && (s[at - 1] < cosine || (s[at - 1] == cosine && p[at - 1] > position))) {
      s[at] = s[at - 1];
      p[at] = p[at - 1];
      --at;
    }
    s[at] = cosine;
    p[at] = position;
    if (m < candidates) ++m;
    if (m == candidates) threshold[row] = s[candidates - 1];
  }

  // Offers the pair (i, j) to both rows.
  void offer(size_t i, size_t j, float cosine) {
    if (cosine >= threshold[i]) push(i, uint32_t(j), cosine);
    if (cosine >= threshold[j]) push(j, uint32_t(i), cosine);
  }

  // Scores of query rows [qFirst, qFirst+qCount) against columns
  // [cFirst, cFirst+cRows), in tile; only pairs with column > row count.
  void offerTile(size_t qFirst, size_t qCount, size_t cFirst, size_t cRows) {
    const float* scale = rows.scale.data();
    for (size_t q = 0; q < qCount; ++q) {
      const size_t i = qFirst + q;
      const int32_t* dots = tile.data() + q * kColumnRows;
      const float si = scale[i];
      size_t c = cFirst <= i ? i - cFirst + 1 : 0;
#if defined(__wasm_simd128__)
      // Four columns at a time: one compare against the row's threshold and
      // one against the columns' own; only a pair that passes either (rare
      // once the lists fill) takes the scalar path.
      const v128_t rowScale = wasm_f32x4_splat(si);
      v128_t rowThreshold = wasm_f32x4_splat(threshold[i]);
      for (; c + 4 <= cRows; c += 4) {
        const size_t j = cFirst + c;
        const v128_t cosine =
            wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_v128_load(dots + c)), rowScale),
                           wasm_v128_load(scale + j));
        const v128_t pass = wasm_v128_or(wasm_f32x4_ge(cosine, rowThreshold),
                                         wasm_f32x4_ge(cosine, wasm_v128_load(threshold.data() + j)));
        if (!wasm_v128_any_true(pass)) continue;
        for (size_t l = 0; l < 4; ++l) offer(i, j + l, float(dots[c + l]) * si * scale[j + l]);
        rowThreshold = wasm_f32x4_splat(threshold[i]);
      }
#endif
      for (; c < cRows; ++c) offer(i, cFirst + c, float(dots[c]) * si * scale[cFirst + c]);
    }
  }

  void queryBlock() {
    const size_t qFirst = done, qCount = std::min(kQueryRows, n - qFirst);
    const int16_t* queries = rows.wide.data() + qFirst * rows.paddedDims();
    for (size_t cFirst = qFirst; cFirst < n; cFirst += kColumnRows) {
      const size_t cRows = std::min(kColumnRows, n - cFirst);
      const size_t cBlocks = (cRows + kernels::kBlockRows - 1) / kernels::kBlockRows;
      kernels::dot_i8i16(rows.blocks.data() + (cFirst / kernels::kBlockRows) * rows.blockBytes, cBlocks,
                         rows.pairCount, queries, qCount, tile.data(), kColumnRows);
      offerTile(qFirst, qCount, cFirst, cRows);
    }
    done += qCount;
  }
};

KnnBuild::KnnBuild(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                   std::vector<uint32_t> ids, size_t k)
    : state_(std::make_unique<State>()) {
  if (!table || !space) fail(ErrorCode::BadArgument, "k-NN: no table or space");
  checkRowIds(ids, table->rows(), "k-NN");
  if (ids.size() < 2) fail(ErrorCode::BadArgument, "k-NN: needs at least 2 rows, got " + std::to_string(ids.size()));
  if (k == 0 || k >= ids.size()) {
    fail(ErrorCode::BadArgument, "k-NN: k must be between 1 and " + std::to_string(ids.size() - 1) +
                                     " (one less than the " + std::to_string(ids.size()) + " rows), got " +
                                     std::to_string(k));
  }
  State& s = *state_;
  s.table = std::move(table);
  s.space = std::move(space);
  s.n = ids.size();
  s.k = k;
  s.candidates = candidateCount(k, s.n);
  s.rows = gatherRows(*s.table, *s.space, ids);
  s.candidateCosine.assign(s.n * s.candidates, 0.0f);
  s.candidatePosition.assign(s.n * s.candidates, 0);
  s.filled.assign(s.n, 0);
  s.threshold.assign(s.rows.scale.size(), std::numeric_limits<float>::infinity());
  std::fill(s.threshold.begin(), s.threshold.begin() + s.n, -std::numeric_limits<float>::infinity());
  s.tile.assign(kQueryRows * kColumnRows, 0);
}

KnnBuild::~KnnBuild() = default;

bool KnnBuild::step(size_t maxRows) {
  State& s = *state_;
  const size_t target = maxRows == 0 ? s.n : std::min(s.n, s.done + maxRows);
  while (s.done < target) s.queryBlock();
  return finished();
}

bool KnnBuild::finished() const { return state_->done == state_->n; }
size_t KnnBuild::done() const { return state_->done; }
size_t KnnBuild::size() const { return state_->n; }
size_t KnnBuild::k() const { return state_->k; }

KnnGraph KnnBuild::take() {
  State& s = *state_;
  if (!finished()) {
    fail(ErrorCode::BadArgument, "k-NN: the graph is not finished (" + std::to_string(s.done) + " of " +
                                     std::to_string(s.n) + " rows done)");
  }
  if (s.taken) fail(ErrorCode::BadArgument, "k-NN: the graph was already taken");
  s.taken = true;
  KnnGraph graph;
  graph.points = s.n;
  graph.k = s.k;
  graph.neighbors.resize(s.n * s.k);
  graph.cosines.resize(s.n * s.k);
  std::vector<std::pair<float, uint32_t>> ranked(s.candidates);
  for (size_t i = 0; i < s.n; ++i) {
    const uint32_t* p = s.candidatePosition.data() + i * s.candidates;
    for (size_t c = 0; c < s.candidates; ++c) ranked[c] = {s.rows.floatCosine(i, p[c]), p[c]};
    std::partial_sort(ranked.begin(), ranked.begin() + s.k, ranked.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    for (size_t c = 0; c < s.k; ++c) {
      graph.neighbors[i * s.k + c] = ranked[c].second;
      graph.cosines[i * s.k + c] = ranked[c].first;
    }
  }
  // The candidate lists are no longer needed; free them with the codes.
  s.candidateCosine = {};
  s.candidatePosition = {};
  return graph;
}

KnnGraph knnGraph(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                  std::vector<uint32_t> ids, size_t k) {
  KnnBuild build(std::move(table), std::move(space), std::move(ids), k);
  build.step(0);
  return build.take();
}

}  // namespace explorer
