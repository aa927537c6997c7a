// EmbeddingTable: quantization, the EMBQ file format and its validation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "explorer/table.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::gaussianValues;
using testing::numberedWords;
using testing::randomTable;
using testing::throwsError;

template <typename T>
T readAt(const std::vector<uint8_t>& bytes, size_t at) {
  T value;
  std::memcpy(&value, bytes.data() + at, sizeof(T));
  return value;
}

template <typename T>
void writeAt(std::vector<uint8_t>& bytes, size_t at, T value) {
  std::memcpy(bytes.data() + at, &value, sizeof(T));
}

// Recomputes the header CRC after an edit, so the edit reaches the checks
// behind the checksum.
void resealChecksum(std::vector<uint8_t>& bytes) {
  writeAt<uint32_t>(bytes, 24, crc32(bytes.data() + 64, bytes.size() - 64));
}

EmbeddingTable deserializeBytes(const std::vector<uint8_t>& bytes) {
  return EmbeddingTable::deserialize(bytes.data(), bytes.size());
}

// A small table with an odd dim count and a partial last block.
constexpr size_t kRows = 37, kDims = 13;

std::vector<uint8_t> smallFile() { return randomTable(kRows, kDims, 11, "small").serialize(); }

// Byte offsets of the payload regions of smallFile().
constexpr size_t kNormsAt = 64, kScalesAt = 64 + 4 * kRows, kCodesAt = 64 + 8 * kRows;
constexpr size_t kWordsAt = kCodesAt + kRows * kDims;

TEST(Crc32, MatchesTheStandardCheckValue) {
  const std::string text = "123456789";
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  EXPECT_EQ(crc32(data, text.size()), 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
  EXPECT_EQ(crc32(data + 4, 5, crc32(data, 4)), 0xCBF43926u);  // chaining
}

TEST(EmbeddingTable, RoundTripKeepsCodesNormsScalesWordsAndName) {
  const size_t rows = kRows, dims = kDims;
  const std::vector<float> values = gaussianValues(rows * dims, 3);
  std::vector<std::string> words = numberedWords(rows);
  words[1] = "école";
  words[2] = "москва";
  words[3] = "well-known";
  const EmbeddingTable original = EmbeddingTable::quantize(values.data(), rows, dims, words, "glove-test");
  const std::vector<uint8_t> bytes = original.serialize();
  const EmbeddingTable copy = deserializeBytes(bytes);

  ASSERT_EQ(copy.rows(), rows);
  ASSERT_EQ(copy.dims(), dims);
  EXPECT_EQ(copy.name(), "glove-test");
  EXPECT_EQ(copy.vocabulary().words(), words);
  for (size_t r = 0; r < rows; ++r) {
    // Norms and scales are stored as raw float bits: exact.
    EXPECT_EQ(copy.norm(r), original.norm(r)) << "row " << r;
    EXPECT_EQ(copy.scale(r), original.scale(r)) << "row " << r;
    for (size_t d = 0; d < dims; ++d) ASSERT_EQ(copy.code(r, d), original.code(r, d)) << r << "," << d;
  }
  ASSERT_EQ(copy.memoryBytes(), original.memoryBytes());
  EXPECT_EQ(0, std::memcmp(copy.blocks(), original.blocks(), copy.memoryBytes() - 8 * rows));
  EXPECT_EQ(copy.serialize(), bytes);
}

TEST(EmbeddingTable, HeaderFieldsFollowTheFormat) {
  const EmbeddingTable table = randomTable(kRows, kDims, 11, "small");
  const std::vector<uint8_t> bytes = table.serialize();
  size_t vocabularyBytes = 0;
  for (const std::string& w : table.vocabulary().words()) vocabularyBytes += w.size() + 1;
  vocabularyBytes -= 1;  // words joined by '\n', no trailing separator
  ASSERT_EQ(bytes.size(), 64 + kRows * 8 + kRows * kDims + vocabularyBytes);
  EXPECT_EQ(0, std::memcmp(bytes.data(), "EMBQ", 4));
  EXPECT_EQ(readAt<uint16_t>(bytes, 4), 1);
  EXPECT_EQ(readAt<uint16_t>(bytes, 6), 64);
  EXPECT_EQ(readAt<uint32_t>(bytes, 8), kRows);
  EXPECT_EQ(readAt<uint32_t>(bytes, 12), kDims);
  EXPECT_EQ(readAt<uint32_t>(bytes, 16), vocabularyBytes);
  EXPECT_EQ(readAt<uint32_t>(bytes, 20), 0u);
  EXPECT_EQ(readAt<uint32_t>(bytes, 24), crc32(bytes.data() + 64, bytes.size() - 64));
  EXPECT_EQ(readAt<uint32_t>(bytes, 28), 0u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data() + 32)), "small");
  for (size_t i = 32 + 5; i < 64; ++i) EXPECT_EQ(bytes[i], 0) << "name padding at " << i;
  // Codes are stored row-major in the file.
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t d = 0; d < kDims; ++d) {
      ASSERT_EQ(int8_t(bytes[kCodesAt + r * kDims + d]), table.code(r, d));
    }
  }
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data() + kWordsAt), 6), "w0\nw1\n");
}

