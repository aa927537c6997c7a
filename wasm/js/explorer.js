// The JS face of the geometry core.
//
// Owns every Embind object (ByteBuffer, Explorer, AnalogyEvaluation) and
// deletes temporaries in `finally`: objects created by the wasm module are
// not garbage collected by the JS runtime. Everything it returns is a plain
// value or a typed array that JS owns, so a Web Worker can post results
// straight back to the page.
//
// The types below are the public API (checked by `npm run typecheck`); a
// TypeScript project gets them by importing this file with allowJs, or from
// the declarations `tsc --declaration` emits for it.
import createExplorerModule from './core-module.js';
import { ErrorCode, ExplorerError, cancellation } from './errors.js';
import { relationPairs } from './relation-pairs.js';

/** @typedef {import('./core-module.js').CoreModule} CoreModule */
/** @typedef {import('./core-module.js').CoreExplorer} CoreExplorer */
/** @typedef {import('./core-module.js').CoreScored} CoreScored */
/** @typedef {import('./core-module.js').CoreFailure} CoreFailure */
/** @typedef {import('./core-module.js').CoreLabReport} QuantizationLabReport */
/** @typedef {import('./core-module.js').CoreLoadReport} LoadReport */
/** @typedef {import('./core-module.js').CoreMetadata} TableMetadata */

/** @typedef {'3cosadd' | '3cosmul'} AnalogyMethod */
/**
 * A space spec: 'raw' | 'centered' | 'whitened' | 'whitened:K' | 'zca' | 'abtt:D', optionally with
 * neutralised directions layered over it: 'centered~he:she,man:woman' ('@pc' after the pairs for
 * the principal component; see neutralisedSpace in directions.js).
 * @typedef {string} SpaceSpec
 */
/** @typedef {{ words: number, dims: number, name: string, memoryBytes: number, kernel: string, space: string }} TableInfo */
/** @typedef {{ word: string, id: number, score: number }} ScoredWord */
/** @typedef {{ word: string, rank: number, score: number }} ExpectedRank */
/**
 * Neighbours, and what produced them: the metric ('cosine': scores are
 * cosines, highest first; 'euclidean': scores are distances in the space,
 * nearest first) and the canonical space.
 * @typedef {'cosine' | 'euclidean'} NeighborMetric
 * @typedef {{ results: ScoredWord[], inputs: number[], metric: NeighborMetric, space: string }} NeighborsResult
 */
/**
 * `other` (with `compare: true`): the other method's answers and, with
 * `expected`, its rank of the expected word.
 * @typedef {{ method: AnalogyMethod, results: ScoredWord[], expected?: ExpectedRank }} MethodAnswers
 * @typedef {MethodAnswers & { inputs: number[], other?: MethodAnswers, space: string }} AnalogyResult
 */
/**
 * @typedef {{ results: ScoredWord[], terms: { word: string, id: number, weight: number }[], inputs: number[],
 *   metric: NeighborMetric, space: string }} ExpressionResult
 */
/**
 * Anisotropy figures of one space (`sample` seeded rows).
 * @typedef {{ words: number, dims: number, space: string, kernel: string, tableBytes: number,
 *   meanPairCosine: number, pairCosineStd: number, pairsSampled: number, varianceTop1: number,
 *   varianceTop3: number, varianceTop10: number, eigenvalueMax: number, eigenvalueMin: number,
 *   meanNorm: number, meanVectorNorm: number }} SpaceStats
 */
/** @typedef {{ space: string, stats: SpaceStats, cosines: Float32Array, spectrum: Float64Array }} AnisotropyReport */
/** @typedef {{ coordinates: Float32Array, explained: Float32Array, componentsExplained?: Float32Array }} Projection */
/**
 * An axis: two word sets, or with pairs: true index-aligned pairs from[i] -> to[i]
 * (the direction is then the mean of the normalised pair differences).
 * @typedef {{ from: (string | number)[], to: (string | number)[], pairs?: boolean }} ProjectionAxis
 */
/**
 * @typedef {{ a?: string | number, b?: string | number, c?: string | number, text?: string,
 *   answer?: string | number | null, words?: (string | number)[], layout?: 'plane' | 'pca' }} GeometryQuery
 * @typedef {{ point: Float32Array, pointNorm: number, nearest: ScoredWord | null, offsetCosine: number | null,
 *   corners: { a: string, b: string, c: string, d: string, ids: number[] } | null,
 *   terms: { id: number, weight: number, word: string }[], ids: number[], coordinates: Float32Array,
 *   explained: Float32Array, layout: 'plane' | 'pca' }} AnalogyGeometry
 * @typedef {{ pairs: { from: string, to: string, cosine: number, length: number }[], meanLength: number,
 *   skipped: [string, string][] }} OffsetReport
 */
/** @typedef {{ name: string, correct: number, count: number }} SectionScore */
/** @typedef {{ section: string, a: string, b: string, c: string, expected: string, predicted: string }} Prediction */
/**
 * @typedef {{ space: string, method: AnalogyMethod, total: { correct: number, count: number, accuracy: number },
 *   sections: SectionScore[], skipped: number, invalidLines: number, seconds: number,
 *   predictions?: Prediction[] }} AnalogyScores
 */
/** @typedef {{ space: string, spearman: number, pearson: number, pairs: number, oov: number, invalidLines: number }} PairScores */
/** @typedef {{ space: string, analogies?: AnalogyScores, pairs?: PairScores }} SpaceScores */
/** @typedef {{ done: number, total: number }} StepProgress */
/** @typedef {StepProgress & { space: string, index: number, spaces: number }} SpacesProgress */
/** @typedef {{ prepared: number, total: number }} TsneStartProgress */
/**
 * The k-NN graph of a list: `neighbors` are positions in `ids`, row-major points x k, best first.
 * @typedef {{ ids: Uint32Array, k: number, neighbors: Uint32Array, cosines: Float32Array, seconds: number }} KnnGraph
 */
/**
 * Faithfulness of a layout: per-point neighbour recall (0..1), its mean, trustworthiness(k), and
 * the full-space neighbours (positions in `ids`, points x k).
 * @typedef {{ ids: Uint32Array, k: number, dims: number, neighborRecall: Float32Array, meanNeighborRecall: number,
 *   trustworthiness: number, neighbors: Uint32Array, seconds: number }} FaithfulnessReport
 */
/**
 * What every stepped (long) call accepts. `between` runs between steps
 * (default: one turn of the event loop), so a worker can answer queries
 * there; an aborted `signal` stops the call with ExplorerError CANCELLED.
 * @typedef {{ signal?: AbortSignal, between?: () => Promise<void> }} StepOptions
 */
/** @typedef {{ fileName?: string, bytes: Uint8Array | ArrayBuffer }} Companion */
/**
 * @typedef {{ fileName?: string, format?: string, head?: Uint8Array, totalBytes?: number,
 *   vocab?: Companion, metadata?: Companion, tensor?: string, keepFloats?: boolean }} OpenTableOptions
 */
/** @typedef {{ loaded: number, total: number | undefined }} LoadProgress */
/** @typedef {{ info: TableInfo, report: LoadReport, metadata: TableMetadata | null }} LoadResult */

const isNode = typeof process !== 'undefined' && Boolean(process.versions?.node);

export { ErrorCode, ExplorerError } from './errors.js';
// Issue 9's directions, neutralised spaces, contributions and navigator (functions taking the explorer).
export * from './directions.js';
export { Navigator, buildNavigator } from './navigator.js';

/** @param {string} message */
const badArgument = (message) => new ExplorerError(message, { code: ErrorCode.BAD_ARGUMENT });

