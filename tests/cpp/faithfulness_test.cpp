// Neighbour preservation and trustworthiness against a straightforward
// O(n^2 log n) float32 implementation written here, following
// sklearn.manifold.trustworthiness: full rank matrices by sorting.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "explorer/faithfulness.h"
#include "explorer/space.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::randomTable;
using testing::throwsError;

struct ReferenceFigures {
  std::vector<float> recall;
  double trustworthiness = 0;
};

// order[i] = the other points by decreasing `similarity(i, j)`, ties to the
// smaller index (sklearn sorts distances; the ranks are the same).
template <typename Similarity>
std::vector<std::vector<uint32_t>> orders(size_t n, Similarity&& similarity) {
  std::vector<std::vector<uint32_t>> all(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::pair<double, uint32_t>> row;
    for (size_t j = 0; j < n; ++j) if (j != i) row.push_back({similarity(i, j), uint32_t(j)});
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    for (const auto& r : row) all[i].push_back(r.second);
  }
  return all;
}

ReferenceFigures reference(const std::vector<float>& units, size_t dims, const std::vector<float>& positions,
                           size_t layoutDims, size_t k) {
  const size_t n = positions.size() / layoutDims;
  const auto full = orders(n, [&](size_t i, size_t j) {
    float dot = 0;
    for (size_t d = 0; d < dims; ++d) dot += units[i * dims + d] * units[j * dims + d];
    return double(dot);
  });
  const auto layout = orders(n, [&](size_t i, size_t j) {
    float d2 = 0;
    for (size_t d = 0; d < layoutDims; ++d) {
      const float diff = positions[i * layoutDims + d] - positions[j * layoutDims + d];
      d2 += diff * diff;
    }
    return -double(d2);
  });
  ReferenceFigures out;
  double excess = 0;
  for (size_t i = 0; i < n; ++i) {
    std::vector<size_t> rank(n, 0);  // rank[j]: 1-based position of j in i's full-space order
    for (size_t r = 0; r < full[i].size(); ++r) rank[full[i][r]] = r + 1;
    size_t shared = 0;
    for (size_t c = 0; c < k; ++c) {
      const uint32_t j = layout[i][c];
      if (rank[j] <= k) ++shared;
      else excess += double(rank[j] - k);
    }
    out.recall.push_back(float(shared) / float(k));
  }
  out.trustworthiness = 1.0 - 2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)) * excess;
  return out;
}

std::vector<float> spaceUnits(const EmbeddingTable& table, const Space& space, const std::vector<uint32_t>& ids) {
  std::vector<float> units;
  for (uint32_t id : ids) {
    const std::vector<float> u = space.unitRow(table, id);
    units.insert(units.end(), u.begin(), u.end());
  }
  return units;
}

// A layout that keeps some of the structure: the first coordinates of the
// unit vectors plus noise.
std::vector<float> noisyLayout(const std::vector<float>& units, size_t dims, size_t layoutDims, double noise,
                               uint64_t seed) {
  testing::TestRandom random(seed);
  const size_t n = units.size() / dims;
  std::vector<float> positions(n * layoutDims);
  for (size_t i = 0; i < n; ++i) {
    for (size_t d = 0; d < layoutDims; ++d) {
      positions[i * layoutDims + d] = float(units[i * dims + d] + noise * random.gaussian());
    }
  }
  return positions;
}

// Float32 cosines of two implementations can differ in the last bit (a
// compiler may fuse a multiply-add in one and not the other), which swaps
// pairs whose cosines agree to ~1e-7: allow a handful of such swaps. One
// swapped rank moves the trustworthiness by 2 / (n k (2n - 3k - 1)), under
// 1e-6 here; a real error (a wrong neighbour list, a missing rank term)
// moves it by far more.
void expectMatches(const Faithfulness& got, const ReferenceFigures& want) {
  ASSERT_EQ(got.neighborRecall.size(), want.recall.size());
  size_t differing = 0;
  double mean = 0;
  for (size_t i = 0; i < want.recall.size(); ++i) {
    differing += got.neighborRecall[i] != want.recall[i];
    mean += want.recall[i];
  }
  mean /= double(want.recall.size());
  EXPECT_LE(differing, want.recall.size() / 200);
  EXPECT_NEAR(got.meanNeighborRecall, mean, 1e-3);
  EXPECT_NEAR(got.trustworthiness, want.trustworthiness, 5e-6);
}

TEST(Faithfulness, MatchesTheReferenceInTheRawSpace) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(700, 12, 21));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  std::vector<uint32_t> ids(650);
  std::iota(ids.begin(), ids.end(), 20u);
  const std::vector<float> units = spaceUnits(*table, *space, ids);
  for (size_t layoutDims : {2, 3}) {
    const std::vector<float> positions = noisyLayout(units, 12, layoutDims, 0.05, layoutDims);
    const Faithfulness got = measureFaithfulness(table, space, ids, positions, layoutDims, 10);
    const ReferenceFigures want = reference(units, 12, positions, layoutDims, 10);
    std::printf("%zuD layout of 650 x 12: neighbour recall %.4f, trustworthiness %.5f\n", layoutDims,
                got.meanNeighborRecall, got.trustworthiness);
    expectMatches(got, want);
    EXPECT_GT(got.trustworthiness, 0.6);  // the layout keeps real structure
  }
}

