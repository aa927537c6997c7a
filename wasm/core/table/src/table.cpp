#include "explorer/table.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "explorer/errors.h"

namespace explorer {

namespace {

template <typename T>
void writeLE(std::vector<uint8_t>& out, size_t at, T value) {
  // wasm and x86 are little-endian, which is what the format specifies.
  std::memcpy(out.data() + at, &value, sizeof(T));
}

template <typename T>
T readLE(const uint8_t* data) {
  T value;
  std::memcpy(&value, data, sizeof(T));
  return value;
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  static uint32_t table[256] = {};
  if (table[1] == 0) {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  }
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void EmbeddingTable::allocate(size_t rows, size_t dims) {
  rows_ = rows;
  dims_ = dims;
  blocks_.assign(blockCount() * blockBytes(), 0);
  norms_.assign(rows, 0.0f);
  scales_.assign(rows, 0.0f);
}

EmbeddingTable EmbeddingTable::quantize(const float* values, size_t rows, size_t dims,
                                        std::vector<std::string> words, std::string name) {
  if (rows == 0) fail(ErrorCode::EmptyInput, "table has no rows");
  if (dims == 0) fail(ErrorCode::BadData, "table has zero dimensions");
  if (dims > TableLimits::kMaxDims) {
    fail(ErrorCode::TooLarge, "table has " + std::to_string(dims) + " dimensions; the limit is " +
                                  std::to_string(TableLimits::kMaxDims));
  }
  if (rows > TableLimits::kMaxRows || uint64_t(rows) * dims > TableLimits::kMaxCodeBytes) {
    fail(ErrorCode::TooLarge, "table of " + std::to_string(rows) + " x " + std::to_string(dims) +
                                  " is beyond the size limit");
  }
  if (words.size() != rows) {
    fail(ErrorCode::BadData, "vocabulary has " + std::to_string(words.size()) + " words but the table has " +
                                 std::to_string(rows) + " rows");
  }
  EmbeddingTable table;
  table.vocabulary_ = Vocabulary(std::move(words));
  table.name_ = std::move(name);
  table.allocate(rows, dims);
  for (size_t r = 0; r < rows; ++r) {
    const float* x = values + r * dims;
    for (size_t d = 0; d < dims; ++d) {
      if (!std::isfinite(x[d])) {
        fail(ErrorCode::BadData, "row " + std::to_string(r) + " (\"" + table.vocabulary_.word(r) +
                                     "\") has a non-finite value at dimension " + std::to_string(d));
      }
    }
    table.quantizeRowInto(r, x);
    if (!std::isfinite(table.norms_[r])) {
      fail(ErrorCode::BadData, "row " + std::to_string(r) + " (\"" + table.vocabulary_.word(r) +
                                   "\") has values so large that its length overflows float32");
    }
  }
  return table;
}

// The one int8 quantizer, shared by quantize() and the streaming builder.
void EmbeddingTable::quantizeRowInto(size_t row, const float* x) {
  double sumSquares = 0;
  float maxAbs = 0;
  for (size_t d = 0; d < dims_; ++d) {
    sumSquares += double(x[d]) * x[d];
    maxAbs = std::max(maxAbs, std::fabs(x[d]));
  }
  norms_[row] = 0;
  scales_[row] = 0;
  if (maxAbs == 0) return;  // zero row: zero codes, zero scale
  // Quantizing x/maxAbs is the same as quantizing u/max|u|.
  double codeSquares = 0;
  for (size_t d = 0; d < dims_; ++d) {
    // In double: 127 * x overflows float for |x| > 2.7e36 (found by fuzzing).
    // Rounds half away from zero like std::lround, without its libm call
    // per value (a large share of a streaming load); t - trunc(t) is exact.
    const double t = 127.0 * x[d] / maxAbs, whole = std::trunc(t), fraction = t - whole;
    const auto c = static_cast<int8_t>(int(whole) + (fraction >= 0.5) - (fraction <= -0.5));
    blocks_[codeOffset(row, d)] = c;
    codeSquares += double(c) * c;
  }
  norms_[row] = static_cast<float>(std::sqrt(sumSquares));
  scales_[row] = static_cast<float>(1.0 / std::sqrt(codeSquares));
}

EmbeddingTable::EmbeddingTable(size_t dims, std::string name) : dims_(dims), name_(std::move(name)) {}

void EmbeddingTable::reserveRows(size_t rows) {
  const size_t blocks = (rows + kernels::kBlockRows - 1) / kernels::kBlockRows;
  blocks_.reserve(blocks * blockBytes());
  norms_.reserve(rows);
  scales_.reserve(rows);
}

void EmbeddingTable::appendRow(const float* values) {
  if (rows_ % kernels::kBlockRows == 0) blocks_.resize(blocks_.size() + blockBytes(), 0);
  norms_.push_back(0);
  scales_.push_back(0);
  quantizeRowInto(rows_++, values);
}

void EmbeddingTable::attachVocabulary(Vocabulary vocabulary) {
  if (vocabulary.size() != rows_) {
    fail(ErrorCode::BadData, "vocabulary has " + std::to_string(vocabulary.size()) + " words but the table has " +
                                 std::to_string(rows_) + " rows");
  }
  vocabulary_ = std::move(vocabulary);
}

std::vector<uint8_t> EmbeddingTable::serialize() const {
  size_t vocabularyBytes = 0;
  for (const auto& w : vocabulary_.words()) vocabularyBytes += w.size() + 1;
  if (vocabularyBytes) vocabularyBytes -= 1;  // no trailing separator
  const size_t payload = rows_ * 8 + rows_ * dims_ + vocabularyBytes;
  std::vector<uint8_t> out(kHeaderBytes + payload, 0);
  std::memcpy(out.data(), kMagic, 4);
  writeLE<uint16_t>(out, 4, kVersion);
  writeLE<uint16_t>(out, 6, kHeaderBytes);
  writeLE<uint32_t>(out, 8, static_cast<uint32_t>(rows_));
  writeLE<uint32_t>(out, 12, static_cast<uint32_t>(dims_));
  writeLE<uint32_t>(out, 16, static_cast<uint32_t>(vocabularyBytes));
  // The name field holds 31 bytes and a NUL; cut longer names at a UTF-8
  // character boundary so the stored name stays valid text.
  size_t nameBytes = std::min<size_t>(name_.size(), 31);
  while (nameBytes > 0 && nameBytes < name_.size() && (static_cast<unsigned char>(name_[nameBytes]) & 0xC0) == 0x80) {
    --nameBytes;
  }
  std::memcpy(out.data() + 32, name_.data(), nameBytes);
  size_t at = kHeaderBytes;
  std::memcpy(out.data() + at, norms_.data(), rows_ * 4);
  at += rows_ * 4;
  std::memcpy(out.data() + at, scales_.data(), rows_ * 4);
  at += rows_ * 4;
  for (size_t r = 0; r < rows_; ++r) {
    for (size_t d = 0; d < dims_; ++d) out[at++] = static_cast<uint8_t>(code(r, d));
  }
  for (size_t i = 0; i < vocabulary_.size(); ++i) {
    if (i) out[at++] = '\n';
    const std::string& w = vocabulary_.word(static_cast<uint32_t>(i));
    std::memcpy(out.data() + at, w.data(), w.size());
    at += w.size();
  }
  writeLE<uint32_t>(out, 24, crc32(out.data() + kHeaderBytes, payload));
  return out;
}

EmbeddingTable EmbeddingTable::deserialize(const uint8_t* data, size_t size) {
  if (size < kHeaderBytes) {
    fail(ErrorCode::BadData, "data file is truncated: " + std::to_string(size) + " bytes is smaller than the " +
                                 std::to_string(kHeaderBytes) + "-byte header");
  }
  if (std::memcmp(data, kMagic, 4) != 0) fail(ErrorCode::BadData, "not an EMBQ data file (wrong magic number)");
  const auto version = readLE<uint16_t>(data + 4);
  if (version != kVersion) {
    fail(ErrorCode::BadData, "unsupported EMBQ version " + std::to_string(version) + " (this build reads " +
                                 std::to_string(kVersion) + ")");
  }
  if (readLE<uint16_t>(data + 6) != kHeaderBytes) fail(ErrorCode::BadData, "EMBQ header size is wrong");
  const uint64_t rows = readLE<uint32_t>(data + 8), dims = readLE<uint32_t>(data + 12);
  const uint64_t vocabularyBytes = readLE<uint32_t>(data + 16);
  if (readLE<uint32_t>(data + 20) != 0) fail(ErrorCode::BadData, "EMBQ header has unknown flags");
  if (rows == 0 || dims == 0) fail(ErrorCode::BadData, "EMBQ table is empty (rows or dims is 0)");
  if (dims > TableLimits::kMaxDims || rows > TableLimits::kMaxRows ||
      rows * dims > TableLimits::kMaxCodeBytes) {
    fail(ErrorCode::TooLarge, "EMBQ table of " + std::to_string(rows) + " x " + std::to_string(dims) +
                                  " is beyond the size limit");
  }
  const uint64_t expected = kHeaderBytes + rows * 8 + rows * dims + vocabularyBytes;
  if (size < expected) {
    fail(ErrorCode::BadData, "data file is truncated: " + std::to_string(size) + " bytes, expected " +
                                 std::to_string(expected));
  }
  if (size > expected) {
    fail(ErrorCode::BadData, "data file has " + std::to_string(size - expected) +
                                 " unexpected trailing bytes (dimension or size mismatch)");
  }
  if (crc32(data + kHeaderBytes, size - kHeaderBytes) != readLE<uint32_t>(data + 24)) {
    fail(ErrorCode::BadData, "data file is corrupt (checksum mismatch)");
  }
  char name[33] = {};
  std::memcpy(name, data + 32, 32);

  const uint8_t* at = data + kHeaderBytes;
  std::vector<std::string> words;
  words.reserve(rows);
  {
    const char* text = reinterpret_cast<const char*>(at + rows * 8 + rows * dims);
    size_t start = 0;
    for (size_t i = 0; i <= vocabularyBytes; ++i) {
      if (i == vocabularyBytes || text[i] == '\n') {
        words.emplace_back(text + start, i - start);
        start = i + 1;
      }
    }
    if (words.size() != rows) {
      fail(ErrorCode::BadData, "vocabulary has " + std::to_string(words.size()) + " words but the table has " +
                                   std::to_string(rows) + " rows");
    }
  }
  EmbeddingTable table;
  table.vocabulary_ = Vocabulary(std::move(words));
  table.name_ = name;
  table.allocate(rows, dims);
  std::memcpy(table.norms_.data(), at, rows * 4);
  std::memcpy(table.scales_.data(), at + rows * 4, rows * 4);
  for (size_t r = 0; r < rows; ++r) {
    const float n = table.norms_[r], s = table.scales_[r];
    if (!std::isfinite(n) || !std::isfinite(s) || n < 0 || s < 0) {
      fail(ErrorCode::BadData, "row " + std::to_string(r) + " has a non-finite or negative norm or scale");
    }
  }
  const auto* codes = reinterpret_cast<const int8_t*>(at + rows * 8);
  for (size_t r = 0; r < rows; ++r) {
    double codeSquares = 0;
    for (size_t d = 0; d < dims; ++d) {
      const int8_t c = codes[r * dims + d];
      if (c == -128) fail(ErrorCode::BadData, "row " + std::to_string(r) + " has code -128, outside the symmetric int8 range");
      table.blocks_[table.codeOffset(r, d)] = c;
      codeSquares += double(c) * c;
    }
    // A scale that does not normalise its codes means the file was not
    // written by our quantizer (or was edited): searches would be wrong.
    // Only a zero row (zero codes, scale and norm) may have scale 0.
    const bool zeroRow = codeSquares == 0;
    const bool consistent = zeroRow ? (table.scales_[r] == 0 && table.norms_[r] == 0)
                                    : std::fabs(table.scales_[r] * std::sqrt(codeSquares) - 1.0) <= 1e-3;
    if (!consistent) {
      fail(ErrorCode::BadData, "row " + std::to_string(r) + " has a scale or norm inconsistent with its codes");
    }
  }
  return table;
}

void EmbeddingTable::unitVector(size_t row, float* out) const {
  const float s = scales_[row];
  for (size_t d = 0; d < dims_; ++d) out[d] = s * code(row, d);
}

void EmbeddingTable::vector(size_t row, float* out) const {
  const float s = scales_[row] * norms_[row];
  for (size_t d = 0; d < dims_; ++d) out[d] = s * code(row, d);
}

size_t EmbeddingTable::memoryBytes() const {
  return blocks_.size() + (norms_.size() + scales_.size()) * sizeof(float);
}

}  // namespace explorer
