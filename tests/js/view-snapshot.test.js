// The bookmarks format (web/src/ui/view-snapshot.js): a snapshot keeps the
// view's non-default fields under their URL names and restores to the same
// view as its link; every field of DEFAULT_VIEW is carried; a bookmarks file
// round-trips, and each kind of malformed file gets an error that names the
// bookmark and the field; the bm= URL encoding round-trips and rejects
// damaged text. URL lengths are printed.
import { describe, expect, it } from 'vitest';
import { readUrlView, viewParams } from '../../web/src/ui/url-state.js';
import { DEFAULT_VIEW, LIMITS, normalizeView } from '../../web/src/ui/view-state.js';
import {
  BOOKMARKS_FORMAT,
  MAX_BOOKMARKS,
  PAGE_FIELDS,
  SnapshotError,
  VIEW_FIELDS,
  applySnapshot,
  bookmarksDocument,
  checkSnapshot,
  decodeBookmarks,
  describeView,
  encodeBookmarks,
  parseBookmarks,
  sameSnapshot,
  snapshotView,
  tableMismatch,
  viewFromSnapshot,
} from '../../web/src/ui/view-snapshot.js';
import { createStore } from '../../web/src/ui/store.js';

const view = (loose) => normalizeView(loose).view;
const GLOVE = { name: 'glove-6b-100d-50k', rows: 50000, dims: 100 };
const doc = (bookmarks, extra = {}) => JSON.stringify({ format: BOOKMARKS_FORMAT, version: 1, table: GLOVE, bookmarks, ...extra });

/** The error parseBookmarks throws for `text` (the test fails if it throws none). */
function parseError(text) {
  try {
    parseBookmarks(text, 'The file "x.json"');
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotError);
    return error;
  }
  throw new Error('expected a SnapshotError');
}

describe('snapshots of a view', () => {
  it('keep every field of DEFAULT_VIEW but the page table, under the URL names', () => {
    expect(VIEW_FIELDS).toEqual(Object.keys(DEFAULT_VIEW).filter((key) => key !== 'data'));
    expect(PAGE_FIELDS).toEqual(['data']);
    for (const key of VIEW_FIELDS) expect(readUrlView(`?${key}=x`)).toHaveProperty(key);
  });

  it('hold only what differs from the defaults, typed, and restore to the same view as the link', () => {
    const cases = [
      { q: 'king - man + woman', k: '20', space: 'whitened', proj: 'tsne', perplexity: '12', dims: '2' },
      { a: 'man', b: 'king', c: 'woman', method: '3cosmul', inputs: '1', expected: 'queen', proj: 'analogy' },
      { word: 'cat', sel: 'dog', words: 'cat,dog,frog', beside: '1', n: '2000', group: 'animals' },
      { q: 'paris', axes: 'gender|royalty', proj: 'pca' }, // proj=pca beside axes must survive
      { axes: 'man:woman;king:queen' }, // axes alone: the axes view
      { proj: 'umap', neighbors: '30', mindist: '0.5', space: 'abtt:2' },
    ];
    for (const loose of cases) {
      const state = view(loose);
      const snapshot = snapshotView(state);
      for (const key of Object.keys(snapshot)) if (key !== 'proj' || !state.axes) expect(snapshot[key]).not.toBe(DEFAULT_VIEW[key] ?? false);
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
      expect(viewFromSnapshot(snapshot).view).toEqual(state);
      // The same view as the URL gives for the link of this state.
      expect(viewFromSnapshot(snapshot).view).toEqual(normalizeView(readUrlView(`?${viewParams(state)}`)).view);
    }
    expect(snapshotView(view({ q: 'x', k: 20 }))).toEqual({ q: 'x', k: 20 });
    expect(snapshotView(view({ q: 'paris', axes: 'gender' }))).toEqual({ q: 'paris', proj: 'axes', axes: 'gender' });
    expect(snapshotView(view({ q: 'paris', axes: 'gender', proj: 'pca' }))).toEqual({ q: 'paris', proj: 'pca', axes: 'gender' });
  });

  it("carry a field added to the view without a change here (every field's non-default value survives)", () => {
    const state = { ...DEFAULT_VIEW };
    for (const key of VIEW_FIELDS) state[key] = typeof DEFAULT_VIEW[key] === 'number' ? DEFAULT_VIEW[key] + 1 : `${key}-value`;
    expect(Object.keys(snapshotView(state)).sort()).toEqual([...VIEW_FIELDS].sort());
  });

  it("keep the page's table on restore, and go through the store with a history entry", () => {
    expect(viewFromSnapshot({ q: 'cat' }, { data: 'tables/small.emb' }).view.data).toBe('tables/small.emb');
    const store = createStore({ ...view({ q: 'dog', k: 50, data: 'tables/small.emb' }), answer: { error: { message: 'x' } }, notes: [] });
    const calls = [];
    store.subscribe((state, previous, meta) => calls.push(meta));
    applySnapshot(store, { word: 'cat', k: LIMITS.k.max + 1 });
    const state = store.get();
    expect([state.word, state.q, state.k, state.data, state.answer]).toEqual(['cat', undefined, LIMITS.k.max, 'tables/small.emb', null]);
    expect(state.notes.join(' ')).toMatch(/k must be from 1 to/);
    expect(calls).toEqual([{ history: 'push' }]);
  });

  it('compare equal when only their key order differs', () => {
    expect(sameSnapshot({ q: 'x', k: 20 }, { k: 20, q: 'x' })).toBe(true);
    expect(sameSnapshot({ q: 'x', k: 20 }, { q: 'x', k: 21 })).toBe(false);
  });

  it('describe themselves for a default bookmark name', () => {
    expect(describeView(view({ q: 'king - man + woman' }))).toBe('king - man + woman');
    expect(describeView(view({ a: 'man', b: 'king', c: 'woman', method: '3cosmul', proj: 'analogy' }))).toBe('man : king :: woman : ? (3CosMul) · Analogy view');
    expect(describeView(view({ word: 'cat', space: 'whitened', proj: 'tsne', dims: 2 }))).toBe('neighbours of cat · t-SNE · whitened · 2D');
    expect(describeView(view({ axes: 'gender|royalty' }))).toBe('axes gender|royalty');
    expect(describeView(view({}))).toBe('the default view');
    expect(describeView(view({ q: 'a'.repeat(300) })).length).toBe(120);
  });
});

