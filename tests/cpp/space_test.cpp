// Spaces: table statistics, the affine transforms and search inside them,
// on an anisotropic table (a common offset plus a few strong directions),
// the shape of real embeddings that makes centring and whitening matter.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "explorer/explorer.h"
#include "explorer/search.h"
#include "explorer/space.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::TestRandom;
using testing::throwsError;

constexpr size_t kRows = 3000, kDims = 20;

// x = offset + 2.0 g1 s1 + 1.2 g2 s2 + 0.8 g3 s3 + 0.25 noise, with |offset|
// = 3, unit directions s_k and standard-normal g_k and noise. The offset
// makes raw cosines large (about 9 / (9 + 7.3) ~ 0.55 on average).
EmbeddingTable buildAnisotropicTable() {
  TestRandom random(2718);
  auto randomUnit = [&] {
    Eigen::VectorXd v(kDims);
    for (size_t d = 0; d < kDims; ++d) v[d] = random.gaussian();
    return Eigen::VectorXd(v.normalized());
  };
  const Eigen::VectorXd offset = 3.0 * randomUnit();
  const Eigen::VectorXd strong[3] = {randomUnit(), randomUnit(), randomUnit()};
  const double strongStd[3] = {2.0, 1.2, 0.8};
  std::vector<float> values(kRows * kDims);
  for (size_t r = 0; r < kRows; ++r) {
    Eigen::VectorXd x = offset;
    for (int k = 0; k < 3; ++k) x += strongStd[k] * random.gaussian() * strong[k];
    for (size_t d = 0; d < kDims; ++d) x[d] += 0.25 * random.gaussian();
    for (size_t d = 0; d < kDims; ++d) values[r * kDims + d] = float(x[d]);
  }
  return EmbeddingTable::quantize(values.data(), kRows, kDims, testing::numberedWords(kRows), "anisotropic");
}

const EmbeddingTable& anisotropicTable() {
  static const EmbeddingTable table = buildAnisotropicTable();
  return table;
}

const TableStatistics& anisotropicStatistics() {
  static const TableStatistics statistics = TableStatistics::compute(anisotropicTable());
  return statistics;
}

// The dequantized raw vectors, as the statistics see them.
const std::vector<float>& rawRows() {
  static const std::vector<float> rows = testing::rawVectors(anisotropicTable());
  return rows;
}

struct Moments {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;  // population (divided by n), like TableStatistics
};

Moments momentsOf(const std::vector<float>& rows, size_t n, size_t d) {
  Moments m;
  m.mean = Eigen::VectorXd::Zero(d);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < d; ++k) m.mean[k] += rows[i * d + k];
  }
  m.mean /= double(n);
  m.covariance = Eigen::MatrixXd::Zero(d, d);
  for (size_t i = 0; i < n; ++i) {
    Eigen::VectorXd c(d);
    for (size_t k = 0; k < d; ++k) c[k] = double(rows[i * d + k]) - m.mean[k];
    m.covariance.noalias() += c * c.transpose();
  }
  m.covariance /= double(n);
  return m;
}

std::vector<float> transformAll(const Space& space) {
  std::vector<float> out(kRows * space.dims());
  for (size_t i = 0; i < kRows; ++i) space.transform(rawRows().data() + i * kDims, out.data() + i * space.dims());
  return out;
}

Space makeSpace(const std::string& spec) {
  return Space(anisotropicTable(), SpaceSpec::parse(spec, kDims), &anisotropicStatistics());
}

