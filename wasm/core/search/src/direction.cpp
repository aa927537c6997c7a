#include "explorer/direction.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <Eigen/Dense>

#include "explorer/errors.h"
#include "explorer/expression.h"

namespace explorer {

DirectionMethod parseDirectionMethod(const std::string& text) {
  if (text == "mean") return DirectionMethod::Mean;
  if (text == "pc" || text == "pca") return DirectionMethod::PrincipalComponent;
  fail(ErrorCode::BadArgument, "unknown direction method \"" + text + "\" (expected mean or pc)");
}

const char* directionMethodName(DirectionMethod method) {
  return method == DirectionMethod::Mean ? "mean" : "pc";
}

namespace {

void requireIds(const EmbeddingTable& table, const std::vector<uint32_t>& ids) {
  for (uint32_t id : ids) {
    if (id >= table.rows()) fail(ErrorCode::BadArgument, "row id " + std::to_string(id) + " is out of range");
  }
}

Eigen::VectorXd unitColumn(const EmbeddingTable& table, const Space& space, uint32_t id) {
  const std::vector<float> u = space.unitRow(table, id);
  return Eigen::Map<const Eigen::VectorXf>(u.data(), Eigen::Index(u.size())).cast<double>();
}

// A difference shorter than this is one word twice (or two rows the
// space maps to one point): it has no direction.
constexpr double kNoDifference = 1e-9;

}  // namespace

PairDirection pairDirection(const EmbeddingTable& table, const Space& space, const std::vector<WordPair>& pairs,
                            DirectionMethod method) {
  if (pairs.empty()) fail(ErrorCode::EmptyInput, "a direction needs at least one word pair");
  const size_t d = space.dims(), n = pairs.size();
  Eigen::MatrixXd deltas(d, n);
  for (size_t i = 0; i < n; ++i) {
    requireIds(table, {pairs[i].from, pairs[i].to});
    deltas.col(i) = unitColumn(table, space, pairs[i].to) - unitColumn(table, space, pairs[i].from);
  }
  PairDirection out;
  out.method = method;
  out.pairLengths.resize(n);
  size_t used = 0;
  Eigen::VectorXd meanOfNormalised = Eigen::VectorXd::Zero(d);
  for (size_t i = 0; i < n; ++i) {
    const double length = deltas.col(i).norm();
    out.pairLengths[i] = float(length);
    if (length < kNoDifference) continue;
    meanOfNormalised += deltas.col(i) / length;
    ++used;
  }
  if (used == 0) fail(ErrorCode::BadArgument, "every pair is one word twice, so the pairs give no direction");
  meanOfNormalised /= double(used);

  // The pairs' second moment through its n x n Gram matrix: the same
  // nonzero eigenvalues as the d x d one, and far cheaper for a handful of
  // pairs in hundreds of dimensions.
  const Eigen::MatrixXd gram = deltas.transpose() * deltas;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram);
  if (solver.info() != Eigen::Success) fail(ErrorCode::BadData, "eigen-decomposition of the pair differences failed");
  const Eigen::VectorXd values = solver.eigenvalues().reverse().cwiseMax(0.0);
  const double total = values.sum();
  for (Eigen::Index k = 0; k < std::min<Eigen::Index>(values.size(), 10); ++k) {
    out.componentShares.push_back(total > 0 ? values[k] / total : 0.0);
  }
  out.consistency = out.componentShares.empty() ? 0 : out.componentShares[0];

  Eigen::VectorXd direction;
  if (method == DirectionMethod::Mean) {
    direction = meanOfNormalised;
  } else {
    direction = deltas * solver.eigenvectors().col(n - 1);
    // A principal axis has no sign of its own: point it from the "from"
    // words to the "to" words, as the mean does.
    if (direction.dot(deltas.rowwise().sum()) < 0) direction = -direction;
  }
  const double length = direction.norm();
  if (!(length > kNoDifference)) fail(ErrorCode::BadArgument, "the pair differences cancel out: they give no direction");
  direction /= length;
  out.direction.resize(d);
  for (size_t k = 0; k < d; ++k) out.direction[k] = float(direction[k]);
  out.pairCosines.resize(n);
  for (size_t i = 0; i < n; ++i) {
    out.pairCosines[i] = out.pairLengths[i] < kNoDifference ? 0.0f : float(deltas.col(i).dot(direction) / out.pairLengths[i]);
  }
  return out;
}

