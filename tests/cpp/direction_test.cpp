// Directions from word pairs (Bolukbasi et al. 2016), ranking along them,
// neutralised spaces, per-dimension contributions, cosine to the others'
// mean, and the navigator's shortest paths, each against a float32
// reference written here (numpy-style: plain loops over the dequantized
// rows), never against the core's own helpers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "explorer/direction.h"
#include "explorer/knn_graph.h"
#include "explorer/knn_paths.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::TestRandom;
using testing::throwsError;
using Vec = std::vector<float>;

constexpr size_t kRows = 500;
constexpr size_t kDims = 24;

// Anisotropic rows with a planted "gender" axis: rows 0..39 come in pairs
// (2i, 2i+1) that differ mostly along dimension 0, so the pairs agree.
std::vector<float> plantedValues() {
  TestRandom random(29);
  std::vector<float> values(kRows * kDims);
  for (size_t r = 0; r < kRows; ++r)
    for (size_t k = 0; k < kDims; ++k) values[r * kDims + k] = float(random.gaussian() * 3.0 / (1.0 + 0.3 * k) + 0.4);
  for (size_t p = 0; p < 20; ++p) {
    float* a = values.data() + (2 * p) * kDims;
    float* b = values.data() + (2 * p + 1) * kDims;
    for (size_t k = 0; k < kDims; ++k) b[k] = a[k] + float(0.15 * random.gaussian());
    b[0] = a[0] + 3.0f;
  }
  return values;
}

Explorer loaded() {
  const std::vector<float> values = plantedValues();
  Explorer explorer;
  explorer.load(EmbeddingTable::quantize(values.data(), kRows, kDims, testing::numberedWords(kRows), "planted"));
  return explorer;
}

float dot(const Vec& a, const Vec& b) {
  float sum = 0;
  for (size_t k = 0; k < a.size(); ++k) sum += a[k] * b[k];
  return sum;
}
Vec normalised(Vec v) {
  const float n = std::sqrt(dot(v, v));
  if (n > 0)
    for (float& x : v) x /= n;
  return v;
}
Vec minus(const Vec& a, const Vec& b) {
  Vec out(a.size());
  for (size_t k = 0; k < a.size(); ++k) out[k] = a[k] - b[k];
  return out;
}
// y' = y - (d . y) d
Vec removed(const Vec& y, const Vec& d) {
  const float along = dot(y, d);
  Vec out(y);
  for (size_t k = 0; k < y.size(); ++k) out[k] -= along * d[k];
  return out;
}

// Reference space vectors: the dequantized raw rows, minus the float mean
// for a centred base.
std::vector<Vec> rawRows(const EmbeddingTable& table, bool centred) {
  std::vector<Vec> rows(table.rows(), Vec(table.dims()));
  Vec mean(table.dims(), 0.0f);
  for (size_t r = 0; r < table.rows(); ++r) {
    table.vector(r, rows[r].data());
    for (size_t k = 0; k < table.dims(); ++k) mean[k] += rows[r][k] / float(table.rows());
  }
  if (centred)
    for (Vec& row : rows) row = minus(row, mean);
  return rows;
}

std::vector<WordPair> plantedPairs(size_t count) {
  std::vector<WordPair> pairs;
  for (uint32_t p = 0; p < count; ++p) pairs.push_back({2 * p, 2 * p + 1});
  return pairs;
}

