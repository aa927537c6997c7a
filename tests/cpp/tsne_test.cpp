// t-SNE: Barnes-Hut repulsion against the exact O(n^2) sums, cluster
// separation on seeded synthetic data, determinism, input validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "explorer/explorer.h"
#include "explorer/tsne.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::TestRandom;
using testing::throwsError;

// `clusters` Gaussian clusters in `dims` dimensions: centres with standard
// deviation `spread` per coordinate, points with standard deviation 1
// around them. Point i belongs to cluster i % clusters.
std::vector<float> clusteredData(size_t points, size_t dims, size_t clusters, double spread, uint64_t seed) {
  TestRandom random(seed);
  std::vector<double> centres(clusters * dims);
  for (double& c : centres) c = spread * random.gaussian();
  std::vector<float> data(points * dims);
  for (size_t i = 0; i < points; ++i) {
    for (size_t d = 0; d < dims; ++d) data[i * dims + d] = float(centres[(i % clusters) * dims + d] + random.gaussian());
  }
  return data;
}

// Share of each point's `k` nearest embedded neighbours in its own cluster.
double neighbourPurity(const std::vector<float>& y, size_t clusters, size_t k) {
  const size_t n = y.size() / 3;
  size_t same = 0;
  std::vector<std::pair<float, size_t>> order;
  for (size_t i = 0; i < n; ++i) {
    order.clear();
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      float d2 = 0;
      for (int c = 0; c < 3; ++c) d2 += (y[3 * i + c] - y[3 * j + c]) * (y[3 * i + c] - y[3 * j + c]);
      order.emplace_back(d2, j);
    }
    std::partial_sort(order.begin(), order.begin() + long(k), order.end());
    for (size_t q = 0; q < k; ++q) same += order[q].second % clusters == i % clusters;
  }
  return double(same) / double(n * k);
}

// Relative error of a force field: |F - G| / |G| over all coordinates.
double forceError(const std::vector<float>& f, const std::vector<float>& exact) {
  double difference = 0, norm = 0;
  for (size_t c = 0; c < f.size(); ++c) {
    difference += (double(f[c]) - exact[c]) * (double(f[c]) - exact[c]);
    norm += double(exact[c]) * exact[c];
  }
  return std::sqrt(difference / norm);
}

// Layouts to test the repulsion on: a Gaussian cloud (one scale) and tight
// clusters far apart (many scales, deep trees).
std::vector<float> cloudLayout(size_t n, uint64_t seed) {
  TestRandom random(seed);
  std::vector<float> y(3 * n);
  for (float& v : y) v = float(5 * random.gaussian());
  return y;
}

std::vector<float> clusteredLayout(size_t n, uint64_t seed) {
  TestRandom random(seed);
  std::vector<float> y(3 * n);
  for (size_t i = 0; i < n; ++i) {
    const size_t cluster = i % 7;
    for (int c = 0; c < 3; ++c) y[3 * i + c] = float(30.0 * std::cos(double(cluster * (c + 2))) + 0.3 * random.gaussian());
  }
  return y;
}

TEST(BarnesHut, ThetaZeroIsExact) {
  for (size_t n : {2u, 5u, 17u, 300u, 1000u}) {
    for (const auto& y : {cloudLayout(n, 11 + n), clusteredLayout(n, 13 + n)}) {
      std::vector<float> exact(3 * n), tree(3 * n);
      const double zExact = exactRepulsion(y.data(), n, exact.data());
      BarnesHutRepulsion repulsion;
      const double zTree = repulsion.compute(y.data(), n, 0.0, tree.data());
      // Float32 sums of up to n terms against double: a few float epsilons.
      EXPECT_NEAR(zTree, zExact, 1e-5 * zExact) << "n = " << n;
      EXPECT_LT(forceError(tree, exact), 1e-5) << "n = " << n;
      EXPECT_EQ(repulsion.interactions(), n * ((n + 3) / 4 * 4)) << "theta 0 meets every point";
    }
  }
}

