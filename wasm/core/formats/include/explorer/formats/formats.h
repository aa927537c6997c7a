// Readers for embedding files: detection, companion files, and a streaming
// parser per format. A parser takes the file in chunks of any size (the page
// reads a File in slices, the CLI a stream) and hands each complete row to a
// TableBuilder; it keeps only the bytes of one unfinished line or record.
//
// Every error is explorer::Error (BadData, TooLarge, EmptyInput) whose
// message names the file, the line or byte offset, and the problem, e.g.
//   vectors.txt: line 12: expected 100 values after "king", found 99
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "explorer/formats/table_builder.h"

namespace explorer::formats {

enum class Format {
  Text,          // word2vec / GloVe text, optional fastText "count dims" header
  Word2VecBinary,// word2vec .bin
  ProjectorTsv,  // TensorFlow Projector vectors.tsv (+ metadata.tsv)
  Npy,           // NumPy .npy, 2-D float32/float16 (+ vocab)
  Safetensors,   // one 2-D F32/F16/BF16 tensor (+ vocab)
  Embq,          // the project's own quantized format
};

const char* formatName(Format format);  // "text", "word2vec-bin", "tsv", "npy", "safetensors", "embq"
// Throws BadArgument listing the accepted names.
Format parseFormatName(std::string_view name);
// From the first bytes (magic numbers: "\x93NUMPY", "EMBQ", a safetensors
// length prefix followed by '{') and then the file name's extension.
Format detectFormat(std::string_view fileName, const uint8_t* head, size_t headSize);

// Companion files, read whole (they are small next to the table).
struct Companions {
  // Row labels for .npy / safetensors (vocab.txt one per line, or a
  // tokenizer.json whose model.vocab maps token -> id), or for a TSV
  // (metadata.tsv: first column the label, a header row when it has more
  // than one column).
  std::vector<std::string> labels;
  std::string labelsFile;     // names the companion in errors
  RowMetadata metadata;       // TSV metadata columns after the label
  std::string tensorName;     // safetensors: which tensor; empty = the only 2-D one
};

// Parses a vocabulary companion: "tokenizer.json" (by name or a leading '{')
// or one token per line (a trailing "\t count" column is dropped).
std::vector<std::string> parseVocabulary(const std::string& fileName, const uint8_t* data, size_t size);
// Parses metadata.tsv into labels plus extra columns.
void parseMetadata(const std::string& fileName, const uint8_t* data, size_t size, Companions& into);

// One tensor of a safetensors header, for the page's tensor picker.
struct TensorInfo {
  std::string name;
  std::string dtype;            // "F32", "F16", "BF16", ...
  std::vector<uint64_t> shape;
  uint64_t begin = 0, end = 0;  // data offsets relative to the data section
};
// Lists the tensors of a safetensors file from its first bytes (8-byte
// length + JSON header). Throws BadData when the header is too large
// (> 100 MB), truncated or inconsistent.
std::vector<TensorInfo> listSafetensors(const std::string& fileName, const uint8_t* data, size_t size);

class Parser {
 public:
  virtual ~Parser() = default;
  // Bytes of the file, in order, in chunks of any size.
  virtual void feed(const uint8_t* data, size_t size) = 0;
  // End of file: throws BadData on a truncated file (naming the offset).
  virtual void finish() = 0;
};

// The parser for `format`, feeding `builder`. Companions must outlive it.
std::unique_ptr<Parser> makeParser(Format format, const std::string& fileName, TableBuilder& builder,
                                   const Companions& companions);

}  // namespace explorer::formats
