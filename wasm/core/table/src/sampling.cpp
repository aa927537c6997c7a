#include "explorer/sampling.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

namespace explorer {

std::vector<uint32_t> sampleRows(size_t rows, size_t count, uint64_t seed) {
  count = std::min(count, rows);
  SplitMix64 random(seed);
  std::vector<uint32_t> ids;
  ids.reserve(count);
  if (count * 2 >= rows) {
    // Dense sample: partial Fisher-Yates over all ids.
    std::vector<uint32_t> all(rows);
    std::iota(all.begin(), all.end(), 0);
    for (size_t i = 0; i < count; ++i) std::swap(all[i], all[i + random.below(rows - i)]);
    ids.assign(all.begin(), all.begin() + count);
  } else {
    std::unordered_set<uint32_t> seen;
    while (ids.size() < count) {
      const auto id = static_cast<uint32_t>(random.below(rows));
      if (seen.insert(id).second) ids.push_back(id);
    }
  }
  return ids;
}

}  // namespace explorer