TEST(EmbeddingTable, CodesFollowTheDocumentedBlockLayout) {
  // Integer rows whose largest |value| is 127 quantize to exactly their
  // values, so we know every code without trusting the quantizer.
  const size_t rows = 11, dims = 5;  // a partial second block, an odd dim
  std::vector<float> values(rows * dims);
  testing::TestRandom random(5);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t d = 0; d < dims; ++d) values[r * dims + d] = float(random.integer(-126, 126));
    values[r * dims + r % dims] = (r % 2) ? 127.0f : -127.0f;
  }
  const EmbeddingTable table = EmbeddingTable::quantize(values.data(), rows, dims, numberedWords(rows), "layout");
  ASSERT_EQ(table.blockCount(), 2u);
  ASSERT_EQ(table.pairCount(), 3u);
  ASSERT_EQ(table.blockBytes(), 48u);
  ASSERT_EQ(table.memoryBytes(), 2 * 48 + rows * 8);
  std::vector<bool> written(2 * 48, false);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t d = 0; d < dims; ++d) {
      const size_t at = (r / 8) * 48 + (d / 2) * 16 + ((r % 8) / 4) * 8 + (r % 4) * 2 + d % 2;
      EXPECT_EQ(table.blocks()[at], int8_t(values[r * dims + d])) << "row " << r << " dim " << d;
      EXPECT_EQ(table.code(r, d), int8_t(values[r * dims + d]));
      written[at] = true;
    }
  }
  for (size_t at = 0; at < written.size(); ++at) {
    if (!written[at]) {
      EXPECT_EQ(table.blocks()[at], 0) << "padding byte " << at;
    }
  }
}

TEST(EmbeddingTable, UnitVectorsHaveNormOneAndVectorsKeepTheNorm) {
  const size_t rows = 200, dims = 50;
  const std::vector<float> values = gaussianValues(rows * dims, 8);
  const EmbeddingTable table = EmbeddingTable::quantize(values.data(), rows, dims, numberedWords(rows), "t");
  std::vector<float> unit(dims), raw(dims);
  for (size_t r = 0; r < rows; ++r) {
    table.unitVector(r, unit.data());
    table.vector(r, raw.data());
    double unitSquares = 0, rawSquares = 0, floatSquares = 0;
    for (size_t d = 0; d < dims; ++d) {
      unitSquares += double(unit[d]) * unit[d];
      rawSquares += double(raw[d]) * raw[d];
      floatSquares += double(values[r * dims + d]) * values[r * dims + d];
    }
    // scale = 1/|c| is rounded to float once and each component once more:
    // a few float ulps (1e-7), so 1e-5 leaves a wide margin.
    EXPECT_NEAR(std::sqrt(unitSquares), 1.0, 1e-5) << "row " << r;
    // The stored norm is the float input's norm, rounded to float.
    EXPECT_NEAR(table.norm(r), std::sqrt(floatSquares), 1e-6 * std::sqrt(floatSquares)) << "row " << r;
    EXPECT_NEAR(std::sqrt(rawSquares), table.norm(r), 1e-5 * table.norm(r)) << "row " << r;
  }
}

