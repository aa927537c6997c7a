// The default table's start: it streams in (the wire copy, .embs.gz, see
// wasm/js/embq-stream.js), and the page answers from its most frequent
// words as soon as the first block is in, long before the rest arrives.
// This module and what it imports stay small and free of three.js: the
// full page's entry starts the worker and the downloads with it, and shows
// the first answer, before the 3D view's code has even been asked for.
// The app (app.js) takes its worker and its table from here too: a data=
// table, or the default one with the load main.js started.
import tableUrl from '../../../data/glove-6b-100d-50k.embs.gz?url';
// Zipped by the build (web/vite-plugins/early-downloads.js): static hosts seldom compress .wasm.
import wasmUrl from '../../../wasm/dist/explorer_core.wasm?gzip-url';
import { startCompute } from '../compute/client.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { $, formatBytes } from './dom.js';
import { QueryController } from './query-controller.js';
import { loadDataTable, tableSource } from './table-source.js';
import { ResultsView } from './results-view.js';
import { readUrlView } from './url-state.js';
import { hasQuery, initialState, normalizeView } from './view-state.js';
import { t } from '../i18n/strings.js';

/**
 * The worker a page computes in. The embeds of a course page share one per
 * table and space (one download, one table in memory).
 * @param {{ data?: string, space: string }} view
 * @param {{ embed: boolean }} options
 */
export function startComputeFor(view, { embed }) {
  if (!embed) return startCompute();
  const table = tableSource(view.data);
  return startCompute({ shareAs: `${table && 'url' in table ? table.url : defaultTableUrl()} ${view.space}` });
}

/** What the page asks when the URL asks nothing. */
export const DEFAULT_QUERY = Object.freeze({ q: 'king - man + woman' });

export const defaultTableUrl = () => new URL(tableUrl, location.href).href;
export const defaultWasmUrl = () => new URL(wasmUrl, location.href).href;

/**
 * @typedef {{ rows: number, totalRows: number, loaded: number, total: number }} TableProgress
 */

/**
 * Loads the default table in the worker, which fetches the module and the
 * table itself (a dedicated worker's fetch is not slowed by a busy page;
 * handing it the page's own downloads was: every chunk then waited for
 * the page's thread). firstRows resolves to the rows the worker answers
 * from once some have arrived (0 if the load failed: complete says why);
 * complete resolves with the whole table's info. listen(fn) gets every
 * progress, the latest at once.
 * @param {import('../compute/client.js').ComputeClient} client
 */
export function loadDefaultTable(client) {
  /** @type {((progress: TableProgress) => void)[]} */
  const listeners = [];
  /** @type {TableProgress | null} */
  let latest = null;
  /** @type {(rows: number) => void} */
  let answering = () => {};
  const firstRows = new Promise((resolve) => (answering = resolve));
  const complete = client
    .call(Request.load, { tableUrl: defaultTableUrl(), wasmUrl: defaultWasmUrl() }, {
      onProgress: (p) => {
        latest = { rows: p.rows ?? 0, totalRows: p.totalRows ?? 0, loaded: p.loaded, total: p.total };
        for (const listener of listeners) listener(latest);
        if (latest.rows > 0) answering(latest.rows);
      },
    })
    .then((info) => {
      answering(info.words);
      return info;
    });
  complete.catch(() => answering(0));
  return {
    client,
    firstRows,
    complete,
    /** @param {(progress: TableProgress) => void} listener */
    listen(listener) {
      listeners.push(listener);
      if (latest) listener(latest);
    },
  };
}

/**
 * What the load status says while the table streams in.
 * @param {TableProgress} progress
 */
export function streamingStatus({ rows, totalRows, loaded, total }) {
  const bytes = total ? t.bytesOf(formatBytes(loaded), formatBytes(total)) : formatBytes(loaded);
  if (!rows || !totalRows) return t.loadingEmbeddingsSoFar(bytes);
  return t.answeringFromPart(rows, totalRows, bytes);
}

/**
 * The table the app starts with: data='s, a lesson's (table-source.js),
 * else the default one, streamed in (`early`, the load main.js started, if
 * any). Resolves once some rows answer, to the table's URL (kept for
 * offline use) and `complete`, which resolves once the whole table answers
 * (see followDefaultTable); rejects if no table could be loaded.
 * @param {import('../compute/client.js').ComputeClient} client
 * @param {string | undefined} data
 * @param {{ early?: ReturnType<typeof loadDefaultTable> | null, loadStatus: Parameters<typeof followDefaultTable>[1],
 *   onNote: (text: string) => void, onRows: (rows: number) => void, onComplete: () => unknown }} options
 * @returns {Promise<{ url: string, complete: Promise<void> }>}
 */
