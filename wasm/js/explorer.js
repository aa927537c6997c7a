// The JS face of the geometry core.
//
// Owns every Embind object (ByteBuffer, Explorer, AnalogyEvaluation) and
// deletes temporaries in `finally`: objects created by the wasm module are
// not garbage collected by the JS runtime. Everything it returns is a plain
// value or a typed array that JS owns, so a Web Worker can post results
// straight back to the page.
import createExplorerModule from '../dist/explorer_core.mjs';

const isNode = typeof process !== 'undefined' && Boolean(process.versions?.node);

/** A failure the user caused: an unknown word, a bad file, a bad option. */
export class ExplorerError extends Error {
  constructor(message, { code = 'INTERNAL', word, suggestions = [] } = {}) {
    super(message);
    this.name = 'ExplorerError';
    this.code = code;
    if (word !== undefined) this.word = word;
    this.suggestions = suggestions;
  }
}

// Calls into the core. The bindings return failures as values
// ({explorerError: true, code, message, ...}) rather than throwing across
// the boundary; anything that is thrown (an abort, a trap, an Embind type
// error) is a bug in the core or in this wrapper.
function guarded(fn) {
  let result;
  try {
    result = fn();
  } catch (error) {
    throw new ExplorerError(`internal error in the WebAssembly core: ${error?.message ?? error}`, { code: 'INTERNAL' });
  }
  if (result !== null && typeof result === 'object' && result.explorerError === true) {
    throw new ExplorerError(result.message, {
      code: result.code,
      word: result.word,
      suggestions: result.suggestions ? Array.from(result.suggestions) : [],
    });
  }
  return result;
}

/**
 * Instantiates the wasm module. In Node the .wasm bytes are read from disk
 * and passed as wasmBinary (emscripten 3.1.6's ES6 loader cannot locate or
 * fetch a file path in Node); in a browser or worker it is fetched next to
 * explorer_core.mjs unless `wasmUrl` or `wasmBinary` says otherwise.
 */
export async function loadCoreModule({ wasmBinary, wasmUrl } = {}) {
  const options = {};
  if (wasmBinary) {
    options.wasmBinary = wasmBinary;
  } else if (isNode) {
    // A variable specifier keeps bundlers from pulling node:fs into pages.
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fsModule);
    options.wasmBinary = await readFile(new URL('../dist/explorer_core.wasm', import.meta.url));
  } else if (wasmUrl) {
    options.locateFile = (path) => (path.endsWith('.wasm') ? String(wasmUrl) : path);
  }
  return createExplorerModule(options);
}

const METHODS = new Set(['3cosadd', '3cosmul']);

function checkMethod(method) {
  if (!METHODS.has(method)) {
    throw new ExplorerError(`unknown analogy method "${method}" (expected 3cosadd or 3cosmul)`, { code: 'BAD_ARGUMENT' });
  }
  return method;
}

function checkK(k) {
  if (!Number.isInteger(k) || k < 1 || k > 10000) {
    throw new ExplorerError(`k must be a whole number from 1 to 10000, got ${k}`, { code: 'BAD_ARGUMENT' });
  }
  return k;
}

/** Quantizes float rows into the EMBQ file format (used by the data build). */
export function quantizeTable(module, { values, rows, dims, words, name = '' }) {
  if (words.length !== rows) {
    throw new ExplorerError(`${words.length} words for ${rows} rows`, { code: 'BAD_DATA' });
  }
  const buffer = new module.FloatBuffer(values.length);
  try {
    buffer.view().set(values);
    return guarded(() => module.quantizeTable(buffer, rows, dims, words.join('\n'), name));
  } finally {
    buffer.delete();
  }
}

/**
 * A progressive t-SNE run, from EmbeddingExplorer.tsne(). step(k) runs k
 * more iterations and returns the layout; to pause, stop calling it. It
 * holds a wasm object: call dispose() when done (the explorer can load
 * other tables or switch spaces meanwhile; the run keeps its own copy).
 */
export class TsneSession {
  #run;

  constructor(run, { ids, words, size }) {
    this.#run = run;
    this.ids = ids;
    this.words = words;
    this.size = size;
  }

