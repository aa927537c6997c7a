// A space with one direction projected out ("neutralised", Bolukbasi et
// al. 2016), layered over any other space.
//
// With y = P (x - mu) the base space and d a unit direction in it, the
// neutralised vectors are y' = (I - d d^T) y, so P' = (I - d d^T) P with the
// same mu and everything else (mapQueries, transform, covariance) works
// unchanged. Only the per-row factors need |y'_i|:
//   |y'_i|^2 = |y_i|^2 - (d . y_i)^2,
// where |y_i| = w_i / rowGain_i comes from the base's own factors (w_i is
// the row's raw scale, |x_i| / |codes_i|) and d . y_i = (P^T d) . (x_i - mu)
// is one float dot product per row: no new pass of the covariance, and
// no copy of the table.
#include <cmath>

#include "explorer/errors.h"
#include "explorer/space.h"

namespace explorer {

Space::Space(const EmbeddingTable& table, const Space& base, const std::vector<float>& direction,
             const std::string& layer)
    : spec_(base.spec_), inDims_(base.inDims_), outDims_(base.outDims_), mean_(base.mean_) {
  if (direction.size() != outDims_) {
    fail(ErrorCode::BadArgument, "the neutralised direction has " + std::to_string(direction.size()) +
                                     " values; the space has " + std::to_string(outDims_) + " dimensions");
  }
  Eigen::VectorXf d = Eigen::Map<const Eigen::VectorXf>(direction.data(), Eigen::Index(outDims_));
  const float length = d.norm();
  if (!(length > 0) || !std::isfinite(length)) fail(ErrorCode::BadArgument, "the neutralised direction is zero");
  d /= length;
  spec_.layers += layer;
  const Eigen::MatrixXf remover = Eigen::MatrixXf::Identity(Eigen::Index(outDims_), Eigen::Index(outDims_)) - d * d.transpose();
  projection_ = base.projection_.size() == 0 ? remover : Eigen::MatrixXf(remover * base.projection_);
  // d . y_i = back . x_i - back . mu, with back = P^T d in raw coordinates.
  const Eigen::VectorXf back = base.projection_.size() == 0 ? d : Eigen::VectorXf(base.projection_.transpose() * d);
  const double offset = double(back.dot(mean_));

  const size_t n = table.rows();
  rowGain_.assign(base.rowGain_.size(), 0.0f);
  rowBias_.assign(base.rowBias_.size(), 0.0f);
  std::vector<float> x(inDims_);
  for (size_t i = 0; i < n; ++i) {
    if (!(base.rowGain_[i] > 0)) continue;  // a zero row of the base stays zero
    const double w = double(table.norm(i)) * table.scale(i);
    const double y = w / base.rowGain_[i];
    table.vector(i, x.data());
    double along = -offset;
    for (size_t k = 0; k < inDims_; ++k) along += double(back[Eigen::Index(k)]) * x[k];
    const double y2 = y * y - along * along;
    // A row (almost) along d has nothing left: treat it as a zero row
    // rather than divide rounding noise.
    if (!(y2 > 1e-8 * y * y)) continue;
    const double inv = 1.0 / std::sqrt(y2);
    rowGain_[i] = float(w * inv);
    rowBias_[i] = float(inv);
  }
}

}  // namespace explorer
