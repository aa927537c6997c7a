// Spaces: the raw table and the affine transforms a learner can switch to.
//
// Every space is y = P (x - mu) on the raw (unnormalised) vectors x:
//   raw        P = I, mu = 0
//   centered   P = I, mu = table mean                      (centring)
//   whitened   P = L^-1/2 U^T, optionally only the top k    (PCA / BERT-whitening)
//   zca        P = U L^-1/2 U^T                             (ZCA whitening)
//   abtt:D     P = I - U_D U_D^T, mu = table mean           (all-but-the-top,
//                                                           Mu & Viswanath 2018)
// with U, L the eigenvectors and eigenvalues of the table covariance.
//
// The table is never rewritten. Cosine in a space only needs, per row,
//   cos(y_i, t) = (x_i . P^T t - mu . P^T t) / (|y_i| |t|)
// so a query t is mapped back to v = P^T t once and scanned against the raw
// int8 codes; each space stores two floats per row (w_i/|y_i| and 1/|y_i|).
// Switching spaces costs one pass over the table, not a copy of it.
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <string>
#include <vector>

#include "explorer/table.h"

namespace explorer {

struct SpaceSpec {
  enum class Kind { Raw, Centered, Whitened, Zca, AllButTheTop };
  Kind kind = Kind::Raw;
  // whitened: number of components kept (0 = all); abtt: components removed.
  int components = 0;
  // Neutralised directions layered over the base kind, in canonical text
  // ("~he:she,man:woman~rich:poor@pc"; see direction.h); empty for none.
  // Explorer::spaceFor builds these layers, not parse.
  std::string layers;

  // "raw", "centered", "whitened", "whitened:K", "zca", "abtt:D".
  static SpaceSpec parse(const std::string& text, size_t dims);
  std::string toString() const;
};

// Mean, covariance and eigen-decomposition of the raw vectors, computed
// once per table. Accumulated in double; eigenvalues in descending order.
struct TableStatistics {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;
  Eigen::VectorXd eigenvalues;   // descending
  Eigen::MatrixXd eigenvectors;  // columns, matching eigenvalues

  static TableStatistics compute(const EmbeddingTable& table);
};

// A query mapped back to the raw space and quantized for the int8 kernel.
struct MappedQueries {
  size_t count = 0;
  std::vector<int16_t> codes;   // count x paddedDims
  std::vector<float> codeScale; // v_q ~= codeScale * codes_q
  std::vector<float> bias;      // -(mu . v_q) / |t_q|
  std::vector<float> gain;      // codeScale / |t_q|
};

class Space {
 public:
  // Builds the per-row factors: one pass over the table through the kernel.
  Space(const EmbeddingTable& table, SpaceSpec spec, const TableStatistics* statistics);
  // `base` with the unit direction `direction` (base coordinates) projected
  // out: P' = (I - d d^T) P, the same mu, and `layer` ("~...") added to the
  // spec. One float pass over the table (src/neutral_space.cpp).
  Space(const EmbeddingTable& table, const Space& base, const std::vector<float>& direction, const std::string& layer);

  const SpaceSpec& spec() const { return spec_; }
  size_t dims() const { return outDims_; }
  // y = P (x - mu) for a raw vector x of the table's dims.
  void transform(const float* x, float* y) const;
  // The space vector of row `row`, unit length (zero if the row is zero).
  std::vector<float> unitRow(const EmbeddingTable& table, uint32_t row) const;
  // Maps space directions t (count x dims(), row-major) to kernel queries.
  MappedQueries mapQueries(const float* t, size_t count, size_t paddedDims) const;
  // cos = gain * dot * rowGain + bias * rowBias, for dot from the kernel.
  const std::vector<float>& rowGain() const { return rowGain_; }
  const std::vector<float>& rowBias() const { return rowBias_; }
  // P (outDims x dims) and mu, in float; empty P means identity.
  const Eigen::MatrixXf& projection() const { return projection_; }
  const Eigen::VectorXf& mean() const { return mean_; }
  // Covariance of the space vectors: P C P^T.
  Eigen::MatrixXd covariance(const TableStatistics& statistics) const;

 private:
  SpaceSpec spec_;
  size_t inDims_ = 0, outDims_ = 0;
  Eigen::MatrixXf projection_;  // empty: identity
  Eigen::VectorXf mean_;        // zero for raw
  std::vector<float> rowGain_, rowBias_;
};

// Quantizes float queries (count x dims) to int16 codes for the kernel,
// with one scale per query; returns the scales.
std::vector<float> quantizeQueries(const float* values, size_t count, size_t dims, size_t paddedDims,
                                   std::vector<int16_t>& codes);

// Streams the table through the dot kernel in chunks that fit the cache,
// calling onChunk(firstRow, rowCount, dots, stride) with
// dots[q * stride + r] = codes(firstRow + r) . query q.
template <typename OnChunk>
void scanTable(const EmbeddingTable& table, const int16_t* queryCodes, size_t queryCount, OnChunk&& onChunk);

}  // namespace explorer

#include "explorer/scan_impl.h"