// Float32 reference of both rules over unit vectors `units` (by id).
struct ReferenceDirection {
  Vec mean, pc;
  float consistency = 0;
  Vec pairCosines;
};
ReferenceDirection referenceDirection(const std::vector<Vec>& units, const std::vector<WordPair>& pairs) {
  const size_t d = units[0].size();
  std::vector<Vec> deltas;
  Vec sum(d, 0.0f), plainSum(d, 0.0f);
  for (const WordPair& p : pairs) {
    deltas.push_back(minus(units[p.to], units[p.from]));
    const Vec n = normalised(deltas.back());
    for (size_t k = 0; k < d; ++k) {
      sum[k] += n[k];
      plainSum[k] += deltas.back()[k];
    }
  }
  ReferenceDirection ref;
  ref.mean = normalised(sum);
  // Second moment M = sum delta delta^T; top eigenvector by power iteration.
  std::vector<Vec> m(d, Vec(d, 0.0f));
  float trace = 0;
  for (const Vec& delta : deltas) {
    trace += dot(delta, delta);
    for (size_t a = 0; a < d; ++a)
      for (size_t b = 0; b < d; ++b) m[a][b] += delta[a] * delta[b];
  }
  Vec v(d, 1.0f);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    Vec next(d, 0.0f);
    for (size_t a = 0; a < d; ++a)
      for (size_t b = 0; b < d; ++b) next[a] += m[a][b] * v[b];
    v = normalised(next);
  }
  if (dot(v, plainSum) < 0)
    for (float& x : v) x = -x;
  ref.pc = v;
  Vec mv(d, 0.0f);
  for (size_t a = 0; a < d; ++a)
    for (size_t b = 0; b < d; ++b) mv[a] += m[a][b] * v[b];
  ref.consistency = dot(v, mv) / trace;
  for (const Vec& delta : deltas) ref.pairCosines.push_back(dot(normalised(delta), ref.mean));
  return ref;
}

std::vector<Vec> unitRows(const Explorer& e, const Space& space) {
  std::vector<Vec> out;
  for (uint32_t r = 0; r < e.table().rows(); ++r) out.push_back(space.unitRow(e.table(), r));
  return out;
}

float maxDifference(const Vec& a, const Vec& b) {
  float worst = 0;
  for (size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::fabs(a[k] - b[k]));
  return worst;
}

TEST(Directions, MeanAndPrincipalComponentMatchAFloatReference) {
  Explorer explorer = loaded();
  const std::vector<WordPair> pairs = plantedPairs(12);
  const std::vector<Vec> units = unitRows(explorer, explorer.space());
  const ReferenceDirection ref = referenceDirection(units, pairs);
  const PairDirection mean = pairDirection(explorer.table(), explorer.space(), pairs, DirectionMethod::Mean);
  const PairDirection pc = pairDirection(explorer.table(), explorer.space(), pairs, DirectionMethod::PrincipalComponent);
  EXPECT_LT(maxDifference(mean.direction, ref.mean), 1e-5f);
  EXPECT_LT(maxDifference(pc.direction, ref.pc), 1e-4f);
  EXPECT_NEAR(mean.consistency, ref.consistency, 1e-4);
  EXPECT_NEAR(pc.consistency, mean.consistency, 1e-12);  // a property of the pairs, not of the rule
  for (size_t i = 0; i < pairs.size(); ++i) EXPECT_NEAR(mean.pairCosines[i], ref.pairCosines[i], 1e-5f);
  // The planted pairs agree: most of their variance lies on one line.
  EXPECT_GT(mean.consistency, 0.6);
  std::printf("planted pairs: consistency %.4f, first pair cosine %.4f\n", mean.consistency, mean.pairCosines[0]);
}

TEST(Directions, UnrelatedPairsAreInconsistent) {
  Explorer explorer = loaded();
  std::vector<WordPair> pairs;
  for (uint32_t p = 0; p < 12; ++p) pairs.push_back({100 + 7 * p, 300 + 11 * p});
  const PairDirection d = pairDirection(explorer.table(), explorer.space(), pairs, DirectionMethod::Mean);
  const PairDirection planted = pairDirection(explorer.table(), explorer.space(), plantedPairs(12), DirectionMethod::Mean);
  EXPECT_LT(d.consistency, planted.consistency);
  EXPECT_LT(d.consistency, 0.4);
}

