// Internal to the format readers: one factory per format (makeParser in
// formats.cpp dispatches to them), the chunk-joining helper that the
// line-based readers share, and the row assembler of the matrix formats.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "explorer/errors.h"
#include "explorer/formats/formats.h"
#include "explorer/vocabulary.h"

namespace explorer::formats {

std::unique_ptr<Parser> makeTextParser(const std::string& fileName, TableBuilder& builder, const Companions& companions);
std::unique_ptr<Parser> makeWord2VecBinaryParser(const std::string& fileName, TableBuilder& builder,
                                                 const Companions& companions);
std::unique_ptr<Parser> makeProjectorTsvParser(const std::string& fileName, TableBuilder& builder,
                                               const Companions& companions);
std::unique_ptr<Parser> makeEmbqParser(const std::string& fileName, TableBuilder& builder, const Companions& companions);
std::unique_ptr<Parser> makeNpyParser(const std::string& fileName, TableBuilder& builder, const Companions& companions);
std::unique_ptr<Parser> makeSafetensorsParser(const std::string& fileName, TableBuilder& builder,
                                              const Companions& companions);

// Splits a stream of chunks into lines without copying whole chunks: only
// the unfinished tail of a chunk is kept, and joined with the next one.
// onLine gets each line without its '\n' (a trailing '\r' is left to the
// caller) and its 1-based number.
class LineSplitter {
 public:
  // A line longer than this is not a table row (the widest row, 4,096
  // values, is about 60 kB of text); it stops a binary file misread as
  // text from buffering without bound.
  static constexpr size_t kMaxLineBytes = 4u << 20;

  explicit LineSplitter(std::string fileName) : fileName_(std::move(fileName)) {}

  template <typename OnLine>
  void feed(const uint8_t* data, size_t size, OnLine&& onLine) {
    if (size == 0) return;  // an empty chunk may come with a null pointer, which memchr must not get
    const char* at = reinterpret_cast<const char*>(data);
    const char* end = at + size;
    if (!pending_.empty()) {
      const char* newline = static_cast<const char*>(std::memchr(at, '\n', size));
      if (!newline) {
        append(at, size);
        return;
      }
      append(at, size_t(newline - at));
      onLine(std::string_view(pending_), ++line_);
      pending_.clear();
      at = newline + 1;
    }
    while (at < end) {
      const char* newline = static_cast<const char*>(std::memchr(at, '\n', size_t(end - at)));
      if (!newline) break;
      onLine(std::string_view(at, size_t(newline - at)), ++line_);
      at = newline + 1;
    }
    append(at, size_t(end - at));
  }

  // The last line when the file does not end with '\n'.
  template <typename OnLine>
  void finish(OnLine&& onLine) {
    if (!pending_.empty()) onLine(std::string_view(pending_), ++line_);
    pending_.clear();
  }

  uint64_t lines() const { return line_; }

 private:
  void append(const char* data, size_t size) {
    if (pending_.size() + size > kMaxLineBytes) {
      fail(ErrorCode::BadData, fileName_ + ": line " + std::to_string(line_ + 1) + " is longer than " +
                                   std::to_string(kMaxLineBytes >> 20) + " MB: not a text embedding file?");
    }
    pending_.append(data, size);
  }

  std::string fileName_;
  std::string pending_;
  uint64_t line_ = 0;
};

// .npy and safetensors hold only numbers: row i takes the i-th token of the
// vocabulary companion, so there must be one token per row. `kind` names
// the file type ("a .npy file"), `matrix` the numbers ("the array").
inline void requireRowLabels(const std::string& fileName, const std::string& kind, const std::string& matrix,
                             uint64_t rows, const Companions& companions) {
  if (companions.labels.empty()) {
    fail(ErrorCode::BadArgument, fileName + ": " + kind + " holds only numbers; give its vocabulary too "
                                             "(vocab.txt or tokenizer.json, one token per row)");
  }
  if (companions.labels.size() != rows) {
    fail(ErrorCode::BadData, fileName + ": " + matrix + " has " + std::to_string(rows) + " rows but " +
                                 companions.labelsFile + " has " + std::to_string(companions.labels.size()) +
                                 " tokens");
  }
}

// Assembles the rows of a dense little-endian matrix (.npy, safetensors)
// from chunks cut anywhere, and hands each finished row to the builder
// under its vocabulary token. Only one row is ever buffered.
class MatrixRows {
 public:
  enum class Element { F32, F16, BF16 };

