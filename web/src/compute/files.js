// Reading what the page hands the worker: the default table streamed in
// over fetch (answering from its first rows), and the learner's own files
// in slices.
import { StreamTableDecoder, isGzip, isStreamTable } from '../../../wasm/js/embq-stream.js';
import { ErrorCode, ExplorerError } from '../../../wasm/js/errors.js';
import { EmbeddingExplorer } from '../../../wasm/js/explorer.js';

// Files are read in slices this big: few enough calls into wasm that the
// per-call cost vanishes, small enough that the text, floats and codes of
// one slice are all that is held beside the table being built.
const READ_SLICE_BYTES = 4 * 1024 * 1024;
const SAFETENSORS_HEADER_LIMIT = 100 * 1024 * 1024;

/**
 * The file in slices, as the core's streaming loader wants it. The next
 * slice is read while the core parses this one (the browser reads files on
 * another thread), so at most two slices are held.
 * @param {File} file
 * @param {AbortSignal} signal
 */
export async function* fileSlices(file, signal) {
  const read = (/** @type {number} */ at) => {
    const pending = file.slice(at, at + READ_SLICE_BYTES).arrayBuffer();
    pending.catch(() => {}); // a prefetch nobody awaits (cancelled) must not reject unhandled
    return pending;
  };
  let next = file.size > 0 ? read(0) : null;
  for (let at = 0; at < file.size; at += READ_SLICE_BYTES) {
    const current = /** @type {ArrayBuffer} */ (await next);
    if (signal.aborted) throw signal.reason;
    next = at + READ_SLICE_BYTES < file.size ? read(at + READ_SLICE_BYTES) : null;
    yield new Uint8Array(current);
  }
}