TEST(Directions, BadPairsAreRefusedByName) {
  Explorer explorer = loaded();
  const auto& t = explorer.table();
  const auto& s = explorer.space();
  EXPECT_TRUE(throwsError([&] { pairDirection(t, s, {}, DirectionMethod::Mean); }, ErrorCode::EmptyInput, "at least one word pair"));
  EXPECT_TRUE(throwsError([&] { pairDirection(t, s, {{3, 3}}, DirectionMethod::Mean); }, ErrorCode::BadArgument, "one word twice"));
  EXPECT_TRUE(throwsError([&] { pairDirection(t, s, {{3, 9999}}, DirectionMethod::Mean); }, ErrorCode::BadArgument, "9999"));
  EXPECT_TRUE(throwsError([] { parseDirectionMethod("median"); }, ErrorCode::BadArgument, "median"));
}

TEST(Directions, RankingIsTheFloatScalarProjectionAtBothEnds) {
  Explorer explorer = loaded();
  const PairDirection d = pairDirection(explorer.table(), explorer.space(), plantedPairs(12), DirectionMethod::Mean);
  const std::vector<Vec> units = unitRows(explorer, explorer.space());
  for (size_t among : {size_t(0), size_t(200)}) {
    const size_t rows = among ? among : kRows;
    std::vector<Scored> all;
    for (uint32_t r = 0; r < rows; ++r) all.push_back({r, dot(units[r], d.direction)});
    std::sort(all.begin(), all.end(), testing::betterScored);
    const DirectionEnds ends = rankAlong(explorer.table(), explorer.space(), d.direction, 15, among);
    ASSERT_EQ(ends.positive.size(), 15u);
    ASSERT_EQ(ends.negative.size(), 15u);
    for (size_t i = 0; i < 15; ++i) {
      EXPECT_EQ(ends.positive[i].id, all[i].id) << "among " << among << " top " << i;
      EXPECT_NEAR(ends.positive[i].score, all[i].score, 1e-5f);
      EXPECT_EQ(ends.negative[i].id, all[rows - 1 - i].id) << "among " << among << " bottom " << i;
      EXPECT_NEAR(ends.negative[i].score, all[rows - 1 - i].score, 1e-5f);
    }
    const std::vector<uint32_t> listed = {5, 40, 77};
    const std::vector<float> p = projectOnto(explorer.table(), explorer.space(), d.direction, listed);
    for (size_t i = 0; i < listed.size(); ++i) EXPECT_NEAR(p[i], dot(units[listed[i]], d.direction), 1e-6f);
  }
}

