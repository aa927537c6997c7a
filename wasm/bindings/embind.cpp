// The only file that includes Embind. It declares what JS can call and
// converts at the boundary: results become plain JS objects holding typed
// arrays that JS owns (typed_memory_view(...).slice()), and every C++
// exception becomes an error value with a `code`, so none reaches JS as a
// bare number. Memory ownership beyond that is the JS wrapper's job
// (wasm/js/explorer.js).
//
// The handle classes JS constructs carry the names JS sees (TsneRun,
// AnalogyEvaluation, TableLoader, QuantizationLab) and live in namespace
// js, apart from the core classes of the same names that they drive.
// A `space` argument is a space spec; "" means the explorer's current
// space, and none of them switches it.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <cmath>
#include <memory>
#include <new>

#include "explorer/analogy_geometry.h"
#include "explorer/errors.h"
#include "explorer/evaluation.h"
#include "explorer/explorer.h"
#include "explorer/float_copy.h"
#include "explorer/formats/formats.h"
#include "explorer/quantization_lab.h"
#include "explorer/recall.h"
#include "explorer/tsne.h"

using emscripten::val;
using explorer::Error;
using explorer::ErrorCode;
using explorer::Explorer;
using explorer::fail;

namespace js {

namespace formats = explorer::formats;

// Runs `body` and returns its result, or an error object
// {explorerError: true, code, message, word, suggestions} that the JS
// wrapper turns into a thrown ExplorerError. Errors are returned, never
// thrown across the boundary: a JS exception unwinding through Embind's
// invoker would skip its cleanup and leak the heap copies of string
// arguments on every failed call.
val errorValue(const char* code, const std::string& message) {
  val error = val::object();
  error.set("explorerError", true);
  error.set("code", std::string(code));
  error.set("message", message);
  return error;
}

template <typename Body>
val guard(Body&& body) {
  try {
    return body();
  } catch (const Error& e) {
    val error = errorValue(errorCodeName(e.code()), e.what());
    if (!e.word().empty()) error.set("word", e.word());
    val list = val::array();
    for (const auto& s : e.suggestions()) list.call<void>("push", s);
    error.set("suggestions", list);
    return error;
  } catch (const std::bad_alloc&) {
    return errorValue("OUT_OF_MEMORY", "out of memory in the WebAssembly core");
  } catch (const std::exception& e) {
    return errorValue("INTERNAL", e.what());
  }
}

template <typename T>
val ownedArray(const std::vector<T>& values) {
  return val(emscripten::typed_memory_view(values.size(), values.data())).call<val>("slice");
}

val scoredToJs(const std::vector<explorer::Scored>& scored) {
  std::vector<uint32_t> ids;
  std::vector<float> scores;
  for (const explorer::Scored& s : scored) {
    ids.push_back(s.id);
    scores.push_back(s.score);
  }
  val out = val::object();
  out.set("ids", ownedArray(ids));
  out.set("scores", ownedArray(scores));
  return out;
}

std::vector<uint32_t> idsFromJs(const val& ids) { return emscripten::convertJSArrayToNumberVector<uint32_t>(ids); }

explorer::Method methodFromJs(const std::string& name) {
  if (name == "3cosadd") return explorer::Method::CosAdd;
  if (name == "3cosmul") return explorer::Method::CosMul;
  fail(ErrorCode::BadArgument, "unknown analogy method \"" + name + "\" (expected 3cosadd or 3cosmul)");
}

// Bytes that JS copies into the wasm heap through view(), for loading.
class ByteBuffer {
 public:
  explicit ByteBuffer(size_t size) : bytes_(size) {}
  val view() { return val(emscripten::typed_memory_view(bytes_.size(), bytes_.data())); }
  size_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

class FloatBuffer {
 public:
  explicit FloatBuffer(size_t size) : values_(size) {}
  val view() { return val(emscripten::typed_memory_view(values_.size(), values_.data())); }
  const std::vector<float>& values() const { return values_; }

