// Benchmarks over files: word analogies (word2vec questions-words format)
// and word-pair similarity (word1 word2 score).
//
// The analogy rules are gensim's evaluate_word_analogies: case-insensitive,
// a question with any word outside the table is skipped, the three inputs
// are never predicted, and accuracy is reported per section and in total.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "explorer/search.h"
#include "explorer/space.h"
#include "explorer/table.h"

namespace explorer {

struct SectionScore {
  std::string name;
  size_t correct = 0, count = 0;
};

struct AnalogyItem {
  uint32_t section;
  uint32_t a, b, c, expected;
};

// Runs in steps so a caller (the JS wrapper, a worker) can report progress
// and cancel between them; each step scans the table once for a whole
// batch of questions instead of once per question.
class AnalogyEvaluation {
 public:
  // Evaluates in `space`, which need not be the space the explorer shows;
  // the handles keep the table and space alive while it runs. Throws
  // BadArgument when no table is given (nothing loaded).
  AnalogyEvaluation(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                    const std::string& text, Method method);

  // Evaluates up to `maxQuestions` more questions; returns true when done.
  bool step(size_t maxQuestions);
  bool finished() const { return next_ == items_.size(); }
  size_t evaluated() const { return next_; }
  size_t questionCount() const { return items_.size(); }  // in-vocabulary questions
  size_t skipped() const { return skipped_; }             // questions with unknown words
  size_t invalidLines() const { return invalidLines_; }
  size_t correct() const { return correct_; }
  const std::vector<SectionScore>& sections() const { return sections_; }
  const std::vector<AnalogyItem>& items() const { return items_; }
  // Predicted id per evaluated question (UINT32_MAX if nothing was found).
  const std::vector<uint32_t>& predictions() const { return predictions_; }
  const Space& space() const { return *space_; }

 private:
  std::shared_ptr<const EmbeddingTable> table_;
  std::shared_ptr<const Space> space_;
  Method method_;
  std::vector<SectionScore> sections_;
  std::vector<AnalogyItem> items_;
  std::vector<uint32_t> predictions_;
  size_t next_ = 0, skipped_ = 0, invalidLines_ = 0, correct_ = 0;
};

struct PairScores {
  double spearman = 0, pearson = 0;
  size_t pairs = 0, oov = 0, invalidLines = 0;
};

// Cosine similarity in `space` against human scores. Lines are
// "word1 word2 score", tab or space separated; '#' starts a comment.
PairScores evaluatePairs(const EmbeddingTable& table, const Space& space, const std::string& text);

double pearson(const std::vector<double>& x, const std::vector<double>& y);
// Pearson correlation of the ranks, ties getting their average rank.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace explorer
