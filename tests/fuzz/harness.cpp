#include "harness.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "explorer/errors.h"
#include "explorer/formats/formats.h"
#include "explorer/formats/table_builder.h"
#include "explorer/recall.h"
#include "explorer/table.h"

namespace explorer::fuzz {
namespace {

using formats::Companions;
using formats::Format;

// A broken invariant is a bug, not bad input: stop so libFuzzer (or the
// regression test) reports it with the input that caused it.
[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "fuzz harness: invariant broken: %s\n", what.c_str());
  std::abort();
}
#define FUZZ_CHECK(condition, what) \
  do {                              \
    if (!(condition)) broken(what); \
  } while (0)

// Cuts the file into pieces whose sizes come from the control byte, so the
// fuzzer explores rows, numbers, UTF-8 sequences and headers split across
// chunk boundaries. Each piece is a fresh heap copy freed right after
// feed(): a parser that keeps a pointer into a chunk is a use-after-free
// ASan reports.
void feedInPieces(formats::Parser& parser, uint8_t control, const uint8_t* data, size_t size) {
  if (control == 0) {
    parser.feed(data, size);
    return;
  }
  const size_t maxPiece = 1 + (control & 0x3f) * ((control & 0x40) ? 97 : 1);
  const bool emptyFeeds = control & 0x80;
  uint32_t state = 0x9e3779b9u * control ^ static_cast<uint32_t>(size);
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  for (size_t at = 0; at < size;) {
    const size_t piece = std::min(size - at, 1 + next() % maxPiece);
    std::unique_ptr<uint8_t[]> copy(new uint8_t[piece]);
    std::copy(data + at, data + at + piece, copy.get());
    parser.feed(copy.get(), piece);
    at += piece;
    if (emptyFeeds && next() % 4 == 0) parser.feed(nullptr, 0);
  }
}

void checkErrorNamesFile(const Error& error, const std::vector<std::string>& files) {
  const std::string message = error.what();
  for (const std::string& file : files) {
    if (message.find(file) != std::string::npos) return;
  }
  broken("error message does not name the file: \"" + message + "\"");
}

void checkTable(const EmbeddingTable& table, const QuantizationReport& report, const RecallResult& recall,
                const RowMetadata& metadata, size_t builderDims) {
  FUZZ_CHECK(table.rows() > 0, "finish() returned an empty table instead of throwing EmptyInput");
  FUZZ_CHECK(table.rows() == report.words, "report.words differs from the table's rows");
  FUZZ_CHECK(table.dims() == report.dims && table.dims() == builderDims, "dims differ between table, report and builder");
  FUZZ_CHECK(table.dims() >= 1 && table.dims() <= TableLimits::kMaxDims, "dims outside TableLimits");
  FUZZ_CHECK(table.vocabulary().size() == table.rows(), "vocabulary size differs from rows");
  FUZZ_CHECK(report.bytesAfter == table.memoryBytes(), "report.bytesAfter differs from memoryBytes()");
  FUZZ_CHECK(std::isfinite(recall.recallAt10) && recall.recallAt10 >= 0 && recall.recallAt10 <= 1,
             "recall@10 outside [0, 1]");
  FUZZ_CHECK(report.duplicates == 0 || !report.firstDuplicate.empty(), "duplicates counted without naming the first");
  std::vector<float> unit(table.dims());
  for (size_t row = 0; row < table.rows(); ++row) {
    FUZZ_CHECK(!table.vocabulary().word(row).empty(), "an empty word was loaded");
    const std::string where = "row " + std::to_string(row) + " (norm " + std::to_string(table.norm(row)) +
                              ", scale " + std::to_string(table.scale(row)) + ")";
    FUZZ_CHECK(std::isfinite(table.norm(row)) && table.norm(row) >= 0, "norm not finite: " + where);
    FUZZ_CHECK(std::isfinite(table.scale(row)) && table.scale(row) >= 0, "scale not finite: " + where);
    table.unitVector(row, unit.data());
    double squares = 0;
    for (float x : unit) squares += double(x) * x;
    FUZZ_CHECK(squares == 0 || std::fabs(squares - 1) < 1e-3, "dequantized row is not a unit vector: " + where);
  }
  FUZZ_CHECK(metadata.values.size() == metadata.columns.size(), "metadata values and columns differ");
  for (const auto& column : metadata.values) {
    FUZZ_CHECK(column.size() == table.rows(), "a metadata column has a value count other than rows");
  }
  // What the page saves must load back as the same table.
  const std::vector<uint8_t> bytes = table.serialize();
  const EmbeddingTable again = EmbeddingTable::deserialize(bytes.data(), bytes.size());
  FUZZ_CHECK(again.rows() == table.rows() && again.dims() == table.dims(), "serialize/deserialize changed the shape");
  FUZZ_CHECK(again.vocabulary().words() == table.vocabulary().words(), "serialize/deserialize changed the words");
}

std::vector<std::string> syntheticLabels(uint8_t count) {
  std::vector<std::string> labels;
  for (unsigned i = 0; i < count; ++i) labels.push_back("t" + std::to_string(i));
  return labels;
}

bool runVocabulary(uint8_t kind, const uint8_t* data, size_t size) {
  static const char* const kNames[] = {"vocab.txt", "tokenizer.json", "metadata.tsv"};
  const std::string file = kNames[kind % 3];
  try {
    if (kind % 3 == 2) {
      Companions companions;
      formats::parseMetadata(file, data, size, companions);
      FUZZ_CHECK(!companions.labels.empty(), "parseMetadata accepted a file without labels");
      FUZZ_CHECK(companions.metadata.values.size() == companions.metadata.columns.size(),
                 "metadata values and columns differ");
      for (const auto& column : companions.metadata.values) {
        FUZZ_CHECK(column.size() == companions.labels.size(), "a metadata column has a value count other than labels");
      }
    } else {
      const std::vector<std::string> labels = formats::parseVocabulary(file, data, size);
      FUZZ_CHECK(!labels.empty(), "parseVocabulary accepted an empty vocabulary");
    }
    return true;
  } catch (const Error& error) {
    checkErrorNamesFile(error, {file});
    return false;
  }
}

}  // namespace

