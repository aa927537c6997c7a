// Correlations, the analogy and word-pair benchmarks, and the Explorer
// facade, on a small table whose geometry is known exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "explorer/evaluation.h"
#include "explorer/explorer.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::throwsError;

// Every word is e_i + e_j for two basis axes, so all rows have the same
// norm, quantize exactly (codes 0 and 127) and two words have cosine 0.5
// when they share an axis and 0 otherwise. Then b - a + c is exactly the
// expected word for the analogies below, e.g.
//   woman - man + king = (g1 + p) - (g0 + p) + (g0 + r) = g1 + r = queen.
enum BasisAxis { kMaleAxis, kFemaleAxis, kPersonAxis, kRoyalAxis, kYoungAxis, kFranceAxis, kItalyAxis,
                 kCapitalAxis, kCountryAxis };
constexpr size_t kDims = 16;

struct Word {
  const char* text;
  int axisA, axisB;
};

const Word kWordList[] = {
    {"man", kMaleAxis, kPersonAxis},       // 0
    {"woman", kFemaleAxis, kPersonAxis},   // 1
    {"king", kMaleAxis, kRoyalAxis},       // 2
    {"queen", kFemaleAxis, kRoyalAxis},    // 3
    {"boy", kMaleAxis, kYoungAxis},        // 4
    {"girl", kFemaleAxis, kYoungAxis},     // 5
    {"paris", kFranceAxis, kCapitalAxis},  // 6
    {"france", kFranceAxis, kCountryAxis}, // 7
    {"rome", kItalyAxis, kCapitalAxis},    // 8
    {"italy", kItalyAxis, kCountryAxis},   // 9
    // Fillers on axes no question uses.
    {"f0", 9, 10}, {"f1", 11, 12}, {"f2", 13, 14}, {"f3", 15, 9}, {"f4", 10, 11}, {"f5", 12, 13}, {"f6", 14, 15},
};
enum WordId : uint32_t { kMan, kWoman, kKing, kQueen, kBoy, kGirl, kParis, kFrance, kRome, kItaly };
constexpr size_t kWordCount = sizeof(kWordList) / sizeof(kWordList[0]);

EmbeddingTable axisTable(const std::string& name = "axes") {
  std::vector<float> values(kWordCount * kDims, 0.0f);
  std::vector<std::string> words;
  for (size_t r = 0; r < kWordCount; ++r) {
    values[r * kDims + kWordList[r].axisA] = 1.0f;
    values[r * kDims + kWordList[r].axisB] = 1.0f;
    words.push_back(kWordList[r].text);
  }
  return EmbeddingTable::quantize(values.data(), kWordCount, kDims, words, name);
}

Explorer loadedExplorer() {
  Explorer explorer;
  explorer.load(axisTable());
  return explorer;
}

// ---- correlations -------------------------------------------------------

TEST(Correlation, PearsonOnHandComputedExamples) {
  EXPECT_NEAR(pearson({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10}), 1.0, 1e-12);
  EXPECT_NEAR(pearson({1, 2, 3}, {3, 2, 1}), -1.0, 1e-12);
  // dx = dy = (-1.5, -0.5, 0.5, 1.5) permuted: sxy = 4, sxx = syy = 5.
  EXPECT_NEAR(pearson({1, 2, 3, 4}, {1, 3, 2, 4}), 0.8, 1e-12);
  EXPECT_TRUE(std::isnan(pearson({1}, {2})));              // fewer than 2 points
  EXPECT_TRUE(std::isnan(pearson({1, 1, 1}, {1, 2, 3})));  // no variance
}

TEST(Correlation, SpearmanUsesAverageRanksForTies) {
  // Monotone but not linear: Spearman 1, Pearson below 1.
  EXPECT_NEAR(spearman({1, 2, 3, 4, 5}, {1, 4, 9, 16, 25}), 1.0, 1e-12);
  EXPECT_LT(pearson({1, 2, 3, 4, 5}, {1, 4, 9, 16, 25}), 0.99);
  // x ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): sxy = 4.5, sxx = 4.5,
  // syy = 5, so rho = 4.5 / sqrt(22.5) = 3 / sqrt(10).
  EXPECT_NEAR(spearman({10, 20, 20, 30}, {1, 2, 3, 4}), 3 / std::sqrt(10.0), 1e-12);
  // Ties on both sides, input not sorted: ranks (2.5, 1, 4, 2.5) against
  // (2, 1, 4, 3): sxy = 4.5, sxx = 4.5, syy = 5.
  EXPECT_NEAR(spearman({0.5, 0, 1, 0.5}, {3, 1, 10, 5}), 3 / std::sqrt(10.0), 1e-12);
  EXPECT_NEAR(spearman({3, 2, 1}, {1, 2, 3}), -1.0, 1e-12);
}