describe('the bookmarks file', () => {
  const bookmarks = [
    { name: 'the classic', view: { q: 'king - man + woman', proj: 'analogy' } },
    { name: 'cats, whitened', view: { word: 'cat', space: 'whitened', k: 25 } },
  ];

  it('round-trips with its version and table identity', () => {
    const document = bookmarksDocument(bookmarks, { ...GLOVE, extra: 1 });
    expect(document).toEqual({ format: BOOKMARKS_FORMAT, version: 1, table: GLOVE, bookmarks });
    expect(parseBookmarks(JSON.stringify(document))).toEqual({ table: GLOVE, bookmarks });
    expect(parseBookmarks({ ...document, table: null }).table).toBeNull();
    // Loose spellings of a value (as a URL would have them) are read as the value.
    expect(parseBookmarks(doc([{ name: ' x ', view: { k: '25', inputs: 'true', method: '3CosMul', a: 'a', b: 'b', c: 'c' } }])).bookmarks).toEqual([
      { name: 'x', view: { a: 'a', b: 'b', c: 'c', method: '3cosmul', inputs: true, k: 25 } },
    ]);
  });

  it('names the bookmark and the field of each malformed part', () => {
    const cases = [
      ['{"format": ', /is not JSON/, ''],
      ['[1, 2]', /must hold an object/, ''],
      [JSON.stringify({ format: 'other', version: 1, bookmarks: [] }), /field "format": must be "embedding-explorer-bookmarks"/, 'format'],
      [doc([], { version: 2 }), /field "version": this page reads version 1; the file has the number 2/, 'version'],
      [doc([], { table: { name: 'x', rows: -1, dims: 3 } }), /field "table"/, 'table'],
      [doc({}), /field "bookmarks": must be a list/, 'bookmarks'],
      [doc([bookmarks[0], 'cat']), /^The file "x.json": bookmark 2 of 2 \(bookmarks\[1\]\): must be an object/, ''],
      [doc([bookmarks[0], { view: {} }]), /^The file "x.json": bookmark 2 of 2 \(bookmarks\[1\]\), field "name": must be a non-empty string/, 'name'],
      [doc([{ name: 'y'.repeat(121), view: {} }]), /^The file "x.json": bookmark 1 of 1 \(bookmarks\[0\]\), field "name": at most 120 characters/, 'name'],
      [doc([{ name: 'x', view: [] }]), /^The file "x.json": bookmark 1 of 1 \(bookmarks\[0\]\) \("x"\), field "view": must be an object/, 'view'],
      [doc([{ name: 'x', view: {}, colour: 'red' }]), /\("x"\), field "colour": not a bookmark field/, 'colour'],
      [doc([bookmarks[0], bookmarks[1], { name: 'typo', view: { porj: 'tsne' } }]), /^The file "x.json": bookmark 3 of 3 \(bookmarks\[2\]\) \("typo"\), field "view.porj": "porj" is not a view field/, 'view.porj'],
      [doc([{ name: 'x', view: { data: 'a.emb' } }]), /field "view.data": "data" is the page's table/, 'view.data'],
      [doc([{ name: 'x', view: { k: null } }]), /field "view.k": must be a string, a number or true\/false; it is null/, 'view.k'],
      [doc([{ name: 'x', view: { q: { text: 'a' } } }]), /field "view.q": must be a string, a number or true\/false; it is an object/, 'view.q'],
      [doc([{ name: 'x', view: { k: 100000 } }]), /\("x"\), field "view.k": the page would correct it \(k must be from 1 to [\d,]+; 100000 is out of range/, 'view.k'],
      [doc([{ name: 'x', view: { k: 'ten' } }]), /field "view.k": the page would correct it \(k must be a number/, 'view.k'],
      [doc([{ name: 'x', view: { proj: 'isomap' } }]), /field "view.proj": the page would correct it \(Unknown projection "isomap"/, 'view.proj'],
      [doc([{ name: 'x', view: { method: 'cos' } }]), /field "view.method": the page would correct it \(Unknown method/, 'view.method'],
      [doc([{ name: 'x', view: { dims: 4 } }]), /field "view.dims": the page would correct it \(A view has 2 or 3 dimensions/, 'view.dims'],
      [doc([{ name: 'x', view: { a: 'man', b: 'king' } }]), /field "view.a": the page would correct it \(An analogy needs all of a, b and c/, 'view.a'],
      [doc([{ name: 'x', view: { proj: 'axes', axes: 'nosuchpreset' } }]), /field "view.axes": the page would correct it \(Axes: /, 'view.axes'],
      [doc([{ name: 'x', view: { group: 'planets' } }]), /field "view.group": the page would correct it \(Unknown word group "planets"/, 'view.group'],
      [doc(Array.from({ length: MAX_BOOKMARKS + 1 }, (_, i) => ({ name: `b${i}`, view: {} }))), /hold 101 bookmarks; at most 100/, 'bookmarks'],
    ];
    for (const [text, message, field] of cases) {
      const error = parseError(text);
      expect(error.message).toMatch(message);
      expect(error.message.startsWith('The file "x.json"')).toBe(true);
      expect(error.field).toBe(field);
    }
  });

  it('checks a lone view as a lesson step would', () => {
    expect(checkSnapshot({ q: ' cat ', k: 20 })).toEqual({ q: 'cat', k: 20 });
    expect(() => checkSnapshot({ k: 0 }, 'Step 3')).toThrow(/^Step 3, field "view.k": the page would correct it \(k must be from 1 to [\d,]+; 0 is out of range/);
  });

  it('warns when the table differs', () => {
    expect(tableMismatch(GLOVE, { ...GLOVE })).toBeNull();
    expect(tableMismatch(null, GLOVE)).toBeNull();
    expect(tableMismatch(GLOVE, { name: 'bert.safetensors', rows: 30522, dims: 768 })).toBe(
      'These bookmarks were saved on glove-6b-100d-50k (50,000 words × 100 dimensions); this page shows bert.safetensors (30,522 words × 768 dimensions). Words it lacks will be named when a bookmark is opened.',
    );
  });
});

describe('bookmarks in the URL (bm=)', () => {
  it('round-trip through the compressed parameter, and stay short', async () => {
    const list = Array.from({ length: 20 }, (_, i) => ({ name: `view ${i}: king - man + woman`, view: { q: 'king - man + woman', k: 11 + i, proj: i % 2 ? 'tsne' : 'analogy', space: 'whitened' } }));
    const value = await encodeBookmarks(list);
    expect(value).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(new URLSearchParams({ bm: value }).toString()).toBe(`bm=${value}`); // nothing to percent-encode
    expect(await decodeBookmarks(value)).toEqual(list);
    const json = JSON.stringify(list.map(({ name, view }) => [name, view]));
    console.log(`bm= for 20 bookmarks: ${value.length} characters (their JSON: ${json.length}, percent-encoded: ${encodeURIComponent(json).length})`);
    expect(value.length).toBeLessThan(encodeURIComponent(json).length);
    expect(await decodeBookmarks(await encodeBookmarks([{ name: 'ünïcödé ✓', view: { q: 'café' } }]))).toEqual([{ name: 'ünïcödé ✓', view: { q: 'café' } }]);
  });

  it('rejects a damaged or cut value, and checks what it unpacks', async () => {
    const value = await encodeBookmarks([{ name: 'a', view: { q: 'king - man + woman' } }]);
    await expect(decodeBookmarks('2.abc')).rejects.toThrow(/not in a form this page reads/);
    await expect(decodeBookmarks('1.a+b')).rejects.toThrow(/not in a form this page reads/);
    await expect(decodeBookmarks(value.slice(0, value.length - 6))).rejects.toThrow(/damaged/);
    await expect(decodeBookmarks(await encodeBookmarks([{ name: 'a', view: { k: 0 } }]))).rejects.toThrow(/^The link's bookmarks: bookmark 1 of 1 \(bookmarks\[0\]\) \("a"\), field "view.k"/);
  });
});