 private:
  std::vector<float> values_;
};

val tableInfo(const explorer::EmbeddingTable& table) {
  val info = val::object();
  info.set("words", table.rows());
  info.set("dims", table.dims());
  info.set("name", table.name());
  info.set("memoryBytes", table.memoryBytes());
  info.set("kernel", std::string(explorer::kernels::dotBackendName()));
  return info;
}

// ---- Explorer methods -------------------------------------------------

val loadTable(Explorer& e, const ByteBuffer& buffer) {
  return guard([&] {
    e.load(explorer::EmbeddingTable::deserialize(buffer.bytes().data(), buffer.size()));
    return tableInfo(e.table());
  });
}

val quantizeTable(const FloatBuffer& values, size_t rows, size_t dims, const std::string& words, const std::string& name) {
  return guard([&] {
    if (values.values().size() != rows * dims) {
      fail(ErrorCode::BadData, "expected " + std::to_string(rows * dims) + " floats, got " +
                                   std::to_string(values.values().size()));
    }
    std::vector<std::string> list;
    size_t start = 0;
    for (size_t i = 0; i <= words.size(); ++i) {
      if (i == words.size() || words[i] == '\n') {
        list.emplace_back(words, start, i - start);
        start = i + 1;
      }
    }
    const explorer::EmbeddingTable table = explorer::EmbeddingTable::quantize(values.values().data(), rows, dims, std::move(list), name);
    return ownedArray(table.serialize());
  });
}

val findWord(Explorer& e, const std::string& word) {
  return guard([&] {
    const auto id = e.table().vocabulary().find(word);
    return val(id ? int(*id) : -1);
  });
}

val requireWord(Explorer& e, const std::string& word) { return guard([&] { return val(e.require(word)); }); }

val vocabularyText(Explorer& e) {
  return guard([&] {
    std::string text;
    for (const auto& w : e.table().vocabulary().words()) {
      if (!text.empty()) text += '\n';
      text += w;
    }
    return val(text);
  });
}

val complete(Explorer& e, const std::string& prefix, size_t limit) {
  return guard([&] { return ownedArray(e.table().vocabulary().complete(prefix, limit)); });
}

val rawVector(Explorer& e, uint32_t id) {
  return guard([&] {
    if (id >= e.table().rows()) fail(ErrorCode::BadArgument, "row id " + std::to_string(id) + " is out of range");
    std::vector<float> v(e.table().dims());
    e.table().vector(id, v.data());
    return ownedArray(v);
  });
}

val setSpace(Explorer& e, const std::string& spec) {
  return guard([&] {
    e.setSpace(spec);
    return val(e.space().spec().toString());
  });
}

val spaceName(Explorer& e) { return guard([&] { return val(e.space().spec().toString()); }); }

val neighbors(Explorer& e, uint32_t id, size_t k, val exclude, bool includeSelf) {
  return guard([&] { return scoredToJs(e.neighbors(id, k, idsFromJs(exclude), includeSelf)); });
}

val neighborsOfVector(Explorer& e, val vector, size_t k, val exclude) {
  return guard([&] {
    return scoredToJs(e.neighborsOfVector(emscripten::convertJSArrayToNumberVector<float>(vector), k, idsFromJs(exclude)));
  });
}

val analogy(Explorer& e, uint32_t a, uint32_t b, uint32_t c, const std::string& method, size_t k, bool includeInputs) {
  return guard([&] { return scoredToJs(e.analogy(a, b, c, {methodFromJs(method), k, includeInputs})); });
}

val analogyRank(Explorer& e, uint32_t a, uint32_t b, uint32_t c, uint32_t expected, const std::string& method,
                bool includeInputs) {
  return guard([&] {
    const explorer::Scored rank = e.analogyRank(a, b, c, expected, methodFromJs(method), includeInputs);
    val out = val::object();
    out.set("rank", rank.id);
    out.set("score", rank.score);
    return out;
  });
}

val expression(Explorer& e, const std::string& text, size_t k, bool includeInputs) {
  return guard([&] {
    std::vector<std::pair<uint32_t, double>> terms;
    val out = scoredToJs(e.expression(text, k, includeInputs, &terms));
    std::vector<uint32_t> termIds;
    std::vector<double> termWeights;
    for (const auto& [id, weight] : terms) {
      termIds.push_back(id);
      termWeights.push_back(weight);
    }
    out.set("termIds", ownedArray(termIds));
    out.set("termWeights", ownedArray(termWeights));
    return out;
  });
}

val similarity(Explorer& e, uint32_t a, uint32_t b) { return guard([&] { return val(double(e.similarity(a, b))); }); }

val oddOneOut(Explorer& e, val ids) { return guard([&] { return scoredToJs(e.oddOneOut(idsFromJs(ids))); }); }

val pairCosines(Explorer& e, size_t sample, double seed, const std::string& space) {
  return guard([&] { return ownedArray(e.pairCosines(sample, uint64_t(seed), space)); });
}

val anisotropy(Explorer& e, size_t sample, double seed, const std::string& space) {
  return guard([&] {
    const explorer::Anisotropy a = e.anisotropy(sample, uint64_t(seed), space);
    val out = val::object();
    out.set("space", a.space);
    out.set("meanPairCosine", a.meanPairCosine);
    out.set("pairCosineStd", a.pairCosineStd);
    out.set("pairs", a.pairs);
    out.set("varianceTop1", a.varianceTop1);
    out.set("varianceTop3", a.varianceTop3);
    out.set("varianceTop10", a.varianceTop10);
    out.set("eigenvalueMax", a.eigenvalueMax);
    out.set("eigenvalueMin", a.eigenvalueMin);
    out.set("meanNorm", a.meanNorm);
    out.set("meanVectorNorm", a.meanVectorNorm);
    return out;
  });
}

val spectrum(Explorer& e, const std::string& space) { return guard([&] { return ownedArray(e.spectrum(space)); }); }

val projectionToJs(const explorer::Projection& p) {
  val out = val::object();
  out.set("coordinates", ownedArray(p.coordinates));
  out.set("explained", ownedArray(p.explained));
  if (!p.componentsExplained.empty()) out.set("componentsExplained", ownedArray(p.componentsExplained));
  return out;
}

// components: the 0-based principal components on x, y and z, e.g. [0, 4, 7]
val projectPca(Explorer& e, val ids, bool wholeTable, val components) {
  return guard([&] { return projectionToJs(e.projectPca(idsFromJs(ids), wholeTable, idsFromJs(components))); });
}

// axes: [{from: [ids], to: [ids], pairs?: bool}, ...]; pairs: from[i] -> to[i]
val projectAxes(Explorer& e, val ids, val axes) {
  return guard([&] {
    std::vector<explorer::Axis> list;
    const size_t n = axes["length"].as<size_t>();
    for (size_t i = 0; i < n; ++i) {
      const val pairs = axes[i]["pairs"];
      list.push_back({idsFromJs(axes[i]["from"]), idsFromJs(axes[i]["to"]), !pairs.isUndefined() && pairs.as<bool>()});
    }
    return projectionToJs(e.projectAxes(idsFromJs(ids), list));
  });
}

// request: {terms: [{id, weight}], ids: [...], from, to, otherFrom, otherTo
// (each -1 when absent), layout: 'plane' | 'pca'}
val analogyGeometry(Explorer& e, val request) {
  return guard([&] {
    explorer::GeometryRequest r;
    const val terms = request["terms"];
    for (size_t i = 0, n = terms["length"].as<size_t>(); i < n; ++i) {
      r.terms.push_back({terms[i]["id"].as<uint32_t>(), terms[i]["weight"].as<double>()});
    }
    r.ids = idsFromJs(request["ids"]);
    auto word = [&](const char* key) {
      const double id = request[key].as<double>();
      return id < 0 ? explorer::kNoWord : uint32_t(id);
    };
    r.from = word("from");
    r.to = word("to");
    r.otherFrom = word("otherFrom");
    r.otherTo = word("otherTo");
    r.layout = request["layout"].as<std::string>() == "pca" ? explorer::GeometryLayout::Pca : explorer::GeometryLayout::Plane;
    const explorer::AnalogyGeometry g = explorer::analogyGeometry(e, r);
    val out = val::object();
    out.set("point", ownedArray(g.point));
    out.set("pointNorm", g.pointNorm);
    out.set("nearest", g.nearest == explorer::kNoWord ? -1.0 : double(g.nearest));
    out.set("nearestCosine", g.nearestCosine);
    out.set("offsetCosine", g.offsetCosine);
    out.set("coordinates", ownedArray(g.coordinates));
    out.set("explained", ownedArray(g.explained));
    out.set("layout", std::string(g.layout == explorer::GeometryLayout::Pca ? "pca" : "plane"));
    return out;
  });
}

// pairs: flat [from0, to0, from1, to1, ...]
val offsetConsistency(Explorer& e, val flatPairs) {
  return guard([&] {
    const std::vector<uint32_t> flat = idsFromJs(flatPairs);
    if (flat.size() % 2) fail(ErrorCode::BadArgument, "pairs must come as from, to, from, to, ...");
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (size_t i = 0; i < flat.size(); i += 2) pairs.push_back({flat[i], flat[i + 1]});
    const explorer::OffsetConsistency o = explorer::offsetConsistency(e, pairs);
    val out = val::object();
    out.set("cosineToMean", ownedArray(o.cosineToMean));
    out.set("length", ownedArray(o.length));
    out.set("meanLength", o.meanLength);
    return out;
  });
}

val evaluatePairs(Explorer& e, const std::string& text, const std::string& space) {
  return guard([&] {
    const std::shared_ptr<const explorer::Space> in = e.spaceFor(space);
    const explorer::PairScores s = explorer::evaluatePairs(e.table(), *in, text);
    val out = val::object();
    out.set("space", in->spec().toString());
    out.set("spearman", s.spearman);
    out.set("pearson", s.pearson);
    out.set("pairs", s.pairs);
    out.set("oov", s.oov);
    out.set("invalidLines", s.invalidLines);
    return out;
  });
}

// ---- AnalogyEvaluation ------------------------------------------------

// Two-phase so that parsing errors come back as values: JS constructs the
// handle (cannot fail), then start() parses the file.
class AnalogyEvaluation {
 public:
  val start(Explorer& e, const std::string& text, const std::string& method, const std::string& space) {
    return guard([&] {
      evaluation_ = std::make_unique<explorer::AnalogyEvaluation>(e.tableHandle(), e.spaceFor(space), text,
                                                                  methodFromJs(method));
      return val(evaluation_->questionCount());
    });
  }
  val step(size_t maxQuestions) { return guard([&] { return val(get().step(maxQuestions)); }); }
  size_t evaluated() const { return evaluation_ ? evaluation_->evaluated() : 0; }
  size_t skipped() const { return evaluation_ ? evaluation_->skipped() : 0; }
  size_t invalidLines() const { return evaluation_ ? evaluation_->invalidLines() : 0; }
  size_t correct() const { return evaluation_ ? evaluation_->correct() : 0; }
  std::string spaceName() const { return evaluation_ ? evaluation_->space().spec().toString() : std::string(); }