// ---- analogies ----------------------------------------------------------

const char* const kAnalogies =
    ": family\n"
    "man woman king queen\n"
    "boy girl man woman\n"
    "man woman boy girl\n"
    "man woman king girl\n"      // answered queen: counted wrong
    "man woman king unicorn\n"   // out of vocabulary: skipped
    "man woman king\n"           // three words: invalid
    "\n"
    ": capitals\r\n"             // CRLF line endings are accepted
    "paris france rome italy\r\n"
    "PARIS FRANCE ROME ITALY\n"  // case-insensitive lookup
    "france paris italy rome\n";

TEST(AnalogyEvaluation, CountsSectionsSkipsAndInvalidLines) {
  const Explorer explorer = loadedExplorer();
  AnalogyEvaluation evaluation(explorer.tableHandle(), explorer.spaceHandle(), kAnalogies, Method::CosAdd);
  EXPECT_EQ(evaluation.questionCount(), 7u);
  EXPECT_EQ(evaluation.skipped(), 1u);
  EXPECT_EQ(evaluation.invalidLines(), 1u);
  EXPECT_FALSE(evaluation.finished());
  EXPECT_TRUE(evaluation.step(100));
  EXPECT_TRUE(evaluation.finished());
  EXPECT_EQ(evaluation.evaluated(), 7u);
  EXPECT_EQ(evaluation.correct(), 6u);
  ASSERT_EQ(evaluation.sections().size(), 2u);
  EXPECT_EQ(evaluation.sections()[0].name, "family");
  EXPECT_EQ(evaluation.sections()[0].count, 4u);
  EXPECT_EQ(evaluation.sections()[0].correct, 3u);
  EXPECT_EQ(evaluation.sections()[1].name, "capitals");
  EXPECT_EQ(evaluation.sections()[1].count, 3u);
  EXPECT_EQ(evaluation.sections()[1].correct, 3u);
  EXPECT_EQ(evaluation.predictions(),
            (std::vector<uint32_t>{kQueen, kWoman, kGirl, kQueen, kItaly, kItaly, kRome}));
}

TEST(AnalogyEvaluation, CosMulAnswersTheSameOnThisTable) {
  // With non-negative rows every cos' is >= 0.5, and the expected word
  // scores 0.75 * 0.75 / (0.5 + eps) = 1.12 against at most 0.75 for any
  // other, so 3CosMul agrees with 3CosAdd here.
  const Explorer explorer = loadedExplorer();
  AnalogyEvaluation evaluation(explorer.tableHandle(), explorer.spaceHandle(), kAnalogies, Method::CosMul);
  evaluation.step(100);
  EXPECT_EQ(evaluation.correct(), 6u);
  EXPECT_EQ(evaluation.predictions(),
            (std::vector<uint32_t>{kQueen, kWoman, kGirl, kQueen, kItaly, kItaly, kRome}));
}

TEST(AnalogyEvaluation, SmallStepsGiveTheSameResultAsOneBigStep) {
  const Explorer explorer = loadedExplorer();
  AnalogyEvaluation whole(explorer.tableHandle(), explorer.spaceHandle(), kAnalogies, Method::CosAdd);
  whole.step(1000);
  for (size_t batch : {size_t(1), size_t(2), size_t(3)}) {
    AnalogyEvaluation stepped(explorer.tableHandle(), explorer.spaceHandle(), kAnalogies, Method::CosAdd);
    size_t steps = 0;
    while (!stepped.step(batch)) {
      ++steps;
      EXPECT_EQ(stepped.evaluated(), steps * batch);
    }
    EXPECT_EQ(steps + 1, (7 + batch - 1) / batch) << "batch " << batch;
    EXPECT_EQ(stepped.predictions(), whole.predictions()) << "batch " << batch;
    EXPECT_EQ(stepped.correct(), whole.correct());
    for (size_t s = 0; s < 2; ++s) {
      EXPECT_EQ(stepped.sections()[s].count, whole.sections()[s].count);
      EXPECT_EQ(stepped.sections()[s].correct, whole.sections()[s].correct);
    }
  }
}

