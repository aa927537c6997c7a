// The compute worker: owns the wasm core so the page never blocks.
//
// Its one handler table declares each request's mode (protocol.js says what
// the modes mean); jobs.js holds the running jobs and schedules them.
import { EmbeddingExplorer, ErrorCode, MAX_INPUT_BYTES, displayWord } from '../../../wasm/js/explorer.js';
import { fetchWithProgress, fileSlices, readCompanion, safetensorsHead } from './files.js';
import { failure, runningJobs, serve } from './jobs.js';
import { Mode, Request } from './protocol.js';
import { umapHandler } from './umap-handler.js';

/** @typedef {import('./protocol.js').ShownWord} ShownWord */

/** @type {EmbeddingExplorer | null} */
let explorer = null;
/** @type {{ columns: string[], values: string[][] } | null} metadata of the loaded table: values[column][row] */
let tableMetadata = null;

// A t-SNE step yields to queued calls once it has run this long.
const TSNE_SLICE_MS = 10;

function requireExplorer() {
  if (!explorer) throw failure(ErrorCode.NOT_READY, 'the embedding table is still loading');
  return explorer;
}

/**
 * Subword tokens are shown readably ("##ing", "Ġthe"); queries keep using
 * the tokens themselves, so results carry both.
 * @param {import('./protocol.js').ScoredWord[]} results
 * @returns {ShownWord[]}
 */
function shown(results) {
  return results.map((r) => ({ ...r, display: displayWord(r.word) }));
}

