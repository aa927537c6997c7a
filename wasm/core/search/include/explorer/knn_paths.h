// Paths through a k-NN graph: the neighbour navigator's game.
//
// A hop goes from a point to one of its k nearest neighbours, so the graph
// is directed (b may be among a's nearest without a being among b's).
// Shortest paths come from breadth-first search that visits each list best
// first, so among equally short paths the one through nearer neighbours
// wins, and the same graph always gives the same path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "explorer/knn_graph.h"

namespace explorer {

constexpr uint32_t kUnreachable = std::numeric_limits<uint32_t>::max();

// Hops from `from` to every point (kUnreachable where there is no path).
std::vector<uint32_t> hopsFrom(const KnnGraph& graph, uint32_t from);
// Hops from every point to `to`, along the graph's directed edges (the
// navigator's hints: which neighbour is closer to the target).
std::vector<uint32_t> hopsTo(const KnnGraph& graph, uint32_t to);
// The shortest path from `from` to `to` as positions, both ends included;
// empty when `to` cannot be reached. Throws BadArgument for a position out
// of the graph.
std::vector<uint32_t> shortestPath(const KnnGraph& graph, uint32_t from, uint32_t to);

// A seeded (start, target) pair whose shortest path has exactly `hops`
// hops: starts are drawn with `seed` until one has points at that
// distance, then the target is drawn among them. Throws BadArgument when
// hops is 0 or no point of the graph has a target that far.
std::pair<uint32_t, uint32_t> pickPathPair(const KnnGraph& graph, size_t hops, uint64_t seed);

}  // namespace explorer
