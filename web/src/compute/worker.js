// The compute worker: owns the wasm core so the page never blocks.
//
// Its one handler table declares each request's mode (protocol.js says what
// the modes mean); jobs.js holds the running jobs and schedules them.
import { EmbeddingExplorer, ErrorCode, MAX_INPUT_BYTES, analogyHeatmap, contributions, cosineToOthers, displayWord, heatmap } from '../../../wasm/js/explorer.js';
import { createCore, fileNameOf, fileSlices, readCompanion, safetensorsHead, streamTable } from './files.js';
import { failure, runningJobs, serve } from './jobs.js';
import { Mode, Request } from './protocol.js';
import { urlTableHandler } from './url-table.js';
import { tsneHandler, umapHandler } from './layout-handlers.js';
import { navigatorHandlers } from './navigator-handlers.js';
import { beforeAfterHandler, directionHandler, rankAlongHandler } from './direction-handlers.js';
import { pointInfoHandler, searchTableHandler } from './search-handlers.js';
import { lessonHandlers } from './lesson-handlers.js';

/** @typedef {import('./protocol.js').ShownWord} ShownWord */

/** @type {EmbeddingExplorer | null} */
let explorer = null;
/** @type {{ columns: string[], values: string[][] } | null} metadata of the loaded table: values[column][row] */
let tableMetadata = null;

/** @type {{ extent: import('./files.js').TableExtent, info: object } | null} the default table while it streams in */
let streaming = null;

/** How much of the default table has arrived, while it is what answers; null once complete (or replaced). */
function partialExtent() {
  return streaming && explorer?.info === streaming.info ? streaming.extent : null;
}

/**
 * While the default table streams in, an answer says how many of the most
 * frequent words it comes from, and a word that has not arrived yet is
 * "still loading" rather than unknown (a query, or the words of named
 * axes or of the analogy view).
 * @template {'query' | 'project' | 'analogyGeometry' | 'contributions' | 'heatmap' | 'analogyHeatmap' | 'cosineToOthers'} T
 * @param {import('./jobs.js').Handler<T>} handler
 * @returns {import('./jobs.js').Handler<T>}
 */
