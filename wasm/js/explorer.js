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

// ---- Loading your own tables ----------------------------------------

/** The largest input file (or stream) a load accepts: 1 GiB. */
export const MAX_INPUT_BYTES = 1024 ** 3;
// Chunks are copied into the wasm heap through one buffer of this size,
// reused for the whole load (larger chunks go in several pieces).
const FEED_BYTES = 1 << 20;
// Enough of a file to recognise its format (magic numbers, first lines).
const HEAD_BYTES = 4096;

function cancelled(fileName) {
  return new ExplorerError(`loading ${fileName} was cancelled`, { code: 'CANCELLED' });
}

function toBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new ExplorerError('a table chunk must be a Uint8Array or an ArrayBuffer', { code: 'BAD_ARGUMENT' });
}

// An async iterator over a ReadableStream (browsers, Node) or any async/sync iterable.
function chunksOf(source) {
  if (typeof source?.getReader === 'function') {
    const reader = source.getReader();
    return {
      next: () => reader.read(),
      return: async () => {
        await reader.cancel().catch(() => {});
        return { done: true };
      },
    };
  }
  if (source?.[Symbol.asyncIterator]) return source[Symbol.asyncIterator]();
  if (source?.[Symbol.iterator]) return source[Symbol.iterator]();
  throw new ExplorerError('loadTableStream needs a ReadableStream or an (async) iterable of Uint8Array', {
    code: 'BAD_ARGUMENT',
  });
}

/**
 * One streaming load, from EmbeddingExplorer.openTable(). push() chunks in
 * order, then finish() swaps the table in. Any error spends the loader
 * (and frees it); the explorer's current table is untouched until finish()
 * succeeds. dispose() cancels.
 */
export class TableLoader {
  #explorer;
  #handle;
  #buffer;
  #floats;
  #loaded = 0;

  constructor(explorer, handle, buffer, floats, { fileName, format }) {
    this.#explorer = explorer;
    this.#handle = handle;
    this.#buffer = buffer;
    this.#floats = floats;
    this.fileName = fileName;
    this.format = format;
  }

  /** Bytes pushed so far. */
  get loaded() {
    return this.#loaded;
  }