TEST(Faithfulness, MatchesTheReferenceInAWhitenedSpaceWhereInt8IsInexact) {
  // Whitened rows are re-quantized, so int8 cosines differ from float32:
  // the error-bound fallback must still give the float32 figures.
  auto table = std::make_shared<const EmbeddingTable>(randomTable(500, 16, 22));
  const TableStatistics stats = TableStatistics::compute(*table);
  auto space = std::make_shared<const Space>(*table, SpaceSpec::parse("whitened", 16), &stats);
  std::vector<uint32_t> ids(500);
  std::iota(ids.begin(), ids.end(), 0u);
  std::reverse(ids.begin(), ids.end());
  const std::vector<float> units = spaceUnits(*table, *space, ids);
  const std::vector<float> positions = noisyLayout(units, 16, 3, 0.1, 9);
  const Faithfulness got = measureFaithfulness(table, space, ids, positions, 3, 7);
  expectMatches(got, reference(units, 16, positions, 3, 7));
}

TEST(Faithfulness, AFaithfulLayoutScoresOneAndARandomOneAboutAHalf) {
  // In 3 dims the unit vectors themselves are a perfect 3D layout:
  // Euclidean order of unit vectors is cosine order.
  auto table = std::make_shared<const EmbeddingTable>(randomTable(400, 3, 23));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  std::vector<uint32_t> ids(400);
  std::iota(ids.begin(), ids.end(), 0u);
  const std::vector<float> units = spaceUnits(*table, *space, ids);
  const Faithfulness perfect = measureFaithfulness(table, space, ids, units, 3, 10);
  EXPECT_GE(perfect.meanNeighborRecall, 0.999);
  EXPECT_GE(perfect.trustworthiness, 0.99999);
  const std::vector<float> random = noisyLayout(std::vector<float>(units.size(), 0.0f), 3, 3, 1.0, 4);
  const Faithfulness scrambled = measureFaithfulness(table, space, ids, random, 3, 10);
  expectMatches(scrambled, reference(units, 3, random, 3, 10));
  EXPECT_NEAR(scrambled.trustworthiness, 0.5, 0.06);
  EXPECT_LT(scrambled.meanNeighborRecall, 0.1);
}

TEST(Faithfulness, StepsGiveTheSameFigures) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(300, 8, 24));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  std::vector<uint32_t> ids(300);
  std::iota(ids.begin(), ids.end(), 0u);
  const std::vector<float> positions = noisyLayout(spaceUnits(*table, *space, ids), 8, 2, 0.1, 5);
  const Faithfulness whole = measureFaithfulness(table, space, ids, positions, 2, 10);
  FaithfulnessRun run(table, space, ids, positions, 2, 10);
  EXPECT_TRUE(throwsError([&] { run.result(); }, ErrorCode::BadArgument, "not finished (0 of 300 points done)"));
  while (!run.step(70)) EXPECT_LT(run.done(), 300u);
  const Faithfulness stepped = run.result();
  EXPECT_EQ(stepped.neighborRecall, whole.neighborRecall);
  EXPECT_EQ(stepped.neighbors, whole.neighbors);
  EXPECT_EQ(stepped.trustworthiness, whole.trustworthiness);
}

TEST(Faithfulness, RejectsBadArgumentsByName) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(30, 8, 25));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  std::vector<uint32_t> ids(20);
  std::iota(ids.begin(), ids.end(), 0u);
  const std::vector<float> positions(40, 0.5f);
  EXPECT_TRUE(throwsError([&] { measureFaithfulness(table, space, ids, positions, 4, 3); }, ErrorCode::BadArgument,
                          "must be 2D or 3D, got 4"));
  EXPECT_TRUE(throwsError([&] { measureFaithfulness(table, space, ids, positions, 3, 3); }, ErrorCode::BadArgument,
                          "need 60 coordinates, got 40"));
  EXPECT_TRUE(throwsError([&] { measureFaithfulness(table, space, ids, positions, 2, 10); }, ErrorCode::BadArgument,
                          "20 points allow k <= 9), got 10"));
  std::vector<float> withNan(positions);
  withNan[7] = NAN;
  EXPECT_TRUE(throwsError([&] { measureFaithfulness(table, space, ids, withNan, 2, 3); }, ErrorCode::BadArgument,
                          "point 3 is not a finite number"));
  EXPECT_TRUE(throwsError([&] { measureFaithfulness(table, space, {1, 2, 99}, {0, 0, 1, 1, 2, 2}, 2, 1); },
                          ErrorCode::BadArgument, "row id 99"));
}

}  // namespace
}  // namespace explorer