TEST(TableStatistics, MatchADoublePrecisionReference) {
  const TableStatistics& stats = anisotropicStatistics();
  const Moments reference = momentsOf(rawRows(), kRows, kDims);
  ASSERT_EQ(stats.mean.size(), Eigen::Index(kDims));
  // The mean sums the same floats in double: only summation order differs.
  EXPECT_LT((stats.mean - reference.mean).cwiseAbs().maxCoeff(), 1e-9);
  // The covariance sums float products over blocks of up to 2048 rows: the
  // worst-case error is ~2048 * 6e-8 = 1.2e-4 of sum |a_j a_k| / n, which is
  // at most sqrt(C_jj C_kk) (Cauchy-Schwarz).
  for (size_t j = 0; j < kDims; ++j) {
    for (size_t k = 0; k < kDims; ++k) {
      const double scale = std::sqrt(reference.covariance(j, j) * reference.covariance(k, k));
      EXPECT_NEAR(stats.covariance(j, k), reference.covariance(j, k), 1.5e-4 * scale) << j << "," << k;
    }
  }
  EXPECT_TRUE(stats.covariance.isApprox(stats.covariance.transpose(), 0.0));  // exactly symmetric
}

TEST(TableStatistics, EigenvaluesDescendAndEigenvectorsAreOrthonormal) {
  const TableStatistics& stats = anisotropicStatistics();
  const Eigen::VectorXd& values = stats.eigenvalues;
  const Eigen::MatrixXd& vectors = stats.eigenvectors;
  ASSERT_EQ(values.size(), Eigen::Index(kDims));
  for (Eigen::Index k = 1; k < values.size(); ++k) EXPECT_GE(values[k - 1], values[k]) << k;
  EXPECT_GE(values.minCoeff(), 0.0);
  // Double-precision eigen-solver: residuals near 1e-15 of the norm.
  const double largest = values[0];
  EXPECT_LT((vectors.transpose() * vectors - Eigen::MatrixXd::Identity(kDims, kDims)).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((stats.covariance * vectors - vectors * values.asDiagonal()).cwiseAbs().maxCoeff(), 1e-10 * largest);
  EXPECT_NEAR(values.sum(), stats.covariance.trace(), 1e-10 * values.sum());
  // The construction has three strong directions over 0.25^2 = 0.0625
  // noise: the gap after the third eigenvalue is large.
  EXPECT_GT(values[2], 0.3);
  EXPECT_LT(values[3], 0.1);
}

TEST(Space, RawTransformIsTheIdentity) {
  const Space raw(anisotropicTable(), SpaceSpec{}, nullptr);
  EXPECT_EQ(raw.dims(), kDims);
  EXPECT_EQ(transformAll(raw), rawRows());
}

TEST(Space, CenteredHasZeroMeanAndTheTableCovariance) {
  const Space space = makeSpace("centered");
  const Moments m = momentsOf(transformAll(space), kRows, kDims);
  // mean(x) - float(mu): float rounding of |mu| ~ 3, about 3e-7.
  EXPECT_LT(m.mean.cwiseAbs().maxCoeff(), 1e-5);
  EXPECT_LT((m.covariance - anisotropicStatistics().covariance).cwiseAbs().maxCoeff(),
            1e-4 * anisotropicStatistics().eigenvalues[0]);
}

// |C_y - I| for a space that should whiten. C_y is computed in double from
// float transforms; P (float) and the statistics' float-block covariance
// carry ~1e-6 relative errors, magnified by the eigenvalue spread
// (~4 / 0.06), so 1e-3 leaves an order of magnitude of margin.
constexpr double kWhiteningTolerance = 1e-3;

TEST(Space, WhitenedHasIdentityCovariance) {
  const Space space = makeSpace("whitened");
  ASSERT_EQ(space.dims(), kDims);
  const Moments m = momentsOf(transformAll(space), kRows, kDims);
  EXPECT_LT(m.mean.cwiseAbs().maxCoeff(), 1e-4);
  EXPECT_LT((m.covariance - Eigen::MatrixXd::Identity(kDims, kDims)).cwiseAbs().maxCoeff(), kWhiteningTolerance);
}

TEST(Space, WhitenedKKeepsTheTopKComponents) {
  const Space full = makeSpace("whitened");
  const Space top5 = makeSpace("whitened:5");
  ASSERT_EQ(top5.dims(), 5u);
  ASSERT_EQ(top5.projection().rows(), 5);
  ASSERT_EQ(top5.projection().cols(), Eigen::Index(kDims));
  // The same rows as the full whitening, in the same (descending) order.
  EXPECT_LT((top5.projection() - full.projection().topRows(5)).cwiseAbs().maxCoeff(), 1e-6);
  const Moments m = momentsOf(transformAll(top5), kRows, 5);
  EXPECT_LT((m.covariance - Eigen::MatrixXd::Identity(5, 5)).cwiseAbs().maxCoeff(), kWhiteningTolerance);
}

TEST(Space, ZcaHasIdentityCovarianceAndIsSymmetric) {
  const Space space = makeSpace("zca");
  ASSERT_EQ(space.dims(), kDims);
  const Moments m = momentsOf(transformAll(space), kRows, kDims);
  EXPECT_LT(m.mean.cwiseAbs().maxCoeff(), 1e-4);
  EXPECT_LT((m.covariance - Eigen::MatrixXd::Identity(kDims, kDims)).cwiseAbs().maxCoeff(), kWhiteningTolerance);
  // P = U L^-1/2 U^T is symmetric; float rounding of the product only.
  const Eigen::MatrixXf& p = space.projection();
  EXPECT_LT((p - p.transpose()).cwiseAbs().maxCoeff(), 1e-5f * p.cwiseAbs().maxCoeff());
}

TEST(Space, AllButTheTopRemovesTheTopDirections) {
  const size_t removed = 2;
  const Space space = makeSpace("abtt:2");
  ASSERT_EQ(space.dims(), kDims);
  const std::vector<float> y = transformAll(space);
  const Eigen::MatrixXd& u = anisotropicStatistics().eigenvectors;
  double worst = 0;
  for (size_t i = 0; i < kRows; ++i) {
    const Eigen::Map<const Eigen::VectorXf> yi(y.data() + i * kDims, kDims);
    const Eigen::VectorXd yd = yi.cast<double>();
    for (size_t k = 0; k < removed; ++k) worst = std::max(worst, std::fabs(u.col(k).dot(yd)) / yd.norm());
  }
  // P = I - U_D U_D^T in float: the residual along u_k is float rounding.
  EXPECT_LT(worst, 1e-4);
  const Moments m = momentsOf(y, kRows, kDims);
  EXPECT_LT(m.mean.cwiseAbs().maxCoeff(), 1e-5);
  // What is left: the covariance loses exactly the removed eigenvalues.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m.covariance, Eigen::EigenvaluesOnly);
  const Eigen::VectorXd left = solver.eigenvalues().reverse();
  const Eigen::VectorXd& original = anisotropicStatistics().eigenvalues;
  for (size_t k = 0; k + removed < kDims; ++k) {
    EXPECT_NEAR(left[k], original[k + removed], 1e-4 * original[0]) << k;
  }
}

TEST(Space, CovarianceMatchesTheTransformedVectors) {
  for (const std::string spec : {"raw", "centered", "whitened", "whitened:7", "zca", "abtt:3"}) {
    const Space space = makeSpace(spec);
    const Moments m = momentsOf(transformAll(space), kRows, space.dims());
    const Eigen::MatrixXd predicted = space.covariance(anisotropicStatistics());
    const double scale = m.covariance.cwiseAbs().maxCoeff();
    EXPECT_LT((predicted - m.covariance).cwiseAbs().maxCoeff(), 1e-3 * scale) << spec;
  }
}

// Search in a space must give the float cosine of the transformed vectors.
// The scan maps a query back to the raw space and quantizes it to int16,
// and folds the mean in through per-row factors; the brief allows 2e-3.
class SpaceSearch : public ::testing::TestWithParam<const char*> {};

TEST_P(SpaceSearch, ScoresMatchTheFloatCosineOfTransformedVectors) {
  constexpr double kScoreTolerance = 2e-3;
  const Space space = makeSpace(GetParam());
  const EmbeddingTable& table = anisotropicTable();
  const size_t dims = space.dims();
  const std::vector<float> y = transformAll(space);
  std::vector<double> yNorm(kRows);
  for (size_t i = 0; i < kRows; ++i) {
    yNorm[i] = Eigen::Map<const Eigen::VectorXf>(y.data() + i * dims, dims).cast<double>().norm();
  }

  TestRandom random(77);
  std::vector<Question> questions;
  for (int n = 0; n < 8; ++n) {
    Question q;
    q.directions = space.unitRow(table, uint32_t(random.below(kRows)));
    questions.push_back(q);
  }
  for (int n = 0; n < 4; ++n) {
    Question q;
    for (size_t k = 0; k < dims; ++k) q.directions.push_back(float(random.gaussian()));
    questions.push_back(q);
  }
  const auto results = searchBatch(table, space, questions, 10);

  double worst = 0;
  for (size_t q = 0; q < questions.size(); ++q) {
    const Eigen::VectorXd t =
        Eigen::Map<const Eigen::VectorXf>(questions[q].directions.data(), dims).cast<double>().normalized();
    std::vector<double> oracle(kRows);
    for (size_t i = 0; i < kRows; ++i) {
      const Eigen::VectorXd yi = Eigen::Map<const Eigen::VectorXf>(y.data() + i * dims, dims).cast<double>();
      oracle[i] = yi.dot(t) / yNorm[i];
    }
    std::vector<double> sorted = oracle;
    std::nth_element(sorted.begin(), sorted.begin() + 9, sorted.end(), std::greater<double>());
    const double tenth = sorted[9];
    ASSERT_EQ(results[q].size(), 10u);
    for (const Scored& s : results[q]) {
      worst = std::max(worst, std::fabs(s.score - oracle[s.id]));
      EXPECT_NEAR(s.score, oracle[s.id], kScoreTolerance) << GetParam() << ", question " << q << ", row " << s.id;
      // A returned row may only be one the tolerance cannot tell from the
      // oracle's 10th.
      EXPECT_GE(oracle[s.id], tenth - 2 * kScoreTolerance) << "row " << s.id;
    }
    // And every row clearly inside the oracle's top 10 must be returned.
    for (size_t i = 0; i < kRows; ++i) {
      if (oracle[i] > tenth + 2 * kScoreTolerance) {
        EXPECT_TRUE(std::any_of(results[q].begin(), results[q].end(), [&](const Scored& s) { return s.id == i; }))
            << GetParam() << ": row " << i << " missing from question " << q;
      }
    }
  }
  RecordProperty("worst_score_error", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(Specs, SpaceSearch,
                         ::testing::Values("raw", "centered", "whitened", "whitened:5", "zca", "abtt:2"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), ':', '_');
                           return name;
                         });

TEST(Space, MeanPairCosineFallsAfterCenteringAndWhitening) {
  Explorer explorer;
  explorer.load(anisotropicTable());
  const size_t sample = 200;  // 19900 pairs
  const Anisotropy raw = explorer.anisotropy(sample, 9);
  EXPECT_EQ(raw.pairs, sample * (sample - 1) / 2);
  // The offset (|mu| = 3 against a spread of ~2.7) dominates raw cosines.
  EXPECT_GT(raw.meanPairCosine, 0.2);
  EXPECT_NEAR(raw.meanVectorNorm, anisotropicStatistics().mean.norm(), 1e-5);
  // Three strong directions hold (4 + 1.44 + 0.64) / (6.08 + 20 * 0.0625)
  // ~ 83% of the variance.
  EXPECT_GT(raw.varianceTop3, 0.75);

  for (const std::string spec : {"centered", "whitened", "zca"}) {
    explorer.setSpace(spec);
    const Anisotropy a = explorer.anisotropy(sample, 9);
    // Zero-mean symmetric data: the mean pair cosine is 0 up to sampling
    // noise of order 1 / sample.
    EXPECT_LT(std::fabs(a.meanPairCosine), 0.02) << spec;
    EXPECT_LT(a.meanVectorNorm, 1e-4) << spec;
  }
  explorer.setSpace("whitened");
  for (double value : explorer.spectrum()) EXPECT_NEAR(value, 1.0, kWhiteningTolerance);
  EXPECT_NEAR(explorer.anisotropy(sample, 9).varianceTop1, 1.0 / kDims, kWhiteningTolerance);
}

TEST(Space, PairCosinesAreCosinesOfSampledUnitRows) {
  Explorer explorer;
  explorer.load(anisotropicTable());
  explorer.setSpace("centered");
  const std::vector<float> cosines = explorer.pairCosines(12, 4);
  ASSERT_EQ(cosines.size(), 66u);
  const std::vector<uint32_t> ids = sampleRows(kRows, 12, 4);
  // Pairs are listed column by column: (0,1), (0,2), (1,2), (0,3), ...
  size_t at = 0;
  for (size_t j = 1; j < ids.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      const std::vector<float> a = explorer.unitVector(ids[i]), b = explorer.unitVector(ids[j]);
      EXPECT_NEAR(cosines[at++], testing::dotFloat(a.data(), b.data(), a.size()), 1e-6);
    }
  }
}

