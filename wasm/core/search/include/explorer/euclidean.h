// Euclidean nearest neighbours in any space, from the cosine scan's own
// numbers: no second kernel and no copy of the table.
//
// With y_i = P (x_i - mu) a row's space vector and t the query point (both
// at their full length, not normalised),
//   |y_i - t|^2 = |y_i|^2 + |t|^2 - 2 |y_i| |t| cos(y_i, t).
// The cosine comes from the int8 dot kernel and the space's per-row factors
// exactly as the cosine search computes it, and |y_i| = w_i / rowGain_i
// follows from those factors (w_i = |x_i| * scale_i, the row's raw scale),
// so a Euclidean query costs the same one pass as a cosine query.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "explorer/search.h"
#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

// |y_i| of row `row` in `space`, from the space's per-row factors (0 for a
// row the space maps to zero).
double spaceRowNorm(const EmbeddingTable& table, const Space& space, size_t row);

// The space vector y of row `row`, at its full length.
std::vector<float> spaceRow(const EmbeddingTable& table, const Space& space, uint32_t row);

// The k rows nearest to `point` (space coordinates) by Euclidean distance,
// nearest first; Scored::score is the distance. Ties go to the smaller id.
std::vector<Scored> euclideanSearch(const EmbeddingTable& table, const Space& space, const std::vector<float>& point,
                                    const std::vector<uint32_t>& exclude, size_t k);

// The rows nearest to row `id` by Euclidean distance in `space`; the row
// itself is excluded unless includeSelf.
std::vector<Scored> euclideanNeighbors(const EmbeddingTable& table, const Space& space, uint32_t id, size_t k,
                                       std::vector<uint32_t> exclude, bool includeSelf = false);

// "king - man + woman" as a point: the weighted sum of the words' space
// vectors at their full length (Euclidean distance keeps lengths, so the
// unit vectors the cosine expression sums would change the question). The
// named words are excluded unless includeInputs; `terms` gets (id, weight).
std::vector<Scored> euclideanExpression(const EmbeddingTable& table, const Space& space, const std::string& text,
                                        size_t k, bool includeInputs,
                                        std::vector<std::pair<uint32_t, double>>* terms = nullptr);

}  // namespace explorer