// Neutralised spaces: y' = (I - d d^T) y with d from the pairs' unit vectors
// in the base, compared row by row with the core's unit rows and searches.
void checkNeutralised(Explorer& explorer, const std::string& base, bool centred) {
  const std::string spec = base + "~w0:w1,w2:w3,w4:w5,w6:w7";
  std::vector<Vec> rows = rawRows(explorer.table(), centred);
  std::vector<Vec> baseUnits;
  for (const Vec& y : rows) baseUnits.push_back(normalised(y));
  const Vec d = referenceDirection(baseUnits, plantedPairs(4)).mean;
  std::vector<Vec> neutral;
  for (const Vec& y : rows) neutral.push_back(normalised(removed(y, d)));
  const std::shared_ptr<const Space> space = explorer.spaceFor(spec);
  EXPECT_EQ(space->spec().toString(), spec);
  float worst = 0, along = 0;
  for (uint32_t r = 0; r < kRows; ++r) {
    const Vec u = space->unitRow(explorer.table(), r);
    worst = std::max(worst, maxDifference(u, neutral[r]));
    along = std::max(along, std::fabs(dot(u, d)));
  }
  EXPECT_LT(worst, 2e-5f) << spec;
  EXPECT_LT(along, 2e-5f) << spec;
  // Neighbours of a word through the int8 scan with the space's row factors.
  explorer.setSpace(spec);
  const std::vector<Scored> found = explorer.neighbors(0, 10, {});
  std::vector<Scored> all;
  for (uint32_t r = 1; r < kRows; ++r) all.push_back({r, dot(neutral[0], neutral[r])});
  std::sort(all.begin(), all.end(), testing::betterScored);
  const float bound = testing::queryCosineErrorBound(kDims) + 1e-4f;
  for (size_t i = 0; i < found.size(); ++i) {
    EXPECT_NEAR(found[i].score, dot(neutral[0], neutral[found[i].id]), bound) << spec;
    EXPECT_NEAR(found[i].score, all[i].score, bound) << spec << " rank " << i;
  }
  // An analogy: b - a + c of unit vectors in the neutralised space.
  Vec query(kDims);
  for (size_t k = 0; k < kDims; ++k) query[k] = neutral[11][k] - neutral[10][k] + neutral[12][k];
  std::vector<Scored> best;
  for (uint32_t r = 0; r < kRows; ++r) {
    if (r == 10 || r == 11 || r == 12) continue;
    best.push_back({r, dot(neutral[r], query) / std::sqrt(dot(query, query))});
  }
  std::sort(best.begin(), best.end(), testing::betterScored);
  const std::vector<Scored> answer = explorer.analogy(10, 11, 12, AnalogyOptions{Method::CosAdd, 3, false});
  EXPECT_NEAR(answer[0].score, best[0].score, bound) << spec;
  explorer.setSpace("raw");
}

TEST(NeutralisedSpace, OverRawMatchesAFloatReference) {
  Explorer explorer = loaded();
  checkNeutralised(explorer, "raw", false);
}

TEST(NeutralisedSpace, OverCentredMatchesAFloatReference) {
  Explorer explorer = loaded();
  checkNeutralised(explorer, "centered", true);
}

TEST(NeutralisedSpace, LayersStackAndThePrincipalComponentRuleIsKept) {
  Explorer explorer = loaded();
  std::vector<Vec> rows = rawRows(explorer.table(), false);
  std::vector<Vec> units;
  for (const Vec& y : rows) units.push_back(normalised(y));
  const Vec d1 = referenceDirection(units, plantedPairs(4)).pc;
  for (Vec& y : rows) y = removed(y, d1);
  units.clear();
  for (const Vec& y : rows) units.push_back(normalised(y));
  const std::vector<WordPair> second = {{100, 200}, {101, 201}};
  const Vec d2 = referenceDirection(units, second).mean;
  const std::shared_ptr<const Space> space = explorer.spaceFor("raw~w0:w1,w2:w3,w4:w5,w6:w7@pc~w100:w200,w101:w201");
  EXPECT_EQ(space->spec().toString(), "raw~w0:w1,w2:w3,w4:w5,w6:w7@pc~w100:w200,w101:w201");
  float worst = 0;
  for (uint32_t r = 0; r < kRows; ++r) worst = std::max(worst, maxDifference(space->unitRow(explorer.table(), r), normalised(removed(rows[r], d2))));
  EXPECT_LT(worst, 5e-5f);
}

TEST(NeutralisedSpace, OverAReducedWhitenedSpaceUsesItsCoordinates) {
  Explorer explorer = loaded();
  const std::shared_ptr<const Space> base = explorer.spaceFor("whitened:10");
  std::vector<Vec> ys;
  std::vector<Vec> units;
  for (uint32_t r = 0; r < kRows; ++r) {
    Vec x(kDims), y(10);
    explorer.table().vector(r, x.data());
    base->transform(x.data(), y.data());
    ys.push_back(y);
    units.push_back(normalised(y));
  }
  const Vec d = referenceDirection(units, plantedPairs(4)).mean;
  const std::shared_ptr<const Space> space = explorer.spaceFor("whitened:10~w0:w1,w2:w3,w4:w5,w6:w7");
  ASSERT_EQ(space->dims(), 10u);
  float worst = 0;
  for (uint32_t r = 0; r < kRows; ++r) worst = std::max(worst, maxDifference(space->unitRow(explorer.table(), r), normalised(removed(ys[r], d))));
  EXPECT_LT(worst, 5e-5f);
}