/** @param {File | undefined} file */
export async function readCompanion(file) {
  return file ? { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
}

/**
 * @param {string | URL} url
 * @param {(progress: import('./protocol.js').ByteProgress) => void} onProgress
 */
export async function fetchWithProgress(url, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new ExplorerError(`cannot load ${url}: HTTP ${response.status}`, { code: ErrorCode.BAD_DATA });
  const total = Number(response.headers.get('content-length')) || 0;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress({ loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * The bytes listTensors needs from a safetensors file: an 8-byte
 * little-endian length and that much JSON, read alone (a GPT-2 checkpoint
 * is hundreds of MB after them).
 * @param {File} file
 */
export async function safetensorsHead(file) {
  const prefix = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  let length = 0;
  if (prefix.length === 8) length = Number(new DataView(prefix.buffer).getBigUint64(0, true));
  return length > 0 && length <= SAFETENSORS_HEADER_LIMIT ? new Uint8Array(await file.slice(0, 8 + length).arrayBuffer()) : prefix;
}

/**
 * The bytes of a response body as they arrive, gunzipped when they are
 * gzip (the wire copy of the default table, .embs.gz: many static hosts
 * send it as is, without Content-Encoding). DecompressionStream needs
 * nothing the strict CSP forbids.
 * @param {ReadableStream<Uint8Array>} body
 * @param {string} fileName for errors
 * @param {(wireBytes: number) => void} onWire bytes received so far, before unzipping
 * @returns {AsyncGenerator<Uint8Array>}
 */
export async function* bodyBytes(body, fileName, onWire) {
  const reader = body.getReader();
  let wire = 0;
  const next = async () => {
    const item = await reader.read();
    if (!item.done) onWire((wire += item.value.length));
    return item;
  };
  /** @type {ReadableStreamReadResult<Uint8Array>} */
  const first = await next();
  if (first.done) return;
  if (!isGzip(first.value)) {
    for (let item = /** @type {ReadableStreamReadResult<Uint8Array>} */ (first); !item.done; item = await next()) yield item.value;
    return;
  }
  const gunzip = new DecompressionStream('gzip');
  const writer = gunzip.writable.getWriter();
  // Fed from here while the loop below reads: the two sides of one pipe.
  const feeding = (async () => {
    for (let item = /** @type {ReadableStreamReadResult<Uint8Array>} */ (first); !item.done; item = await next()) await writer.write(/** @type {Uint8Array<ArrayBuffer>} */ (item.value));
    await writer.close();
  })();
  feeding.catch(() => {}); // its error surfaces through the reader too
  const unzipped = gunzip.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await unzipped.read();
      if (done) break;
      yield value;
    }
    await feeding;
  } catch (error) {
    if (error instanceof ExplorerError) throw error;
    throw new ExplorerError(`${fileName}: not a valid gzip stream (${/** @type {Error} */ (error).message})`, { code: ErrorCode.BAD_DATA });
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** @param {string | URL} url */
export const fileNameOf = (url) => decodeURIComponent(String(url).split(/[?#]/)[0].split('/').pop() || String(url));

/**
 * A core, its module fetched from `wasmUrl`. The page's build ships the
 * module gzipped (web/vite-plugins/early-downloads.js: 0.35 MB instead of 0.9 MB on
 * hosts that do not compress .wasm), unzipped here as it arrives; a plain
 * module (the dev server's) is taken as it is. Without a URL (Node, the
 * tests) the module is read from wasm/dist.
 * @param {string | URL | undefined} wasmUrl
 * @param {AbortSignal} [signal]
 */
export async function createCore(wasmUrl, signal) {
  if (!wasmUrl) return EmbeddingExplorer.create();
  const fileName = fileNameOf(wasmUrl);
  const response = await fetch(wasmUrl, { signal });
  if (!response.ok) throw new ExplorerError(`cannot load ${fileName}: HTTP ${response.status}`, { code: ErrorCode.BAD_DATA });
  if (!response.body) return EmbeddingExplorer.create({ wasmBinary: await response.arrayBuffer() });
  /** @type {Uint8Array[]} */
  const chunks = [];
  for await (const chunk of bodyBytes(response.body, fileName, () => {})) chunks.push(chunk);
  return EmbeddingExplorer.create({ wasmBinary: joinChunks(chunks) });
}

/** @typedef {{ rows: number, totalRows: number }} TableExtent the rows a partly loaded table answers from */

// Byte progress goes to the page at most this often (rows that arrive go at
// once). Throttled links hand the body over in chunks of a few kB: one
// message each kept a 4x-slowed page thread so busy drawing "1.2 MB of
// 5.1 MB" that the table's last message reached it seconds late.
const PROGRESS_INTERVAL_MS = 150;

/**
 * Streams the default table into the core and swaps in a bigger table each
 * time a block of rows has arrived, so queries are answered from the most
 * frequent words long before the rest is in. EMBS (wasm/js/embq-stream.js)
 * streams; a plain EMBQ file is loaded whole at the end.
 * @param {{ body: ReadableStream<Uint8Array>, fileName: string, total: number, encoded?: boolean,
 *   core: Promise<import('../../../wasm/js/explorer.js').EmbeddingExplorer>,
 *   adopt: (core: import('../../../wasm/js/explorer.js').EmbeddingExplorer, extent: TableExtent | null) => void,
 *   onProgress: (progress: import('./protocol.js').LoadProgress) => void,
 *   between: () => Promise<void>, signal: AbortSignal }} stream
 *   core: the explorer to load into, once its module is ready; adopt(): the table in it is now the worker's;
 *   encoded: the host sent Content-Encoding, so the body arrives unzipped and `total` counts zipped bytes
 */
export async function streamTable({ body, fileName, total, encoded = false, core: coreReady, adopt, onProgress, between, signal }) {
  /** @type {import('../../../wasm/js/explorer.js').EmbeddingExplorer | null} set once the module is ready */
  let readyCore = null;
  let loaded = 0;
  const decoder = new StreamTableDecoder({ fileName });
  /** @type {Uint8Array[]} */
  const whole = [];
  /** @type {boolean | null} */
  let streaming = null;
  let swappedRows = 0;
  /** @type {import('../../../wasm/js/explorer.js').TableInfo | null} */
  let ours = null;
  let reportedAt = -Infinity;
  /** @param {import('./protocol.js').LoadProgress} progress */
  const report = (progress, urgent = false) => {
    const now = performance.now();
    if (!urgent && now - reportedAt < PROGRESS_INTERVAL_MS) return;
    reportedAt = now;
    onProgress(progress);
  };
  const stopIfReplaced = () => {
    // The learner loaded a table of their own meanwhile: it stays.
    if (ours && readyCore?.info !== ours) throw new ExplorerError('another table replaced the default one while it loaded', { code: ErrorCode.CANCELLED });
  };
  /**
   * Loads the rows decoded so far (all of them once complete, with the
   * header's CRC, which the core checks) between queued calls. A swap on
   * the way that finds the table complete once its turn comes leaves it to
   * the last one (null): the whole table is loaded once.
   */
  const swap = async (/** @type {import('../../../wasm/js/explorer.js').EmbeddingExplorer} */ core, last = false) => {
    await between();
    if (!last && decoder.complete) return null;
    stopIfReplaced();
    const rows = decoder.rows;
    // All-or-nothing in the core: a corrupt file leaves the last table answering.
    // (Each page's space is set again before its next call: worker.js, enterPeerSpace.)
    const info = core.load(decoder.embq());
    swappedRows = rows;
    ours = info;
    return info;
  };
  // Swaps in the rows decoded so far, one swap at a time: after each block,
  // and when the module gets ready (the first blocks may be in before it
  // is). The last block is left to the end, which swaps the whole table.
  let swaps = Promise.resolve();
  /** @type {unknown} */
  let swapFailure = null;
  const swapIn = () => {
    swaps = swaps.then(async () => {
      const core = readyCore;
      if (!core || swapFailure || decoder.complete || decoder.rows <= swappedRows) return;
      const info = await swap(core);
      if (!info) return;
      adopt(core, { rows: swappedRows, totalRows: decoder.totalRows });
      report({ loaded, total, rows: swappedRows, totalRows: decoder.totalRows, table: info }, true);
    }).catch((error) => {
      swapFailure ??= error;
    });
  };
  coreReady.then((core) => {
    readyCore = core;
    swapIn();
  }, () => {});
  // Unzipped by the browser, the body outgrows `total`: the share of the stream decoded stands for the share of bytes.
  const onWire = (/** @type {number} */ bytes) => {
    const expected = decoder.expectedBytes;
    loaded = encoded && total && expected ? Math.min(total, Math.round((bytes / expected) * total)) : bytes;
  };
  for await (const chunk of bodyBytes(body, fileName, onWire)) {
    if (signal.aborted) throw signal.reason;
    if (swapFailure) throw swapFailure;
    streaming ??= isStreamTable(chunk);
    if (!streaming) {
      whole.push(chunk);
      report({ loaded, total });
      continue;
    }
    const before = decoder.rows;
    decoder.push(chunk);
    if (decoder.rows > before) swapIn();
    report({ loaded, total, rows: swappedRows, totalRows: decoder.totalRows });
  }
  if (streaming) decoder.finish();
  // Every byte is in: the page hears it now, not up to an interval later.
  report({ loaded, total, rows: swappedRows, totalRows: decoder.totalRows }, true);
  await swaps;
  if (swapFailure) throw swapFailure;
  const core = await coreReady;
  readyCore = core;
  const info = streaming ? /** @type {import('../../../wasm/js/explorer.js').TableInfo} */ (await swap(core, true)) : await loadWhole(core, joinChunks(whole), between, stopIfReplaced);
  adopt(core, null);
  return info;
}

/**
 * @param {import('../../../wasm/js/explorer.js').EmbeddingExplorer} core
 * @param {Uint8Array} bytes
 * @param {() => Promise<void>} between
 * @param {() => void} stopIfReplaced
 */
async function loadWhole(core, bytes, between, stopIfReplaced) {
  await between();
  stopIfReplaced();
  return core.load(bytes);
}

/** @param {Uint8Array[]} chunks */
function joinChunks(chunks) {
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
