// Batched k nearest neighbours: every listed row against every other, by
// cosine in a Space, over int8 codes.
//
// The rows are gathered once into a compact block table of their unit space
// vectors (int8, the kernel layout; in the raw space these are exactly the
// table's codes), then a block of query rows (int16) is scored against the
// compact table block by block with the SIMD kernel, each score pushed
// into the query's top-k. Both halves of the symmetric product are used:
// the score of (i, j) also offers i to j's top-k, so each pair is scored
// once. Exact over the int8 codes; recall against float32 is ~0.99+ and
// tested.
//
// Progressive: step(maxRows) processes a bounded number of query rows so a
// worker can answer other requests, report progress and cancel between
// steps. The graph does not depend on how the work was split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

// Row-major points x k: neighbors are POSITIONS in the input id list (not
// table ids), self excluded, best first (ties to the smaller position);
// cosines are the matching cosines in the space.
struct KnnGraph {
  size_t points = 0, k = 0;
  std::vector<uint32_t> neighbors;
  std::vector<float> cosines;
};

class KnnBuild {
 public:
  // Throws BadArgument for k == 0, k >= ids.size(), fewer than 2 ids, an id
  // out of range or a repeated id (each named in the message). Cheap apart
  // from gathering the rows (one pass over the listed rows).
  KnnBuild(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
           std::vector<uint32_t> ids, size_t k);
  ~KnnBuild();
  KnnBuild(const KnnBuild&) = delete;
  KnnBuild& operator=(const KnnBuild&) = delete;

  // Processes up to maxRows more query rows (at least one block); returns
  // done(). maxRows 0 means all.
  bool step(size_t maxRows);
  bool finished() const;
  size_t done() const;  // query rows processed, 0..size()
  size_t size() const;  // ids.size()
  size_t k() const;
  // The graph; throws BadArgument before finished(). Moves it out: call once.
  KnnGraph take();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Convenience: the whole graph in one call.
KnnGraph knnGraph(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                  std::vector<uint32_t> ids, size_t k);

}  // namespace explorer
