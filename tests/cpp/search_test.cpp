// Brute-force search over the int8 table against a float32 oracle.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "explorer/search.h"
#include "explorer/space.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::oracleCosines;
using testing::queryCosineErrorBound;
using testing::randomTable;
using testing::TestRandom;
using testing::throwsError;

// 2003 rows: the last 8-row block is partial.
constexpr size_t kRows = 2003;

std::vector<float> randomDirection(size_t dims, TestRandom& random) {
  std::vector<float> t(dims);
  for (float& v : t) v = float(random.gaussian());
  return t;
}

std::vector<float> rowUnit(const EmbeddingTable& table, uint32_t row) {
  std::vector<float> u(table.dims());
  table.unitVector(row, u.data());
  return u;
}

Question cosAdd(std::vector<float> direction, std::vector<uint32_t> exclude = {}) {
  Question q;
  q.method = Method::CosAdd;
  q.directions = std::move(direction);
  q.exclude = std::move(exclude);
  return q;
}

Question cosMul(const EmbeddingTable& table, uint32_t a, uint32_t b, uint32_t c, bool excludeInputs = true) {
  Question q;
  q.method = Method::CosMul;
  q.directions = rowUnit(table, a);
  const std::vector<float> ub = rowUnit(table, b), uc = rowUnit(table, c);
  q.directions.insert(q.directions.end(), ub.begin(), ub.end());
  q.directions.insert(q.directions.end(), uc.begin(), uc.end());
  if (excludeInputs) q.exclude = {a, b, c};
  return q;
}

std::vector<uint32_t> idsOf(const std::vector<Scored>& items, size_t count) {
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < std::min(count, items.size()); ++i) ids.push_back(items[i].id);
  return ids;
}

TEST(TopK, KeepsTheBestSortedWithTiesToTheSmallerId) {
  TopK top(4);
  EXPECT_EQ(top.threshold(), -INFINITY);
  top.push(10, 0.5f);
  top.push(3, 0.9f);
  top.push(7, 0.5f);
  EXPECT_EQ(top.threshold(), -INFINITY);  // not full yet: anything may enter
  top.push(2, 0.5f);
  top.push(1, 0.1f);  // below the four kept
  top.push(8, 0.7f);  // enters, pushes out the worst 0.5 (id 10)
  ASSERT_EQ(top.items().size(), 4u);
  const std::vector<uint32_t> ids = idsOf(top.items(), 4);
  EXPECT_EQ(ids, (std::vector<uint32_t>{3, 8, 2, 7}));
  EXPECT_EQ(top.threshold(), 0.5f);
  top.push(0, 0.5f);  // ties the threshold with a smaller id: replaces id 7
  EXPECT_EQ(idsOf(top.items(), 4), (std::vector<uint32_t>{3, 8, 0, 2}));
  top.push(9, 0.5f);  // ties with a larger id: stays out
  EXPECT_EQ(idsOf(top.items(), 4), (std::vector<uint32_t>{3, 8, 0, 2}));
}

TEST(TopK, ZeroKeepsNothing) {
  TopK top(0);
  top.push(1, 1.0f);
  EXPECT_TRUE(top.items().empty());
}

// Regression test: found by this suite and fixed in the core.
TEST(TopK, ZeroHasAThresholdNothingPasses) {
  TopK top(0);
  EXPECT_EQ(top.threshold(), INFINITY);
}

class RawSearch : public ::testing::TestWithParam<size_t> {};

