// The batched k-NN graph against a float32 brute force written here, its
// independence from how the work is split into steps, and its errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>
#include <vector>

#include "explorer/knn_graph.h"
#include "explorer/space.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::randomTable;
using testing::throwsError;

struct Reference {
  std::vector<uint32_t> neighbors;  // n x k positions
  std::vector<float> kth;           // the k-th best cosine of each point
};

// Float32 brute force over the listed rows' unit vectors in the space:
// every pair, a full sort, ties to the smaller position.
Reference bruteForce(const EmbeddingTable& table, const Space& space, const std::vector<uint32_t>& ids, size_t k) {
  const size_t n = ids.size(), dims = space.dims();
  std::vector<float> units;
  for (uint32_t id : ids) {
    const std::vector<float> u = space.unitRow(table, id);
    units.insert(units.end(), u.begin(), u.end());
  }
  Reference ref;
  std::vector<std::pair<float, uint32_t>> row;
  for (size_t i = 0; i < n; ++i) {
    row.clear();
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      float dot = 0;
      for (size_t d = 0; d < dims; ++d) dot += units[i * dims + d] * units[j * dims + d];
      row.push_back({dot, uint32_t(j)});
    }
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    for (size_t c = 0; c < k; ++c) ref.neighbors.push_back(row[c].second);
    ref.kth.push_back(row[k - 1].first);
  }
  return ref;
}

double recallOf(const KnnGraph& graph, const Reference& ref) {
  size_t hits = 0;
  for (size_t i = 0; i < graph.points; ++i) {
    const uint32_t* found = graph.neighbors.data() + i * graph.k;
    for (size_t c = 0; c < graph.k; ++c) {
      hits += std::count(found, found + graph.k, ref.neighbors[i * graph.k + c]);
    }
  }
  return double(hits) / double(graph.points * graph.k);
}

std::vector<uint32_t> shuffledIds(size_t tableRows, size_t count, uint64_t seed) {
  std::vector<uint32_t> ids(tableRows);
  std::iota(ids.begin(), ids.end(), 0u);
  testing::TestRandom random(seed);
  for (size_t i = tableRows - 1; i > 0; --i) std::swap(ids[i], ids[random.below(i + 1)]);
  ids.resize(count);
  return ids;
}

void expectWellFormed(const KnnGraph& graph, size_t n, size_t k) {
  ASSERT_EQ(graph.points, n);
  ASSERT_EQ(graph.k, k);
  ASSERT_EQ(graph.neighbors.size(), n * k);
  ASSERT_EQ(graph.cosines.size(), n * k);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t* p = graph.neighbors.data() + i * k;
    const float* c = graph.cosines.data() + i * k;
    for (size_t j = 0; j < k; ++j) {
      ASSERT_LT(p[j], n);
      ASSERT_NE(p[j], i) << "point " << i << " lists itself";
      if (j > 0) ASSERT_GE(c[j - 1], c[j]) << "point " << i << " is not sorted best first";
    }
    std::vector<uint32_t> unique(p, p + k);
    std::sort(unique.begin(), unique.end());
    ASSERT_EQ(std::adjacent_find(unique.begin(), unique.end()), unique.end()) << "point " << i << " repeats a neighbour";
  }
}

TEST(KnnGraph, MatchesFloat32BruteForceOnShuffledRows) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(2500, 48, 11));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  // Positions, not table ids: a shuffled subset whose size is not a
  // multiple of the kernel's 8-row blocks nor of the 64-row query blocks.
  const std::vector<uint32_t> ids = shuffledIds(2500, 1999, 3);
  const size_t k = 10;
  const KnnGraph graph = knnGraph(table, space, ids, k);
  expectWellFormed(graph, ids.size(), k);
  const Reference ref = bruteForce(*table, *space, ids, k);
  const double recall = recallOf(graph, ref);
  std::printf("k-NN recall@10 against float32, 1999 Gaussian rows x 48 dims: %.4f\n", recall);
  // Gaussian rows have nearly equal top cosines, the hardest case for int8.
  EXPECT_GE(recall, 0.99);
  // Re-ranked in float32: a listed neighbour is at most a rounding error
  // below the true k-th cosine, and its cosine is the float32 one.
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_GE(graph.cosines[i * k + k - 1], ref.kth[i] - 0.01f) << "point " << i;
    const std::vector<float> a = space->unitRow(*table, ids[i]);
    const std::vector<float> b = space->unitRow(*table, ids[graph.neighbors[i * k]]);
    EXPECT_NEAR(graph.cosines[i * k], testing::dotFloat(a.data(), b.data(), a.size()), 1e-5f);
  }
}

