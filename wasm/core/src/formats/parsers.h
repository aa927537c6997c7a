// Internal to the format readers: one factory per format (makeParser in
// formats.cpp dispatches to them) and the chunk-joining helper that the
// line-based readers share.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "explorer/errors.h"
#include "explorer/formats/formats.h"

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

// Editors on Windows start UTF-8 text with a byte order mark; it is not
// part of the first word.
inline std::string_view skipByteOrderMark(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

// "line 12", for error locations.
inline std::string lineWhere(uint64_t line) { return "line " + std::to_string(line); }

}  // namespace explorer::formats
