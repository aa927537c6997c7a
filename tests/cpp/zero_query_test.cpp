// A query whose vector is zero scores 0 against every row, so its "top k"
// would be arbitrary words at 0.000 (issue 7: "0*king" and "king - king"
// listed "the 0.000, ..."). Every query kind refuses it with ZeroQuery.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "explorer/explorer.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::gaussianValues;
using testing::throwsError;

constexpr size_t kRows = 200, kDims = 12;
// Rows 0 and 1 are the same vector under two words; row 2 is all zeros.
constexpr uint32_t kTwinA = 0, kTwinB = 1, kZero = 2;

Explorer explorerWithZeroRow() {
  std::vector<float> values = gaussianValues(kRows * kDims, 21);
  for (size_t d = 0; d < kDims; ++d) {
    values[kTwinB * kDims + d] = values[kTwinA * kDims + d];
    values[kZero * kDims + d] = 0;
  }
  std::vector<std::string> words = testing::numberedWords(kRows);
  words[kTwinA] = "king";
  words[kTwinB] = "monarch";
  words[kZero] = "void";
  Explorer explorer;
  explorer.load(EmbeddingTable::quantize(values.data(), kRows, kDims, words, "zero"));
  return explorer;
}

TEST(ZeroQuery, ExpressionsThatCancelAreRefused) {
  const Explorer explorer = explorerWithZeroRow();
  for (const std::string text : {"0*king", "king - king", "w5 + w6 - w5 - w6", "0.5*w7 - 0.5*w7", "king - monarch"}) {
    EXPECT_TRUE(throwsError([&] { explorer.expression(text, 10, false); }, ErrorCode::ZeroQuery,
                            "the query vector is zero: \"" + text + "\" sums to the zero vector in the raw space"))
        << text;
  }
  // Near-cancellation that leaves a real direction still answers.
  EXPECT_EQ(explorer.expression("w5 - 0.5*w5", 3, false).size(), 3u);
  EXPECT_EQ(explorer.expression("w5 + w6 - w5", 1, true)[0].id, 6u);
}

TEST(ZeroQuery, ZeroVectorsAndDegenerateAnalogiesAreRefused) {
  Explorer explorer = explorerWithZeroRow();
  EXPECT_TRUE(throwsError([&] { explorer.neighbors(kZero, 5, {}); }, ErrorCode::ZeroQuery,
                          "the query vector is zero: \"void\" has a zero vector"));
  EXPECT_TRUE(throwsError([&] { explorer.neighborsOfVector(std::vector<float>(kDims, 0.0f), 5, {}); },
                          ErrorCode::ZeroQuery, "the query vector is zero"));
  // king : monarch :: void : ?  is  b - a + c = 0.
  EXPECT_TRUE(throwsError([&] { explorer.analogy(kTwinA, kTwinB, kZero, {Method::CosAdd, 5, false}); },
                          ErrorCode::ZeroQuery, "b - a + c is the zero vector for king : monarch :: void : ?"));
  EXPECT_TRUE(throwsError([&] { explorer.analogy(kTwinA, kZero, 7, {Method::CosMul, 5, false}); }, ErrorCode::ZeroQuery,
                          "has a zero vector"));
  // The table mean is the origin of the centred space.
  explorer.setSpace("centered");
  std::vector<float> mean(kDims, 0.0f), row(kDims);
  for (size_t r = 0; r < kRows; ++r) {
    explorer.table().vector(r, row.data());
    for (size_t d = 0; d < kDims; ++d) mean[d] += row[d] / float(kRows);
  }
  EXPECT_TRUE(throwsError([&] { explorer.neighborsOfVector(mean, 5, {}); }, ErrorCode::ZeroQuery,
                          "in the centered space"));
  // Ordinary queries are untouched, and the explorer keeps answering.
  EXPECT_EQ(explorer.neighbors(5, 4, {}).size(), 4u);
  EXPECT_EQ(explorer.analogy(5, 6, 7, {Method::CosAdd, 4, false}).size(), 4u);
  EXPECT_STREQ(errorCodeName(ErrorCode::ZeroQuery), "ZERO_QUERY");
}

}  // namespace
}  // namespace explorer
