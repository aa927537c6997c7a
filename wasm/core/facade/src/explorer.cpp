#include "explorer/explorer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "explorer/errors.h"
#include "explorer/expression.h"
#include "explorer/pca_components.h"
#include "explorer/sampling.h"

namespace explorer {

void Explorer::load(EmbeddingTable table) {
  // Build everything for the new table before touching the old state.
  auto next = std::make_shared<const EmbeddingTable>(std::move(table));
  auto raw = std::make_shared<const Space>(*next, SpaceSpec{}, nullptr);
  table_ = std::move(next);
  statistics_.reset();
  spaces_.clear();
  spaces_["raw"] = raw;
  space_ = raw;
  metadata_ = RowMetadata{};
}

void Explorer::load(EmbeddingTable table, RowMetadata metadata) {
  load(std::move(table));
  metadata_ = std::move(metadata);
}

const EmbeddingTable& Explorer::table() const {
  if (!table_) fail(ErrorCode::BadArgument, "no embedding table is loaded");
  return *table_;
}

const TableStatistics& Explorer::statistics() {
  if (!statistics_) statistics_ = std::make_unique<TableStatistics>(TableStatistics::compute(table()));
  return *statistics_;
}

std::shared_ptr<const Space> Explorer::spaceFor(const std::string& text) {
  if (text.empty()) {
    table();  // "no embedding table is loaded" rather than a null space
    return space_;
  }
  if (text.find('~') != std::string::npos) return neutralisedSpaceFor(text);
  const SpaceSpec spec = SpaceSpec::parse(text, table().dims());
  const std::string key = spec.toString();
  if (auto it = spaces_.find(key); it != spaces_.end()) return it->second;
  const TableStatistics* stats = spec.kind == SpaceSpec::Kind::Raw ? nullptr : &statistics();
  auto built = std::make_shared<const Space>(*table_, spec, stats);
  remember(key, built);
  return built;
}

void Explorer::remember(const std::string& key, std::shared_ptr<const Space> space) {
  // Each space costs 8 bytes per row; keep a handful. Work that still
  // holds an evicted space (an evaluation) keeps it alive by its handle.
  if (spaces_.size() >= 8) {
    for (auto it = spaces_.begin(); it != spaces_.end(); ++it) {
      if (it->first != "raw" && it->second != space_) {
        spaces_.erase(it);
        break;
      }
    }
  }
  spaces_[key] = std::move(space);
}

void Explorer::setSpace(const std::string& text) {
  if (text.empty()) fail(ErrorCode::BadArgument, "empty space name (expected raw, centered, whitened[:K], zca or abtt:D)");
  space_ = spaceFor(text);
}

void Explorer::requireRows(const std::vector<uint32_t>& ids) const {
  for (uint32_t id : ids) {
    if (id >= table().rows()) fail(ErrorCode::BadArgument, "row id " + std::to_string(id) + " is out of range");
  }
}

std::vector<float> Explorer::unitVector(uint32_t id) const {
  requireRows({id});
  return space_->unitRow(*table_, id);
}

std::vector<float> Explorer::unitVectors(const std::vector<uint32_t>& ids) const {
  requireRows(ids);
  const size_t d = space_->dims();
  std::vector<float> out(ids.size() * d);
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::vector<float> u = space_->unitRow(*table_, ids[i]);
    std::copy(u.begin(), u.end(), out.begin() + i * d);
  }
  return out;
}

namespace {

void checkK(size_t k) {
  if (k == 0 || k > 10000) fail(ErrorCode::BadArgument, "k must be between 1 and 10000, got " + std::to_string(k));
}

std::vector<Scored> searchOne(const EmbeddingTable& table, const Space& space, Question question, size_t k) {
  checkK(k);
  return searchBatch(table, space, {std::move(question)}, k)[0];
}

double norm(const float* values, size_t count) {
  double sum = 0;
  for (size_t i = 0; i < count; ++i) sum += double(values[i]) * values[i];
  return std::sqrt(sum);
}

// A direction this much shorter than the vectors it was summed from is
// rounding left over from cancellation ("king + queen - king - queen").
constexpr double kZeroQueryTolerance = 1e-5;

}  // namespace

// Refuses a question whose vector is zero: cosine to a zero vector is 0
// for every row, so any "top k" would be arbitrary words at 0.000.
// `scale` is the length the direction would have without cancellation;
// `what` says why it is zero, for the message.
std::vector<Scored> Explorer::search(Question question, size_t k, double scale, const std::string& what) const {
  const size_t d = space_->dims();
  const size_t parts = question.method == Method::CosMul ? 3 : 1;
  for (size_t p = 0; p < parts; ++p) {
    const double partScale = question.method == Method::CosMul ? 1.0 : scale;
    if (norm(question.directions.data() + p * d, d) <= kZeroQueryTolerance * partScale) {
      fail(ErrorCode::ZeroQuery, "the query vector is zero: " + what + " in the " + space_->spec().toString() +
                                     " space, so every word would score 0");
    }
  }
  return searchOne(*table_, *space_, std::move(question), k);
}