TEST(BarnesHut, ThetaHalfIsClose) {
  const size_t n = 2000;
  for (const bool clustered : {false, true}) {
    const std::vector<float> y = clustered ? clusteredLayout(n, 6) : cloudLayout(n, 5);
    std::vector<float> exact(3 * n), tree(3 * n);
    const double zExact = exactRepulsion(y.data(), n, exact.data());
    BarnesHutRepulsion repulsion;
    const double zTree = repulsion.compute(y.data(), n, 0.5, tree.data());
    const double error = forceError(tree, exact);
    // Measured: Z within 7.4e-4 and forces within 2.1e-3 (relative L2).
    EXPECT_NEAR(zTree, zExact, 5e-3 * zExact);
    EXPECT_LT(error, 2e-2);
    // A plain cloud of 2,000 points gains little from the tree (1,196
    // interactions per point measured); a clustered layout gains most (273).
    EXPECT_LT(repulsion.interactions(), clustered ? n * n / 4 : n * n);
    std::printf("theta 0.5, n %zu: Z error %.2e, force error %.2e, %zu interactions per point\n", n,
                std::abs(zTree - zExact) / zExact, error, repulsion.interactions() / n);
  }
}

TEST(BarnesHut, IdenticalPointsRepelNothing) {
  const size_t n = 40;
  std::vector<float> y(3 * n, 1.5f), forces(3 * n, 7.0f);
  BarnesHutRepulsion repulsion;
  EXPECT_DOUBLE_EQ(repulsion.compute(y.data(), n, 0.5, forces.data()), double(n * (n - 1)));
  for (float f : forces) EXPECT_EQ(f, 0.0f);
}

constexpr size_t kPoints = 300, kDims = 20, kClusters = 5;

const std::vector<float>& clusters() {
  static const std::vector<float> data = clusteredData(kPoints, kDims, kClusters, 1.0, 99);
  return data;
}

TEST(Tsne, SeparatesClusters) {
  TsneRun run(clusters(), kDims);
  EXPECT_DOUBLE_EQ(run.perplexity(), 30.0);
  EXPECT_EQ(run.neighbors(), 90u);
  EXPECT_DOUBLE_EQ(run.learningRate(), 200.0);
  const double klStart = run.klDivergence();
  EXPECT_EQ(run.step(1000), 1000u);
  EXPECT_EQ(run.iteration(), 1000u);
  const std::vector<float>& y = run.positions();
  ASSERT_EQ(y.size(), 3 * kPoints);
  double mean[3] = {0, 0, 0};
  for (size_t i = 0; i < kPoints; ++i) {
    for (int c = 0; c < 3; ++c) {
      ASSERT_TRUE(std::isfinite(y[3 * i + c]));
      mean[c] += y[3 * i + c] / double(kPoints);
    }
  }
  for (double m : mean) EXPECT_NEAR(m, 0.0, 1e-3);
  const double purity = neighbourPurity(y, kClusters, 5);
  EXPECT_GT(purity, 0.9);
  const double kl = run.klDivergence();
  EXPECT_LT(kl, klStart);
  EXPECT_GT(kl, 0.0);
  std::printf("5 clusters in 20-D, 300 points: 5-NN purity %.3f, KL %.3f -> %.3f\n", purity, klStart, kl);
}

TEST(Tsne, SameSeedSameLayout) {
  TsneOptions options;
  options.seed = 42;
  TsneRun a(clusters(), kDims, options), b(clusters(), kDims, options);
  a.step(300);
  // Progressive: two steps land exactly where one long step does.
  b.step(120);
  b.step(180);
  EXPECT_EQ(a.positions(), b.positions());

  options.seed = 43;
  TsneRun c(clusters(), kDims, options);
  c.step(300);
  EXPECT_NE(a.positions(), c.positions());
}