  val sections() const {
    val list = val::array();
    if (!evaluation_) return list;
    for (const explorer::SectionScore& s : evaluation_->sections()) {
      val item = val::object();
      item.set("name", s.name);
      item.set("correct", s.correct);
      item.set("count", s.count);
      list.call<void>("push", item);
    }
    return list;
  }

  // Flat (section, a, b, c, expected) per in-vocabulary question.
  val items() const {
    std::vector<uint32_t> flat;
    if (evaluation_) {
      for (const explorer::AnalogyItem& q : evaluation_->items()) {
        flat.insert(flat.end(), {q.section, q.a, q.b, q.c, q.expected});
      }
    }
    return ownedArray(flat);
  }

  val predictions() const { return ownedArray(evaluation_ ? evaluation_->predictions() : std::vector<uint32_t>{}); }

 private:
  explorer::AnalogyEvaluation& get() {
    if (!evaluation_) fail(ErrorCode::BadArgument, "evaluation was not started");
    return *evaluation_;
  }
  std::unique_ptr<explorer::AnalogyEvaluation> evaluation_;
};

// ---- TsneRun ----------------------------------------------------------

// Three-phase: start() checks the input and copies the unit vectors
// (cheap), prepare() computes the affinities a bounded number of points at
// a time so a worker can answer queries in between, step() runs
// iterations. The run copies its input, so it outlives table and space
// changes.
class TsneRun {
 public:
  val start(Explorer& e, val ids, double perplexity, double seed, double theta, double dims) {
    return guard([&] {
      const std::vector<uint32_t> list = idsFromJs(ids);
      explorer::checkTsneSize(list.size());
      if (!(seed >= 0 && seed <= 9007199254740992.0) || seed != std::floor(seed)) {
        fail(ErrorCode::BadArgument, "seed must be a whole number from 0 to 2^53");
      }
      explorer::TsneOptions options;
      options.perplexity = perplexity;
      options.seed = uint64_t(seed);
      options.theta = theta;
      if (dims != 2 && dims != 3) fail(ErrorCode::BadArgument, "t-SNE lays out in 2 or 3 dimensions");
      options.dims = size_t(dims);
      run_ = std::make_unique<explorer::TsneRun>(e.unitVectors(list), e.space().dims(), options);
      return val(run_->size());
    });
  }
  val prepare(size_t maxPoints) { return guard([&] { return val(get().prepare(maxPoints)); }); }
  size_t prepared() const { return run_ ? run_->prepared() : 0; }
  bool ready() const { return run_ && run_->ready(); }
  val step(size_t iterations) { return guard([&] { return val(get().step(iterations)); }); }
  size_t iteration() const { return run_ ? run_->iteration() : 0; }
  val positions() const { return ownedArray(run_ ? run_->positions() : std::vector<float>{}); }
  val klDivergence() { return guard([&] { return val(get().klDivergence()); }); }

