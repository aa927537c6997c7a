// The compute worker: owns the wasm core so the page never blocks.
//
// Calls run one at a time in arrival order (t-SNE runs beside them). They are queued first and run
// from a macrotask, so a 'cancel' for a call that a newer one superseded
// can still remove it before it runs (fast typing sends many queries).
import { EmbeddingExplorer, MAX_INPUT_BYTES, displayWord } from '../../../wasm/js/explorer.js';
import { Request } from './protocol.js';

let explorer = null;
const queue = [];
let draining = false;
let tsneState = null; // { paused, stopped, resume }
const running = new Map(); // id -> AbortController of a running call that can be stopped
let currentLoad = null; // { id, controller } of the file being loaded
let tableMetadata = null; // {columns, values[column][row]} of the loaded table, or null

// Files are read in slices this big: few enough calls into wasm that the
// per-call cost vanishes, small enough that the text, floats and codes of
// one slice are all that is held beside the table being built.
const READ_SLICE_BYTES = 4 * 1024 * 1024;
const SAFETENSORS_HEADER_LIMIT = 100 * 1024 * 1024;
const SPACES_COMPARED = ['raw', 'centered', 'whitened', 'abtt:3'];

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

function errorPayload(error) {
  return {
    code: error?.code ?? 'INTERNAL',
    message: error?.message ?? String(error),
    word: error?.word,
    suggestions: error?.suggestions ?? [],
  };
}

function cancelled(message = 'cancelled') {
  return Object.assign(new Error(message), { code: 'CANCELLED' });
}

