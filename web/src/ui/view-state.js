// What the page's state holds, its defaults, and the rules that keep it
// valid. A value out of range is replaced by the value used and a note
// says so, so the controls and the URL always show what ran.
import { t } from '../i18n/strings.js';
import { namedAxes } from './axis-presets.js';
import { DEFAULT_PCS, PCA_PROJECTIONS, componentIndices, normalizePcs } from './pca-components.js';
import { WORD_GROUPS } from './presets.js';

export const LIMITS = Object.freeze({
  // The core allows 10,000; the results list pages 1,000 and the view labels only the first rows.
  k: { min: 1, max: 1000, name: t.limitName.k },
  n: { min: 100, max: 20000, name: t.limitName.n },
  // van der Maaten's advice: perplexity 5 to 50.
  perplexity: { min: 5, max: 50, name: t.limitName.perplexity },
  // umap-learn's advice: n_neighbors 2 to 100; min_dist 0 to its spread, 1.
  neighbors: { min: 2, max: 100, name: t.limitName.neighbors },
  mindist: { min: 0, max: 1, name: t.limitName.mindist, whole: false },
});
// The core's t-SNE and UMAP lay out at most this many points here (every
// Points value the page offers); past LONG_LAYOUT_POINTS the page says
// beforehand how long the layout will take.
export const TSNE_MAX_POINTS = 20000;
export const LONG_LAYOUT_POINTS = 10000;
// The keys are the values a link may carry; a translation names them.
const named = (keys, names) => Object.freeze(Object.fromEntries(keys.map((key) => [key, names[key]])));
export const PROJECTIONS = named(['pca', 'pca-table', 'axes', 'tsne', 'umap', 'analogy'], t.projectionName);
/** Projections laid out step by step in the worker (drawn while they run, with Pause). */
export const PROGRESSIVE = Object.freeze(new Set(['tsne', 'umap']));
export const DIMENSIONS = Object.freeze([2, 3]);
export const METHODS = named(['3cosadd', '3cosmul'], t.methodName);
/** How neighbours and expressions rank (analogies always use their method's cosines). */
export const METRICS = named(['cosine', 'euclidean'], t.metricName);

/** The view as a link carries it (see url-params.js), at its defaults. */
export const DEFAULT_VIEW = Object.freeze({
  q: undefined,
  a: undefined,
  b: undefined,
  c: undefined,
  method: '3cosadd',
  metric: 'cosine',
  inputs: false,
  expected: undefined,
  word: undefined,
  sel: undefined,
  space: 'raw',
  proj: 'pca',
  axes: undefined,
  pcs: DEFAULT_PCS, // the principal components on x, y and z of a PCA view (pca-components.js)
  group: undefined,
  k: 10,
  n: 5000,
  dims: 3, // 2: every projection lies in a plane, seen straight on
  perplexity: 30,
  neighbors: 15,
  mindist: 0.1,
  words: undefined, // a word list drawn instead of (or with `beside`, beside) the n most frequent words
  beside: false,
  data: undefined, // a table on the site to start with (table-source.js)
  nav: undefined, // the navigator game's "start:target" (navigator-panel.js)
  navseed: undefined, // or its seeded puzzle
});

/** Fields that say what is asked; a new query replaces all of them. */
export const QUERY_FIELDS = Object.freeze(['q', 'a', 'b', 'c', 'expected', 'word', 'sel']);
export const NO_QUERY = Object.freeze(Object.fromEntries(QUERY_FIELDS.map((key) => [key, undefined])));

/** The page's whole state: the view, plus what ran and what it said. */
export function initialState(view) {
  return {
    ...view,
    colourBy: '', // metadata column colouring the points (tables of your own)
    answer: null, // what the worker answered for the current query and selection
    notes: [], // messages about values that were corrected
  };
}

const blank = (value) => value === undefined || value === null || String(value).trim() === '';
const text = (value) => (blank(value) ? undefined : String(value).trim());

function clampNumber(value, { min, max, name, whole = true }, fallback, notes) {
  if (blank(value)) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number)) {
    notes.push(t.valueNotANumber(name, min, max, value, fallback));
    return fallback;
  }
  const used = Math.min(max, Math.max(min, whole ? Math.round(number) : number));
  if (number < min || number > max) notes.push(t.outOfRange(name, min, max, value, used));
  else if (used !== number) notes.push(t.notWhole(name, value, used));
  return used;
}

/**
 * A valid view from loose values (a URL, a control): returns { view, notes }.
 * `base` supplies what `loose` leaves out.
 */
