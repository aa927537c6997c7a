// Implementation of scanTable (a template, so it lives in a header). It
// compiles on its own, like every header (the build checks each one).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "explorer/kernels.h"
#include "explorer/table.h"

namespace explorer {

template <typename OnChunk>
void scanTable(const EmbeddingTable& table, const int16_t* queryCodes, size_t queryCount, OnChunk&& onChunk) {
  if (queryCount == 0) return;
  // Keep the int32 output of one chunk around 64 KiB so it stays in L2
  // while the scoring pass reads it back; never below one 8-row block.
  const size_t chunkBlocks = std::clamp<size_t>(16384 / (queryCount * kernels::kBlockRows), 1, 256);
  const size_t stride = chunkBlocks * kernels::kBlockRows;
  std::vector<int32_t> dots(queryCount * stride);
  const size_t totalBlocks = table.blockCount();
  for (size_t block = 0; block < totalBlocks; block += chunkBlocks) {
    const size_t blocks = std::min(chunkBlocks, totalBlocks - block);
    kernels::dot_i8i16(table.blocks() + block * table.blockBytes(), blocks, table.pairCount(), queryCodes,
                       queryCount, dots.data(), stride);
    const size_t firstRow = block * kernels::kBlockRows;
    const size_t rows = std::min(blocks * kernels::kBlockRows, table.rows() - firstRow);
    onChunk(firstRow, rows, dots.data(), stride);
  }
}

}  // namespace explorer