 private:
  explorer::TsneRun& get() {
    if (!run_) fail(ErrorCode::BadArgument, "t-SNE was not started");
    return *run_;
  }
  std::unique_ptr<explorer::TsneRun> run_;
};

// ---- Loading your own tables (TableLoader, formats) --------------------

// A streaming load: JS sets the companions, start()s, feed()s chunks
// copied into one reused ByteBuffer, then finish()es, which swaps the new
// table into the Explorer. Any error spends the loader and frees what it
// built; the Explorer's table is untouched until finish() succeeds.
class TableLoader {
 public:
  val setVocabulary(const std::string& fileName, const ByteBuffer& bytes) {
    return guard([&] {
      companions_.labels = formats::parseVocabulary(fileName, bytes.bytes().data(), bytes.size());
      companions_.labelsFile = fileName;
      return val(companions_.labels.size());
    });
  }
  val setMetadata(const std::string& fileName, const ByteBuffer& bytes) {
    return guard([&] {
      formats::parseMetadata(fileName, bytes.bytes().data(), bytes.size(), companions_);
      return val(companions_.labels.size());
    });
  }
  void setTensor(const std::string& name) { companions_.tensorName = name; }

  val start(const std::string& format, const std::string& fileName) {
    return spending([&] {
      const explorer::formats::Format f = explorer::formats::parseFormatName(format);
      builder_ = std::make_unique<explorer::TableBuilder>(fileName);
      // The load report's recall@10 of int8 against float32.
      recall_ = std::make_unique<explorer::RecallProbe>();
      recall_->attach(*builder_);
      parser_ = explorer::formats::makeParser(f, fileName, *builder_, companions_);
      fileName_ = fileName;
      format_ = explorer::formats::formatName(f);
      return val(format_);
    });
  }

