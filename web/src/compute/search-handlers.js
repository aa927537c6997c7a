// The worker's side of searching the table (issue 9 §4): a regular
// expression or a substring matched against the words or any metadata
// column, and the card of one point (its row, its norm and its metadata).
// The search runs here, in slices between queued calls, so 50,000 rows
// (or a slow pattern) never hold up the page or a query.
import { ErrorCode } from '../../../wasm/js/errors.js';
import { displayWord } from '../../../wasm/js/explorer.js';
import { failure } from './jobs.js';
import { Mode } from './protocol.js';

/** @typedef {import('../../../wasm/js/explorer.js').EmbeddingExplorer} EmbeddingExplorer */
/** @typedef {{ columns: string[], values: string[][] } | null} Metadata */

// Rows tested between two chances for queued calls (a query typed meanwhile) to run.
const SLICE_ROWS = 4096;
// A pattern is something a person types; anything longer is a mistake (a pasted file).
export const MAX_PATTERN_CHARS = 500;
// Matches listed with their text; the rest are counted (their ids all come back).
const DEFAULT_SHOWN = 100;

/**
 * The test for one value: a case-insensitive (unless matchCase) regular
 * expression or substring. A pattern that does not compile fails with a
 * message that names it.
 * @param {{ pattern: string, mode?: 'regex' | 'substring', matchCase?: boolean }} args
 * @returns {(value: string) => boolean}
 */
export function matcher({ pattern, mode = 'substring', matchCase = false }) {
  if (typeof pattern !== 'string' || pattern === '') throw failure(ErrorCode.EMPTY_INPUT, 'type something to search for');
  if (pattern.length > MAX_PATTERN_CHARS) {
    throw failure(ErrorCode.TOO_LARGE, `a search pattern has at most ${MAX_PATTERN_CHARS} characters, this one has ${pattern.length.toLocaleString('en')}`);
  }
  if (mode === 'substring') {
    if (matchCase) return (value) => value.includes(pattern);
    const lower = pattern.toLowerCase();
    return (value) => value.toLowerCase().includes(lower);
  }
  if (mode !== 'regex') throw failure(ErrorCode.BAD_ARGUMENT, `unknown search mode "${mode}" (expected regex or substring)`);
  let regex;
  try {
    regex = new RegExp(pattern, matchCase ? '' : 'i');
  } catch (error) {
    const reason = /** @type {Error} */ (error).message.replace(/^Invalid regular expression: /, '');
    throw failure(ErrorCode.BAD_ARGUMENT, `"${pattern}" is not a valid regular expression: ${reason}`);
  }
  // No g or y flag: test() keeps no state between values.
  return (value) => regex.test(value);
}

/**
 * The values searched: the words, or one metadata column (per row).
 * @param {EmbeddingExplorer} explorer
 * @param {Metadata} metadata
 * @param {string} column '' for the words
 */
function columnValues(explorer, metadata, column) {
  if (!column) return explorer.words;
  const at = metadata ? metadata.columns.indexOf(column) : -1;
  if (!metadata || at < 0) {
    const has = metadata?.columns.length ? `its columns are ${metadata.columns.join(', ')}` : 'it has no metadata (load a table with a metadata.tsv)';
    throw failure(ErrorCode.BAD_ARGUMENT, `the table has no metadata column "${column}": ${has}`);
  }
  return metadata.values[at];
}

/**
 * @param {() => EmbeddingExplorer} requireExplorer
 * @param {() => Metadata} metadata the loaded table's metadata
 * @returns {import('./jobs.js').Handler<'searchTable'>}
 */
export function searchTableHandler(requireExplorer, metadata) {
  return {
    mode: Mode.background,
    replaces: true, // a newer search (the next key typed) stops this one
    async run({ pattern, mode, matchCase, column = '', shown = DEFAULT_SHOWN }, { signal, between }) {
      const explorer = requireExplorer();
      const test = matcher({ pattern, mode, matchCase });
      const values = columnValues(explorer, metadata(), column);
      const words = explorer.words;
      const rows = words.length;
      /** @type {number[]} */
      const ids = [];
      for (let start = 0; start < rows; start += SLICE_ROWS) {
        if (start > 0) await between();
        if (signal.aborted) throw failure(ErrorCode.CANCELLED, 'the search was replaced by a newer one');
        const end = Math.min(rows, start + SLICE_ROWS);
        for (let id = start; id < end; id++) if (test(values[id] ?? '')) ids.push(id);
      }
      const listed = ids.slice(0, Math.max(0, shown)).map((id) => ({ id, word: words[id], display: displayWord(words[id]), value: column ? (values[id] ?? '') : words[id] }));
      return { pattern, mode: mode ?? 'substring', column, rows, count: ids.length, ids: Int32Array.from(ids), words: ids.map((id) => words[id]), listed };
    },
    transfer: (out) => [out.ids.buffer],
  };
}

/**
 * One point's card: its row (the frequency rank in a table sorted by
 * frequency, as GloVe's), the norm of its vector as stored (int8 rows
 * scaled back), and every metadata column's value for it.
 * @param {() => EmbeddingExplorer} requireExplorer
 * @param {() => Metadata} metadata
 * @returns {import('./jobs.js').Handler<'pointInfo'>}
 */
export function pointInfoHandler(requireExplorer, metadata) {
  return {
    mode: Mode.queued,
    run({ word }) {
      const explorer = requireExplorer();
      const { id, word: spelt, vector } = explorer.lookup(word);
      let squares = 0;
      for (const x of vector) squares += x * x;
      const table = metadata();
      return {
        id,
        word: spelt,
        display: displayWord(spelt),
        row: id + 1,
        rows: explorer.size,
        dims: vector.length,
        norm: Math.sqrt(squares),
        metadata: (table?.columns ?? []).map((column, c) => ({ column, value: table?.values[c][id] ?? '' })),
      };
    },
  };
}
