// Seeded, progressive t-SNE into 3D, or into the plane z = 0 (dims 2).
//
// Input affinities: for each point the k = min(n-1, 3*perplexity) nearest
// neighbours (brute force, Eigen Gram blocks), Gaussian conditionals
// calibrated to the perplexity by bisection on the precision, symmetrised
// and normalised into a sparse P. Output similarities: Student-t
// (1 + |yi - yj|^2)^-1. The gradient is attraction over the sparse P and
// repulsion from a Barnes-Hut octree rebuilt every iteration; descent uses
// momentum and per-coordinate gains (delta-bar-delta) with early
// exaggeration, as in van der Maaten's bhtsne. The layout is re-centred
// every iteration and never shrinks below an RMS radius of 1e-4 (see
// kMinRadius in tsne.cpp).
//
// 2D runs the same code with every start z set to exactly 0: each force's
// z component is then a sum of (0 - 0) terms, the momentum update of z
// stays 0 and so does the mean that re-centring subtracts, so the layout
// never leaves the plane and one octree (flat in z) serves both.
//
// Progressive: the constructor checks the input and draws a seeded random
// start; prepare(m) computes the affinities of m more points (the
// brute-force neighbours are most of the cost: about 1.4 s for 10,000
// points in wasm), so a worker can answer queries between calls; step(k)
// runs k more iterations and returns, so a caller can draw the layout
// between steps, pause (stop calling) and resume.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace explorer {

struct TsneOptions {
  double perplexity = 30;  // clamped to [1, (n-1)/3] for small n
  uint64_t seed = 1;       // the random start; same seed, same layout
  // Barnes-Hut accuracy: a node (diagonal of the bounding box of its
  // points) is summarised by its centre of mass when diagonal < theta *
  // distance. 0 is exact; allowed 0..1.
  double theta = 0.5;
  // 0: max(200, n / earlyExaggeration) (Belkina et al. 2019, the bhtsne
  // gradient convention without the factor 4).
  double learningRate = 0;
  double earlyExaggeration = 12;
  size_t exaggerationIterations = 250;
  double initialMomentum = 0.5, finalMomentum = 0.8;
  size_t momentumSwitch = 250;
  size_t dims = 3;  // 2: every z is 0 throughout (positions stay n x 3)
};

// Largest point count accepted. The brute-force neighbours are O(n^2):
// about 1.4 s at 10,000 points in wasm and four times that at 20,000,
// which the worker spends in slices between queries.
constexpr size_t kTsneMaxPoints = 20000;

// Throws TooLarge beyond kTsneMaxPoints, BadArgument below 2.
void checkTsneSize(size_t points);

// Repulsive forces of the t-SNE gradient, before normalisation:
// forces[3i..3i+2] = sum_j w_ij^2 (y_i - y_j), w_ij = 1 / (1 + |y_i - y_j|^2),
// and the return value Z = sum_{i != j} w_ij. Positions are n x 3.
//
// Barnes-Hut on an octree rebuilt per call from the points in Morton order
// (a flat array of nodes in preorder, each with a skip link past its
// subtree, so traversal needs no stack). Points are taken in groups (the
// largest subtrees of at most kGroupSize points): one traversal per group
// collects an interaction list, a node's centre of mass where the node's
// bounding-box diagonal < theta * its distance to the group's box, else
// the points of the leaf, and every point of the group is then evaluated
// against the list with 4-wide SIMD. Because the criterion uses the box,
// it holds for every point of the group. Sizes were tuned on the GloVe
// table in wasm (leaf 8-32 and group 64-128 are within 10% of each other).
class BarnesHutRepulsion {
 public:
  static constexpr size_t kLeafSize = 16;
  static constexpr size_t kGroupSize = 64;

  double compute(const float* positions, size_t n, double theta, float* forces);
  // Size of the last computation: nodes in the tree and interactions
  // (point-node or point-point pairs) evaluated.
  size_t nodes() const { return nodes_.size(); }
  size_t interactions() const { return interactions_; }

