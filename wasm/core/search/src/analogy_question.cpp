#include "explorer/analogy_question.h"

namespace explorer {

Question makeAnalogyQuestion(const EmbeddingTable& table, const Space& space, uint32_t a, uint32_t b, uint32_t c,
                             Method method, bool includeInputs) {
  const std::vector<float> ua = space.unitRow(table, a), ub = space.unitRow(table, b), uc = space.unitRow(table, c);
  Question q;
  q.method = method;
  if (method == Method::CosAdd) {
    q.directions.resize(ua.size());
    for (size_t i = 0; i < ua.size(); ++i) q.directions[i] = ub[i] - ua[i] + uc[i];
  } else {
    q.directions = ua;
    q.directions.insert(q.directions.end(), ub.begin(), ub.end());
    q.directions.insert(q.directions.end(), uc.begin(), uc.end());
  }
  if (!includeInputs) q.exclude = {a, b, c};
  return q;
}

}  // namespace explorer