size_t controlBytes(Target target) {
  switch (target) {
    case Target::Npy: return 2;
    case Target::Safetensors: return 3;
    case Target::Vocabulary: return 2;
    default: return 1;
  }
}

bool runOne(Target target, const uint8_t* data, size_t size) {
  const size_t skip = controlBytes(target);
  if (size < skip) return false;
  const uint8_t chunking = data[0];
  const uint8_t* file = data + skip;
  size_t fileSize = size - skip;
  if (target == Target::Vocabulary) return runVocabulary(data[1], file, fileSize);

  Format format = Format::Text;
  std::string fileName = "words.txt";
  Companions companions;
  std::vector<std::string> named;  // files an error may name
  switch (target) {
    case Target::Text: break;
    case Target::Word2VecBinary: format = Format::Word2VecBinary, fileName = "words.bin"; break;
    case Target::Embq: format = Format::Embq, fileName = "table.emb"; break;
    case Target::Npy:
    case Target::Safetensors:
      format = target == Target::Npy ? Format::Npy : Format::Safetensors;
      fileName = target == Target::Npy ? "table.npy" : "model.safetensors";
      companions.labels = syntheticLabels(data[1]);
      companions.labelsFile = "vocab.txt";
      named.push_back("vocab.txt");
      break;
    case Target::Tsv: {
      format = Format::ProjectorTsv, fileName = "vectors.tsv";
      const uint8_t* nul = static_cast<const uint8_t*>(std::memchr(file, 0, fileSize));
      if (nul) {
        const size_t vectorsSize = nul - file;
        try {
          formats::parseMetadata("metadata.tsv", nul + 1, fileSize - vectorsSize - 1, companions);
        } catch (const Error& error) {
          checkErrorNamesFile(error, {"metadata.tsv"});
          return false;
        }
        fileSize = vectorsSize;
        named.push_back("metadata.tsv");
      }
      break;
    }
    case Target::Vocabulary: break;
  }
  named.push_back(fileName);

  if (target == Target::Safetensors && data[2] != 0) {
    // The page lists the tensors from the first bytes, then the user picks one.
    try {
      const auto tensors = formats::listSafetensors(fileName, file, fileSize);
      if (!tensors.empty()) companions.tensorName = tensors[(data[2] - 1) % tensors.size()].name;
    } catch (const Error& error) {
      checkErrorNamesFile(error, {fileName});
    }
  }

  std::optional<EmbeddingTable> table;
  QuantizationReport report;
  RecallResult recall;
  RowMetadata metadata;
  size_t dims = 0;
  try {
    TableBuilder builder(fileName);
    RecallProbe probe;
    probe.attach(builder);
    const std::unique_ptr<formats::Parser> parser = formats::makeParser(format, fileName, builder, companions);
    feedInPieces(*parser, chunking, file, fileSize);
    parser->finish();
    dims = builder.dims();
    table = builder.finish("fuzz", &report, &metadata);
    recall = probe.measure(*table);
  } catch (const Error& error) {
    checkErrorNamesFile(error, named);
    return false;
  }
  // Outside the try: an Error thrown while checking a loaded table is a bug.
  checkTable(*table, report, recall, metadata, dims);
  return true;
}

}  // namespace explorer::fuzz
