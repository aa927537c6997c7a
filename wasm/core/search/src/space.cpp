#include "explorer/space.h"

#include <algorithm>
#include <cmath>

#include "explorer/errors.h"

namespace explorer {

SpaceSpec SpaceSpec::parse(const std::string& text, size_t dims) {
  SpaceSpec spec;
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  int number = -1;
  if (colon != std::string::npos) {
    const std::string digits = text.substr(colon + 1);
    const bool allDigits = std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits.empty() || digits.size() > 6 || !allDigits) {
      fail(ErrorCode::BadArgument, "space \"" + text + "\": expected a whole number after ':'");
    }
    number = std::stoi(digits);
  }
  auto noNumber = [&] {
    if (number >= 0) fail(ErrorCode::BadArgument, "space \"" + name + "\" takes no number");
  };
  if (name == "raw") { noNumber(); spec.kind = Kind::Raw; }
  else if (name == "centered" || name == "centred") { noNumber(); spec.kind = Kind::Centered; }
  else if (name == "zca") { noNumber(); spec.kind = Kind::Zca; }
  else if (name == "whitened") {
    spec.kind = Kind::Whitened;
    spec.components = number < 0 ? 0 : number;
    if (number == 0 || number > int(dims)) {
      fail(ErrorCode::BadArgument, "whitened:K needs 1 <= K <= " + std::to_string(dims));
    }
  } else if (name == "abtt") {
    spec.kind = Kind::AllButTheTop;
    spec.components = number < 0 ? 3 : number;  // Mu & Viswanath suggest about d/100
    if (spec.components >= int(dims)) {
      fail(ErrorCode::BadArgument, "abtt:D needs 0 <= D < " + std::to_string(dims));
    }
  } else {
    fail(ErrorCode::BadArgument,
         "unknown space \"" + text + "\" (expected raw, centered, whitened[:K], zca or abtt:D)");
  }
  return spec;
}

std::string SpaceSpec::toString() const {
  switch (kind) {
    case Kind::Raw: return "raw" + layers;
    case Kind::Centered: return "centered" + layers;
    case Kind::Whitened: return (components ? "whitened:" + std::to_string(components) : "whitened") + layers;
    case Kind::Zca: return "zca" + layers;
    case Kind::AllButTheTop: return "abtt:" + std::to_string(components) + layers;
  }
  return "raw" + layers;
}

TableStatistics TableStatistics::compute(const EmbeddingTable& table) {
  const size_t n = table.rows(), d = table.dims();
  TableStatistics s;
  s.mean = Eigen::VectorXd::Zero(d);
  std::vector<float> row(d);
  for (size_t i = 0; i < n; ++i) {
    table.vector(i, row.data());
    for (size_t k = 0; k < d; ++k) s.mean[k] += row[k];
  }
  s.mean /= double(n);
  // Covariance of (x - mean): float blocks through Eigen's rank update
  // (half the work of a full X^T X), summed into double. A block of 2048
  // rows keeps the float partial sums' relative error near 2048 * 6e-8;
  // centring first avoids the cancellation of E[xx^T] - mm^T on tables
  // whose mean dominates (transformer embeddings).
  constexpr size_t kBlock = 2048;
  const Eigen::VectorXf meanF = s.mean.cast<float>();
  Eigen::MatrixXf centered(d, kBlock);
  Eigen::MatrixXf partial(d, d);
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(d, d);
  for (size_t start = 0; start < n; start += kBlock) {
    const size_t count = std::min(kBlock, n - start);
    for (size_t i = 0; i < count; ++i) {
      table.vector(start + i, centered.col(i).data());
      centered.col(i) -= meanF;
    }
    partial.setZero();
    partial.selfadjointView<Eigen::Lower>().rankUpdate(centered.leftCols(count));
    sum.triangularView<Eigen::Lower>() += partial.cast<double>();
  }
  s.covariance = sum.selfadjointView<Eigen::Lower>();
  s.covariance /= double(n);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(s.covariance);
  if (solver.info() != Eigen::Success) fail(ErrorCode::BadData, "eigen-decomposition of the covariance failed");
  // Eigen returns ascending order; everything downstream wants the top first.
  s.eigenvalues = solver.eigenvalues().reverse();
  s.eigenvectors = solver.eigenvectors().rowwise().reverse();
  for (Eigen::Index k = 0; k < s.eigenvalues.size(); ++k) s.eigenvalues[k] = std::max(0.0, s.eigenvalues[k]);
  return s;
}

