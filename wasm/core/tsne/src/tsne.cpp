#include "explorer/tsne.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "explorer/errors.h"
#include "explorer/sampling.h"

namespace explorer {

// Functions called once per iteration are kept out of line: V8 replaces a
// wasm function with its optimised code only on the function's next call,
// so a hot loop inlined into step() would run in the baseline tier for a
// whole step.
#define EXPLORER_HOT __attribute__((noinline))

namespace {

// Four floats: GCC and clang both compile these to SSE natively and to
// SIMD128 in wasm, so one source serves both builds.
typedef float Float4 __attribute__((vector_size(16)));

inline Float4 load4(const float* p) {
  Float4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline Float4 splat4(float s) { return Float4{s, s, s, s}; }
inline float sum4(Float4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// 21 bits of `a` spread to every third bit of a 64-bit word.
inline uint64_t spreadBits3(uint32_t a) {
  uint64_t x = a & 0x1fffff;
  x = (x | x << 32) & 0x1f00000000ffffull;
  x = (x | x << 16) & 0x1f0000ff0000ffull;
  x = (x | x << 8) & 0x100f00f00f00f00full;
  x = (x | x << 4) & 0x10c30c30c30c30c3ull;
  x = (x | x << 2) & 0x1249249249249249ull;
  return x;
}

constexpr int kMortonLevels = 21;

inline unsigned octant(uint64_t code, int level) { return unsigned(code >> (3 * level)) & 7u; }

// Repulsion of each point of one group against its interaction list
// (entries padded to a multiple of 4 with mass 0), in which the group's
// own points sit at [own, own + count). Returns the group's share of Z.
EXPLORER_HOT double interactGroup(const float* px, const float* py, const float* pz, size_t count,
                                  const float* lx, const float* ly, const float* lz, float* lm, size_t listSize,
                                  size_t own, float* fx, float* fy, float* fz) {
  double z = 0;
  const Float4 one = splat4(1.0f);
  for (size_t p = 0; p < count; ++p) {
    // A point does not repel itself: its own entry weighs nothing while
    // it is evaluated (subtracting w = 1 afterwards would cost precision
    // when the other terms are small).
    lm[own + p] = 0;
    const Float4 x = splat4(px[p]), y = splat4(py[p]), zz = splat4(pz[p]);
    Float4 sumW = splat4(0), sumX = splat4(0), sumY = splat4(0), sumZ = splat4(0);
    for (size_t e = 0; e < listSize; e += 4) {
      const Float4 dx = x - load4(lx + e), dy = y - load4(ly + e), dz = zz - load4(lz + e);
      const Float4 w = one / (one + dx * dx + dy * dy + dz * dz);
      const Float4 mw = load4(lm + e) * w;
      sumW += mw;
      const Float4 mw2 = mw * w;
      sumX += mw2 * dx;
      sumY += mw2 * dy;
      sumZ += mw2 * dz;
    }
    lm[own + p] = 1;
    fx[p] = sum4(sumX);
    fy[p] = sum4(sumY);
    fz[p] = sum4(sumZ);
    z += double(sum4(sumW));
  }
  return z;
}

// forces[i] = sum_j P_ij w_ij (y_i - y_j) over the sparse P, four
// entries of a row at a time (one vector division instead of four).
EXPLORER_HOT void attractiveForces(size_t n, const uint32_t* rows, const uint32_t* columns, const float* values,
                                   const float* y, float* forces) {
  const Float4 one = splat4(1.0f);
  for (size_t i = 0; i < n; ++i) {
    const float xi = y[3 * i], yi = y[3 * i + 1], zi = y[3 * i + 2];
    const Float4 x4 = splat4(xi), y4 = splat4(yi), z4 = splat4(zi);
    Float4 sumX = splat4(0), sumY = splat4(0), sumZ = splat4(0);
    uint32_t e = rows[i];
    const uint32_t end = rows[i + 1];
    for (; e + 4 <= end; e += 4) {
      const float* a = y + 3 * columns[e];
      const float* b = y + 3 * columns[e + 1];
      const float* c = y + 3 * columns[e + 2];
      const float* d = y + 3 * columns[e + 3];
      const Float4 dx = x4 - Float4{a[0], b[0], c[0], d[0]};
      const Float4 dy = y4 - Float4{a[1], b[1], c[1], d[1]};
      const Float4 dz = z4 - Float4{a[2], b[2], c[2], d[2]};
      const Float4 pw = load4(values + e) / (one + dx * dx + dy * dy + dz * dz);
      sumX += pw * dx;
      sumY += pw * dy;
      sumZ += pw * dz;
    }
    float fx = sum4(sumX), fy = sum4(sumY), fz = sum4(sumZ);
    for (; e < end; ++e) {
      const uint32_t j = columns[e];
      const float dx = xi - y[3 * j], dy = yi - y[3 * j + 1], dz = zi - y[3 * j + 2];
      const float pw = values[e] / (1.0f + dx * dx + dy * dy + dz * dz);
      fx += pw * dx;
      fy += pw * dy;
      fz += pw * dz;
    }
    forces[3 * i] = fx;
    forces[3 * i + 1] = fy;
    forces[3 * i + 2] = fz;
  }
}

// The layout is never let shrink below this root-mean-square radius (the
// scale of the random start). Early exaggeration contracts every mode of
// the layout that is not a strong cluster; on weakly clustered data (word
// vectors) the whole layout shrinks geometrically, by 1e-40 and more over
// 250 iterations, until float32 squares underflow and the octree cannot
// split it. While every distance is this small, w = 1 / (1 + d^2) is 1 to
// float precision and the update is linear in the positions, so scaling
// positions and velocities together changes nothing but the units.
constexpr double kMinRadius = 1e-4;

// Momentum descent with delta-bar-delta gains, then re-centring.
EXPLORER_HOT void descend(size_t n, float* y, float* update, float* gains, const float* gradient, float momentum,
                          float learningRate) {
  for (size_t c = 0; c < 3 * n; ++c) {
    // Gains grow while a coordinate keeps moving the same way and shrink
    // when it overshoots (the gradient turns against the last update).
    const bool overshoot = (gradient[c] > 0) == (update[c] > 0);
    gains[c] = overshoot ? std::max(gains[c] * 0.8f, 0.01f) : gains[c] + 0.2f;
    update[c] = momentum * update[c] - learningRate * gains[c] * gradient[c];
    y[c] += update[c];
  }
  double mean[3] = {0, 0, 0};
  for (size_t i = 0; i < n; ++i) {
    for (int d = 0; d < 3; ++d) mean[d] += y[3 * i + d];
  }
  for (int d = 0; d < 3; ++d) mean[d] /= double(n);
  double squares = 0;
  for (size_t i = 0; i < n; ++i) {
    for (int d = 0; d < 3; ++d) {
      y[3 * i + d] -= float(mean[d]);
      squares += double(y[3 * i + d]) * y[3 * i + d];
    }
  }
  const double radius = std::sqrt(squares / double(n));
  if (radius > 0 && radius < kMinRadius) {
    const auto scale = float(kMinRadius / radius);
    for (size_t c = 0; c < 3 * n; ++c) {
      y[c] *= scale;
      update[c] *= scale;
    }
  }
}

// Gaussian conditional p_{j|i} over sorted squared distances d (d[0]
// smallest) with the entropy log(perplexity), by bisection on the
// precision beta. Writes k probabilities summing to 1.
EXPLORER_HOT void calibrateRow(const float* d, size_t k, double logPerplexity, float* p, std::vector<double>& scratch) {
  scratch.resize(k);
  double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
  const double d0 = d[0];
  for (int attempt = 0; attempt < 200; ++attempt) {
    double sum = 0, weighted = 0;
    for (size_t j = 0; j < k; ++j) {
      // Shifted by the smallest distance: the same conditional, no underflow.
      const double shifted = double(d[j]) - d0;
      scratch[j] = std::exp(-beta * shifted);
      sum += scratch[j];
      weighted += shifted * scratch[j];
    }
    const double entropy = std::log(sum) + beta * weighted / sum;
    const double error = entropy - logPerplexity;
    if (std::abs(error) < 1e-5) break;
    if (error > 0) {
      lo = beta;
      beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
  double sum = 0;
  for (size_t j = 0; j < k; ++j) sum += scratch[j];
  for (size_t j = 0; j < k; ++j) p[j] = float(scratch[j] / sum);
}

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Dot products of rows [begin, begin + rows) with every row.
EXPLORER_HOT void gramBlock(const Eigen::Map<const RowMatrix>& x, size_t begin, size_t rows, float* out) {
  Eigen::Map<RowMatrix> gram(out, Eigen::Index(rows), x.rows());
  gram.noalias() = x.middleRows(Eigen::Index(begin), Eigen::Index(rows)) * x.transpose();
}

// The k nearest rows to row i from its dot products g with every row,
// nearest first, ties to the smaller index (so the result is fully
// determined). A max-heap of the best k so far: in a scan of n rows only
// about k ln(n/k) of them beat its top, so nearly every row costs one
// comparison.
EXPLORER_HOT void nearestOfRow(const float* g, const float* squared, size_t n, size_t i, size_t k,
                               std::vector<std::pair<float, uint32_t>>& heap, uint32_t* indices, float* distances) {
  // |a - b|^2 = |a|^2 + |b|^2 - 2 a.b; clamp what rounding takes below 0.
  auto distance = [&](size_t j) { return std::max(0.0f, squared[i] + squared[j] - 2 * g[j]); };
  heap.clear();
  size_t j = 0;
  for (; heap.size() < k; ++j) {
    if (j != i) heap.emplace_back(distance(j), uint32_t(j));
  }
  std::make_heap(heap.begin(), heap.end());
  for (; j < n; ++j) {
    const float d = distance(j);
    // Later rows have larger indices, so a tie with the top never wins.
    if (d < heap.front().first && j != i) {
      std::pop_heap(heap.begin(), heap.end());
      heap.back() = {d, uint32_t(j)};
      std::push_heap(heap.begin(), heap.end());
    }
  }
  std::sort_heap(heap.begin(), heap.end());
  for (size_t c = 0; c < k; ++c) {
    distances[c] = heap[c].first;
    indices[c] = heap[c].second;
  }
}

// Points whose neighbours come from one Gram block (Eigen): the block of
// dot products with every row is about 10 MB at 10,000 points. Blocks are
// always aligned to multiples of this, so the rounding of every dot
// product, and so the layout, does not depend on how prepare() is called.
constexpr size_t kGramBlockRows = 256;

}  // namespace

void checkTsneSize(size_t points) {
  if (points > kTsneMaxPoints) {
    fail(ErrorCode::TooLarge, "t-SNE takes at most " + std::to_string(kTsneMaxPoints) + " points, got " +
                                  std::to_string(points));
  }
  if (points < 2) fail(ErrorCode::BadArgument, "t-SNE needs at least 2 points, got " + std::to_string(points));
}

// ---- Barnes-Hut -------------------------------------------------------

void BarnesHutRepulsion::sortPoints(const float* positions, size_t n) {
  float lo[3], hi[3];
  for (int d = 0; d < 3; ++d) lo[d] = hi[d] = positions[d];
  for (size_t i = 0; i < n; ++i) {
    for (int d = 0; d < 3; ++d) {
      lo[d] = std::min(lo[d], positions[3 * i + d]);
      hi[d] = std::max(hi[d], positions[3 * i + d]);
    }
  }
  const float extent = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]});
  const double scale = extent > 0 ? double((1u << kMortonLevels) - 1) / double(extent) : 0.0;
  keys_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t code = 0;
    for (int d = 0; d < 3; ++d) {
      const double cell = std::min(double((1u << kMortonLevels) - 1), (double(positions[3 * i + d]) - lo[d]) * scale);
      code |= spreadBits3(uint32_t(cell)) << d;
    }
    keys_[i] = {code, uint32_t(i)};
  }
  std::sort(keys_.begin(), keys_.end());
  x_.resize(n);
  y_.resize(n);
  z_.resize(n);
  for (size_t s = 0; s < n; ++s) {
    const uint32_t i = keys_[s].second;
    x_[s] = positions[3 * i];
    y_[s] = positions[3 * i + 1];
    z_[s] = positions[3 * i + 2];
  }
}

uint32_t BarnesHutRepulsion::build(uint32_t first, uint32_t end, int level) {
  const auto index = uint32_t(nodes_.size());
  nodes_.emplace_back();
  boxes_.emplace_back();
  const uint32_t count = end - first;
  double cx = 0, cy = 0, cz = 0;
  float lo[3] = {x_[first], y_[first], z_[first]}, hi[3] = {lo[0], lo[1], lo[2]};
  for (uint32_t s = first; s < end; ++s) {
    cx += x_[s];
    cy += y_[s];
    cz += z_[s];
    lo[0] = std::min(lo[0], x_[s]), hi[0] = std::max(hi[0], x_[s]);
    lo[1] = std::min(lo[1], y_[s]), hi[1] = std::max(hi[1], y_[s]);
    lo[2] = std::min(lo[2], z_[s]), hi[2] = std::max(hi[2], z_[s]);
  }
  Node node;
  node.cx = float(cx / count);
  node.cy = float(cy / count);
  node.cz = float(cz / count);
  node.mass = float(count);
  const float sx = hi[0] - lo[0], sy = hi[1] - lo[1], sz = hi[2] - lo[2];
  node.diagonal2 = sx * sx + sy * sy + sz * sz;
  node.first = first;
  node.count = count;
  const Box box = {{lo[0], lo[1], lo[2]}, {hi[0], hi[1], hi[2]}};
  // Levels where every point falls in the same octant add no node.
  while (count > kLeafSize && level >= 0 && octant(keys_[first].first, level) == octant(keys_[end - 1].first, level)) {
    --level;
  }
  if (count <= kLeafSize || level < 0) {
    node.skip = index + 1;
    nodes_[index] = node;
    boxes_[index] = box;
    return index;
  }
  nodes_[index] = node;
  boxes_[index] = box;
  for (uint32_t start = first; start < end;) {
    const unsigned o = octant(keys_[start].first, level);
    uint32_t stop = start + 1;
    while (stop < end && octant(keys_[stop].first, level) == o) ++stop;
    build(start, stop, level - 1);
    start = stop;
  }
  nodes_[index].skip = uint32_t(nodes_.size());
  return index;
}

double BarnesHutRepulsion::compute(const float* positions, size_t n, double theta, float* forces) {
  sortPoints(positions, n);
  nodes_.clear();
  boxes_.clear();
  build(0, uint32_t(n), kMortonLevels - 1);
  fx_.resize(n);
  fy_.resize(n);
  fz_.resize(n);
  // An interaction list never holds more than every point and every node.
  const size_t capacity = n + nodes_.size() + 4;
  listX_.resize(capacity);
  listY_.resize(capacity);
  listZ_.resize(capacity);
  listMass_.resize(capacity);
  interactions_ = 0;
  const float theta2 = float(theta * theta);
  const auto nodeCount = uint32_t(nodes_.size());
  double z = 0;
  for (uint32_t g = 0; g < nodeCount;) {
    const Node& group = nodes_[g];
    if (group.count > kGroupSize && group.skip != g + 1) {
      ++g;
      continue;
    }
    const Box box = boxes_[g];
    size_t own = 0;
    const size_t listSize = interactionList(box, theta2, g, own);
    interactions_ += listSize * group.count;
    z += interactGroup(x_.data() + group.first, y_.data() + group.first, z_.data() + group.first, group.count,
                       listX_.data(), listY_.data(), listZ_.data(), listMass_.data(), listSize, own,
                       fx_.data() + group.first, fy_.data() + group.first, fz_.data() + group.first);
    g = group.skip;
  }
  for (size_t s = 0; s < n; ++s) {
    const uint32_t i = keys_[s].second;
    forces[3 * i] = fx_[s];
    forces[3 * i + 1] = fy_[s];
    forces[3 * i + 2] = fz_[s];
  }
  return z;
}

EXPLORER_HOT size_t BarnesHutRepulsion::interactionList(const Box& box, float theta2, uint32_t group, size_t& own) {
  const Node* nodes = nodes_.data();
  const auto nodeCount = uint32_t(nodes_.size());
  float* lx = listX_.data();
  float* ly = listY_.data();
  float* lz = listZ_.data();
  float* lm = listMass_.data();
  size_t size = 0;
  for (uint32_t i = 0; i < nodeCount;) {
    const Node& node = nodes[i];
    if (i == group) own = size;
    // Distance from the node's centre of mass to the group's box: the
    // criterion then holds for every point of the group.
    const float dx = std::max(0.0f, std::max(box.lo[0] - node.cx, node.cx - box.hi[0]));
    const float dy = std::max(0.0f, std::max(box.lo[1] - node.cy, node.cy - box.hi[1]));
    const float dz = std::max(0.0f, std::max(box.lo[2] - node.cz, node.cz - box.hi[2]));
    // Nodes holding the group are always opened (for theta <= 1 the
    // criterion cannot hold for them anyway), so the group's own points
    // enter the list exactly once, in their own order, from `own` on.
    const bool holdsGroup = i <= group && group < node.skip;
    if (!holdsGroup && node.diagonal2 < theta2 * (dx * dx + dy * dy + dz * dz)) {
      lx[size] = node.cx;
      ly[size] = node.cy;
      lz[size] = node.cz;
      lm[size] = node.mass;
      ++size;
      i = node.skip;
    } else if (node.skip == i + 1) {
      std::memcpy(lx + size, x_.data() + node.first, node.count * sizeof(float));
      std::memcpy(ly + size, y_.data() + node.first, node.count * sizeof(float));
      std::memcpy(lz + size, z_.data() + node.first, node.count * sizeof(float));
      std::fill(lm + size, lm + size + node.count, 1.0f);
      size += node.count;
      ++i;
    } else {
      ++i;
    }
  }
  while (size % 4) {
    lx[size] = ly[size] = lz[size] = lm[size] = 0;
    ++size;
  }
  return size;
}

double exactRepulsion(const float* positions, size_t n, float* forces) {
  double z = 0;
  for (size_t i = 0; i < n; ++i) {
    double f[3] = {0, 0, 0};
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      double d[3], d2 = 0;
      for (int c = 0; c < 3; ++c) {
        d[c] = double(positions[3 * i + c]) - positions[3 * j + c];
        d2 += d[c] * d[c];
      }
      const double w = 1 / (1 + d2);
      z += w;
      for (int c = 0; c < 3; ++c) f[c] += w * w * d[c];
    }
    for (int c = 0; c < 3; ++c) forces[3 * i + c] = float(f[c]);
  }
  return z;
}

