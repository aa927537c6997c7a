// The worker's progressive layouts, t-SNE and UMAP: one loop for both. Each
// runs in the background, sends a frame of positions every `frameEvery`
// steps, answers queued calls between slices of steps, and is paused,
// resumed and stopped through tsneControl (which controls whichever layout
// is running). A newer call of the same type replaces a running one.
import { Mode } from './protocol.js';

// A slice of steps yields to queued calls once it has run this long.
const SLICE_MS = 10;

/**
 * Steps `session` until `total` steps are done or the job is stopped,
 * calling `frame(done)` every `frameEvery` steps and at the end.
 * @param {{ step(count: number): { positions: Float32Array } }} session
 * @param {{ total: number, frameEvery: number, done: () => number,
 *   frame: (done: number, positions: Float32Array) => void }} loop
 * @param {{ job: import('./jobs.js').Job, signal: AbortSignal, between: () => Promise<void> }} context
 */
async function runLayout(session, { total, frameEvery, done, frame }, { job, signal, between }) {
  let sliceStart = performance.now();
  let count = done();
  while (!signal.aborted && count < total) {
    const { positions } = session.step(1);
    count = done();
    if (count % frameEvery === 0 || count >= total) frame(count, positions);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await between();
      sliceStart = performance.now();
    }
    if (job.paused) await new Promise((resolve) => (job.resume = () => resolve(undefined)));
  }
  return count;
}

/**
 * The session `start()` opens, or null when the job was stopped while it
 * started (the neighbour step runs in steps, so a stop lands there too).
 * @template S
 * @param {() => Promise<S>} start
 * @param {AbortSignal} signal
 * @returns {Promise<S | null>}
 */
async function openSession(start, signal) {
  try {
    return await start();
  } catch (error) {
    if (signal.aborted) return null;
    throw error;
  }
}

/**
 * t-SNE: `iterations` iterations; perplexity and dims (2: every z is 0) go to the core.
 * @param {() => import('../../../wasm/js/explorer.js').EmbeddingExplorer} requireExplorer
 * @returns {import('./jobs.js').Handler<'tsne'>}
 */
export function tsneHandler(requireExplorer) {
  return {
    mode: Mode.background,
    replaces: true,
    async run({ ids, perplexity = 30, dims = 3, seed = 1, iterations = 1000, frameEvery = 10 }, context) {
      const { signal, progress, between } = context;
      const run = await openSession(() => requireExplorer().startTsne(ids, { perplexity, dims, seed, signal, between }), signal);
      if (!run) return { iteration: 0, stopped: true };
      try {
        const iteration = await runLayout(
          run,
          {
            total: iterations,
            frameEvery,
            done: () => run.iteration,
            frame: (count, positions) => progress({ iteration: count, iterations, positions }, [positions.buffer]),
          },
          context,
        );
        return { iteration, stopped: signal.aborted };
      } finally {
        run.dispose();
      }
    },
  };
}

/**
 * UMAP: the core's epochs (500 below 10,000 points, 200 from there on) into 2 or 3 dimensions.
 * @param {() => import('../../../wasm/js/explorer.js').EmbeddingExplorer} requireExplorer
 * @returns {import('./jobs.js').Handler<'umap'>}
 */
export function umapHandler(requireExplorer) {
  return {
    mode: Mode.background,
    replaces: true,
    async run({ ids, neighbors = 15, minDist = 0.1, dims = 3, seed = 0, frameEvery = 5 }, context) {
      const { signal, progress, between } = context;
      const run = await openSession(() => requireExplorer().startUmap(ids, { neighbors, minDist, dims, seed, signal, between }), signal);
      if (!run) return { epoch: 0, epochs: 0, stopped: true };
      try {
        const epochs = run.epochs;
        const epoch = await runLayout(
          run,
          {
            total: epochs,
            frameEvery,
            done: () => run.epoch,
            frame: (count, positions) => progress({ epoch: count, epochs, dims: run.dims, positions }, [positions.buffer]),
          },
          context,
        );
        return { epoch, epochs, stopped: signal.aborted };
      } finally {
        run.dispose();
      }
    },
  };
}