TEST(AnalogyEvaluation, RejectsFilesWithoutHeadersOrQuestions) {
  const Explorer explorer = loadedExplorer();
  EXPECT_TRUE(throwsError([&] { AnalogyEvaluation(explorer.tableHandle(), explorer.spaceHandle(), "man woman king queen\n: family\n", Method::CosAdd); },
                          ErrorCode::BadArgument, "missing \": section\" header before line 1"));
  EXPECT_TRUE(throwsError([&] { AnalogyEvaluation(explorer.tableHandle(), explorer.spaceHandle(), "\n\nman woman king queen\n", Method::CosAdd); },
                          ErrorCode::BadArgument, "before line 3"));
  EXPECT_TRUE(throwsError([&] { AnalogyEvaluation(explorer.tableHandle(), explorer.spaceHandle(), "", Method::CosAdd); }, ErrorCode::EmptyInput,
                          "no questions"));
  // A header with only unknown words is a valid, empty evaluation.
  AnalogyEvaluation empty(explorer.tableHandle(), explorer.spaceHandle(), ": s\nunicorn a b c\n", Method::CosAdd);
  EXPECT_EQ(empty.questionCount(), 0u);
  EXPECT_EQ(empty.skipped(), 1u);
  EXPECT_TRUE(empty.finished());
  AnalogyEvaluation some(explorer.tableHandle(), explorer.spaceHandle(), kAnalogies, Method::CosAdd);
  EXPECT_TRUE(throwsError([&] { some.step(0); }, ErrorCode::BadArgument, "at least one question"));
  const Explorer unloaded;
  EXPECT_TRUE(throwsError([&] { AnalogyEvaluation(unloaded.tableHandle(), unloaded.spaceHandle(), kAnalogies, Method::CosAdd); }, ErrorCode::BadArgument,
                          "no embedding table"));
}

TEST(AnalogyEvaluation, KeepsItsTableWhenAnotherIsLoaded) {
  Explorer explorer = loadedExplorer();
  AnalogyEvaluation evaluation(explorer.tableHandle(), explorer.spaceHandle(), kAnalogies, Method::CosAdd);
  evaluation.step(2);
  // A random table with the same words replaces the first; the running
  // evaluation must go on answering from the table it started with.
  std::vector<std::string> words;
  for (const Word& w : kWordList) words.push_back(w.text);
  const std::vector<float> values = testing::gaussianValues(kWordCount * kDims, 3);
  explorer.load(EmbeddingTable::quantize(values.data(), kWordCount, kDims, words, "other"));
  evaluation.step(100);
  EXPECT_EQ(evaluation.correct(), 6u);
}

// ---- word pairs ---------------------------------------------------------

TEST(EvaluatePairs, CorrelatesCosinesWithHumanScores) {
  const Explorer explorer = loadedExplorer();
  const std::string text =
      "# a comment line\n"
      "word1 word2 score\n"      // header: the score does not parse
      "man woman 3\n"            // cosine 0.5
      "man\tqueen\t1   # tabs and a trailing comment\n"  // cosine 0
      "man man 10\n"             // cosine 1
      "king queen 5\n"           // cosine 0.5
      "man unicorn 2\n"          // out of vocabulary
      "man king\n"               // two fields
      "\n";
  const PairScores scores = evaluatePairs(explorer.table(), explorer.space(), text);
  EXPECT_EQ(scores.pairs, 4u);
  EXPECT_EQ(scores.oov, 1u);
  EXPECT_EQ(scores.invalidLines, 2u);
  // Human (3, 1, 10, 5) vs model (0.5, 0, 1, 0.5):
  //   Pearson: sxy = 4.5, sxx = 44.75, syy = 0.5 -> 4.5 / sqrt(22.375)
  //   Spearman: ranks (2, 1, 4, 3) vs (2.5, 1, 4, 2.5) -> 3 / sqrt(10)
  // The model cosines carry float rounding (~1e-7), hence 1e-6.
  EXPECT_NEAR(scores.pearson, 4.5 / std::sqrt(22.375), 1e-6);
  EXPECT_NEAR(scores.spearman, 3 / std::sqrt(10.0), 1e-6);
}