namespace {

void requireDistinct(const EmbeddingTable& table, const std::vector<uint32_t>& ids) {
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (ids[i] == ids[j]) {
        const std::string& w = table.vocabulary().word(ids[i]);
        throw Error(ErrorCode::DuplicateWord, "\"" + w + "\" is given twice", w);
      }
    }
  }
}

}  // namespace

std::vector<Scored> Explorer::neighbors(uint32_t id, size_t k, std::vector<uint32_t> exclude, bool includeSelf) const {
  requireRows({id});
  checkK(k);
  Question q;
  q.directions = space_->unitRow(*table_, id);
  q.exclude = std::move(exclude);
  if (!includeSelf) q.exclude.push_back(id);
  return search(std::move(q), k, 1.0, "\"" + table_->vocabulary().word(id) + "\" has a zero vector");
}

std::vector<Scored> Explorer::neighborsOfVector(const std::vector<float>& raw, size_t k,
                                                std::vector<uint32_t> exclude) const {
  if (raw.size() != table().dims()) {
    fail(ErrorCode::BadArgument, "vector has " + std::to_string(raw.size()) + " values; the table has " +
                                     std::to_string(table().dims()) + " dimensions");
  }
  for (float v : raw) {
    if (!std::isfinite(v)) fail(ErrorCode::BadArgument, "vector contains NaN or Inf");
  }
  checkK(k);
  Question q;
  q.directions.resize(space_->dims());
  space_->transform(raw.data(), q.directions.data());
  // The scale of P x and of P mu: a vector at the space's centre (the
  // table mean, in a centred space) maps to zero as surely as 0 does.
  std::vector<float> zero(raw.size(), 0.0f), centre(space_->dims());
  space_->transform(zero.data(), centre.data());
  double moved = 0;
  for (size_t i = 0; i < centre.size(); ++i) {
    moved += double(q.directions[i] - centre[i]) * (q.directions[i] - centre[i]);
  }
  const double scale = std::sqrt(moved) + norm(centre.data(), centre.size());
  q.exclude = std::move(exclude);
  return search(std::move(q), k, scale, "the vector maps to zero");
}

Question Explorer::analogyQuestion(uint32_t a, uint32_t b, uint32_t c, Method method, bool includeInputs) const {
  requireRows({a, b, c});
  // "a : a :: c : ?" has the trivial answer c; a repeated word is almost
  // always a typo, so say so instead of answering.
  requireDistinct(*table_, {a, b, c});
  return makeAnalogyQuestion(*table_, *space_, a, b, c, method, includeInputs);
}

std::vector<Scored> Explorer::analogy(uint32_t a, uint32_t b, uint32_t c, const AnalogyOptions& options) const {
  checkK(options.k);
  Question q = analogyQuestion(a, b, c, options.method, options.includeInputs);
  const Vocabulary& vocabulary = table_->vocabulary();
  const std::string question = vocabulary.word(a) + " : " + vocabulary.word(b) + " :: " + vocabulary.word(c) + " : ?";
  return search(std::move(q), options.k, 3.0,
                options.method == Method::CosAdd ? "b - a + c is the zero vector for " + question
                                                 : "a word of " + question + " has a zero vector");
}

Scored Explorer::analogyRank(uint32_t a, uint32_t b, uint32_t c, uint32_t expected, Method method,
                             bool includeInputs) const {
  requireRows({expected});
  return rankOf(*table_, *space_, analogyQuestion(a, b, c, method, includeInputs), expected);
}

std::vector<Scored> Explorer::expression(const std::string& text, size_t k, bool includeInputs,
                                         std::vector<std::pair<uint32_t, double>>* termsOut) const {
  const Vocabulary& vocabulary = table().vocabulary();
  const auto terms = parseExpression(text, [&](const std::string& w) { return vocabulary.find(w).has_value(); });
  checkK(k);
  Question q;
  q.directions.assign(space_->dims(), 0.0f);
  double scale = 0;
  for (const ExpressionTerm& term : terms) {
    scale += std::abs(term.weight);
    const uint32_t id = vocabulary.require(term.word);
    const std::vector<float> u = space_->unitRow(*table_, id);
    for (size_t i = 0; i < u.size(); ++i) q.directions[i] += float(term.weight) * u[i];
    if (!includeInputs) q.exclude.push_back(id);
    if (termsOut) termsOut->emplace_back(id, term.weight);
  }
  return search(std::move(q), k, scale, "\"" + text + "\" sums to the zero vector");
}

