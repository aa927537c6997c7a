#include "explorer/euclidean.h"

#include <algorithm>
#include <cmath>

#include "explorer/errors.h"
#include "explorer/expression.h"

namespace explorer {

namespace {

// The same bound the cosine queries keep (Explorer's checkK).
void checkK(size_t k) {
  if (k == 0 || k > 10000) fail(ErrorCode::BadArgument, "k must be between 1 and 10000, got " + std::to_string(k));
}

void requireRow(const EmbeddingTable& table, uint32_t id) {
  if (id >= table.rows()) fail(ErrorCode::BadArgument, "row id " + std::to_string(id) + " is out of range");
}

}  // namespace

double spaceRowNorm(const EmbeddingTable& table, const Space& space, size_t row) {
  const float gain = space.rowGain()[row];
  if (!(gain > 0)) return 0;
  return double(table.norm(row)) * table.scale(row) / gain;
}

std::vector<float> spaceRow(const EmbeddingTable& table, const Space& space, uint32_t row) {
  requireRow(table, row);
  std::vector<float> x(table.dims()), y(space.dims());
  table.vector(row, x.data());
  space.transform(x.data(), y.data());
  return y;
}

std::vector<Scored> euclideanSearch(const EmbeddingTable& table, const Space& space, const std::vector<float>& point,
                                    const std::vector<uint32_t>& exclude, size_t k) {
  checkK(k);
  if (point.size() != space.dims()) {
    fail(ErrorCode::BadArgument, "the point has " + std::to_string(point.size()) + " values; the space has " +
                                     std::to_string(space.dims()) + " dimensions");
  }
  double pointSquared = 0;
  for (float v : point) pointSquared += double(v) * v;
  if (!std::isfinite(pointSquared)) fail(ErrorCode::BadArgument, "the point contains NaN or Inf");
  const double pointNorm = std::sqrt(pointSquared);
  // A zero point is a fair question here (the rows nearest the space's
  // origin): mapQueries gives it zero gain and bias, so its cosine is 0
  // and every distance is |y_i|.
  const MappedQueries mapped = space.mapQueries(point.data(), 1, table.paddedDims());
  const float* rowGain = space.rowGain().data();
  const float* rowBias = space.rowBias().data();
  // TopK keeps the largest scores: rank by -distance^2, take the root at the end.
  TopK best(k);
  scanTable(table, mapped.codes.data(), 1, [&](size_t first, size_t rows, const int32_t* dots, size_t) {
    float threshold = best.threshold();
    for (size_t r = 0; r < rows; ++r) {
      const size_t i = first + r;
      // The cosine exactly as the cosine scan scores it.
      const float cosine = mapped.gain[0] * float(dots[r]) * rowGain[i] + mapped.bias[0] * rowBias[i];
      const double rowNorm = spaceRowNorm(table, space, i);
      const double squared = rowNorm * rowNorm + pointSquared - 2 * rowNorm * pointNorm * double(cosine);
      const auto score = float(-std::max(0.0, squared));
      if (score < threshold) continue;
      const auto id = static_cast<uint32_t>(i);
      if (std::find(exclude.begin(), exclude.end(), id) != exclude.end()) continue;
      best.push(id, score);
      threshold = best.threshold();
    }
  });
  std::vector<Scored> out = best.items();
  for (Scored& s : out) s.score = std::sqrt(-s.score);
  return out;
}

std::vector<Scored> euclideanNeighbors(const EmbeddingTable& table, const Space& space, uint32_t id, size_t k,
                                       std::vector<uint32_t> exclude, bool includeSelf) {
  requireRow(table, id);
  checkK(k);
  if (!includeSelf) exclude.push_back(id);
  return euclideanSearch(table, space, spaceRow(table, space, id), exclude, k);
}

std::vector<Scored> euclideanExpression(const EmbeddingTable& table, const Space& space, const std::string& text,
                                        size_t k, bool includeInputs,
                                        std::vector<std::pair<uint32_t, double>>* terms) {
  const Vocabulary& vocabulary = table.vocabulary();
  const auto parsed = parseExpression(text, [&](const std::string& w) { return vocabulary.find(w).has_value(); });
  checkK(k);
  std::vector<float> point(space.dims(), 0.0f);
  std::vector<uint32_t> exclude;
  for (const ExpressionTerm& term : parsed) {
    const uint32_t id = vocabulary.require(term.word);
    const std::vector<float> y = spaceRow(table, space, id);
    for (size_t i = 0; i < y.size(); ++i) point[i] += float(term.weight) * y[i];
    if (!includeInputs) exclude.push_back(id);
    if (terms) terms->emplace_back(id, term.weight);
  }
  return euclideanSearch(table, space, point, exclude, k);
}

}  // namespace explorer
