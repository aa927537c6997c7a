// Euclidean nearest neighbours from the cosine scan (|y|^2 + |t|^2 -
// 2 |y||t| cos) against a float32 brute force written here over the
// ORIGINAL float rows (before int8 quantization), so recall@10 measures
// everything the int8 path loses. The figures are printed; the asserted
// floors leave room for other machines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "explorer/euclidean.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::TestRandom;
using testing::throwsError;

constexpr size_t kRows = 4000;
constexpr size_t kDims = 48;
constexpr size_t kQueries = 200;

// Rows whose lengths vary by a factor of about 8 and that share an offset,
// so Euclidean and cosine neighbours differ and centring matters.
std::vector<float> unevenValues() {
  TestRandom random(41);
  std::vector<float> values(kRows * kDims);
  for (size_t r = 0; r < kRows; ++r) {
    const double length = std::exp(0.7 * random.gaussian());
    for (size_t k = 0; k < kDims; ++k) {
      values[r * kDims + k] = float(length * random.gaussian() * 2.0 / (1.0 + 0.1 * k) + 0.8);
    }
  }
  return values;
}

struct Fixture {
  std::vector<float> values = unevenValues();
  Explorer explorer;
  Fixture() {
    explorer.load(EmbeddingTable::quantize(values.data(), kRows, kDims, testing::numberedWords(kRows), "uneven"));
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// Space vectors y = P (x - mu) of the original rows, in float32. P empty
// means identity.
std::vector<float> spaceVectors(const std::vector<float>& values, const std::vector<float>& mean,
                                const std::vector<std::vector<float>>& projection) {
  const size_t out = projection.empty() ? kDims : projection.size();
  std::vector<float> y(kRows * out);
  std::vector<float> centred(kDims);
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t k = 0; k < kDims; ++k) centred[k] = values[r * kDims + k] - mean[k];
    for (size_t j = 0; j < out; ++j) {
      if (projection.empty()) {
        y[r * out + j] = centred[j];
        continue;
      }
      float sum = 0;
      for (size_t k = 0; k < kDims; ++k) sum += projection[j][k] * centred[k];
      y[r * out + j] = sum;
    }
  }
  return y;
}

// Float32 brute force: every row's Euclidean distance to `point`, nearest
// first (ties to the smaller id), rows in `exclude` left out.
std::vector<Scored> bruteForce(const std::vector<float>& y, size_t dims, const std::vector<float>& point,
                               const std::vector<uint32_t>& exclude) {
  std::vector<Scored> all;
  for (uint32_t r = 0; r < kRows; ++r) {
    if (std::find(exclude.begin(), exclude.end(), r) != exclude.end()) continue;
    float sum = 0;
    for (size_t k = 0; k < dims; ++k) {
      const float d = y[r * dims + k] - point[k];
      sum += d * d;
    }
    all.push_back({r, std::sqrt(sum)});
  }
  std::sort(all.begin(), all.end(), [](const Scored& a, const Scored& b) {
    return a.score < b.score || (a.score == b.score && a.id < b.id);
  });
  return all;
}

double overlapAt10(const std::vector<Scored>& truth, const std::vector<Scored>& found) {
  size_t hits = 0;
  for (size_t i = 0; i < 10; ++i) {
    hits += std::any_of(found.begin(), found.end(), [&](const Scored& f) { return f.id == truth[i].id; });
  }
  return hits / 10.0;
}

struct Measured {
  double recall = 0;
  double worstRelativeError = 0;  // of the reported distances against float32
  double cosineRecall = 0;        // how often cosine would have found the same 10
};

Measured measure(const std::string& spec, const std::vector<float>& y, size_t dims) {
  Fixture& f = fixture();
  f.explorer.setSpace(spec);
  const Space& space = f.explorer.space();
  Measured m;
  for (size_t q = 0; q < kQueries; ++q) {
    const auto id = static_cast<uint32_t>((q * 7919) % kRows);
    const std::vector<float> point(y.begin() + id * dims, y.begin() + (id + 1) * dims);
    const std::vector<Scored> truth = bruteForce(y, dims, point, {id});
    const std::vector<Scored> found = euclideanNeighbors(f.explorer.table(), space, id, 10, {});
    EXPECT_EQ(found.size(), 10u);
    for (size_t i = 1; i < found.size(); ++i) EXPECT_LE(found[i - 1].score, found[i].score) << spec;
    m.recall += overlapAt10(truth, found);
    m.cosineRecall += overlapAt10(truth, f.explorer.neighbors(id, 10, {}));
    for (const Scored& s : found) {
      const auto it = std::find_if(truth.begin(), truth.end(), [&](const Scored& t) { return t.id == s.id; });
      m.worstRelativeError = std::max(m.worstRelativeError, std::abs(s.score - it->score) / double(it->score));
    }
  }
  m.recall /= kQueries;
  m.cosineRecall /= kQueries;
  std::printf("Euclidean recall@10 vs float32 in the %s space (%zu x %zu, %zu queries): %.3f; "
              "worst relative distance error %.4f; cosine's top 10 would give %.3f\n",
              spec.c_str(), kRows, kDims, kQueries, m.recall, m.worstRelativeError, m.cosineRecall);
  return m;
}

std::vector<float> columnMean(const std::vector<float>& values) {
  std::vector<double> sum(kDims, 0.0);
  for (size_t r = 0; r < kRows; ++r)
    for (size_t k = 0; k < kDims; ++k) sum[k] += values[r * kDims + k];
  std::vector<float> mean(kDims);
  for (size_t k = 0; k < kDims; ++k) mean[k] = float(sum[k] / kRows);
  return mean;
}

