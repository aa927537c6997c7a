// Explorer::projectPca and the principal components behind it (see
// pca_components.h): the layout on any three of the top ten components.
#include <algorithm>
#include <string>

#include "explorer/errors.h"
#include "explorer/explorer.h"
#include "explorer/pca_components.h"

namespace explorer {

PrincipalComponents principalComponents(const Eigen::MatrixXd& covariance, size_t listed) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  const Eigen::Index d = covariance.rows();
  const Eigen::Index keep = std::min<Eigen::Index>(Eigen::Index(listed), d);
  // Rounding can leave tiny negative eigenvalues on a rank-deficient
  // covariance (fewer points than dimensions); they are variance 0.
  const double total = std::max(solver.eigenvalues().cwiseMax(0.0).sum(), 1e-300);
  PrincipalComponents pcs;
  pcs.directions = Eigen::MatrixXd(d, keep);
  pcs.explained.resize(size_t(keep));
  for (Eigen::Index k = 0; k < keep; ++k) {
    pcs.directions.col(k) = solver.eigenvectors().col(d - 1 - k);
    Eigen::Index at;
    pcs.directions.col(k).cwiseAbs().maxCoeff(&at);
    if (pcs.directions(at, k) < 0) pcs.directions.col(k) *= -1;
    pcs.explained[size_t(k)] = float(std::max(0.0, solver.eigenvalues()[d - 1 - k]) / total);
  }
  return pcs;
}

void checkComponents(const std::vector<uint32_t>& components, size_t available) {
  if (components.size() != 3) {
    fail(ErrorCode::BadArgument, "give three principal components, one for each of x, y and z (got " + std::to_string(components.size()) + ")");
  }
  for (uint32_t c : components) {
    if (c >= available) {
      fail(ErrorCode::BadArgument, "principal component " + std::to_string(c) + " (PC" + std::to_string(uint64_t(c) + 1) + ") is not among the " +
                                       std::to_string(available) + " listed: use 0 to " + std::to_string(available - 1) + " (PC1 to PC" +
                                       std::to_string(available) + ")");
    }
  }
  // One component on two axes would draw a diagonal line and count its
  // variance twice in the share the view keeps.
  if (components[0] == components[1] || components[0] == components[2] || components[1] == components[2]) {
    fail(ErrorCode::BadArgument, "x, y and z need three different principal components (got PC" + std::to_string(uint64_t(components[0]) + 1) +
                                     ", PC" + std::to_string(uint64_t(components[1]) + 1) + ", PC" + std::to_string(uint64_t(components[2]) + 1) + ")");
  }
}

Projection Explorer::projectPca(const std::vector<uint32_t>& ids, bool wholeTable, const std::vector<uint32_t>& components) {
  requireRows(ids);
  if (ids.empty()) fail(ErrorCode::EmptyInput, "no words to project");
  const size_t d = space_->dims();
  // Checked before any work: a bad pick costs nothing and changes nothing.
  // A table of one or two dimensions still has x, y and z: the axes it
  // lacks are flat (all 0), as before the picker.
  const size_t listed = std::min(kListedComponents, d);
  checkComponents(components, std::max<size_t>(listed, 3));
  Eigen::MatrixXd points(d, ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::vector<float> u = space_->unitRow(*table_, ids[i]);
    for (size_t k = 0; k < d; ++k) points(Eigen::Index(k), Eigen::Index(i)) = u[k];
  }
  const Eigen::VectorXd centre = points.rowwise().mean();
  const Eigen::MatrixXd centred = points.colwise() - centre;
  const Eigen::MatrixXd covariance =
      wholeTable ? space_->covariance(statistics()) : Eigen::MatrixXd(centred * centred.transpose() / double(ids.size()));
  const PrincipalComponents pcs = principalComponents(covariance);
  Eigen::MatrixXd directions = Eigen::MatrixXd::Zero(d, 3);
  Projection projection;
  projection.explained.assign(3, 0.0f);
  for (size_t axis = 0; axis < 3; ++axis) {
    if (components[axis] >= listed) continue;
    directions.col(Eigen::Index(axis)) = pcs.directions.col(Eigen::Index(components[axis]));
    projection.explained[axis] = pcs.explained[components[axis]];
  }
  projection.componentsExplained = pcs.explained;
  const Eigen::MatrixXd coordinates = directions.transpose() * centred;
  projection.coordinates.resize(ids.size() * 3);
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t k = 0; k < 3; ++k) projection.coordinates[i * 3 + k] = float(coordinates(Eigen::Index(k), Eigen::Index(i)));
  }
  return projection;
}

}  // namespace explorer