TEST(EvaluatePairs, NeedsTwoUsablePairs) {
  const Explorer explorer = loadedExplorer();
  EXPECT_TRUE(throwsError([&] { evaluatePairs(explorer.table(), explorer.space(), "man woman 3\nman unicorn 2\n"); }, ErrorCode::EmptyInput,
                          "1 usable pairs"));
  EXPECT_TRUE(throwsError([&] { evaluatePairs(explorer.table(), explorer.space(), ""); }, ErrorCode::EmptyInput, "0 usable pairs"));
  EXPECT_TRUE(throwsError([&] { evaluatePairs(explorer.table(), explorer.space(), "man woman nan\nking queen inf\n"); }, ErrorCode::EmptyInput,
                          "0 usable pairs"));
}

// ---- Explorer -----------------------------------------------------------

TEST(Explorer, AnswersQueriesOnAKnownGeometry) {
  const Explorer explorer = loadedExplorer();
  ASSERT_TRUE(explorer.loaded());
  EXPECT_EQ(explorer.require("Queen"), kQueen);
  EXPECT_TRUE(throwsError([&] { explorer.require("kingg"); }, ErrorCode::UnknownWord, "did you mean king"));

  // Neighbours of king = g0 + r: man, boy (share g0) and queen (shares r),
  // all at exactly 0.5 (identical integer dots), ordered by id.
  const auto neighbours = explorer.neighbors(kKing, 3, {});
  ASSERT_EQ(neighbours.size(), 3u);
  EXPECT_EQ(neighbours[0].id, kMan);
  EXPECT_EQ(neighbours[1].id, kQueen);
  EXPECT_EQ(neighbours[2].id, kBoy);
  for (const Scored& s : neighbours) EXPECT_NEAR(s.score, 0.5f, 1e-4f);  // int16 query error ~1e-5
  EXPECT_EQ(explorer.neighbors(kKing, 1, {}, true)[0].id, kKing);
  EXPECT_EQ(explorer.neighbors(kKing, 1, {kMan})[0].id, kQueen);

  AnalogyOptions options;
  const auto answer = explorer.analogy(kMan, kWoman, kKing, options);
  ASSERT_EQ(answer.size(), 10u);
  EXPECT_EQ(answer[0].id, kQueen);
  EXPECT_NEAR(answer[0].score, 1.0f, 1e-4f);
  EXPECT_EQ(answer[1].id, kGirl);  // shares g1 with the target g1 + r
  for (const Scored& s : answer) EXPECT_TRUE(s.id != kMan && s.id != kWoman && s.id != kKing);
  options.method = Method::CosMul;
  EXPECT_EQ(explorer.analogy(kMan, kWoman, kKing, options)[0].id, kQueen);

  // A repeated input has the trivial answer c, so the Explorer refuses it.
  EXPECT_TRUE(throwsError([&] { explorer.analogy(kMan, kMan, kKing, options); }, ErrorCode::DuplicateWord,
                          "\"man\" is given twice"));
  options.method = Method::CosAdd;
  options.includeInputs = true;
  EXPECT_EQ(explorer.analogy(kMan, kWoman, kKing, options)[0].id, kQueen);  // cos 1 beats the inputs' 0.5

  EXPECT_EQ(explorer.analogyRank(kMan, kWoman, kKing, kQueen, Method::CosAdd, false).id, 1u);
  EXPECT_EQ(explorer.analogyRank(kMan, kWoman, kKing, kGirl, Method::CosAdd, false).id, 2u);

  std::vector<std::pair<uint32_t, double>> terms;
  const auto sum = explorer.expression("KING - man + woman", 3, false, &terms);
  EXPECT_EQ(sum[0].id, kQueen);
  EXPECT_NEAR(sum[0].score, 1.0f, 1e-4f);
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0], std::make_pair(uint32_t(kKing), 1.0));
  EXPECT_EQ(terms[1], std::make_pair(uint32_t(kMan), -1.0));
  EXPECT_EQ(terms[2], std::make_pair(uint32_t(kWoman), 1.0));
  EXPECT_EQ(explorer.expression("paris", 1, true)[0].id, kParis);
  EXPECT_TRUE(throwsError([&] { explorer.expression("kingg - man", 3, false); }, ErrorCode::UnknownWord, "kingg"));

  EXPECT_NEAR(explorer.similarity(kMan, kWoman), 0.5f, 1e-6f);
  EXPECT_NEAR(explorer.similarity(kMan, kParis), 0.0f, 1e-6f);
  EXPECT_NEAR(explorer.similarity(kMan, kMan), 1.0f, 1e-6f);

  // Mean of {man, woman, king, paris} ~ 2 g0 + g1 + 2 p + r + france + cap:
  // paris shares least with it.
  const auto odd = explorer.oddOneOut({kMan, kWoman, kKing, kParis});
  ASSERT_EQ(odd.size(), 4u);
  EXPECT_EQ(odd[0].id, kParis);
  EXPECT_EQ(odd[3].id, kMan);
  EXPECT_TRUE(throwsError([&] { explorer.oddOneOut({kMan, kWoman, kMan}); }, ErrorCode::DuplicateWord,
                          "\"man\" is given twice"));
  EXPECT_TRUE(throwsError([&] { explorer.oddOneOut({kMan, kWoman}); }, ErrorCode::BadArgument, "at least 3"));

  EXPECT_TRUE(throwsError([&] { explorer.neighbors(kKing, 0, {}); }, ErrorCode::BadArgument, "k must be"));
  EXPECT_TRUE(throwsError([&] { explorer.neighbors(uint32_t(kWordCount), 3, {}); }, ErrorCode::BadArgument,
                          "out of range"));
}

