// FloatCopy: the float32 unit rows of a table, collected while it streams
// in (a TableBuilder row subscriber), for the quantization lab to compare
// the int8 and int4 codes against.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "explorer/formats/table_builder.h"

namespace explorer {

// Float32 unit rows of a table as it is built, in kept-row order.
class FloatCopy {
 public:
  // Past this the copy is refused (TooLarge): a wasm heap is at most 2 GiB
  // and the int8 table and the page need the rest. 400k x 300 fits.
  static constexpr uint64_t kMaxBytes = 512ull << 20;

  explicit FloatCopy(uint64_t maxBytes = kMaxBytes) : maxBytes_(maxBytes) {}

  // Collects every row the builder keeps from now on.
  void attach(TableBuilder& builder);

  size_t rows() const { return rows_; }
  size_t dims() const { return dims_; }
  const float* row(size_t row) const { return values_->data() + row * dims_; }
  uint64_t bytes() const { return uint64_t(rows_) * dims_ * sizeof(float); }
  // The rows, shared: a running lab keeps them alive even if the JS
  // wrapper drops this copy because another table was loaded.
  std::shared_ptr<const std::vector<float>> values() const { return values_; }

 private:
  void append(size_t row, const float* unit, size_t dims);

  uint64_t maxBytes_;
  size_t rows_ = 0, dims_ = 0;
  std::shared_ptr<std::vector<float>> values_ = std::make_shared<std::vector<float>>();
};

}  // namespace explorer
