// The geometry behind an analogy, for the page's analogy view and the CLI's
// `analogy --geometry` / `offsets`: where the computed point b − a + c lies,
// how parallel the two offsets really are in the full space, and a 3D
// layout of the query's words in which the parallelogram can be read.
//
// Everything is computed on the unit vectors of the current space, the
// same vectors 3CosAdd scores, so the figures agree with the answers.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "explorer/explorer.h"

namespace explorer {

constexpr uint32_t kNoWord = std::numeric_limits<uint32_t>::max();

struct GeometryTerm {
  uint32_t id;
  double weight;  // b − a + c is {b, +1}, {a, −1}, {c, +1}
};

enum class GeometryLayout {
  // x along a→b, y along the part of a→c orthogonal to it, z the first
  // principal direction of what that plane leaves: the plane through a, b
  // and c is drawn true to shape, so a, b, c and b − a + c are an exact
  // parallelogram with its real angles.
  Plane,
  // PCA of the placed words and the computed point only.
  Pca,
};

struct GeometryRequest {
  std::vector<GeometryTerm> terms;  // the computed point is sum(weight * unit vector)
  std::vector<uint32_t> ids;        // the words to place
  // The two offsets compared: from→to (a→b) against otherFrom→otherTo (c→d).
  // Any kNoWord leaves offsetCosine NaN; with from/to/otherFrom unset, the
  // Plane layout falls back to PCA.
  uint32_t from = kNoWord, to = kNoWord, otherFrom = kNoWord, otherTo = kNoWord;
  GeometryLayout layout = GeometryLayout::Plane;
};

struct AnalogyGeometry {
  std::vector<float> point;          // the computed point in space coordinates
  double pointNorm = 0;
  uint32_t nearest = kNoWord;        // nearest row to the point, inputs included
  double nearestCosine = 0;          // cos(point, nearest): the gap between them
  double offsetCosine = std::numeric_limits<double>::quiet_NaN();  // cos(to − from, otherTo − otherFrom)
  std::vector<float> coordinates;    // (ids.size() + 1) x 3; the last row is the computed point
  std::vector<float> explained;      // Pca: share of the placed points' variance per axis
  GeometryLayout layout = GeometryLayout::Plane;  // the layout used
};

AnalogyGeometry analogyGeometry(const Explorer& explorer, const GeometryRequest& request);

// Offset consistency of a relation: for pairs (from_i, to_i), the cosine of
// each offset û(to_i) − û(from_i) with the mean of all the offsets, and each
// offset's length. Pairs with the same word at both ends are refused.
struct OffsetConsistency {
  std::vector<double> cosineToMean;
  std::vector<double> length;
  double meanLength = 0;  // length of the mean offset
};

OffsetConsistency offsetConsistency(const Explorer& explorer,
                                    const std::vector<std::pair<uint32_t, uint32_t>>& pairs);

}  // namespace explorer
