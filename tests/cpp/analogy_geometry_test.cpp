// The analogy view's figures against a float32 reference written here from
// the table's own (dequantized) unit vectors: the computed point, its
// nearest word, the offsets' cosine, the plane layout that shows a, b, c and
// b − a + c as a true parallelogram, and the offset consistency of a relation.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "explorer/analogy_geometry.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::dotFloat;
using testing::oracleCosines;
using testing::queryCosineErrorBound;
using testing::randomTable;
using testing::throwsError;

constexpr size_t kRows = 300, kDims = 48;
constexpr uint32_t kA = 3, kB = 10, kC = 25, kD = 40;

struct Reference {
  std::vector<float> units = testing::unitVectors(randomTable(kRows, kDims, 7));
  const float* row(uint32_t id) const { return units.data() + size_t(id) * kDims; }
  std::vector<float> offset(uint32_t from, uint32_t to) const {
    std::vector<float> out(kDims);
    for (size_t k = 0; k < kDims; ++k) out[k] = row(to)[k] - row(from)[k];
    return out;
  }
};

float cosineOf(const std::vector<float>& x, const std::vector<float>& y) {
  return dotFloat(x.data(), y.data(), x.size()) /
         std::sqrt(dotFloat(x.data(), x.data(), x.size()) * dotFloat(y.data(), y.data(), y.size()));
}

std::vector<float> coordinatesOf(const AnalogyGeometry& g, size_t index) {
  return {g.coordinates[index * 3], g.coordinates[index * 3 + 1], g.coordinates[index * 3 + 2]};
}

Explorer loaded() {
  Explorer explorer;
  explorer.load(randomTable(kRows, kDims, 7));
  return explorer;
}

GeometryRequest analogyRequest(GeometryLayout layout) {
  GeometryRequest request;
  request.terms = {{kB, 1}, {kA, -1}, {kC, 1}};
  request.ids = {kA, kB, kC, kD, 50, 60};
  request.from = kA;
  request.to = kB;
  request.otherFrom = kC;
  request.otherTo = kD;
  request.layout = layout;
  return request;
}

TEST(AnalogyGeometry, ComputedPointNearestAndOffsetCosineMatchFloat32) {
  const Reference ref;
  const Explorer explorer = loaded();
  const AnalogyGeometry g = analogyGeometry(explorer, analogyRequest(GeometryLayout::Plane));

  std::vector<float> point(kDims);
  for (size_t k = 0; k < kDims; ++k) point[k] = ref.row(kB)[k] - ref.row(kA)[k] + ref.row(kC)[k];
  for (size_t k = 0; k < kDims; ++k) EXPECT_NEAR(g.point[k], point[k], 1e-5) << k;
  EXPECT_NEAR(g.pointNorm, std::sqrt(dotFloat(point.data(), point.data(), kDims)), 1e-5);

  // Nothing is excluded: the nearest row to the point itself.
  const std::vector<Scored> oracle = oracleCosines(ref.units, kRows, kDims, point.data());
  const float bound = queryCosineErrorBound(kDims);
  EXPECT_NEAR(g.nearestCosine, oracle[0].score, bound);
  const std::vector<Scored> mine = oracleCosines(ref.units, kRows, kDims, point.data(), {});
  float nearestReference = 0;
  for (const Scored& s : mine) if (s.id == g.nearest) nearestReference = s.score;
  EXPECT_NEAR(nearestReference, oracle[0].score, 2 * bound) << "nearest " << g.nearest << " vs " << oracle[0].id;

  EXPECT_NEAR(g.offsetCosine, cosineOf(ref.offset(kA, kB), ref.offset(kC, kD)), 1e-5);
}

TEST(AnalogyGeometry, PlaneLayoutDrawsTheParallelogramTrueToShape) {
  const Reference ref;
  const Explorer explorer = loaded();
  const GeometryRequest request = analogyRequest(GeometryLayout::Plane);
  const AnalogyGeometry g = analogyGeometry(explorer, request);
  ASSERT_EQ(g.layout, GeometryLayout::Plane);
  ASSERT_EQ(g.coordinates.size(), (request.ids.size() + 1) * 3);
  const std::vector<float> a = coordinatesOf(g, 0), b = coordinatesOf(g, 1), c = coordinatesOf(g, 2);
  const std::vector<float> q = coordinatesOf(g, request.ids.size());
  // a at the origin of the plane, b on the x axis at |b − a|, all four in one plane.
  const std::vector<float> ab = ref.offset(kA, kB), ac = ref.offset(kA, kC);
  EXPECT_NEAR(a[0], 0, 1e-5);
  EXPECT_NEAR(a[1], 0, 1e-5);
  EXPECT_NEAR(b[0], std::sqrt(dotFloat(ab.data(), ab.data(), kDims)), 1e-4);
  EXPECT_NEAR(b[1], 0, 1e-5);
  EXPECT_GT(c[1], 0);
  for (const auto& p : {b, c, q}) EXPECT_NEAR(p[2], a[2], 1e-4);
  // b − a + c lands exactly on the fourth corner.
  for (size_t k = 0; k < 3; ++k) EXPECT_NEAR(q[k], b[k] - a[k] + c[k], 1e-4) << k;
  // The angle at a is the full-space angle between a→b and a→c.
  const std::vector<float> screenAb = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
  const std::vector<float> screenAc = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
  EXPECT_NEAR(cosineOf(screenAb, screenAc), cosineOf(ab, ac), 1e-4);
  // And |a→c| is kept.
  EXPECT_NEAR(std::sqrt(dotFloat(screenAc.data(), screenAc.data(), 3)), std::sqrt(dotFloat(ac.data(), ac.data(), kDims)), 1e-4);
}