export async function startTable(client, data, { early, loadStatus, onNote, onRows, onComplete }) {
  const onProgress = (/** @type {{ loaded: number, total: number }} */ { loaded, total }) => loadStatus.progress(loaded, total);
  const lesson = await loadDataTable(client, data, { wasmUrl: defaultWasmUrl(), onProgress, onNote });
  if (lesson) {
    loadStatus.loaded(lesson.info, lesson.name);
    return { url: lesson.url, complete: Promise.resolve() };
  }
  const load = early ?? loadDefaultTable(client);
  const complete = followDefaultTable(load, loadStatus, { onRows, onComplete });
  if (!(await load.firstRows)) await load.complete; // it failed: the caller shows why
  return { url: defaultTableUrl(), complete };
}

/**
 * The app's side of the default table's load: the status line follows the
 * download, body[data-table-rows] says how many rows answer (onRows is told
 * too), and once the whole table is in, onComplete() asks again what the
 * first rows answered. Resolves when that is done. A failed load shows in
 * the status line; one the learner's own table cancelled does not (theirs
 * stays, and says so).
 * @param {ReturnType<typeof loadDefaultTable>} load
 * @param {{ progress: (loaded: number, total: number, text: string) => void, loaded: (info: object) => void, failed: (error: unknown) => void }} loadStatus
 * @param {{ onRows: (rows: number) => void, onComplete: () => unknown }} hooks
 */
export function followDefaultTable(load, loadStatus, { onRows, onComplete }) {
  load.listen((progress) => {
    if (document.body.dataset.tableRows === 'complete') return;
    loadStatus.progress(progress.loaded, progress.total, streamingStatus(progress));
    if (!progress.rows) return;
    document.body.dataset.tableRows = String(progress.rows);
    onRows(progress.rows);
  });
  return load.complete.then(
    async (info) => {
      loadStatus.loaded(info);
      document.body.dataset.tableRows = 'complete';
      await onComplete();
    },
    (error) => {
      if (error?.code !== ErrorCode.CANCELLED) loadStatus.failed(error);
    },
  );
}

/**
 * Until the app has arrived: the load status follows the download, and the
 * URL's query (or the default one) is answered into the results list as
 * soon as the first rows are in. A query with a word that has not arrived
 * yet says so and is asked again as each further block of rows answers
 * (on a course page the app can take seconds to start). The app's own
 * results view takes the list over when it answers (stillEarly() turns
 * false then).
 * @param {ReturnType<typeof loadDefaultTable>} load
 * @param {() => boolean} stillEarly
 */
export async function showFirstAnswer(load, stillEarly) {
  /** @type {() => void} */
  let moreRows = () => {};
  let rows = 0;
  load.listen((progress) => {
    if (!stillEarly()) return;
    const bar = /** @type {HTMLProgressElement | null} */ ($('load-progress'));
    if (bar && progress.total) Object.assign(bar, { max: progress.total, value: progress.loaded });
    const text = $('load-text');
    if (text) text.textContent = streamingStatus(progress);
    if (progress.rows > rows) {
      rows = progress.rows;
      moreRows();
    }
  });
  load.complete.then(() => moreRows(), () => moreRows());
  if (!(await load.firstRows) || !stillEarly()) return;
  const { view } = normalizeView(readUrlView());
  // The worker answers in the raw space until the app sets the view's own; a
  // preview from another space would show the wrong list for a moment.
  if (view.space !== 'raw') return;
  let state = initialState(view);
  if (!hasQuery(state)) {
    if (state.group) return; // a word group alone asks nothing: the app draws it
    state = { ...state, ...DEFAULT_QUERY };
  }
  // The query's own fields show what the list answers (the app's controls keep them from then on); one the
  // learner has started typing in is theirs.
  const fields = { expression: state.q, 'analogy-a': state.a, 'analogy-b': state.b, 'analogy-c': state.c, search: state.sel ?? state.word };
  for (const [id, value] of Object.entries(fields)) {
    const input = $(id);
    if (input instanceof HTMLInputElement && value && !input.value && document.activeElement !== input) input.value = String(value);
  }
  const queries = new QueryController(load.client);
  const results = new ResultsView({ onSuggestion: () => {}, onFind: () => {} });
  for (;;) {
    const more = new Promise((resolve) => (moreRows = () => resolve(undefined)));
    const answer = await queries.answer(state);
    if (!answer || !stillEarly()) return;
    results.render({ answer, notes: [] });
    if (answer.error?.code !== ErrorCode.NOT_READY) break;
    await more; // the next block of rows, or the whole table
    if (!stillEarly()) return;
  }
  document.body.dataset.firstAnswerMs ??= performance.now().toFixed(0);
}
