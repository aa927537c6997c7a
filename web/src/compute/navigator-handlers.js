// The neighbour navigator's requests (issue 9 §3). The nearest-10 graph of
// the most frequent words is built once per table and space, the first
// time a game asks for it (background, in steps, with progress), and kept
// in the wasm heap; every later request of a game (a seeded pick, a hop's
// neighbours with their hops to the target, the best path) is a
// breadth-first search in the core over that graph, a few milliseconds.
import { ErrorCode, buildNavigator } from '../../../wasm/js/explorer.js';
import { failure } from './jobs.js';
import { Mode, Request } from './protocol.js';

/** @typedef {import('../../../wasm/js/navigator.js').Navigator} Navigator */
/** @typedef {import('../../../wasm/js/explorer.js').EmbeddingExplorer} EmbeddingExplorer */

/** The game plays over this many of the most frequent words (fewer when the table is smaller). */
export const NAVIGATOR_WORDS = 10000;
/** The neighbour lists the game hops through. */
export const NAVIGATOR_K = 10;
// Graphs of this many spaces are kept (each about 0.8 MB for 10,000 words); the oldest goes first.
const KEPT_SPACES = 3;

/**
 * @param {() => EmbeddingExplorer} requireExplorer
 * @param {() => import('./files.js').TableExtent | null} partialExtent how much of the default table has arrived, while it streams in
 * @returns {Pick<import('./jobs.js').HandlerTable, 'navigatorGraph' | 'navigatorPick' | 'navigatorStep' | 'navigatorPath'>}
 */
export function navigatorHandlers(requireExplorer, partialExtent) {
  /** @type {object | null} the table (its info) the kept graphs belong to */
  let graphsTable = null;
  /** @type {Map<string, Promise<Navigator>>} space -> its graph, built or being built */
  const building = new Map();
  /** @type {Map<string, Navigator>} space -> its finished graph */
  const built = new Map();
  /** @type {Map<string, number>} seconds each space's graph took to build */
  const lastSeconds = new Map();

  /** The explorer, with graphs of an older table dropped; refused while the default table streams in. */
  function currentTable() {
    const ex = requireExplorer();
    const extent = partialExtent();
    if (extent) {
      throw failure(
        ErrorCode.NOT_READY,
        `the table is still loading (${extent.rows.toLocaleString('en')} of ${extent.totalRows.toLocaleString('en')} words); the navigator plays once it is complete`,
      );
    }
    if (ex.info !== graphsTable) {
      for (const navigator of built.values()) navigator.dispose();
      built.clear();
      building.clear();
      graphsTable = ex.info;
    }
    return ex;
  }

  /** @param {string} space */
  function ready(space) {
    currentTable();
    const navigator = built.get(space);
    if (!navigator) throw failure(ErrorCode.NOT_READY, `the navigator's graph for the ${space} space is not built yet`);
    return navigator;
  }

  /** @param {Navigator} navigator */
  const describe = (navigator) => ({ space: navigator.space, words: navigator.words.length, k: navigator.k });

  return {
    [Request.navigatorGraph]: {
      mode: Mode.background,
      async run(args, { progress, signal, between }) {
        const ex = currentTable();
        // The page's current space (the worker entered it for this call), by its canonical name.
        const space = args.space || ex.space;
        const table = graphsTable;
        let pending = building.get(space);
        const fresh = !pending;
        if (!pending) {
          const started = performance.now();
          const words = Math.min(NAVIGATOR_WORDS, ex.size);
          pending = buildNavigator(ex, { words, k: NAVIGATOR_K, space, signal, between, onProgress: progress }).then((navigator) => {
            // A table that replaced this one while it was built owns the cache now.
            if (graphsTable !== table) {
              navigator.dispose();
              throw failure(ErrorCode.CANCELLED, 'another table was loaded while the navigator graph was built');
            }
            built.set(space, navigator);
            for (const old of [...built.keys()].slice(0, -KEPT_SPACES)) {
              built.get(old)?.dispose();
              built.delete(old);
              building.delete(old);
            }
            lastSeconds.set(space, (performance.now() - started) / 1000);
            return navigator;
          });
          building.set(space, pending);
          pending.catch(() => building.get(space) === pending && building.delete(space));
        }
        const navigator = await pending;
        return { ...describe(navigator), seconds: lastSeconds.get(space) ?? 0, built: fresh };
      },
    },

    [Request.navigatorPick]: {
      mode: Mode.queued,
      run({ space, hops = 4, seed = 1 }) {
        const navigator = ready(space);
        const pick = navigator.pick({ hops, seed });
        return { ...pick, seed };
      },
    },

    [Request.navigatorStep]: {
      mode: Mode.queued,
      run({ space, word, target }) {
        const navigator = ready(space);
        const at = navigator.words[navigator.position(word)];
        const goal = navigator.words[navigator.position(target)];
        const neighbors = navigator.neighbors(at, goal);
        const onward = neighbors.map((n) => n.hopsToTarget).filter((h) => h !== null);
        // Hops from here to the target: none at the target, else one more than the nearest neighbour's.
        const hopsLeft = at === goal ? 0 : onward.length ? 1 + Math.min(.../** @type {number[]} */ (onward)) : null;
        return { word: at, target: goal, neighbors, hopsLeft };
      },
    },

    [Request.navigatorPath]: {
      mode: Mode.queued,
      run({ space, start, target }) {
        const navigator = ready(space);
        const from = navigator.words[navigator.position(start)];
        const to = navigator.words[navigator.position(target)];
        const { words: path, hops } = navigator.path(from, to);
        return { start: from, target: to, path, hops, ...describe(navigator) };
      },
    },
  };
}
