// word2vec binary (.bin), as word2vec.c and gensim write it:
//   "count dims\n", then per row: the word, one space, dims little-endian
//   float32, and usually a '\n' (word2vec.c writes it; some tools do not).
// Rows are handed to the builder as soon as their bytes are complete; only
// the unfinished record at the end of a chunk is kept.
#include <algorithm>
#include <cstring>

#include "parsers.h"

namespace explorer::formats {

namespace {

constexpr size_t kMaxHeaderBytes = 64;
// Real words are short; past this the file is not word2vec binary or its
// header states the wrong width.
constexpr size_t kMaxWordBytes = 4096;

class Word2VecBinaryParser final : public Parser {
 public:
  Word2VecBinaryParser(const std::string& fileName, TableBuilder& builder) : fileName_(fileName), builder_(builder) {}

  void feed(const uint8_t* data, size_t size) override {
    if (pending_.empty()) {
      const size_t used = parse(data, size);
      pending_.assign(data + used, data + size);
    } else {
      pending_.insert(pending_.end(), data, data + size);
      const size_t used = parse(pending_.data(), pending_.size());
      pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(used));
    }
  }

  void finish() override {
    if (!headerRead_) {
      fail(ErrorCode::BadData, fileName_ + ": byte 0: truncated: the file ends inside the \"count dims\" header");
    }
    const auto notBlank = std::find_if(pending_.begin(), pending_.end(), [](uint8_t c) { return c != '\n' && c != '\r' && c != ' '; });
    if (rows_ < expectedRows_) {
      const uint64_t rowStart = offset_ + uint64_t(notBlank - pending_.begin());
      std::string message = fileName_ + ": byte " + std::to_string(rowStart) + ": truncated: the header says " +
                            std::to_string(expectedRows_) + " rows, the file ends after " + std::to_string(rows_);
      if (notBlank != pending_.end()) message += " and " + std::to_string(pending_.size()) + " bytes of an incomplete row";
      fail(ErrorCode::BadData, message);
    }
  }

 private:
  // Consumes complete pieces of data[0, size) and returns how many bytes.
  size_t parse(const uint8_t* data, size_t size) {
    size_t at = 0;
    if (!headerRead_) {
      const auto* newline = static_cast<const uint8_t*>(std::memchr(data, '\n', std::min(size, kMaxHeaderBytes)));
      if (!newline) {
        if (size >= kMaxHeaderBytes) badHeader(std::string_view(reinterpret_cast<const char*>(data), kMaxHeaderBytes));
        return 0;
      }
      readHeader(std::string_view(reinterpret_cast<const char*>(data), size_t(newline - data)));
      at = size_t(newline - data) + 1;
    }
    const size_t valueBytes = builder_.dims() * sizeof(float);
    while (at < size) {
      if (rows_ == expectedRows_) {
        for (; at < size; ++at) {
          if (data[at] != '\n' && data[at] != '\r' && data[at] != ' ') {
            fail(ErrorCode::BadData, fileName_ + ": byte " + std::to_string(offset_ + at) + ": data after the " +
                                         std::to_string(expectedRows_) + " rows the header states");
          }
        }
        break;
      }
      // The '\n' that ends the previous row, when the writer put one.
      size_t start = at;
      while (start < size && data[start] == '\n') ++start;
      const size_t searchEnd = std::min(size, start + kMaxWordBytes + 1);
      const auto* space = static_cast<const uint8_t*>(std::memchr(data + start, ' ', searchEnd - start));
      if (!space) {
        if (searchEnd - start > kMaxWordBytes) {
          fail(ErrorCode::BadData, fileName_ + ": byte " + std::to_string(offset_ + start) + ": no space after a word within " +
                                       std::to_string(kMaxWordBytes) + " bytes: not word2vec binary, or the header's width is wrong");
        }
        break;
      }
      const size_t wordEnd = size_t(space - data);
      if (size - (wordEnd + 1) < valueBytes) break;
      std::memcpy(values_.data(), data + wordEnd + 1, valueBytes);  // the values need not be aligned
      const std::string_view word(reinterpret_cast<const char*>(data + start), wordEnd - start);
      builder_.addRow(word, values_.data(), "byte " + std::to_string(offset_ + start));
      ++rows_;
      at = wordEnd + 1 + valueBytes;
    }
    offset_ += at;
    return at;
  }

  void readHeader(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    uint64_t rows = 0, dims = 0;
    size_t i = 0;
    auto number = [&](uint64_t& out) {
      const size_t begin = i;
      for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && i - begin < 12; ++i) out = out * 10 + uint64_t(line[i] - '0');
      return i > begin;
    };
    if (!number(rows) || i >= line.size() || line[i++] != ' ' || !number(dims) || i != line.size()) badHeader(line);
    builder_.setDims(size_t(std::min<uint64_t>(dims, UINT32_MAX)), "byte 0 (header)");
    builder_.expectRows(rows, "byte 0 (header)");
    expectedRows_ = rows;
    values_.resize(size_t(dims));
    headerRead_ = true;
  }

  [[noreturn]] void badHeader(std::string_view start) {
    const std::string shown = printable(start, 32);
    fail(ErrorCode::BadData, fileName_ + ": byte 0: expected a \"count dims\" header line, found \"" + shown +
                                 "\": not a word2vec binary file");
  }

  std::string fileName_;
  TableBuilder& builder_;
  std::vector<uint8_t> pending_;
  std::vector<float> values_;
  bool headerRead_ = false;
  uint64_t expectedRows_ = 0, rows_ = 0;
  uint64_t offset_ = 0;  // file offset of the first byte parse() sees
};

}  // namespace

std::unique_ptr<Parser> makeWord2VecBinaryParser(const std::string& fileName, TableBuilder& builder, const Companions&) {
  return std::make_unique<Word2VecBinaryParser>(fileName, builder);
}

}  // namespace explorer::formats
