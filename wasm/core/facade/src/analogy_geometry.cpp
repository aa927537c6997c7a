#include "explorer/analogy_geometry.h"

#include <Eigen/Dense>
#include <cmath>
#include <string>

#include "explorer/errors.h"
#include "explorer/search.h"

namespace explorer {

namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

Vector unitOf(const Explorer& e, uint32_t id) {
  const std::vector<float> u = e.unitVector(id);
  Vector v(u.size());
  for (size_t k = 0; k < u.size(); ++k) v[k] = u[k];
  return v;
}

double cosine(const Vector& x, const Vector& y) {
  const double n = x.norm() * y.norm();
  return n > 0 ? x.dot(y) / n : std::numeric_limits<double>::quiet_NaN();
}

// The top three eigenvectors of a symmetric matrix, largest first, with the
// sign fixed (largest component positive) so the view does not flip.
Matrix topThree(const Matrix& covariance, std::vector<float>* explained) {
  Eigen::SelfAdjointEigenSolver<Matrix> solver(covariance);
  const Eigen::Index d = covariance.rows();
  Matrix out = Matrix::Zero(d, 3);
  const double total = std::max(solver.eigenvalues().sum(), 1e-300);
  if (explained) explained->assign(3, 0.0f);
  for (Eigen::Index k = 0; k < std::min<Eigen::Index>(3, d); ++k) {
    out.col(k) = solver.eigenvectors().col(d - 1 - k);
    Eigen::Index at;
    out.col(k).cwiseAbs().maxCoeff(&at);
    if (out(at, k) < 0) out.col(k) *= -1;
    if (explained) (*explained)[k] = float(std::max(0.0, solver.eigenvalues()[d - 1 - k]) / total);
  }
  return out;
}

// The depth axis, orthogonal to the plane. When the points all lie in the
// plane (a, b, c and the point alone) the residual is zero and its
// eigenvectors are arbitrary, so the first basis direction the plane does
// not contain is used instead.
Vector depthAxis(Vector candidate, const Matrix& plane) {
  for (Eigen::Index k = -1; k < plane.rows(); ++k) {
    Vector v = k < 0 ? candidate : Vector(Vector::Unit(plane.rows(), k));
    v -= plane * (plane.transpose() * v);
    if (v.norm() > 1e-3) return v.normalized();
  }
  return Vector::Zero(plane.rows());
}

}  // namespace

AnalogyGeometry analogyGeometry(const Explorer& e, const GeometryRequest& request) {
  if (request.terms.empty()) fail(ErrorCode::EmptyInput, "the computed point needs at least one word");
  const size_t d = e.space().dims();
  AnalogyGeometry out;

  Vector point = Vector::Zero(d);
  double scale = 0;
  for (const GeometryTerm& term : request.terms) {
    point += term.weight * unitOf(e, term.id);
    scale += std::abs(term.weight);
  }
  out.pointNorm = point.norm();
  if (out.pointNorm <= 1e-5 * scale) {
    fail(ErrorCode::ZeroQuery, "the computed point is zero in the " + e.space().spec().toString() +
                                   " space, so it has no nearest word and no direction");
  }
  out.point.resize(d);
  for (size_t k = 0; k < d; ++k) out.point[k] = float(point[k]);

  // The nearest word with nothing excluded: the learner sees how close the
  // point itself comes to any word, before the inputs are skipped.
  Question question;
  question.directions = out.point;
  const std::vector<Scored> nearest = searchBatch(e.table(), e.space(), {question}, 1)[0];
  if (!nearest.empty()) {
    out.nearest = nearest[0].id;
    out.nearestCosine = nearest[0].score;
  }

  const bool haveFirst = request.from != kNoWord && request.to != kNoWord;
  if (haveFirst && request.otherFrom != kNoWord && request.otherTo != kNoWord) {
    out.offsetCosine = cosine(unitOf(e, request.to) - unitOf(e, request.from),
                              unitOf(e, request.otherTo) - unitOf(e, request.otherFrom));
  }

  // The placed points: the words, then the computed point.
  const size_t n = request.ids.size() + 1;
  Matrix points(d, n);
  for (size_t i = 0; i < request.ids.size(); ++i) points.col(i) = unitOf(e, request.ids[i]);
  points.col(n - 1) = point;
  const Vector centre = points.rowwise().mean();

  Matrix axes(d, 3);
  Vector origin = centre;
  out.layout = request.layout;
  if (out.layout == GeometryLayout::Plane) {
    if (!haveFirst || request.otherFrom == kNoWord) {
      out.layout = GeometryLayout::Pca;
    } else {
      const Vector a = unitOf(e, request.from);
      const Vector x = unitOf(e, request.to) - a;
      Vector y = unitOf(e, request.otherFrom) - a;
      y -= x.dot(y) / std::max(x.squaredNorm(), 1e-300) * x;
      // a = b or c on the a→b line: no plane to show, so PCA instead.
      if (x.norm() < 1e-6 || y.norm() < 1e-6) {
        out.layout = GeometryLayout::Pca;
      } else {
        axes.col(0) = x.normalized();
        axes.col(1) = y.normalized();
        Matrix residual = points.colwise() - centre;
        residual -= axes.leftCols(2) * (axes.leftCols(2).transpose() * residual);
        axes.col(2) = depthAxis(topThree(residual * residual.transpose(), nullptr).col(0), axes.leftCols(2));
        // a sits at the origin of the plane; depth is measured from the mean.
        origin = a + axes.col(2) * axes.col(2).dot(centre - a);
      }
    }
  }
  if (out.layout == GeometryLayout::Pca) {
    const Matrix centred = points.colwise() - centre;
    axes = topThree(centred * centred.transpose(), &out.explained);
    origin = centre;
  }
  const Matrix coordinates = axes.transpose() * (points.colwise() - origin);
  out.coordinates.resize(n * 3);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < 3; ++k) out.coordinates[i * 3 + k] = float(coordinates(k, i));
  }
  return out;
}

OffsetConsistency offsetConsistency(const Explorer& e, const std::vector<std::pair<uint32_t, uint32_t>>& pairs) {
  if (pairs.size() < 2) fail(ErrorCode::EmptyInput, "offset consistency needs at least two pairs");
  const size_t d = e.space().dims();
  Matrix offsets(d, pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].first == pairs[i].second) {
      fail(ErrorCode::BadArgument, "pair " + std::to_string(i + 1) + " has the same word at both ends");
    }
    offsets.col(i) = unitOf(e, pairs[i].second) - unitOf(e, pairs[i].first);
  }
  const Vector mean = offsets.rowwise().mean();
  OffsetConsistency out;
  out.meanLength = mean.norm();
  for (size_t i = 0; i < pairs.size(); ++i) {
    out.cosineToMean.push_back(cosine(offsets.col(i), mean));
    out.length.push_back(offsets.col(i).norm());
  }
  return out;
}

}  // namespace explorer
