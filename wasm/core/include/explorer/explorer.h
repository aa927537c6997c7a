// Explorer: the one object the bindings talk to.
//
// It owns the loaded table, the cached statistics and spaces, and answers
// every query by word id. Loading is all-or-nothing: a new table replaces
// the old one only after it has parsed and validated completely, so a bad
// file leaves the previous table answering.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "explorer/formats/table_builder.h"
#include "explorer/search.h"
#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

struct AnalogyOptions {
  Method method = Method::CosAdd;
  size_t k = 10;
  bool includeInputs = false;  // true: a, b and c may appear in the results
};

// Figures that describe how anisotropic the current space is.
struct Anisotropy {
  double meanPairCosine = 0, pairCosineStd = 0;
  size_t pairs = 0;
  double varianceTop1 = 0, varianceTop3 = 0, varianceTop10 = 0;  // share of total variance
  double meanNorm = 0, meanVectorNorm = 0;  // mean |y_i| and |mean of y_i|
};

struct Projection {
  std::vector<float> coordinates;  // ids.size() x 3
  std::vector<float> explained;    // share of variance per axis (PCA), else empty
};

// An axis for projections: from the mean of `from` to the mean of `to`
// (unit vectors in the current space), e.g. man -> woman.
struct Axis {
  std::vector<uint32_t> from, to;
};

class Explorer {
 public:
  // Takes a validated table; drops cached statistics and spaces and
  // resets the space to raw.
  void load(EmbeddingTable table);
  // The same, keeping per-row metadata (Projector TSV columns) with the
  // table; a plain load() drops the previous table's metadata.
  void load(EmbeddingTable table, RowMetadata metadata);
  const RowMetadata& metadata() const { return metadata_; }
  bool loaded() const { return table_ != nullptr; }
  const EmbeddingTable& table() const;

  // Switches the space for all later queries; cached after the first build.
  void setSpace(const std::string& spec);
  const Space& space() const { return *space_; }
  // Shared handles, for long-running work that must keep using the table
  // and space it started with even if another table is loaded meanwhile.
  std::shared_ptr<const EmbeddingTable> tableHandle() const { return table_; }
  std::shared_ptr<const Space> spaceHandle() const { return space_; }
  const TableStatistics& statistics();

  uint32_t require(const std::string& word) const { return table().vocabulary().require(word); }
  // The space vector of a word (unit length in the current space).
  std::vector<float> unitVector(uint32_t id) const;
  // The space vectors of several words, row-major (ids.size() x space dims).
  std::vector<float> unitVectors(const std::vector<uint32_t>& ids) const;

  // Nearest rows to word `id`, which is excluded unless includeSelf.
  std::vector<Scored> neighbours(uint32_t id, size_t k, std::vector<uint32_t> exclude, bool includeSelf = false) const;
  // Nearest rows to a vector given in the table's raw coordinates.
  std::vector<Scored> neighboursOfVector(const std::vector<float>& raw, size_t k, std::vector<uint32_t> exclude) const;

  // a : b :: c : ?
  std::vector<Scored> analogy(uint32_t a, uint32_t b, uint32_t c, const AnalogyOptions& options) const;
  Question analogyQuestion(uint32_t a, uint32_t b, uint32_t c, Method method, bool includeInputs) const;
  // 1-based rank and score of `expected` for a : b :: c : ?
  Scored analogyRank(uint32_t a, uint32_t b, uint32_t c, uint32_t expected, Method method, bool includeInputs) const;

  // Weighted sum of unit vectors, e.g. "king - man + woman". Words used in
  // the expression are excluded unless includeInputs.
  std::vector<Scored> expression(const std::string& text, size_t k, bool includeInputs,
                                 std::vector<std::pair<uint32_t, double>>* terms = nullptr) const;

  float similarity(uint32_t a, uint32_t b) const;
  // Words ordered from the odd one out (lowest cosine to the mean of all
  // the unit vectors, as gensim's doesnt_match) to the most typical.
  std::vector<Scored> oddOneOut(const std::vector<uint32_t>& ids) const;

  // Cosines of all pairs among `sampleRows` distinct rows drawn with `seed`.
  std::vector<float> pairCosines(size_t sampleRows, uint64_t seed) const;
  Anisotropy anisotropy(size_t sampleRows, uint64_t seed);
  // Eigenvalues of the current space's covariance, largest first.
  std::vector<double> spectrum();

  // 3D coordinates of unit space vectors: PCA of the selection, PCA of the
  // whole table (eigenvectors of the space covariance), or user axes (up to
  // three; missing axes are filled by PCA of what the axes leave).
  Projection projectPca(const std::vector<uint32_t>& ids, bool wholeTable);
  Projection projectAxes(const std::vector<uint32_t>& ids, const std::vector<Axis>& axes) const;

 private:
  void requireRows(const std::vector<uint32_t>& ids) const;

  std::shared_ptr<const EmbeddingTable> table_;
  std::unique_ptr<TableStatistics> statistics_;
  std::map<std::string, std::shared_ptr<const Space>> spaces_;
  std::shared_ptr<const Space> space_;
  RowMetadata metadata_;
};

// a : b :: c : ? as a search question in `space`: the direction b - a + c
// of unit vectors for 3CosAdd, or the three unit vectors for 3CosMul.
Question makeAnalogyQuestion(const EmbeddingTable& table, const Space& space, uint32_t a, uint32_t b, uint32_t c,
                             Method method, bool includeInputs);

// Seeded generator for samples (splitmix64): the same seed gives the same
// sample on every platform.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint64_t below(uint64_t n) { return next() % n; }

 private:
  uint64_t state_;
};

// `count` distinct row ids from [0, rows), drawn with `seed`.
std::vector<uint32_t> sampleRows(size_t rows, size_t count, uint64_t seed);

}  // namespace explorer
