// The one place that picks a kernel. wasm has no runtime CPU detection: a
// module either validates with SIMD128 or not, so the choice is made when
// compiling. Kept out of line (noinline) on purpose: V8 swaps in optimized
// code only on a function's next call, so the hot kernel must be its own
// function that long-running callers invoke once per chunk.
#include "explorer/kernels.h"

namespace explorer::kernels {

__attribute__((noinline)) void dot_i8i16(const int8_t* blocks, size_t blockCount, size_t pairCount,
                                         const int16_t* queries, size_t queryCount, int32_t* out,
                                         size_t outStride) {
#if defined(__wasm_simd128__)
  dot_i8i16_v128(blocks, blockCount, pairCount, queries, queryCount, out, outStride);
#else
  dot_i8i16_serial(blocks, blockCount, pairCount, queries, queryCount, out, outStride);
#endif
}

const char* dotBackendName() {
#if defined(__wasm_simd128__)
  return "wasm-simd128";
#else
  return "serial";
#endif
}

}  // namespace explorer::kernels
