// FloatCopy: the float32 unit rows the quantization lab compares against,
// collected as a TableBuilder row subscriber while a table streams in.
#include <algorithm>
#include <cstring>

#include "explorer/errors.h"
#include "explorer/float_copy.h"

namespace explorer {

void FloatCopy::attach(TableBuilder& builder) {
  rows_ = dims_ = 0;
  values_ = std::make_shared<std::vector<float>>();
  builder.addRowSubscriber([this, &builder](size_t row, const float* unit) { append(row, unit, builder.dims()); });
}

void FloatCopy::append(size_t row, const float* unit, size_t dims) {
  if (row != rows_ || (rows_ > 0 && dims != dims_)) {
    fail(ErrorCode::BadData, "float copy: row " + std::to_string(row) + " arrived out of order");
  }
  dims_ = dims;
  const uint64_t needed = (uint64_t(rows_) + 1) * dims * sizeof(float);
  if (needed > maxBytes_) {
    fail(ErrorCode::TooLarge, "keeping float32 rows for the quantization lab is limited to " +
                                  std::to_string(maxBytes_ >> 20) + " MB; this table needs more (row " +
                                  std::to_string(row) + " of " + std::to_string(dims) +
                                  " values); load it without keepFloats");
  }
  // Grow by doubling but never past the limit, so a table just under it
  // does not briefly need twice the memory.
  std::vector<float>& values = *values_;
  if (values.size() + dims > values.capacity()) {
    const uint64_t limitValues = maxBytes_ / sizeof(float);
    values.reserve(size_t(std::min<uint64_t>(std::max<uint64_t>(values.capacity() * 2, 1024 * dims), limitValues)));
  }
  values.insert(values.end(), unit, unit + dims);
  ++rows_;
}

}  // namespace explorer