/** @type {import('./jobs.js').HandlerTable} */
const handlers = {
  [Request.load]: {
    mode: Mode.queued,
    async run({ tableUrl, wasmUrl }, { progress }) {
      const [core, bytes] = await Promise.all([explorer ?? EmbeddingExplorer.create({ wasmUrl }), fetchWithProgress(tableUrl, progress)]);
      // Loading is all-or-nothing in the core: a bad file leaves the old
      // table answering.
      const info = core.load(bytes);
      explorer = core;
      tableMetadata = null;
      return info;
    },
  },

  [Request.query]: {
    mode: Mode.queued,
    run(args) {
      const ex = requireExplorer();
      const k = args.k ?? 10;
      if (args.kind === 'expression') {
        const out = ex.expression(args.text, { k, includeInputs: args.includeInputs });
        return { ...out, results: shown(out.results) };
      }
      if (args.kind === 'analogy') {
        // Both methods side by side, so the page can show where they differ.
        const out = ex.analogy(args.a, args.b, args.c, {
          k,
          method: args.method,
          includeInputs: args.includeInputs,
          expected: args.expected || undefined,
          compare: true,
        });
        const other = /** @type {import('../../../wasm/js/explorer.js').MethodAnswers} */ (out.other);
        return { ...out, results: shown(out.results), other: { ...other, results: shown(other.results) } };
      }
      if (args.kind === 'neighbors') {
        const out = ex.neighbors(args.word, { k });
        return { ...out, results: shown(out.results) };
      }
      throw failure(ErrorCode.BAD_ARGUMENT, `unknown query kind "${/** @type {{ kind: unknown }} */ (args).kind}"`);
    },
  },

  [Request.complete]: {
    mode: Mode.queued,
    run: ({ prefix, limit = 8 }) => (prefix ? requireExplorer().complete(prefix, limit) : []),
  },

  [Request.setSpace]: { mode: Mode.queued, run: ({ space }) => requireExplorer().setSpace(space) },

  [Request.wordIds]: {
    mode: Mode.queued,
    run({ words }) {
      const ex = requireExplorer();
      return words.map((word) => ex.find(word));
    },
  },

  [Request.topWords]: {
    mode: Mode.queued,
    run({ count }) {
      const ex = requireExplorer();
      const n = Math.min(count, ex.size);
      const words = ex.words.slice(0, n);
      return { ids: Array.from({ length: n }, (_, i) => i), words, labels: words.map(displayWord) };
    },
  },

  [Request.project]: { mode: Mode.queued, run: ({ ids, method, axes }) => requireExplorer().project(ids, { method, axes }) },
  [Request.analogyGeometry]: { mode: Mode.queued, run: (query) => requireExplorer().analogyGeometry(query) },
  [Request.relationOffsets]: { mode: Mode.queued, run: ({ text, section }) => requireExplorer().relationOffsets(text, section) },

  [Request.anisotropy]: {
    mode: Mode.queued,
    run({ space, sample = 600 }) {
      const ex = requireExplorer();
      const transformed = ex.anisotropy(space, { sample });
      return { space: transformed.space, raw: ex.anisotropy('raw', { sample }), transformed };
    },
  },

  [Request.listTensors]: {
    mode: Mode.queued,
    async run({ file }) {
      const ex = requireExplorer();
      return ex.listTensors(file.name, await safetensorsHead(file));
    },
  },

  [Request.saveTable]: { mode: Mode.queued, run: () => requireExplorer().saveTable(), transfer: (bytes) => [bytes.buffer] },

  [Request.pointColumn]: {
    mode: Mode.queued,
    run({ column, ids }) {
      const ex = requireExplorer();
      const at = tableMetadata ? tableMetadata.columns.indexOf(column) : -1;
      if (!tableMetadata || at < 0) throw failure(ErrorCode.BAD_ARGUMENT, `the table has no metadata column "${column}"`);
      const values = tableMetadata.values[at];
      return ids.map((item) => {
        const id = typeof item === 'number' ? item : ex.find(item);
        return id >= 0 ? values[id] ?? '' : '';
      });
    },
  },

  [Request.evaluatePairs]: { mode: Mode.queued, run: ({ text, space }) => requireExplorer().evaluatePairs(text, { space }) },

  [Request.evaluateAnalogies]: {
    mode: Mode.background,
    run: ({ text, method = '3cosadd', space }, { signal, progress, between }) =>
      requireExplorer().evaluateAnalogies(text, { method, space, onProgress: progress, signal, between }),
  },

  [Request.acrossSpaces]: {
    mode: Mode.background,
    run: ({ analogies, pairs, spaces, method = '3cosadd' }, { signal, progress, between }) =>
      requireExplorer().evaluateAcrossSpaces({ analogies, pairs, spaces, method, onProgress: progress, signal, between }),
  },

  [Request.quantizationLab]: {
    mode: Mode.background,
    run: ({ questions, sample = 200, seed = 1 }, { signal, progress, between }) =>
      requireExplorer().quantizationLab({ questions, sample, seed, onProgress: progress, signal, between }),
  },

  [Request.knn]: {
    mode: Mode.background,
    run: ({ ids, k = 10, space }, { signal, progress, between }) =>
      requireExplorer().knnGraph(ids, { k, space, onProgress: progress, signal, between }),
    transfer: (graph) => [graph.ids.buffer, graph.neighbors.buffer, graph.cosines.buffer],
  },

  [Request.faithfulness]: {
    mode: Mode.background,
    run: ({ ids, positions, k = 10, dims, space }, { signal, progress, between }) =>
      requireExplorer().faithfulness(ids, positions, { k, dims, space, onProgress: progress, signal, between }),
    transfer: (report) => [report.ids.buffer, report.neighborRecall.buffer, report.neighbors.buffer],
  },

  // Loads run in the background: the file is read in slices with awaits in
  // between, so queries keep being answered by the old table until the new
  // one is complete and swapped in.
  [Request.loadFile]: {
    mode: Mode.background,
    replaces: true,
    async run({ file, format, vocabFile, metadataFile, tensor, keepFloats = false }, { signal, progress }) {
      const ex = requireExplorer();
      if (!file) throw failure(ErrorCode.BAD_ARGUMENT, 'no file was chosen');
      if (file.size > MAX_INPUT_BYTES) {
        throw failure(
          ErrorCode.TOO_LARGE,
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
      const out = await ex.loadTableStream(fileSlices(file, signal), options, {
        signal,
        onProgress: ({ loaded, total }) => progress({ loaded, total: total || file.size }),
      });
      tableMetadata = out.metadata;
      return {
        info: out.info,
        report: out.report,
        columns: out.metadata?.columns ?? [],
        name: file.name,
        bytes: file.size,
        seconds: (performance.now() - started) / 1000,
        keepFloats,
      };
    },
  },

  // t-SNE animates: a frame every `frameEvery` iterations, and queued calls
  // are answered whenever a slice of iterations has run TSNE_SLICE_MS.
  [Request.tsne]: {
    mode: Mode.background,
    replaces: true,
    async run({ ids, seed = 1, iterations = 1000, frameEvery = 10 }, { job, signal, progress, between }) {
      let session;
      try {
        session = await requireExplorer().startTsne(ids, { seed, signal, between });
      } catch (error) {
        if (signal.aborted) return { iteration: 0, stopped: true };
        throw error;
      }
      try {
        let iteration = 0;
        let sliceStart = performance.now();
        while (!signal.aborted && iteration < iterations) {
          const frame = session.step(1);
          iteration = frame.iteration;
          if (iteration % frameEvery === 0 || iteration >= iterations) {
            progress({ iteration, iterations, positions: frame.positions }, [frame.positions.buffer]);
          }
          if (performance.now() - sliceStart >= TSNE_SLICE_MS) {
            await between();
            sliceStart = performance.now();
          }
          if (job.paused) await new Promise((resolve) => (job.resume = () => resolve(undefined)));
        }
        return { iteration, stopped: signal.aborted };
      } finally {
        session.dispose();
      }
    },
  },

  [Request.umap]: umapHandler(requireExplorer),

  // Controls whichever layout runs, t-SNE or UMAP.
  [Request.tsneControl]: {
    mode: Mode.control,
    run({ action }) {
      let applied = false;
      for (const job of [...runningJobs(Request.tsne), ...runningJobs(Request.umap)]) {
        applied = true;
        if (action === 'pause') job.paused = true;
        else if (action === 'resume' || action === 'stop') {
          if (action === 'stop') job.controller.abort(failure(ErrorCode.CANCELLED, 't-SNE was stopped'));
          job.paused = false;
          job.resume?.();
          job.resume = null;
        } else throw failure(ErrorCode.BAD_ARGUMENT, `unknown t-SNE action "${action}" (expected pause, resume or stop)`);
      }
      return { applied };
    },
  },
};

serve(handlers);