TEST(NeutralisedSpace, SpecsAreCanonicalCachedAndEscaped) {
  Explorer explorer = loaded();
  const auto a = explorer.spaceFor("raw~W0:w1");
  const auto b = explorer.spaceFor("raw~w0:w1@mean");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a->spec().toString(), "raw~w0:w1");
  EXPECT_EQ(explorer.spaceFor("centred~w0:w1")->spec().toString(), "centered~w0:w1");

  const std::vector<std::string> words = {"a:b", "x,y", "50%", "t~o", "e@mail", "plain", "z"};
  const std::vector<float> values = testing::gaussianValues(words.size() * 6, 3);
  Explorer odd;
  odd.load(EmbeddingTable::quantize(values.data(), words.size(), 6, words, "odd words"));
  const std::string spec = "raw~" + escapeSpecWord("a:b") + ":" + escapeSpecWord("x,y") + "," + escapeSpecWord("50%") + ":" +
                           escapeSpecWord("t~o") + "," + escapeSpecWord("e@mail") + ":plain";
  EXPECT_EQ(spec, "raw~a%3Ab:x%2Cy,50%25:t%7Eo,e%40mail:plain");
  const auto space = odd.spaceFor(spec);
  EXPECT_EQ(space->spec().toString(), spec);
  const NeutralLayer layer = NeutralLayer::parse(spec.substr(4));
  ASSERT_EQ(layer.pairs.size(), 3u);
  EXPECT_EQ(layer.pairs[0].first, "a:b");
  EXPECT_EQ(layer.pairs[1].second, "t~o");
  EXPECT_EQ(layer.toString(), spec.substr(3));
}

TEST(NeutralisedSpace, BadSpecsNameTheProblemAndKeepTheCurrentSpace) {
  Explorer explorer = loaded();
  explorer.setSpace("centered");
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("raw~"); }, ErrorCode::EmptyInput, "names no word pairs"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("raw~w0"); }, ErrorCode::BadArgument, "\"w0\" is not a word pair"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("raw~w0:w1:w2"); }, ErrorCode::BadArgument, "not a word pair"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("raw~w0:nosuchword"); }, ErrorCode::UnknownWord, "nosuchword"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("raw~w0:w0"); }, ErrorCode::BadArgument, "one word twice"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("~w0:w1"); }, ErrorCode::BadArgument, "names no space"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("raw~w0:w1@median"); }, ErrorCode::BadArgument, "@pc or @mean"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("bogus~w0:w1"); }, ErrorCode::BadArgument, "unknown space"));
  EXPECT_TRUE(throwsError([&] { explorer.setSpace("raw~w0%2:w1"); }, ErrorCode::BadArgument, "escape"));
  EXPECT_EQ(explorer.space().spec().toString(), "centered");
  EXPECT_EQ(explorer.neighbors(0, 3, {}).size(), 3u);
}

