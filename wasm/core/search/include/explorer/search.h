// Brute-force cosine search over the int8 table, in any space.
//
// One pass of the dot kernel scores every row against a batch of queries;
// a small sorted top-k per query keeps the best. Exact over the int8 codes,
// so the float32 brute force in the tests is the oracle for recall.
#pragma once

#include <cstdint>
#include <vector>

#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

struct Scored {
  uint32_t id;
  float score;
};

enum class Method {
  CosAdd,  // cos(x, b - a + c) on unit vectors (Mikolov et al. 2013)
  CosMul,  // cos'(x,b) cos'(x,c) / (cos'(x,a) + eps), cos' = (1 + cos) / 2
           // (Levy & Goldberg 2014)
};

// Levy & Goldberg's epsilon; it keeps the ratio finite when cos'(x,a) = 0.
constexpr float kCosMulEpsilon = 0.001f;

// One search: a method, its query directions in space coordinates (one for
// CosAdd/plain neighbours, three unit vectors a, b, c for CosMul), and the
// rows it must not return.
struct Question {
  Method method = Method::CosAdd;
  std::vector<float> directions;  // 1 or 3 x space dims
  std::vector<uint32_t> exclude;
};

// Keeps the k best (score, id) pairs, best first; ties go to the smaller id
// (the more frequent word), which makes results deterministic.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { items_.reserve(k + 1); }
  // The score a new item must reach; +inf when k is 0 (nothing may enter).
  float threshold() const {
    if (k_ == 0) return INFINITY;
    return items_.size() < k_ ? -INFINITY : items_.back().score;
  }
  void push(uint32_t id, float score);
  const std::vector<Scored>& items() const { return items_; }

 private:
  size_t k_;
  std::vector<Scored> items_;
};

// Top k rows for each question, in one pass over the table.
std::vector<std::vector<Scored>> searchBatch(const EmbeddingTable& table, const Space& space,
                                             const std::vector<Question>& questions, size_t k);

// The 1-based rank `target` would get among rows that are not excluded,
// and its score.
Scored rankOf(const EmbeddingTable& table, const Space& space, const Question& question, uint32_t target);

// The score a question gives one row, computed the same way the scan does.
float scoreRow(const EmbeddingTable& table, const Space& space, const Question& question, uint32_t row);

}  // namespace explorer