namespace {

void requireDirection(const Space& space, const std::vector<float>& direction) {
  if (direction.size() != space.dims()) {
    fail(ErrorCode::BadArgument, "the direction has " + std::to_string(direction.size()) + " values; the space has " +
                                     std::to_string(space.dims()) + " dimensions");
  }
}

float dotOf(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (size_t k = 0; k < a.size(); ++k) sum += double(a[k]) * b[k];
  return float(sum);
}

}  // namespace

std::vector<float> projectOnto(const EmbeddingTable& table, const Space& space, const std::vector<float>& direction,
                               const std::vector<uint32_t>& ids) {
  requireDirection(space, direction);
  requireIds(table, ids);
  std::vector<float> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) out[i] = dotOf(space.unitRow(table, ids[i]), direction);
  return out;
}

DirectionEnds rankAlong(const EmbeddingTable& table, const Space& space, const std::vector<float>& direction,
                        size_t count, size_t amongRows) {
  requireDirection(space, direction);
  const size_t rows = amongRows == 0 ? table.rows() : std::min(amongRows, table.rows());
  if (count == 0 || count > 10000) fail(ErrorCode::BadArgument, "count must be between 1 and 10000, got " + std::to_string(count));
  // The int8 scan picks candidates; its cosines are off by ~1e-3, enough to
  // swap words near the cut, so a margin of extra candidates is re-scored
  // in float32 (as the k-NN graph does).
  const size_t candidates = std::min(rows, count + std::max<size_t>(count, 10));
  std::vector<float> both(2 * space.dims());
  for (size_t k = 0; k < space.dims(); ++k) {
    both[k] = direction[k];
    both[space.dims() + k] = -direction[k];
  }
  const MappedQueries mapped = space.mapQueries(both.data(), 2, table.paddedDims());
  TopK top(candidates), bottom(candidates);
  const float* rowGain = space.rowGain().data();
  const float* rowBias = space.rowBias().data();
  scanTable(table, mapped.codes.data(), 2, [&](size_t first, size_t chunkRows, const int32_t* dots, size_t stride) {
    for (size_t r = 0; r < chunkRows && first + r < rows; ++r) {
      const size_t i = first + r;
      for (size_t q = 0; q < 2; ++q) {
        const float cosine = mapped.gain[q] * float(dots[q * stride + r]) * rowGain[i] + mapped.bias[q] * rowBias[i];
        (q == 0 ? top : bottom).push(uint32_t(i), cosine);
      }
    }
  });
  auto rescore = [&](const std::vector<Scored>& found, float sign) {
    std::vector<Scored> exact;
    for (const Scored& s : found) exact.push_back({s.id, dotOf(space.unitRow(table, s.id), direction)});
    std::sort(exact.begin(), exact.end(), [&](const Scored& a, const Scored& b) {
      return sign * a.score > sign * b.score || (a.score == b.score && a.id < b.id);
    });
    if (exact.size() > count) exact.resize(count);
    return exact;
  };
  return {rescore(top.items(), 1.0f), rescore(bottom.items(), -1.0f)};
}

Contributions contributions(std::vector<float> u, std::vector<float> v) {
  if (u.size() != v.size()) {
    fail(ErrorCode::BadArgument, "vectors of " + std::to_string(u.size()) + " and " + std::to_string(v.size()) + " values");
  }
  auto normalise = [](std::vector<float>& x, const char* which) {
    double sum = 0;
    for (float value : x) sum += double(value) * value;
    if (!(sum > 0)) fail(ErrorCode::ZeroQuery, std::string("the ") + which + " vector is zero, so it has no cosine");
    const double inv = 1.0 / std::sqrt(sum);
    for (float& value : x) value = float(value * inv);
  };
  normalise(u, "first");
  normalise(v, "second");
  Contributions out;
  const size_t d = u.size();
  std::vector<float> products(d);
  for (size_t k = 0; k < d; ++k) products[k] = u[k] * v[k];
  out.dims.resize(d);
  std::iota(out.dims.begin(), out.dims.end(), 0u);
  std::stable_sort(out.dims.begin(), out.dims.end(),
                   [&](uint32_t a, uint32_t b) { return std::fabs(products[a]) > std::fabs(products[b]); });
  double running = 0, positive = 0, negative = 0;
  for (uint32_t k : out.dims) {
    const float p = products[k];
    running += p;
    (p >= 0 ? positive : negative) += p;
    out.products.push_back(p);
    out.running.push_back(float(running));
  }
  out.cosine = float(running);
  out.positiveSum = float(positive);
  out.negativeSum = float(negative);
  for (float r : out.running) out.share.push_back(running != 0 ? float(r / running) : 0.0f);
  return out;
}