  /** Runs `iterations` more iterations: {iteration, positions: Float32Array (n*3, centred)}. */
  step(iterations = 1) {
    if (!Number.isInteger(iterations) || iterations < 0 || iterations > 100000) {
      throw new ExplorerError(`iterations must be a whole number from 0 to 100000, got ${iterations}`, {
        code: 'BAD_ARGUMENT',
      });
    }
    const run = this.#live();
    const iteration = guarded(() => run.step(iterations));
    return { iteration, positions: run.positions() };
  }

  get iteration() {
    return this.#live().iteration();
  }

  positions() {
    return this.#live().positions();
  }

  /** KL(P || Q) of the current layout (costs about one iteration). */
  klDivergence() {
    const run = this.#live();
    return guarded(() => run.klDivergence());
  }

  /** Frees the wasm-side run. The session is unusable afterwards. */
  dispose() {
    this.#run?.delete();
    this.#run = null;
  }

  #live() {
    if (!this.#run) throw new ExplorerError('this t-SNE session was disposed', { code: 'BAD_ARGUMENT' });
    return this.#run;
  }
}

export class EmbeddingExplorer {
  /** Creates an explorer on a freshly instantiated core module. */
  static async create(options = {}) {
    return new EmbeddingExplorer(await loadCoreModule(options));
  }

  constructor(module) {
    this.module = module;
    this.core = new module.Explorer();
    this.words = [];
    this.info = null;
  }

  /** Frees the wasm-side explorer. The object is unusable afterwards. */
  dispose() {
    this.core?.delete();
    this.core = null;
  }

  /**
   * Loads an EMBQ table from bytes. All-or-nothing: on any error the
   * previous table stays loaded and answering.
   */
  load(bytes) {
    if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
    const buffer = new this.module.ByteBuffer(bytes.length);
    try {
      // view() is taken right after the allocation: memory growth would
      // detach any older view of the heap.
      buffer.view().set(bytes);
      const info = guarded(() => this.core.load(buffer));
      this.words = guarded(() => this.core.vocabularyText()).split('\n');
      this.info = { ...info, space: 'raw' };
      return this.info;
    } finally {
      buffer.delete();
    }
  }

  get size() {
    return this.words.length;
  }