TEST(EmbeddingTable, QuantizedCosinesStayWithinTheRoundingBound) {
  const size_t rows = 60, dims = 64;
  const std::vector<float> values = gaussianValues(rows * dims, 21);
  const EmbeddingTable table = EmbeddingTable::quantize(values.data(), rows, dims, numberedWords(rows), "t");
  const std::vector<float> units = testing::unitVectors(table);
  // With c = 127 u / m + e (m = max|u|, |e_d| <= 1/2), the dequantized unit
  // vector is within 2|e| / (127 / m) <= sqrt(dims) m / 127 of u, and a
  // cosine moves by at most the sum of both rows' distances.
  std::vector<double> exact(rows * dims), bound(rows);
  for (size_t r = 0; r < rows; ++r) {
    double squares = 0, maxAbs = 0;
    for (size_t d = 0; d < dims; ++d) squares += double(values[r * dims + d]) * values[r * dims + d];
    for (size_t d = 0; d < dims; ++d) {
      exact[r * dims + d] = values[r * dims + d] / std::sqrt(squares);
      maxAbs = std::max(maxAbs, std::fabs(exact[r * dims + d]));
    }
    bound[r] = std::sqrt(double(dims)) * maxAbs / 127;
  }
  double sumError = 0;
  size_t pairs = 0;
  for (size_t i = 0; i < rows; ++i) {
    for (size_t j = i + 1; j < rows; ++j) {
      double cosExact = 0, cosQuantized = 0;
      for (size_t d = 0; d < dims; ++d) {
        cosExact += exact[i * dims + d] * exact[j * dims + d];
        cosQuantized += double(units[i * dims + d]) * units[j * dims + d];
      }
      const double error = std::fabs(cosQuantized - cosExact);
      EXPECT_LE(error, bound[i] + bound[j] + 1e-6) << "rows " << i << ", " << j;
      sumError += error;
      ++pairs;
    }
  }
  // Typical errors are far below the worst case: rounding errors are
  // independent, so a cosine moves by ~|e| m / 127 ~ 1e-3 at most on
  // average for 64 standard-normal dims.
  EXPECT_LT(sumError / pairs, 1e-3);
}

TEST(EmbeddingTable, ZeroRowQuantizesToZeroCodes) {
  const size_t rows = 3, dims = 4;
  std::vector<float> values = {1, 2, 3, 4, 0, 0, 0, 0, -1, 0, 0, 0};
  const EmbeddingTable table = EmbeddingTable::quantize(values.data(), rows, dims, numberedWords(rows), "zero");
  for (size_t d = 0; d < dims; ++d) EXPECT_EQ(table.code(1, d), 0);
  EXPECT_EQ(table.norm(1), 0.0f);
  EXPECT_EQ(table.scale(1), 0.0f);
  std::vector<float> unit(dims, 1.0f);
  table.unitVector(1, unit.data());
  for (float v : unit) EXPECT_EQ(v, 0.0f);
  // Row 2 is a single non-zero: code -127 there, zero elsewhere, scale 1/127.
  EXPECT_EQ(table.code(2, 0), -127);
  EXPECT_FLOAT_EQ(table.scale(2), 1.0f / 127);
  // A zero row must survive the file round trip (scale 0 is allowed).
  const EmbeddingTable copy = deserializeBytes(table.serialize());
  EXPECT_EQ(copy.scale(1), 0.0f);
}

TEST(EmbeddingTable, QuantizeRejectsNonFiniteValuesNamingTheRow) {
  const size_t rows = 5, dims = 4;
  std::vector<float> values = gaussianValues(rows * dims, 2);
  values[3 * dims + 2] = std::numeric_limits<float>::quiet_NaN();
  auto quantize = [&] { EmbeddingTable::quantize(values.data(), rows, dims, numberedWords(rows), "t"); };
  EXPECT_TRUE(throwsError(quantize, ErrorCode::BadData, "row 3 (\"w3\")"));
  EXPECT_TRUE(throwsError(quantize, ErrorCode::BadData, "dimension 2"));
  values[3 * dims + 2] = 0;
  values[4 * dims + 0] = -std::numeric_limits<float>::infinity();
  EXPECT_TRUE(throwsError(quantize, ErrorCode::BadData, "row 4 (\"w4\")"));
}