float Explorer::similarity(uint32_t a, uint32_t b) const {
  requireRows({a, b});
  const std::vector<float> ua = space_->unitRow(*table_, a), ub = space_->unitRow(*table_, b);
  double dot = 0;
  for (size_t i = 0; i < ua.size(); ++i) dot += double(ua[i]) * ub[i];
  return float(dot);
}

std::vector<Scored> Explorer::oddOneOut(const std::vector<uint32_t>& ids) const {
  requireRows(ids);
  if (ids.size() < 3) fail(ErrorCode::BadArgument, "odd-one-out needs at least 3 words, got " + std::to_string(ids.size()));
  requireDistinct(*table_, ids);
  std::vector<std::vector<float>> units;
  std::vector<double> mean(space_->dims(), 0.0);
  for (uint32_t id : ids) {
    units.push_back(space_->unitRow(*table_, id));
    for (size_t i = 0; i < mean.size(); ++i) mean[i] += units.back()[i];
  }
  double meanNorm = 0;
  for (double m : mean) meanNorm += m * m;
  meanNorm = std::sqrt(meanNorm);
  std::vector<Scored> out;
  for (size_t w = 0; w < ids.size(); ++w) {
    double dot = 0;
    for (size_t i = 0; i < mean.size(); ++i) dot += units[w][i] * mean[i];
    out.push_back({ids[w], float(meanNorm > 0 ? dot / meanNorm : 0)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Scored& x, const Scored& y) { return x.score < y.score; });
  return out;
}

std::vector<float> Explorer::pairCosines(size_t sampleCount, uint64_t seed, const std::string& spec) {
  if (sampleCount < 2) fail(ErrorCode::BadArgument, "a pair sample needs at least 2 rows");
  const std::shared_ptr<const Space> space = spaceFor(spec);
  const std::vector<uint32_t> ids = sampleRows(table().rows(), sampleCount, seed);
  Eigen::MatrixXf units(space->dims(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::vector<float> u = space->unitRow(*table_, ids[i]);
    units.col(i) = Eigen::Map<const Eigen::VectorXf>(u.data(), u.size());
  }
  const Eigen::MatrixXf gram = units.transpose() * units;
  std::vector<float> cosines;
  cosines.reserve(ids.size() * (ids.size() - 1) / 2);
  for (size_t j = 1; j < ids.size(); ++j) {
    for (size_t i = 0; i < j; ++i) cosines.push_back(gram(i, j));
  }
  return cosines;
}

std::vector<double> Explorer::spectrumOf(const Space& space) {
  const Eigen::MatrixXd covariance = space.covariance(statistics());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance, Eigen::EigenvaluesOnly);
  std::vector<double> values(solver.eigenvalues().data(), solver.eigenvalues().data() + covariance.rows());
  std::reverse(values.begin(), values.end());
  for (double& v : values) v = std::max(0.0, v);
  return values;
}

std::vector<double> Explorer::spectrum(const std::string& spec) { return spectrumOf(*spaceFor(spec)); }

Anisotropy Explorer::anisotropy(size_t sampleCount, uint64_t seed, const std::string& spec) {
  const std::shared_ptr<const Space> space = spaceFor(spec);
  Anisotropy a;
  a.space = space->spec().toString();
  const std::vector<float> cosines = pairCosines(sampleCount, seed, a.space);
  double sum = 0, sumSquares = 0;
  for (float c : cosines) {
    sum += c;
    sumSquares += double(c) * c;
  }
  a.pairs = cosines.size();
  a.meanPairCosine = sum / double(a.pairs);
  a.pairCosineStd = std::sqrt(std::max(0.0, sumSquares / double(a.pairs) - a.meanPairCosine * a.meanPairCosine));
  const std::vector<double> values = spectrumOf(*space);
  const double total = std::accumulate(values.begin(), values.end(), 0.0);
  auto share = [&](size_t n) {
    return total > 0 ? std::accumulate(values.begin(), values.begin() + std::min(n, values.size()), 0.0) / total : 0.0;
  };
  a.varianceTop1 = share(1);
  a.varianceTop3 = share(3);
  a.varianceTop10 = share(10);
  a.eigenvalueMax = values.front();
  a.eigenvalueMin = values.back();
  // Norm of the mean (all rows, from the statistics) and mean norm (over
  // the same seeded sample: a full pass would cost a transform per row).
  const TableStatistics& stats = statistics();
  Eigen::VectorXf spaceMean(space->dims());
  const Eigen::VectorXf rawMean = stats.mean.cast<float>();
  space->transform(rawMean.data(), spaceMean.data());
  a.meanVectorNorm = spaceMean.norm();
  const std::vector<uint32_t> ids = sampleRows(table_->rows(), sampleCount, seed);
  double norms = 0;
  std::vector<float> x(table_->dims()), y(space->dims());
  for (uint32_t id : ids) {
    table_->vector(id, x.data());
    space->transform(x.data(), y.data());
    norms += Eigen::Map<Eigen::VectorXf>(y.data(), y.size()).norm();
  }
  a.meanNorm = norms / double(ids.size());
  return a;
}

Projection Explorer::projectAxes(const std::vector<uint32_t>& ids, const std::vector<Axis>& axes) const {
  requireRows(ids);
  if (ids.empty()) fail(ErrorCode::EmptyInput, "no words to project");
  if (axes.empty() || axes.size() > 3) fail(ErrorCode::BadArgument, "give 1 to 3 axes");
  const size_t d = space_->dims();
  auto meanUnit = [&](const std::vector<uint32_t>& set) {
    if (set.empty()) fail(ErrorCode::EmptyInput, "an axis end has no words");
    requireRows(set);
    Eigen::VectorXd m = Eigen::VectorXd::Zero(d);
    for (uint32_t id : set) {
      const std::vector<float> u = space_->unitRow(*table_, id);
      for (size_t k = 0; k < d; ++k) m[k] += u[k];
    }
    return Eigen::VectorXd(m / double(set.size()));
  };
  auto meanPairOffset = [&](const Axis& axis, size_t a) {
    if (axis.from.empty()) fail(ErrorCode::EmptyInput, "axis " + std::to_string(a + 1) + " has no word pairs");
    if (axis.from.size() != axis.to.size()) fail(ErrorCode::BadArgument, "axis " + std::to_string(a + 1) + " pairs need as many \"from\" words as \"to\" words");
    requireRows(axis.from);
    requireRows(axis.to);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(d);
    size_t used = 0;
    for (size_t i = 0; i < axis.from.size(); ++i) {
      const std::vector<float> f = space_->unitRow(*table_, axis.from[i]), t = space_->unitRow(*table_, axis.to[i]);
      Eigen::VectorXd offset(d);
      for (size_t k = 0; k < d; ++k) offset[k] = double(t[k]) - double(f[k]);
      const double n = offset.norm();
      if (n < 1e-9) continue;  // a pair of one word twice says nothing about the direction
      sum += offset / n;
      ++used;
    }
    return used ? Eigen::VectorXd(sum / double(used)) : Eigen::VectorXd(Eigen::VectorXd::Zero(d));
  };
  Eigen::MatrixXd directions = Eigen::MatrixXd::Zero(d, 3);
  for (size_t a = 0; a < axes.size(); ++a) {
    Eigen::VectorXd direction = axes[a].pairs ? meanPairOffset(axes[a], a) : Eigen::VectorXd(meanUnit(axes[a].to) - meanUnit(axes[a].from));
    const double n = direction.norm();
    if (n < 1e-9) fail(ErrorCode::BadArgument, "axis " + std::to_string(a + 1) + " has the same words at both ends");
    directions.col(a) = direction / n;
  }
  Eigen::MatrixXd points(d, ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::vector<float> u = space_->unitRow(*table_, ids[i]);
    for (size_t k = 0; k < d; ++k) points(k, i) = u[k];
  }
  if (axes.size() < 3) {
    // Fill the free axes with the PCA of what the given axes do not explain.
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(directions.leftCols(axes.size()));
    const Eigen::MatrixXd basis = qr.householderQ() * Eigen::MatrixXd::Identity(d, axes.size());
    Eigen::MatrixXd residual = points - basis * (basis.transpose() * points);
    residual = residual.colwise() - residual.rowwise().mean();
    const PrincipalComponents pca = principalComponents(residual * residual.transpose(), 3 - axes.size());
    for (size_t a = axes.size(); a < 3 && Eigen::Index(a - axes.size()) < pca.directions.cols(); ++a) {
      directions.col(a) = pca.directions.col(Eigen::Index(a - axes.size()));
    }
  }
  // Coordinates are scalar projections of the unit vectors: for a user axis
  // they read as "how far along man -> woman" the word sits.
  Projection projection;
  const Eigen::MatrixXd coordinates = directions.transpose() * points;
  projection.coordinates.resize(ids.size() * 3);
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t k = 0; k < 3; ++k) projection.coordinates[i * 3 + k] = float(coordinates(k, i));
  }
  // How much of the words' spread each axis shows: the variance of their
  // coordinates over the total variance of the unit vectors. Word axes need
  // not be orthogonal, so unlike PCA the shares may overlap.
  const Eigen::MatrixXd centred = points.colwise() - points.rowwise().mean();
  const double total = centred.squaredNorm();
  projection.explained.resize(3);
  for (size_t k = 0; k < 3; ++k) {
    const Eigen::RowVectorXd along = coordinates.row(k).array() - coordinates.row(k).mean();
    projection.explained[k] = total > 0 ? float(along.squaredNorm() / total) : 0.0f;
  }
  return projection;
}

}  // namespace explorer