TEST(Contributions, BarsAddUpToTheFloatCosine) {
  Explorer explorer = loaded();
  const std::vector<Vec> units = unitRows(explorer, explorer.space());
  for (auto [a, b] : std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {3, 250}, {17, 18}}) {
    const Contributions c = contributions(units[a], units[b]);
    const float reference = dot(units[a], units[b]);
    EXPECT_NEAR(c.cosine, reference, 1e-6f);
    ASSERT_EQ(c.products.size(), kDims);
    EXPECT_NEAR(c.running.back(), reference, 1e-6f);
    EXPECT_NEAR(c.share.back(), 1.0f, 1e-5f);
    EXPECT_NEAR(c.positiveSum + c.negativeSum, reference, 1e-6f);
    for (size_t i = 0; i < kDims; ++i) {
      EXPECT_NEAR(c.products[i], units[a][c.dims[i]] * units[b][c.dims[i]], 1e-7f);
      if (i) EXPECT_GE(std::fabs(c.products[i - 1]), std::fabs(c.products[i]));
    }
  }
  // Not unit yet: contributions normalise first.
  const Contributions scaled = contributions({3, 0, 4}, {0, 2, 2});
  EXPECT_NEAR(scaled.cosine, 0.8f / std::sqrt(2.0f), 1e-6f);
  EXPECT_TRUE(throwsError([] { contributions({0, 0}, {1, 0}); }, ErrorCode::ZeroQuery, "first vector is zero"));
  EXPECT_TRUE(throwsError([] { contributions({1, 0}, {1, 0, 0}); }, ErrorCode::BadArgument, "vectors of 2 and 3"));
}

TEST(Contributions, AQueryAndAResultAddUpToTheSearchCosine) {
  Explorer explorer = loaded();
  const std::vector<Vec> units = unitRows(explorer, explorer.space());
  std::vector<std::pair<uint32_t, double>> terms;
  const Vec query = expressionVector(explorer.table(), explorer.space(), "w11 - w10 + w12", &terms);
  ASSERT_EQ(terms.size(), 3u);
  Vec reference(kDims);
  for (size_t k = 0; k < kDims; ++k) reference[k] = units[11][k] - units[10][k] + units[12][k];
  EXPECT_LT(maxDifference(query, reference), 1e-6f);
  const std::vector<Scored> answer = explorer.analogy(10, 11, 12, AnalogyOptions{Method::CosAdd, 1, false});
  const Contributions c = contributions(query, units[answer[0].id]);
  EXPECT_NEAR(c.cosine, dot(normalised(reference), units[answer[0].id]), 1e-6f);
  EXPECT_NEAR(c.cosine, answer[0].score, testing::queryCosineErrorBound(kDims));
}

TEST(OddOneOut, CosineToTheOthersMeanMatchesAFloatReference) {
  Explorer explorer = loaded();
  const std::vector<Vec> units = unitRows(explorer, explorer.space());
  const std::vector<uint32_t> ids = {0, 2, 4, 6, 333};
  const std::vector<Scored> out = cosineToOthers(explorer.table(), explorer.space(), ids);
  ASSERT_EQ(out.size(), ids.size());
  for (const Scored& s : out) {
    Vec others(kDims, 0.0f);
    for (uint32_t id : ids)
      if (id != s.id)
        for (size_t k = 0; k < kDims; ++k) others[k] += units[id][k] / 4.0f;
    EXPECT_NEAR(s.score, dot(units[s.id], normalised(others)), 1e-5f);
  }
  for (size_t i = 1; i < out.size(); ++i) EXPECT_LE(out[i - 1].score, out[i].score);
  EXPECT_TRUE(throwsError([&] { cosineToOthers(explorer.table(), explorer.space(), {1, 2}); }, ErrorCode::BadArgument, "at least 3"));
  EXPECT_TRUE(throwsError([&] { cosineToOthers(explorer.table(), explorer.space(), {1, 2, 1}); }, ErrorCode::DuplicateWord, "w1"));
}

// An independent BFS: a plain queue over the lists, parents recorded on
// first discovery, lists read best first.
std::vector<uint32_t> referencePath(const KnnGraph& g, uint32_t from, uint32_t to) {
  std::vector<int64_t> parent(g.points, -2);
  std::deque<uint32_t> queue{from};
  parent[from] = -1;
  while (!queue.empty()) {
    const uint32_t p = queue.front();
    queue.pop_front();
    if (p == to) break;
    for (size_t j = 0; j < g.k; ++j) {
      const uint32_t q = g.neighbors[p * g.k + j];
      if (parent[q] != -2) continue;
      parent[q] = p;
      queue.push_back(q);
    }
  }
  if (parent[to] == -2) return {};
  std::vector<uint32_t> path;
  for (int64_t p = to; p != -1; p = parent[p]) path.push_back(uint32_t(p));
  std::reverse(path.begin(), path.end());
  return path;
}

