// UMAP: the a/b curve fit against umap-learn's values, the fuzzy
// simplicial set against its definition, clusters and trustworthiness on
// seeded synthetic data, determinism, progressive preparation, validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "explorer/knn_graph.h"
#include "explorer/space.h"
#include "explorer/umap.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::TestRandom;
using testing::throwsError;

// Unit vectors of `clusters` Gaussian clusters in `dims` dimensions:
// centres with standard deviation `spread` per coordinate, points with
// standard deviation 1 around them. Point i belongs to cluster i % clusters.
std::vector<float> clusteredUnitVectors(size_t points, size_t dims, size_t clusters, double spread, uint64_t seed) {
  TestRandom random(seed);
  std::vector<double> centres(clusters * dims);
  for (double& c : centres) c = spread * random.gaussian();
  std::vector<float> data(points * dims);
  for (size_t i = 0; i < points; ++i) {
    double norm = 0;
    for (size_t d = 0; d < dims; ++d) {
      const double v = centres[(i % clusters) * dims + d] + random.gaussian();
      data[i * dims + d] = float(v);
      norm += v * v;
    }
    for (size_t d = 0; d < dims; ++d) data[i * dims + d] = float(data[i * dims + d] / std::sqrt(norm));
  }
  return data;
}

// The float32 k-NN graph by brute force, self excluded, best first.
KnnGraph bruteForceGraph(const std::vector<float>& units, size_t dims, size_t k) {
  const size_t n = units.size() / dims;
  // A point has n - 1 others: asking for more (the n_neighbors checks do)
  // must not read past them.
  k = std::min(k, n - 1);
  KnnGraph graph;
  graph.points = n;
  graph.k = k;
  std::vector<std::pair<float, uint32_t>> order;
  for (size_t i = 0; i < n; ++i) {
    order.clear();
    for (size_t j = 0; j < n; ++j) {
      if (j != i) order.emplace_back(-testing::dotFloat(&units[i * dims], &units[j * dims], dims), uint32_t(j));
    }
    std::partial_sort(order.begin(), order.begin() + long(k), order.end());
    for (size_t q = 0; q < k; ++q) {
      graph.neighbors.push_back(order[q].second);
      graph.cosines.push_back(-order[q].first);
    }
  }
  return graph;
}

// Ranks (1 = nearest) of every other point from each point, by a distance.
template <typename Distance>
std::vector<std::vector<uint32_t>> orderFrom(size_t n, Distance&& distance) {
  std::vector<std::vector<uint32_t>> orders(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::pair<double, uint32_t>> order;
    for (size_t j = 0; j < n; ++j) {
      if (j != i) order.emplace_back(distance(i, j), uint32_t(j));
    }
    std::sort(order.begin(), order.end());
    for (const auto& entry : order) orders[i].push_back(entry.second);
  }
  return orders;
}

double squaredDistance(const std::vector<float>& y, size_t dims, size_t i, size_t j) {
  double sum = 0;
  for (size_t c = 0; c < dims; ++c) sum += (double(y[i * dims + c]) - y[j * dims + c]) * (double(y[i * dims + c]) - y[j * dims + c]);
  return sum;
}

// Trustworthiness (Venna and Kaski 2001), as sklearn defines it: the
// embedded k nearest that are not among the input's k nearest, penalised by
// how far down the input ranking they are.
double trustworthiness(const std::vector<float>& units, size_t inputDims, const std::vector<float>& y, size_t dims,
                       size_t k) {
  const size_t n = units.size() / inputDims;
  const auto input = orderFrom(n, [&](size_t i, size_t j) {
    return -double(testing::dotFloat(&units[i * inputDims], &units[j * inputDims], inputDims));
  });
  const auto output = orderFrom(n, [&](size_t i, size_t j) { return squaredDistance(y, dims, i, j); });
  double penalty = 0;
  std::vector<uint32_t> rank(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t r = 0; r < n - 1; ++r) rank[input[i][r]] = uint32_t(r + 1);
    for (size_t q = 0; q < k; ++q) {
      const uint32_t r = rank[output[i][q]];
      if (r > k) penalty += double(r - k);
    }
  }
  return 1.0 - 2.0 / (double(n) * double(k) * (2.0 * double(n) - 3.0 * double(k) - 1.0)) * penalty;
}

// Share of each point's `k` nearest in the layout that are in its cluster.
double clusterShare(const std::vector<float>& y, size_t dims, size_t clusters, size_t k) {
  const size_t n = y.size() / dims;
  const auto output = orderFrom(n, [&](size_t i, size_t j) { return squaredDistance(y, dims, i, j); });
  size_t same = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t q = 0; q < k; ++q) same += output[i][q] % clusters == i % clusters;
  }
  return double(same) / double(n * k);
}