std::vector<float> quantizeQueries(const float* values, size_t count, size_t dims, size_t paddedDims,
                                   std::vector<int16_t>& codes) {
  const int32_t limit = kernels::queryCodeLimit(paddedDims / 2);
  codes.assign(count * paddedDims, 0);
  std::vector<float> scales(count, 0.0f);
  for (size_t q = 0; q < count; ++q) {
    const float* v = values + q * dims;
    float maxAbs = 0;
    for (size_t k = 0; k < dims; ++k) maxAbs = std::max(maxAbs, std::fabs(v[k]));
    if (!(maxAbs > 0) || !std::isfinite(maxAbs)) continue;  // zero query: all dots 0
    scales[q] = maxAbs / float(limit);
    const float inv = float(limit) / maxAbs;
    for (size_t k = 0; k < dims; ++k) codes[q * paddedDims + k] = static_cast<int16_t>(std::lround(v[k] * inv));
  }
  return scales;
}

namespace {

// The smallest eigenvalue whitening divides by, relative to the largest:
// directions below it carry only quantization noise, and 1/sqrt(0) would
// turn that noise into the dominant direction.
constexpr double kMinRelativeEigenvalue = 1e-6;

Eigen::MatrixXd whiteningMatrix(const TableStatistics& s, size_t keep) {
  const double floor = std::max(s.eigenvalues[0] * kMinRelativeEigenvalue, 1e-30);
  Eigen::MatrixXd w(keep, s.eigenvalues.size());
  for (size_t k = 0; k < keep; ++k) {
    w.row(k) = s.eigenvectors.col(k).transpose() / std::sqrt(std::max(s.eigenvalues[k], floor));
  }
  return w;
}

}  // namespace

Space::Space(const EmbeddingTable& table, SpaceSpec spec, const TableStatistics* stats) : spec_(spec) {
  const size_t n = table.rows(), d = table.dims();
  inDims_ = outDims_ = d;
  mean_ = Eigen::VectorXf::Zero(d);
  const size_t padded = table.blockCount() * kernels::kBlockRows;
  rowGain_.assign(padded, 0.0f);
  rowBias_.assign(padded, 0.0f);
  if (spec.kind == SpaceSpec::Kind::Raw) {
    for (size_t i = 0; i < n; ++i) rowGain_[i] = table.scale(i);
    return;
  }
  if (!stats) fail(ErrorCode::BadArgument, "space " + spec.toString() + " needs the table statistics");
  mean_ = stats->mean.cast<float>();

  // normQueries: rows q_j whose dot with each x_i gives |y_i|^2 through squaredNorm.
  Eigen::MatrixXd normQueries;
  Eigen::VectorXd normOffsets;  // q_j . mu
  switch (spec.kind) {
    case SpaceSpec::Kind::Centered:
      normQueries = stats->mean.transpose();
      break;
    case SpaceSpec::Kind::Whitened:
    case SpaceSpec::Kind::Zca: {
      const size_t keep = spec.kind == SpaceSpec::Kind::Whitened && spec.components ? spec.components : d;
      normQueries = whiteningMatrix(*stats, keep);
      if (spec.kind == SpaceSpec::Kind::Whitened) {
        projection_ = normQueries.cast<float>();
        outDims_ = keep;
      } else {
        // ZCA rotates PCA whitening back into the original axes; the
        // rotation keeps norms, so the PCA rows serve for |y_i|.
        projection_ = (stats->eigenvectors * normQueries).cast<float>();
      }
      break;
    }
    case SpaceSpec::Kind::AllButTheTop: {
      const size_t removed = spec.components;
      normQueries.resize(removed + 1, d);
      normQueries.row(0) = stats->mean.transpose();
      for (size_t k = 0; k < removed; ++k) normQueries.row(k + 1) = stats->eigenvectors.col(k).transpose();
      Eigen::MatrixXd top = stats->eigenvectors.leftCols(removed);
      projection_ = (Eigen::MatrixXd::Identity(d, d) - top * top.transpose()).cast<float>();
      break;
    }
    case SpaceSpec::Kind::Raw: break;
  }
  normOffsets = normQueries * stats->mean;
  const double meanSquared = stats->mean.squaredNorm();

  const size_t m = normQueries.rows();
  std::vector<float> queryValues(m * d);
  for (size_t j = 0; j < m; ++j) {
    for (size_t k = 0; k < d; ++k) queryValues[j * d + k] = float(normQueries(j, k));
  }
  std::vector<int16_t> codes;
  const std::vector<float> scales = quantizeQueries(queryValues.data(), m, d, table.paddedDims(), codes);
  const SpaceSpec::Kind kind = spec.kind;
  std::vector<double> projected(m);
  scanTable(table, codes.data(), m, [&](size_t first, size_t rows, const int32_t* dots, size_t stride) {
    for (size_t r = 0; r < rows; ++r) {
      const size_t i = first + r;
      const double w = double(table.norm(i)) * table.scale(i);  // x_i = w * codes_i
      for (size_t j = 0; j < m; ++j) projected[j] = w * scales[j] * dots[j * stride + r];
      const double norm2 = double(table.norm(i)) * table.norm(i);
      double y2 = 0;
      if (kind == SpaceSpec::Kind::Centered) {
        y2 = norm2 - 2 * projected[0] + meanSquared;
      } else if (kind == SpaceSpec::Kind::AllButTheTop) {
        y2 = norm2 - 2 * projected[0] + meanSquared;
        for (size_t j = 1; j < m; ++j) y2 -= (projected[j] - normOffsets[j]) * (projected[j] - normOffsets[j]);
      } else {
        for (size_t j = 0; j < m; ++j) y2 += (projected[j] - normOffsets[j]) * (projected[j] - normOffsets[j]);
      }
      // A row that the transform maps (almost) to zero has no direction;
      // treat it like a zero row rather than dividing quantization noise.
      if (!(y2 > 1e-10 * (norm2 + meanSquared))) continue;
      const double inv = 1.0 / std::sqrt(y2);
      rowGain_[i] = float(w * inv);
      rowBias_[i] = float(inv);
    }
  });
}