 private:
  struct Node {
    float cx, cy, cz, mass;  // centre of mass and point count
    float diagonal2;         // squared diagonal of the points' bounding box
    uint32_t first, count;   // points in Morton order
    uint32_t skip;           // next node after this subtree (preorder); leaf iff skip == index + 1
  };
  struct Box {
    float lo[3], hi[3];
  };
  uint32_t build(uint32_t first, uint32_t end, int level);
  // Fills the list for the points of node `group` (in `box`); returns its
  // size (padded to 4) and where the group's own points start.
  size_t interactionList(const Box& box, float theta2, uint32_t group, size_t& own);
  void sortPoints(const float* positions, size_t n);

  std::vector<std::pair<uint64_t, uint32_t>> keys_;
  std::vector<float> x_, y_, z_;  // positions in Morton order
  std::vector<float> fx_, fy_, fz_;
  std::vector<Node> nodes_;
  std::vector<Box> boxes_;  // bounding box of each node's points
  std::vector<float> listX_, listY_, listZ_, listMass_;
  size_t interactions_ = 0;
};

// The same quantities exactly, O(n^2), in double: the oracle for tests.
double exactRepulsion(const float* positions, size_t n, float* forces);

class TsneRun {
 public:
  // `data` is n x dims, row-major. Throws explorer::Error: BadArgument for
  // n < 2, dims == 0, a size mismatch or bad options; TooLarge for more
  // than kTsneMaxPoints points; BadData for NaN or infinite input.
  // The input is copied and kept until the affinities are complete.
  TsneRun(const std::vector<float>& data, size_t dims, const TsneOptions& options = {});

  // Computes the input affinities (k nearest neighbours, calibrated to the
  // perplexity) of up to `maxPoints` more points; the call that reaches the
  // last point also symmetrises P and frees the input copy. Returns
  // ready(). The result does not depend on how the work was split.
  bool prepare(size_t maxPoints);
  bool ready() const { return ready_; }
  size_t prepared() const { return prepared_; }  // points whose neighbours are done, 0..size()

  // Runs `iterations` more iterations (finishing prepare() first if it was
  // not); returns iteration().
  size_t step(size_t iterations);
  size_t iteration() const { return iteration_; }
  size_t size() const { return n_; }
  // n x 3, centred on the origin; z is 0 throughout when dims() is 2.
  const std::vector<float>& positions() const { return y_; }
  size_t dims() const { return options_.dims; }

  // KL(P || Q) of the current layout, with Z from one Barnes-Hut pass
  // (exact when theta is 0). Costs about one iteration.
  double klDivergence();

  double perplexity() const { return perplexity_; }  // after clamping
  size_t neighbors() const { return k_; }
  double learningRate() const { return learningRate_; }
  // Non-zeros of the symmetric P (each unordered pair counted twice);
  // 0 until ready().
  size_t affinityCount() const { return pColumns_.size(); }

 private:
  void symmetrise();
  void computeGradient(double exaggeration);

  size_t n_ = 0, k_ = 0, dims_ = 0;
  // Preparation: the input, its squared norms, the Gram block of the rows
  // [gramFirst_, gramFirst_ + gramRows_) and, per prepared point, its
  // neighbours and their conditionals p_{j|i}.
  std::vector<float> data_, squaredNorms_, gram_;
  size_t gramFirst_ = 0, gramRows_ = 0, prepared_ = 0;
  bool ready_ = false;
  std::vector<uint32_t> neighbour_;
  std::vector<float> conditional_;
  TsneOptions options_;
  double perplexity_ = 0, learningRate_ = 0;
  size_t iteration_ = 0;
  // Symmetric P in CSR form, normalised to sum 1.
  std::vector<uint32_t> pRows_, pColumns_;
  std::vector<float> pValues_;
  std::vector<float> y_, update_, gains_, gradient_, attractive_, repulsive_;
  BarnesHutRepulsion repulsion_;
};

}  // namespace explorer
