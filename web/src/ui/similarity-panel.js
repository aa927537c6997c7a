// "What makes two words similar" (issue 9 §2): the cosine of two words with
// its per-dimension contributions, odd-one-out with each word's cosine to
// the mean of the others, and a heatmap of the vectors of the current
// answer (after an analogy: a, b, b − a, c, b − a + c and the answer). Every
// figure comes from the worker, in the page's current space; a failed call
// leaves a message naming the problem and the rest of the panel working.
import { Superseded } from '../compute/client.js';
import { Request } from '../compute/protocol.js';
import { renderContributions, TOP_BARS } from './contribution-chart.js';
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';
import { VectorHeatmap, signed } from './vector-heatmap.js';

/** Rows of the heatmap of a query that is not an analogy: its words, then its results. */
export const MAX_QUERY_ROWS = 12;
const ANALOGY_ROLES = ['a', 'b', 'b − a', 'c', 'b − a + c', 'answer'];

/**
 * The query behind the listed results as one vector, for "why?": the selection's word when a
 * point is selected (its neighbours are listed), else the query's word or expression; an
 * analogy is its 3CosAdd point b − a + c (3CosMul ranks by a score no one vector gives).
 */
export function queryTextOf(state) {
  const shown = state.answer?.selection ? 'selection' : 'query';
  if (shown === 'selection' && state.sel) return { text: state.sel, note: '' };
  if (state.a && state.b && state.c) {
    const note = state.method === '3cosmul' ? t.similarityNoteCosMul : t.similarityNoteCosAdd;
    return { text: `${state.b} - ${state.a} + ${state.c}`, note };
  }
  if (state.q) return { text: state.q, note: '' };
  if (state.word) return { text: state.word, note: '' };
  return null;
}

/** The words of a list typed with spaces or commas. */
const wordsOf = (text) => text.split(/[\s,]+/).filter(Boolean);