function failure(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * The file in slices, as the core's streaming loader wants it. The next
 * slice is read while the core parses this one (the browser reads files on
 * another thread), so at most two slices are held.
 */
async function* fileSlices(file, signal) {
  const read = (at) => {
    const pending = file.slice(at, at + READ_SLICE_BYTES).arrayBuffer();
    pending.catch(() => {}); // a prefetch nobody awaits (cancelled) must not reject unhandled
    return pending;
  };
  let next = file.size > 0 ? read(0) : null;
  for (let at = 0; at < file.size; at += READ_SLICE_BYTES) {
    const current = await next;
    if (signal.aborted) throw signal.reason;
    next = at + READ_SLICE_BYTES < file.size ? read(at + READ_SLICE_BYTES) : null;
    yield new Uint8Array(current);
  }
}

async function readCompanion(file) {
  return file ? { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
}

// Subword tokens are shown readably ("##ing", "Ġthe"); queries keep using
// the tokens themselves, so results carry both.
function withDisplay(results) {
  for (const r of results) r.display = displayWord(r.word);
  return results;
}

function requireExplorer() {
  if (!explorer) throw Object.assign(new Error('the embedding table is still loading'), { code: 'NOT_READY' });
  return explorer;
}

async function fetchWithProgress(url, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw Object.assign(new Error(`cannot load ${url}: HTTP ${response.status}`), { code: 'BAD_DATA' });
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

const handlers = {
  async [Request.load]({ tableUrl, wasmUrl }, progress) {
    const [core, bytes] = await Promise.all([
      explorer ? explorer : EmbeddingExplorer.create({ wasmUrl }),
      fetchWithProgress(tableUrl, progress),
    ]);
    // Loading is all-or-nothing in the core: a bad file leaves the old
    // table answering.
    const info = core.load(bytes);
    explorer = core;
    return info;
  },

  [Request.query](args) {
    const ex = requireExplorer();
    const { kind, k = 10 } = args;
    if (kind === 'expression') {
      const out = ex.expression(args.text, { k, includeInputs: args.includeInputs });
      withDisplay(out.results);
      return out;
    }
    if (kind === 'analogy') {
      const out = ex.analogy(args.a, args.b, args.c, {
        k,
        method: args.method,
        includeInputs: args.includeInputs,
        expected: args.expected || undefined,
      });
      // Both methods side by side, so the page can show where they differ.
      const other = args.method === '3cosmul' ? '3cosadd' : '3cosmul';
      out.other = { method: other, ...ex.analogy(args.a, args.b, args.c, { k, method: other, includeInputs: args.includeInputs }) };
      if (args.expected) out.other.expected = ex.rank(args.a, args.b, args.c, args.expected, { method: other, includeInputs: args.includeInputs });
      out.inputs = [args.a, args.b, args.c].map((w) => ex.lookup(w).id);
      withDisplay(out.results);
      withDisplay(out.other.results);
      return out;
    }
    if (kind === 'neighbors') {
      const out = ex.neighbors(args.word, { k });
      out.inputs = [ex.lookup(args.word).id];
      withDisplay(out.results);
      return out;
    }
    throw Object.assign(new Error(`unknown query kind "${kind}"`), { code: 'BAD_ARGUMENT' });
  },

  [Request.complete]({ prefix, limit = 8 }) {
    return prefix ? requireExplorer().complete(prefix, limit) : [];
  },

  [Request.setSpace]({ space }) {
    return requireExplorer().setSpace(space);
  },

  [Request.knownWords]({ words }) {
    const ex = requireExplorer();
    return words.filter((word) => ex.find(word) >= 0);
  },

  [Request.topWords]({ count }) {
    const ex = requireExplorer();
    const n = Math.min(count, ex.size);
    const words = ex.words.slice(0, n);
    return { ids: Array.from({ length: n }, (_, i) => i), words, labels: words.map(displayWord) };
  },

  [Request.project]({ ids, method, axes }) {
    return requireExplorer().project(ids, { method, axes });
  },

  [Request.anisotropy]({ space, sample = 600 }) {
    const ex = requireExplorer();
    const current = ex.space;
    try {
      ex.setSpace('raw');
      const raw = { stats: ex.stats({ sample }), cosines: ex.pairCosines({ sample }), spectrum: ex.spectrum() };
      ex.setSpace(space);
      const transformed = { stats: ex.stats({ sample }), cosines: ex.pairCosines({ sample }), spectrum: ex.spectrum() };
      return { raw, transformed, space };
    } finally {
      ex.setSpace(current);
    }
  },

  async [Request.listTensors]({ file }) {
    const ex = requireExplorer();
    // The header is an 8-byte little-endian length and that much JSON; read
    // just those bytes (a GPT-2 checkpoint is hundreds of MB after them).
    const prefix = new Uint8Array(await file.slice(0, 8).arrayBuffer());
    let length = 0;
    if (prefix.length === 8) length = Number(new DataView(prefix.buffer).getBigUint64(0, true));
    const head = length > 0 && length <= SAFETENSORS_HEADER_LIMIT ? new Uint8Array(await file.slice(0, 8 + length).arrayBuffer()) : prefix;
    return ex.listTensors(file.name, head);
  },

  [Request.saveTable]() {
    return requireExplorer().saveTable();
  },

  [Request.pointColumn]({ column, ids }) {
    const ex = requireExplorer();
    const metadata = tableMetadata;
    const at = metadata ? metadata.columns.indexOf(column) : -1;
    if (at < 0) throw failure('BAD_ARGUMENT', `the table has no metadata column "${column}"`);
    const values = metadata.values[at]; // values[column][row]
    return ids.map((item) => {
      const id = typeof item === 'number' ? item : ex.find(item);
      return id >= 0 ? values[id] ?? '' : '';
    });
  },

  async [Request.evaluateAnalogies]({ text, method = '3cosadd' }, progress, signal) {
    return requireExplorer().evaluateAnalogies(text, { method, onProgress: progress, signal });
  },

  [Request.evaluatePairs]({ text }) {
    return requireExplorer().evaluatePairs(text);
  },

  async [Request.acrossSpaces]({ analogies, pairs, spaces = SPACES_COMPARED, method = '3cosadd' }, progress, signal) {
    const ex = requireExplorer();
    const current = ex.space;
    const rows = [];
    try {
      for (const [index, space] of spaces.entries()) {
        if (signal.aborted) throw signal.reason;
        ex.setSpace(space);
        const row = { space: ex.space };
        if (analogies) {
          row.analogies = await ex.evaluateAnalogies(analogies, {
            method,
            signal,
            onProgress: ({ done, total }) => progress({ space, index, spaces: spaces.length, done, total }),
          });
        }
        if (pairs) row.pairs = ex.evaluatePairs(pairs);
        rows.push(row);
      }
      return rows;
    } finally {
      // The learner's space comes back whatever happened.
      ex.setSpace(current);
    }
  },

  async [Request.quantizationLab]({ questions, sample = 200, seed = 1 }, progress, signal) {
    return requireExplorer().quantizationLab({ questions, sample, seed, onProgress: progress, signal });
  },
};

// Loads run beside the queue, like t-SNE: the slices are read with awaits
// in between, so queries keep being answered by the old table until the
// new one is complete and swapped in. A new load cancels the one before.
async function runLoad(id, { file, format, vocabFile, metadataFile, tensor, keepFloats = false }) {
  if (currentLoad) currentLoad.controller.abort(cancelled('replaced by a newer load'));
  const controller = new AbortController();
  const load = { id, controller };
  currentLoad = load;
  running.set(id, controller);
  try {
    const ex = requireExplorer();
    if (!file) throw failure('BAD_ARGUMENT', 'no file was chosen');
    if (file.size > MAX_INPUT_BYTES) {
      throw failure(
        'TOO_LARGE',
        `${file.name}: ${file.size.toLocaleString('en')} bytes is more than the ${MAX_INPUT_BYTES.toLocaleString('en')}-byte limit; nothing was read`,
      );
    }
    const options = {
      fileName: file.name,
      format: format || undefined, // detected from the first slice when absent
      totalBytes: file.size,
      vocab: await readCompanion(vocabFile),
      metadata: await readCompanion(metadataFile),
      tensor: tensor || undefined,
      keepFloats,
    };
    const started = performance.now();
    const out = await ex.loadTableStream(fileSlices(file, controller.signal), options, {
      signal: controller.signal,
      onProgress: ({ loaded, total }) => post({ id, type: 'progress', progress: { loaded, total: total || file.size } }),
    });
    const seconds = (performance.now() - started) / 1000;
    tableMetadata = out.metadata;
    post({
      id,
      type: 'result',
      value: {
        info: out.info,
        report: out.report,
        columns: out.metadata?.columns ?? [],
        name: file.name,
        bytes: file.size,
        seconds,
        keepFloats,
      },
    });
  } catch (error) {
    post({ id, type: 'error', error: errorPayload(error) });
  } finally {
    running.delete(id);
    if (currentLoad === load) currentLoad = null;
  }
}

// t-SNE runs beside the queue, not in it: each step yields, so queries keep
// being answered while the layout animates. A new run stops the old one.
async function runTsne(id, { ids, seed = 1, iterations = 1000, frameEvery = 10 }) {
  if (tsneState) tsneState.stopped = true;
  tsneState?.resume?.();
  const state = { paused: false, stopped: false, resume: null };
  tsneState = state;
  let session = null;
  try {
    const ex = requireExplorer();
    session = ex.tsne(ids, { seed });
    let frame = null;
    while (!state.stopped) {
      frame = session.step(frameEvery);
      post({ id, type: 'progress', progress: { iteration: frame.iteration, iterations, positions: frame.positions } }, [
        frame.positions.buffer,
      ]);
      if (frame.iteration >= iterations) break;
      // Let queued calls and control messages (pause, stop) in.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (state.paused) await new Promise((resolve) => (state.resume = resolve));
    }
    post({ id, type: 'result', value: { iteration: frame?.iteration ?? 0, stopped: state.stopped } });
  } catch (error) {
    post({ id, type: 'error', error: errorPayload(error) });
  } finally {
    session?.dispose();
    if (tsneState === state) tsneState = null;
  }
}

async function drain() {
  draining = true;
  while (queue.length) {
    const { id, type, args } = queue.shift();
    const progress = (value) => post({ id, type: 'progress', progress: value });
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const handler = handlers[type];
      if (!handler) throw Object.assign(new Error(`unknown request "${type}"`), { code: 'BAD_ARGUMENT' });
      const value = await handler(args ?? {}, progress, controller.signal);
      post({ id, type: 'result', value }, value instanceof Uint8Array ? [value.buffer] : []);
    } catch (error) {
      post({ id, type: 'error', error: errorPayload(error) });
    } finally {
      running.delete(id);
    }
  }
  draining = false;
}

self.onmessage = ({ data }) => {
  if (data.type === 'cancel') {
    const at = queue.findIndex((item) => item.id === data.id);
    if (at >= 0) {
      queue.splice(at, 1);
      post({ id: data.id, type: 'error', error: { code: 'CANCELLED', message: 'superseded', suggestions: [] } });
    }
    return;
  }
  if (data.type === 'abort') {
    // A queued call is dropped; a running one stops at its next yield.
    const at = queue.findIndex((item) => item.id === data.id);
    if (at >= 0) {
      queue.splice(at, 1);
      post({ id: data.id, type: 'error', error: { code: 'CANCELLED', message: 'cancelled', suggestions: [] } });
    } else {
      running.get(data.id)?.abort(cancelled());
    }
    return;
  }
  if (data.type === Request.loadFile) {
    runLoad(data.id, data.args ?? {});
    return;
  }
  if (data.type === Request.tsneControl) {
    // Out of band: t-SNE runs as a long call, so its controls skip the queue.
    const state = tsneState;
    if (state) {
      if (data.args.action === 'pause') state.paused = true;
      if (data.args.action === 'resume' || data.args.action === 'stop') {
        state.paused = false;
        state.stopped = data.args.action === 'stop';
        state.resume?.();
        state.resume = null;
      }
    }
    return;
  }
  if (data.type === Request.tsne) {
    runTsne(data.id, data.args ?? {});
    return;
  }
  queue.push(data);
  if (!draining) setTimeout(drain, 0);
};