  // Quantization lab: collect float rows while loading (before the first feed).
  val keepFloats(explorer::FloatCopy& copy) {
    return spending([&] {
      copy.attach(builder());
      return val(true);
    });
  }

  val feed(const ByteBuffer& buffer, size_t size) {
    return spending([&] {
      if (size > buffer.size()) fail(ErrorCode::BadArgument, "feed size is larger than the buffer");
      builder();
      parser_->feed(buffer.bytes().data(), size);
      return val(builder_->rows());
    });
  }

  val finish(Explorer& e, const std::string& tableName) {
    return spending([&] {
      builder();
      parser_->finish();
      explorer::QuantizationReport report;
      explorer::RowMetadata metadata;
      explorer::EmbeddingTable table = builder_->finish(tableName, &report, &metadata);
      const explorer::RecallResult recall = recall_->measure(table);
      reset();
      const bool hasMetadata = !metadata.columns.empty();
      val metadataJs = hasMetadata ? metadataToJs(metadata) : val::null();
      e.load(std::move(table), std::move(metadata));
      val out = val::object();
      out.set("info", tableInfo(e.table()));
      out.set("report", reportToJs(report, recall));
      out.set("metadata", metadataJs);
      return out;
    });
  }

  static val metadataToJs(const explorer::RowMetadata& metadata) {
    val columns = val::array(), values = val::array();
    for (size_t c = 0; c < metadata.columns.size(); ++c) {
      columns.call<void>("push", metadata.columns[c]);
      val column = val::array();
      for (const auto& v : metadata.values[c]) column.call<void>("push", v);
      values.call<void>("push", column);
    }
    val out = val::object();
    out.set("columns", columns);
    out.set("values", values);
    return out;
  }