export function normalizeView(loose, base = DEFAULT_VIEW) {
  const notes = [];
  const merged = { ...base, ...loose };
  const view = { ...DEFAULT_VIEW };
  view.k = clampNumber(merged.k, LIMITS.k, DEFAULT_VIEW.k, notes);
  view.n = clampNumber(merged.n, LIMITS.n, DEFAULT_VIEW.n, notes);
  for (const key of ['perplexity', 'neighbors', 'mindist']) view[key] = clampNumber(merged[key], LIMITS[key], DEFAULT_VIEW[key], notes);
  view.dims = Number(text(merged.dims) ?? DEFAULT_VIEW.dims);
  if (!DIMENSIONS.includes(view.dims)) {
    notes.push(t.badDimensions(merged.dims));
    view.dims = DEFAULT_VIEW.dims;
  }
  view.method = text(merged.method)?.toLowerCase() ?? DEFAULT_VIEW.method;
  if (!METHODS[view.method]) {
    notes.push(t.unknownMethod(merged.method));
    view.method = DEFAULT_VIEW.method;
  }
  view.metric = text(merged.metric)?.toLowerCase() ?? DEFAULT_VIEW.metric;
  if (!METRICS[view.metric]) {
    notes.push(t.unknownMetric(merged.metric));
    view.metric = DEFAULT_VIEW.metric;
  }
  view.inputs = merged.inputs === true || merged.inputs === '1' || merged.inputs === 'true';
  view.space = text(merged.space) ?? DEFAULT_VIEW.space;
  // A link or an embed that names axes and no projection means the axes view.
  const impliedProj = text(loose.proj) === undefined && text(loose.axes) && base === DEFAULT_VIEW ? 'axes' : undefined;
  view.proj = impliedProj ?? text(merged.proj) ?? DEFAULT_VIEW.proj;
  if (!PROJECTIONS[view.proj]) {
    notes.push(t.unknownProjection(merged.proj, Object.keys(PROJECTIONS), PROJECTIONS.pca));
    view.proj = DEFAULT_VIEW.proj;
  }
  if (PROGRESSIVE.has(view.proj) && view.n > TSNE_MAX_POINTS) {
    notes.push(t.tooManyPointsToLayOut(PROJECTIONS[view.proj], TSNE_MAX_POINTS, view.n, PROJECTIONS.pca));
    view.proj = DEFAULT_VIEW.proj;
  }
  view.axes = text(merged.axes);
  if (view.proj === 'axes' && view.axes) {
    // Axes that cannot be read (an unknown preset, a malformed pair) are named
    // and dropped, so the menu, the URL and the picture all say PCA.
    try {
      namedAxes(view.axes);
    } catch (error) {
      notes.push(t.badAxes(error.message, PROJECTIONS.pca));
      view.proj = DEFAULT_VIEW.proj;
      view.axes = undefined;
    }
  }
  view.pcs = normalizePcs(merged.pcs, notes);
  view.words = wordList(merged.words, notes);
  view.beside = Boolean(view.words) && (merged.beside === true || merged.beside === '1' || merged.beside === 'true');
  view.group = text(merged.group);
  if (view.group && view.group !== 'all' && !WORD_GROUPS.some((g) => g.name === view.group)) {
    notes.push(t.unknownWordGroup(view.group, WORD_GROUPS.map((g) => g.name)));
    view.group = undefined;
  }
  // One query at a time: an analogy, else an expression, else a word's
  // neighbours. The selection (a clicked point) goes with any of them.
  const [a, b, c] = [text(merged.a), text(merged.b), text(merged.c)];
  if (a && b && c) Object.assign(view, { a, b, c, expected: text(merged.expected) });
  else if ((a || b || c) && !text(merged.q)) notes.push(t.analogyNeedsAll);
  if (!view.a) view.q = text(merged.q);
  if (!view.a && !view.q) view.word = text(merged.word);
  view.sel = text(merged.sel);
  view.data = text(merged.data);
  Object.assign(view, navigatorGame(merged, notes));
  return { view, notes };
}

/** The navigator game a link sets: nav "start:target" (two different words) or a whole navseed >= 1. */
function navigatorGame({ nav, navseed }, notes) {
  const pair = text(nav)?.split(':').map((w) => w.trim());
  const usable = pair && pair.length === 2 && pair.every(Boolean) && pair[0].toLowerCase() !== pair[1].toLowerCase();
  if (pair && !usable) notes.push(t.badNavigatorGame(text(nav)));
  const seed = text(navseed);
  const seedOk = seed === undefined || (/^\d{1,9}$/.test(seed) && Number(seed) >= 1);
  if (!seedOk) notes.push(t.badNavigatorSeed(seed));
  return { nav: usable ? pair.join(':') : undefined, navseed: seedOk && seed ? String(Number(seed)) : undefined };
}

// A word list is kept short enough to read and to label.
export const MAX_LIST_WORDS = 500;

/** "cat, dog  frog" -> "cat,dog,frog" (distinct, in order), or undefined. */
export function wordList(value, notes = []) {
  if (blank(value)) return undefined;
  const words = [...new Set(String(value).split(/[\s,]+/).filter(Boolean))];
  if (words.length > MAX_LIST_WORDS) notes.push(t.tooManyListWords(MAX_LIST_WORDS, words.length));
  return words.length ? words.slice(0, MAX_LIST_WORDS).join(',') : undefined;
}

/** The query the view asks for, in the worker's terms, or null. */
export function queryOf(view) {
  if (view.a) {
    return { kind: 'analogy', a: view.a, b: view.b, c: view.c, method: view.method, includeInputs: view.inputs, expected: view.expected };
  }
  if (view.q) return { kind: 'expression', text: view.q, metric: view.metric };
  if (view.word) return { kind: 'neighbors', word: view.word, metric: view.metric };
  return null;
}

/** Identity of what must be asked of the worker: same key, same answer. */
export function answerKey(view) {
  return JSON.stringify([queryOf(view), view.sel ?? null, view.k, view.space, view.sel ? view.metric : null]);
}

export function activeGroups(view) {
  if (!view.group) return [];
  return view.group === 'all' ? WORD_GROUPS : WORD_GROUPS.filter((g) => g.name === view.group);
}

export function hasQuery(view) {
  return Boolean(queryOf(view) || view.sel);
}

/** What the layout depends on beyond the points: the projection, its dimensions and its own parameters. */
export function layoutOptions(view) {
  const options = { proj: view.proj, dims: view.dims };
  if (PCA_PROJECTIONS.has(view.proj)) options.components = componentIndices(view.pcs);
  if (view.proj === 'tsne') options.perplexity = view.perplexity;
  if (view.proj === 'umap') Object.assign(options, { neighbors: view.neighbors, minDist: view.mindist });
  return options;
}