TEST(Umap, CurveFitMatchesUmapLearn) {
  // umap.umap_.find_ab_params(1.0, min_dist) in umap-learn 0.5.3 (scipy's curve_fit).
  const UmapCurve usual = fitUmapCurve(0.1, 1.0);
  EXPECT_NEAR(usual.a, 1.5769, 2e-3);
  EXPECT_NEAR(usual.b, 0.8951, 1e-3);
  const UmapCurve tight = fitUmapCurve(0.001, 1.0);
  EXPECT_NEAR(tight.a, 1.9290, 2e-3);
  EXPECT_NEAR(tight.b, 0.7915, 1e-3);
  // The curve is near 1 inside min_dist and decays beyond it.
  const UmapCurve wide = fitUmapCurve(0.5, 1.0);
  auto curve = [&](double x) { return 1.0 / (1.0 + wide.a * std::pow(x, 2 * wide.b)); };
  EXPECT_GT(curve(0.25), 0.85);
  EXPECT_NEAR(curve(2.0), std::exp(-1.5), 0.08);
}

TEST(Umap, FuzzySetFollowsItsDefinition) {
  const size_t dims = 20, n = 200, k = 9;
  const std::vector<float> units = clusteredUnitVectors(n, dims, 4, 1.0, 3);
  const KnnGraph graph = bruteForceGraph(units, dims, k);
  const UmapGraph fuzzy = fuzzySimplicialSet(graph);
  // Each point's memberships sum to log2(n_neighbors), the nearest at 1.
  std::map<std::pair<uint32_t, uint32_t>, double> directed;
  for (size_t i = 0; i < n; ++i) {
    double sum = 0;
    for (size_t q = 0; q < k; ++q) {
      const double d = 1.0 - graph.cosines[i * k + q];
      const double w = d - fuzzy.rho[i] <= 0 ? 1.0 : std::exp(-(d - fuzzy.rho[i]) / fuzzy.sigma[i]);
      directed[{uint32_t(i), graph.neighbors[i * k + q]}] = w;
      sum += w;
    }
    EXPECT_NEAR(sum, std::log2(double(k + 1)), 1e-3) << "point " << i;
    EXPECT_FLOAT_EQ(fuzzy.rho[i], float(1.0 - graph.cosines[i * k]));
  }
  // Symmetric, sorted, and each weight the fuzzy union of the two directions.
  ASSERT_EQ(fuzzy.heads.size(), fuzzy.weights.size());
  std::map<std::pair<uint32_t, uint32_t>, float> edges;
  for (size_t e = 0; e < fuzzy.heads.size(); ++e) {
    if (e > 0) {
      EXPECT_TRUE(fuzzy.heads[e - 1] < fuzzy.heads[e] ||
                  (fuzzy.heads[e - 1] == fuzzy.heads[e] && fuzzy.tails[e - 1] < fuzzy.tails[e]));
    }
    edges[{fuzzy.heads[e], fuzzy.tails[e]}] = fuzzy.weights[e];
  }
  for (const auto& [pair, weight] : edges) {
    ASSERT_TRUE(edges.count({pair.second, pair.first}));
    const float mirror = edges[{pair.second, pair.first}];
    EXPECT_EQ(weight, mirror);
    const auto forward = directed.find(pair), backward = directed.find({pair.second, pair.first});
    const double a = forward == directed.end() ? 0 : forward->second;
    const double b = backward == directed.end() ? 0 : backward->second;
    EXPECT_NEAR(weight, a + b - a * b, 1e-5);
  }
  for (const auto& [pair, weight] : directed) EXPECT_TRUE(edges.count(pair));
}

struct ClusteredRun {
  std::vector<float> units;
  std::shared_ptr<const EmbeddingTable> table;
  std::shared_ptr<const Space> space;
  std::vector<uint32_t> ids;
};

ClusteredRun clusteredTable(size_t n, size_t dims, size_t clusters, uint64_t seed) {
  ClusteredRun run;
  const std::vector<float> values = clusteredUnitVectors(n, dims, clusters, 1.0, seed);
  run.table = std::make_shared<const EmbeddingTable>(
      EmbeddingTable::quantize(values.data(), n, dims, testing::numberedWords(n), "clusters"));
  run.space = std::make_shared<const Space>(*run.table, SpaceSpec{}, nullptr);
  run.units = testing::unitVectors(*run.table);
  for (size_t i = 0; i < n; ++i) run.ids.push_back(uint32_t(i));
  return run;
}

std::unique_ptr<UmapRun> startRun(const ClusteredRun& input, size_t dims, const UmapOptions& options) {
  auto build = std::make_unique<KnnBuild>(input.table, input.space, input.ids, options.neighbors - 1);
  return std::make_unique<UmapRun>(std::move(build), input.units, dims, options);
}

