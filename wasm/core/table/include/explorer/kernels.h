// Integer dot-product kernels: the hot loop behind every search.
//
// The table is stored as int8 codes in blocks of 8 rows. Inside a block the
// dimensions are interleaved in pairs, so one 16-byte group holds dims
// (2p, 2p+1) of all 8 rows:
//
//   bytes 0..7  : r0d0 r0d1 r1d0 r1d1 r2d0 r2d1 r3d0 r3d1   (rows 0-3)
//   bytes 8..15 : r4d0 r4d1 r5d0 r5d1 r6d0 r6d1 r7d0 r7d1   (rows 4-7)
//
// That matches wasm's i32x4.dot_i16x8_s: widen 8 codes to int16, multiply
// by the query pair (q[2p], q[2p+1]) splatted over the lanes, and each i32
// lane gets one row's partial dot. Queries are int16 so their quantization
// error (~1e-5 relative) stays far below the table's int8 error.
//
// Kernels are named <op>_<input types>_<isa>; the serial one is the
// reference, always built, and the one the native build uses.
#pragma once

#include <cstddef>
#include <cstdint>

namespace explorer::kernels {

constexpr size_t kBlockRows = 8;
constexpr size_t kBlockPairBytes = 16;  // one dim pair of one block

// The largest |query code| that cannot overflow an int32 lane: a lane sums
// 2 * pairCount products of at most 127 * q.
int32_t queryCodeLimit(size_t pairCount);

// out[q * outStride + r] = sum_d code[r][d] * queries[q][d] for the
// blockCount * 8 rows starting at `blocks`. Each query holds 2 * pairCount
// int16 values. Queries are processed four at a time so each loaded row
// group serves several queries (batched search, 3CosMul, projections).
void dot_i8i16_serial(const int8_t* blocks, size_t blockCount, size_t pairCount,
                      const int16_t* queries, size_t queryCount, int32_t* out, size_t outStride);

#if defined(__wasm_simd128__)
void dot_i8i16_v128(const int8_t* blocks, size_t blockCount, size_t pairCount,
                    const int16_t* queries, size_t queryCount, int32_t* out, size_t outStride);
#endif

// The single dispatch point: the best kernel this build has.
void dot_i8i16(const int8_t* blocks, size_t blockCount, size_t pairCount, const int16_t* queries,
               size_t queryCount, int32_t* out, size_t outStride);
const char* dotBackendName();

}  // namespace explorer::kernels
