#include "explorer/kernels.h"

#include <climits>

namespace explorer::kernels {

int32_t queryCodeLimit(size_t pairCount) {
  const long long perLane = 2LL * 127 * static_cast<long long>(pairCount ? pairCount : 1);
  const long long limit = static_cast<long long>(INT32_MAX) / perLane;
  return static_cast<int32_t>(limit < 32767 ? limit : 32767);
}

void dot_i8i16_serial(const int8_t* blocks, size_t blockCount, size_t pairCount,
                      const int16_t* queries, size_t queryCount, int32_t* out, size_t outStride) {
  const size_t blockBytes = pairCount * kBlockPairBytes;
  for (size_t b = 0; b < blockCount; ++b) {
    const int8_t* block = blocks + b * blockBytes;
    for (size_t q = 0; q < queryCount; ++q) {
      const int16_t* query = queries + q * 2 * pairCount;
      int32_t sums[kBlockRows] = {};
      for (size_t p = 0; p < pairCount; ++p) {
        const int8_t* group = block + p * kBlockPairBytes;
        const int32_t q0 = query[2 * p], q1 = query[2 * p + 1];
        for (size_t r = 0; r < kBlockRows; ++r) {
          sums[r] += group[2 * r] * q0 + group[2 * r + 1] * q1;
        }
      }
      for (size_t r = 0; r < kBlockRows; ++r) out[q * outStride + b * kBlockRows + r] = sums[r];
    }
  }
}

}  // namespace explorer::kernels
