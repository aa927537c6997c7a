// The project's own EMBQ format through the same Parser interface, so a
// saved table loads like any other file (same report, same limits). The
// file is validated whole (its CRC covers everything) and its rows are fed
// back to the builder as dequantized floats; requantizing them gives the
// same codes, since every stored row has max |code| = 127.
#include <algorithm>
#include <cstring>

#include "explorer/table.h"
#include "parsers.h"

namespace explorer::formats {

namespace {

class EmbqParser final : public Parser {
 public:
  EmbqParser(const std::string& fileName, TableBuilder& builder) : fileName_(fileName), builder_(builder) {}

  void feed(const uint8_t* data, size_t size) override {
    // Grows with the bytes that arrive, never past the size the header
    // states: a 64-byte file claiming a 1 GB table must not reserve 1 GB
    // up front (found by fuzzing).
    if (expected_ && bytes_.size() + size > bytes_.capacity()) {
      bytes_.reserve(size_t(std::min<uint64_t>(expected_, std::max<uint64_t>(bytes_.capacity() * 2, bytes_.size() + size))));
    }
    bytes_.insert(bytes_.end(), data, data + size);
    if (!expected_ && bytes_.size() >= EmbeddingTable::kHeaderBytes) readHeader();
    if (expected_ && bytes_.size() > expected_) {
      fail(ErrorCode::BadData, fileName_ + ": byte " + std::to_string(expected_) + ": data after the end the header states");
    }
  }

  void finish() override {
    EmbeddingTable table;
    try {
      table = EmbeddingTable::deserialize(bytes_.data(), bytes_.size());
    } catch (const Error& e) {
      throw Error(e.code(), fileName_ + ": " + e.what());
    }
    std::vector<uint8_t>().swap(bytes_);
    builder_.setDims(table.dims(), "byte 12 (header)");
    builder_.expectRows(table.rows(), "byte 8 (header)");
    std::vector<float> row(table.dims());
    for (size_t r = 0; r < table.rows(); ++r) {
      table.vector(r, row.data());
      builder_.addRow(table.vocabulary().word(uint32_t(r)), row.data(), "row " + std::to_string(r));
    }
  }

 private:
  // Checks the size the header states before the rest arrives, so a huge
  // or foreign file fails at its first chunk, before anything grows.
  void readHeader() {
    if (std::memcmp(bytes_.data(), EmbeddingTable::kMagic, 4) != 0) {
      fail(ErrorCode::BadData, fileName_ + ": byte 0: not an EMBQ file (wrong magic number)");
    }
    uint32_t rows, dims, vocabularyBytes;
    std::memcpy(&rows, bytes_.data() + 8, 4);
    std::memcpy(&dims, bytes_.data() + 12, 4);
    std::memcpy(&vocabularyBytes, bytes_.data() + 16, 4);
    if (dims > TableLimits::kMaxDims || rows > TableLimits::kMaxRows || uint64_t(rows) * dims > TableLimits::kMaxCodeBytes) {
      fail(ErrorCode::TooLarge, fileName_ + ": byte 8: a table of " + std::to_string(rows) + " x " + std::to_string(dims) +
                                    " is beyond the size limit");
    }
    expected_ = EmbeddingTable::kHeaderBytes + uint64_t(rows) * 8 + uint64_t(rows) * dims + vocabularyBytes;
  }

  std::string fileName_;
  TableBuilder& builder_;
  std::vector<uint8_t> bytes_;
  uint64_t expected_ = 0;
};

}  // namespace

std::unique_ptr<Parser> makeEmbqParser(const std::string& fileName, TableBuilder& builder, const Companions&) {
  return std::make_unique<EmbqParser>(fileName, builder);
}

}  // namespace explorer::formats
