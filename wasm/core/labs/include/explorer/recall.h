// recall@10 of the int8 search against float32: one definition, used by the
// load report's probe and by the quantization lab.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "explorer/formats/table_builder.h"
#include "explorer/search.h"
#include "explorer/table.h"

namespace explorer {

constexpr size_t kRecallK = 10;

// Averages, over queries, the share of a reference top list (float32) that
// the list under test also holds. A query with an empty reference (a
// one-row table has no neighbour) is not counted; with none counted the
// mean is 1, since nothing could be missed.
class RecallMeter {
 public:
  void add(const std::vector<Scored>& found, const std::vector<Scored>& reference);
  double mean() const { return queries_ ? sum_ / double(queries_) : 1.0; }
  size_t queries() const { return queries_; }

 private:
  double sum_ = 0;
  size_t queries_ = 0;
};

struct RecallResult {
  double recallAt10 = 1;
  size_t queries = 0;
};

// The load report's recall probe: a row subscriber of TableBuilder (the
// hook FloatCopy uses) that scores every row in float32 while the floats
// are at hand, then asks the same queries of the finished int8 table.
//
// Queries: the float unit vectors of the first 2,000 kept rows are held
// until the 2,000th arrives (or the end); then 100 of them are drawn with
// the seed (seeded so a report is reproducible; from the head because
// files are usually in frequency order, so the queries are common words,
// which is what a learner looks up). Every row is scored against them as
// it streams by, keeping a float32 top-10 per query. To bound the float
// work on huge tables (400k x 300), queries are dropped from the end of
// the random draw once queries x rows x dims passes 5e8 (never below 20).
class RecallProbe {
 public:
  explicit RecallProbe(uint64_t seed = 1);
  ~RecallProbe();
  RecallProbe(const RecallProbe&) = delete;
  RecallProbe& operator=(const RecallProbe&) = delete;

  // Subscribes to every row `builder` keeps from now on; the probe must
  // outlive the builder's last row.
  void attach(TableBuilder& builder);
  // After builder.finish(): the int8 search of the same queries on `table`
  // in the raw space, against the float32 lists.
  RecallResult measure(const EmbeddingTable& table);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace explorer