TEST(AnalogyGeometry, PlaneLayoutOfTheFourCornersAloneStaysFlat) {
  // a, b, c and b − a + c span only the plane: the depth axis must not leak into x or y.
  const Reference ref;
  const Explorer explorer = loaded();
  GeometryRequest request = analogyRequest(GeometryLayout::Plane);
  request.ids = {kA, kB, kC};
  const AnalogyGeometry g = analogyGeometry(explorer, request);
  const std::vector<float> ab = ref.offset(kA, kB);
  EXPECT_NEAR(coordinatesOf(g, 1)[0], std::sqrt(dotFloat(ab.data(), ab.data(), kDims)), 1e-4);
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(coordinatesOf(g, i)[2], 0, 1e-4) << i;
  EXPECT_NEAR(coordinatesOf(g, 0)[0], 0, 1e-5);
}

TEST(AnalogyGeometry, PcaLayoutKeepsTheComputedPointAffine) {
  const Explorer explorer = loaded();
  const GeometryRequest request = analogyRequest(GeometryLayout::Pca);
  const AnalogyGeometry g = analogyGeometry(explorer, request);
  ASSERT_EQ(g.layout, GeometryLayout::Pca);
  ASSERT_EQ(g.explained.size(), 3u);
  EXPECT_GE(g.explained[0], g.explained[1]);
  const std::vector<float> a = coordinatesOf(g, 0), b = coordinatesOf(g, 1), c = coordinatesOf(g, 2);
  const std::vector<float> q = coordinatesOf(g, request.ids.size());
  for (size_t k = 0; k < 3; ++k) EXPECT_NEAR(q[k], b[k] - a[k] + c[k], 1e-4) << k;
}

TEST(AnalogyGeometry, WithoutTheWordsForAPlaneItFallsBackToPcaAndRefusesZero) {
  const Explorer explorer = loaded();
  GeometryRequest request;
  request.terms = {{kA, 0.5}, {kB, 0.5}};
  request.ids = {kA, kB};
  const AnalogyGeometry g = analogyGeometry(explorer, request);
  EXPECT_EQ(g.layout, GeometryLayout::Pca);
  EXPECT_TRUE(std::isnan(g.offsetCosine));
  request.terms = {{kA, 1}, {kA, -1}};
  EXPECT_TRUE(throwsError([&] { analogyGeometry(explorer, request); }, ErrorCode::ZeroQuery, "computed point is zero"));
  request.terms = {};
  EXPECT_TRUE(throwsError([&] { analogyGeometry(explorer, request); }, ErrorCode::EmptyInput, "at least one word"));
}

TEST(OffsetConsistency, CosinesToTheMeanOffsetMatchFloat32) {
  const Reference ref;
  const Explorer explorer = loaded();
  const std::vector<std::pair<uint32_t, uint32_t>> pairs = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
  const OffsetConsistency o = offsetConsistency(explorer, pairs);
  std::vector<float> mean(kDims, 0.0f);
  for (const auto& [from, to] : pairs) {
    const std::vector<float> off = ref.offset(from, to);
    for (size_t k = 0; k < kDims; ++k) mean[k] += off[k] / float(pairs.size());
  }
  ASSERT_EQ(o.cosineToMean.size(), pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::vector<float> off = ref.offset(pairs[i].first, pairs[i].second);
    EXPECT_NEAR(o.cosineToMean[i], cosineOf(off, mean), 1e-5) << i;
    EXPECT_NEAR(o.length[i], std::sqrt(dotFloat(off.data(), off.data(), kDims)), 1e-5) << i;
  }
  EXPECT_NEAR(o.meanLength, std::sqrt(dotFloat(mean.data(), mean.data(), kDims)), 1e-5);
  EXPECT_TRUE(throwsError([&] { offsetConsistency(explorer, {{1, 2}}); }, ErrorCode::EmptyInput, "at least two pairs"));
  EXPECT_TRUE(throwsError([&] { offsetConsistency(explorer, {{1, 2}, {3, 3}}); }, ErrorCode::BadArgument,
                          "pair 2 has the same word at both ends"));
}

}  // namespace
}  // namespace explorer
