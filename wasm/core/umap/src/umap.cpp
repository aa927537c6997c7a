#include "explorer/umap.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "explorer/errors.h"
#include "explorer/sampling.h"

namespace explorer {

namespace {

// umap-learn's constants for the smooth k-NN distances.
constexpr int kBisectionSteps = 64;
constexpr double kSumTolerance = 1e-5;
constexpr double kMinScale = 1e-3;  // sigma >= kMinScale * mean distance
constexpr float kClip = 4;          // per-coordinate gradient clip
constexpr double kInitRange = 10;   // the start layout spans [0, 10] per axis
constexpr double kInitNoise = 1e-4;

std::string number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

float clip(float v) { return std::min(kClip, std::max(-kClip, v)); }


double gaussian(SplitMix64& random) {
  const double u1 = 1.0 - double(random.next() >> 11) * (1.0 / 9007199254740992.0);
  const double u2 = double(random.next() >> 11) * (1.0 / 9007199254740992.0);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace

void checkUmapSize(size_t points) {
  if (points > kUmapMaxPoints) {
    fail(ErrorCode::TooLarge,
         "UMAP takes at most " + std::to_string(kUmapMaxPoints) + " points, got " + std::to_string(points));
  }
  if (points < 3) fail(ErrorCode::BadArgument, "UMAP needs at least 3 points, got " + std::to_string(points));
}

void checkUmapOptions(const UmapOptions& o, size_t points) {
  auto finite = [](double v) { return std::isfinite(v); };
  if (o.neighbors < 2 || o.neighbors > 200) {
    fail(ErrorCode::BadArgument, "n_neighbors must be from 2 to 200, got " + std::to_string(o.neighbors));
  }
  if (o.neighbors > points) {
    fail(ErrorCode::BadArgument, "n_neighbors (" + std::to_string(o.neighbors) + ") is more than the " +
                                     std::to_string(points) + " points");
  }
  if (!finite(o.spread) || o.spread <= 0) {
    fail(ErrorCode::BadArgument, "spread must be a positive number, got " + number(o.spread));
  }
  if (!finite(o.minDist) || o.minDist < 0 || o.minDist > o.spread) {
    fail(ErrorCode::BadArgument, "min_dist must be from 0 to spread (" + number(o.spread) + "), got " + number(o.minDist));
  }
  if (o.dims != 2 && o.dims != 3) {
    fail(ErrorCode::BadArgument, "UMAP lays out in 2 or 3 dimensions, got " + std::to_string(o.dims));
  }
  if (o.epochs > 100000) fail(ErrorCode::BadArgument, "epochs must be at most 100000, got " + std::to_string(o.epochs));
  if (!finite(o.negativeSampleRate) || o.negativeSampleRate < 0 || o.negativeSampleRate > 100) {
    fail(ErrorCode::BadArgument, "negative sample rate must be from 0 to 100, got " + number(o.negativeSampleRate));
  }
  if (!finite(o.learningRate) || o.learningRate <= 0) {
    fail(ErrorCode::BadArgument, "learning rate must be a positive number, got " + number(o.learningRate));
  }
  if (!finite(o.repulsionStrength) || o.repulsionStrength < 0) {
    fail(ErrorCode::BadArgument, "repulsion strength must be 0 or more, got " + number(o.repulsionStrength));
  }
}

size_t defaultUmapEpochs(size_t points) { return points <= 10000 ? 500 : 200; }

// Levenberg-Marquardt on the two parameters, from (1, 1) like scipy's
// curve_fit; the residuals are smooth and the fit converges in a few
// dozen steps.
UmapCurve fitUmapCurve(double minDist, double spread) {
  if (!std::isfinite(spread) || spread <= 0) fail(ErrorCode::BadArgument, "spread must be a positive number");
  if (!std::isfinite(minDist) || minDist < 0) fail(ErrorCode::BadArgument, "min_dist must be 0 or more");
  constexpr int kSamples = 300;
  std::vector<double> xs(kSamples), ys(kSamples);
  for (int i = 0; i < kSamples; ++i) {
    xs[i] = 3 * spread * i / (kSamples - 1);
    ys[i] = xs[i] < minDist ? 1.0 : std::exp(-(xs[i] - minDist) / spread);
  }
  auto cost = [&](double a, double b) {
    double sum = 0;
    for (int i = 0; i < kSamples; ++i) {
      const double r = 1.0 / (1.0 + a * std::pow(xs[i], 2 * b)) - ys[i];
      sum += r * r;
    }
    return sum;
  };
  double a = 1, b = 1, lambda = 1e-3;
  double current = cost(a, b);
  for (int iteration = 0; iteration < 500; ++iteration) {
    // Normal equations J^T J d = -J^T r.
    double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    for (int i = 0; i < kSamples; ++i) {
      const double x = xs[i];
      const double p = x > 0 ? std::pow(x, 2 * b) : 0.0;
      const double f = 1.0 / (1.0 + a * p);
      const double r = f - ys[i];
      const double da = -p * f * f;
      const double db = x > 0 ? -a * p * 2 * std::log(x) * f * f : 0.0;
      jaa += da * da, jab += da * db, jbb += db * db, ga += da * r, gb += db * r;
    }
    bool improved = false;
    for (int attempt = 0; attempt < 30 && !improved; ++attempt) {
      const double m00 = jaa * (1 + lambda), m11 = jbb * (1 + lambda), det = m00 * m11 - jab * jab;
      if (det == 0) break;
      const double stepA = -(m11 * ga - jab * gb) / det, stepB = -(m00 * gb - jab * ga) / det;
      const double trial = cost(a + stepA, b + stepB);
      if (std::isfinite(trial) && trial <= current) {
        const bool converged = current - trial <= 1e-15 * std::max(1.0, current) &&
                               std::abs(stepA) < 1e-12 && std::abs(stepB) < 1e-12;
        a += stepA, b += stepB, current = trial, lambda = std::max(lambda / 10, 1e-12), improved = true;
        if (converged) return {a, b};
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  return {a, b};
}

UmapGraph fuzzySimplicialSet(const KnnGraph& graph) {
  const size_t n = graph.points, others = graph.k, k = others + 1;
  if (n < 2 || others == 0 || graph.neighbors.size() != n * others || graph.cosines.size() != n * others) {
    fail(ErrorCode::BadArgument, "the k-NN graph is empty or its arrays do not match its size");
  }
  UmapGraph result;
  result.points = n;
  result.rho.assign(n, 0);
  result.sigma.assign(n, 0);
  // Distances 1 - cos, ascending; the int8 cosines can exceed 1 by a hair.
  std::vector<float> distances(n * others);
  double total = 0;
  for (size_t c = 0; c < n * others; ++c) {
    distances[c] = std::max(0.0f, 1.0f - graph.cosines[c]);
    total += distances[c];
  }
  // Means over k, the point itself (distance 0) counted as umap-learn does.
  const double meanDistance = total / double(n * k);
  const double target = std::log2(double(k));
  for (size_t i = 0; i < n; ++i) {
    const float* d = &distances[i * others];
    double rho = 0;
    for (size_t j = 0; j < others; ++j) {
      if (d[j] > 0) {
        rho = d[j];
        break;
      }
    }
    double lo = 0, hi = std::numeric_limits<double>::infinity(), mid = 1;
    for (int step = 0; step < kBisectionSteps; ++step) {
      double sum = 0;
      for (size_t j = 0; j < others; ++j) {
        const double excess = d[j] - rho;
        sum += excess > 0 ? std::exp(-excess / mid) : 1.0;
      }
      if (std::abs(sum - target) < kSumTolerance) break;
      if (sum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2;
      }
    }
    double rowMean = 0;
    for (size_t j = 0; j < others; ++j) rowMean += d[j];
    rowMean /= double(k);
    const double floor = kMinScale * (rho > 0 ? rowMean : meanDistance);
    result.rho[i] = float(rho);
    result.sigma[i] = float(std::max(mid, floor));
  }
  // Directed memberships, then the fuzzy union a + a' - a a' over the
  // pairs: sort (min, max) keys so each unordered pair meets its mirror.
  struct Directed {
    uint32_t from, to;
    float weight;
  };
  std::vector<Directed> directed;
  directed.reserve(n * others);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < others; ++j) {
      const uint32_t to = graph.neighbors[i * others + j];
      if (to >= n) fail(ErrorCode::BadArgument, "the k-NN graph names a point past its size");
      if (to == i) continue;
      const double excess = distances[i * others + j] - result.rho[i];
      const float w = excess <= 0 || result.sigma[i] == 0 ? 1.0f : float(std::exp(-excess / result.sigma[i]));
      directed.push_back({uint32_t(i), to, w});
    }
  }
  std::vector<Directed> pairs(directed);
  for (Directed& e : pairs) {
    if (e.from > e.to) std::swap(e.from, e.to);
  }
  std::sort(pairs.begin(), pairs.end(), [](const Directed& x, const Directed& y) {
    return x.from != y.from ? x.from < y.from : x.to != y.to ? x.to < y.to : x.weight < y.weight;
  });
  std::vector<Directed> symmetric;
  symmetric.reserve(2 * pairs.size());
  for (size_t p = 0; p < pairs.size();) {
    float w = pairs[p].weight;
    size_t q = p + 1;
    if (q < pairs.size() && pairs[q].from == pairs[p].from && pairs[q].to == pairs[p].to) {
      w = w + pairs[q].weight - w * pairs[q].weight;
      ++q;
    }
    if (w > 0) {
      symmetric.push_back({pairs[p].from, pairs[p].to, w});
      symmetric.push_back({pairs[p].to, pairs[p].from, w});
    }
    p = q;
  }
  std::sort(symmetric.begin(), symmetric.end(),
            [](const Directed& x, const Directed& y) { return x.from != y.from ? x.from < y.from : x.to < y.to; });
  result.heads.reserve(symmetric.size());
  result.tails.reserve(symmetric.size());
  result.weights.reserve(symmetric.size());
  for (const Directed& e : symmetric) {
    result.heads.push_back(e.from);
    result.tails.push_back(e.to);
    result.weights.push_back(e.weight);
  }
  return result;
}

// ---- the run ----------------------------------------------------------

UmapRun::UmapRun(std::unique_ptr<KnnBuild> neighbours, std::vector<float> vectors, size_t dims,
                 const UmapOptions& options)
    : options_(options), build_(std::move(neighbours)), vectors_(std::move(vectors)) {
  if (!build_) fail(ErrorCode::BadArgument, "UMAP needs a k-NN build");
  n_ = build_->size();
  checkInput(dims);
  if (build_->k() + 1 != options_.neighbors) {
    fail(ErrorCode::BadArgument, "the k-NN build has k = " + std::to_string(build_->k()) + ", UMAP with n_neighbors " +
                                     std::to_string(options_.neighbors) + " needs k = n_neighbors - 1");
  }
}

UmapRun::UmapRun(KnnGraph graph, std::vector<float> vectors, size_t dims, const UmapOptions& options)
    : options_(options), vectors_(std::move(vectors)) {
  n_ = graph.points;
  checkInput(dims);
  if (graph.k + 1 != options_.neighbors) {
    fail(ErrorCode::BadArgument, "the k-NN graph has k = " + std::to_string(graph.k) + ", UMAP with n_neighbors " +
                                     std::to_string(options_.neighbors) + " needs k = n_neighbors - 1");
  }
  finishPreparation(graph);
}

void UmapRun::checkInput(size_t dims) {
  checkUmapSize(n_);
  checkUmapOptions(options_, n_);
  if (dims == 0 || vectors_.size() != n_ * dims) {
    fail(ErrorCode::BadArgument, "UMAP input has " + std::to_string(vectors_.size()) + " values, expected " +
                                     std::to_string(n_) + " points x " + std::to_string(dims) + " dims");
  }
  for (float v : vectors_) {
    if (!std::isfinite(v)) fail(ErrorCode::BadData, "UMAP input contains NaN or infinite values");
  }
  inputDims_ = dims;
  curve_ = fitUmapCurve(options_.minDist, options_.spread);
  epochs_ = options_.epochs ? options_.epochs : defaultUmapEpochs(n_);
}

size_t UmapRun::prepared() const {
  if (ready_) return n_;
  return build_ ? build_->done() : 0;
}

bool UmapRun::prepare(size_t maxRows) {
  if (ready_) return true;
  if (build_->step(maxRows)) {
    const KnnGraph graph = build_->take();
    build_.reset();
    finishPreparation(graph);
  }
  return ready_;
}

void UmapRun::finishPreparation(const KnnGraph& graph) {
  UmapGraph fuzzy = fuzzySimplicialSet(graph);
  float maxWeight = 0;
  for (float w : fuzzy.weights) maxWeight = std::max(maxWeight, w);
  // Edges too weak to be sampled even once in the run are dropped, and
  // each kept edge is sampled every maxWeight / w epochs.
  const float threshold = maxWeight / float(epochs_);
  const double negativeRate = options_.negativeSampleRate;
  for (size_t e = 0; e < fuzzy.weights.size(); ++e) {
    const float w = fuzzy.weights[e];
    if (w < threshold || w <= 0) continue;
    heads_.push_back(fuzzy.heads[e]);
    tails_.push_back(fuzzy.tails[e]);
    const double every = double(maxWeight) / double(w);
    epochsPerSample_.push_back(every);
    epochsPerNegative_.push_back(negativeRate > 0 ? every / negativeRate : std::numeric_limits<double>::infinity());
  }
  nextSample_ = epochsPerSample_;
  nextNegative_ = epochsPerNegative_;
  initialise();
  vectors_.clear();
  vectors_.shrink_to_fit();
  ready_ = true;
}

void UmapRun::initialise() {
  const size_t dims = options_.dims;
  SplitMix64 random(options_.seed ^ 0x5D1A3B7C9E2F4061ull);
  y_.assign(n_ * dims, 0);
  if (options_.init == UmapInit::Random) {
    for (float& v : y_) v = float(-kInitRange + 2 * kInitRange * double(random.next() >> 11) / 9007199254740992.0);
  } else {
    // PCA: the top `dims` eigenvectors of the covariance, each signed so
    // its largest projection is positive (a sign convention that does not
    // depend on the eigensolver), scaled to a largest |coordinate| of 10,
    // plus a little noise so duplicate vectors do not start on one spot.
    const size_t d = inputDims_;
    Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> x(vectors_.data(),
                                                                                              long(n_), long(d));
    const Eigen::RowVectorXd mean = x.cast<double>().colwise().mean();
    Eigen::MatrixXd centred = x.cast<double>().rowwise() - mean;
    const Eigen::MatrixXd covariance = (centred.transpose() * centred) / double(n_);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    const size_t components = std::min(dims, d);
    Eigen::MatrixXd basis = Eigen::MatrixXd::Zero(Eigen::Index(d), Eigen::Index(dims));
    for (size_t c = 0; c < components; ++c) basis.col(long(c)) = solver.eigenvectors().col(long(d - 1 - c));
    Eigen::MatrixXd projected = centred * basis;
    for (size_t c = 0; c < components; ++c) {
      Eigen::Index at = 0;
      projected.col(long(c)).cwiseAbs().maxCoeff(&at);
      if (projected(at, long(c)) < 0) projected.col(long(c)) *= -1;
    }
    const double largest = projected.cwiseAbs().maxCoeff();
    const double scale = largest > 0 ? kInitRange / largest : 0;
    for (size_t i = 0; i < n_; ++i) {
      for (size_t c = 0; c < dims; ++c) y_[i * dims + c] = float(projected(long(i), long(c)) * scale + kInitNoise * gaussian(random));
    }
  }
  for (size_t c = 0; c < dims; ++c) {
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (size_t i = 0; i < n_; ++i) lo = std::min(lo, y_[i * dims + c]), hi = std::max(hi, y_[i * dims + c]);
    const float range = hi - lo;
    for (size_t i = 0; i < n_; ++i) y_[i * dims + c] = range > 0 ? float(kInitRange) * (y_[i * dims + c] - lo) / range : 0.0f;
  }
  negativeState_ = options_.seed;
}

size_t UmapRun::step(size_t epochs) {
  if (!ready_) prepare(0);
  const size_t end = std::min(epochs_, epoch_ + std::min(epochs, epochs_));
  while (epoch_ < end) {
    if (options_.dims == 2) {
      runEpoch<2>();
    } else {
      runEpoch<3>();
    }
    ++epoch_;
  }
  return epoch_;
}

// One epoch of optimize_layout_euclidean: every edge due this epoch pulls
// its two ends together, then its head is pushed from random points, as
// many as the negative samples it has fallen behind by.
template <int Dims>
void UmapRun::runEpoch() {
  const double n = double(epoch_);
  // umap-learn updates alpha after each epoch, so epochs 0 and 1 both run
  // at the full rate.
  const float alpha = float(options_.learningRate * (1.0 - double(epoch_ > 0 ? epoch_ - 1 : 0) / double(epochs_)));
  const float a = float(curve_.a), b = float(curve_.b);
  const float attract = -2.0f * a * b;
  const float repel = float(2.0 * options_.repulsionStrength) * b;
  float* y = y_.data();
  SplitMix64 random(negativeState_);
  const size_t edges = heads_.size();
  const uint64_t points = n_;
  for (size_t e = 0; e < edges; ++e) {
    if (nextSample_[e] > n) continue;
    const uint32_t head = heads_[e];
    float* current = y + size_t(head) * Dims;
    float* other = y + size_t(tails_[e]) * Dims;
    float d2 = 0;
    for (int c = 0; c < Dims; ++c) d2 += (current[c] - other[c]) * (current[c] - other[c]);
    if (d2 > 0) {
      const float powered = std::pow(d2, b);
      const float coefficient = attract * powered / (d2 * (a * powered + 1.0f));
      for (int c = 0; c < Dims; ++c) {
        const float g = clip(coefficient * (current[c] - other[c])) * alpha;
        current[c] += g;
        other[c] -= g;
      }
    }
    nextSample_[e] += epochsPerSample_[e];
    const double behind = (n - nextNegative_[e]) / epochsPerNegative_[e];
    const size_t negatives = behind > 0 ? size_t(behind) : 0;
    for (size_t s = 0; s < negatives; ++s) {
      // Lemire's multiply-shift: uniform enough, and no 64-bit division.
      const uint32_t k = uint32_t(((random.next() >> 32) * points) >> 32);
      const float* away = y + size_t(k) * Dims;
      float dn = 0;
      for (int c = 0; c < Dims; ++c) dn += (current[c] - away[c]) * (current[c] - away[c]);
      if (dn > 0) {
        const float coefficient = repel / ((0.001f + dn) * (a * std::pow(dn, b) + 1.0f));
        for (int c = 0; c < Dims; ++c) current[c] += clip(coefficient * (current[c] - away[c])) * alpha;
      } else if (k != head) {
        // Another point on the same spot has no direction to push along;
        // umap-learn moves by the clip in every coordinate to split them.
        for (int c = 0; c < Dims; ++c) current[c] += kClip * alpha;
      }
    }
    if (negatives > 0) nextNegative_[e] += double(negatives) * epochsPerNegative_[e];  // never 0 * inf (no negative sampling)
  }
  negativeState_ = random.next();
}

}  // namespace explorer
