// The PCA component picker (Explorer::projectPca with chosen components):
// the explained-variance shares of the top 10 components and the layout on
// any three of them, checked against a float32 reference written here
// (covariance of the centred unit vectors, power iteration with deflation).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "explorer/pca_components.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::throwsError;

constexpr size_t kRows = 500;
constexpr size_t kDims = 24;

// Dimension k scaled by 0.8^k: neighbouring eigenvalues differ by about a
// third, so the reference's power iteration converges to the same
// components as the core's eigensolver, in the same order.
Explorer loaded() {
  testing::TestRandom random(29);
  std::vector<float> values(kRows * kDims);
  for (size_t r = 0; r < kRows; ++r)
    for (size_t k = 0; k < kDims; ++k) values[r * kDims + k] = float(random.gaussian() * std::pow(0.8, double(k)));
  Explorer explorer;
  explorer.load(EmbeddingTable::quantize(values.data(), kRows, kDims, testing::numberedWords(kRows), "decaying"));
  return explorer;
}

struct Reference {
  std::vector<std::vector<float>> components;  // top 10, unit, largest coordinate positive
  std::vector<float> shares;                   // eigenvalue / trace
  std::vector<std::vector<float>> centred;     // the points, centred on their mean
};

// float32 PCA of the unit vectors of `ids`.
Reference referencePca(const EmbeddingTable& table, const std::vector<uint32_t>& ids) {
  Reference ref;
  std::vector<float> mean(kDims, 0.0f);
  for (uint32_t id : ids) {
    std::vector<float> u(kDims);
    table.unitVector(id, u.data());
    for (size_t k = 0; k < kDims; ++k) mean[k] += u[k] / float(ids.size());
    ref.centred.push_back(u);
  }
  for (auto& p : ref.centred)
    for (size_t k = 0; k < kDims; ++k) p[k] -= mean[k];
  std::vector<float> cov(kDims * kDims, 0.0f);
  for (const auto& p : ref.centred)
    for (size_t i = 0; i < kDims; ++i)
      for (size_t j = 0; j < kDims; ++j) cov[i * kDims + j] += p[i] * p[j] / float(ids.size());
  float trace = 0;
  for (size_t i = 0; i < kDims; ++i) trace += cov[i * kDims + i];
  for (size_t c = 0; c < kListedComponents; ++c) {
    std::vector<float> v(kDims, 1.0f), next(kDims);
    float lambda = 0;
    for (int iteration = 0; iteration < 3000; ++iteration) {
      for (size_t i = 0; i < kDims; ++i) next[i] = testing::dotFloat(&cov[i * kDims], v.data(), kDims);
      lambda = std::sqrt(testing::dotFloat(next.data(), next.data(), kDims));
      for (size_t i = 0; i < kDims; ++i) v[i] = next[i] / lambda;
    }
    const size_t at = size_t(std::max_element(v.begin(), v.end(), [](float a, float b) { return std::fabs(a) < std::fabs(b); }) - v.begin());
    if (v[at] < 0)
      for (float& x : v) x = -x;
    for (size_t i = 0; i < kDims; ++i)
      for (size_t j = 0; j < kDims; ++j) cov[i * kDims + j] -= lambda * v[i] * v[j];
    ref.components.push_back(v);
    ref.shares.push_back(lambda / trace);
  }
  return ref;
}

std::vector<uint32_t> everyOtherRow() {
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < kRows; i += 2) ids.push_back(i);
  return ids;
}

TEST(PcaComponents, TopTenSharesMatchTheFloat32Reference) {
  Explorer explorer = loaded();
  const std::vector<uint32_t> ids = everyOtherRow();
  const Reference ref = referencePca(explorer.table(), ids);
  const Projection projection = explorer.projectPca(ids, false);
  ASSERT_EQ(projection.componentsExplained.size(), kListedComponents);
  for (size_t c = 0; c < kListedComponents; ++c) {
    EXPECT_NEAR(projection.componentsExplained[c], ref.shares[c], 1e-4) << "PC" << c + 1;
    if (c > 0) EXPECT_LE(projection.componentsExplained[c], projection.componentsExplained[c - 1]);
  }
  // The default layout is PC1, PC2, PC3, and `explained` is their shares.
  for (size_t axis = 0; axis < 3; ++axis) EXPECT_EQ(projection.explained[axis], projection.componentsExplained[axis]);
}

