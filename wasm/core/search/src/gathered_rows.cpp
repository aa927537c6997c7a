#include "explorer/gathered_rows.h"

#include <algorithm>
#include <cmath>

#include "explorer/errors.h"
#include "explorer/kernels.h"

namespace explorer {

namespace {

size_t blockOffset(size_t row, size_t dim, size_t blockBytes) {
  const size_t block = row / kernels::kBlockRows, r = row % kernels::kBlockRows;
  return block * blockBytes + (dim / 2) * kernels::kBlockPairBytes + (r / 4) * 8 + (r % 4) * 2 + (dim % 2);
}

}  // namespace

float GatheredRows::floatCosine(size_t i, size_t j) const {
  const float* a = unit.data() + i * dims;
  const float* b = unit.data() + j * dims;
  float sum = 0;
  for (size_t d = 0; d < dims; ++d) sum += a[d] * b[d];
  return sum;
}

float GatheredRows::int8Cosine(size_t i, size_t j) const {
  const int16_t* a = wide.data() + i * paddedDims();
  const int16_t* b = wide.data() + j * paddedDims();
  int32_t sum = 0;
  for (size_t d = 0; d < paddedDims(); ++d) sum += int32_t(a[d]) * b[d];
  return float(sum) * scale[i] * scale[j];
}

void checkRowIds(const std::vector<uint32_t>& ids, size_t tableRows, const std::string& what) {
  if (ids.empty()) fail(ErrorCode::EmptyInput, what + ": the list of rows is empty");
  std::vector<uint32_t> sorted(ids);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] >= tableRows) {
      fail(ErrorCode::BadArgument, what + ": row id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                                       " is outside the table (" + std::to_string(tableRows) + " rows)");
    }
  }
  std::sort(sorted.begin(), sorted.end());
  const auto repeated = std::adjacent_find(sorted.begin(), sorted.end());
  if (repeated != sorted.end()) {
    fail(ErrorCode::BadArgument, what + ": row id " + std::to_string(*repeated) + " is listed more than once");
  }
}

GatheredRows gatherRows(const EmbeddingTable& table, const Space& space, const std::vector<uint32_t>& ids) {
  GatheredRows g;
  g.rows = ids.size();
  g.dims = space.dims();
  g.pairCount = (g.dims + 1) / 2;
  g.blockBytes = g.pairCount * kernels::kBlockPairBytes;
  const size_t blockCount = (g.rows + kernels::kBlockRows - 1) / kernels::kBlockRows;
  g.blocks.assign(blockCount * g.blockBytes, 0);
  g.wide.assign(g.rows * g.paddedDims(), 0);
  g.scale.assign(blockCount * kernels::kBlockRows, 0.0f);
  g.unit.assign(g.rows * g.dims, 0.0f);
  // In the raw space the rows are the table's unit vectors: reuse its codes
  // so the graph agrees with every other search over the table.
  const bool raw = space.spec().kind == SpaceSpec::Kind::Raw && space.spec().layers.empty() && space.dims() == table.dims();
  for (size_t i = 0; i < g.rows; ++i) {
    const uint32_t id = ids[i];
    float* u = g.unit.data() + i * g.dims;
    int16_t* w = g.wide.data() + i * g.paddedDims();
    if (raw) {
      table.unitVector(id, u);
      for (size_t d = 0; d < g.dims; ++d) {
        const int8_t c = table.code(id, d);
        g.blocks[blockOffset(i, d, g.blockBytes)] = c;
        w[d] = c;
      }
      g.scale[i] = table.scale(id);
      continue;
    }
    const std::vector<float> y = space.unitRow(table, id);
    std::copy(y.begin(), y.end(), u);
    float maxAbs = 0;
    for (float v : y) maxAbs = std::max(maxAbs, std::fabs(v));
    if (!(maxAbs > 0)) continue;  // zero row: cosine 0 to everything
    double codeSquares = 0;
    for (size_t d = 0; d < g.dims; ++d) {
      const auto c = static_cast<int8_t>(std::lround(127.0 * y[d] / maxAbs));
      g.blocks[blockOffset(i, d, g.blockBytes)] = c;
      w[d] = c;
      codeSquares += double(c) * c;
    }
    g.scale[i] = float(1.0 / std::sqrt(codeSquares));
  }
  return g;
}

}  // namespace explorer
