// A view as data: what a bookmark holds (bookmarks-panel.js), and what a
// lesson step will hold (issue 10). A snapshot names the view's fields as
// the URL does and keeps only those that differ from the defaults, so it
// restores exactly as opening the view's link would: through
// normalizeView and the store. The fields come from DEFAULT_VIEW, so a
// field added to the view is carried without a change here.
//
// The bookmarks file ("Export as JSON") and the page's own copy in
// localStorage are one format, BOOKMARKS_FORMAT version 1 (the README shows
// an example); the URL carries the same list compressed in one parameter.
import { t } from '../i18n/strings.js';
import { DEFAULT_VIEW, PROJECTIONS, normalizeView } from './view-state.js';

export const BOOKMARKS_FORMAT = 'embedding-explorer-bookmarks';
export const BOOKMARKS_VERSION = 1;
/** Fields of the URL that belong to the page, not to a view: the table is loaded once, at the start. */
export const PAGE_FIELDS = Object.freeze(['data']);
export const VIEW_FIELDS = Object.freeze(Object.keys(DEFAULT_VIEW).filter((key) => !PAGE_FIELDS.includes(key)));
export const MAX_BOOKMARKS = 100;
export const MAX_NAME_LENGTH = 120;

/** A problem in bookmarks read from a file, the URL or storage; `where` and `field` say which. */
export class SnapshotError extends Error {
  constructor(message, { where = '', field = '', problem = message } = {}) {
    super(message);
    this.name = 'SnapshotError';
    this.where = where;
    this.field = field;
    this.problem = problem; // the message without where and field, for a lesson step to name its own place
  }
}

const isDefault = (value, key) => value === undefined || value === null || value === '' || value === false || value === DEFAULT_VIEW[key];

/** The view's fields that differ from the defaults, as typed values ({ q: 'king - man + woman', k: 20 }). */
export function snapshotView(state) {
  const snapshot = {};
  for (const key of VIEW_FIELDS) {
    // proj=pca beside axes is kept: without it, axes alone reads as the axes view (as in url-state.js).
    const keep = key === 'proj' && state.axes && state.proj !== 'axes';
    if (!isDefault(state[key], key) || keep) snapshot[key] = state[key];
  }
  return snapshot;
}

/** The whole view a snapshot stands for ({ view, notes }); the page's own fields (its table) stay `current`'s. */
export function viewFromSnapshot(snapshot, current = DEFAULT_VIEW) {
  const page = Object.fromEntries(PAGE_FIELDS.map((key) => [key, current[key]]));
  return normalizeView({ ...snapshot, ...page });
}

/** Puts a snapshot's view in the store, as a link does: a new history entry, the notes say what was corrected. */
export function applySnapshot(store, snapshot) {
  const { view, notes } = viewFromSnapshot(snapshot, store.get());
  // A failed answer with the same key would not be asked again otherwise.
  const retry = store.get().answer?.error ? { answer: null } : {};
  store.set({ ...view, notes, ...retry }, { history: 'push' });
}

export const sameSnapshot = (first, second) => JSON.stringify(canonical(first)) === JSON.stringify(canonical(second));
const canonical = (snapshot) => Object.fromEntries(VIEW_FIELDS.filter((key) => key in snapshot).map((key) => [key, snapshot[key]]));