TEST(EmbeddingTable, QuantizeRejectsBadShapesAndVocabularies) {
  std::vector<float> values = gaussianValues(5 * 4, 2);
  EXPECT_TRUE(throwsError([&] { EmbeddingTable::quantize(values.data(), 5, 4, numberedWords(4), "t"); },
                          ErrorCode::BadData, "vocabulary has 4 words but the table has 5 rows"));
  std::vector<std::string> words = numberedWords(5);
  words[2] = "";
  EXPECT_TRUE(throwsError([&] { EmbeddingTable::quantize(values.data(), 5, 4, words, "t"); }, ErrorCode::BadData,
                          "entry 2 is empty"));
  words[2] = "w1";
  try {
    EmbeddingTable::quantize(values.data(), 5, 4, words, "t");
    ADD_FAILURE() << "duplicate words were accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::DuplicateWord);
    EXPECT_EQ(error.word(), "w1");
    EXPECT_NE(std::string(error.what()).find("\"w1\" twice"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(throwsError([&] { EmbeddingTable::quantize(values.data(), 5, 0, numberedWords(5), "t"); },
                          ErrorCode::BadData, "zero dimensions"));
  EXPECT_TRUE(throwsError([&] { EmbeddingTable::quantize(values.data(), 0, 4, {}, "t"); }, ErrorCode::EmptyInput,
                          "no rows"));
  const std::vector<float> wide(TableLimits::kMaxDims + 1, 1.0f);
  EXPECT_TRUE(throwsError(
      [&] { EmbeddingTable::quantize(wide.data(), 1, TableLimits::kMaxDims + 1, numberedWords(1), "t"); },
      ErrorCode::TooLarge, "4097 dimensions"));
  // Size limits are checked before the values or words are looked at: a
  // wrong check order would report the vocabulary mismatch (BadData) instead.
  EXPECT_TRUE(throwsError([&] { EmbeddingTable::quantize(values.data(), TableLimits::kMaxRows + 1, 1, {}, "t"); },
                          ErrorCode::TooLarge, "size limit"));
  EXPECT_TRUE(throwsError([&] { EmbeddingTable::quantize(values.data(), 300000, 4000, {}, "t"); },
                          ErrorCode::TooLarge, "size limit"));
}

TEST(EmbeddingTable, DeserializeRejectsBadHeaders) {
  const std::vector<uint8_t> good = smallFile();
  ASSERT_NO_THROW(deserializeBytes(good));

  const std::vector<uint8_t> tiny(good.begin(), good.begin() + 10);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(tiny); }, ErrorCode::BadData, "10 bytes is smaller than"));

  std::vector<uint8_t> bytes = good;
  bytes[0] = 'X';
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "wrong magic"));

  bytes = good;
  writeAt<uint16_t>(bytes, 4, 2);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "unsupported EMBQ version 2"));

  bytes = good;
  writeAt<uint16_t>(bytes, 6, 32);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "header size"));

  bytes = good;
  writeAt<uint32_t>(bytes, 20, 1);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "flags"));

  bytes = good;
  writeAt<uint32_t>(bytes, 8, 0);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "empty"));
  bytes = good;
  writeAt<uint32_t>(bytes, 12, 0);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "empty"));
}

TEST(EmbeddingTable, DeserializeRejectsHugeSizesBeforeAllocating) {
  // Only the 64-byte header exists: a reader that allocated rows * dims
  // first would try to get gigabytes (and fail differently); the limits
  // must answer TooLarge from the header alone.
  const std::vector<uint8_t> file = smallFile();
  std::vector<uint8_t> header(file.begin(), file.begin() + 64);
  writeAt<uint32_t>(header, 8, 1'000'000);
  writeAt<uint32_t>(header, 12, 4096);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(header); }, ErrorCode::TooLarge, "1000000 x 4096"));
  writeAt<uint32_t>(header, 8, TableLimits::kMaxRows + 1);
  writeAt<uint32_t>(header, 12, 1);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(header); }, ErrorCode::TooLarge, "beyond the size limit"));
  writeAt<uint32_t>(header, 8, 10);
  writeAt<uint32_t>(header, 12, TableLimits::kMaxDims + 1);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(header); }, ErrorCode::TooLarge, "beyond the size limit"));
  // rows * dims overflowing 32 bits must not wrap to a small number.
  writeAt<uint32_t>(header, 8, 3'000'000);
  writeAt<uint32_t>(header, 12, 2048);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(header); }, ErrorCode::TooLarge, "beyond the size limit"));
}

