// EmbeddingTable: the quantized embedding table and its file format.
//
// Each row x is stored as its L2 norm plus int8 codes of the unit vector:
//   u = x / |x|,  c = round(127 * u / max|u|),  scale = 1 / |c|
// so c * scale is exactly a unit vector and the int8 cosine of two rows is
// dot(c_i, c_j) * scale_i * scale_j. The norm keeps the raw geometry for
// centring and whitening, which act on the unnormalised vectors.
//
// File format "EMBQ" version 1, little-endian:
//   0  char[4]  magic "EMBQ"
//   4  u16      version (1)        6  u16  header bytes (64)
//   8  u32      rows               12 u32  dims
//   16 u32      vocabulary bytes   20 u32  flags (0)
//   24 u32      CRC-32 of everything after the header
//   28 u32      reserved (0)       32 char[32] table name, NUL padded
//   64 f32[rows] norms, f32[rows] scales, i8[rows*dims] codes (row-major),
//      then the vocabulary: UTF-8 words joined by '\n'.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "explorer/kernels.h"
#include "explorer/vocabulary.h"

namespace explorer {

// Limits a table must respect; checked before anything is allocated.
struct TableLimits {
  static constexpr uint32_t kMaxDims = 4096;
  static constexpr uint32_t kMaxRows = 4'000'000;
  static constexpr uint64_t kMaxCodeBytes = 1ull << 30;  // wasm32 heap is 2 GiB
};

class EmbeddingTable {
 public:
  static constexpr char kMagic[4] = {'E', 'M', 'B', 'Q'};
  static constexpr uint16_t kVersion = 1;
  static constexpr uint16_t kHeaderBytes = 64;

  EmbeddingTable() = default;

  // Quantizes row-major float rows. Throws BadData on NaN/Inf or a size
  // mismatch; a zero row is kept with zero codes (cosine 0 to everything).
  static EmbeddingTable quantize(const float* values, size_t rows, size_t dims,
                                 std::vector<std::string> words, std::string name);
  // Parses and validates a whole file. Throws BadData/TooLarge naming the
  // problem; never returns a partly loaded table.
  static EmbeddingTable deserialize(const uint8_t* data, size_t size);
  std::vector<uint8_t> serialize() const;

  // Streaming construction (TableBuilder): an empty table of `dims`
  // columns, rows appended one at a time and quantized exactly as
  // quantize() does, storage growing by whole blocks; the vocabulary comes
  // last. The caller checks limits and finiteness first.
  EmbeddingTable(size_t dims, std::string name);
  void reserveRows(size_t rows);
  void appendRow(const float* values);
  // Throws BadData when the word count differs from the rows.
  void attachVocabulary(Vocabulary vocabulary);
  void rename(std::string name) { name_ = std::move(name); }

  size_t rows() const { return rows_; }
  size_t dims() const { return dims_; }
  size_t pairCount() const { return (dims_ + 1) / 2; }
  size_t paddedDims() const { return pairCount() * 2; }
  size_t blockCount() const { return (rows_ + kernels::kBlockRows - 1) / kernels::kBlockRows; }
  size_t blockBytes() const { return pairCount() * kernels::kBlockPairBytes; }
  const int8_t* blocks() const { return blocks_.data(); }
  const std::string& name() const { return name_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }

  float norm(size_t row) const { return norms_[row]; }
  float scale(size_t row) const { return scales_[row]; }
  int8_t code(size_t row, size_t dim) const { return blocks_[codeOffset(row, dim)]; }
  // The dequantized unit vector (dims values).
  void unitVector(size_t row, float* out) const;
  // The dequantized raw vector: norm * unit vector.
  void vector(size_t row, float* out) const;
  size_t memoryBytes() const;

 private:
  size_t codeOffset(size_t row, size_t dim) const {
    const size_t block = row / kernels::kBlockRows, r = row % kernels::kBlockRows;
    return block * blockBytes() + (dim / 2) * kernels::kBlockPairBytes + (r / 4) * 8 + (r % 4) * 2 +
           (dim % 2);
  }
  void allocate(size_t rows, size_t dims);
  void quantizeRowInto(size_t row, const float* values);

  size_t rows_ = 0, dims_ = 0;
  std::string name_;
  std::vector<int8_t> blocks_;  // kernel layout, zero padded to whole blocks
  std::vector<float> norms_, scales_;
  Vocabulary vocabulary_;
};

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace explorer
