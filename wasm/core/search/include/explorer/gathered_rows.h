// A list of table rows gathered into a compact int8 table of their unit
// vectors in a Space: the input of the batched k-NN and of the
// faithfulness measures, which score every listed row against every other.
//
// Codes follow the table's rule (c = round(127 u / max|u|), scale 1/|c|), so
// in the raw space they are the table's own codes, and the int8 cosine
// dot(c_i, c_j) scale_i scale_j is symmetric: one kernel call scores a pair
// for both of its rows. The float unit vectors are kept for re-ranking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

struct GatheredRows {
  size_t rows = 0, dims = 0, pairCount = 0, blockBytes = 0;
  std::vector<int8_t> blocks;   // kernel layout, zero rows pad to a whole block
  std::vector<int16_t> wide;    // rows x 2*pairCount: the same codes as kernel queries
  std::vector<float> scale;     // 1/|c|, 0 for zero rows and the padding
  std::vector<float> unit;      // rows x dims, float unit vectors (zero rows stay zero)

  size_t paddedDims() const { return 2 * pairCount; }
  float floatCosine(size_t i, size_t j) const;
  float int8Cosine(size_t i, size_t j) const;
};

// Throws BadArgument naming the problem for an empty list, an id out of the
// table or a repeated id; `what` names the caller ("k-NN", "faithfulness").
void checkRowIds(const std::vector<uint32_t>& ids, size_t tableRows, const std::string& what);

GatheredRows gatherRows(const EmbeddingTable& table, const Space& space, const std::vector<uint32_t>& ids);

}  // namespace explorer