TEST(EmbeddingTable, DeserializeRejectsTruncatedAndOversizedFiles) {
  const std::vector<uint8_t> good = smallFile();
  const std::string expected = "expected " + std::to_string(good.size());

  const std::vector<uint8_t> headerOnly(good.begin(), good.begin() + 64);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(headerOnly); }, ErrorCode::BadData, "truncated: 64 bytes"));
  EXPECT_TRUE(throwsError([&] { deserializeBytes(headerOnly); }, ErrorCode::BadData, expected));

  const std::vector<uint8_t> midCodes(good.begin(), good.begin() + kCodesAt + 100);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(midCodes); }, ErrorCode::BadData, "truncated"));
  const std::vector<uint8_t> lastByteMissing(good.begin(), good.end() - 1);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(lastByteMissing); }, ErrorCode::BadData, "truncated"));

  std::vector<uint8_t> trailing = good;
  trailing.push_back('x');
  trailing.push_back('y');
  EXPECT_TRUE(throwsError([&] { deserializeBytes(trailing); }, ErrorCode::BadData, "2 unexpected trailing bytes"));
}

TEST(EmbeddingTable, DeserializeDetectsAFlippedPayloadByte) {
  const std::vector<uint8_t> good = smallFile();
  for (size_t at : {kNormsAt + 1, kScalesAt + 6, kCodesAt + 50, kWordsAt + 1, good.size() - 1}) {
    std::vector<uint8_t> bytes = good;
    bytes[at] ^= 0x01;
    EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "checksum mismatch"))
        << "flipped byte " << at;
  }
}

TEST(EmbeddingTable, DeserializeValidatesThePayloadBehindTheChecksum) {
  const std::vector<uint8_t> good = smallFile();

  std::vector<uint8_t> bytes = good;
  bytes[kCodesAt + 5 * kDims + 3] = 0x80;  // int8 -128
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "row 5 has code -128"));

  bytes = good;
  writeAt<float>(bytes, kScalesAt + 4 * 7, readAt<float>(good, kScalesAt + 4 * 7) * 1.01f);
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "row 7 has a scale or norm inconsistent"));

  // A scale on a row whose codes are all zero: only a zero row may have
  // zero codes, and it must have scale 0 and norm 0.
  bytes = good;
  for (size_t d = 0; d < kDims; ++d) bytes[kCodesAt + 3 * kDims + d] = 0;
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "row 3 has a scale or norm inconsistent"));

  bytes = good;
  writeAt<float>(bytes, kNormsAt + 4 * 2, -1.0f);
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "row 2 has a non-finite or negative"));

  bytes = good;
  writeAt<float>(bytes, kNormsAt + 4 * 2, std::numeric_limits<float>::infinity());
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "row 2 has a non-finite"));

  // "w0\nw1\n...": joining w0 and w1 leaves one word too few.
  bytes = good;
  ASSERT_EQ(bytes[kWordsAt + 2], '\n');
  bytes[kWordsAt + 2] = '_';
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "vocabulary has 36 words"));

  // "w1" -> "w2": a duplicate of the next word.
  bytes = good;
  ASSERT_EQ(bytes[kWordsAt + 4], '1');
  bytes[kWordsAt + 4] = '2';
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::DuplicateWord, "\"w2\" twice"));

  bytes = good;
  bytes[kWordsAt + 4] = 0xFF;
  resealChecksum(bytes);
  EXPECT_TRUE(throwsError([&] { deserializeBytes(bytes); }, ErrorCode::BadData, "entry 1 is not valid UTF-8"));
}

}  // namespace
}  // namespace explorer