TEST(Explorer, NeighboursOfARawVector) {
  const Explorer explorer = loadedExplorer();
  std::vector<float> raw(kDims, 0.0f);
  raw[kFemaleAxis] = 2.0f;
  raw[kRoyalAxis] = 2.0f;
  EXPECT_EQ(explorer.neighborsOfVector(raw, 1, {})[0].id, kQueen);
  raw[0] = NAN;
  EXPECT_TRUE(throwsError([&] { explorer.neighborsOfVector(raw, 1, {}); }, ErrorCode::BadArgument, "NaN"));
  EXPECT_TRUE(throwsError([&] { explorer.neighborsOfVector(std::vector<float>(3, 1.0f), 1, {}); },
                          ErrorCode::BadArgument, "3 values"));
}

TEST(Explorer, AFailedDeserializeLeavesThePreviousTableAnswering) {
  Explorer explorer;
  explorer.load(axisTable("first"));
  const auto before = explorer.neighbors(kKing, 3, {});

  std::vector<uint8_t> corrupt = testing::randomTable(50, 8, 1, "second").serialize();
  corrupt[100] ^= 0xFF;
  EXPECT_TRUE(throwsError([&] { explorer.load(EmbeddingTable::deserialize(corrupt.data(), corrupt.size())); },
                          ErrorCode::BadData, "checksum"));

  EXPECT_EQ(explorer.table().name(), "first");
  const auto after = explorer.neighbors(kKing, 3, {});
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].id, before[i].id);
    EXPECT_EQ(after[i].score, before[i].score);
  }
}

TEST(Explorer, LoadResetsTheSpaceAndABadSpaceKeepsTheCurrentOne) {
  Explorer explorer;
  EXPECT_FALSE(explorer.loaded());
  EXPECT_TRUE(throwsError([&] { explorer.table(); }, ErrorCode::BadArgument, "no embedding table"));
  explorer.load(axisTable());
  explorer.setSpace("centered");
  EXPECT_EQ(explorer.space().spec().kind, SpaceSpec::Kind::Centered);
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("nonsense"); }, ErrorCode::BadArgument, "unknown space"));
  EXPECT_EQ(explorer.space().spec().kind, SpaceSpec::Kind::Centered);
  explorer.load(axisTable("again"));
  EXPECT_EQ(explorer.space().spec().kind, SpaceSpec::Kind::Raw);
  EXPECT_EQ(explorer.table().name(), "again");
}

}  // namespace
}  // namespace explorer
