#include "explorer/formats/table_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "explorer/errors.h"
#include "parsers.h"

namespace explorer {

namespace {

constexpr uint64_t kMaxReservedRows = 1u << 18;

float halfToFloat(uint16_t bits) {
  const uint32_t sign = uint32_t(bits & 0x8000) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1F, mantissa = bits & 0x3FF;
  float value;
  if (exponent == 0) {
    value = std::ldexp(float(mantissa), -24);  // zero or subnormal
  } else if (exponent == 31) {
    value = mantissa ? NAN : INFINITY;
  } else {
    const uint32_t out = ((exponent + 112) << 23) | (mantissa << 13);
    std::memcpy(&value, &out, 4);
  }
  uint32_t out;
  std::memcpy(&out, &value, 4);
  out |= sign;
  std::memcpy(&value, &out, 4);
  return value;
}

float bfloat16ToFloat(uint16_t bits) {
  const uint32_t out = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &out, 4);
  return value;
}

// Quotes a word for an error message, escaped and cut short so a binary
// blob misread as a word does not flood the message with raw bytes.
std::string quoted(std::string_view word) { return "\"" + formats::printable(word, 60) + "\""; }

}  // namespace

struct TableBuilder::State {
  uint32_t seed = 1;
  EmbeddingTable table;
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  size_t duplicates = 0;
  std::string firstDuplicate;
  bool lastRowKept = false;
  bool finished = false;

  bool hasMetadata = false;
  RowMetadata metadata;

  std::vector<TableBuilder::RowSubscriber> subscribers;
  std::vector<float> unit, halfScratch;
};

TableBuilder::TableBuilder(std::string fileName, uint32_t seed)
    : fileName_(std::move(fileName)), state_(std::make_unique<State>()) {
  state_->seed = seed;
}

TableBuilder::~TableBuilder() = default;

void TableBuilder::setDims(size_t dims, const std::string& where) {
  if (dims_ != 0 && dims != dims_) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": " + std::to_string(dims) + " dimensions, but earlier rows have " +
                                 std::to_string(dims_));
  }
  if (dims_ != 0) return;
  if (dims == 0) fail(ErrorCode::BadData, fileName_ + ": " + where + ": a table needs at least one dimension");
  if (dims > TableLimits::kMaxDims) {
    fail(ErrorCode::TooLarge, fileName_ + ": " + where + ": " + std::to_string(dims) +
                                  " dimensions is beyond the limit of " + std::to_string(TableLimits::kMaxDims));
  }
  dims_ = dims;
  state_->table = EmbeddingTable(dims, fileName_);
  state_->unit.resize(dims);
  state_->halfScratch.resize(dims);
}

void TableBuilder::expectRows(uint64_t rows, const std::string& where) {
  if (rows > TableLimits::kMaxRows || (dims_ != 0 && rows * dims_ > TableLimits::kMaxCodeBytes)) {
    fail(ErrorCode::TooLarge, fileName_ + ": " + where + ": a table of " + std::to_string(rows) + " rows" +
                                  (dims_ ? " x " + std::to_string(dims_) + " dimensions" : std::string()) +
                                  " is beyond the size limit (" + std::to_string(TableLimits::kMaxRows) +
                                  " rows, 1 GiB of codes)");
  }
  // A header can lie (or be fuzzed): reserve at most 256k rows up front;
  // past that the storage grows as rows actually arrive.
  const size_t reserve = size_t(std::min<uint64_t>(rows, kMaxReservedRows));
  if (dims_ != 0) state_->table.reserveRows(reserve);
  state_->words.reserve(reserve);
}

size_t TableBuilder::rows() const { return state_->table.rows(); }

