// Named axes (Explorer::projectAxes): an axis from word pairs is the mean of
// the normalised pair differences, coordinates along it are cosines with
// the unit axis direction, and the axes not given are the PCA of the
// residual. Each is checked against a float32 reference written here.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_tables.h"

namespace explorer {
namespace {

using testing::TestRandom;
using testing::throwsError;

constexpr size_t kRows = 400;
constexpr size_t kDims = 24;

// Anisotropic rows (dimension k scaled by 4 / (1 + k)), so the residual's
// top principal directions are well separated and the power iteration of
// the reference converges to the same ones as the core's eigensolver.
Explorer loaded() {
  TestRandom random(11);
  std::vector<float> values(kRows * kDims);
  for (size_t r = 0; r < kRows; ++r)
    for (size_t k = 0; k < kDims; ++k) values[r * kDims + k] = float(random.gaussian() * 4.0 / (1.0 + k));
  Explorer explorer;
  explorer.load(EmbeddingTable::quantize(values.data(), kRows, kDims, testing::numberedWords(kRows), "anisotropic"));
  return explorer;
}

using Vec = std::vector<float>;

Vec row(const Vec& units, uint32_t id) { return Vec(units.begin() + id * kDims, units.begin() + (id + 1) * kDims); }
float dot(const Vec& a, const Vec& b) { return testing::dotFloat(a.data(), b.data(), kDims); }
Vec scaled(Vec v, float s) {
  for (float& x : v) x *= s;
  return v;
}
Vec normalised(const Vec& v) { return scaled(v, 1.0f / std::sqrt(dot(v, v))); }

// float32 reference of the pair rule: mean over pairs of (u_to - u_from) / |u_to - u_from|.
Vec pairDirection(const Vec& units, const std::vector<uint32_t>& from, const std::vector<uint32_t>& to) {
  Vec sum(kDims, 0.0f);
  for (size_t i = 0; i < from.size(); ++i) {
    Vec offset(kDims);
    for (size_t k = 0; k < kDims; ++k) offset[k] = units[to[i] * kDims + k] - units[from[i] * kDims + k];
    offset = normalised(offset);
    for (size_t k = 0; k < kDims; ++k) sum[k] += offset[k];
  }
  return normalised(sum);
}

std::vector<uint32_t> allIds() {
  std::vector<uint32_t> ids(kRows);
  for (uint32_t i = 0; i < kRows; ++i) ids[i] = i;
  return ids;
}

const std::vector<uint32_t> kFrom = {3, 17, 42, 99, 150};
const std::vector<uint32_t> kTo = {8, 23, 77, 101, 222};

TEST(NamedAxes, PairAxisIsTheMeanOfNormalisedDifferencesInCosineUnits) {
  const Explorer explorer = loaded();
  const std::vector<uint32_t> ids = allIds();
  const Vec units = explorer.unitVectors(ids);
  const Vec direction = pairDirection(units, kFrom, kTo);
  const Projection p = explorer.projectAxes(ids, {Axis{kFrom, kTo, true}});
  ASSERT_EQ(p.coordinates.size(), kRows * 3);
  float worst = 0;
  for (uint32_t i = 0; i < kRows; ++i) {
    const Vec u = row(units, i);
    const float cosine = dot(u, direction) / std::sqrt(dot(u, u));
    worst = std::max(worst, std::fabs(p.coordinates[i * 3] - cosine));
  }
  EXPECT_LT(worst, 1e-5f);
}

TEST(NamedAxes, PairsAndSetsGiveDifferentDirectionsWhenOffsetsDifferInLength) {
  // mean(to) - mean(from) weighs long offsets more; the pair rule does not.
  // Before pairs existed the core always used the set rule: this fails then.
  const Explorer explorer = loaded();
  const std::vector<uint32_t> ids = allIds();
  const Projection asSets = explorer.projectAxes(ids, {Axis{kFrom, kTo, false}});
  const Projection asPairs = explorer.projectAxes(ids, {Axis{kFrom, kTo, true}});
  float differ = 0;
  for (uint32_t i = 0; i < kRows; ++i) differ = std::max(differ, std::fabs(asSets.coordinates[i * 3] - asPairs.coordinates[i * 3]));
  EXPECT_GT(differ, 1e-3f);
  // A single pair reads the same both ways.
  const Projection one = explorer.projectAxes(ids, {Axis{{3}, {8}, true}});
  const Projection oneSet = explorer.projectAxes(ids, {Axis{{3}, {8}, false}});
  for (uint32_t i = 0; i < kRows; ++i) EXPECT_NEAR(one.coordinates[i * 3], oneSet.coordinates[i * 3], 1e-6f);
}

// float32 reference of the fill: project the unit vectors off the given
// axes (Gram-Schmidt), centre, covariance, then the top eigenvectors by
// power iteration with deflation. Coordinates are uncentred dot products.
std::vector<Vec> residualPca(const Vec& units, std::vector<Vec> axes, size_t count) {
  std::vector<Vec> basis;
  for (Vec a : axes) {
    for (const Vec& b : basis) {
      const float c = dot(a, b);
      for (size_t k = 0; k < kDims; ++k) a[k] -= c * b[k];
    }
    basis.push_back(normalised(a));
  }
  std::vector<Vec> residual(kRows);
  Vec mean(kDims, 0.0f);
  for (uint32_t i = 0; i < kRows; ++i) {
    Vec r = row(units, i);
    for (const Vec& b : basis) {
      const float c = dot(r, b);
      for (size_t k = 0; k < kDims; ++k) r[k] -= c * b[k];
    }
    for (size_t k = 0; k < kDims; ++k) mean[k] += r[k] / float(kRows);
    residual[i] = r;
  }
  std::vector<Vec> covariance(kDims, Vec(kDims, 0.0f));
  for (const Vec& r : residual)
    for (size_t a = 0; a < kDims; ++a)
      for (size_t b = 0; b < kDims; ++b) covariance[a][b] += (r[a] - mean[a]) * (r[b] - mean[b]) / float(kRows);
  std::vector<Vec> found;
  for (size_t c = 0; c < count; ++c) {
    Vec v(kDims, 1.0f);
    for (int iteration = 0; iteration < 3000; ++iteration) {
      Vec next(kDims, 0.0f);
      for (size_t a = 0; a < kDims; ++a)
        for (size_t b = 0; b < kDims; ++b) next[a] += covariance[a][b] * v[b];
      for (const Vec& f : found) {
        const float proj = dot(next, f);
        for (size_t k = 0; k < kDims; ++k) next[k] -= proj * f[k];
      }
      v = normalised(next);
    }
    found.push_back(v);
  }
  return found;
}

// +1 or -1: the sign that lines the reference up with the core's column.
float agreement(const Projection& p, const Vec& units, size_t axis, const Vec& v) {
  double sum = 0;
  for (uint32_t i = 0; i < kRows; ++i) sum += double(p.coordinates[i * 3 + axis]) * dot(row(units, i), v);
  return sum < 0 ? -1.0f : 1.0f;
}

TEST(NamedAxes, MissingAxesAreThePcaOfTheResidual) {
  const Explorer explorer = loaded();
  const std::vector<uint32_t> ids = allIds();
  const Vec units = explorer.unitVectors(ids);
  const Vec direction = pairDirection(units, kFrom, kTo);
  const std::vector<Vec> fill = residualPca(units, {direction}, 2);
  const Projection p = explorer.projectAxes(ids, {Axis{kFrom, kTo, true}});
  for (size_t axis = 1; axis < 3; ++axis) {
    // Eigenvectors have no sign of their own: compare up to one.
    const Vec& v = fill[axis - 1];
    const float sign = agreement(p, units, axis, v);
    float worst = 0;
    for (uint32_t i = 0; i < kRows; ++i) worst = std::max(worst, std::fabs(p.coordinates[i * 3 + axis] - sign * dot(row(units, i), v)));
    EXPECT_LT(worst, 2e-4f) << "axis " << axis;
  }
}

TEST(NamedAxes, TwoGivenAxesKeepTheirCosinesAndTheThirdIsOrthogonalToBoth) {
  const Explorer explorer = loaded();
  const std::vector<uint32_t> ids = allIds();
  const Vec units = explorer.unitVectors(ids);
  const std::vector<uint32_t> from2 = {5, 6, 7}, to2 = {300, 301, 302};
  const Vec d1 = pairDirection(units, kFrom, kTo), d2 = pairDirection(units, from2, to2);
  const Vec third = residualPca(units, {d1, d2}, 1)[0];
  EXPECT_LT(std::fabs(dot(third, d1)), 1e-5f);
  EXPECT_LT(std::fabs(dot(third, d2)), 1e-5f);
  const Projection p = explorer.projectAxes(ids, {Axis{kFrom, kTo, true}, Axis{from2, to2, true}});
  const float sign = agreement(p, units, 2, third);
  for (uint32_t i = 0; i < kRows; ++i) {
    const Vec u = row(units, i);
    ASSERT_NEAR(p.coordinates[i * 3], dot(u, d1), 1e-5f);
    ASSERT_NEAR(p.coordinates[i * 3 + 1], dot(u, d2), 1e-5f);
    ASSERT_NEAR(p.coordinates[i * 3 + 2], sign * dot(u, third), 2e-4f);
  }
}

// Share of the words' spread shown along each axis: variance of the
// coordinates over the summed variance of the unit vectors.
TEST(NamedAxes, ExplainedIsEachAxisShareOfTheWordsVariance) {
  const Explorer explorer = loaded();
  const std::vector<uint32_t> ids = allIds();
  const Vec units = explorer.unitVectors(ids);
  const Projection p = explorer.projectAxes(ids, {Axis{kFrom, kTo, true}});
  ASSERT_EQ(p.explained.size(), 3u);
  Vec mean(kDims, 0.0f);
  for (uint32_t i = 0; i < kRows; ++i)
    for (size_t k = 0; k < kDims; ++k) mean[k] += units[i * kDims + k] / float(kRows);
  double total = 0;
  for (uint32_t i = 0; i < kRows; ++i)
    for (size_t k = 0; k < kDims; ++k) total += double(units[i * kDims + k] - mean[k]) * (units[i * kDims + k] - mean[k]);
  for (size_t axis = 0; axis < 3; ++axis) {
    double m = 0, spread = 0;
    for (uint32_t i = 0; i < kRows; ++i) m += p.coordinates[i * 3 + axis] / double(kRows);
    for (uint32_t i = 0; i < kRows; ++i) spread += (p.coordinates[i * 3 + axis] - m) * (p.coordinates[i * 3 + axis] - m);
    EXPECT_NEAR(p.explained[axis], spread / total, 1e-4) << "axis " << axis;
    EXPECT_GT(p.explained[axis], 0.0f);
  }
  // The residual's first component shows at least as much as its second.
  EXPECT_GE(p.explained[1], p.explained[2]);
}

TEST(NamedAxes, BadPairsAreRejectedWithTheirReason) {
  const Explorer explorer = loaded();
  const std::vector<uint32_t> ids = allIds();
  EXPECT_TRUE(throwsError([&] { explorer.projectAxes(ids, {Axis{{1, 2}, {3}, true}}); }, ErrorCode::BadArgument, "as many"));
  EXPECT_TRUE(throwsError([&] { explorer.projectAxes(ids, {Axis{{}, {}, true}}); }, ErrorCode::EmptyInput, "no word pairs"));
  EXPECT_TRUE(throwsError([&] { explorer.projectAxes(ids, {Axis{{4}, {4}, true}}); }, ErrorCode::BadArgument, "same words"));
  const Axis ok{kFrom, kTo, true};
  EXPECT_TRUE(throwsError([&] { explorer.projectAxes(ids, {ok, ok, ok, ok}); }, ErrorCode::BadArgument, "1 to 3 axes"));
}

}  // namespace
}  // namespace explorer
