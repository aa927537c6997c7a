// Seeded, progressive UMAP (McInnes, Healy and Melville 2018), following
// umap-learn 0.5's defaults so its layouts are a fair oracle:
//
// - Neighbours: each point with its n_neighbors - 1 nearest others (the
//   batched int8 k-NN of explorer/knn_graph.h), distance 1 - cos, the
//   point itself counted as the first neighbour as umap-learn counts it.
// - Fuzzy simplicial set: per point rho (distance to the nearest other)
//   and sigma by bisection so that sum_j exp(-(d_ij - rho) / sigma) =
//   log2(n_neighbors); weights symmetrised by fuzzy union
//   w = a + a' - a a'; weights below max / n_epochs dropped.
// - Output curve 1 / (1 + a d^2b), a and b fitted to the offset exponential
//   of min_dist and spread by Levenberg-Marquardt (fitUmapCurve).
// - Start: PCA of the input (seeded noise of 1e-4 breaks ties), or uniform
//   random; either is rescaled to [0, 10] per axis as umap-learn does.
//   Spectral initialisation (umap-learn's default) is not implemented: it
//   needs an eigensolver on the graph Laplacian that costs more than the
//   whole layout here.
// - SGD over the edges: each edge sampled every max_w / w epochs, 5
//   negative samples per positive one, learning rate 1 decaying linearly,
//   gradient clipped to +-4 per coordinate, 500 epochs below 10,000 points
//   and 200 from there on (optimize_layout_euclidean).
//
// Progressive like TsneRun: construction is cheap, prepare(m) computes the
// neighbours of m more points, step(e) runs e more epochs. Single-threaded
// and seeded, so the same input, options and seed give the same layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "explorer/knn_graph.h"

namespace explorer {

enum class UmapInit { Pca, Random };

struct UmapOptions {
  size_t neighbors = 15;  // n_neighbors, the point itself included: 2 .. 200
  double minDist = 0.1;   // 0 .. spread
  double spread = 1;      // > 0
  size_t dims = 3;        // 2 or 3
  uint64_t seed = 0;
  size_t epochs = 0;      // 0: 500 below 10,000 points, 200 from there on
  double negativeSampleRate = 5;
  double learningRate = 1;
  double repulsionStrength = 1;  // gamma
  UmapInit init = UmapInit::Pca;
};

// Largest point count accepted: the layout is linear in the points, the
// batched k-NN quadratic but fast enough for the whole default table.
constexpr size_t kUmapMaxPoints = 50000;

// Throws TooLarge beyond kUmapMaxPoints, BadArgument below 3 points.
void checkUmapSize(size_t points);

// Throws BadArgument naming the first bad option for `points` points.
void checkUmapOptions(const UmapOptions& options, size_t points);

struct UmapCurve {
  double a = 0, b = 0;
};

// Least-squares fit of 1 / (1 + a x^2b) to 1 for x < minDist and
// exp(-(x - minDist) / spread) beyond, on 300 points over [0, 3 spread]
// (umap-learn's find_ab_params). minDist 0.1, spread 1: a 1.577, b 0.895.
UmapCurve fitUmapCurve(double minDist, double spread = 1);

// The epochs umap-learn runs by default for `points` points.
size_t defaultUmapEpochs(size_t points);

// The fuzzy simplicial set: a symmetric sparse matrix as edges sorted by
// head then tail, each unordered pair present in both directions.
struct UmapGraph {
  size_t points = 0;
  std::vector<uint32_t> heads, tails;
  std::vector<float> weights;
  std::vector<float> rho, sigma;  // per point, from the smooth k-NN distances
};

// From a k-NN graph (self excluded) with n_neighbors = graph.k + 1.
UmapGraph fuzzySimplicialSet(const KnnGraph& graph);

class UmapRun {
 public:
  // `vectors` (n x dims, row-major, the points in the order of the build's
  // ids) feed the PCA start; the neighbours come from `neighbours`, which
  // must have been made with k = options.neighbors - 1. Throws
  // explorer::Error: BadArgument for bad options or sizes, TooLarge beyond
  // kUmapMaxPoints, BadData for NaN or infinite input.
  UmapRun(std::unique_ptr<KnnBuild> neighbours, std::vector<float> vectors, size_t dims, const UmapOptions& options);
  // With the neighbours already known (graph.k == options.neighbors - 1).
  UmapRun(KnnGraph graph, std::vector<float> vectors, size_t dims, const UmapOptions& options);

  // Computes the neighbours of up to `maxRows` more points (0: all); the
  // call that finishes them builds the fuzzy set and the start layout and
  // frees the input. Returns ready().
  bool prepare(size_t maxRows);
  bool ready() const { return ready_; }
  size_t prepared() const;  // points whose neighbours are done, 0..size()

  // Runs up to `epochs` more epochs (finishing prepare() first), never past
  // epochs(); returns epoch().
  size_t step(size_t epochs);
  size_t epoch() const { return epoch_; }
  size_t epochs() const { return epochs_; }
  bool done() const { return ready_ && epoch_ >= epochs_; }
  size_t size() const { return n_; }
  size_t dims() const { return options_.dims; }
  // n x dims(); empty until ready().
  const std::vector<float>& positions() const { return y_; }

  UmapCurve curve() const { return curve_; }
  size_t edgeCount() const { return heads_.size(); }  // directed edges kept for SGD
  const UmapOptions& options() const { return options_; }

 private:
  void checkInput(size_t dims);
  void finishPreparation(const KnnGraph& graph);
  void initialise();
  template <int Dims>
  void runEpoch();

  UmapOptions options_;
  size_t n_ = 0, inputDims_ = 0;
  std::unique_ptr<KnnBuild> build_;
  std::vector<float> vectors_;
  bool ready_ = false;
  UmapCurve curve_;
  size_t epoch_ = 0, epochs_ = 0;
  std::vector<uint32_t> heads_, tails_;
  std::vector<double> epochsPerSample_, nextSample_, epochsPerNegative_, nextNegative_;
  std::vector<float> y_;
  uint64_t negativeState_ = 0;
};

}  // namespace explorer