  /** Parses and quantizes the next bytes of the file. */
  push(chunk) {
    const handle = this.#live();
    const bytes = toBytes(chunk);
    try {
      this.#loaded += bytes.length;
      if (this.#loaded > MAX_INPUT_BYTES) {
        throw new ExplorerError(`${this.fileName} is larger than the ${MAX_INPUT_BYTES / 1024 ** 3} GiB input limit`, {
          code: 'TOO_LARGE',
        });
      }
      for (let at = 0; at < bytes.length; at += FEED_BYTES) {
        const piece = bytes.subarray(at, at + FEED_BYTES);
        // A fresh view each time: the heap may have grown (detaching old
        // views) during the previous feed.
        this.#buffer.view().set(piece);
        guarded(() => handle.feed(this.#buffer, piece.length));
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /**
   * Ends the file and swaps the new table in:
   * {info, report: {fileName, format, words, dims, duplicates, firstDuplicate,
   *  bytesBefore, bytesAfter, recallAt10, recallQueries}, metadata: {columns, values} | null}.
   */
  finish() {
    const handle = this.#live();
    const floats = this.#floats;
    this.#floats = null;  // the explorer owns it once the table is in
    try {
      const out = guarded(() => handle.finish(this.#explorer.core, this.fileName));
      const info = this.#explorer._tableSwapped(out.info, floats);
      return { info, report: { ...out.report }, metadata: out.metadata ?? null };
    } catch (error) {
      floats?.delete();
      throw error;
    } finally {
      this.dispose();
    }
  }

  /** Cancels: frees everything; the current table is untouched. */
  dispose() {
    this.#handle?.delete();
    this.#buffer?.delete();
    this.#floats?.delete();
    this.#handle = this.#buffer = this.#floats = null;
  }

  #live() {
    if (!this.#handle) {
      throw new ExplorerError(`the loader for ${this.fileName} is spent (finished, failed or disposed)`, {
        code: 'BAD_ARGUMENT',
      });
    }
    return this.#handle;
  }
}

// GPT-2's byte-level alphabet: printable Latin-1 bytes stand for
// themselves, the other 68 bytes were moved to U+0100.. (Ġ is a space,
// Ċ a newline). Inverted once, for displayWord.
const BYTE_OF_GPT2_CHAR = (() => {
  const map = new Map();
  let moved = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    map.set(String.fromCodePoint(printable ? b : 256 + moved++), b);
  }
  return map;
})();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const SHOWN_WHITESPACE = { ' ': '·', '\n': '⏎', '\t': '⇥', '\r': '␍' };

/**
 * A readable form of a subword token, for display only (search and
 * analogy use the token as it is): BERT's "##ing" -> "‑ing", GPT-2's
 * byte-level "Ġthe" -> "·the" and "Ċ" -> "⏎", SentencePiece's "▁the" ->
 * "·the". Plain words come back unchanged.
 */
export function displayWord(word) {
  word = String(word);
  if (word.length > 2 && word.startsWith('##')) return `\u2011${word.slice(2)}`;
  if (word.includes('\u2581')) return word.replaceAll('\u2581', '·');
  const chars = [...word];
  if (chars.some((c) => c.codePointAt(0) >= 0x100 && c.codePointAt(0) <= 0x143) && chars.every((c) => BYTE_OF_GPT2_CHAR.has(c))) {
    try {
      const text = utf8Strict.decode(Uint8Array.from(chars, (c) => BYTE_OF_GPT2_CHAR.get(c)));
      // Other control bytes become their Unicode control pictures (U+2400..).
      return text.replace(/[\x00-\x20\x7f]/g, (c) => SHOWN_WHITESPACE[c] ?? String.fromCodePoint(c === '\x7f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
    } catch {
      return word;  // part of a multi-byte character: nothing readable to show
    }
  }
  return word;
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
    this._adoptFloats(null);
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
      this._adoptFloats(null);
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

  // ---- Loading your own tables (A1) ----

  #copyIn(bytes, use) {
    const data = toBytes(bytes);
    const buffer = new this.module.ByteBuffer(data.length);
    try {
      buffer.view().set(data);
      return use(buffer, data.length);
    } finally {
      buffer.delete();
    }
  }

  /** The format name detectFormat would pick for a file name and its first bytes. */
  detectFormat(fileName, head = new Uint8Array(0)) {
    const bytes = toBytes(head).subarray(0, HEAD_BYTES);
    return this.#copyIn(bytes, (buffer, size) => guarded(() => this.module.detectFormat(String(fileName), buffer, size)));
  }

  /**
   * Starts a streaming load of an embedding file: returns a TableLoader to
   * push() chunks into. `format` is detected from `head` and the file name
   * when absent. Companions: vocab {fileName, bytes} for npy/safetensors,
   * metadata {fileName, bytes} for tsv, tensor (safetensors tensor name).
   * keepFloats keeps a float32 copy for quantizationLab().
   */
  openTable({ fileName = 'table', format, head, totalBytes, vocab, metadata, tensor, keepFloats = false } = {}) {
    fileName = String(fileName);
    if (totalBytes !== undefined && totalBytes > MAX_INPUT_BYTES) {
      throw new ExplorerError(
        `${fileName} is ${(totalBytes / 1024 ** 3).toFixed(2)} GiB; the input limit is ${MAX_INPUT_BYTES / 1024 ** 3} GiB`,
        { code: 'TOO_LARGE' },
      );
    }
    for (const companion of [vocab, metadata]) {
      if (companion && toBytes(companion.bytes).length > MAX_INPUT_BYTES) {
        throw new ExplorerError(`${companion.fileName} is larger than the input limit`, { code: 'TOO_LARGE' });
      }
    }
    format ??= this.detectFormat(fileName, head);
    const handle = new this.module.TableLoader();
    let floats = null;
    let buffer = null;
    try {
      if (vocab) this.#copyIn(vocab.bytes, (b) => guarded(() => handle.setVocabulary(String(vocab.fileName ?? 'vocab.txt'), b)));
      if (metadata) {
        this.#copyIn(metadata.bytes, (b) => guarded(() => handle.setMetadata(String(metadata.fileName ?? 'metadata.tsv'), b)));
      }
      if (tensor) handle.setTensor(String(tensor));
      const name = guarded(() => handle.start(String(format), fileName));
      if (keepFloats) {
        floats = new this.module.FloatCopy();
        guarded(() => handle.keepFloats(floats));
      }
      buffer = new this.module.ByteBuffer(FEED_BYTES);
      return new TableLoader(this, handle, buffer, floats, { fileName, format: name });
    } catch (error) {
      handle.delete();
      floats?.delete();
      buffer?.delete();
      throw error;
    }
  }

  /** Called by TableLoader.finish() once the core has swapped the table in. */
  _tableSwapped(info, floats) {
    this._adoptFloats(floats ?? null);
    this.words = guarded(() => this.core.vocabularyText()).split('\n');
    this.info = { ...info, space: 'raw' };
    return this.info;
  }

  /**
   * Loads a table from a ReadableStream or an (async) iterable of
   * Uint8Array chunks (a File's stream(), fs.createReadStream): the
   * convenience the worker and the CLI use. options as openTable; the first
   * chunk serves as `head` for detection. onProgress({loaded, total}) after
   * each chunk; an aborted signal stops with ExplorerError CANCELLED.
   */
  async loadTableStream(source, options = {}, { onProgress, signal } = {}) {
    const fileName = String(options.fileName ?? 'table');
    if (signal?.aborted) throw cancelled(fileName);
    const chunks = chunksOf(source);
    let loader = null;
    try {
      // Detection wants the first few kB, whatever size the chunks come in.
      const first = [];
      let firstBytes = 0;
      let item = await chunks.next();
      while (!item.done && firstBytes < HEAD_BYTES) {
        first.push(toBytes(item.value));
        firstBytes += first.at(-1).length;
        item = await chunks.next();
      }
      const head = new Uint8Array(Math.min(firstBytes, HEAD_BYTES));
      for (let i = 0, at = 0; at < head.length; at += first[i++].length) {
        head.set(first[i].subarray(0, head.length - at), at);
      }
      loader = this.openTable({ ...options, fileName, head: options.head ?? head });
      const push = (chunk) => {
        if (signal?.aborted) throw cancelled(fileName);
        loader.push(chunk);
        onProgress?.({ loaded: loader.loaded, total: options.totalBytes });
      };
      for (const chunk of first) push(chunk);
      while (!item.done) {
        push(item.value);
        item = await chunks.next();
      }
      if (signal?.aborted) throw cancelled(fileName);
      const out = loader.finish();
      loader = null;
      return out;
    } catch (error) {
      loader?.dispose();
      await chunks.return?.();
      throw error;
    }
  }

  /** Tensors of a safetensors file, from its first bytes: [{name, dtype, shape}]. */
  listTensors(fileName, headBytes) {
    const list = this.#copyIn(headBytes, (buffer, size) => guarded(() => this.module.listTensors(String(fileName), buffer, size)));
    return Array.from(list, (t) => ({ name: t.name, dtype: t.dtype, shape: Array.from(t.shape) }));
  }

  /** The loaded table as EMBQ bytes (per-row metadata is not included). */
  saveTable() {
    return guarded(() => this.module.saveTable(this.core));
  }

  /** Metadata columns of the loaded table (Projector TSV): {columns, values[column][row]} or null. */
  metadata() {
    const m = guarded(() => this.module.tableMetadata(this.core));
    return m ? { columns: Array.from(m.columns), values: Array.from(m.values, (v) => Array.from(v)) } : null;
  }

  /** A readable form of a subword token (see displayWord). */
  displayWord(word) {
    return displayWord(word);
  }

  // ---- Quantization lab ----

  #floats = null;

  /**
   * For openTable: keeps `copy` (a module.FloatCopy filled while a table
   * loaded with keepFloats) as the float32 rows of the table just swapped
   * in, or drops the old copy (null) when a table loads without one.
   */
  _adoptFloats(copy) {
    if (this.#floats && this.#floats !== copy) this.#floats.delete();
    this.#floats = copy ?? null;
  }

  /** Whether the loaded table has a float32 copy for quantizationLab(). */
  get hasFloats() {
    return this.#floats !== null;
  }

  /**
   * int8 (and int4) against float32 on a table opened with keepFloats:
   * recall@10 over `sample` seeded query words, 3CosAdd accuracy on a
   * questions-words text (analogyAccuracy null without one), memory bytes
   * and mean query latency, all in the raw space. Runs in steps of
   * `batch` units (a query word or a question each) with onProgress({done,
   * total}) between them; an aborted signal stops it. Each step scans the
   * table in all three forms, so the full questions-words file on 50,000
   * words takes about 20 s in Node.
   * Resolves to {float32, int8, int4: {bytes, queryMs, recallAt10,
   * analogyAccuracy, analogyCorrect, analogyQuestions}, sample, analogySkipped}.
   */
  async quantizationLab({ questions = '', sample = 200, seed = 1, batch = 128, onProgress, signal } = {}) {
    if (!this.#floats) {
      throw new ExplorerError('the quantization lab needs a table opened with keepFloats: true', {
        code: 'BAD_ARGUMENT',
      });
    }
    if (!Number.isInteger(sample) || sample < 1 || sample > 100000) {
      throw new ExplorerError(`sample must be a whole number from 1 to 100000, got ${sample}`, { code: 'BAD_ARGUMENT' });
    }
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ExplorerError(`seed must be a whole number from 0 to 2^53, got ${seed}`, { code: 'BAD_ARGUMENT' });
    }
    const lab = new this.module.QuantizationLab();
    try {
      const floats = this.#floats;
      const total = guarded(() => lab.start(this.core, floats, String(questions), sample, seed));
      while (!guarded(() => lab.step(batch))) {
        if (signal?.aborted) throw signal.reason ?? new ExplorerError('quantization lab cancelled', { code: 'CANCELLED' });
        onProgress?.({ done: lab.done(), total });
        // Yield to the event loop so progress and cancel messages get through.
        if (onProgress || signal) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      onProgress?.({ done: total, total });
      return guarded(() => lab.report());
    } finally {
      lab.delete();
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
