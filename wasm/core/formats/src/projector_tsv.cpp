// TensorFlow Projector vectors.tsv: one row of tab-separated numbers per
// line and no words. Labels come from metadata.tsv (Companions.labels,
// parsed by parseMetadata), or are the row numbers when it is absent, as
// the Projector shows them; extra metadata columns follow each kept row.
#include <fast_float/fast_float.h>

#include "parsers.h"

namespace explorer::formats {

namespace {

class ProjectorTsvParser final : public Parser {
 public:
  ProjectorTsvParser(const std::string& fileName, TableBuilder& builder, const Companions& companions)
      : fileName_(fileName), builder_(builder), companions_(companions), lines_(fileName) {
    hasLabels_ = !companions.labels.empty() || !companions.labelsFile.empty();
    if (!companions.metadata.columns.empty()) builder_.setMetadataColumns(companions.metadata.columns);
  }

  void feed(const uint8_t* data, size_t size) override {
    const size_t binary = firstBinaryByte(data, size);
    if (binary != std::string_view::npos) {
      fail(ErrorCode::BadData, fileName_ + " is not a text file (" + byteAt(data[binary], offset_ + binary) +
                                   "); vectors.tsv is tab-separated numbers");
    }
    offset_ += size;
    lines_.feed(data, size, [this](std::string_view line, uint64_t number) { onLine(line, number); });
  }

  void finish() override {
    lines_.finish([this](std::string_view line, uint64_t number) { onLine(line, number); });
    if (hasLabels_ && row_ != companions_.labels.size()) {
      fail(ErrorCode::BadData, fileName_ + " has " + std::to_string(row_) + " rows but " + labelsFile() + " has " +
                                   std::to_string(companions_.labels.size()) + " labels");
    }
  }

 private:
  std::string labelsFile() const { return companions_.labelsFile.empty() ? "the metadata" : companions_.labelsFile; }

  void onLine(std::string_view line, uint64_t number) {
    if (number == 1) line = skipByteOrderMark(line);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) return;
    const std::string where = lineWhere(number);
    const bool widthKnown = builder_.dims() != 0;
    const char* at = line.data();
    const char* end = at + line.size();
    size_t count = 0;
    float value = 0;
    while (true) {
      while (at < end && (*at == '\t' || *at == ' ')) ++at;
      if (at == end) break;
      const auto result = fast_float::from_chars(at, end, value);
      if (result.ec != std::errc() || (result.ptr < end && *result.ptr != '\t' && *result.ptr != ' ')) {
        const char* tokenEnd = at;
        while (tokenEnd < end && *tokenEnd != '\t' && *tokenEnd != ' ') ++tokenEnd;
        const std::string token = printable(std::string_view(at, size_t(tokenEnd - at)));
        fail(ErrorCode::BadData, fileName_ + ": " + where + ": \"" + token + "\" is not a number (column " +
                                     std::to_string(count + 1) + "); vectors.tsv holds numbers only, labels go in metadata.tsv");
      }
      if (!widthKnown) values_.push_back(value);
      else if (count < values_.size()) values_[count] = value;
      ++count;
      at = result.ptr;
    }
    if (!widthKnown) builder_.setDims(count, where);
    if (count != builder_.dims()) {
      fail(ErrorCode::BadData, fileName_ + ": " + where + ": expected " + std::to_string(builder_.dims()) +
                                   " values, found " + std::to_string(count));
    }
    std::string label;
    if (hasLabels_) {
      if (row_ >= companions_.labels.size()) {
        fail(ErrorCode::BadData, fileName_ + ": " + where + ": row " + std::to_string(row_ + 1) + " has no label; " +
                                     labelsFile() + " has " + std::to_string(companions_.labels.size()) + " labels");
      }
      label = companions_.labels[row_];
    } else {
      label = std::to_string(row_);
    }
    builder_.addRow(label, values_.data(), where + " (label \"" + printable(label) + "\")");
    const RowMetadata& metadata = companions_.metadata;
    if (!metadata.columns.empty()) {
      std::vector<std::string> values(metadata.columns.size());
      for (size_t c = 0; c < values.size(); ++c) {
        if (row_ < metadata.values[c].size()) values[c] = metadata.values[c][row_];
      }
      builder_.addMetadata(std::move(values));
    }
    ++row_;
  }

  std::string fileName_;
  uint64_t offset_ = 0;  // bytes fed so far
  TableBuilder& builder_;
  const Companions& companions_;
  LineSplitter lines_;
  bool hasLabels_ = false;
  std::vector<float> values_;
  size_t row_ = 0;
};

}  // namespace

std::unique_ptr<Parser> makeProjectorTsvParser(const std::string& fileName, TableBuilder& builder,
                                               const Companions& companions) {
  return std::make_unique<ProjectorTsvParser>(fileName, builder, companions);
}

}  // namespace explorer::formats