void TableBuilder::addRow(std::string_view word, const float* values, const std::string& where) {
  State& s = *state_;
  if (dims_ == 0) fail(ErrorCode::BadData, fileName_ + ": " + where + ": a row came before the table's width was known");
  s.lastRowKept = false;
  if (word.empty()) fail(ErrorCode::BadData, fileName_ + ": " + where + ": empty word");
  if (!isValidUtf8(word)) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": word " + quoted(word) + " is not valid UTF-8");
  }
  if (word.find_first_of("\n\r") != std::string_view::npos) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": word " + quoted(word) + " contains a line break");
  }
  double sumSquares = 0;
  for (size_t d = 0; d < dims_; ++d) {
    if (!std::isfinite(values[d])) {
      fail(ErrorCode::BadData, fileName_ + ": " + where + ": " + quoted(word) + " has " +
                                   (std::isnan(values[d]) ? "NaN" : "Inf") + " in column " + std::to_string(d + 1) +
                                   " of " + std::to_string(dims_));
    }
    sumSquares += double(values[d]) * values[d];
  }
  // Finite values can still have a length past float32's range, which the
  // stored norm could not hold (found by fuzzing).
  if (std::sqrt(sumSquares) > std::numeric_limits<float>::max()) {
    fail(ErrorCode::BadData, fileName_ + ": " + where + ": " + quoted(word) +
                                 " has values so large that its length overflows float32");
  }
  const size_t row = s.table.rows();
  if (row + 1 > TableLimits::kMaxRows || uint64_t(row + 1) * dims_ > TableLimits::kMaxCodeBytes) {
    fail(ErrorCode::TooLarge, fileName_ + ": " + where + ": more than " + std::to_string(row) +
                                  " rows is beyond the size limit (" + std::to_string(TableLimits::kMaxRows) +
                                  " rows, 1 GiB of codes)");
  }
  // One hash lookup per row; a throw below spends the builder anyway.
  const auto [entry, isNew] = s.seen.emplace(word);
  if (!isNew) {
    if (s.duplicates++ == 0) s.firstDuplicate = *entry;
    return;
  }
  const float inverseNorm = sumSquares > 0 ? static_cast<float>(1.0 / std::sqrt(sumSquares)) : 0.0f;
  for (size_t d = 0; d < dims_; ++d) s.unit[d] = values[d] * inverseNorm;
  for (const RowSubscriber& subscriber : s.subscribers) subscriber(row, s.unit.data());
  s.table.appendRow(values);
  s.words.push_back(*entry);
  s.lastRowKept = true;
}

void TableBuilder::addRowHalf(std::string_view word, const uint16_t* bits, bool bfloat16, const std::string& where) {
  float* out = state_->halfScratch.data();
  for (size_t d = 0; d < dims_; ++d) out[d] = bfloat16 ? bfloat16ToFloat(bits[d]) : halfToFloat(bits[d]);
  addRow(word, out, where);
}

void TableBuilder::setMetadataColumns(std::vector<std::string> columns) {
  state_->hasMetadata = true;
  state_->metadata.values.assign(columns.size(), {});
  state_->metadata.columns = std::move(columns);
}

void TableBuilder::addMetadata(std::vector<std::string> values) {
  State& s = *state_;
  if (!s.lastRowKept) return;
  RowMetadata& m = s.metadata;
  if (values.size() != m.columns.size()) {
    fail(ErrorCode::BadData, fileName_ + ": row " + std::to_string(rows()) + " has " + std::to_string(values.size()) +
                                 " metadata values for " + std::to_string(m.columns.size()) + " columns");
  }
  for (size_t c = 0; c < values.size(); ++c) m.values[c].push_back(std::move(values[c]));
}

void TableBuilder::addRowSubscriber(RowSubscriber subscriber) { state_->subscribers.push_back(std::move(subscriber)); }

EmbeddingTable TableBuilder::finish(std::string tableName, QuantizationReport* report, RowMetadata* metadata) {
  State& s = *state_;
  if (s.finished) fail(ErrorCode::BadArgument, fileName_ + ": the table was already finished");
  s.finished = true;
  if (s.table.rows() == 0) {
    fail(ErrorCode::EmptyInput, fileName_ + ": no rows" +
                                    (s.duplicates ? " (every row repeats an earlier word)" : std::string()));
  }
  EmbeddingTable table = std::move(s.table);
  table.attachVocabulary(Vocabulary(std::move(s.words)));
  s.seen.clear();

  if (report) {
    report->words = table.rows();
    report->dims = table.dims();
    report->duplicates = s.duplicates;
    report->firstDuplicate = s.firstDuplicate;
    report->bytesBefore = uint64_t(table.rows()) * table.dims() * 4;
    report->bytesAfter = table.memoryBytes();
  }
  if (metadata) *metadata = s.hasMetadata ? std::move(s.metadata) : RowMetadata{};
  table.rename(std::move(tableName));
  return table;
}

}  // namespace explorer
