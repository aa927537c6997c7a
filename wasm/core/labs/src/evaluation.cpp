#include "explorer/evaluation.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <sstream>

#include "explorer/analogy_question.h"
#include "explorer/errors.h"

namespace explorer {

namespace {

std::vector<std::string> splitWhitespace(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string token;
  while (in >> token) out.push_back(token);
  return out;
}

template <typename OnLine>
void forEachLine(const std::string& text, OnLine&& onLine) {
  size_t start = 0, number = 1;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    onLine(line, number++);
    start = end + 1;
  }
}

}  // namespace

AnalogyEvaluation::AnalogyEvaluation(std::shared_ptr<const EmbeddingTable> table, std::shared_ptr<const Space> space,
                                     const std::string& text, Method method)
    : table_(std::move(table)), space_(std::move(space)), method_(method) {
  if (!table_ || !space_) fail(ErrorCode::BadArgument, "no embedding table is loaded");
  const Vocabulary& vocabulary = table_->vocabulary();
  forEachLine(text, [&](const std::string& line, size_t number) {
    if (line.rfind(": ", 0) == 0) {
      sections_.push_back({line.substr(2), 0, 0});
      return;
    }
    const std::vector<std::string> words = splitWhitespace(line);
    if (words.empty()) return;
    if (sections_.empty()) {
      fail(ErrorCode::BadArgument, "analogy file: missing \": section\" header before line " + std::to_string(number));
    }
    if (words.size() != 4) {
      ++invalidLines_;  // gensim skips such lines too
      return;
    }
    uint32_t ids[4];
    for (int k = 0; k < 4; ++k) {
      const auto id = vocabulary.find(words[k]);
      if (!id) {
        ++skipped_;
        return;
      }
      ids[k] = *id;
    }
    items_.push_back({uint32_t(sections_.size() - 1), ids[0], ids[1], ids[2], ids[3]});
  });
  if (sections_.empty() && items_.empty()) fail(ErrorCode::EmptyInput, "analogy file has no questions");
  predictions_.reserve(items_.size());
}

bool AnalogyEvaluation::step(size_t maxQuestions) {
  if (maxQuestions == 0) fail(ErrorCode::BadArgument, "a step must evaluate at least one question");
  const size_t end = std::min(items_.size(), next_ + maxQuestions);
  std::vector<Question> batch;
  batch.reserve(end - next_);
  // Questions are built against the space the evaluation started in.
  for (size_t i = next_; i < end; ++i) {
    const AnalogyItem& item = items_[i];
    Question q = makeAnalogyQuestion(*table_, *space_, item.a, item.b, item.c, method_, /*includeInputs=*/false);
    batch.push_back(std::move(q));
  }
  const auto results = searchBatch(*table_, *space_, batch, 1);
  for (size_t i = next_; i < end; ++i) {
    const auto& top = results[i - next_];
    const uint32_t predicted = top.empty() ? UINT32_MAX : top[0].id;
    predictions_.push_back(predicted);
    SectionScore& section = sections_[items_[i].section];
    ++section.count;
    if (predicted == items_[i].expected) {
      ++section.correct;
      ++correct_;
    }
  }
  next_ = end;
  return finished();
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2) return NAN;
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return (sxx > 0 && syy > 0) ? sxy / std::sqrt(sxx * syy) : NAN;
}

namespace {

std::vector<double> averageRanks(const std::vector<double>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double rank = (double(i) + double(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

}  // namespace

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson(averageRanks(x), averageRanks(y));
}

PairScores evaluatePairs(const EmbeddingTable& table, const Space& space, const std::string& text) {
  const Vocabulary& vocabulary = table.vocabulary();
  PairScores scores;
  std::vector<double> human, model;
  forEachLine(text, [&](const std::string& rawLine, size_t) {
    const std::string line = rawLine.substr(0, rawLine.find('#'));
    const std::vector<std::string> fields = splitWhitespace(line);
    if (fields.empty()) return;
    char* end = nullptr;
    const double score = fields.size() == 3 ? std::strtod(fields[2].c_str(), &end) : NAN;
    if (fields.size() != 3 || end != fields[2].c_str() + fields[2].size() || !std::isfinite(score)) {
      ++scores.invalidLines;  // e.g. a "word1 word2 score" header
      return;
    }
    const auto a = vocabulary.find(fields[0]), b = vocabulary.find(fields[1]);
    if (!a || !b) {
      ++scores.oov;
      return;
    }
    human.push_back(score);
    const std::vector<float> ua = space.unitRow(table, *a), ub = space.unitRow(table, *b);
    double cosine = 0;
    for (size_t i = 0; i < ua.size(); ++i) cosine += double(ua[i]) * ub[i];
    model.push_back(cosine);
  });
  scores.pairs = human.size();
  if (scores.pairs < 2) {
    fail(ErrorCode::EmptyInput, "word-pair file has " + std::to_string(scores.pairs) +
                                    " usable pairs; need at least 2 \"word1 word2 score\" lines with known words");
  }
  scores.pearson = pearson(human, model);
  scores.spearman = spearman(human, model);
  return scores;
}

}  // namespace explorer
