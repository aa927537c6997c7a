// Directions in a space, and what makes two vectors similar.
//
// A direction from word pairs follows Bolukbasi et al. 2016 ("Man is to
// Computer Programmer as Woman is to Homemaker?"): each pair gives the
// difference of its unit vectors, delta_i = u(to_i) - u(from_i), and the
// direction is either
//   mean   the mean of the normalised differences delta_i / |delta_i|, so
//          every pair pulls with the same weight (as named axes do), or
//   pc     the first principal component of the pairs, each centred on its
//          own mean (vectors +-delta_i / 2). Per-pair centring makes that
//          set symmetric, so its principal axes are the eigenvectors of
//          sum_i delta_i delta_i^T; centring the differences on their
//          common mean instead would remove the very direction they share.
// Either way `consistency` is the share of that second moment the first
// component takes: 1 when every pair differs along the same line, near
// 1/pairs when the pairs agree on nothing (Bolukbasi's figure 6).
//
// Every cosine here is between unit vectors of the space (Space::unitRow),
// so a projection onto a unit direction d is the scalar projection u . d,
// in cosine units.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "explorer/search.h"
#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

enum class DirectionMethod { Mean, PrincipalComponent };

// "mean" or "pc"; throws BadArgument naming the text otherwise.
DirectionMethod parseDirectionMethod(const std::string& text);
const char* directionMethodName(DirectionMethod method);

struct WordPair {
  uint32_t from = 0, to = 0;
};

struct PairDirection {
  DirectionMethod method = DirectionMethod::Mean;
  std::vector<float> direction;       // unit length, space dims
  double consistency = 0;             // share of the pairs' variance on the first component
  std::vector<double> componentShares;  // the same share for the first few components, largest first
  std::vector<float> pairCosines;     // cos(delta_i, direction), per pair (0 for a pair of one word twice)
  std::vector<float> pairLengths;     // |delta_i|
};

// Throws EmptyInput for no pairs, BadArgument for an id out of range or
// when every pair is one word twice (no direction at all).
PairDirection pairDirection(const EmbeddingTable& table, const Space& space, const std::vector<WordPair>& pairs,
                            DirectionMethod method);

// u_i . direction for each row id (float32, exact up to rounding).
std::vector<float> projectOnto(const EmbeddingTable& table, const Space& space, const std::vector<float>& direction,
                               const std::vector<uint32_t>& ids);

// Both ends of the vocabulary along a direction: the `count` rows with the
// largest projection (best first) and the `count` with the smallest
// (most negative first), among the first `amongRows` rows (the most
// frequent; 0 = all). Candidates come from the int8 scan and are re-scored
// in float32, so the scores are projectOnto's.
struct DirectionEnds {
  std::vector<Scored> positive, negative;
};
DirectionEnds rankAlong(const EmbeddingTable& table, const Space& space, const std::vector<float>& direction,
                        size_t count, size_t amongRows);

// Per-dimension contributions to the cosine of two vectors: the products
// p_i = u_i v_i of their unit vectors, largest |p_i| first, with the
// running sum (which ends at the cosine) and the running share of it.
struct Contributions {
  float cosine = 0;                // sum of all products
  std::vector<uint32_t> dims;      // dimension of each bar, largest |product| first
  std::vector<float> products;     // u_i v_i in that order
  std::vector<float> running;      // running sum of products
  std::vector<float> share;        // running / cosine (0 when the cosine is 0)
  float positiveSum = 0, negativeSum = 0;
};
// Throws ZeroQuery when either vector is zero and BadArgument on a size mismatch.
Contributions contributions(std::vector<float> u, std::vector<float> v);

// The weighted sum of unit vectors an expression ("king - man + woman",
// "queen") stands for, in space coordinates, not normalised; `terms` gets
// (id, weight) per term. Throws like parseExpression and Vocabulary::require.
std::vector<float> expressionVector(const EmbeddingTable& table, const Space& space, const std::string& text,
                                    std::vector<std::pair<uint32_t, double>>* terms = nullptr);

// Each word's cosine to the mean of the OTHER words' unit vectors, lowest
// (the odd one out) first. Needs 3+ distinct ids.
std::vector<Scored> cosineToOthers(const EmbeddingTable& table, const Space& space, const std::vector<uint32_t>& ids);

// A neutralising layer of a space spec: "~he:she,man:woman" (mean) or
// "~he:she,man:woman@pc". Words are written with %XX escapes for the
// characters the syntax uses (% ~ , : @) and for spaces and controls, so any
// word round-trips.
struct NeutralLayer {
  std::vector<std::pair<std::string, std::string>> pairs;
  DirectionMethod method = DirectionMethod::Mean;

  // Parses the text after a '~'. Throws BadArgument naming the problem.
  static NeutralLayer parse(const std::string& text);
  // "~from:to,...[@pc]", words escaped.
  std::string toString() const;
};

std::string escapeSpecWord(const std::string& word);

}  // namespace explorer
