// Figures and evaluations in a space other than the one the explorer shows
// (issue 7: the anisotropy panel and the evaluation lab compare spaces
// while the page keeps answering in its own), checked against float32
// references computed here from the dequantized rows.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "explorer/evaluation.h"
#include "explorer/explorer.h"
#include "explorer/sampling.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::gaussianValues;
using testing::numberedWords;
using testing::rawVectors;

constexpr size_t kRows = 1500, kDims = 24;

// Gaussian rows plus a large shared offset: strongly anisotropic in the
// raw space (every pair has a high cosine), isotropic once centred.
EmbeddingTable offsetTable() {
  std::vector<float> values = gaussianValues(kRows * kDims, 11);
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t d = 0; d < kDims; ++d) values[r * kDims + d] += d < 4 ? 3.0f : 0.0f;
  }
  return EmbeddingTable::quantize(values.data(), kRows, kDims, numberedWords(kRows), "offset");
}

// The float32 reference: raw rows, their mean and covariance (double),
// and the map of a space, all computed here independently of Space.
struct Reference {
  Eigen::MatrixXf rows;  // kRows x kDims
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;
  Eigen::VectorXd eigenvalues;   // descending
  Eigen::MatrixXd eigenvectors;  // matching columns

  explicit Reference(const EmbeddingTable& table) {
    const std::vector<float> raw = rawVectors(table);
    rows = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        raw.data(), Eigen::Index(kRows), Eigen::Index(kDims));
    const Eigen::MatrixXd x = rows.cast<double>();
    mean = x.colwise().mean().transpose();
    const Eigen::MatrixXd centred = x.rowwise() - mean.transpose();
    covariance = centred.transpose() * centred / double(kRows);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    eigenvalues = solver.eigenvalues().reverse();
    eigenvectors = solver.eigenvectors().rowwise().reverse();
  }

  // centered: x - mean; abtt:D: (I - U_D U_D^T)(x - mean).
  Eigen::VectorXf map(size_t row, const std::string& space) const {
    Eigen::VectorXd y = rows.row(Eigen::Index(row)).transpose().cast<double>() - mean;
    if (space.rfind("abtt:", 0) == 0) {
      const int removed = std::stoi(space.substr(5));
      const Eigen::MatrixXd top = eigenvectors.leftCols(removed);
      y -= top * (top.transpose() * y);
    }
    return y.cast<float>();
  }

  Eigen::VectorXf unit(size_t row, const std::string& space) const {
    const Eigen::VectorXf y = map(row, space);
    return y / y.norm();
  }
};

TEST(SideSpace, AnisotropyInAGivenSpaceMatchesAFloatReference) {
  Explorer explorer;
  explorer.load(offsetTable());
  const Reference reference(explorer.table());
  const size_t sample = 300;
  const uint64_t seed = 5;
  const std::vector<uint32_t> ids = sampleRows(kRows, sample, seed);

  for (const std::string space : {"centered", "abtt:3"}) {
    SCOPED_TRACE(space);
    const std::vector<float> cosines = explorer.pairCosines(sample, seed, space);
    ASSERT_EQ(cosines.size(), sample * (sample - 1) / 2);
    double sum = 0;
    size_t at = 0;
    float worst = 0;
    for (size_t j = 1; j < sample; ++j) {
      for (size_t i = 0; i < j; ++i, ++at) {
        const float want = reference.unit(ids[i], space).dot(reference.unit(ids[j], space));
        worst = std::max(worst, std::abs(cosines[at] - want));
        sum += want;
      }
    }
    EXPECT_LT(worst, 1e-4f);

    const Anisotropy a = explorer.anisotropy(sample, seed, space);
    EXPECT_EQ(a.space, space);
    EXPECT_EQ(a.pairs, cosines.size());
    EXPECT_NEAR(a.meanPairCosine, sum / double(cosines.size()), 1e-5);
    EXPECT_LT(std::abs(a.meanPairCosine), 0.05);  // isotropic once the offset is gone

    // Spectrum: the reference covariance, with the removed directions
    // at zero for abtt.
    std::vector<double> want(reference.eigenvalues.data(), reference.eigenvalues.data() + kDims);
    if (space == "abtt:3") {
      std::fill(want.begin(), want.begin() + 3, 0.0);
      std::sort(want.rbegin(), want.rend());
    }
    const std::vector<double> got = explorer.spectrum(space);
    ASSERT_EQ(got.size(), kDims);
    for (size_t k = 0; k < kDims; ++k) EXPECT_NEAR(got[k], want[k], 1e-6 * want[0] + 1e-9) << "eigenvalue " << k;
    EXPECT_DOUBLE_EQ(a.eigenvalueMax, got.front());
    EXPECT_DOUBLE_EQ(a.eigenvalueMin, got.back());
  }

  // The raw figures differ, and none of the calls above switched the space.
  EXPECT_EQ(explorer.space().spec().toString(), "raw");
  const Anisotropy raw = explorer.anisotropy(sample, seed, "");
  EXPECT_EQ(raw.space, "raw");
  EXPECT_GT(raw.meanPairCosine, 0.3);
  EXPECT_EQ(raw.meanPairCosine, explorer.anisotropy(sample, seed, "raw").meanPairCosine);
  std::printf("mean pair cosine: raw %.3f, centered %.3f, abtt:3 %.3f\n", raw.meanPairCosine,
              explorer.anisotropy(sample, seed, "centered").meanPairCosine,
              explorer.anisotropy(sample, seed, "abtt:3").meanPairCosine);

  // A space built on the side is the one setSpace then switches to.
  const auto side = explorer.spaceFor("centered");
  explorer.setSpace("centered");
  EXPECT_EQ(&explorer.space(), side.get());
  EXPECT_TRUE(testing::throwsError([&] { explorer.anisotropy(sample, seed, "bogus"); }, ErrorCode::BadArgument,
                                   "bogus"));
  EXPECT_EQ(explorer.space().spec().toString(), "centered");
}

