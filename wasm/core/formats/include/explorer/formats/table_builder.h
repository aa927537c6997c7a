// TableBuilder: turns a stream of float rows into a quantized EmbeddingTable
// without ever holding the whole float table.
//
// Every format parser feeds rows here, one at a time, as soon as a row is
// complete; each row is quantized on arrival (the same per-row int8 scheme
// as EmbeddingTable::quantize) straight into the kernel's block layout.
// Row subscribers (the quantization lab's float copy, the load report's
// recall probe) see each kept row's float unit vector as it goes by.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "explorer/row_metadata.h"
#include "explorer/table.h"

namespace explorer {

// What the page and the CLI show after a load.
struct QuantizationReport {
  size_t words = 0;           // rows kept
  size_t dims = 0;
  size_t duplicates = 0;      // rows dropped because their word came earlier
  uint64_t bytesBefore = 0;   // rows * dims * 4 (float32)
  uint64_t bytesAfter = 0;    // EmbeddingTable::memoryBytes()
  std::string firstDuplicate; // the first dropped word, for the message
};


class TableBuilder {
 public:
  // `fileName` names the source in every error message.
  explicit TableBuilder(std::string fileName, uint32_t seed = 1);
  ~TableBuilder();
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;

  const std::string& fileName() const { return fileName_; }

  // Sets the width once. Throws BadData (naming `where`) when it differs
  // from an earlier call, TooLarge beyond TableLimits.
  void setDims(size_t dims, const std::string& where);
  // Optional: the row count, when a header states it. Checks TableLimits
  // (TooLarge) before allocating anything, and reserves.
  void expectRows(uint64_t rows, const std::string& where);

  // Adds one row of dims() values. `where` locates it for errors, e.g.
  // "line 12" or "byte 4096". Throws BadData on NaN/Inf (naming the word,
  // the column and `where`) and on invalid UTF-8 or an empty word. A word
  // seen before is dropped and counted (the first one is kept).
  void addRow(std::string_view word, const float* values, const std::string& where);
  // Same, for rows whose values come as float16 or bfloat16 bits.
  void addRowHalf(std::string_view word, const uint16_t* bits, bool bfloat16, const std::string& where);

  // Optional metadata (columns after the label): setMetadataColumns once,
  // then one addMetadata right after each addRow call; the values of a
  // dropped duplicate row are dropped with it.
  void setMetadataColumns(std::vector<std::string> columns);
  void addMetadata(std::vector<std::string> values);

  // Row subscribers (the quantization lab's FloatCopy, the recall probe):
  // each is called for every kept row, in order, with its kept-row index
  // and its float32 unit vector (dims() values, zeros for a zero row). A
  // subscriber may throw (TooLarge); the error then leaves addRow and the
  // load fails.
  using RowSubscriber = std::function<void(size_t row, const float* unit)>;
  void addRowSubscriber(RowSubscriber subscriber);

  size_t dims() const { return dims_; }
  size_t rows() const;  // rows kept so far

  // Finishes: throws EmptyInput when no row came, otherwise returns the
  // table and fills the report. The builder is spent afterwards.
  EmbeddingTable finish(std::string tableName, QuantizationReport* report, RowMetadata* metadata = nullptr);

 private:
  struct State;
  std::string fileName_;
  size_t dims_ = 0;
  std::unique_ptr<State> state_;
};

}  // namespace explorer