std::vector<float> expressionVector(const EmbeddingTable& table, const Space& space, const std::string& text,
                                    std::vector<std::pair<uint32_t, double>>* terms) {
  const Vocabulary& vocabulary = table.vocabulary();
  const auto parsed = parseExpression(text, [&](const std::string& w) { return vocabulary.find(w).has_value(); });
  std::vector<float> sum(space.dims(), 0.0f);
  for (const ExpressionTerm& term : parsed) {
    const uint32_t id = vocabulary.require(term.word);
    const std::vector<float> u = space.unitRow(table, id);
    for (size_t k = 0; k < u.size(); ++k) sum[k] += float(term.weight) * u[k];
    if (terms) terms->emplace_back(id, term.weight);
  }
  return sum;
}

std::vector<Scored> cosineToOthers(const EmbeddingTable& table, const Space& space, const std::vector<uint32_t>& ids) {
  requireIds(table, ids);
  if (ids.size() < 3) fail(ErrorCode::BadArgument, "odd-one-out needs at least 3 words, got " + std::to_string(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (ids[i] == ids[j]) {
        const std::string& w = table.vocabulary().word(ids[i]);
        throw Error(ErrorCode::DuplicateWord, "\"" + w + "\" is given twice", w);
      }
    }
  }
  const size_t d = space.dims();
  std::vector<std::vector<float>> units;
  std::vector<double> sum(d, 0.0);
  for (uint32_t id : ids) {
    units.push_back(space.unitRow(table, id));
    for (size_t k = 0; k < d; ++k) sum[k] += units.back()[k];
  }
  std::vector<Scored> out;
  for (size_t w = 0; w < ids.size(); ++w) {
    double dot = 0, othersNorm = 0;
    for (size_t k = 0; k < d; ++k) {
      const double others = sum[k] - units[w][k];  // the mean's length cancels in the cosine
      dot += units[w][k] * others;
      othersNorm += others * others;
    }
    out.push_back({ids[w], float(othersNorm > 0 ? dot / std::sqrt(othersNorm) : 0.0)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) { return a.score < b.score; });
  return out;
}

namespace {

bool isSpecial(unsigned char c) { return c == '%' || c == '~' || c == ',' || c == ':' || c == '@' || c <= ' ' || c == 0x7f; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string unescapeSpecWord(const std::string& text, const std::string& layer) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || hexValue(text[i + 1]) < 0 || hexValue(text[i + 2]) < 0) {
      fail(ErrorCode::BadArgument, "neutralised space \"~" + layer + "\": \"%\" must start an escape like %3A");
    }
    out += char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
    i += 2;
  }
  return out;
}

}  // namespace

std::string escapeSpecWord(const std::string& word) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : word) {
    if (isSpecial(c)) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += char(c);
    }
  }
  return out;
}

NeutralLayer NeutralLayer::parse(const std::string& text) {
  NeutralLayer layer;
  std::string body = text;
  const auto at = body.rfind('@');
  if (at != std::string::npos) {
    const std::string method = body.substr(at + 1);
    if (method != "pc" && method != "mean") {
      fail(ErrorCode::BadArgument, "neutralised space \"~" + text + "\": expected @pc or @mean after the pairs, got @" + method);
    }
    layer.method = parseDirectionMethod(method);
    body = body.substr(0, at);
  }
  if (body.empty()) {
    fail(ErrorCode::EmptyInput, "neutralised space \"~" + text + "\" names no word pairs (expected e.g. ~he:she,man:woman)");
  }
  size_t start = 0;
  while (start <= body.size()) {
    const size_t comma = std::min(body.find(',', start), body.size());
    const std::string pair = body.substr(start, comma - start);
    const size_t colon = pair.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size() || pair.find(':', colon + 1) != std::string::npos) {
      fail(ErrorCode::BadArgument, "neutralised space \"~" + text + "\": \"" + pair +
                                       "\" is not a word pair from:to (pairs go ~he:she,man:woman)");
    }
    layer.pairs.emplace_back(unescapeSpecWord(pair.substr(0, colon), text), unescapeSpecWord(pair.substr(colon + 1), text));
    start = comma + 1;
  }
  return layer;
}

std::string NeutralLayer::toString() const {
  std::string out = "~";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i) out += ',';
    out += escapeSpecWord(pairs[i].first) + ":" + escapeSpecWord(pairs[i].second);
  }
  if (method == DirectionMethod::PrincipalComponent) out += "@pc";
  return out;
}

}  // namespace explorer