// The affinities are computed a bounded number of points per prepare()
// call, so a worker can answer queries in between (at 10,000 points the
// neighbour search takes over a second); how the work is split must not
// change the layout.
TEST(Tsne, PreparesInBoundedStepsWithTheSameResult) {
  const size_t points = 700;  // several Gram blocks of 256
  const std::vector<float> data = clusteredData(points, kDims, kClusters, 1.0, 7);
  TsneRun whole(data, kDims), stepped(data, kDims), implicit(data, kDims);
  EXPECT_FALSE(whole.ready());
  EXPECT_EQ(whole.affinityCount(), 0u);
  EXPECT_TRUE(whole.prepare(points));
  EXPECT_EQ(whole.prepared(), points);

  size_t calls = 0;
  for (size_t size : {1, 37, 255, 2, 300}) {
    const size_t before = stepped.prepared();
    const bool ready = stepped.prepare(size);
    ++calls;
    EXPECT_EQ(stepped.prepared(), std::min(points, before + size));
    EXPECT_EQ(ready, stepped.prepared() == points);
  }
  while (!stepped.prepare(64)) ++calls;
  EXPECT_GT(calls, 5u);
  EXPECT_TRUE(stepped.prepare(1));  // ready stays ready
  EXPECT_EQ(stepped.affinityCount(), whole.affinityCount());

  whole.step(60);
  stepped.step(60);
  implicit.step(60);  // step() finishes the preparation itself
  EXPECT_EQ(whole.positions(), stepped.positions());
  EXPECT_EQ(whole.positions(), implicit.positions());
}

TEST(Tsne, ClampsPerplexityForFewPoints) {
  for (size_t n : {2u, 3u, 4u, 10u, 31u}) {
    const std::vector<float> data = clusteredData(n, 4, 2, 3.0, n);
    TsneRun run(data, 4);
    EXPECT_LE(run.perplexity(), std::max(1.0, double(n - 1) / 3));
    EXPECT_LE(run.neighbors(), n - 1);
    run.step(300);
    for (float v : run.positions()) ASSERT_TRUE(std::isfinite(v)) << "n = " << n;
  }
}

TEST(Tsne, DuplicateInputsStayFinite) {
  std::vector<float> data(50 * 3, 0.25f);
  TsneRun run(data, 3);
  run.step(300);
  for (float v : run.positions()) ASSERT_TRUE(std::isfinite(v));
}