TEST(Navigator, ShortestPathsMatchAnIndependentBfs) {
  const auto table = std::make_shared<const EmbeddingTable>(testing::randomTable(400, 16, 5));
  const auto space = std::make_shared<const Space>(*table, SpaceSpec{}, nullptr);
  std::vector<uint32_t> ids(400);
  for (uint32_t i = 0; i < 400; ++i) ids[i] = i;
  const KnnGraph graph = knnGraph(table, space, ids, 10);
  size_t reachable = 0, longest = 0;
  for (uint32_t from : {0u, 17u, 399u}) {
    const std::vector<uint32_t> hops = hopsFrom(graph, from);
    for (uint32_t to = 0; to < 400; ++to) {
      const std::vector<uint32_t> path = shortestPath(graph, from, to);
      const std::vector<uint32_t> reference = referencePath(graph, from, to);
      ASSERT_EQ(path, reference) << from << " -> " << to;
      if (path.empty()) {
        EXPECT_EQ(hops[to], kUnreachable);
        continue;
      }
      ++reachable;
      longest = std::max(longest, path.size() - 1);
      EXPECT_EQ(hops[to], path.size() - 1);
      for (size_t h = 1; h < path.size(); ++h) {
        const uint32_t* list = graph.neighbors.data() + size_t(path[h - 1]) * 10;
        EXPECT_NE(std::find(list, list + 10, path[h]), list + 10) << "hop " << h << " is not a nearest-10 edge";
      }
    }
  }
  EXPECT_GT(reachable, 0u);
  std::printf("navigator: %zu of 1200 targets reachable, longest shortest path %zu hops\n", reachable, longest);
  // hopsTo is hopsFrom read the other way round.
  const std::vector<uint32_t> toTarget = hopsTo(graph, 42);
  for (uint32_t from = 0; from < 400; from += 13) EXPECT_EQ(toTarget[from], hopsFrom(graph, from)[42]) << from;
}

TEST(Navigator, UnreachableTargetsAndSeededPairs) {
  // A hand-made directed graph: 0 -> 1 -> 2 -> 3, 3 -> 0, and 4 <-> 5 apart.
  KnnGraph g;
  g.points = 6;
  g.k = 1;
  g.neighbors = {1, 2, 3, 0, 5, 4};
  g.cosines.assign(6, 0.5f);
  EXPECT_EQ(shortestPath(g, 0, 3), (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(shortestPath(g, 3, 2), (std::vector<uint32_t>{3, 0, 1, 2}));
  EXPECT_TRUE(shortestPath(g, 0, 4).empty());
  EXPECT_EQ(shortestPath(g, 2, 2), (std::vector<uint32_t>{2}));
  EXPECT_EQ(hopsTo(g, 0), (std::vector<uint32_t>{0, 3, 2, 1, kUnreachable, kUnreachable}));
  const auto [start, target] = pickPathPair(g, 3, 7);
  EXPECT_EQ(shortestPath(g, start, target).size(), 4u);
  EXPECT_EQ(pickPathPair(g, 3, 7), std::make_pair(start, target));
  EXPECT_TRUE(throwsError([&] { pickPathPair(g, 4, 1); }, ErrorCode::BadArgument, "longest shortest path found was 3"));
  EXPECT_TRUE(throwsError([&] { shortestPath(g, 0, 6); }, ErrorCode::BadArgument, "target position 6"));
  EXPECT_TRUE(throwsError([&] { pickPathPair(g, 0, 1); }, ErrorCode::BadArgument, "at least 1 hop"));
}

}  // namespace
}  // namespace explorer