TEST(PcaComponents, ChosenComponentsLayOutOnThoseDirections) {
  Explorer explorer = loaded();
  const std::vector<uint32_t> ids = everyOtherRow();
  const Reference ref = referencePca(explorer.table(), ids);
  const std::vector<uint32_t> chosen = {0, 4, 7};
  const Projection projection = explorer.projectPca(ids, false, chosen);
  ASSERT_EQ(projection.coordinates.size(), ids.size() * 3);
  float worst = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t axis = 0; axis < 3; ++axis) {
      const float expected = testing::dotFloat(ref.centred[i].data(), ref.components[chosen[axis]].data(), kDims);
      worst = std::max(worst, std::fabs(projection.coordinates[i * 3 + axis] - expected));
    }
  }
  EXPECT_LT(worst, 2e-4) << "largest coordinate difference from the float32 reference";
  for (size_t axis = 0; axis < 3; ++axis) EXPECT_NEAR(projection.explained[axis], ref.shares[chosen[axis]], 1e-4);
}

TEST(PcaComponents, AComponentKeepsItsCoordinatesOnWhicheverAxisItIs) {
  Explorer explorer = loaded();
  const std::vector<uint32_t> ids = everyOtherRow();
  const Projection first = explorer.projectPca(ids, true, {9, 2, 5});
  const Projection second = explorer.projectPca(ids, true, {5, 9, 0});
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(first.coordinates[i * 3 + 0], second.coordinates[i * 3 + 1]);
    EXPECT_EQ(first.coordinates[i * 3 + 2], second.coordinates[i * 3 + 0]);
  }
}

TEST(PcaComponents, WholeTableSharesAreTheSpectrumsShares) {
  Explorer explorer = loaded();
  const std::vector<double> spectrum = explorer.spectrum();
  const double total = std::accumulate(spectrum.begin(), spectrum.end(), 0.0);
  const Projection projection = explorer.projectPca(everyOtherRow(), true, {1, 3, 8});
  ASSERT_EQ(projection.componentsExplained.size(), kListedComponents);
  for (size_t c = 0; c < kListedComponents; ++c) EXPECT_NEAR(projection.componentsExplained[c], spectrum[c] / total, 1e-6) << "PC" << c + 1;
  EXPECT_EQ(projection.explained[0], projection.componentsExplained[1]);
  EXPECT_EQ(projection.explained[2], projection.componentsExplained[8]);
}

TEST(PcaComponents, AComponentOutsideTheTopTenIsRejectedByName) {
  Explorer explorer = loaded();
  const std::vector<uint32_t> ids = everyOtherRow();
  EXPECT_TRUE(throwsError([&] { explorer.projectPca(ids, false, {0, 1, 10}); }, ErrorCode::BadArgument, "PC11"));
  EXPECT_TRUE(throwsError([&] { explorer.projectPca(ids, false, {0, 1}); }, ErrorCode::BadArgument, "three principal components"));
  EXPECT_TRUE(throwsError([&] { explorer.projectPca(ids, false, {4, 1, 4}); }, ErrorCode::BadArgument, "three different principal components (got PC5, PC2, PC5)"));
  // The explorer still answers after a bad pick.
  EXPECT_EQ(explorer.projectPca(ids, false, {2, 1, 0}).coordinates.size(), ids.size() * 3);
}

TEST(PcaComponents, ASmallTableListsOnlyTheComponentsItHas) {
  const std::vector<float> values = testing::gaussianValues(40 * 4, 3);
  Explorer explorer;
  explorer.load(EmbeddingTable::quantize(values.data(), 40, 4, testing::numberedWords(40), "four"));
  const Projection projection = explorer.projectPca({0, 1, 2, 3, 4, 5, 6, 7}, false, {3, 0, 1});
  EXPECT_EQ(projection.componentsExplained.size(), 4u);
  EXPECT_NEAR(std::accumulate(projection.componentsExplained.begin(), projection.componentsExplained.end(), 0.0), 1.0, 1e-5);
  EXPECT_TRUE(throwsError([&] { explorer.projectPca({0, 1, 2}, false, {0, 1, 4}); }, ErrorCode::BadArgument, "PC1 to PC4"));
}

}  // namespace
}  // namespace explorer