TEST(Tsne, ValidatesInput) {
  const std::vector<float> one(8, 1.0f);
  EXPECT_TRUE(throwsError([&] { TsneRun(one, 8); }, ErrorCode::BadArgument, "at least 2 points"));
  EXPECT_TRUE(throwsError([&] { TsneRun({}, 8); }, ErrorCode::BadArgument, "at least 2 points"));
  EXPECT_TRUE(throwsError([&] { TsneRun(one, 0); }, ErrorCode::BadArgument, "no dimensions"));
  EXPECT_TRUE(throwsError([&] { TsneRun(one, 3); }, ErrorCode::BadArgument, "multiple of 3"));
  const std::vector<float> tooMany(kTsneMaxPoints + 1, 0.5f);
  EXPECT_TRUE(throwsError([&] { TsneRun(tooMany, 1); }, ErrorCode::TooLarge, "at most 20000 points"));

  std::vector<float> data = clusters();
  data[77] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(throwsError([&] { TsneRun(data, kDims); }, ErrorCode::BadData, "NaN"));
  data[77] = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(throwsError([&] { TsneRun(data, kDims); }, ErrorCode::BadData, "NaN or infinite"));

  auto with = [](auto change) {
    TsneOptions options;
    change(options);
    return options;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(throwsError([&] { TsneRun(clusters(), kDims, with([](TsneOptions& o) { o.perplexity = 0; })); },
                          ErrorCode::BadArgument, "perplexity"));
  EXPECT_TRUE(throwsError([&] { TsneRun(clusters(), kDims, with([&](TsneOptions& o) { o.perplexity = nan; })); },
                          ErrorCode::BadArgument, "perplexity"));
  EXPECT_TRUE(throwsError([&] { TsneRun(clusters(), kDims, with([](TsneOptions& o) { o.theta = 1.5; })); },
                          ErrorCode::BadArgument, "theta"));
  EXPECT_TRUE(throwsError([&] { TsneRun(clusters(), kDims, with([](TsneOptions& o) { o.theta = -0.1; })); },
                          ErrorCode::BadArgument, "theta"));
  EXPECT_TRUE(throwsError([&] { TsneRun(clusters(), kDims, with([](TsneOptions& o) { o.finalMomentum = 1; })); },
                          ErrorCode::BadArgument, "momentum"));
  for (size_t dims : {0u, 1u, 4u}) {
    EXPECT_TRUE(throwsError([&] { TsneRun(clusters(), kDims, with([&](TsneOptions& o) { o.dims = dims; })); },
                            ErrorCode::BadArgument, "2 or 3 dimensions, got " + std::to_string(dims)));
  }
}

// 2D: every z is exactly 0 from the start to the end (not merely small),
// the clusters still separate in the plane, and x, y move as in a real
// 2D layout rather than copying the 3D run's.
TEST(Tsne, TwoDimensionsStayInThePlaneAndCluster) {
  TsneOptions flat;
  flat.dims = 2;
  TsneRun run(clusters(), kDims, flat);
  EXPECT_EQ(run.dims(), 2u);
  for (size_t i = 0; i < kPoints; ++i) ASSERT_EQ(run.positions()[3 * i + 2], 0.0f);
  const double klStart = run.klDivergence();
  for (size_t done = 0; done < 1000; done += 250) {
    run.step(250);
    const std::vector<float>& y = run.positions();
    for (size_t i = 0; i < kPoints; ++i) {
      ASSERT_TRUE(std::isfinite(y[3 * i]) && std::isfinite(y[3 * i + 1]));
      ASSERT_EQ(y[3 * i + 2], 0.0f) << "point " << i << " after " << run.iteration() << " iterations";
      ASSERT_FALSE(std::signbit(y[3 * i + 2])) << "z turned into -0 at point " << i;
    }
  }
  const std::vector<float>& y = run.positions();
  double spread[2] = {0, 0};
  for (size_t i = 0; i < kPoints; ++i) {
    for (int c = 0; c < 2; ++c) spread[c] += double(y[3 * i + c]) * y[3 * i + c] / double(kPoints);
  }
  EXPECT_GT(spread[0], 1.0);  // a real layout, grown from the 1e-4 start
  EXPECT_GT(spread[1], 1.0);
  const double purity = neighbourPurity(y, kClusters, 5);
  EXPECT_GT(purity, 0.9);
  const double kl = run.klDivergence();
  EXPECT_LT(kl, klStart);

  TsneRun deep(clusters(), kDims);  // the same seed in 3D
  deep.step(1000);
  EXPECT_NE(deep.positions(), y);
  std::printf("5 clusters in 20-D, 300 points, 2D: 5-NN purity %.3f, KL %.3f -> %.3f (3D: %.3f)\n", purity, klStart,
              kl, deep.klDivergence());
}

TEST(Tsne, ExplorerUnitVectors) {
  Explorer explorer;
  explorer.load(testing::randomTable(50, 12, 7));
  const std::vector<uint32_t> ids = {3, 0, 49, 3};
  const std::vector<float> units = explorer.unitVectors(ids);
  ASSERT_EQ(units.size(), ids.size() * 12);
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::vector<float> u = explorer.unitVector(ids[i]);
    EXPECT_TRUE(std::equal(u.begin(), u.end(), units.begin() + long(i * 12)));
  }
  EXPECT_TRUE(throwsError([&] { explorer.unitVectors({1, 50}); }, ErrorCode::BadArgument, "out of range"));
}

}  // namespace
}  // namespace explorer
