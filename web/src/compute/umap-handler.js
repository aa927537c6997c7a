// The worker's UMAP request: background mode like t-SNE, with a frame of
// positions every `frameEvery` epochs, pause/resume/stop through
// tsneControl (which controls whichever layout is running), and queued calls
// answered between slices of epochs.
import { Mode } from './protocol.js';

// A slice of epochs yields to queued calls once it has run this long.
const UMAP_SLICE_MS = 10;

/**
 * @param {() => import('../../../wasm/js/explorer.js').EmbeddingExplorer} requireExplorer
 * @returns {import('./jobs.js').Handler<'umap'>}
 */
export function umapHandler(requireExplorer) {
  return {
    mode: Mode.background,
    replaces: true,
    async run({ ids, neighbors = 15, minDist = 0.1, dims = 3, seed = 0, frameEvery = 5 }, { job, signal, progress, between }) {
      let session;
      try {
        session = await requireExplorer().startUmap(ids, { neighbors, minDist, dims, seed, signal, between });
      } catch (error) {
        if (signal.aborted) return { epoch: 0, epochs: 0, stopped: true };
        throw error;
      }
      try {
        const epochs = session.epochs;
        let epoch = 0;
        let sliceStart = performance.now();
        while (!signal.aborted && epoch < epochs) {
          const frame = session.step(1);
          epoch = frame.epoch;
          if (epoch % frameEvery === 0 || epoch >= epochs) {
            progress({ epoch, epochs, dims: session.dims, positions: frame.positions }, [frame.positions.buffer]);
          }
          if (performance.now() - sliceStart >= UMAP_SLICE_MS) {
            await between();
            sliceStart = performance.now();
          }
          if (job.paused) await new Promise((resolve) => (job.resume = () => resolve(undefined)));
        }
        return { epoch, epochs, stopped: signal.aborted };
      } finally {
        session.dispose();
      }
    },
  };
}