TEST_P(RawSearch, TopTenMatchesTheFloatOracle) {
  const size_t dims = GetParam();
  const EmbeddingTable table = randomTable(kRows, dims, 100 + dims);
  const Space raw(table, SpaceSpec{}, nullptr);
  const std::vector<float> units = testing::unitVectors(table);
  TestRandom random(dims);
  const float bound = queryCosineErrorBound(dims);

  std::vector<Question> questions;
  for (int i = 0; i < 20; ++i) questions.push_back(cosAdd(randomDirection(dims, random)));
  for (int i = 0; i < 20; ++i) questions.push_back(cosAdd(rowUnit(table, uint32_t(random.below(kRows)))));
  const auto results = searchBatch(table, raw, questions, 10);
  ASSERT_EQ(results.size(), questions.size());

  size_t setsCompared = 0;
  for (size_t q = 0; q < questions.size(); ++q) {
    SCOPED_TRACE("dims " + std::to_string(dims) + ", question " + std::to_string(q));
    const auto oracle = oracleCosines(units, kRows, dims, questions[q].directions.data());
    ASSERT_EQ(results[q].size(), 10u);
    for (size_t i = 0; i < 10; ++i) {
      const Scored& got = results[q][i];
      const auto it = std::find_if(oracle.begin(), oracle.end(), [&](const Scored& s) { return s.id == got.id; });
      EXPECT_NEAR(got.score, it->score, bound) << "row " << got.id;
      if (i > 0) {
        EXPECT_TRUE(testing::betterScored(results[q][i - 1], got)) << "results out of order at " << i;
      }
    }
    // Exact id sets, unless the oracle's 10th and 11th rows are closer than
    // the query quantization can resolve (then either may win).
    if (oracle[9].score - oracle[10].score > 2 * bound) {
      ++setsCompared;
      const std::vector<uint32_t> want = idsOf(oracle, 10), got = idsOf(results[q], 10);
      EXPECT_EQ(std::set<uint32_t>(got.begin(), got.end()), std::set<uint32_t>(want.begin(), want.end()));
    }
  }
  // The near-tie escape must stay rare, or this test checks nothing.
  EXPECT_GE(setsCompared, questions.size() * 8 / 10);
}

INSTANTIATE_TEST_SUITE_P(Dims, RawSearch, ::testing::Values(3, 17, 100));

TEST(Search, ExcludedRowsAreNeverReturned) {
  const EmbeddingTable table = randomTable(kRows, 17, 5);
  const Space raw(table, SpaceSpec{}, nullptr);
  TestRandom random(6);
  const std::vector<float> t = randomDirection(17, random);
  const auto full = searchBatch(table, raw, {cosAdd(t)}, 20)[0];
  // Exclude the best three, one row in the middle and rows that would
  // never have made it anyway.
  const std::vector<uint32_t> exclude = {full[0].id, full[1].id, full[2].id, full[7].id, 1, 2000};
  const auto filtered = searchBatch(table, raw, {cosAdd(t, exclude)}, 10)[0];
  std::vector<Scored> expected;
  for (const Scored& s : full) {
    if (std::find(exclude.begin(), exclude.end(), s.id) == exclude.end() && expected.size() < 10) expected.push_back(s);
  }
  ASSERT_EQ(filtered.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(filtered[i].id, expected[i].id) << i;
    EXPECT_EQ(filtered[i].score, expected[i].score) << i;
  }
}