function fromRowsSoFar(handler) {
  return {
    ...handler,
    run(args, context) {
      const extent = partialExtent();
      try {
        const out = /** @type {any} */ (handler.run(args, context));
        return extent ? { ...out, partial: extent } : out;
      } catch (error) {
        const e = /** @type {{ code?: string, word?: string }} */ (error);
        if (!extent || e?.code !== ErrorCode.UNKNOWN_WORD) throw error;
        const word = e.word ?? '';
        throw Object.assign(
          failure(
            ErrorCode.NOT_READY,
            `"${word}" has not arrived yet: the table is still loading (${extent.rows.toLocaleString('en')} of ${extent.totalRows.toLocaleString('en')} words so far).`,
          ),
          { word },
        );
      }
    },
  };
}

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
  // The default table streams in: each block of rows that arrives is
  // swapped in between queued calls, so queries are answered from the most
  // frequent words while the rest loads (streamTable in files.js).
  [Request.load]: {
    mode: Mode.background,
    async run({ tableUrl, wasmUrl }, { progress, signal, between }) {
      const fileName = fileNameOf(tableUrl);
      // The module and the table download side by side.
      const core = explorer ? Promise.resolve(explorer) : createCore(wasmUrl, signal);
      core.catch(() => {}); // awaited in streamTable; a failure must not go unhandled meanwhile
      const response = await fetch(tableUrl, { signal });
      if (!response.ok) throw failure(ErrorCode.BAD_DATA, `cannot load ${fileName}: HTTP ${response.status}`);
      if (!response.body) throw failure(ErrorCode.BAD_DATA, `cannot load ${fileName}: the response has no body`);
      return streamTable({
        body: response.body,
        fileName,
        total: Number(response.headers.get('content-length')) || 0,
        encoded: Boolean(response.headers.get('content-encoding')),
        core,
        signal,
        between,
        onProgress: progress,
        adopt(loadedInto, extent) {
          explorer = loadedInto;
          tableMetadata = null;
          streaming = extent && loadedInto.info ? { extent, info: loadedInto.info } : null;
        },
      });
    },
  },

  [Request.loadUrl]: urlTableHandler({
    current: () => explorer,
    adopt(core, metadata) {
      explorer = core;
      tableMetadata = metadata;
    },
  }),

  [Request.query]: fromRowsSoFar({
    mode: Mode.queued,
    run(args) {
      const ex = requireExplorer();
      const k = args.k ?? 10;
      if (args.kind === 'expression') {
        const out = ex.expression(args.text, { k, includeInputs: args.includeInputs, metric: args.metric });
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
        const out = ex.neighbors(args.word, { k, metric: args.metric });
        return { ...out, results: shown(out.results) };
      }
      throw failure(ErrorCode.BAD_ARGUMENT, `unknown query kind "${/** @type {{ kind: unknown }} */ (args).kind}"`);
    },
  }),

  [Request.complete]: {
    mode: Mode.queued,
    run: ({ prefix, limit = 8 }) => (prefix ? requireExplorer().complete(prefix, limit) : []),
  },

  [Request.setSpace]: {
    mode: Mode.queued,
    run({ space }, { job }) {
      const name = requireExplorer().setSpace(space);
      job.peer.space = name; // canonical: the space this page's later calls run in (see enterPeerSpace)
      return name;
    },
  },

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

  [Request.project]: fromRowsSoFar({ mode: Mode.queued, run: ({ ids, method, axes, components }) => requireExplorer().project(ids, { method, axes, components }) }),
  [Request.analogyGeometry]: fromRowsSoFar({ mode: Mode.queued, run: (query) => requireExplorer().analogyGeometry(query) }),
  // What makes two words similar (issue 9 §2); each runs in the page's current space.
  [Request.contributions]: fromRowsSoFar({ mode: Mode.queued, run: ({ first, second }) => contributions(requireExplorer(), first, second) }),
  [Request.heatmap]: fromRowsSoFar({ mode: Mode.queued, run: ({ expressions, labels }) => heatmap(requireExplorer(), expressions, { labels }) }),
  [Request.analogyHeatmap]: fromRowsSoFar({ mode: Mode.queued, run: ({ a, b, c, answer }) => analogyHeatmap(requireExplorer(), a, b, c, { answer }) }),
  [Request.cosineToOthers]: fromRowsSoFar({ mode: Mode.queued, run: ({ words }) => cosineToOthers(requireExplorer(), words) }),
  // Directions and neutralising (issue 9 §1), in the page's current space.
  [Request.direction]: directionHandler(requireExplorer, partialExtent),
  [Request.rankAlong]: rankAlongHandler(requireExplorer, partialExtent),
  [Request.beforeAfter]: beforeAfterHandler(requireExplorer, partialExtent),
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

  [Request.tsne]: tsneHandler(requireExplorer),
  [Request.umap]: umapHandler(requireExplorer),
  ...navigatorHandlers(requireExplorer, partialExtent), // the neighbour navigator's graph and searches (issue 9 §3)
  [Request.searchTable]: searchTableHandler(requireExplorer, () => tableMetadata),
  [Request.pointInfo]: pointInfoHandler(requireExplorer, () => tableMetadata),
  ...lessonHandlers(requireExplorer, partialExtent), // lesson figures and checks in a named space, and the synthetic cone (issue 10 §2)

  // Controls whichever layout runs, t-SNE or UMAP.
  [Request.tsneControl]: {
    mode: Mode.control,
    run({ action }, { job: control }) {
      let applied = false;
      // Only the asking page's layouts: in a SharedWorker other pages run their own.
      for (const job of [...runningJobs(Request.tsne, control.peer), ...runningJobs(Request.umap, control.peer)]) {
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

/**
 * The core has one current space, and in a SharedWorker several pages
 * share the core: each call runs in the space its own page last chose, so
 * one embed switching to "whitened" never changes another embed's answers.
 * Spaces are cached in the core, so switching back is a lookup.
 * @param {import('./jobs.js').Job} job
 */
function enterPeerSpace(job) {
  const wanted = job.peer.space;
  if (wanted === undefined || job.type === Request.setSpace || !explorer) return;
  if (explorer.space !== wanted) explorer.setSpace(wanted);
}

// In a SharedWorker (the embeds of one course page), the table's load
// (the default one, or a data= table) runs once for all of them.
serve(handlers, { shared: [Request.load, Request.loadUrl], beforeRun: enterPeerSpace });