 private:
  // Like guard(), and an error also spends the loader.
  template <typename Body>
  val spending(Body&& body) {
    return guard([&] {
      try {
        return body();
      } catch (...) {
        reset();
        throw;
      }
    });
  }

  explorer::TableBuilder& builder() {
    if (!builder_) fail(ErrorCode::BadArgument, "this table loader is not started or is already spent");
    return *builder_;
  }

  void reset() {
    parser_.reset();
    builder_.reset();
    recall_.reset();
    companions_ = explorer::formats::Companions{};
  }

  val reportToJs(const explorer::QuantizationReport& r, const explorer::RecallResult& recall) const {
    val out = val::object();
    out.set("fileName", fileName_);
    out.set("format", format_);
    out.set("words", r.words);
    out.set("dims", r.dims);
    out.set("duplicates", r.duplicates);
    out.set("firstDuplicate", r.firstDuplicate);
    out.set("bytesBefore", double(r.bytesBefore));
    out.set("bytesAfter", double(r.bytesAfter));
    out.set("recallAt10", recall.recallAt10);
    out.set("recallQueries", recall.queries);
    return out;
  }

  explorer::formats::Companions companions_;
  std::unique_ptr<explorer::TableBuilder> builder_;
  std::unique_ptr<explorer::RecallProbe> recall_;
  std::unique_ptr<explorer::formats::Parser> parser_;
  std::string fileName_, format_;
};

val detectFormatJs(const std::string& fileName, const ByteBuffer& head, size_t size) {
  return guard([&] {
    return val(std::string(formats::formatName(formats::detectFormat(fileName, head.bytes().data(), std::min(size, head.size())))));
  });
}

val listTensorsJs(const std::string& fileName, const ByteBuffer& head, size_t size) {
  return guard([&] {
    val list = val::array();
    for (const formats::TensorInfo& t : formats::listSafetensors(fileName, head.bytes().data(), std::min(size, head.size()))) {
      val item = val::object();
      item.set("name", t.name);
      item.set("dtype", t.dtype);
      val shape = val::array();
      for (uint64_t n : t.shape) shape.call<void>("push", double(n));
      item.set("shape", shape);
      list.call<void>("push", item);
    }
    return list;
  });
}

val saveTableJs(Explorer& e) { return guard([&] { return ownedArray(e.table().serialize()); }); }

val tableMetadataJs(Explorer& e) {
  return guard([&] {
    if (!e.loaded() || e.metadata().columns.empty()) return val::null();
    return TableLoader::metadataToJs(e.metadata());
  });
}

// ---- Quantization lab (FloatCopy, QuantizationLab) ---------------------

// The JS wrapper creates a FloatCopy when a table is opened with
// keepFloats, the TableLoader attaches it to its builder, and the wrapper
// keeps it beside the loaded table until another table replaces it.
val labVariantToJs(const explorer::LabVariant& v, size_t analogyQuestions) {
  val out = val::object();
  out.set("bytes", double(v.bytes));
  out.set("queryMs", v.queryMs);
  out.set("recallAt10", v.recallAt10);
  out.set("analogyAccuracy", std::isnan(v.analogyAccuracy) ? val::null() : val(v.analogyAccuracy));
  out.set("analogyCorrect", v.analogyCorrect);
  out.set("analogyQuestions", analogyQuestions);
  return out;
}

// Two-phase like AnalogyEvaluation: start() checks the copy and parses the
// questions, returning the number of units; step() runs some; report()
// gives the figures. The run keeps its table and float rows alive.
class QuantizationLab {
 public:
  val start(Explorer& e, const explorer::FloatCopy& floats, const std::string& questions, size_t sample, double seed) {
    return guard([&] {
      if (!(seed >= 0 && seed <= 9007199254740992.0) || seed != std::floor(seed)) {
        fail(ErrorCode::BadArgument, "seed must be a whole number from 0 to 2^53");
      }
      lab_ = std::make_unique<explorer::QuantizationLab>(e.tableHandle(), floats,
                                                         explorer::LabOptions{questions, sample, uint64_t(seed)});
      return val(lab_->total());
    });
  }
  val step(size_t maxUnits) { return guard([&] { return val(get().step(maxUnits)); }); }
  size_t done() const { return lab_ ? lab_->done() : 0; }