void Space::transform(const float* x, float* y) const {
  Eigen::Map<const Eigen::VectorXf> in(x, inDims_);
  Eigen::Map<Eigen::VectorXf> out(y, outDims_);
  if (projection_.size() == 0) {
    out = in - mean_;
  } else {
    out.noalias() = projection_ * (in - mean_);
  }
}

std::vector<float> Space::unitRow(const EmbeddingTable& table, uint32_t row) const {
  std::vector<float> x(inDims_), y(outDims_);
  table.vector(row, x.data());
  transform(x.data(), y.data());
  Eigen::Map<Eigen::VectorXf> v(y.data(), outDims_);
  const float n = v.norm();
  if (n > 0) v /= n;
  return y;
}

MappedQueries Space::mapQueries(const float* t, size_t count, size_t paddedDims) const {
  MappedQueries mapped;
  mapped.count = count;
  std::vector<float> v(count * inDims_);
  std::vector<float> tNorm(count);
  for (size_t q = 0; q < count; ++q) {
    Eigen::Map<const Eigen::VectorXf> tq(t + q * outDims_, outDims_);
    Eigen::Map<Eigen::VectorXf> vq(v.data() + q * inDims_, inDims_);
    if (projection_.size() == 0) vq = tq;
    else vq.noalias() = projection_.transpose() * tq;
    tNorm[q] = tq.norm();
  }
  mapped.codeScale = quantizeQueries(v.data(), count, inDims_, paddedDims, mapped.codes);
  mapped.gain.resize(count);
  mapped.bias.resize(count);
  for (size_t q = 0; q < count; ++q) {
    // mu . v uses the quantized v so bias and dots describe the same vector.
    double muDotV = 0;
    for (size_t k = 0; k < inDims_; ++k) muDotV += double(mean_[k]) * mapped.codes[q * paddedDims + k];
    muDotV *= mapped.codeScale[q];
    const float invNorm = tNorm[q] > 0 ? 1.0f / tNorm[q] : 0.0f;
    mapped.gain[q] = mapped.codeScale[q] * invNorm;
    mapped.bias[q] = float(-muDotV * invNorm);
  }
  return mapped;
}

Eigen::MatrixXd Space::covariance(const TableStatistics& statistics) const {
  if (projection_.size() == 0) return statistics.covariance;
  const Eigen::MatrixXd p = projection_.cast<double>();
  return p * statistics.covariance * p.transpose();
}

}  // namespace explorer