// Questions whose float32 answer in the centred space is known: the
// evaluation started in "centered" finds them while the explorer stays raw.
TEST(SideSpace, EvaluationsRunInTheSpaceTheyAreGiven) {
  Explorer explorer;
  explorer.load(offsetTable());
  const Reference reference(explorer.table());
  const std::string space = "centered";
  std::vector<Eigen::VectorXf> units;
  for (size_t r = 0; r < kRows; ++r) units.push_back(reference.unit(r, space));

  SplitMix64 random(3);
  std::string analogies = ": generated\n";
  size_t questions = 0;
  for (; questions < 60; ++questions) {
    const uint32_t a = uint32_t(random.below(kRows)), b = uint32_t(random.below(kRows)), c = uint32_t(random.below(kRows));
    if (a == b || b == c || a == c) continue;
    const Eigen::VectorXf direction = units[b] - units[a] + units[c];
    uint32_t best = 0;
    float bestScore = -2;
    for (uint32_t r = 0; r < kRows; ++r) {
      if (r == a || r == b || r == c) continue;
      const float score = units[r].dot(direction);
      if (score > bestScore) bestScore = score, best = r;
    }
    analogies += "w" + std::to_string(a) + " w" + std::to_string(b) + " w" + std::to_string(c) + " w" +
                 std::to_string(best) + "\n";
  }

  AnalogyEvaluation centred(explorer.tableHandle(), explorer.spaceFor(space), analogies, Method::CosAdd);
  while (!centred.step(16)) {
  }
  AnalogyEvaluation raw(explorer.tableHandle(), explorer.spaceFor(""), analogies, Method::CosAdd);
  while (!raw.step(64)) {
  }
  EXPECT_EQ(centred.space().spec().toString(), space);
  EXPECT_EQ(raw.space().spec().toString(), "raw");
  const double centredAccuracy = double(centred.correct()) / double(centred.questionCount());
  const double rawAccuracy = double(raw.correct()) / double(raw.questionCount());
  std::printf("generated analogies: %.2f correct in the centred space, %.2f in the raw space\n", centredAccuracy,
              rawAccuracy);
  EXPECT_GE(centredAccuracy, 0.9);  // int8 codes may flip a near tie
  EXPECT_LT(rawAccuracy, centredAccuracy);

  // Word pairs scored with their reference cosine in the centred space.
  std::string pairs;
  for (size_t i = 0; i < 200; ++i) {
    const uint32_t a = uint32_t(random.below(kRows)), b = uint32_t(random.below(kRows));
    pairs += "w" + std::to_string(a) + " w" + std::to_string(b) + " " + std::to_string(units[a].dot(units[b])) + "\n";
  }
  const PairScores inCentred = evaluatePairs(explorer.table(), *explorer.spaceFor(space), pairs);
  const PairScores inRaw = evaluatePairs(explorer.table(), explorer.space(), pairs);
  EXPECT_GT(inCentred.pearson, 0.9999);
  EXPECT_LT(inRaw.pearson, inCentred.pearson);
  EXPECT_EQ(explorer.space().spec().toString(), "raw");
}

}  // namespace
}  // namespace explorer
