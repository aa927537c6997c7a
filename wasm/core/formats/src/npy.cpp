// NumPy .npy: "\x93NUMPY", version, header length, a Python dict literal
// such as {'descr': '<f4', 'fortran_order': False, 'shape': (30522, 768), }
// padded with spaces to a 64-byte boundary, then the raw array. Only the
// header is buffered; rows are handed to the builder as they complete.
// Labels come from a vocabulary companion (vocab.txt or tokenizer.json).
#include <cstring>

#include "explorer/errors.h"
#include "parsers.h"

namespace explorer::formats {

namespace {

constexpr char kNpyMagic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};
// Real headers are a few hundred bytes; a larger one is not a table.
constexpr uint32_t kMaxHeaderBytes = 1u << 20;

struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  bool hasDescr = false, hasFortranOrder = false, hasShape = false;
  std::vector<uint64_t> shape;
};

// Reads the dict literal numpy writes (numpy.lib.format.read_array_header
// uses ast.literal_eval on it): string keys; values are strings, True/False
// or tuples of integers.
class DictReader {
 public:
  DictReader(const std::string& fileName, std::string_view text) : fileName_(fileName), text_(text) {}

  NpyHeader read() {
    NpyHeader header;
    expect('{');
    while (true) {
      skipSpace();
      if (peek() == '}') break;
      const std::string key = readString();
      expect(':');
      skipSpace();
      if (key == "descr") {
        header.descr = readString();
        header.hasDescr = true;
      } else if (key == "fortran_order") {
        header.fortranOrder = readBool();
        header.hasFortranOrder = true;
      } else if (key == "shape") {
        header.shape = readTuple();
        header.hasShape = true;
      } else {
        fail("unexpected key '" + key + "' in the header");
      }
      skipSpace();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() != '}') fail("expected ',' or '}' in the header");
    }
    if (!header.hasDescr || !header.hasFortranOrder || !header.hasShape) {
      fail("the header lacks 'descr', 'fortran_order' or 'shape'");
    }
    return header;
  }

 private:
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skipSpace() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n')) ++at_;
  }
  void expect(char c) {
    skipSpace();
    if (peek() != c) fail(std::string("expected '") + c + "' in the header");
    ++at_;
  }
  std::string readString() {
    skipSpace();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted key or value in the header");
    const size_t end = text_.find(quote, at_ + 1);
    if (end == std::string_view::npos) fail("unterminated string in the header");
    std::string value(text_.substr(at_ + 1, end - at_ - 1));
    at_ = end + 1;
    return value;
  }
  bool readBool() {
    if (text_.substr(at_, 4) == "True") {
      at_ += 4;
      return true;
    }
    if (text_.substr(at_, 5) == "False") {
      at_ += 5;
      return false;
    }
    fail("'fortran_order' must be True or False");
  }
  std::vector<uint64_t> readTuple() {
    expect('(');
    std::vector<uint64_t> values;
    while (true) {
      skipSpace();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') fail("'shape' must be a tuple of whole numbers");
      uint64_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        if (value > (UINT64_MAX - 9) / 10) fail("a dimension in 'shape' is too large");
        value = value * 10 + uint64_t(peek() - '0');
        ++at_;
      }
      if (peek() == 'L') ++at_;  // Python 2 longs, in files written by old numpy
      values.push_back(value);
      skipSpace();
      if (peek() == ',') ++at_;
      else if (peek() != ')') fail("expected ',' or ')' in 'shape'");
    }
    ++at_;
    return values;
  }
  [[noreturn]] void fail(const std::string& problem) const {
    explorer::fail(ErrorCode::BadData, fileName_ + ": header: " + problem);
  }

  const std::string& fileName_;
  std::string_view text_;
  size_t at_ = 0;
};

std::string pythonShape(const std::vector<uint64_t>& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + (shape.size() == 1 ? ",)" : ")");
}

class NpyParser final : public Parser {
 public:
  NpyParser(const std::string& fileName, TableBuilder& builder, const Companions& companions)
      : fileName_(fileName), builder_(builder), companions_(companions) {}

  void feed(const uint8_t* data, size_t size) override {
    while (size > 0) {
      size_t used;
      if (!dataStarted_) used = feedHeader(data, size);
      else used = feedRows(data, size);
      data += used;
      size -= used;
      offset_ += used;
    }
  }

  void finish() override {
    if (!dataStarted_) {
      if (!headerEnd_) badData("truncated: the file ends at byte " + std::to_string(offset_) + ", inside the preamble");
      badData("truncated: the file ends at byte " + std::to_string(offset_) + ", inside the " +
              std::to_string(headerEnd_) + "-byte header");
    }
    if (!matrix_.done()) {
      badData("truncated: the file ends at byte " + std::to_string(offset_) + ", inside row " +
              std::to_string(matrix_.row()) + " of " + std::to_string(rows_) + " (the shape needs " +
              std::to_string(dataStart_ + rows_ * matrix_.rowBytes()) +
              " bytes)");
    }
  }

