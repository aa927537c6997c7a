// The compute worker: owns the wasm core so the page never blocks.
//
// Calls run one at a time in arrival order (t-SNE runs beside them). They are queued first and run
// from a macrotask, so a 'cancel' for a call that a newer one superseded
// can still remove it before it runs (fast typing sends many queries).
import { EmbeddingExplorer } from '../../../wasm/js/explorer.js';
import { Request } from './protocol.js';

let explorer = null;
const queue = [];
let draining = false;
let tsneState = null; // { paused, stopped, resume }

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
    if (kind === 'expression') return ex.expression(args.text, { k, includeInputs: args.includeInputs });
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
      return out;
    }
    if (kind === 'neighbors') {
      const out = ex.neighbors(args.word, { k });
      out.inputs = [ex.lookup(args.word).id];
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

  [Request.topWords]({ count }) {
    const ex = requireExplorer();
    const n = Math.min(count, ex.size);
    return { ids: Array.from({ length: n }, (_, i) => i), words: ex.words.slice(0, n) };
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

};

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
    try {
      const handler = handlers[type];
      if (!handler) throw Object.assign(new Error(`unknown request "${type}"`), { code: 'BAD_ARGUMENT' });
      const value = await handler(args ?? {}, progress);
      post({ id, type: 'result', value });
    } catch (error) {
      post({ id, type: 'error', error: errorPayload(error) });
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
