// a : b :: c : ? as a search question, shared by the explorer's analogy
// query, the analogy evaluation and the quantization lab, so all three ask
// exactly the same question of the table.
#pragma once

#include <cstdint>

#include "explorer/search.h"
#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

// In `space`: the direction b - a + c of unit vectors for 3CosAdd, or the
// three unit vectors a, b, c for 3CosMul; a, b and c are excluded unless
// includeInputs.
Question makeAnalogyQuestion(const EmbeddingTable& table, const Space& space, uint32_t a, uint32_t b, uint32_t c,
                             Method method, bool includeInputs);

}  // namespace explorer