// Calls into the core. The bindings return failures as values
// ({explorerError: true, code, message, ...}) rather than throwing across
// the boundary; anything that is thrown (an abort, a trap, an Embind type
// error) is a bug in the core or in this wrapper.
/**
 * @template T
 * @param {() => T | CoreFailure} fn
 * @returns {T}
 */
export function guarded(fn) {
  let result;
  try {
    result = fn();
  } catch (error) {
    throw new ExplorerError(`internal error in the WebAssembly core: ${error instanceof Error ? error.message : error}`, {
      code: ErrorCode.INTERNAL,
    });
  }
  if (result !== null && typeof result === 'object' && /** @type {CoreFailure} */ (result).explorerError === true) {
    const failure = /** @type {CoreFailure} */ (result);
    throw new ExplorerError(failure.message, {
      code: failure.code,
      word: failure.word,
      suggestions: failure.suggestions ? Array.from(failure.suggestions) : [],
    });
  }
  return /** @type {T} */ (result);
}

// One turn of the event loop without the 4 ms clamp that nested
// setTimeout(0) gets in browsers: setImmediate in Node, a MessageChannel
// in a page or worker.
/** @type {(() => Promise<void>) | null} */
let nextTurn = null;
/** @returns {Promise<void>} */
export function yieldToEventLoop() {
  if (!nextTurn) {
    if (typeof setImmediate === 'function') {
      nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    } else {
      const channel = new MessageChannel();
      /** @type {(() => void)[]} */
      const waiting = [];
      channel.port1.onmessage = () => waiting.shift()?.();
      nextTurn = () =>
        new Promise((resolve) => {
          waiting.push(resolve);
          channel.port2.postMessage(null);
        });
    }
  }
  return nextTurn();
}

// A step of a long call aims at this many milliseconds: a query that
// arrives meanwhile waits at most about that long.
const STEP_SLICE_MS = 10;

/**
 * Runs `step(batch)` until it returns true, sizing each batch from the
 * time the last one took so that a step lasts about STEP_SLICE_MS whatever
 * the table size or the machine. Between steps: `onStep()` (progress), a
 * check of the signal, and `between()`.
 * @param {(batch: number) => boolean} step
 * @param {StepOptions & { what: string, onStep?: () => void, firstBatch?: number, maxBatch?: number }} options
 */
export async function runInSteps(step, { what, signal, between = yieldToEventLoop, onStep, firstBatch = 8, maxBatch = 4096 }) {
  let batch = firstBatch;
  for (;;) {
    if (signal?.aborted) throw cancellation(signal, what);
    const started = performance.now();
    if (step(batch)) return;
    const ms = performance.now() - started;
    // At most double per step: one fast step (a cached space) must not
    // make the next one long.
    batch = Math.max(1, Math.min(maxBatch, 2 * batch, Math.round((batch * STEP_SLICE_MS) / Math.max(ms, 0.25))));
    onStep?.();
    await between();
  }
}

/**
 * Instantiates the wasm module. In Node the .wasm bytes are read from disk
 * and passed as wasmBinary (emscripten 3.1.6's ES6 loader cannot locate or
 * fetch a file path in Node); in a browser or worker it is fetched next to
 * explorer_core.mjs unless `wasmUrl` or `wasmBinary` says otherwise.
 * @param {{ wasmBinary?: ArrayBuffer | Uint8Array, wasmUrl?: string | URL }} [options]
 * @returns {Promise<CoreModule>}
 */