TEST(Search, KLargerThanTheTableReturnsEveryRowNotExcluded) {
  const EmbeddingTable table = randomTable(13, 5, 9);
  const Space raw(table, SpaceSpec{}, nullptr);
  TestRandom random(1);
  const auto all = searchBatch(table, raw, {cosAdd(randomDirection(5, random), {4, 12})}, 50)[0];
  ASSERT_EQ(all.size(), 11u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_TRUE(testing::betterScored(all[i - 1], all[i]));
  for (const Scored& s : all) EXPECT_TRUE(s.id != 4 && s.id != 12);
  EXPECT_TRUE(searchBatch(table, raw, {}, 5).empty());
}

TEST(Search, BatchEqualsOneQuestionAtATime) {
  const EmbeddingTable table = randomTable(kRows, 33, 12);
  const Space raw(table, SpaceSpec{}, nullptr);
  TestRandom random(13);
  std::vector<Question> questions;
  for (int i = 0; i < 30; ++i) {
    if (i % 3 == 2) {
      questions.push_back(cosMul(table, uint32_t(random.below(kRows)), uint32_t(random.below(kRows)),
                                 uint32_t(random.below(kRows))));
    } else {
      questions.push_back(cosAdd(randomDirection(33, random), {uint32_t(random.below(kRows))}));
    }
  }
  const auto batch = searchBatch(table, raw, questions, 10);
  for (size_t q = 0; q < questions.size(); ++q) {
    const auto alone = searchBatch(table, raw, {questions[q]}, 10)[0];
    ASSERT_EQ(alone.size(), batch[q].size());
    for (size_t i = 0; i < alone.size(); ++i) {
      // Each query is quantized and scored on its own, so a batch only
      // changes the chunking: results are bit-identical.
      EXPECT_EQ(batch[q][i].id, alone[i].id) << "question " << q << ", item " << i;
      EXPECT_EQ(batch[q][i].score, alone[i].score) << "question " << q << ", item " << i;
    }
  }
}

TEST(Search, CosMulMatchesTheFloatReference) {
  const size_t dims = 17;
  const EmbeddingTable table = randomTable(kRows, dims, 31);
  const Space raw(table, SpaceSpec{}, nullptr);
  const std::vector<float> units = testing::unitVectors(table);
  // Each cos' = (1 + cos) / 2 is off by at most half the cosine bound.
  const float delta = queryCosineErrorBound(dims) / 2;
  TestRandom random(32);
  size_t setsCompared = 0;
  const int questionCount = 20;
  for (int n = 0; n < questionCount; ++n) {
    const uint32_t a = uint32_t(random.below(kRows)), b = uint32_t(random.below(kRows)),
                   c = uint32_t(random.below(kRows));
    const Question question = cosMul(table, a, b, c);
    const auto got = searchBatch(table, raw, {question}, 10)[0];
    ASSERT_EQ(got.size(), 10u);

    std::vector<Scored> reference;
    std::vector<float> tolerance(kRows);
    for (uint32_t r = 0; r < kRows; ++r) {
      const float* u = units.data() + size_t(r) * dims;
      const float ca = 0.5f * (1 + testing::dotFloat(u, question.directions.data(), dims));
      const float cb = 0.5f * (1 + testing::dotFloat(u, question.directions.data() + dims, dims));
      const float cc = 0.5f * (1 + testing::dotFloat(u, question.directions.data() + 2 * dims, dims));
      const float denominator = ca + kCosMulEpsilon;
      // First-order propagation of delta through b c / (a + eps), plus
      // float rounding (1e-5 relative).
      tolerance[r] = delta * (cb * cc / (denominator * denominator) + (cb + cc) / denominator) +
                     1e-5f * (cb * cc / denominator);
      if (r != a && r != b && r != c) reference.push_back({r, cb * cc / denominator});
    }
    std::sort(reference.begin(), reference.end(), testing::betterScored);
    std::vector<float> referenceScore(kRows, NAN);
    for (const Scored& s : reference) referenceScore[s.id] = s.score;
    for (const Scored& s : got) {
      ASSERT_FALSE(std::isnan(referenceScore[s.id])) << "an excluded input was returned";
      EXPECT_NEAR(s.score, referenceScore[s.id], tolerance[s.id]) << "question " << n << ", row " << s.id;
    }
    if (reference[9].score - reference[10].score > tolerance[reference[9].id] + tolerance[reference[10].id]) {
      ++setsCompared;
      const std::vector<uint32_t> want = idsOf(reference, 10), have = idsOf(got, 10);
      EXPECT_EQ(std::set<uint32_t>(have.begin(), have.end()), std::set<uint32_t>(want.begin(), want.end()))
          << "question " << n;
    }
  }
  EXPECT_GE(setsCompared, size_t(questionCount) * 8 / 10);
}

TEST(Search, RankOfAgreesWithTheFullSortedList) {
  const EmbeddingTable table = randomTable(kRows, 17, 40);
  const Space raw(table, SpaceSpec{}, nullptr);
  TestRandom random(41);
  const std::vector<Question> questions = {
      cosAdd(randomDirection(17, random), {3, 77, 1500}),
      cosMul(table, 10, 20, 30),
  };
  for (const Question& question : questions) {
    const auto full = searchBatch(table, raw, {question}, kRows)[0];
    ASSERT_EQ(full.size(), kRows - question.exclude.size());
    for (size_t position : {size_t(0), size_t(1), size_t(9), size_t(100), size_t(1234), full.size() - 1}) {
      const Scored rank = rankOf(table, raw, question, full[position].id);
      EXPECT_EQ(rank.id, position + 1) << "row " << full[position].id;
      EXPECT_EQ(rank.score, full[position].score) << "row " << full[position].id;
    }
  }
  EXPECT_TRUE(throwsError([&] { rankOf(table, raw, questions[0], uint32_t(kRows)); }, ErrorCode::BadArgument,
                          "out of range"));
}

TEST(Search, ScoreRowEqualsTheScanScore) {
  const EmbeddingTable table = randomTable(kRows, 100, 50);
  const Space raw(table, SpaceSpec{}, nullptr);
  TestRandom random(51);
  std::vector<Question> questions = {cosAdd(randomDirection(100, random)), cosMul(table, 1, 2, 3)};
  for (const Question& question : questions) {
    // All rows: includes the partial last block (rows 2000..2002).
    const auto all = searchBatch(table, raw, {question}, kRows)[0];
    for (const Scored& s : all) {
      ASSERT_EQ(scoreRow(table, raw, question, s.id), s.score) << "row " << s.id;
    }
  }
}

TEST(Search, ZeroRowScoresZero) {
  std::vector<float> values = testing::gaussianValues(20 * 6, 3);
  std::fill(values.begin() + 7 * 6, values.begin() + 8 * 6, 0.0f);
  const EmbeddingTable table = EmbeddingTable::quantize(values.data(), 20, 6, testing::numberedWords(20), "z");
  const Space raw(table, SpaceSpec{}, nullptr);
  TestRandom random(4);
  const Question question = cosAdd(randomDirection(6, random));
  EXPECT_EQ(scoreRow(table, raw, question, 7), 0.0f);
  const auto results = searchBatch(table, raw, {question}, 20);
  for (const Scored& s : results[0]) EXPECT_FALSE(std::isnan(s.score));
}

TEST(Search, ZeroQueryScoresZeroEverywhere) {
  const EmbeddingTable table = randomTable(30, 6, 3);
  const Space raw(table, SpaceSpec{}, nullptr);
  const auto results = searchBatch(table, raw, {cosAdd(std::vector<float>(6, 0.0f))}, 30);
  for (const Scored& s : results[0]) {
    EXPECT_EQ(s.score, 0.0f) << "row " << s.id;
  }
}

TEST(Search, WrongDirectionSizeIsBadArgument) {
  const EmbeddingTable table = randomTable(30, 6, 3);
  const Space raw(table, SpaceSpec{}, nullptr);
  EXPECT_TRUE(throwsError([&] { searchBatch(table, raw, {cosAdd(std::vector<float>(5, 1.0f))}, 3); },
                          ErrorCode::BadArgument, "5 values; the space has 6 dimensions"));
  Question cosMulWithOneDirection = cosAdd(std::vector<float>(6, 1.0f));
  cosMulWithOneDirection.method = Method::CosMul;
  EXPECT_TRUE(throwsError([&] { searchBatch(table, raw, {cosMulWithOneDirection}, 3); }, ErrorCode::BadArgument,
                          "6 values"));
}

}  // namespace
}  // namespace explorer