export class SimilarityPanel {
  /** readState(): the page's current state (its answer, and a, b, c after an analogy). */
  constructor({ client, readState }) {
    this.client = client;
    this.readState = readState;
    this.panel = $('similarity-panel');
    this.contributions = null;
    this.showAll = false;
    this.heatmapKey = null;
    this.heatmap = new VectorHeatmap({ canvas: $('heatmap-canvas'), readout: $('heatmap-readout'), rows: $('heatmap-rows'), legend: $('heatmap-legend') });
    $('similarity-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.compare($('similarity-first').value, $('similarity-second').value);
    });
    $('similarity-show-all').addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.#drawBars();
    });
    $('odd-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.oddOneOut($('odd-words').value);
    });
    for (const id of ['similarity-first', 'similarity-second', 'odd-words']) {
      $(id).addEventListener('input', (event) => this.#complete(event.target.value));
    }
    // Nothing is computed while the panel is closed; opening it draws what the page shows now.
    this.panel.addEventListener('toggle', () => {
      if (!this.panel.open) return;
      if (!this.contributions) this.compare($('similarity-first').value, $('similarity-second').value);
      this.answerChanged();
    });
  }

  // ---- two words ----------------------------------------------------------------

  async compare(firstText, secondText) {
    const [first, second] = [firstText.trim(), secondText.trim()];
    const error = $('similarity-error');
    if (!first || !second) return this.#fail(error, t.typeTwoWords);
    let out;
    try {
      out = await this.client.call(Request.contributions, { first, second }, { channel: 'similarity' });
    } catch (failure) {
      if (failure instanceof Superseded) return;
      return this.#fail(error, t.cannotCompare(first, second, failure.message));
    }
    error.hidden = true;
    this.contributions = out;
    $('similarity-cosine').textContent = t.cosineOf(first, second, out.cosine.toFixed(3));
    $('similarity-cosine').dataset.cosine = String(out.cosine);
    $('similarity-query-note').textContent = this.queryNote ?? '';
    this.queryNote = null;
    $('similarity-caption').textContent =
      t.contributionsCaption(out.products.length, out.cosine.toFixed(3), signed(out.positiveSum), signed(out.negativeSum));
    this.#drawBars();
  }

  #drawBars() {
    const c = this.contributions;
    const toggle = $('similarity-show-all');
    if (!c) return;
    renderContributions($('similarity-bars'), c, this.showAll ? Infinity : TOP_BARS);
    toggle.hidden = c.products.length <= TOP_BARS;
    toggle.textContent = this.showAll ? t.showTopBars(TOP_BARS) : t.showAllBars(c.products.length);
    toggle.setAttribute('aria-expanded', String(this.showAll));
  }

  /**
   * "why?" beside a result: the query (the analogy's b − a + c, the expression, the word, or the
   * selected word whose neighbours are listed) compared with that result, in the panel, opened.
   */
  compareWithResult(state, result) {
    const query = queryTextOf(state);
    if (!query) return;
    // The bars explain a cosine; a list ranked by distance gets said so.
    if (state.metric === 'euclidean' && !(state.a && state.b && state.c)) query.note = t.similarityNoteEuclidean;
    $('similarity-first').value = query.text;
    $('similarity-second').value = result.word;
    this.queryNote = query.note;
    this.panel.open = true; // its toggle handler compares only when nothing was compared yet
    this.panel.scrollIntoView({ block: 'start' });
    $('similarity-cosine').focus({ preventScroll: true });
    return this.compare(query.text, result.word);
  }

  // ---- odd one out --------------------------------------------------------------

  async oddOneOut(text) {
    const words = wordsOf(text);
    const error = $('odd-error');
    if (words.length < 3) return this.#fail(error, t.oddNeedsThree(words.length));
    let out;
    try {
      out = await this.client.call(Request.cosineToOthers, { words }, { channel: 'odd-one-out' });
    } catch (failure) {
      if (failure instanceof Superseded) return;
      return this.#fail(error, t.cannotFindOdd(failure.message));
    }
    error.hidden = true;
    $('odd-results').replaceChildren(
      ...out.results.map(({ word, score }) =>
        el(
          'li',
          { class: word === out.odd ? 'odd' : '', dataset: { word, score: String(score) } },
          el('span', { class: 'word' }, word),
          word === out.odd ? el('span', { class: 'odd-mark' }, t.oddMark) : null,
          el('span', { class: 'score' }, score.toFixed(3)),
        ),
      ),
    );
    $('odd-summary').textContent = t.oddSummary(out.odd, out.results[0].score.toFixed(3));
  }

  // ---- heatmap ------------------------------------------------------------------

  /** The page's answer changed (or the panel opened): draw its vectors, if the panel is open. */
  async answerChanged() {
    if (!this.panel.open) return;
    const request = this.#heatmapRequest(this.readState());
    const key = request && JSON.stringify([request, this.readState().answer?.key]);
    if (key === this.heatmapKey) return;
    this.heatmapKey = key;
    const error = $('heatmap-error');
    if (!request) {
      this.heatmap.clear();
      $('heatmap-caption').textContent = t.heatmapAskFirst;
      return;
    }
    let map;
    try {
      map = await this.client.call(request.type, request.args, { channel: 'heatmap' });
    } catch (failure) {
      if (failure instanceof Superseded) return;
      this.heatmapKey = null;
      return this.#fail(error, t.cannotDrawHeatmap(failure.message));
    }
    error.hidden = true;
    $('heatmap-caption').textContent = request.caption;
    this.heatmap.show(map, request.type === Request.analogyHeatmap ? ANALOGY_ROLES : null);
  }

  /** What to ask for the state's answer: the analogy's rows, else the query's words and results. */
  #heatmapRequest(state) {
    const answer = state.answer?.query;
    if (!answer || state.answer.error) return null;
    if (answer.kind === 'analogy' && state.a && state.b && state.c) {
      const top = answer.results[0]?.word;
      return {
        type: Request.analogyHeatmap,
        args: { a: state.a, b: state.b, c: state.c, answer: top },
        caption: t.heatmapAnalogyCaption(state.a, state.b, state.c, top ?? '?'),
      };
    }
    const words = [...new Set([...(answer.inputLabels ?? []).map((w) => w.word), ...answer.results.map((r) => r.word)])].slice(0, MAX_QUERY_ROWS);
    if (words.length === 0) return null;
    return {
      type: Request.heatmap,
      args: { expressions: words },
      caption: t.heatmapQueryCaption(answer.caption),
    };
  }

  // ---- shared -------------------------------------------------------------------

  #fail(node, message) {
    node.textContent = message;
    node.hidden = false;
  }

  /** Autocomplete of the last word typed in any of the panel's fields. */
  async #complete(text) {
    const prefix = text.match(/[^\s,]*$/)[0];
    if (!prefix || prefix.length > 40) return;
    let words;
    try {
      words = await this.client.call(Request.complete, { prefix, limit: 8 }, { channel: 'similarity-complete' });
    } catch {
      return; // superseded by the next keystroke: no suggestions
    }
    const before = text.slice(0, text.length - prefix.length);
    $('similarity-suggestions').replaceChildren(...words.map((w) => el('option', { value: before + w })));
  }
}