TEST(Euclidean, RawSpaceRecallAgainstFloat32) {
  Fixture& f = fixture();
  const std::vector<float> y = spaceVectors(f.values, std::vector<float>(kDims, 0.0f), {});
  const Measured m = measure("raw", y, kDims);
  EXPECT_GE(m.recall, 0.95);
  EXPECT_LT(m.worstRelativeError, 0.02);
  // The data is built so that the metric matters: cosine's lists differ.
  EXPECT_LT(m.cosineRecall, 0.9);
}

TEST(Euclidean, CentredSpaceRecallAgainstFloat32) {
  Fixture& f = fixture();
  const std::vector<float> y = spaceVectors(f.values, columnMean(f.values), {});
  const Measured m = measure("centered", y, kDims);
  EXPECT_GE(m.recall, 0.95);
  EXPECT_LT(m.worstRelativeError, 0.02);
}

TEST(Euclidean, ReducedWhitenedSpaceRecallAgainstFloat32) {
  // The whitening matrix itself is checked in space_test; here the float
  // reference applies the space's own P and mu to the original rows.
  Fixture& f = fixture();
  f.explorer.setSpace("whitened:12");
  const Space& space = f.explorer.space();
  std::vector<std::vector<float>> p(space.dims(), std::vector<float>(kDims));
  for (size_t j = 0; j < space.dims(); ++j)
    for (size_t k = 0; k < kDims; ++k) p[j][k] = space.projection()(Eigen::Index(j), Eigen::Index(k));
  const std::vector<float> mean(space.mean().data(), space.mean().data() + kDims);
  const std::vector<float> y = spaceVectors(f.values, mean, p);
  const Measured m = measure("whitened:12", y, space.dims());
  EXPECT_GE(m.recall, 0.9);
  EXPECT_LT(m.worstRelativeError, 0.05);
}

TEST(Euclidean, ExpressionIsTheWeightedSumOfFullLengthVectors) {
  Fixture& f = fixture();
  f.explorer.setSpace("centered");
  const std::vector<float> y = spaceVectors(f.values, columnMean(f.values), {});
  std::vector<float> point(kDims);
  for (size_t k = 0; k < kDims; ++k) point[k] = y[5 * kDims + k] - 0.5f * y[17 * kDims + k] + y[300 * kDims + k];
  std::vector<std::pair<uint32_t, double>> terms;
  const std::vector<Scored> found =
      euclideanExpression(f.explorer.table(), f.explorer.space(), "w5 - 0.5*w17 + w300", 10, false, &terms);
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[1].first, 17u);
  EXPECT_DOUBLE_EQ(terms[1].second, -0.5);
  const std::vector<Scored> truth = bruteForce(y, kDims, point, {5, 17, 300});
  EXPECT_GE(overlapAt10(truth, found), 0.9);
  EXPECT_NEAR(found[0].score, truth[0].score, 0.02 * truth[0].score);
  for (const Scored& s : found) EXPECT_TRUE(s.id != 5 && s.id != 17 && s.id != 300);
  // With the inputs kept, "w5 + 0*w17" is w5 itself: distance (about) 0.
  const std::vector<Scored> self =
      euclideanExpression(f.explorer.table(), f.explorer.space(), "w5 + 0*w17", 1, true);
  EXPECT_EQ(self[0].id, 5u);
  EXPECT_LT(self[0].score, 0.02 * std::sqrt(double(kDims)));
}

TEST(Euclidean, AZeroPointRanksRowsByTheirLength) {
  // "w3 - w3" is the origin of the space: a fair question for distance (the
  // shortest rows), unlike cosine, which refuses it.
  Fixture& f = fixture();
  f.explorer.setSpace("raw");
  const std::vector<Scored> found = euclideanExpression(f.explorer.table(), f.explorer.space(), "w3 - w3", 5, true);
  const std::vector<float> y = spaceVectors(f.values, std::vector<float>(kDims, 0.0f), {});
  const std::vector<Scored> truth = bruteForce(y, kDims, std::vector<float>(kDims, 0.0f), {});
  ASSERT_EQ(found.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(found[i].id, truth[i].id);
    EXPECT_NEAR(found[i].score, truth[i].score, 0.01 * truth[i].score);
  }
}

TEST(Euclidean, BadQuestionsNameTheProblem) {
  Fixture& f = fixture();
  const EmbeddingTable& table = f.explorer.table();
  const Space& space = f.explorer.space();
  EXPECT_TRUE(throwsError([&] { euclideanNeighbors(table, space, 3, 0, {}); }, ErrorCode::BadArgument, "k must be"));
  EXPECT_TRUE(throwsError([&] { euclideanNeighbors(table, space, 3, 10001, {}); }, ErrorCode::BadArgument, "10000"));
  EXPECT_TRUE(throwsError([&] { euclideanNeighbors(table, space, uint32_t(kRows), 5, {}); }, ErrorCode::BadArgument,
                          "out of range"));
  EXPECT_TRUE(throwsError([&] { euclideanExpression(table, space, "w1 + nosuchword", 5, false); },
                          ErrorCode::UnknownWord, "nosuchword"));
  EXPECT_TRUE(throwsError([&] { euclideanSearch(table, space, std::vector<float>(3, 0.0f), {}, 5); },
                          ErrorCode::BadArgument, "dimensions"));
  std::vector<float> bad(space.dims(), 0.0f);
  bad[0] = NAN;
  EXPECT_TRUE(throwsError([&] { euclideanSearch(table, space, bad, {}, 5); }, ErrorCode::BadArgument, "NaN"));
}

}  // namespace
}  // namespace explorer
