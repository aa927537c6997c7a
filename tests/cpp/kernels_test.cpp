// The int8 x int16 dot kernels against an int64 reference computed from
// row-major codes. Everything is integer, so every comparison is exact.
#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "explorer/kernels.h"
#include "test_tables.h"

namespace explorer::kernels {
namespace {

using explorer::testing::TestRandom;

using DotKernel = void (*)(const int8_t*, size_t, size_t, const int16_t*, size_t, int32_t*, size_t);

struct NamedKernel {
  const char* name;
  DotKernel kernel;
};

std::vector<NamedKernel> kernelsUnderTest() {
  std::vector<NamedKernel> kernels = {{"dot_i8i16_serial", dot_i8i16_serial}, {"dot_i8i16", dot_i8i16}};
#if defined(__wasm_simd128__)
  kernels.push_back({"dot_i8i16_v128", dot_i8i16_v128});
#endif
  return kernels;
}

// Packs row-major codes (rows x dims) into the block format that kernels.h
// documents, written here from the description rather than from the core:
// blocks of 8 rows; inside a block one 16-byte group per dim pair p, with
// rows 0-3 in bytes 0..7 and rows 4-7 in bytes 8..15, each row giving its
// (d = 2p, d = 2p + 1) codes as two adjacent bytes. Missing rows and the
// odd last dim are zero.
std::vector<int8_t> packBlocks(const std::vector<int8_t>& codes, size_t rows, size_t dims) {
  const size_t pairs = (dims + 1) / 2;
  const size_t blocks = (rows + kBlockRows - 1) / kBlockRows;
  std::vector<int8_t> packed(blocks * pairs * kBlockPairBytes, 0);
  for (size_t row = 0; row < rows; ++row) {
    const size_t block = row / 8, inBlock = row % 8;
    for (size_t d = 0; d < dims; ++d) {
      const size_t half = inBlock / 4, slot = inBlock % 4;
      packed[block * pairs * 16 + (d / 2) * 16 + half * 8 + slot * 2 + d % 2] = codes[row * dims + d];
    }
  }
  return packed;
}

// out[q * rows + r] = sum_d codes[r][d] * queries[q][d], in int64.
std::vector<int64_t> referenceDots(const std::vector<int8_t>& codes, size_t rows, size_t dims,
                                   const std::vector<int16_t>& queries, size_t queryCount) {
  const size_t padded = (dims + 1) / 2 * 2;
  std::vector<int64_t> out(queryCount * rows, 0);
  for (size_t q = 0; q < queryCount; ++q) {
    for (size_t r = 0; r < rows; ++r) {
      int64_t sum = 0;
      for (size_t d = 0; d < dims; ++d) sum += int64_t(codes[r * dims + d]) * queries[q * padded + d];
      out[q * rows + r] = sum;
    }
  }
  return out;
}

std::vector<int8_t> randomCodes(size_t count, TestRandom& random) {
  std::vector<int8_t> codes(count);
  for (int8_t& c : codes) c = int8_t(random.integer(-127, 127));
  return codes;
}

// Queries of paddedDims int16 values, the padding slot (odd dims) zero as
// quantizeQueries leaves it.
std::vector<int16_t> randomQueries(size_t count, size_t dims, int32_t limit, TestRandom& random) {
  const size_t padded = (dims + 1) / 2 * 2;
  std::vector<int16_t> queries(count * padded, 0);
  for (size_t q = 0; q < count; ++q) {
    for (size_t d = 0; d < dims; ++d) queries[q * padded + d] = int16_t(random.integer(-limit, limit));
  }
  return queries;
}

// Runs `kernel` on the packed codes and compares every output with the
// reference; also checks that entries outside the written rows of each
// output row (stride padding) are left alone.
::testing::AssertionResult kernelMatchesReference(const NamedKernel& named, const std::vector<int8_t>& codes,
                                                  size_t rows, size_t dims, const std::vector<int16_t>& queries,
                                                  size_t queryCount) {
  const std::vector<int8_t> packed = packBlocks(codes, rows, dims);
  const size_t blocks = (rows + 7) / 8;
  const size_t stride = blocks * 8 + 5;  // deliberately wider than the block rows
  constexpr int32_t kUntouched = 0x5A5A5A5A;
  std::vector<int32_t> out(queryCount * stride, kUntouched);
  named.kernel(packed.data(), blocks, (dims + 1) / 2, queries.data(), queryCount, out.data(), stride);
  const std::vector<int64_t> expected = referenceDots(codes, rows, dims, queries, queryCount);
  for (size_t q = 0; q < queryCount; ++q) {
    for (size_t r = 0; r < blocks * 8; ++r) {
      const int64_t want = r < rows ? expected[q * rows + r] : 0;  // padding rows have zero codes
      if (out[q * stride + r] != want) {
        return ::testing::AssertionFailure() << named.name << ": dims " << dims << ", rows " << rows << ", "
                                             << queryCount << " queries: out[q=" << q << "][r=" << r
                                             << "] = " << out[q * stride + r] << ", reference " << want;
      }
    }
    for (size_t r = blocks * 8; r < stride; ++r) {
      if (out[q * stride + r] != kUntouched) {
        return ::testing::AssertionFailure() << named.name << " wrote past its rows at q=" << q << ", r=" << r;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

const size_t kDims[] = {1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 300};

TEST(Kernels, BackendNameMatchesBuild) {
#if defined(__EMSCRIPTEN__) && !defined(__wasm_simd128__)
  FAIL() << "the wasm build must compile with -msimd128, or the SIMD kernel goes untested";
#endif
#if defined(__wasm_simd128__)
  EXPECT_STREQ(dotBackendName(), "wasm-simd128");
#else
  EXPECT_STREQ(dotBackendName(), "serial");
#endif
}

TEST(Kernels, PackingFollowsDocumentedLayout) {
  // A hand-checked case for the test's own packer: row r has codes
  // (10r + 1, 10r + 2, 10r + 3) over 3 dims, 8 rows, so 2 dim pairs.
  std::vector<int8_t> codes(8 * 3);
  for (int r = 0; r < 8; ++r) {
    for (int d = 0; d < 3; ++d) codes[r * 3 + d] = int8_t(10 * r + d + 1);
  }
  const std::vector<int8_t> packed = packBlocks(codes, 8, 3);
  ASSERT_EQ(packed.size(), 32u);
  const int8_t firstPair[16] = {1, 2, 11, 12, 21, 22, 31, 32, 41, 42, 51, 52, 61, 62, 71, 72};
  const int8_t secondPair[16] = {3, 0, 13, 0, 23, 0, 33, 0, 43, 0, 53, 0, 63, 0, 73, 0};
  EXPECT_EQ(0, std::memcmp(packed.data(), firstPair, 16));
  EXPECT_EQ(0, std::memcmp(packed.data() + 16, secondPair, 16));

  // Query (1, 0, 0) picks dim 0, (0, 0, 1) picks dim 2 (the padded pair).
  const std::vector<int16_t> queries = {1, 0, 0, 0, 0, 0, 1, 0};
  int32_t out[2 * 8];
  dot_i8i16_serial(packed.data(), 1, 2, queries.data(), 2, out, 8);
  for (int r = 0; r < 8; ++r) {
    EXPECT_EQ(out[r], 10 * r + 1) << "row " << r;
    EXPECT_EQ(out[8 + r], 10 * r + 3) << "row " << r;
  }
}

TEST(Kernels, MatchInt64ReferenceOnRandomCodes) {
  TestRandom random(20240601);
  for (const NamedKernel& named : kernelsUnderTest()) {
    for (size_t dims : kDims) {
      const int32_t limit = queryCodeLimit((dims + 1) / 2);
      for (size_t blocks : {size_t(1), size_t(5)}) {
        // One block exactly, and several blocks with a partial last one.
        const size_t rows = blocks == 1 ? 8 : blocks * 8 - 3;
        const std::vector<int8_t> codes = randomCodes(rows * dims, random);
        for (size_t queryCount = 1; queryCount <= 9; ++queryCount) {
          const std::vector<int16_t> queries = randomQueries(queryCount, dims, limit, random);
          ASSERT_TRUE(kernelMatchesReference(named, codes, rows, dims, queries, queryCount));
        }
      }
    }
  }
}

TEST(Kernels, ExtremeCodesAndQueriesDoNotOverflow) {
  // Codes of +-127 against queries of +-queryCodeLimit: the sums reach the
  // largest magnitude the limit allows, which must still fit an int32 lane.
  TestRandom random(7);
  std::vector<size_t> dimsList(std::begin(kDims), std::end(kDims));
  dimsList.push_back(768);
  dimsList.push_back(4096);
  for (const NamedKernel& named : kernelsUnderTest()) {
    for (size_t dims : dimsList) {
      const size_t rows = 8, padded = (dims + 1) / 2 * 2;
      const int32_t limit = queryCodeLimit(padded / 2);
      std::vector<int8_t> codes(rows * dims);
      for (size_t d = 0; d < dims; ++d) {
        codes[0 * dims + d] = 127;
        codes[1 * dims + d] = -127;
        codes[2 * dims + d] = d % 2 ? 127 : -127;
        for (size_t r = 3; r < rows; ++r) codes[r * dims + d] = random.integer(0, 1) ? 127 : -127;
      }
      const size_t queryCount = 5;
      std::vector<int16_t> queries(queryCount * padded, 0);
      for (size_t d = 0; d < dims; ++d) {
        queries[0 * padded + d] = int16_t(limit);
        queries[1 * padded + d] = int16_t(-limit);
        queries[2 * padded + d] = int16_t(d % 2 ? limit : -limit);
        queries[3 * padded + d] = int16_t(d % 2 ? -limit : limit);
        queries[4 * padded + d] = int16_t(random.integer(0, 1) ? limit : -limit);
      }
      const std::vector<int64_t> expected = referenceDots(codes, rows, dims, queries, queryCount);
      // Row 0 . query 0 is the largest possible sum: 127 * limit * dims.
      EXPECT_EQ(expected[0], int64_t(127) * limit * int64_t(dims));
      for (int64_t value : expected) {
        ASSERT_LE(value, int64_t(INT32_MAX)) << "dims " << dims;
        ASSERT_GE(value, -int64_t(INT32_MAX)) << "dims " << dims;
      }
      ASSERT_TRUE(kernelMatchesReference(named, codes, rows, dims, queries, queryCount));
    }
  }
}

TEST(Kernels, QueryCodeLimitIsTheLargestSafeValue) {
  // Hand-computed: INT32_MAX / (2 * 127 * pairs), capped at int16's 32767.
  EXPECT_EQ(queryCodeLimit(1), 32767);
  EXPECT_EQ(queryCodeLimit(384), 22017);  // d = 768:  2147483647 / 97536
  EXPECT_EQ(queryCodeLimit(2048), 4128);  // d = 4096: 2147483647 / 520192
  for (size_t pairs : {size_t(1), size_t(4), size_t(50), size_t(150), size_t(384), size_t(2048), size_t(100000)}) {
    const int64_t limit = queryCodeLimit(pairs);
    const int64_t perLane = 2 * 127 * int64_t(pairs);
    EXPECT_GE(limit, 1);
    EXPECT_LE(limit, 32767);
    EXPECT_LE(perLane * limit, int64_t(INT32_MAX)) << "pairs " << pairs;
    if (limit < 32767) {
      EXPECT_GT(perLane * (limit + 1), int64_t(INT32_MAX)) << "pairs " << pairs;
    }
  }
}

}  // namespace
}  // namespace explorer::kernels
