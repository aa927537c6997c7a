// The quantization lab: what int8 (and int4) codes cost a user's float
// table in search quality, analogy accuracy, memory and query latency.
//
// A table loaded with keepFloats keeps a float32 copy of its unit rows
// beside the int8 table (FloatCopy). The lab then runs the same queries
// three ways, in the raw space:
//   float32  brute force over the float copy (Eigen), the reference;
//   int8     the real table and search code (searchBatch, SIMD kernel);
//   int4     per-row symmetric 4-bit codes of the same unit rows
//            (c = round(7 u / max|u|)), two per byte, scanned by
//            unpacking a block of rows to floats; a reference loop, not a
//            tuned kernel, so its latency is an upper bound.
// recall@10 is the overlap with float32's top 10 for a seeded sample of
// words as queries (each excluding itself); analogy accuracy uses 3CosAdd
// and the question rules of AnalogyEvaluation (evaluation.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "explorer/float_copy.h"
#include "explorer/table.h"

namespace explorer {

struct LabOptions {
  std::string questions;  // questions-words text; empty: no analogy figures
  size_t sample = 200;    // query words for recall@10 and latency
  uint64_t seed = 1;
};

struct LabVariant {
  uint64_t bytes = 0;          // memory the vectors take in this form
  double queryMs = 0;          // mean time of one top-10 query
  double recallAt10 = 0;       // against float32 (1 for float32 itself)
  double analogyAccuracy = 0;  // 3CosAdd top-1, NaN without questions
  size_t analogyCorrect = 0;
};

struct LabReport {
  LabVariant float32, int8, int4;
  size_t sample = 0;             // queries behind recall and latency
  size_t analogyQuestions = 0;   // in-vocabulary questions evaluated
  size_t analogySkipped = 0;     // questions with a word outside the table
};

// Runs in steps, like AnalogyEvaluation, so a worker can show progress and
// cancel: first the sampled neighbour queries, then the analogy questions
// in batches (one pass over each form of the table per batch). It keeps
// the table and the float rows it started with.
class QuantizationLab {
 public:
  // Throws BadArgument when `table` is null (nothing loaded) or `floats`
  // is not a copy of it (another shape, or rows that disagree with its
  // codes), and what AnalogyEvaluation throws for a malformed question file.
  QuantizationLab(std::shared_ptr<const EmbeddingTable> table, const FloatCopy& floats, const LabOptions& options);
  ~QuantizationLab();

  // Runs up to `maxUnits` more units (a neighbour query or an analogy
  // question each); returns true when done.
  bool step(size_t maxUnits);
  bool finished() const;
  size_t done() const;
  size_t total() const;
  // The figures; complete once finished().
  LabReport report() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// All steps at once.
LabReport runQuantizationLab(std::shared_ptr<const EmbeddingTable> table, const FloatCopy& floats,
                             const LabOptions& options);

}  // namespace explorer
