// How faithful a 2D/3D layout is to the full space, per point and overall:
//
//   neighbour recall  |F_i ∩ L_i| / k, with F_i the k nearest neighbours of
//                     point i by cosine in the space and L_i its k nearest
//                     by Euclidean distance in the layout;
//   trustworthiness   1 - 2 / (n k (2n - 3k - 1)) sum_i sum_{j in L_i \ F_i}
//                     (r(i, j) - k), r(i, j) the rank of j among i's
//                     neighbours in the full space (Venna & Kaski 2001, as
//                     sklearn.manifold.trustworthiness defines it; cosine
//                     ranks equal Euclidean ranks of the unit vectors).
//
// Both are exact in float32: every row is scored against every other with
// the int8 kernel, and wherever an int8 cosine is within its proven error
// bound (|u_i - û_i| + |u_l - û_l|) of a deciding value, the pair is
// rescored in float32. Ties go to the smaller position.
//
// Progressive like KnnBuild: step(maxRows) handles a bounded number of
// points, so a worker can report progress and cancel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

struct Faithfulness {
  size_t points = 0, k = 0;
  std::vector<float> neighborRecall;   // per point, 0..1
  std::vector<uint32_t> neighbors;     // points x k, full-space neighbours (positions), best first
  double meanNeighborRecall = 0;
  double trustworthiness = 0;
};

class FaithfulnessRun {
 public:
  // positions: ids.size() x layoutDims (2 or 3), row-major. Throws
  // BadArgument for a size mismatch, layoutDims outside 2..3, non-finite
  // positions, k == 0 or k >= n / 2 (trustworthiness is undefined there),
  // bad or repeated ids.
  FaithfulnessRun(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                  std::vector<uint32_t> ids, std::vector<float> positions, size_t layoutDims, size_t k);
  ~FaithfulnessRun();
  FaithfulnessRun(const FaithfulnessRun&) = delete;
  FaithfulnessRun& operator=(const FaithfulnessRun&) = delete;

  bool step(size_t maxRows);  // maxRows 0 = all; returns finished()
  bool finished() const;
  size_t done() const;
  size_t size() const;
  // Throws BadArgument before finished().
  Faithfulness result() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Faithfulness measureFaithfulness(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                                 std::vector<uint32_t> ids, std::vector<float> positions, size_t layoutDims,
                                 size_t k);

}  // namespace explorer
