// Principal components for the PCA layouts: the top components of a
// covariance, largest variance first, with the share of the total variance
// each explains. The page's component picker lists PC1..PC10 and lays the
// points out on any three of them, as the Embedding Projector does.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace explorer {

// How many components a PCA projection lists for the picker.
constexpr size_t kListedComponents = 10;

struct PrincipalComponents {
  Eigen::MatrixXd directions;  // d x listed unit columns, largest variance first
  std::vector<float> explained;  // share of the total variance, per column
};

// The top min(listed, d) eigenvectors of `covariance`. Eigenvectors have no
// inherent sign; each is turned so its largest coordinate is positive, so a
// view does not flip between runs or between builds.
PrincipalComponents principalComponents(const Eigen::MatrixXd& covariance, size_t listed = kListedComponents);

// Throws BadArgument unless `components` names exactly three different
// (0-based) indices below `available`, e.g. {0, 4, 7} for PC1, PC5 and PC8.
void checkComponents(const std::vector<uint32_t>& components, size_t available);

}  // namespace explorer