  val report() {
    return guard([&] {
      const explorer::LabReport report = get().report();
      val out = val::object();
      out.set("float32", labVariantToJs(report.float32, report.analogyQuestions));
      out.set("int8", labVariantToJs(report.int8, report.analogyQuestions));
      out.set("int4", labVariantToJs(report.int4, report.analogyQuestions));
      out.set("sample", report.sample);
      out.set("analogySkipped", report.analogySkipped);
      return out;
    });
  }

 private:
  explorer::QuantizationLab& get() {
    if (!lab_) fail(ErrorCode::BadArgument, "the quantization lab was not started");
    return *lab_;
  }
  std::unique_ptr<explorer::QuantizationLab> lab_;
};

}  // namespace js

EMSCRIPTEN_BINDINGS(explorer) {
  using namespace emscripten;
  using namespace js;
  class_<ByteBuffer>("ByteBuffer").constructor<size_t>().function("view", &ByteBuffer::view);
  class_<FloatBuffer>("FloatBuffer").constructor<size_t>().function("view", &FloatBuffer::view);
  function("quantizeTable", &quantizeTable);
  // Bytes malloc currently has handed out: leak checks in the tests.
  function("heapInUse", optional_override([] { return size_t(mallinfo().uordblks); }));

  class_<Explorer>("Explorer")
      .constructor<>()
      .function("load", &loadTable)
      .function("find", &findWord)
      .function("require", &requireWord)
      .function("vocabularyText", &vocabularyText)
      .function("complete", &complete)
      .function("vector", &rawVector)
      .function("setSpace", &setSpace)
      .function("spaceName", &spaceName)
      .function("neighbors", &neighbors)
      .function("neighborsOfVector", &neighborsOfVector)
      .function("analogy", &analogy)
      .function("analogyRank", &analogyRank)
      .function("expression", &expression)
      .function("similarity", &similarity)
      .function("oddOneOut", &oddOneOut)
      .function("pairCosines", &pairCosines)
      .function("anisotropy", &anisotropy)
      .function("spectrum", &spectrum)
      .function("projectPca", &projectPca)
      .function("projectAxes", &projectAxes)
      .function("analogyGeometry", &analogyGeometry)
      .function("offsetConsistency", &offsetConsistency)
      .function("evaluatePairs", &evaluatePairs);

  class_<AnalogyEvaluation>("AnalogyEvaluation")
      .constructor<>()
      .function("start", &AnalogyEvaluation::start)
      .function("step", &AnalogyEvaluation::step)
      .function("evaluated", &AnalogyEvaluation::evaluated)
      .function("skipped", &AnalogyEvaluation::skipped)
      .function("invalidLines", &AnalogyEvaluation::invalidLines)
      .function("correct", &AnalogyEvaluation::correct)
      .function("spaceName", &AnalogyEvaluation::spaceName)
      .function("sections", &AnalogyEvaluation::sections)
      .function("items", &AnalogyEvaluation::items)
      .function("predictions", &AnalogyEvaluation::predictions);

  // Loading your own tables: the streaming loader and its helpers.
  class_<TableLoader>("TableLoader")
      .constructor<>()
      .function("setVocabulary", &TableLoader::setVocabulary)
      .function("setMetadata", &TableLoader::setMetadata)
      .function("setTensor", &TableLoader::setTensor)
      .function("start", &TableLoader::start)
      .function("keepFloats", &TableLoader::keepFloats)
      .function("feed", &TableLoader::feed)
      .function("finish", &TableLoader::finish);
  function("detectFormat", &detectFormatJs);
  function("listTensors", &listTensorsJs);
  function("saveTable", &saveTableJs);
  function("tableMetadata", &tableMetadataJs);

  // Quantization lab: a float copy kept with keepFloats, and the lab itself.
  class_<explorer::FloatCopy>("FloatCopy").constructor<>();
  class_<QuantizationLab>("QuantizationLab")
      .constructor<>()
      .function("start", &QuantizationLab::start)
      .function("step", &QuantizationLab::step)
      .function("done", &QuantizationLab::done)
      .function("report", &QuantizationLab::report);

  class_<TsneRun>("TsneRun")
      .constructor<>()
      .function("start", &TsneRun::start)
      .function("prepare", &TsneRun::prepare)
      .function("prepared", &TsneRun::prepared)
      .function("ready", &TsneRun::ready)
      .function("step", &TsneRun::step)
      .function("iteration", &TsneRun::iteration)
      .function("positions", &TsneRun::positions)
      .function("klDivergence", &TsneRun::klDivergence);
}

// The k-NN graph and faithfulness handles (their own EMSCRIPTEN_BINDINGS block).
#include "knn_bindings.inc"
// UMAP (its own EMSCRIPTEN_BINDINGS block).
#include "umap_bindings.inc"
// Directions, neutralised spaces, contributions and the navigator (issue 9; its own block).
#include "direction_bindings.inc"
// Euclidean neighbours and expressions (issue 9, section 4; its own block).
#include "euclidean_bindings.inc"