// ---- TsneRun ----------------------------------------------------------

TsneRun::TsneRun(const std::vector<float>& data, size_t dims, const TsneOptions& options) : options_(options) {
  if (dims == 0) fail(ErrorCode::BadArgument, "t-SNE input has no dimensions");
  if (data.size() % dims != 0) {
    fail(ErrorCode::BadArgument, "t-SNE input has " + std::to_string(data.size()) + " values, not a multiple of " +
                                     std::to_string(dims) + " dimensions");
  }
  n_ = data.size() / dims;
  dims_ = dims;
  checkTsneSize(n_);
  for (float v : data) {
    if (!std::isfinite(v)) fail(ErrorCode::BadData, "t-SNE input contains NaN or infinite values");
  }
  auto finite = [](double v) { return std::isfinite(v); };
  if (!finite(options.perplexity) || options.perplexity <= 0) {
    fail(ErrorCode::BadArgument, "perplexity must be a positive number, got " + std::to_string(options.perplexity));
  }
  if (!finite(options.theta) || options.theta < 0 || options.theta > 1) {
    fail(ErrorCode::BadArgument, "theta must be between 0 and 1, got " + std::to_string(options.theta));
  }
  if (!finite(options.learningRate) || options.learningRate < 0) {
    fail(ErrorCode::BadArgument, "learning rate must be positive (or 0 for automatic)");
  }
  if (!finite(options.earlyExaggeration) || options.earlyExaggeration < 1) {
    fail(ErrorCode::BadArgument, "early exaggeration must be at least 1");
  }
  for (double m : {options.initialMomentum, options.finalMomentum}) {
    if (!finite(m) || m < 0 || m >= 1) fail(ErrorCode::BadArgument, "momentum must be in [0, 1)");
  }
  if (options.dims != 2 && options.dims != 3) {
    fail(ErrorCode::BadArgument, "t-SNE lays out in 2 or 3 dimensions, got " + std::to_string(options.dims));
  }
  perplexity_ = std::max(1.0, std::min(options.perplexity, double(n_ - 1) / 3));
  k_ = std::min(n_ - 1, std::max<size_t>(1, size_t(3 * perplexity_)));
  learningRate_ = options.learningRate > 0 ? options.learningRate
                                           : std::max(200.0, double(n_) / options.earlyExaggeration);

  data_ = data;
  const Eigen::Map<const RowMatrix> x(data_.data(), Eigen::Index(n_), Eigen::Index(dims_));
  squaredNorms_.resize(n_);
  Eigen::Map<Eigen::VectorXf>(squaredNorms_.data(), Eigen::Index(n_)) = x.rowwise().squaredNorm();
  neighbour_.resize(n_ * k_);
  conditional_.resize(n_ * k_);

  // A seeded start in a tiny Gaussian ball (standard deviation 1e-4).
  SplitMix64 random(options.seed);
  auto uniform = [&] { return double(random.next() >> 11) * (1.0 / 9007199254740992.0); };
  y_.resize(3 * n_);
  for (float& v : y_) {
    const double u1 = 1.0 - uniform(), u2 = uniform();
    v = float(1e-4 * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }
  // The same draws as in 3D for x and y, so a seed means the same start.
  if (options.dims == 2) {
    for (size_t i = 0; i < n_; ++i) y_[3 * i + 2] = 0.0f;
  }
  update_.assign(3 * n_, 0.0f);
  gains_.assign(3 * n_, 1.0f);
  gradient_.resize(3 * n_);
  attractive_.resize(3 * n_);
  repulsive_.resize(3 * n_);
}

bool TsneRun::prepare(size_t maxPoints) {
  if (ready_) return true;
  const Eigen::Map<const RowMatrix> x(data_.data(), Eigen::Index(n_), Eigen::Index(dims_));
  std::vector<std::pair<float, uint32_t>> heap;
  heap.reserve(k_);
  std::vector<float> row(k_);
  std::vector<double> scratch;
  const double logPerplexity = std::log(perplexity_);
  const size_t end = std::min(n_, prepared_ + maxPoints);
  for (; prepared_ < end; ++prepared_) {
    const size_t i = prepared_;
    if (i >= gramFirst_ + gramRows_ || gram_.empty()) {
      gramFirst_ = i - i % kGramBlockRows;
      gramRows_ = std::min(kGramBlockRows, n_ - gramFirst_);
      gram_.resize(gramRows_ * n_);
      gramBlock(x, gramFirst_, gramRows_, gram_.data());
    }
    nearestOfRow(gram_.data() + (i - gramFirst_) * n_, squaredNorms_.data(), n_, i, k_, heap,
                 neighbour_.data() + i * k_, row.data());
    calibrateRow(row.data(), k_, logPerplexity, conditional_.data() + i * k_, scratch);
  }
  if (prepared_ == n_) symmetrise();
  return ready_;
}

void TsneRun::symmetrise() {
  // P_ij = (p_{j|i} + p_{i|j}) / sum, both directions stored.
  std::vector<uint32_t> start(n_ + 1, 0);
  for (size_t i = 0; i < n_; ++i) {
    start[i + 1] += uint32_t(k_);
    for (size_t c = 0; c < k_; ++c) ++start[neighbour_[i * k_ + c] + 1];
  }
  for (size_t i = 0; i < n_; ++i) start[i + 1] += start[i];
  std::vector<std::pair<uint32_t, float>> entries(start[n_]);
  std::vector<uint32_t> fill(start.begin(), start.end() - 1);
  for (size_t i = 0; i < n_; ++i) {
    for (size_t c = 0; c < k_; ++c) {
      const uint32_t j = neighbour_[i * k_ + c];
      const float p = conditional_[i * k_ + c];
      entries[fill[i]++] = {j, p};
      entries[fill[j]++] = {uint32_t(i), p};
    }
  }
  pRows_.assign(1, 0);
  pColumns_.clear();
  pValues_.clear();
  double total = 0;
  for (size_t i = 0; i < n_; ++i) {
    std::sort(entries.begin() + start[i], entries.begin() + start[i + 1],
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (uint32_t e = start[i]; e < start[i + 1]; ++e) {
      if (!pColumns_.empty() && pRows_.back() < pColumns_.size() && pColumns_.back() == entries[e].first) {
        pValues_.back() += entries[e].second;
      } else {
        pColumns_.push_back(entries[e].first);
        pValues_.push_back(entries[e].second);
      }
      total += entries[e].second;
    }
    pRows_.push_back(uint32_t(pColumns_.size()));
  }
  for (float& p : pValues_) p = float(p / total);
  // The input and the preparation buffers are not needed any more.
  for (auto* buffer : {&data_, &squaredNorms_, &gram_, &conditional_}) std::vector<float>().swap(*buffer);
  std::vector<uint32_t>().swap(neighbour_);
  ready_ = true;
}

void TsneRun::computeGradient(double exaggeration) {
  attractiveForces(n_, pRows_.data(), pColumns_.data(), pValues_.data(), y_.data(), attractive_.data());
  const double z = repulsion_.compute(y_.data(), n_, options_.theta, repulsive_.data());
  const float a = float(exaggeration), r = float(1 / z);
  for (size_t c = 0; c < 3 * n_; ++c) gradient_[c] = a * attractive_[c] - r * repulsive_[c];
}

size_t TsneRun::step(size_t iterations) {
  prepare(n_);
  for (size_t s = 0; s < iterations; ++s) {
    const bool early = iteration_ < options_.exaggerationIterations;
    computeGradient(early ? options_.earlyExaggeration : 1.0);
    const double momentum = iteration_ < options_.momentumSwitch ? options_.initialMomentum : options_.finalMomentum;
    descend(n_, y_.data(), update_.data(), gains_.data(), gradient_.data(), float(momentum), float(learningRate_));
    ++iteration_;
  }
  return iteration_;
}

double TsneRun::klDivergence() {
  prepare(n_);
  const double z = repulsion_.compute(y_.data(), n_, options_.theta, repulsive_.data());
  // KL = sum P log P - sum P log w + log Z, since sum P = 1.
  double kl = std::log(z);
  for (size_t i = 0; i < n_; ++i) {
    for (uint32_t e = pRows_[i]; e < pRows_[i + 1]; ++e) {
      const uint32_t j = pColumns_[e];
      const double p = pValues_[e];
      if (p <= 0) continue;
      double d2 = 0;
      for (int c = 0; c < 3; ++c) {
        const double d = double(y_[3 * i + c]) - y_[3 * j + c];
        d2 += d * d;
      }
      kl += p * (std::log(p) + std::log1p(d2));
    }
  }
  return kl;
}

}  // namespace explorer