  void start(Element element, uint64_t rows, size_t dims) {
    element_ = element;
    rows_ = rows;
    rowBytes_ = dims * (element == Element::F32 ? 4 : 2);
    if (element == Element::F32) floats_.resize(dims);
    else halves_.resize(dims);
  }

  uint64_t rows() const { return rows_; }
  uint64_t row() const { return row_; }  // rows finished so far
  uint64_t rowBytes() const { return rowBytes_; }
  bool done() const { return row_ == rows_; }

  // Takes bytes up to the end of the current row and returns how many it
  // took; `dataStart` is the file offset of row 0, for error locations.
  size_t feed(const uint8_t* data, size_t size, uint64_t dataStart, const std::vector<std::string>& labels,
              TableBuilder& builder) {
    const size_t take = size_t(std::min<uint64_t>(size, rowBytes_ - filled_));
    // memcpy, so no alignment is assumed; both formats are little-endian
    // like wasm and x86.
    uint8_t* row = element_ == Element::F32 ? reinterpret_cast<uint8_t*>(floats_.data())
                                            : reinterpret_cast<uint8_t*>(halves_.data());
    std::memcpy(row + filled_, data, take);
    filled_ += take;
    if (filled_ == rowBytes_) {
      const std::string where = "byte " + std::to_string(dataStart + row_ * rowBytes_);
      const std::string& label = labels[row_];
      if (element_ == Element::F32) builder.addRow(label, floats_.data(), where);
      else builder.addRowHalf(label, halves_.data(), element_ == Element::BF16, where);
      filled_ = 0;
      ++row_;
    }
    return take;
  }

 private:
  Element element_ = Element::F32;
  uint64_t rows_ = 0, row_ = 0, rowBytes_ = 0, filled_ = 0;
  std::vector<float> floats_;
  std::vector<uint16_t> halves_;
};

// Editors on Windows start UTF-8 text with a byte order mark; it is not
// part of the first word.
inline std::string_view skipByteOrderMark(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

// Bytes from a file, fit to quote in a message: control bytes and invalid
// UTF-8 become \xNN, and the text is cut after `maxBytes` ("..."). A
// binary file misread as text would otherwise put raw bytes in the page.
inline std::string printable(std::string_view text, size_t maxBytes = 40) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  size_t i = 0;
  while (i < text.size() && i < maxBytes) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 1;
    if (byte >= 0x80) {
      length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0;
      if (length == 0 || i + length > text.size() || !isValidUtf8(text.substr(i, length))) length = 0;
    } else if (byte < 0x20 || byte == 0x7F) {
      length = 0;
    }
    if (length == 0) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (i < text.size()) out += "...";
  return out;
}

// The first byte of `data` that no text embedding file holds (a control
// byte other than tab, line feed, carriage return, form feed), or npos.
inline size_t firstBinaryByte(const uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    const uint8_t b = data[i];
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F) return i;
  }
  return std::string_view::npos;
}

// "byte 0x00 at offset 17", for the not-a-text-file message.
inline std::string byteAt(uint8_t byte, uint64_t offset) {
  static const char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 15] + " at offset " + std::to_string(offset);
}

// "line 12", for error locations.
inline std::string lineWhere(uint64_t line) { return "line " + std::to_string(line); }

}  // namespace explorer::formats
