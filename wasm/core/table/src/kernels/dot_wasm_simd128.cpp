// wasm SIMD128 kernel. Compiled only when the target has simd128.
#include "explorer/kernels.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

namespace explorer::kernels {

namespace {

// Q queries share every row load. Q <= 4 keeps 2*Q accumulators, two row
// registers and a query splat within the 16 xmm registers V8 maps to on x64.
template <int Q>
inline void dotBlockQueries(const int8_t* block, size_t pairCount, const int16_t* const* query,
                            int32_t* const* out) {
  v128_t sumLo_i32x4[Q], sumHi_i32x4[Q];
  for (int q = 0; q < Q; ++q) sumLo_i32x4[q] = sumHi_i32x4[q] = wasm_i32x4_splat(0);
  for (size_t p = 0; p < pairCount; ++p) {
    const int8_t* group = block + p * kBlockPairBytes;
    const v128_t rowsLo_i16x8 = wasm_i16x8_load8x8(group);      // rows 0-3, dims 2p..2p+1
    const v128_t rowsHi_i16x8 = wasm_i16x8_load8x8(group + 8);  // rows 4-7
    for (int q = 0; q < Q; ++q) {
      // One 32-bit load is the int16 pair (q[2p], q[2p+1]), splatted to all lanes.
      const v128_t pair_i16x8 = wasm_v128_load32_splat(query[q] + 2 * p);
      sumLo_i32x4[q] = wasm_i32x4_add(sumLo_i32x4[q], wasm_i32x4_dot_i16x8(rowsLo_i16x8, pair_i16x8));
      sumHi_i32x4[q] = wasm_i32x4_add(sumHi_i32x4[q], wasm_i32x4_dot_i16x8(rowsHi_i16x8, pair_i16x8));
    }
  }
  for (int q = 0; q < Q; ++q) {
    wasm_v128_store(out[q], sumLo_i32x4[q]);
    wasm_v128_store(out[q] + 4, sumHi_i32x4[q]);
  }
}

template <int Q>
void dotQueries(const int8_t* blocks, size_t blockCount, size_t pairCount, const int16_t* queries,
                int32_t* out, size_t outStride) {
  const size_t blockBytes = pairCount * kBlockPairBytes;
  const int16_t* query[Q];
  for (int q = 0; q < Q; ++q) query[q] = queries + q * 2 * pairCount;
  for (size_t b = 0; b < blockCount; ++b) {
    int32_t* rowsOut[Q];
    for (int q = 0; q < Q; ++q) rowsOut[q] = out + q * outStride + b * kBlockRows;
    dotBlockQueries<Q>(blocks + b * blockBytes, pairCount, query, rowsOut);
  }
}

}  // namespace

void dot_i8i16_v128(const int8_t* blocks, size_t blockCount, size_t pairCount,
                    const int16_t* queries, size_t queryCount, int32_t* out, size_t outStride) {
  size_t q = 0;
  for (; q + 4 <= queryCount; q += 4) {
    dotQueries<4>(blocks, blockCount, pairCount, queries + q * 2 * pairCount, out + q * outStride, outStride);
  }
  const int16_t* rest = queries + q * 2 * pairCount;
  int32_t* restOut = out + q * outStride;
  switch (queryCount - q) {
    case 3: dotQueries<3>(blocks, blockCount, pairCount, rest, restOut, outStride); break;
    case 2: dotQueries<2>(blocks, blockCount, pairCount, rest, restOut, outStride); break;
    case 1: dotQueries<1>(blocks, blockCount, pairCount, rest, restOut, outStride); break;
    default: break;
  }
}

}  // namespace explorer::kernels
#endif
