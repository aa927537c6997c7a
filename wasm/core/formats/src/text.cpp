// word2vec / GloVe text: one row per line, the word then its values, all
// separated by spaces (tabs are accepted too). fastText's .vec and gensim's
// text output start with a "count dims" line; GloVe files do not, so the
// width comes from the first row. Numbers are parsed with fast_float, which
// is exact (round-to-nearest like strtof) and several times faster.
#include <fast_float/fast_float.h>

#include <algorithm>
#include <optional>

#include "parsers.h"

namespace explorer::formats {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimEnd(std::string_view line) {
  while (!line.empty() && (isBlank(line.back()) || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

bool parseCount(std::string_view token, uint64_t& out) {
  if (token.empty() || token.size() > 12) return false;
  out = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + uint64_t(c - '0');
  }
  return true;
}

// Quoted and shortened, for messages about what is on a line.
std::string show(std::string_view text) { return "\"" + printable(text) + "\""; }

class TextParser final : public Parser {
 public:
  TextParser(const std::string& fileName, TableBuilder& builder)
      : fileName_(fileName), builder_(builder), lines_(fileName) {}

  void feed(const uint8_t* data, size_t size) override {
    // A binary file (a word2vec .bin, an .npy, a zip) renamed .txt: say so
    // before its bytes reach a message as a "word" or a "number".
    const size_t binary = firstBinaryByte(data, size);
    if (binary != std::string_view::npos) {
      fail(ErrorCode::BadData, fileName_ + " is not a text file (" + byteAt(data[binary], offset_ + binary) +
                                   "); if it is a word2vec .bin, .npy or safetensors file, choose that format");
    }
    offset_ += size;
    lines_.feed(data, size, [this](std::string_view line, uint64_t number) { onLine(line, number); });
  }

  void finish() override {
    lines_.finish([this](std::string_view line, uint64_t number) { onLine(line, number); });
    if (headerRows_ && rowsSeen_ != *headerRows_) {
      fail(ErrorCode::BadData, fileName_ + ": line 1 says " + std::to_string(*headerRows_) + " rows, but the file has " +
                                   std::to_string(rowsSeen_) + (rowsSeen_ < *headerRows_ ? " (truncated?)" : ""));
    }
  }

 private:
  void onLine(std::string_view line, uint64_t number) {
    if (number == 1) line = skipByteOrderMark(line);
    line = trimEnd(line);
    if (line.empty()) return;  // blank lines, e.g. at the end
    const size_t wordEnd = std::min(line.find(' '), line.find('\t'));
    if (wordEnd == 0) {
      fail(ErrorCode::BadData, fileName_ + ": " + lineWhere(number) + ": empty word (the line starts with a separator)");
    }
    const std::string_view word = line.substr(0, std::min(wordEnd, line.size()));
    const std::string_view rest = wordEnd == std::string_view::npos ? std::string_view() : line.substr(wordEnd);

    if (number == 1 && isHeader(word, rest)) return;

    const size_t count = parseValues(word, rest, number);
    if (builder_.dims() == 0) {
      if (count == 0) {
        fail(ErrorCode::BadData, fileName_ + ": " + lineWhere(number) + ": no values after " + show(word) +
                                     " (not a word-vector text file?)");
      }
      builder_.setDims(count, lineWhere(number));
    } else if (count != builder_.dims()) {
      fail(ErrorCode::BadData, fileName_ + ": " + lineWhere(number) + ": expected " + std::to_string(builder_.dims()) +
                                   " values after " + show(word) + ", found " + std::to_string(count));
    }
    ++rowsSeen_;
    builder_.addRow(word, values_.data(), lineWhere(number));
  }

  // fastText / gensim: "count dims" on the first line.
  bool isHeader(std::string_view first, std::string_view rest) {
    uint64_t rows = 0, dims = 0;
    while (!rest.empty() && isBlank(rest.front())) rest.remove_prefix(1);
    if (!parseCount(first, rows) || !parseCount(rest, dims)) return false;
    builder_.setDims(size_t(std::min<uint64_t>(dims, UINT32_MAX)), "line 1 (header)");
    builder_.expectRows(rows, "line 1 (header)");
    headerRows_ = rows;
    values_.resize(builder_.dims());
    return true;
  }

  // Parses the values into values_ and returns how many there were (beyond
  // the width they are counted, not stored, for the message).
  size_t parseValues(std::string_view word, std::string_view rest, uint64_t number) {
    const char* at = rest.data();
    const char* end = at + rest.size();
    const bool widthKnown = builder_.dims() != 0;
    size_t count = 0;
    float value = 0;
    while (true) {
      while (at < end && isBlank(*at)) ++at;
      if (at == end) break;
      const auto result = fast_float::from_chars(at, end, value);
      if (result.ec != std::errc() || (result.ptr < end && !isBlank(*result.ptr))) {
        const char* tokenEnd = at;
        while (tokenEnd < end && !isBlank(*tokenEnd)) ++tokenEnd;
        fail(ErrorCode::BadData, fileName_ + ": " + lineWhere(number) + ": " + show(std::string_view(at, size_t(tokenEnd - at))) +
                                     " is not a number (value " + std::to_string(count + 1) + " after " + show(word) + ")");
      }
      if (!widthKnown) {
        values_.push_back(value);
      } else if (count < values_.size()) {
        values_[count] = value;
      }
      ++count;
      at = result.ptr;
    }
    return count;
  }

  std::string fileName_;
  TableBuilder& builder_;
  LineSplitter lines_;
  std::vector<float> values_;
  std::optional<uint64_t> headerRows_;
  uint64_t rowsSeen_ = 0;
  uint64_t offset_ = 0;  // bytes fed so far
};

}  // namespace

std::unique_ptr<Parser> makeTextParser(const std::string& fileName, TableBuilder& builder, const Companions&) {
  return std::make_unique<TextParser>(fileName, builder);
}

}  // namespace explorer::formats