TEST(SpaceSpec, ParsesEveryDocumentedForm) {
  EXPECT_EQ(SpaceSpec::parse("raw", 20).kind, SpaceSpec::Kind::Raw);
  EXPECT_EQ(SpaceSpec::parse("centered", 20).kind, SpaceSpec::Kind::Centered);
  EXPECT_EQ(SpaceSpec::parse("centred", 20).kind, SpaceSpec::Kind::Centered);
  const SpaceSpec whitened = SpaceSpec::parse("whitened", 20);
  EXPECT_EQ(whitened.kind, SpaceSpec::Kind::Whitened);
  EXPECT_EQ(whitened.components, 0);
  const SpaceSpec top = SpaceSpec::parse("whitened:7", 20);
  EXPECT_EQ(top.kind, SpaceSpec::Kind::Whitened);
  EXPECT_EQ(top.components, 7);
  EXPECT_EQ(SpaceSpec::parse("whitened:20", 20).components, 20);
  EXPECT_EQ(SpaceSpec::parse("zca", 20).kind, SpaceSpec::Kind::Zca);
  const SpaceSpec abtt = SpaceSpec::parse("abtt:2", 20);
  EXPECT_EQ(abtt.kind, SpaceSpec::Kind::AllButTheTop);
  EXPECT_EQ(abtt.components, 2);
  EXPECT_EQ(SpaceSpec::parse("abtt", 20).components, 3);  // the documented default
  EXPECT_EQ(SpaceSpec::parse("abtt:0", 20).components, 0);
  for (const std::string text : {"raw", "centered", "whitened", "whitened:7", "zca", "abtt:2"}) {
    EXPECT_EQ(SpaceSpec::parse(text, 20).toString(), text);
  }
}

TEST(SpaceSpec, RejectsJunk) {
  for (const std::string text : {"", "junk", "RAW", "whiten", "whitened:", "whitened:0", "whitened:21",
                                 "whitened:-1", "whitened:2x", "whitened:1234567", "abtt:20", "abtt:", "raw:1",
                                 "zca:3", "centered:2", ":3"}) {
    EXPECT_TRUE(throwsError([&] { SpaceSpec::parse(text, 20); }, ErrorCode::BadArgument, "")) << "\"" << text << "\"";
  }
}

TEST(Space, NonRawSpacesNeedStatistics) {
  EXPECT_TRUE(throwsError([] { Space(anisotropicTable(), SpaceSpec::parse("whitened", kDims), nullptr); },
                          ErrorCode::BadArgument, "needs the table statistics"));
}

}  // namespace
}  // namespace explorer
