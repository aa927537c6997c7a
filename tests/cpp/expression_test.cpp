// Word-arithmetic expressions: tokens, signs, weights and errors.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "explorer/expression.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::throwsError;

const std::set<std::string> kWords = {"king", "man", "woman", "queen", "paris", "rome", "well-known", "1990", "c++"};

std::vector<ExpressionTerm> parse(const std::string& text) {
  return parseExpression(text, [](const std::string& w) { return kWords.count(w) > 0; });
}

// Compact form for comparisons: "word:weight" per term.
std::vector<std::string> show(const std::vector<ExpressionTerm>& terms) {
  std::vector<std::string> out;
  for (const ExpressionTerm& t : terms) {
    std::ostringstream s;
    s << t.word << ":" << t.weight;
    out.push_back(s.str());
  }
  return out;
}

using Terms = std::vector<std::string>;

TEST(Expression, AddsAndSubtractsWords) {
  EXPECT_EQ(show(parse("king - man + woman")), (Terms{"king:1", "man:-1", "woman:1"}));
  EXPECT_EQ(show(parse("king -man +woman")), (Terms{"king:1", "man:-1", "woman:1"}));
  EXPECT_EQ(show(parse("  king\t-  man +woman  ")), (Terms{"king:1", "man:-1", "woman:1"}));
  EXPECT_EQ(show(parse("king")), (Terms{"king:1"}));
}

TEST(Expression, LeadingSignsNegate) {
  EXPECT_EQ(show(parse("-man")), (Terms{"man:-1"}));
  EXPECT_EQ(show(parse("- man + woman")), (Terms{"man:-1", "woman:1"}));
  EXPECT_EQ(show(parse("+king")), (Terms{"king:1"}));
  EXPECT_EQ(show(parse("king - -man")), (Terms{"king:1", "man:1"}));  // minus a negative
}

TEST(Expression, NumbersWeightTheNextWord) {
  EXPECT_EQ(show(parse("0.5*paris + 0.5*rome")), (Terms{"paris:0.5", "rome:0.5"}));
  EXPECT_EQ(show(parse("0.5 * paris")), (Terms{"paris:0.5"}));
  EXPECT_EQ(show(parse("2 king")), (Terms{"king:2"}));  // '*' is optional
  EXPECT_EQ(show(parse("king - 0.25*man")), (Terms{"king:1", "man:-0.25"}));
  EXPECT_EQ(show(parse("-0.5*man")), (Terms{"man:-0.5"}));
  EXPECT_EQ(show(parse("1e-1 * rome")), (Terms{"rome:0.1"}));
}

TEST(Expression, VocabularyWordsWinOverOperatorsAndNumbers) {
  // A word of the vocabulary is never split...
  EXPECT_EQ(show(parse("well-known")), (Terms{"well-known:1"}));
  EXPECT_EQ(show(parse("well-known - king")), (Terms{"well-known:1", "king:-1"}));
  EXPECT_EQ(show(parse("c++ + king")), (Terms{"c++:1", "king:1"}));
  // ...and a word that looks like a number is a word.
  EXPECT_EQ(show(parse("1990 + king")), (Terms{"1990:1", "king:1"}));
  EXPECT_EQ(show(parse("2 * 1990")), (Terms{"1990:2"}));
}

TEST(Expression, SplitsTokensThatAreNotWords) {
  EXPECT_EQ(show(parse("king-man+woman")), (Terms{"king:1", "man:-1", "woman:1"}));
  EXPECT_EQ(show(parse("king-man +woman")), (Terms{"king:1", "man:-1", "woman:1"}));
  // Unknown parts are kept as words; the caller's lookup reports them.
  EXPECT_EQ(show(parse("kingg-man")), (Terms{"kingg:1", "man:-1"}));
}

// Regression test: found by this suite and fixed in the core.
TEST(Expression, SplitsRepeatedSignsInsideAToken) {
  EXPECT_EQ(show(parse("king--man")), (Terms{"king:1", "man:1"}));
  EXPECT_EQ(show(parse("king+-man")), (Terms{"king:1", "man:-1"}));
}

TEST(Expression, RejectsMalformedExpressions) {
  EXPECT_TRUE(throwsError([] { parse(""); }, ErrorCode::EmptyInput, "empty expression"));
  EXPECT_TRUE(throwsError([] { parse("   "); }, ErrorCode::EmptyInput, "empty expression"));
  EXPECT_TRUE(throwsError([] { parse("king +"); }, ErrorCode::BadArgument, "ends with an operator"));
  EXPECT_TRUE(throwsError([] { parse("-"); }, ErrorCode::BadArgument, "ends with an operator"));
  EXPECT_TRUE(throwsError([] { parse("0.5"); }, ErrorCode::BadArgument, "0.5 in the expression multiplies no word"));
  EXPECT_TRUE(throwsError([] { parse("0.5 *"); }, ErrorCode::BadArgument, "multiplies no word"));
  EXPECT_TRUE(throwsError([] { parse("0.5 * - king"); }, ErrorCode::BadArgument, "multiplies no word"));
  EXPECT_TRUE(throwsError([] { parse("king queen"); }, ErrorCode::BadArgument, "before \"queen\""));
  EXPECT_TRUE(throwsError([] { parse("* king"); }, ErrorCode::BadArgument, "'*' must stand between"));
  EXPECT_TRUE(throwsError([] { parse("king * queen"); }, ErrorCode::BadArgument, ""));
}

}  // namespace
}  // namespace explorer