export async function loadCoreModule({ wasmBinary, wasmUrl } = {}) {
  /** @type {import('./core-module.js').CoreModuleOptions} */
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

/** The spaces compared when none are named. */
const SPACES_COMPARED = Object.freeze(['raw', 'centered', 'whitened', 'abtt:3']);

/**
 * @param {unknown} method
 * @returns {AnalogyMethod}
 */
function checkMethod(method) {
  if (typeof method !== 'string' || !METHODS.has(method)) {
    throw badArgument(`unknown analogy method "${method}" (expected 3cosadd or 3cosmul)`);
  }
  return /** @type {AnalogyMethod} */ (method);
}

/** @param {number} k */
function checkK(k) {
  if (!Number.isInteger(k) || k < 1 || k > 10000) throw badArgument(`k must be a whole number from 1 to 10000, got ${k}`);
  return k;
}

export const METRICS = Object.freeze(['cosine', 'euclidean']);

/** @param {unknown} metric @returns {NeighborMetric} */
function checkMetric(metric) {
  if (typeof metric !== 'string' || !METRICS.includes(metric)) {
    throw badArgument(`unknown metric "${metric}" (expected cosine or euclidean)`);
  }
  return /** @type {NeighborMetric} */ (metric);
}

/** @param {number} seed */
function checkSeed(seed) {
  if (!Number.isSafeInteger(seed) || seed < 0) throw badArgument(`seed must be a whole number from 0 to 2^53, got ${seed}`);
  return seed;
}

/**
 * Quantizes float rows into the EMBQ file format (used by the data build).
 * @param {CoreModule} module
 * @param {{ values: ArrayLike<number>, rows: number, dims: number, words: string[], name?: string }} table
 * @returns {Uint8Array}
 */
export function quantizeTable(module, { values, rows, dims, words, name = '' }) {
  if (words.length !== rows) {
    throw new ExplorerError(`${words.length} words for ${rows} rows`, { code: ErrorCode.BAD_DATA });
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
 * A progressive t-SNE run, from EmbeddingExplorer.tsne() or startTsne().
 * step(k) runs k more iterations and returns the layout; to pause, stop
 * calling it. It holds a wasm object: call dispose() when done (the
 * explorer can load other tables or switch spaces meanwhile; the run keeps
 * its own copy).
 */
export class TsneSession {
  /** @type {import('./core-module.js').CoreTsneRun | null} */
  #run;

  /**
   * @param {import('./core-module.js').CoreTsneRun} run
   * @param {{ ids: number[], words: string[], size: number, dims?: number }} points
   */
  constructor(run, { ids, words, size, dims = 3 }) {
    this.#run = run;
    this.ids = ids;
    this.words = words;
    this.size = size;
    this.dims = dims; // 2: every z of the n*3 positions is 0
  }

  /**
   * Runs `iterations` more iterations (finishing the affinities first if a
   * tsne() start left them to do).
   * @returns {{ iteration: number, positions: Float32Array }} positions n*3, centred
   */
  step(iterations = 1) {
    if (!Number.isInteger(iterations) || iterations < 0 || iterations > 100000) {
      throw badArgument(`iterations must be a whole number from 0 to 100000, got ${iterations}`);
    }
    const run = this.#live();
    const iteration = guarded(() => run.step(iterations));
    return { iteration, positions: run.positions() };
  }

  get iteration() {
    return this.#live().iteration();
  }

  /** @returns {Float32Array} */
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
    if (!this.#run) throw badArgument('this t-SNE session was disposed');
    return this.#run;
  }
}

/**
 * A progressive UMAP run, from EmbeddingExplorer.umap() or startUmap().
 * step(k) runs up to k more epochs (never past `epochs`) and returns the
 * layout; to pause, stop calling it. It holds a wasm object: call
 * dispose() when done (the run keeps its own table and space).
 */
export class UmapSession {
  /** @type {import('./core-module.js').CoreUmapRun | null} */
  #run;

  /**
   * @param {import('./core-module.js').CoreUmapRun} run
   * @param {{ ids: number[], words: string[], size: number }} points
   */
  constructor(run, { ids, words, size }) {
    this.#run = run;
    this.ids = ids;
    this.words = words;
    this.size = size;
    this.dims = run.dims();
  }

  /**
   * Runs up to `epochs` more epochs (finishing the k-NN graph first if an
   * umap() start left it to do).
   * @returns {{ epoch: number, epochs: number, positions: Float32Array }} positions n*dims
   */
  step(epochs = 1) {
    if (!Number.isInteger(epochs) || epochs < 0 || epochs > 100000) {
      throw badArgument(`epochs must be a whole number from 0 to 100000, got ${epochs}`);
    }
    const run = this.#live();
    const epoch = guarded(() => run.step(epochs));
    this.dims = run.dims();
    return { epoch, epochs: run.epochs(), positions: run.positions() };
  }

  get epoch() {
    return this.#live().epoch();
  }

  /** Epochs the whole run takes (500 below 10,000 points, 200 from there on). */
  get epochs() {
    return this.#live().epochs();
  }

  get done() {
    const run = this.#live();
    return run.ready() && run.epoch() >= run.epochs();
  }

  /** @returns {Float32Array} n*dims, empty until the graph is ready */
  positions() {
    return this.#live().positions();
  }

  /** Frees the wasm-side run. The session is unusable afterwards. */
  dispose() {
    this.#run?.delete();
    this.#run = null;
  }

  #live() {
    if (!this.#run) throw badArgument('this UMAP session was disposed');
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

/** @param {string} fileName */
function loadCancelled(fileName) {
  return new ExplorerError(`loading ${fileName} was cancelled`, { code: ErrorCode.CANCELLED });
}

/**
 * @param {unknown} chunk
 * @returns {Uint8Array}
 */
function toBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw badArgument('a table chunk must be a Uint8Array or an ArrayBuffer');
}

/**
 * A source of table bytes: a ReadableStream (browsers, Node) or any
 * async or sync iterable of chunks.
 * @typedef {ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | ArrayBuffer> | Iterable<Uint8Array | ArrayBuffer>} ChunkSource
 */
/** @typedef {{ next(): Promise<IteratorResult<unknown>> | IteratorResult<unknown>, return?(): unknown }} ChunkIterator */

/**
 * @param {ChunkSource} source
 * @returns {ChunkIterator}
 */
function chunksOf(source) {
  if ('getReader' in source && typeof source.getReader === 'function') {
    const reader = source.getReader();
    return {
      next: () => reader.read(),
      return: async () => {
        await reader.cancel().catch(() => {});
        return { done: true, value: undefined };
      },
    };
  }
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  if (Symbol.iterator in source) return source[Symbol.iterator]();
  throw badArgument('loadTableStream needs a ReadableStream or an (async) iterable of Uint8Array');
}

/**
 * One streaming load, from EmbeddingExplorer.openTable(). push() chunks in
 * order, then finish() swaps the table in. Any error spends the loader
 * (and frees it); the explorer's current table is untouched until finish()
 * succeeds. dispose() cancels.
 */
export class TableLoader {
  /** @type {EmbeddingExplorer} */
  #explorer;
  /** @type {import('./core-module.js').CoreTableLoader | null} */
  #handle;
  /** @type {import('./core-module.js').ByteBuffer | null} */
  #buffer;
  /** @type {import('./core-module.js').FloatCopy | null} */
  #floats;
  #loaded = 0;

  /**
   * @param {EmbeddingExplorer} explorer
   * @param {import('./core-module.js').CoreTableLoader} handle
   * @param {import('./core-module.js').ByteBuffer} buffer
   * @param {import('./core-module.js').FloatCopy | null} floats
   * @param {{ fileName: string, format: string }} names
   */
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

  /**
   * Parses and quantizes the next bytes of the file.
   * @param {Uint8Array | ArrayBuffer} chunk
   */
  push(chunk) {
    const handle = this.#live();
    const buffer = /** @type {import('./core-module.js').ByteBuffer} */ (this.#buffer);
    const bytes = toBytes(chunk);
    try {
      this.#loaded += bytes.length;
      if (this.#loaded > MAX_INPUT_BYTES) {
        throw new ExplorerError(`${this.fileName} is larger than the ${MAX_INPUT_BYTES / 1024 ** 3} GiB input limit`, {
          code: ErrorCode.TOO_LARGE,
        });
      }
      for (let at = 0; at < bytes.length; at += FEED_BYTES) {
        const piece = bytes.subarray(at, at + FEED_BYTES);
        // A fresh view each time: the heap may have grown (detaching old
        // views) during the previous feed.
        buffer.view().set(piece);
        guarded(() => handle.feed(buffer, piece.length));
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /**
   * Ends the file and swaps the new table in.
   * @returns {LoadResult}
   */
  finish() {
    const handle = this.#live();
    const floats = this.#floats;
    this.#floats = null; // the explorer owns it once the table is in
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
    if (!this.#handle) throw badArgument(`the loader for ${this.fileName} is spent (finished, failed or disposed)`);
    return this.#handle;
  }
}

// GPT-2's byte-level alphabet: printable Latin-1 bytes stand for
// themselves, the other 68 bytes were moved to U+0100.. (Ġ is a space,
// Ċ a newline). Inverted once, for displayWord.
const BYTE_OF_GPT2_CHAR = (() => {
  /** @type {Map<string, number>} */
  const map = new Map();
  let moved = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    map.set(String.fromCodePoint(printable ? b : 256 + moved++), b);
  }
  return map;
})();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
/** @type {Record<string, string>} */
const SHOWN_WHITESPACE = { ' ': '·', '\n': '⏎', '\t': '⇥', '\r': '␍' };

/**
 * A readable form of a subword token, for display only (search and
 * analogy use the token as it is): BERT's "##ing" -> "‑ing", GPT-2's
 * byte-level "Ġthe" -> "·the" and "Ċ" -> "⏎", SentencePiece's "▁the" ->
 * "·the". Plain words come back unchanged.
 * @param {string} word
 * @returns {string}
 */
export function displayWord(word) {
  word = String(word);
  if (word.length > 2 && word.startsWith('##')) return `\u2011${word.slice(2)}`;
  if (word.includes('\u2581')) return word.replaceAll('\u2581', '·');
  const chars = [...word];
  const moved = (/** @type {string} */ c) => /** @type {number} */ (c.codePointAt(0)) >= 0x100 && /** @type {number} */ (c.codePointAt(0)) <= 0x143;
  if (chars.some(moved) && chars.every((c) => BYTE_OF_GPT2_CHAR.has(c))) {
    try {
      const text = utf8Strict.decode(Uint8Array.from(chars, (c) => /** @type {number} */ (BYTE_OF_GPT2_CHAR.get(c))));
      // Other control bytes become their Unicode control pictures (U+2400..).
      return text.replace(/[\x00-\x20\x7f]/g, (c) => SHOWN_WHITESPACE[c] ?? String.fromCodePoint(c === '\x7f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
    } catch {
      return word; // part of a multi-byte character: nothing readable to show
    }
  }
  return word;
}

export class EmbeddingExplorer {
  /**
   * Creates an explorer on a freshly instantiated core module.
   * @param {{ wasmBinary?: ArrayBuffer | Uint8Array, wasmUrl?: string | URL }} [options]
   */
  static async create(options = {}) {
    return new EmbeddingExplorer(await loadCoreModule(options));
  }

  /** @param {CoreModule} module */
  constructor(module) {
    this.module = module;
    this.core = new module.Explorer();
    /** @type {string[]} */
    this.words = [];
    /** @type {TableInfo | null} */
    this.info = null;
  }

  /** Frees the wasm-side explorer. The object is unusable afterwards. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this._adoptFloats(null);
    this.core.delete();
  }

  #disposed = false;

  /**
   * Loads an EMBQ table from bytes. All-or-nothing: on any error the
   * previous table stays loaded and answering.
   * @param {Uint8Array | ArrayBuffer} bytes
   * @returns {TableInfo}
   */
  load(bytes) {
    const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const buffer = new this.module.ByteBuffer(data.length);
    try {
      // view() is taken right after the allocation: memory growth would
      // detach any older view of the heap.
      buffer.view().set(data);
      const info = guarded(() => this.core.load(buffer));
      return this._tableSwapped(info, null);
    } finally {
      buffer.delete();
    }
  }

  get size() {
    return this.words.length;
  }

  /**
   * @param {CoreScored} scored
   * @param {string[]} [words] the vocabulary the ids belong to
   * @returns {ScoredWord[]}
   */
  #results({ ids, scores }, words = this.words) {
    return Array.from(ids, (id, i) => ({ word: words[id], id, score: scores[i] }));
  }

  /**
   * Id of a word (case-insensitive), or throws UNKNOWN_WORD naming it with suggestions.
   * @param {string} word
   * @returns {number}
   */
  id(word) {
    if (typeof word !== 'string') throw badArgument('a word must be a string');
    return guarded(() => this.core.require(word));
  }

  /**
   * Id of a word, or -1.
   * @param {string} word
   * @returns {number}
   */
  find(word) {
    return guarded(() => this.core.find(String(word)));
  }

  /**
   * The word as the table spells it and its raw vector.
   * @param {string} word
   * @returns {{ id: number, word: string, vector: Float32Array }}
   */
  lookup(word) {
    const id = this.id(word);
    return { id, word: this.words[id], vector: guarded(() => this.core.vector(id)) };
  }

  /**
   * Autocomplete: words starting with `prefix`, most frequent first.
   * @param {string} prefix
   * @returns {string[]}
   */
  complete(prefix, limit = 10) {
    return Array.from(guarded(() => this.core.complete(String(prefix), limit)), (id) => this.words[id]);
  }

  /**
   * Switches the space of all later queries.
   * @param {SpaceSpec} spec
   * @returns {string} the canonical name
   */
  setSpace(spec) {
    guarded(() => this.core.setSpace(String(spec)));
    if (this.info) this.info.space = this.space;
    return this.space;
  }

  /** The current space's canonical name. */
  get space() {
    return guarded(() => this.core.spaceName());
  }

  /**
   * @param {(string | number)[] | undefined} words
   * @returns {number[]}
   */
  #ids(words) {
    return (words ?? []).map((w) => (typeof w === 'number' ? w : this.id(w)));
  }

  /**
   * Nearest words to a word or id (excluding itself) or to a raw vector.
   * `inputs` holds the word's id (empty for a vector). metric 'euclidean'
   * ranks by distance between the full-length vectors in the current
   * space (scores are distances, nearest first); it takes a word or an id.
   * @param {string | number | ArrayLike<number>} query
   * @param {{ k?: number, exclude?: (string | number)[], includeSelf?: boolean, metric?: NeighborMetric }} [options]
   * @returns {NeighborsResult}
   */
  neighbors(query, { k = 10, exclude = [], includeSelf = false, metric = 'cosine' } = {}) {
    checkK(k);
    checkMetric(metric);
    const excludeIds = this.#ids(exclude);
    const space = this.space;
    if (typeof query === 'string' || typeof query === 'number') {
      const id = typeof query === 'number' ? query : this.id(query);
      const found =
        metric === 'euclidean'
          ? guarded(() => this.module.euclideanNeighbors(this.core, id, k, excludeIds, includeSelf))
          : guarded(() => this.core.neighbors(id, k, excludeIds, includeSelf));
      return { results: this.#results(found), inputs: [id], metric, space };
    }
    if (metric === 'euclidean') throw badArgument('Euclidean neighbours take a word or an id, not a vector');
    const vector = Float32Array.from(query);
    return { results: this.#results(guarded(() => this.core.neighborsOfVector(vector, k, excludeIds))), inputs: [], metric, space };
  }

  /**
   * a : b :: c : ?  (analogy('man', 'king', 'woman') gives queen). With
   * `expected`, also where that word ranks; with `compare`, the other
   * method's answers (and its rank of `expected`) as `other`.
   * @param {string} a
   * @param {string} b
   * @param {string} c
   * @param {{ k?: number, method?: AnalogyMethod, includeInputs?: boolean, expected?: string, compare?: boolean }} [options]
   * @returns {AnalogyResult}
   */
  analogy(a, b, c, { k = 10, method = '3cosadd', includeInputs = false, expected, compare = false } = {}) {
    checkK(k);
    checkMethod(method);
    const inputs = this.#ids([a, b, c]);
    /** @param {AnalogyMethod} m @returns {MethodAnswers} */
    const answers = (m) => {
      const [ia, ib, ic] = inputs;
      const out = /** @type {MethodAnswers} */ ({
        method: m,
        results: this.#results(guarded(() => this.core.analogy(ia, ib, ic, m, k, includeInputs))),
      });
      if (expected !== undefined) out.expected = this.rank(a, b, c, expected, { method: m, includeInputs });
      return out;
    };
    /** @type {AnalogyResult} */
    const out = { ...answers(method), inputs, space: this.space };
    if (compare) out.other = answers(method === '3cosmul' ? '3cosadd' : '3cosmul');
    return out;
  }

  /**
   * Where `expected` ranks for a : b :: c : ? (1 = first).
   * @param {string} a
   * @param {string} b
   * @param {string} c
   * @param {string} expected
   * @param {{ method?: AnalogyMethod, includeInputs?: boolean }} [options]
   * @returns {ExpectedRank}
   */
  rank(a, b, c, expected, { method = '3cosadd', includeInputs = false } = {}) {
    checkMethod(method);
    const [ia, ib, ic, ie] = this.#ids([a, b, c, expected]);
    const { rank, score } = guarded(() => this.core.analogyRank(ia, ib, ic, ie, method, includeInputs));
    return { word: this.words[ie], rank, score };
  }

  /**
   * Word arithmetic: "king - man + woman", "0.5*paris + 0.5*rome".
   * `inputs` holds the ids of the words it names. With metric 'cosine' the
   * query is the weighted sum of unit vectors; with 'euclidean' it is the
   * point the full-length vectors sum to, and scores are distances to it.
   * @param {string} text
   * @param {{ k?: number, includeInputs?: boolean, metric?: NeighborMetric }} [options]
   * @returns {ExpressionResult}
   */
  expression(text, { k = 10, includeInputs = false, metric = 'cosine' } = {}) {
    checkK(k);
    checkMetric(metric);
    const out =
      metric === 'euclidean'
        ? guarded(() => this.module.euclideanExpression(this.core, String(text), k, includeInputs))
        : guarded(() => this.core.expression(String(text), k, includeInputs));
    const terms = Array.from(out.termIds, (id, i) => ({ word: this.words[id], id, weight: out.termWeights[i] }));
    return { results: this.#results(out), terms, inputs: [...new Set(terms.map((t) => t.id))], metric, space: this.space };
  }

  /**
   * Cosine similarity of two words in the current space.
   * @param {string} a
   * @param {string} b
   */
  similarity(a, b) {
    const [ia, ib] = this.#ids([a, b]);
    return guarded(() => this.core.similarity(ia, ib));
  }

  /**
   * Words from the odd one out to the most typical, with their cosine to the group mean.
   * @param {string[]} words
   * @returns {{ results: ScoredWord[] }}
   */
  oddOneOut(words) {
    if (!Array.isArray(words) || words.length < 3) throw badArgument('odd-one-out needs a list of at least 3 words');
    return { results: this.#results(guarded(() => this.core.oddOneOut(this.#ids(words)))) };
  }

  /**
   * Anisotropy figures of a space (default: the current one), computed
   * without switching to it.
   * @param {{ sample?: number, seed?: number, space?: SpaceSpec }} [options]
   * @returns {SpaceStats}
   */
  stats({ sample = 1000, seed = 1, space = '' } = {}) {
    checkSeed(seed);
    const info = this.#info();
    const a = guarded(() => this.core.anisotropy(sample, seed, String(space)));
    return {
      words: info.words,
      dims: info.dims,
      space: a.space,
      kernel: info.kernel,
      tableBytes: info.memoryBytes,
      meanPairCosine: a.meanPairCosine,
      pairCosineStd: a.pairCosineStd,
      pairsSampled: a.pairs,
      varianceTop1: a.varianceTop1,
      varianceTop3: a.varianceTop3,
      varianceTop10: a.varianceTop10,
      eigenvalueMax: a.eigenvalueMax,
      eigenvalueMin: a.eigenvalueMin,
      meanNorm: a.meanNorm,
      meanVectorNorm: a.meanVectorNorm,
    };
  }

  /**
   * Everything the anisotropy panel draws for one space, without
   * switching to it: the figures, the cosines of all pairs among `sample`
   * seeded rows (a histogram) and the covariance spectrum, largest first.
   * @param {SpaceSpec} space
   * @param {{ sample?: number, seed?: number }} [options]
   * @returns {AnisotropyReport}
   */
  anisotropy(space, { sample = 600, seed = 1 } = {}) {
    const stats = this.stats({ sample, seed, space });
    const spec = String(space);
    return { space: stats.space, stats, cosines: this.pairCosines({ sample, seed, space: spec }), spectrum: this.spectrum(spec) };
  }

  /**
   * Cosines of all pairs among `sample` seeded random rows, in `space`
   * (default: the current one, which is not switched).
   * @param {{ sample?: number, seed?: number, space?: SpaceSpec }} [options]
   * @returns {Float32Array}
   */
  pairCosines({ sample = 1000, seed = 1, space = '' } = {}) {
    checkSeed(seed);
    return guarded(() => this.core.pairCosines(sample, seed, String(space)));
  }

  /**
   * Eigenvalues of a space's covariance, largest first (default: the
   * current space, which is not switched).
   * @param {SpaceSpec} [space]
   * @returns {Float64Array}
   */
  spectrum(space = '') {
    return guarded(() => this.core.spectrum(String(space)));
  }

  /**
   * 3D coordinates (Float32Array, n*3) for words or ids.
   * method: 'pca' (of the selection), 'pca-table' (principal axes of the
   * whole table), or 'axes' with axes = [{from: [words], to: [words]}, ...].
   * components (PCA): the 0-based principal components on x, y and z, any
   * three of the top 10 (default [0, 1, 2]); a PCA projection also returns
   * componentsExplained, the share of the variance of each of the top 10.
   * @param {(string | number)[]} words
   * @param {{ method?: 'pca' | 'pca-table' | 'axes', axes?: ProjectionAxis[], components?: number[] }} [options]
   * @returns {Projection}
   */
  project(words, { method = 'pca', axes = [], components = [0, 1, 2] } = {}) {
    const ids = this.#ids(words);
    if (method === 'pca' || method === 'pca-table') {
      if (!Array.isArray(components) || components.length !== 3 || !components.every((c) => Number.isInteger(c) && c >= 0)) {
        throw badArgument(`components must be three principal component indices from 0 (PC1) up, one each for x, y and z; got ${JSON.stringify(components)}`);
      }
      return guarded(() => this.core.projectPca(ids, method === 'pca-table', components));
    }
    if (method === 'axes') {
      const axisIds = axes.map((axis) => ({ from: this.#ids(axis.from), to: this.#ids(axis.to), pairs: axis.pairs === true }));
      return guarded(() => this.core.projectAxes(ids, axisIds));
    }
    throw badArgument(`unknown projection "${method}" (expected pca, pca-table or axes)`);
  }

  /**
   * The geometry behind an analogy (a, b, c) or an expression (text), for
   * the analogy view: the computed point (b − a + c, or the expression's
   * sum of unit vectors), its norm, the nearest word to it with nothing
   * excluded, the full-space cosine of the offsets a→b and c→d (d =
   * `answer`, else the top 3CosAdd answer; null for an expression that is
   * not "b − a + c"), and 3D coordinates of `words` followed by the point.
   * layout 'plane': x along a→b, y along a→c, so the plane of a, b, c is
   * drawn true to shape; 'pca': PCA of the placed points.
   * @param {GeometryQuery} query
   * @returns {AnalogyGeometry}
   */
  analogyGeometry({ a, b, c, text, answer, words = [], layout = 'plane' }) {
    if (layout !== 'plane' && layout !== 'pca') throw badArgument(`unknown layout "${layout}" (expected plane or pca)`);
    /** @type {{ id: number, weight: number }[]} */
    let terms;
    /** @type {number[] | null} a, b, c */
    let corners = null;
    if (text !== undefined) {
      terms = this.expression(text, { k: 1 }).terms.map(({ id, weight }) => ({ id, weight }));
      const plus = terms.filter((t) => t.weight === 1);
      const minus = terms.filter((t) => t.weight === -1);
      if (terms.length === 3 && plus.length === 2 && minus.length === 1) corners = [minus[0].id, plus[0].id, plus[1].id];
    } else {
      if (a === undefined || b === undefined || c === undefined) throw badArgument('the geometry needs a, b and c, or an expression (text)');
      corners = this.#ids([a, b, c]);
      terms = [{ id: corners[1], weight: 1 }, { id: corners[0], weight: -1 }, { id: corners[2], weight: 1 }];
    }
    let answerId = -1;
    if (corners && answer !== undefined && answer !== null) answerId = this.#ids([answer])[0];
    else if (corners) {
      const [ia, ib, ic] = corners;
      answerId = guarded(() => this.core.analogy(ia, ib, ic, '3cosadd', 1, false)).ids[0] ?? -1;
    }
    const ids = this.#ids(words);
    const out = guarded(() =>
      this.core.analogyGeometry({
        terms,
        ids,
        from: corners?.[0] ?? -1,
        to: corners?.[1] ?? -1,
        otherFrom: corners?.[2] ?? -1,
        otherTo: answerId,
        layout,
      }),
    );
    const word = (/** @type {number} */ id) => this.words[id];
    return {
      point: out.point,
      pointNorm: out.pointNorm,
      nearest: out.nearest < 0 ? null : { word: word(out.nearest), id: out.nearest, score: out.nearestCosine },
      offsetCosine: Number.isNaN(out.offsetCosine) ? null : out.offsetCosine,
      corners: corners && answerId >= 0 ? { a: word(corners[0]), b: word(corners[1]), c: word(corners[2]), d: word(answerId), ids: [...corners, answerId] } : null,
      terms: terms.map((t) => ({ ...t, word: word(t.id) })),
      ids,
      coordinates: out.coordinates,
      explained: out.explained,
      layout: out.layout,
    };
  }

  /**
   * How parallel the offsets of a relation's pairs are: each pair's
   * offset û(to) − û(from) against the mean offset (cosine) and its length.
   * @param {[string | number, string | number][]} pairs
   * @returns {OffsetReport}
   */
  offsetConsistency(pairs) {
    const flat = this.#ids(pairs.flat());
    const out = guarded(() => this.core.offsetConsistency(flat));
    return {
      pairs: pairs.map((_, i) => ({ from: this.words[flat[2 * i]], to: this.words[flat[2 * i + 1]], cosine: out.cosineToMean[i], length: out.length[i] })),
      meanLength: out.meanLength,
      skipped: [],
    };
  }

  /**
   * offsetConsistency for the pairs of one section of an analogy file
   * (questions-words format); pairs with a word outside the table are
   * left out and listed in `skipped`.
   * @param {string} text
   * @param {string} section a section name, or a unique part of one
   * @returns {OffsetReport & { section: string }}
   */
  relationOffsets(text, section) {
    const { name, pairs } = relationPairs(text, section);
    const known = pairs.filter((pair) => pair.every((w) => this.find(w) >= 0));
    const skipped = pairs.filter((pair) => !known.includes(pair));
    return { section: name, ...this.offsetConsistency(known), skipped };
  }

  /**
   * @param {unknown} words
   * @param {{ perplexity: number, seed: number, theta: number, dims: number }} options
   */
  #beginTsne(words, { perplexity, seed, theta, dims }) {
    if (!Array.isArray(words)) throw badArgument('t-SNE needs a list of words');
    if (dims !== 2 && dims !== 3) throw badArgument(`t-SNE lays out in 2 or 3 dimensions, got ${dims}`);
    if (typeof perplexity !== 'number' || !(perplexity > 0) || !Number.isFinite(perplexity)) {
      throw badArgument(`perplexity must be a positive number, got ${perplexity}`);
    }
    checkSeed(seed);
    if (typeof theta !== 'number' || !(theta >= 0 && theta <= 1)) throw badArgument(`theta must be between 0 and 1, got ${theta}`);
    const ids = this.#ids(words);
    const run = new this.module.TsneRun();
    try {
      const size = guarded(() => run.start(this.core, ids, perplexity, seed, theta, dims));
      return { run, points: { ids, words: ids.map((id) => this.words[id]), size, dims } };
    } catch (error) {
      run.delete();
      throw error;
    }
  }

  /**
   * @param {(string | number)[]} words
   * @param {{ neighbors: number, minDist: number, dims: number, seed: number }} options
   */
  #beginUmap(words, { neighbors, minDist, dims, seed }) {
    if (!Array.isArray(words)) throw badArgument('UMAP needs a list of words');
    if (!Number.isInteger(neighbors) || neighbors < 2 || neighbors > 200) {
      throw badArgument(`n_neighbors must be a whole number from 2 to 200, got ${neighbors}`);
    }
    if (typeof minDist !== 'number' || !(minDist >= 0 && minDist <= 1)) {
      throw badArgument(`min_dist must be a number from 0 to 1, got ${minDist}`);
    }
    if (dims !== 2 && dims !== 3) throw badArgument(`UMAP lays out in 2 or 3 dimensions, got ${dims}`);
    checkSeed(seed);
    const ids = this.#ids(words);
    const run = new this.module.UmapRun();
    try {
      const size = guarded(() => run.start(this.core, ids, neighbors, minDist, dims, seed));
      return { run, points: { ids, words: ids.map((id) => this.words[id]), size } };
    } catch (error) {
      run.delete();
      throw error;
    }
  }

  /**
   * Seeded, progressive UMAP of words (or ids), cosine in the current
   * space, into 2 or 3 dimensions: 3 to 50,000 points, the neighbour graph
   * from the batched int8 k-NN, PCA start. The k-NN graph is computed by
   * the first step() (use startUmap() to compute it in steps). Same words,
   * space, options and seed: same layout.
   * @param {(string | number)[]} words
   * @param {{ neighbors?: number, minDist?: number, dims?: number, seed?: number }} [options]
   * @returns {UmapSession}
   */
  umap(words, { neighbors = 15, minDist = 0.1, dims = 3, seed = 0 } = {}) {
    const { run, points } = this.#beginUmap(words, { neighbors, minDist, dims, seed });
    return new UmapSession(run, points);
  }

  /**
   * umap(), with the k-NN graph computed in short steps (a worker answers
   * queries between them); onProgress({prepared, total}).
   * @param {(string | number)[]} words
   * @param {{ neighbors?: number, minDist?: number, dims?: number, seed?: number,
   *   onProgress?: (progress: TsneStartProgress) => void } & StepOptions} [options]
   * @returns {Promise<UmapSession>}
   */
  async startUmap(words, { neighbors = 15, minDist = 0.1, dims = 3, seed = 0, onProgress, signal, between } = {}) {
    const { run, points } = this.#beginUmap(words, { neighbors, minDist, dims, seed });
    try {
      const report = () => onProgress?.({ prepared: run.prepared(), total: points.size });
      await runInSteps((rows) => guarded(() => run.prepare(rows)), { what: 'UMAP', signal, between, onStep: report, firstBatch: 256 });
      report();
      return new UmapSession(run, points);
    } catch (error) {
      run.delete();
      throw error;
    }
  }

  /**
   * Seeded, progressive t-SNE of words (or ids), as unit vectors in the
   * current space: Barnes-Hut, 2 to 20,000 points, in 3D or (dims 2) in the
   * plane z = 0 (positions stay n*3, every z exactly 0). The input affinities
   * are computed by the first step() (about 0.15 s for 2,000 words; use
   * startTsne() to compute them in steps). Same words, space, options and
   * seed: same layout. theta is the Barnes-Hut accuracy, 0 (exact) to 1.
   * @param {(string | number)[]} words
   * @param {{ perplexity?: number, seed?: number, theta?: number, dims?: number }} [options]
   * @returns {TsneSession}
   */
  tsne(words, { perplexity = 30, seed = 1, theta = 0.5, dims = 3 } = {}) {
    const { run, points } = this.#beginTsne(words, { perplexity, seed, theta, dims });
    return new TsneSession(run, points);
  }

  /**
   * tsne(), with the input affinities computed in short steps (a worker
   * answers queries between them); onProgress({prepared, total}).
   * @param {(string | number)[]} words
   * @param {{ perplexity?: number, seed?: number, theta?: number, dims?: number,
   *   onProgress?: (progress: TsneStartProgress) => void } & StepOptions} [options]
   * @returns {Promise<TsneSession>}
   */
  async startTsne(words, { perplexity = 30, seed = 1, theta = 0.5, dims = 3, onProgress, signal, between } = {}) {
    const { run, points } = this.#beginTsne(words, { perplexity, seed, theta, dims });
    try {
      const report = () => onProgress?.({ prepared: run.prepared(), total: points.size });
      await runInSteps((rows) => guarded(() => run.prepare(rows)), { what: 't-SNE', signal, between, onStep: report, firstBatch: 32 });
      report();
      return new TsneSession(run, points);
    } catch (error) {
      run.delete();
      throw error;
    }
  }

  /**
   * Ids of a list for the batched calls: words, or whole-number ids.
   * @param {ArrayLike<string | number>} words
   * @param {string} what
   * @returns {number[]}
   */
  #listIds(words, what) {
    if (!Array.isArray(words) && !ArrayBuffer.isView(words)) throw badArgument(`${what} needs a list of words or ids`);
    const list = Array.from(/** @type {ArrayLike<string | number>} */ (words));
    for (const [position, w] of list.entries()) {
      if (typeof w === 'number' && !(Number.isInteger(w) && w >= 0)) {
        throw badArgument(`${what}: id ${w} at position ${position} is not a whole number >= 0`);
      }
    }
    return this.#ids(list);
  }

  /**
   * All k nearest neighbours of a list of words (or ids) among each other,
   * by cosine in `space` (default: the current one, not switched). The
   * core scores every pair once with the int8 kernel and re-ranks the best
   * candidates in float32 (recall >= 0.99 against float32). Runs in short
   * steps: onProgress({done, total}) counts rows whose lists are final.
   * `neighbors` holds POSITIONS in `ids`, row-major points x k, best first.
   * @param {ArrayLike<string | number>} words
   * @param {{ k?: number, space?: SpaceSpec, onProgress?: (progress: StepProgress) => void } & StepOptions} [options]
   * @returns {Promise<KnnGraph>}
   */
  async knnGraph(words, { k = 10, space = '', onProgress, signal, between } = {}) {
    checkK(k);
    const ids = this.#listIds(words, 'the k-NN graph');
    const started = performance.now();
    const build = new this.module.KnnBuild();
    try {
      const total = guarded(() => build.start(this.core, ids, k, String(space)));
      await runInSteps((rows) => guarded(() => build.step(rows)), {
        what: 'the k-NN graph',
        signal,
        between,
        onStep: () => onProgress?.({ done: build.done(), total }),
        firstBatch: 64,
        maxBatch: 1 << 22,
      });
      onProgress?.({ done: total, total });
      const graph = guarded(() => build.graph());
      return {
        ids: Uint32Array.from(ids),
        k: graph.k,
        neighbors: graph.neighbors,
        cosines: graph.cosines,
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      build.delete();
    }
  }

  /**
   * How faithful a 2D or 3D layout of words (or ids) is to `space`: per
   * point, the share of its k nearest neighbours in the space that are
   * also among its k nearest in the layout, their mean, and the
   * trustworthiness (Venna & Kaski, as sklearn defines it), both exact in
   * float32. `positions` is points x dims (dims 2 or 3, taken from the
   * length unless given). `neighbors` are the full-space neighbours as
   * positions in the list (for drawing true-neighbour edges).
   * @param {ArrayLike<string | number>} words
   * @param {ArrayLike<number>} positions
   * @param {{ k?: number, dims?: number, space?: SpaceSpec, onProgress?: (progress: StepProgress) => void } & StepOptions} [options]
   * @returns {Promise<FaithfulnessReport>}
   */
  async faithfulness(words, positions, { k = 10, dims, space = '', onProgress, signal, between } = {}) {
    checkK(k);
    const ids = this.#listIds(words, 'faithfulness');
    if (!positions || typeof positions.length !== 'number') throw badArgument('faithfulness needs the layout positions');
    const layoutDims = dims ?? (positions.length === 3 * ids.length ? 3 : positions.length === 2 * ids.length ? 2 : 0);
    if (layoutDims !== 2 && layoutDims !== 3) {
      throw badArgument(`faithfulness: ${positions.length} coordinates for ${ids.length} points is neither a 2D nor a 3D layout`);
    }
    const started = performance.now();
    const run = new this.module.FaithfulnessRun();
    try {
      const total = guarded(() => run.start(this.core, ids, Float32Array.from(positions), layoutDims, k, String(space)));
      await runInSteps((rows) => guarded(() => run.step(rows)), {
        what: 'the faithfulness measures',
        signal,
        between,
        onStep: () => onProgress?.({ done: run.done(), total }),
        firstBatch: 64,
        maxBatch: 1 << 22,
      });
      onProgress?.({ done: total, total });
      const r = guarded(() => run.result());
      return {
        ids: Uint32Array.from(ids),
        k: r.k,
        dims: layoutDims,
        neighborRecall: r.neighborRecall,
        meanNeighborRecall: r.meanNeighborRecall,
        trustworthiness: r.trustworthiness,
        neighbors: r.neighbors,
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      run.delete();
    }
  }

  /**
   * Accuracy on a questions-words file, in `space` (default: the current
   * one; the current space is not switched). Runs in short steps, so a
   * worker can report progress, cancel and answer queries between them.
   * With `predictions`, each question's predicted word too.
   * @param {string} text
   * @param {{ method?: AnalogyMethod, space?: SpaceSpec, predictions?: boolean,
   *   onProgress?: (progress: StepProgress) => void } & StepOptions} [options]
   * @returns {Promise<AnalogyScores>}
   */
  async evaluateAnalogies(text, { method = '3cosadd', space = '', onProgress, signal, between, predictions = false } = {}) {
    checkMethod(method);
    const started = performance.now();
    // The run keeps its table; these are the words its ids belong to, even
    // if another table is loaded before it ends.
    const words = this.words;
    const evaluation = new this.module.AnalogyEvaluation();
    try {
      const total = guarded(() => evaluation.start(this.core, String(text), method, String(space)));
      await runInSteps((batch) => guarded(() => evaluation.step(batch)), {
        what: 'the analogy evaluation',
        signal,
        between,
        onStep: () => onProgress?.({ done: evaluation.evaluated(), total }),
      });
      onProgress?.({ done: total, total });
      const sections = evaluation.sections();
      const correct = evaluation.correct();
      /** @type {AnalogyScores} */
      const result = {
        space: evaluation.spaceName(),
        method,
        total: { correct, count: total, accuracy: total ? correct / total : 0 },
        sections: sections.map((s) => ({ name: s.name, correct: s.correct, count: s.count })),
        skipped: evaluation.skipped(),
        invalidLines: evaluation.invalidLines(),
        seconds: (performance.now() - started) / 1000,
      };
      if (predictions) {
        const items = evaluation.items();
        const predicted = evaluation.predictions();
        result.predictions = Array.from(predicted, (p, i) => {
          const [section, a, b, c, expected] = items.subarray(i * 5, i * 5 + 5);
          return {
            section: sections[section].name,
            a: words[a],
            b: words[b],
            c: words[c],
            expected: words[expected],
            predicted: p < words.length ? words[p] : '',
          };
        });
      }
      return result;
    } finally {
      evaluation.delete();
    }
  }

  /**
   * Spearman and Pearson correlation on a "word1 word2 score" file, in
   * `space` (default: the current one, which is not switched).
   * @param {string} text
   * @param {{ space?: SpaceSpec }} [options]
   * @returns {PairScores}
   */
  evaluatePairs(text, { space = '' } = {}) {
    const r = guarded(() => this.core.evaluatePairs(String(text), String(space)));
    return { space: r.space, spearman: r.spearman, pearson: r.pearson, pairs: r.pairs, oov: r.oov, invalidLines: r.invalidLines };
  }

  /**
   * The analogy benchmark and/or the word-pair benchmark in each of
   * `spaces`, without switching the current space. Progress counts the
   * questions of the space being evaluated.
   * @param {{ analogies?: string, pairs?: string, spaces?: readonly SpaceSpec[], method?: AnalogyMethod,
   *   onProgress?: (progress: SpacesProgress) => void } & StepOptions} options
   * @returns {Promise<SpaceScores[]>}
   */
  async evaluateAcrossSpaces({ analogies, pairs, spaces = SPACES_COMPARED, method = '3cosadd', onProgress, signal, between = yieldToEventLoop }) {
    if (analogies === undefined && pairs === undefined) throw badArgument('compare spaces needs analogies, word pairs or both');
    if (!Array.isArray(spaces) || spaces.length === 0) throw badArgument('compare spaces needs at least one space');
    checkMethod(method);
    /** @type {SpaceScores[]} */
    const rows = [];
    for (const [index, space] of spaces.entries()) {
      if (signal?.aborted) throw cancellation(signal, 'comparing spaces');
      /** @type {SpaceScores} */
      const row = { space: String(space) };
      if (analogies !== undefined) {
        row.analogies = await this.evaluateAnalogies(analogies, {
          method,
          space,
          signal,
          between,
          onProgress: ({ done, total }) => onProgress?.({ space: String(space), index, spaces: spaces.length, done, total }),
        });
        row.space = row.analogies.space;
      }
      if (pairs !== undefined) {
        row.pairs = this.evaluatePairs(pairs, { space });
        row.space = row.pairs.space;
      }
      rows.push(row);
      await between();
    }
    return rows;
  }

  // ---- Loading your own tables ----

  /**
   * @template T
   * @param {Uint8Array | ArrayBuffer} bytes
   * @param {(buffer: import('./core-module.js').ByteBuffer, size: number) => T} use
   * @returns {T}
   */
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

  /**
   * The format name the loader would pick for a file name and its first bytes.
   * @param {string} fileName
   * @param {Uint8Array} [head]
   * @returns {string}
   */
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
   * @param {OpenTableOptions} [options]
   * @returns {TableLoader}
   */
  openTable({ fileName = 'table', format, head, totalBytes, vocab, metadata, tensor, keepFloats = false } = {}) {
    fileName = String(fileName);
    if (totalBytes !== undefined && totalBytes > MAX_INPUT_BYTES) {
      throw new ExplorerError(
        `${fileName} is ${(totalBytes / 1024 ** 3).toFixed(2)} GiB; the input limit is ${MAX_INPUT_BYTES / 1024 ** 3} GiB`,
        { code: ErrorCode.TOO_LARGE },
      );
    }
    for (const companion of [vocab, metadata]) {
      if (companion && toBytes(companion.bytes).length > MAX_INPUT_BYTES) {
        throw new ExplorerError(`${companion.fileName} is larger than the input limit`, { code: ErrorCode.TOO_LARGE });
      }
    }
    const formatName = format ?? this.detectFormat(fileName, head);
    const handle = new this.module.TableLoader();
    let floats = null;
    let buffer = null;
    try {
      if (vocab) this.#copyIn(vocab.bytes, (b) => guarded(() => handle.setVocabulary(String(vocab.fileName ?? 'vocab.txt'), b)));
      if (metadata) {
        this.#copyIn(metadata.bytes, (b) => guarded(() => handle.setMetadata(String(metadata.fileName ?? 'metadata.tsv'), b)));
      }
      if (tensor) handle.setTensor(String(tensor));
      const name = guarded(() => handle.start(String(formatName), fileName));
      if (keepFloats) {
        const copy = new this.module.FloatCopy();
        floats = copy;
        guarded(() => handle.keepFloats(copy));
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

  /**
   * Called by load() and TableLoader.finish() once the core has swapped
   * the table in.
   * @param {import('./core-module.js').CoreTableInfo} info
   * @param {import('./core-module.js').FloatCopy | null} floats
   * @returns {TableInfo}
   */
  _tableSwapped(info, floats) {
    this._adoptFloats(floats ?? null);
    this.words = guarded(() => this.core.vocabularyText()).split('\n');
    this.info = { ...info, space: 'raw' };
    return this.info;
  }

  #info() {
    if (!this.info) throw badArgument('no table is loaded');
    return this.info;
  }

  /**
   * Loads a table from a ReadableStream or an (async) iterable of
   * Uint8Array chunks (a File's stream(), fs.createReadStream): the
   * convenience the worker and the CLI use. options as openTable; the first
   * chunk serves as `head` for detection. onProgress({loaded, total}) after
   * each chunk; an aborted signal stops with ExplorerError CANCELLED.
   * @param {ChunkSource} source
   * @param {OpenTableOptions} [options]
   * @param {{ onProgress?: (progress: LoadProgress) => void, signal?: AbortSignal }} [control]
   * @returns {Promise<LoadResult>}
   */
  async loadTableStream(source, options = {}, { onProgress, signal } = {}) {
    const fileName = String(options.fileName ?? 'table');
    if (signal?.aborted) throw loadCancelled(fileName);
    const chunks = chunksOf(source);
    /** @type {TableLoader | null} */
    let loader = null;
    try {
      // Detection wants the first few kB, whatever size the chunks come in.
      /** @type {Uint8Array[]} */
      const first = [];
      let firstBytes = 0;
      let item = await chunks.next();
      while (!item.done && firstBytes < HEAD_BYTES) {
        first.push(toBytes(item.value));
        firstBytes += first[first.length - 1].length;
        item = await chunks.next();
      }
      const head = new Uint8Array(Math.min(firstBytes, HEAD_BYTES));
      for (let i = 0, at = 0; at < head.length; at += first[i++].length) {
        head.set(first[i].subarray(0, head.length - at), at);
      }
      const opened = this.openTable({ ...options, fileName, head: options.head ?? head });
      loader = opened;
      /** @param {Uint8Array | ArrayBuffer} chunk */
      const push = (chunk) => {
        if (signal?.aborted) throw loadCancelled(fileName);
        opened.push(chunk);
        onProgress?.({ loaded: opened.loaded, total: options.totalBytes });
      };
      for (const chunk of first) push(chunk);
      while (!item.done) {
        push(toBytes(item.value));
        item = await chunks.next();
      }
      if (signal?.aborted) throw loadCancelled(fileName);
      loader = null;
      return opened.finish();
    } catch (error) {
      loader?.dispose();
      await chunks.return?.();
      throw error;
    }
  }

  /**
   * Tensors of a safetensors file, from its first bytes.
   * @param {string} fileName
   * @param {Uint8Array} headBytes
   * @returns {{ name: string, dtype: string, shape: number[] }[]}
   */
  listTensors(fileName, headBytes) {
    const list = this.#copyIn(headBytes, (buffer, size) => guarded(() => this.module.listTensors(String(fileName), buffer, size)));
    return Array.from(list, (t) => ({ name: t.name, dtype: t.dtype, shape: Array.from(t.shape) }));
  }

  /**
   * The loaded table as EMBQ bytes (per-row metadata is not included).
   * @returns {Uint8Array}
   */
  saveTable() {
    return guarded(() => this.module.saveTable(this.core));
  }

  /**
   * Metadata columns of the loaded table (Projector TSV), or null.
   * @returns {TableMetadata | null}
   */
  metadata() {
    const m = guarded(() => this.module.tableMetadata(this.core));
    return m ? { columns: Array.from(m.columns), values: Array.from(m.values, (v) => Array.from(v)) } : null;
  }

  /**
   * A readable form of a subword token (see displayWord).
   * @param {string} word
   */
  displayWord(word) {
    return displayWord(word);
  }

  // ---- Quantization lab ----

  /** @type {import('./core-module.js').FloatCopy | null} */
  #floats = null;

  /**
   * For openTable: keeps `copy` (a module.FloatCopy filled while a table
   * loaded with keepFloats) as the float32 rows of the table just swapped
   * in, or drops the old copy (null) when a table loads without one.
   * @param {import('./core-module.js').FloatCopy | null} copy
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
   * and mean query latency, all in the raw space. Runs in short steps (a
   * query word or a question each) with onProgress({done, total}) between
   * them; an aborted signal stops it. The full questions-words file on
   * 50,000 words takes about 20 s in Node.
   * @param {{ questions?: string, sample?: number, seed?: number,
   *   onProgress?: (progress: StepProgress) => void } & StepOptions} [options]
   * @returns {Promise<QuantizationLabReport>}
   */
  async quantizationLab({ questions = '', sample = 200, seed = 1, onProgress, signal, between } = {}) {
    const floats = this.#floats;
    if (!floats) throw badArgument('the quantization lab needs a table opened with keepFloats: true');
    if (!Number.isInteger(sample) || sample < 1 || sample > 100000) {
      throw badArgument(`sample must be a whole number from 1 to 100000, got ${sample}`);
    }
    checkSeed(seed);
    const lab = new this.module.QuantizationLab();
    try {
      const total = guarded(() => lab.start(this.core, floats, String(questions), sample, seed));
      await runInSteps((units) => guarded(() => lab.step(units)), {
        what: 'the quantization lab',
        signal,
        between,
        onStep: () => onProgress?.({ done: lab.done(), total }),
      });
      onProgress?.({ done: total, total });
      return guarded(() => lab.report());
    } finally {
      lab.delete();
    }
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
