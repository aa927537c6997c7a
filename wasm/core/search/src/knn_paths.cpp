#include "explorer/knn_paths.h"

#include <string>

#include "explorer/errors.h"
#include "explorer/sampling.h"

namespace explorer {

namespace {

void requirePoint(const KnnGraph& graph, uint32_t point, const char* what) {
  if (point >= graph.points) {
    fail(ErrorCode::BadArgument, std::string(what) + " position " + std::to_string(point) + " is outside the graph of " +
                                     std::to_string(graph.points) + " points");
  }
}

// BFS from `source`; parent[p] is the point p was first reached from.
std::vector<uint32_t> breadthFirst(const KnnGraph& graph, uint32_t source, std::vector<uint32_t>* parent) {
  std::vector<uint32_t> hops(graph.points, kUnreachable);
  if (parent) parent->assign(graph.points, kUnreachable);
  std::vector<uint32_t> queue{source};
  hops[source] = 0;
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t p = queue[head];
    const uint32_t* list = graph.neighbors.data() + size_t(p) * graph.k;
    for (size_t j = 0; j < graph.k; ++j) {
      const uint32_t q = list[j];
      if (hops[q] != kUnreachable) continue;
      hops[q] = hops[p] + 1;
      if (parent) (*parent)[q] = p;
      queue.push_back(q);
    }
  }
  return hops;
}

}  // namespace

std::vector<uint32_t> hopsFrom(const KnnGraph& graph, uint32_t from) {
  requirePoint(graph, from, "start");
  return breadthFirst(graph, from, nullptr);
}

std::vector<uint32_t> hopsTo(const KnnGraph& graph, uint32_t to) {
  requirePoint(graph, to, "target");
  // BFS from the target over the reversed edges.
  std::vector<uint32_t> offsets(graph.points + 1, 0);
  for (uint32_t q : graph.neighbors) ++offsets[q + 1];
  for (size_t p = 0; p < graph.points; ++p) offsets[p + 1] += offsets[p];
  std::vector<uint32_t> incoming(graph.neighbors.size()), fill(offsets.begin(), offsets.end() - 1);
  for (size_t p = 0; p < graph.points; ++p) {
    for (size_t j = 0; j < graph.k; ++j) incoming[fill[graph.neighbors[p * graph.k + j]]++] = uint32_t(p);
  }
  std::vector<uint32_t> hops(graph.points, kUnreachable);
  std::vector<uint32_t> queue{to};
  hops[to] = 0;
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t q = queue[head];
    for (uint32_t i = offsets[q]; i < offsets[q + 1]; ++i) {
      const uint32_t p = incoming[i];
      if (hops[p] != kUnreachable) continue;
      hops[p] = hops[q] + 1;
      queue.push_back(p);
    }
  }
  return hops;
}

std::vector<uint32_t> shortestPath(const KnnGraph& graph, uint32_t from, uint32_t to) {
  requirePoint(graph, from, "start");
  requirePoint(graph, to, "target");
  std::vector<uint32_t> parent;
  const std::vector<uint32_t> hops = breadthFirst(graph, from, &parent);
  if (hops[to] == kUnreachable) return {};
  std::vector<uint32_t> path(hops[to] + 1);
  for (uint32_t p = to, i = hops[to];; p = parent[p], --i) {
    path[i] = p;
    if (i == 0) break;
  }
  return path;
}

std::pair<uint32_t, uint32_t> pickPathPair(const KnnGraph& graph, size_t hops, uint64_t seed) {
  if (hops == 0) fail(ErrorCode::BadArgument, "a navigator path needs at least 1 hop");
  if (graph.points < 2) fail(ErrorCode::BadArgument, "the graph has fewer than 2 points");
  SplitMix64 random(seed);
  // Each draw costs one BFS; most starts reach most points within a few
  // hops, so a few dozen draws find a pair whenever one is common.
  constexpr size_t kDraws = 64;
  size_t deepest = 0;
  for (size_t draw = 0; draw < kDraws; ++draw) {
    const auto start = uint32_t(random.below(graph.points));
    const std::vector<uint32_t> reached = breadthFirst(graph, start, nullptr);
    std::vector<uint32_t> atDistance;
    for (uint32_t p = 0; p < graph.points; ++p) {
      if (reached[p] == hops) atDistance.push_back(p);
      if (reached[p] != kUnreachable) deepest = std::max<size_t>(deepest, reached[p]);
    }
    if (!atDistance.empty()) return {start, atDistance[random.below(atDistance.size())]};
  }
  fail(ErrorCode::BadArgument, "no start word of " + std::to_string(kDraws) + " seeded draws has a target " +
                                   std::to_string(hops) + " hops away (the longest shortest path found was " +
                                   std::to_string(deepest) + ")");
}

}  // namespace explorer
