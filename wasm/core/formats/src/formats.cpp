// Format names, detection, the parser dispatch and metadata.tsv.
#include <algorithm>
#include <cstring>

#include "explorer/table.h"
#include "explorer/vocabulary.h"
#include "parsers.h"

namespace explorer::formats {

namespace {

constexpr Format kAllFormats[] = {Format::Text,        Format::Word2VecBinary, Format::ProjectorTsv,
                                  Format::Npy,         Format::Safetensors,    Format::Embq};

bool endsWith(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = text[text.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// A first line of exactly two whole numbers: word2vec's and fastText's header.
bool startsWithCountLine(const uint8_t* head, size_t size, size_t& lineEnd) {
  size_t i = 0, numbers = 0;
  while (i < size && head[i] != '\n') {
    if (head[i] >= '0' && head[i] <= '9') {
      ++numbers;
      while (i < size && head[i] >= '0' && head[i] <= '9') ++i;
    } else if (head[i] == ' ' || head[i] == '\r') {
      ++i;
    } else {
      return false;
    }
  }
  lineEnd = i;
  return i < size && numbers == 2;
}

}  // namespace

const char* formatName(Format format) {
  switch (format) {
    case Format::Text: return "text";
    case Format::Word2VecBinary: return "word2vec-bin";
    case Format::ProjectorTsv: return "tsv";
    case Format::Npy: return "npy";
    case Format::Safetensors: return "safetensors";
    case Format::Embq: return "embq";
  }
  return "unknown";
}

Format parseFormatName(std::string_view name) {
  std::string accepted;
  for (Format f : kAllFormats) {
    if (name == formatName(f)) return f;
    accepted += (accepted.empty() ? "" : ", ") + std::string(formatName(f));
  }
  fail(ErrorCode::BadArgument, "unknown format \"" + std::string(name) + "\" (expected one of " + accepted + ")");
}

Format detectFormat(std::string_view fileName, const uint8_t* head, size_t headSize) {
  // Magic numbers first: they do not depend on what the file was called.
  if (headSize >= 6 && std::memcmp(head, "\x93NUMPY", 6) == 0) return Format::Npy;
  if (headSize >= 4 && std::memcmp(head, EmbeddingTable::kMagic, 4) == 0) return Format::Embq;
  if (headSize >= 9 && head[8] == '{') {
    uint64_t headerBytes = 0;
    std::memcpy(&headerBytes, head, 8);
    if (headerBytes >= 2 && headerBytes < (100ull << 20)) return Format::Safetensors;
  }
  if (endsWith(fileName, ".npy")) return Format::Npy;
  if (endsWith(fileName, ".safetensors")) return Format::Safetensors;
  if (endsWith(fileName, ".emb") || endsWith(fileName, ".embq")) return Format::Embq;
  if (endsWith(fileName, ".tsv")) return Format::ProjectorTsv;
  if (endsWith(fileName, ".bin")) return Format::Word2VecBinary;
  if (endsWith(fileName, ".txt") || endsWith(fileName, ".vec")) return Format::Text;
  // No telling name: a count line followed by bytes that are not text is
  // word2vec binary; a first line of tab-separated numbers is a Projector
  // TSV; anything else is read as text.
  size_t lineEnd = 0;
  if (startsWithCountLine(head, headSize, lineEnd)) {
    const size_t end = std::min(headSize, lineEnd + 512);
    for (size_t i = lineEnd + 1; i < end; ++i) {
      if (head[i] < 0x09 || (head[i] > 0x0D && head[i] < 0x20)) return Format::Word2VecBinary;
    }
    return Format::Text;
  }
  const auto* newline = static_cast<const uint8_t*>(std::memchr(head, '\n', headSize));
  const size_t firstLine = newline ? size_t(newline - head) : headSize;
  if (firstLine > 0 && std::memchr(head, '\t', firstLine) &&
      (head[0] == '-' || head[0] == '.' || (head[0] >= '0' && head[0] <= '9'))) {
    return Format::ProjectorTsv;
  }
  return Format::Text;
}

void parseMetadata(const std::string& fileName, const uint8_t* data, size_t size, Companions& into) {
  std::vector<std::string_view> lines;
  const std::string_view text = skipByteOrderMark(std::string_view(reinterpret_cast<const char*>(data), size));
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty()) fail(ErrorCode::EmptyInput, fileName + ": the metadata file is empty (an empty vocabulary)");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!isValidUtf8(lines[i])) {
      fail(ErrorCode::BadData, fileName + ": line " + std::to_string(i + 1) + ": not valid UTF-8");
    }
  }
  auto split = [](std::string_view line) {
    std::vector<std::string> cells;
    size_t from = 0;
    while (true) {
      const size_t tab = line.find('\t', from);
      cells.emplace_back(line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from));
      if (tab == std::string_view::npos) break;
      from = tab + 1;
    }
    return cells;
  };
  into.labelsFile = fileName;
  into.labels.clear();
  into.metadata = RowMetadata{};
  // The Projector's rule: one column means labels only, no header row.
  if (lines[0].find('\t') == std::string_view::npos) {
    into.labels.assign(lines.begin(), lines.end());
    return;
  }
  const std::vector<std::string> header = split(lines[0]);
  if (lines.size() < 2) fail(ErrorCode::EmptyInput, fileName + ": the metadata file has a header row and no labels");
  into.metadata.columns.assign(header.begin() + 1, header.end());
  into.metadata.values.assign(header.size() - 1, {});
  into.labels.reserve(lines.size() - 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = split(lines[i]);
    if (cells.size() != header.size()) {
      fail(ErrorCode::BadData, fileName + ": line " + std::to_string(i + 1) + ": expected " + std::to_string(header.size()) +
                                   " tab-separated columns (as the header row has), found " + std::to_string(cells.size()));
    }
    into.labels.push_back(std::move(cells[0]));
    for (size_t c = 1; c < cells.size(); ++c) into.metadata.values[c - 1].push_back(std::move(cells[c]));
  }
}

std::unique_ptr<Parser> makeParser(Format format, const std::string& fileName, TableBuilder& builder,
                                   const Companions& companions) {
  switch (format) {
    case Format::Text: return makeTextParser(fileName, builder, companions);
    case Format::Word2VecBinary: return makeWord2VecBinaryParser(fileName, builder, companions);
    case Format::ProjectorTsv: return makeProjectorTsvParser(fileName, builder, companions);
    case Format::Npy: return makeNpyParser(fileName, builder, companions);
    case Format::Safetensors: return makeSafetensorsParser(fileName, builder, companions);
    case Format::Embq: return makeEmbqParser(fileName, builder, companions);
  }
  fail(ErrorCode::BadArgument, "unknown format");
}

}  // namespace explorer::formats
