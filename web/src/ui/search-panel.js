// "Search the table" (issue 9 §4, as the Embedding Projector has it): a
// regular expression or a substring, in the words or in any metadata column
// of a table of your own. The worker does the matching (search-handlers.js);
// this panel lists the matches, marks the drawn ones in the 3D view and
// offers to draw the ones that are not drawn, as the page's word list.
import { Superseded } from '../compute/client.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';
import { LabelBy } from './label-by.js';
import { PointCard } from './point-card.js';
import { MAX_LIST_WORDS } from './view-state.js';

/** Matches listed by name; the rest are counted ("N more"). */
export const LISTED_MATCHES = 100;
// Drawn matches marked (and labelled) in the view: each label is a DOM element.
export const MAX_MARKED = 500;
// Typing searches once the keys pause this long.
const TYPING_PAUSE_MS = 250;

// The word list is written "cat,dog": a token with a comma or a space cannot be in it.
const listable = (word) => !/[\s,]/.test(word);

export class SearchPanel {
  /** actions: the page's actions (select a match, draw matches); readState(): the page's state; onMatches(): redraw the view's marks. */
  constructor({ client, actions, readState, onMatches }) {
    this.client = client;
    this.actions = actions;
    this.readState = readState;
    this.onMatches = onMatches;
    this.result = null; // the last search's answer
    this.drawn = []; // ids of its matches among the drawn points, most frequent first
    this.notDrawn = [];
    this.timer = 0;
    $('text-search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.search();
    });
    $('text-search-pattern').addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(), TYPING_PAUSE_MS);
    });
    for (const id of ['text-search-mode', 'text-search-column', 'text-search-case']) $(id).addEventListener('change', () => this.search());
    $('text-search-clear').addEventListener('click', () => {
      $('text-search-pattern').value = '';
      this.#show(null);
    });
    $('text-search-draw').addEventListener('click', () => this.#drawMissing());
  }

  /** Runs the search the form describes; an empty pattern clears the matches. */
  async search() {
    clearTimeout(this.timer);
    const pattern = $('text-search-pattern').value;
    if (!pattern) return this.#show(null);
    const args = { pattern, mode: $('text-search-mode').value, column: $('text-search-column').value, matchCase: $('text-search-case').checked, shown: LISTED_MATCHES };
    let result;
    try {
      result = await this.client.call(Request.searchTable, args, { channel: 'text-search' });
    } catch (error) {
      if (error instanceof Superseded || error?.code === ErrorCode.CANCELLED) return;
      // The last matches stay listed (their summary names their own pattern).
      $('text-search-error').textContent = error?.message ?? String(error);
      $('text-search-error').hidden = false;
      return;
    }
    this.#show(result);
  }

  /** A new table: its columns can be searched; the old matches were rows of the old table. */
  tableChanged(columns) {
    $('text-search-column').replaceChildren(el('option', { value: '' }, 'words'), ...columns.map((c) => el('option', { value: c }, c)));
    $('text-search-column-label').hidden = columns.length === 0;
    this.#show(null);
  }

  /** The drawn points changed: which matches are drawn, and the summary. */
  pointsChanged(pointSet) {
    const ids = this.result?.ids ?? [];
    const drawn = [];
    const notDrawn = [];
    for (const id of ids) (pointSet.indexOf(id) === undefined ? notDrawn : drawn).push(id);
    const same = this.listedResult === this.result && drawn.length === this.drawn.length && drawn.every((id, i) => id === this.drawn[i]);
    this.drawn = drawn;
    this.notDrawn = notDrawn;
    this.#summarise();
    if (!same) this.#listMatches();
    this.listedResult = this.result;
  }

  /** Ids of the matches the view marks: the drawn ones, the most frequent first, at most MAX_MARKED. */
  markedIds() {
    return this.drawn.slice(0, MAX_MARKED);
  }

  #show(result) {
    this.result = result;
    $('text-search-error').hidden = true;
    this.drawn = [];
    this.notDrawn = [];
    this.onMatches(); // the app calls pointsChanged with the points drawn now, and redraws the marks
  }

  #summarise() {
    const summary = $('text-search-summary');
    const draw = $('text-search-draw');
    const r = this.result;
    Object.assign(summary.dataset, { count: String(r?.count ?? ''), drawn: String(this.drawn.length), marked: String(this.markedIds().length), pattern: r?.pattern ?? '' });
    if (!r) {
      summary.textContent = '';
      draw.hidden = true;
      return;
    }
    const what = r.mode === 'regex' ? t.searchRegex(r.pattern) : t.searchText(r.pattern);
    const where = r.column ? t.searchInColumn(r.column) : t.searchInWords;
    const parts = [t.searchSummary(r.count, what, where, r.rows)];
    if (r.count) {
      const marked = this.markedIds().length;
      if (this.drawn.length) parts.push(marked < this.drawn.length ? t.searchSomeMarked(this.drawn.length, marked) : t.searchAllMarked(this.drawn.length));
      if (this.notDrawn.length) parts.push(t.searchNotDrawn(this.notDrawn.length));
    }
    summary.textContent = parts.join(' ');
    const drawable = this.#missingWords().length;
    draw.hidden = drawable === 0;
    draw.textContent = drawable < this.notDrawn.length ? t.drawSomeOfThem(drawable) : t.drawThem(drawable);
  }

  #listMatches() {
    const r = this.result;
    const list = $('text-search-matches');
    if (!r) return list.replaceChildren();
    const drawn = new Set(this.drawn);
    const items = r.listed.map((match) =>
      el(
        'li',
        { dataset: { word: match.word, id: String(match.id) } },
        el('button', { type: 'button', class: 'link', title: t.selectWord(match.display), onclick: () => this.actions.select(match.word) }, match.display),
        r.column ? el('span', { class: 'match-value' }, t.matchValue(r.column, match.value)) : null,
        drawn.has(match.id) ? null : el('span', { class: 'hint' }, t.notDrawnHint),
      ),
    );
    if (r.count > r.listed.length) items.push(el('li', { class: 'hint more' }, t.moreMatches(r.count - r.listed.length)));
    list.replaceChildren(...items);
  }

  /** The words not drawn that the word list can take, most frequent first. */
  #missingWords() {
    const state = this.readState();
    const list = state.words ? state.words.split(',') : [];
    const room = MAX_LIST_WORDS - list.length;
    if (!this.result || room <= 0) return [];
    const wordOf = new Map(Array.from(this.result.ids, (id, i) => [id, this.result.words[i]]));
    const inList = new Set(list.map((w) => w.toLowerCase()));
    return this.notDrawn.map((id) => wordOf.get(id)).filter((w) => listable(w) && !inList.has(w.toLowerCase())).slice(0, room);
  }

  /** The matches not drawn join the page's word list, beside the frequent words unless the list is drawn alone. */
  #drawMissing() {
    const state = this.readState();
    const list = state.words ? state.words.split(',') : [];
    const adding = this.#missingWords();
    if (!adding.length) return;
    const beside = list.length ? state.beside : true;
    this.actions.setting('words', [...list, ...adding].join(','));
    if (beside !== state.beside) this.actions.setting('beside', beside);
  }
}

/**
 * The search panel, the point card and "Label by", wired to the page.
 * Returns what the app calls: tableChanged(columns) after a table loads,
 * update(state, pointSet, applied) in each reconcile pass (after the points
 * are known), and drawing(pointSet) for the view's marks and labels.
 */
export function setupSearchFeatures({ client, store, actions, onMarksChanged }) {
  if (!$('text-search-form')) return null;
  let pointSet = null;
  const search = new SearchPanel({
    client,
    actions,
    readState: () => store.get(),
    onMatches: () => {
      if (pointSet) search.pointsChanged(pointSet);
      onMarksChanged();
    },
  });
  const card = new PointCard({ client });
  const labelBy = new LabelBy({ client, select: $('label-by'), onChoose: (column) => store.set({ labelBy: column }) });
  store.subscribe((state) => card.render(state));
  return {
    tableChanged(columns) {
      search.tableChanged(columns);
      card.tableChanged();
      labelBy.tableChanged(columns);
    },
    async update(state, points, applied) {
      pointSet = points;
      search.pointsChanged(points);
      await labelBy.update(state.labelBy ?? '', points, applied);
    },
    drawing: (points) => ({ matches: search.markedIds(), labels: labelBy.labels(points) }),
  };
}