 private:
  [[noreturn]] void badData(const std::string& problem) const { fail(ErrorCode::BadData, fileName_ + ": " + problem); }

  // Collects magic, version, length and the dict; returns bytes used.
  size_t feedHeader(const uint8_t* data, size_t size) {
    const size_t wanted = headerEnd_ ? headerEnd_ : preambleSize();
    const size_t take = std::min(size, wanted - header_.size());
    header_.append(reinterpret_cast<const char*>(data), take);
    if (header_.size() == wanted) {
      if (headerEnd_) startData();
      else readPreamble();
    }
    return take;
  }

  // Magic and version take 8 bytes; the length after them takes 2 bytes
  // in version 1 and 4 in versions 2 and 3.
  size_t preambleSize() const {
    if (header_.size() < 8) return 8;
    return uint8_t(header_[6]) == 1 ? 10 : 12;
  }

  void readPreamble() {
    if (header_.size() == 8) {
      if (std::memcmp(header_.data(), kNpyMagic, 6) != 0) badData("byte 0: not a .npy file (no \\x93NUMPY magic)");
      const uint8_t major = uint8_t(header_[6]);
      if (major < 1 || major > 3) {
        badData("byte 6: unsupported .npy version " + std::to_string(major) + "." +
                std::to_string(uint8_t(header_[7])) + " (1.0, 2.0 and 3.0 are read)");
      }
      return;
    }
    uint32_t length = 0;
    for (size_t i = 8; i < header_.size(); ++i) length |= uint32_t(uint8_t(header_[i])) << (8 * (i - 8));
    if (length > kMaxHeaderBytes) {
      badData("byte 8: header too large (" + std::to_string(length) + " bytes; a .npy table header is under 1 MB)");
    }
    headerEnd_ = header_.size() + length;
    if (length == 0) startData();
  }

  void startData() {
    const size_t dictStart = uint8_t(header_[6]) == 1 ? 10 : 12;
    const NpyHeader header = DictReader(fileName_, std::string_view(header_).substr(dictStart)).read();
    const std::string& descr = header.descr;
    if (descr.size() != 3 || descr[1] != 'f' || (descr[2] != '4' && descr[2] != '2')) {
      badData("header: dtype '" + descr + "' is not supported (float32 '<f4' or float16 '<f2')");
    }
    if (descr[0] == '>') {
      badData("header: dtype '" + descr + "' is big-endian; save it little-endian, e.g. array.astype('<" +
              descr.substr(1) + "')");
    }
    if (descr[0] != '<' && descr[0] != '|' && descr[0] != '=') {
      badData("header: dtype '" + descr + "' has an unknown byte order");
    }
    if (header.fortranOrder) {
      badData("header: fortran_order is True (column-major); save it row-major, e.g. np.ascontiguousarray(array)");
    }
    if (header.shape.size() != 2) badData("header: tensor is not 2-D: shape " + pythonShape(header.shape));
    const bool half = descr[2] == '2';
    rows_ = header.shape[0];
    const uint64_t dims = header.shape[1];
    if (rows_ == 0 || dims == 0) badData("header: shape " + pythonShape(header.shape) + " holds no values");
    requireRowLabels(fileName_, "a .npy file", "the array", rows_, companions_);
    const std::string where = "header";
    builder_.setDims(size_t(dims), where);
    builder_.expectRows(rows_, where);
    matrix_.start(half ? MatrixRows::Element::F16 : MatrixRows::Element::F32, rows_, size_t(dims));
    dataStart_ = headerEnd_;
    dataStarted_ = true;
    header_.clear();
    header_.shrink_to_fit();
  }

  size_t feedRows(const uint8_t* data, size_t size) {
    if (matrix_.done()) {
      badData("byte " + std::to_string(offset_) + ": data continues past the " + std::to_string(rows_) +
              " rows the header states");
    }
    return matrix_.feed(data, size, dataStart_, companions_.labels, builder_);
  }

  const std::string fileName_;
  TableBuilder& builder_;
  const Companions& companions_;
  std::string header_;
  size_t headerEnd_ = 0;  // 0 until the length is known
  bool dataStarted_ = false;
  uint64_t offset_ = 0, dataStart_ = 0, rows_ = 0;
  MatrixRows matrix_;
};

}  // namespace

std::unique_ptr<Parser> makeNpyParser(const std::string& fileName, TableBuilder& builder, const Companions& companions) {
  return std::make_unique<NpyParser>(fileName, builder, companions);
}

}  // namespace explorer::formats