/** A short description of a view, the default name of its bookmark: "king - man + woman · t-SNE · whitened". */
export function describeView(view) {
  let query = '';
  if (view.a) query = t.viewAnalogy(view.a, view.b, view.c, view.method === '3cosmul');
  else if (view.q) query = view.q;
  else if (view.word) query = t.viewNeighboursOf(view.word);
  const parts = [query];
  if (view.sel) parts.push(query ? t.viewSelected(view.sel) : t.viewNeighboursOf(view.sel));
  if (view.words) {
    const words = view.words.split(',');
    parts.push(t.viewWords(words.slice(0, 3), words.length > 3));
  }
  if (view.group) parts.push(view.group === 'all' ? t.viewAllGroups : t.viewGroup(view.group));
  const proj = view.proj ?? DEFAULT_VIEW.proj;
  if (proj !== DEFAULT_VIEW.proj) parts.push(proj === 'axes' && view.axes ? t.viewAxes(view.axes) : PROJECTIONS[proj] ?? proj);
  if (view.space && view.space !== DEFAULT_VIEW.space) parts.push(view.space);
  if (view.dims === 2) parts.push(t.view2d);
  const name = parts.filter(Boolean).join(t.viewPartSeparator) || t.defaultView;
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH - 1)}…` : name;
}

// ---- checking what was read ----------------------------------------------------

const plainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const kindOf = (value) => (value === null ? t.kindNull : Array.isArray(value) ? t.kindList : typeof value === 'object' ? t.kindObject : t.kindValue(typeof value, JSON.stringify(value)));

/** Is `given` what normalizeView made of it (up to spelling: "20" is 20, "1" is true)? */
function kept(given, used) {
  if (given === undefined) return true; // left to its default
  if (used === undefined) return given === undefined || given === false || String(given).trim() === '';
  if (typeof used === 'boolean') return used === (given === true || given === '1' || given === 'true');
  if (typeof used === 'number') return Number(given) === used;
  return String(given).trim().toLowerCase() === String(used).toLowerCase() || String(given).split(/[\s,]+/).filter(Boolean).join(',') === used;
}

/**
 * A view snapshot read from outside, checked: every field is a view field
 * with a string, number or boolean that normalizeView takes as it is.
 * Returns the canonical snapshot; throws a SnapshotError naming `where`
 * and the field.
 */
export function checkSnapshot(view, where = t.theView) {
  const fail = (field, problem) => {
    throw new SnapshotError(t.fieldProblem(where, field, problem), { where, field, problem });
  };
  if (!plainObject(view)) fail('view', t.viewNotObject(kindOf(view)));
  for (const [key, value] of Object.entries(view)) {
    if (PAGE_FIELDS.includes(key)) fail(`view.${key}`, t.viewPageField(key));
    if (!VIEW_FIELDS.includes(key)) fail(`view.${key}`, t.viewUnknownField(key, VIEW_FIELDS));
    const simple = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!simple) fail(`view.${key}`, t.viewFieldNotSimple(kindOf(value)));
  }
  const { view: used, notes } = normalizeView(view);
  if (notes.length) {
    const changed = VIEW_FIELDS.filter((key) => !kept(view[key], used[key]) && !(key === 'proj' && view.proj === undefined));
    // A value dropped (an unknown axis preset) is the cause; a field changed with it (proj back to pca) the effect.
    const dropped = changed.filter((key) => used[key] === undefined);
    fail(`view.${dropped[0] ?? changed[0] ?? Object.keys(view)[0] ?? 'view'}`, t.viewWouldBeCorrected(notes));
  }
  return snapshotView(used);
}

/** One bookmark read from outside ({ name, view }), checked; `where` names it in errors. */
export function checkBookmark(bookmark, where) {
  if (!plainObject(bookmark)) throw new SnapshotError(t.bookmarkNotObject(where, kindOf(bookmark)), { where, field: '' });
  const { name } = bookmark;
  if (typeof name !== 'string' || !name.trim()) throw new SnapshotError(t.fieldProblem(where, 'name', t.bookmarkNameEmpty(kindOf(name))), { where, field: 'name' });
  if (name.trim().length > MAX_NAME_LENGTH) throw new SnapshotError(t.fieldProblem(where, 'name', t.bookmarkNameTooLong(MAX_NAME_LENGTH, name.trim().length)), { where, field: 'name' });
  const named = t.bookmarkNamed(where, name.trim());
  for (const key of Object.keys(bookmark)) {
    if (key !== 'name' && key !== 'view') throw new SnapshotError(t.fieldProblem(named, key, t.bookmarkUnknownField), { where: named, field: key });
  }
  return { name: name.trim(), view: checkSnapshot(bookmark.view, named) };
}

/** Checks a list of bookmarks; errors say where: 'The file "x.json": bookmark 2 of 3 (bookmarks[1])'. */
export function checkBookmarks(list, source = t.theBookmarks) {
  if (!Array.isArray(list)) throw new SnapshotError(t.fieldProblem(source, 'bookmarks', t.bookmarksNotList(kindOf(list))), { field: 'bookmarks' });
  if (list.length > MAX_BOOKMARKS) throw new SnapshotError(t.bookmarksTooMany(source, list.length, MAX_BOOKMARKS), { field: 'bookmarks' });
  return list.map((bookmark, i) => checkBookmark(bookmark, t.bookmarkWhere(source, i + 1, list.length, i)));
}

// ---- the file ---------------------------------------------------------------------

/** The file's identity of a table: { name, rows, dims }. */
export const tableIdentity = (table) => (table ? { name: String(table.name), rows: table.rows, dims: table.dims } : null);

/** The bookmarks document (the exported file, and the page's copy in localStorage). */
export function bookmarksDocument(bookmarks, table) {
  return {
    format: BOOKMARKS_FORMAT,
    version: BOOKMARKS_VERSION,
    table: tableIdentity(table),
    bookmarks: bookmarks.map(({ name, view }) => ({ name, view })),
  };
}

/** Reads a bookmarks document (text or parsed): { table, bookmarks }, or a SnapshotError naming the problem. */
export function parseBookmarks(input, source = t.theFileSubject) {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (error) {
      throw new SnapshotError(t.notJson(source, error.message), { field: '' });
    }
  }
  if (!plainObject(doc)) throw new SnapshotError(t.bookmarksNotDocument(source, BOOKMARKS_FORMAT, kindOf(doc)), { field: '' });
  if (doc.format !== BOOKMARKS_FORMAT) throw new SnapshotError(t.fieldProblem(source, 'format', t.mustBeFormat(BOOKMARKS_FORMAT, kindOf(doc.format))), { field: 'format' });
  if (doc.version !== BOOKMARKS_VERSION) throw new SnapshotError(t.fieldProblem(source, 'version', t.bookmarksVersion(BOOKMARKS_VERSION, kindOf(doc.version))), { field: 'version' });
  const table = doc.table ?? null;
  if (table !== null) {
    const good = plainObject(table) && typeof table.name === 'string' && Number.isInteger(table.rows) && table.rows > 0 && Number.isInteger(table.dims) && table.dims > 0;
    if (!good) throw new SnapshotError(t.fieldProblem(source, 'table', t.bookmarksTable), { field: 'table' });
  }
  return { table: tableIdentity(table), bookmarks: checkBookmarks(doc.bookmarks, source) };
}

/** What differs between the table bookmarks were saved on and the page's, or null if nothing (or nothing known). */
export function tableMismatch(saved, current) {
  if (!saved || !current) return null;
  const differs = saved.rows !== current.rows || saved.dims !== current.dims || saved.name !== current.name;
  if (!differs) return null;
  const describe = (table) => t.tableIdentity(table.name, table.rows, table.dims);
  return t.bookmarksOtherTable(describe(saved), describe(current));
}

// ---- the URL: bm=1.<deflated JSON in base64url> ---------------------------------------

const URL_VERSION = '1';

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The bookmarks as one URL parameter's value: "1." then [[name, view], …] as JSON, deflated, in base64url. */
export async function encodeBookmarks(bookmarks) {
  const json = JSON.stringify(bookmarks.map(({ name, view }) => [name, view]));
  return `${URL_VERSION}.${toBase64Url(await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw')))}`;
}

/** The bookmarks of a bm= value, checked; a SnapshotError says what is wrong. */
export async function decodeBookmarks(value) {
  const [version, data] = String(value).split('.', 2);
  if (version !== URL_VERSION || !data || !/^[A-Za-z0-9_-]+$/.test(data)) {
    throw new SnapshotError(t.linkBookmarksUnreadable(URL_VERSION), { field: 'bm' });
  }
  let list;
  try {
    list = JSON.parse(new TextDecoder().decode(await pipe(fromBase64Url(data), new DecompressionStream('deflate-raw'))));
  } catch {
    throw new SnapshotError(t.linkBookmarksDamaged, { field: 'bm' });
  }
  if (!Array.isArray(list)) throw new SnapshotError(t.linkBookmarksNotList, { field: 'bm' });
  return checkBookmarks(
    list.map((entry) => (Array.isArray(entry) ? { name: entry[0], view: entry[1] } : entry)),
    t.linkBookmarksSubject,
  );
}