TEST(KnnGraph, MatchesFloat32BruteForceInACenteredSpace) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(800, 24, 12));
  const TableStatistics stats = TableStatistics::compute(*table);
  auto space = std::make_shared<const Space>(*table, SpaceSpec::parse("centered", 24), &stats);
  std::vector<uint32_t> ids(800);
  std::iota(ids.begin(), ids.end(), 0u);
  const KnnGraph graph = knnGraph(table, space, ids, 5);
  expectWellFormed(graph, 800, 5);
  const double recall = recallOf(graph, bruteForce(*table, *space, ids, 5));
  std::printf("k-NN recall@5 in the centered space, 800 x 24: %.4f\n", recall);
  EXPECT_GE(recall, 0.99);
}

TEST(KnnGraph, IsExactOnSmallLists) {
  // Here every other row is a candidate, so the float32 re-ranking sees
  // them all and the graph must equal the brute force exactly.
  auto table = std::make_shared<const EmbeddingTable>(randomTable(40, 10, 13));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  for (size_t n : {2, 3, 9, 17}) {
    const std::vector<uint32_t> ids = shuffledIds(40, n, n);
    const size_t k = n - 1;
    const KnnGraph graph = knnGraph(table, space, ids, k);
    expectWellFormed(graph, n, k);
    EXPECT_EQ(graph.neighbors, bruteForce(*table, *space, ids, k).neighbors) << n << " rows";
  }
}

TEST(KnnGraph, StepsGiveTheSameGraphAsOneCall) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(700, 32, 14));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  const std::vector<uint32_t> ids = shuffledIds(700, 650, 5);
  const KnnGraph whole = knnGraph(table, space, ids, 7);
  for (size_t stepRows : {1, 63, 64, 100, 1000}) {
    KnnBuild build(table, space, ids, 7);
    EXPECT_EQ(build.size(), 650u);
    EXPECT_EQ(build.done(), 0u);
    size_t steps = 0, last = 0;
    while (!build.step(stepRows)) {
      ++steps;
      EXPECT_GT(build.done(), last);
      EXPECT_LT(build.done(), 650u);
      last = build.done();
      ASSERT_LT(steps, 1000u);
    }
    EXPECT_EQ(build.done(), 650u);
    EXPECT_TRUE(build.finished());
    const KnnGraph graph = build.take();
    EXPECT_EQ(graph.neighbors, whole.neighbors) << "steps of " << stepRows;
    EXPECT_EQ(graph.cosines, whole.cosines) << "steps of " << stepRows;
  }
}

TEST(KnnGraph, RejectsBadArgumentsByName) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(30, 8, 15));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  const std::vector<uint32_t> ids = {0, 1, 2, 3, 4};
  EXPECT_TRUE(throwsError([&] { KnnBuild(table, space, ids, 0); }, ErrorCode::BadArgument, "k must be between 1 and 4"));
  EXPECT_TRUE(throwsError([&] { KnnBuild(table, space, ids, 5); }, ErrorCode::BadArgument, "got 5"));
  EXPECT_TRUE(throwsError([&] { KnnBuild(table, space, {0, 1, 30}, 1); }, ErrorCode::BadArgument,
                          "row id 30 at position 2 is outside the table (30 rows)"));
  EXPECT_TRUE(throwsError([&] { KnnBuild(table, space, {4, 1, 4}, 1); }, ErrorCode::BadArgument,
                          "row id 4 is listed more than once"));
  EXPECT_TRUE(throwsError([&] { KnnBuild(table, space, {}, 1); }, ErrorCode::EmptyInput, "empty"));
  EXPECT_TRUE(throwsError([&] { KnnBuild(table, space, {3}, 1); }, ErrorCode::BadArgument, "at least 2 rows"));
  KnnBuild build(table, space, shuffledIds(30, 30, 1), 3);
  EXPECT_TRUE(throwsError([&] { build.take(); }, ErrorCode::BadArgument, "not finished (0 of 30 rows done)"));
  build.step(0);
  EXPECT_EQ(build.take().points, 30u);
  EXPECT_TRUE(throwsError([&] { build.take(); }, ErrorCode::BadArgument, "already taken"));
}

// Timing on a table the size of the 10,000-word target (printed only; the
// wasm figures come from npm run bench).
TEST(KnnGraph, PrintsItsSpeed) {
  auto table = std::make_shared<const EmbeddingTable>(randomTable(10000, 100, 16));
  auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  std::vector<uint32_t> ids(10000);
  std::iota(ids.begin(), ids.end(), 0u);
  const auto start = std::chrono::steady_clock::now();
  const KnnGraph graph = knnGraph(table, space, ids, 10);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("k-NN 10,000 x 10,000, k = 10, %s kernel: %.3f s\n", kernels::dotBackendName(), seconds);
  EXPECT_EQ(graph.points, 10000u);
}

}  // namespace
}  // namespace explorer
