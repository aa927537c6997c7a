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

#include "explorer/analogy_question.h"
#include "explorer/row_metadata.h"
#include "explorer/search.h"
#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

struct AnalogyOptions {
  Method method = Method::CosAdd;
  size_t k = 10;
  bool includeInputs = false;  // true: a, b and c may appear in the results
};

// Figures that describe how anisotropic a space is.
struct Anisotropy {
  std::string space;  // the canonical spec they were computed in
  double meanPairCosine = 0, pairCosineStd = 0;
  size_t pairs = 0;
  double varianceTop1 = 0, varianceTop3 = 0, varianceTop10 = 0;  // share of total variance
  double eigenvalueMax = 0, eigenvalueMin = 0;                    // of the space covariance
  double meanNorm = 0, meanVectorNorm = 0;  // mean |y_i| and |mean of y_i|
};

struct Projection {
  std::vector<float> coordinates;  // ids.size() x 3
  std::vector<float> explained;    // share of the points' variance along each axis (PCA, named axes)
  // PCA only: the share of each of the top 10 components (PC1 first), for
  // the component picker; empty for named axes.
  std::vector<float> componentsExplained;
};

// An axis for projections: from the mean of `from` to the mean of `to`
// (unit vectors in the current space), e.g. man -> woman.
struct Axis {
  std::vector<uint32_t> from, to;
  // false: two word sets, direction = mean(to) - mean(from) of unit vectors.
  // true: index-aligned word pairs, direction = mean of the normalised
  // differences to[i] - from[i], so every pair pulls with the same weight.
  bool pairs = false;
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
  // A spec may add neutralised directions to any space, "centered~he:she,
  // man:woman" (see direction.h; built in src/neutral_spaces.cpp).
  void setSpace(const std::string& spec);
  // The space `spec` names ("" = the current one), built on the side and
  // cached, without switching: the anisotropy panel and the evaluation lab
  // compare spaces while the page keeps answering in its own.
  std::shared_ptr<const Space> spaceFor(const std::string& spec);
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
  // Every query below throws ZeroQuery when its vector is zero (a zero row,
  // "0*king", "king - king"): each row would score 0 and the "nearest"
  // words would be arbitrary.
  std::vector<Scored> neighbors(uint32_t id, size_t k, std::vector<uint32_t> exclude, bool includeSelf = false) const;
  // Nearest rows to a vector given in the table's raw coordinates.
  std::vector<Scored> neighborsOfVector(const std::vector<float>& raw, size_t k, std::vector<uint32_t> exclude) const;

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

  // Cosines of all pairs among `sampleRows` distinct rows drawn with `seed`,
  // in the space `spec` ("" = the current one; see spaceFor).
  std::vector<float> pairCosines(size_t sampleRows, uint64_t seed, const std::string& spec = "");
  Anisotropy anisotropy(size_t sampleRows, uint64_t seed, const std::string& spec = "");
  // Eigenvalues of the covariance in the space `spec`, largest first.
  std::vector<double> spectrum(const std::string& spec = "");

  // 3D coordinates of unit space vectors: PCA of the selection, PCA of the
  // whole table (eigenvectors of the space covariance), or user axes (up to
  // three; missing axes are filled by PCA of what the axes leave). Axis
  // coordinates are in cosine units: the cosine of each word's unit vector
  // with the unit axis direction.
  // `components`: the 0-based principal components on x, y and z, any three
  // of the top 10 (src/pca_projection.cpp).
  Projection projectPca(const std::vector<uint32_t>& ids, bool wholeTable, const std::vector<uint32_t>& components = {0, 1, 2});
  Projection projectAxes(const std::vector<uint32_t>& ids, const std::vector<Axis>& axes) const;

 private:
  void requireRows(const std::vector<uint32_t>& ids) const;
  std::vector<Scored> search(Question question, size_t k, double scale, const std::string& what) const;
  std::vector<double> spectrumOf(const Space& space);
  // spaceFor for a spec with "~" layers: the base, then each layer over it.
  std::shared_ptr<const Space> neutralisedSpaceFor(const std::string& text);
  // Caches a built space under its canonical spec, evicting an old one.
  void remember(const std::string& key, std::shared_ptr<const Space> space);

  std::shared_ptr<const EmbeddingTable> table_;
  std::unique_ptr<TableStatistics> statistics_;
  std::map<std::string, std::shared_ptr<const Space>> spaces_;
  std::shared_ptr<const Space> space_;
  RowMetadata metadata_;
};

}  // namespace explorer