TEST(Umap, KeepsClustersAndNeighbours3D) {
  const size_t n = 1000, dims = 50, clusters = 10;
  const ClusteredRun input = clusteredTable(n, dims, clusters, 11);
  UmapOptions options;
  options.seed = 0;
  auto run = startRun(input, dims, options);
  EXPECT_EQ(run->epochs(), 500u);
  EXPECT_EQ(run->step(100000), 500u);
  ASSERT_EQ(run->positions().size(), n * 3);
  for (float v : run->positions()) ASSERT_TRUE(std::isfinite(v));
  const double share = clusterShare(run->positions(), 3, clusters, 3);
  const double trust = trustworthiness(input.units, dims, run->positions(), 3, 10);
  std::printf("UMAP 3D, %zu points in %zu clusters: same-cluster share of 3 nearest %.3f, trustworthiness(10) %.3f, "
              "%zu edges\n", n, clusters, share, trust, run->edgeCount());
  EXPECT_GT(share, 0.9);
  EXPECT_GT(trust, 0.9);
}

TEST(Umap, TwoDimensionsAndRandomStart) {
  const size_t n = 600, dims = 50, clusters = 6;
  const std::vector<float> units = clusteredUnitVectors(n, dims, clusters, 1.0, 5);
  UmapOptions options;
  options.dims = 2;
  options.init = UmapInit::Random;
  options.neighbors = 10;
  UmapRun run(bruteForceGraph(units, dims, 9), units, dims, options);
  run.step(1000);
  ASSERT_EQ(run.positions().size(), n * 2);
  const double share = clusterShare(run.positions(), 2, clusters, 3);
  const double trust = trustworthiness(units, dims, run.positions(), 2, 10);
  std::printf("UMAP 2D, random start: same-cluster share %.3f, trustworthiness(10) %.3f\n", share, trust);
  EXPECT_GT(share, 0.9);
  EXPECT_GT(trust, 0.85);
}

TEST(Umap, SameSeedSameLayoutWhateverTheSteps) {
  const size_t n = 400, dims = 30;
  const ClusteredRun input = clusteredTable(n, dims, 5, 2);
  UmapOptions options;
  options.neighbors = 12;
  options.seed = 7;
  options.epochs = 120;
  auto whole = startRun(input, dims, options);
  whole->step(120);
  // Neighbours in pieces and epochs in uneven steps: the same layout.
  auto pieces = startRun(input, dims, options);
  EXPECT_FALSE(pieces->ready());
  EXPECT_TRUE(pieces->positions().empty());
  size_t calls = 0;
  while (!pieces->prepare(37)) ++calls;
  EXPECT_GT(calls, 2u);
  EXPECT_EQ(pieces->prepared(), n);
  for (size_t e : {1, 7, 50, 100}) pieces->step(e);
  EXPECT_EQ(pieces->epoch(), 120u);
  EXPECT_TRUE(pieces->done());
  EXPECT_EQ(whole->positions(), pieces->positions());
  // Another seed, another layout.
  options.seed = 8;
  auto other = startRun(input, dims, options);
  other->step(120);
  EXPECT_NE(whole->positions(), other->positions());
}

TEST(Umap, ValidatesInput) {
  const size_t n = 50, dims = 8;
  const std::vector<float> units = clusteredUnitVectors(n, dims, 2, 1.0, 1);
  auto make = [&](UmapOptions options, std::vector<float> vectors = {}) {
    if (vectors.empty()) vectors = units;
    return [options, vectors, &units, dims] {
      UmapRun run(bruteForceGraph(units, dims, std::max<size_t>(options.neighbors, 2) - 1), vectors, dims, options);
    };
  };
  UmapOptions options;
  options.dims = 4;
  EXPECT_TRUE(throwsError(make(options), ErrorCode::BadArgument, "2 or 3 dimensions"));
  options = {};
  options.minDist = -0.1;
  EXPECT_TRUE(throwsError(make(options), ErrorCode::BadArgument, "min_dist"));
  options = {};
  options.minDist = 1.5;
  EXPECT_TRUE(throwsError(make(options), ErrorCode::BadArgument, "min_dist"));
  options = {};
  options.neighbors = 1;
  EXPECT_TRUE(throwsError(make(options), ErrorCode::BadArgument, "n_neighbors"));
  options = {};
  options.neighbors = 60;
  EXPECT_TRUE(throwsError(make(options), ErrorCode::BadArgument, "n_neighbors"));
  std::vector<float> broken = units;
  broken[17] = std::nanf("");
  EXPECT_TRUE(throwsError(make({}, broken), ErrorCode::BadData, "NaN"));
  EXPECT_TRUE(throwsError(make({}, std::vector<float>(units.begin(), units.end() - 1)), ErrorCode::BadArgument,
                          "values"));
  // A graph whose k does not match n_neighbors.
  options = {};
  EXPECT_TRUE(throwsError([&] { UmapRun run(bruteForceGraph(units, dims, 5), units, dims, options); },
                          ErrorCode::BadArgument, "k = n_neighbors - 1"));
  EXPECT_TRUE(throwsError([] { checkUmapSize(kUmapMaxPoints + 1); }, ErrorCode::TooLarge, "at most"));
  EXPECT_TRUE(throwsError([] { checkUmapSize(2); }, ErrorCode::BadArgument, "at least 3"));
}

}  // namespace
}  // namespace explorer