  #results({ ids, scores }) {
    return Array.from(ids, (id, i) => ({ word: this.words[id], id, score: scores[i] }));
  }

  /** Id of a word (case-insensitive), or throws naming it with suggestions. */
  id(word) {
    if (typeof word !== 'string') throw new ExplorerError('a word must be a string', { code: 'BAD_ARGUMENT' });
    return guarded(() => this.core.require(word));
  }

  /** Id of a word, or -1. */
  find(word) {
    return guarded(() => this.core.find(String(word)));
  }

  lookup(word) {
    const id = this.id(word);
    return { id, word: this.words[id], vector: guarded(() => this.core.vector(id)) };
  }

  /** Autocomplete: words starting with `prefix`, most frequent first. */
  complete(prefix, limit = 10) {
    return Array.from(guarded(() => this.core.complete(String(prefix), limit)), (id) => this.words[id]);
  }

  suggest(word, limit = 5) {
    return guarded(() => this.core.suggest(String(word), limit));
  }

  /** raw | centered | whitened[:K] | zca | abtt:D */
  setSpace(spec) {
    guarded(() => this.core.setSpace(String(spec)));
    if (this.info) this.info.space = this.space;
    return this.space;
  }

  get space() {
    return guarded(() => this.core.spaceName());
  }

  #ids(words) {
    return (words ?? []).map((w) => (typeof w === 'number' ? w : this.id(w)));
  }

  /** Nearest words to a word (excluding itself) or to a raw vector. */
  neighbors(query, { k = 10, exclude = [], includeSelf = false } = {}) {
    checkK(k);
    const excludeIds = this.#ids(exclude);
    if (typeof query === 'string' || typeof query === 'number') {
      const id = typeof query === 'number' ? query : this.id(query);
      return { results: this.#results(guarded(() => this.core.neighbours(id, k, excludeIds, includeSelf))) };
    }
    const vector = Float32Array.from(query);
    return { results: this.#results(guarded(() => this.core.neighboursOfVector(vector, k, excludeIds))) };
  }

  /** a : b :: c : ?  (analogy('man', 'king', 'woman') gives queen). */
  analogy(a, b, c, { k = 10, method = '3cosadd', includeInputs = false, expected } = {}) {
    checkK(k);
    checkMethod(method);
    const [ia, ib, ic] = this.#ids([a, b, c]);
    const out = { results: this.#results(guarded(() => this.core.analogy(ia, ib, ic, method, k, includeInputs))) };
    if (expected !== undefined) out.expected = this.rank(a, b, c, expected, { method, includeInputs });
    return out;
  }

  /** Where `expected` ranks for a : b :: c : ? (1 = first). */
  rank(a, b, c, expected, { method = '3cosadd', includeInputs = false } = {}) {
    checkMethod(method);
    const [ia, ib, ic, ie] = this.#ids([a, b, c, expected]);
    const { rank, score } = guarded(() => this.core.analogyRank(ia, ib, ic, ie, method, includeInputs));
    return { word: this.words[ie], rank, score };
  }

  /** Word arithmetic: "king - man + woman", "0.5*paris + 0.5*rome". */
  expression(text, { k = 10, includeInputs = false } = {}) {
    checkK(k);
    const out = guarded(() => this.core.expression(String(text), k, includeInputs));
    return {
      results: this.#results(out),
      terms: Array.from(out.termIds, (id, i) => ({ word: this.words[id], weight: out.termWeights[i] })),
    };
  }

  similarity(a, b) {
    const [ia, ib] = this.#ids([a, b]);
    return guarded(() => this.core.similarity(ia, ib));
  }

  /** Words from the odd one out to the most typical, with their cosine to the group mean. */
  oddOneOut(words) {
    if (!Array.isArray(words) || words.length < 3) {
      throw new ExplorerError('odd-one-out needs a list of at least 3 words', { code: 'BAD_ARGUMENT' });
    }
    return { results: this.#results(guarded(() => this.core.oddOneOut(this.#ids(words)))) };
  }

  /** Cosines of all pairs among `sample` seeded random rows (for a histogram). */
  pairCosines({ sample = 1000, seed = 1 } = {}) {
    return guarded(() => this.core.pairCosines(sample, seed));
  }

  /** Eigenvalues of the current space's covariance, largest first. */
  spectrum() {
    return guarded(() => this.core.spectrum());
  }

  /** A flat object of figures about the table and the current space. */
  stats({ sample = 1000, seed = 1 } = {}) {
    const a = guarded(() => this.core.anisotropy(sample, seed));
    const spectrum = this.spectrum();
    return {
      words: this.info.words,
      dims: this.info.dims,
      space: this.space,
      kernel: this.info.kernel,
      table_bytes: this.info.memoryBytes,
      mean_pair_cosine: a.meanPairCosine,
      pair_cosine_std: a.pairCosineStd,
      pairs_sampled: a.pairs,
      variance_top1: a.varianceTop1,
      variance_top3: a.varianceTop3,
      variance_top10: a.varianceTop10,
      eigenvalue_max: spectrum[0],
      eigenvalue_min: spectrum[spectrum.length - 1],
      mean_norm: a.meanNorm,
      mean_vector_norm: a.meanVectorNorm,
    };
  }

  /**
   * 3D coordinates (Float32Array, n*3) for words or ids.
   * method: 'pca' (of the selection), 'pca-table' (principal axes of the
   * whole table), or 'axes' with axes = [{from: [words], to: [words]}, ...].
   */
  project(words, { method = 'pca', axes = [] } = {}) {
    const ids = this.#ids(words);
    if (method === 'pca' || method === 'pca-table') {
      return guarded(() => this.core.projectPca(ids, method === 'pca-table'));
    }
    if (method === 'axes') {
      const axisIds = axes.map((axis) => ({ from: this.#ids(axis.from), to: this.#ids(axis.to) }));
      return guarded(() => this.core.projectAxes(ids, axisIds));
    }
    throw new ExplorerError(`unknown projection "${method}" (expected pca, pca-table or axes)`, { code: 'BAD_ARGUMENT' });
  }

  /**
   * Seeded, progressive 3D t-SNE of words (or ids), as unit vectors in the
   * current space: Barnes-Hut, 2 to 10,000 points. Computes the input
   * affinities now (about 0.15 s for 2,000 words) and returns a
   * TsneSession; step(k) then runs k iterations (early exaggeration for
   * the first 250). Same words, space, options and seed: same layout.
   * theta is the Barnes-Hut accuracy, 0 (exact) to 1.
   */
  tsne(words, { perplexity = 30, seed = 1, theta = 0.5 } = {}) {
    if (!Array.isArray(words)) throw new ExplorerError('t-SNE needs a list of words', { code: 'BAD_ARGUMENT' });
    if (typeof perplexity !== 'number' || !(perplexity > 0) || !Number.isFinite(perplexity)) {
      throw new ExplorerError(`perplexity must be a positive number, got ${perplexity}`, { code: 'BAD_ARGUMENT' });
    }
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ExplorerError(`seed must be a whole number from 0 to 2^53, got ${seed}`, { code: 'BAD_ARGUMENT' });
    }
    if (typeof theta !== 'number' || !(theta >= 0 && theta <= 1)) {
      throw new ExplorerError(`theta must be between 0 and 1, got ${theta}`, { code: 'BAD_ARGUMENT' });
    }
    const ids = this.#ids(words);
    const run = new this.module.TsneRun();
    try {
      const size = guarded(() => run.start(this.core, ids, perplexity, seed, theta));
      return new TsneSession(run, { ids, words: ids.map((id) => this.words[id]), size });
    } catch (error) {
      run.delete();
      throw error;
    }
  }

  /**
   * Accuracy on a questions-words file. Runs in batches of `batch`
   * questions, one call into wasm each (V8 optimizes a wasm function only
   * on its next call, and this lets a worker report progress and cancel).
   */
  async evaluateAnalogies(text, { method = '3cosadd', batch = 256, onProgress, signal, predictions = false } = {}) {
    checkMethod(method);
    const started = performance.now();
    const evaluation = new this.module.AnalogyEvaluation();
    try {
      const total = guarded(() => evaluation.start(this.core, String(text), method));
      while (!guarded(() => evaluation.step(batch))) {
        if (signal?.aborted) throw signal.reason ?? new ExplorerError('evaluation cancelled', { code: 'ABORTED' });
        onProgress?.({ done: evaluation.evaluated(), total });
        // Yield to the event loop so progress and cancel messages get through.
        if (onProgress || signal) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      onProgress?.({ done: total, total });
      const sections = evaluation.sections();
      const correct = evaluation.correct();
      const result = {
        total: { correct, count: total, accuracy: total ? correct / total : 0 },
        sections: sections.map((s) => ({ name: s.name, correct: s.correct, count: s.count })),
        skipped: evaluation.skipped(),
        invalid_lines: evaluation.invalidLines(),
        seconds: (performance.now() - started) / 1000,
      };
      if (predictions) {
        const items = evaluation.items();
        const predicted = evaluation.predictions();
        result.predictions = Array.from(predicted, (p, i) => {
          const [section, a, b, c, expected] = items.subarray(i * 5, i * 5 + 5);
          return {
            section: sections[section].name,
            a: this.words[a],
            b: this.words[b],
            c: this.words[c],
            expected: this.words[expected],
            predicted: p < this.words.length ? this.words[p] : '',
          };
        });
      }
      return result;
    } finally {
      evaluation.delete();
    }
  }

  /** Spearman and Pearson correlation on a "word1 word2 score" file. */
  evaluatePairs(text) {
    const r = guarded(() => this.core.evaluatePairs(String(text)));
    return { spearman: r.spearman, pearson: r.pearson, pairs: r.pairs, oov: r.oov, invalid_lines: r.invalidLines };
  }

  /** Current size of the wasm heap (it only ever grows). */
  heapBytes() {
    return this.module.HEAPU8.length;
  }

  /** Bytes the core's allocator has handed out and not freed, for leak checks. */
  heapInUse() {
    return this.module.heapInUse();
  }
}
