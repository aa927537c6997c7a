// The answer as text: the results list (each result a button that finds
// it in the 3D view), its caption (saying when it comes from the part of
// the table that has arrived) and what the scores are, the other
// analogy method beside it, the message line (errors with "Try:"
// suggestions, and notes about corrected values), and a live region that
// announces each new answer to screen readers. Every list says which metric
// and which space produced it, from the worker's answer (the Projector calls
// lists from centred data "the original space"; this page must not). A long
// list (k up to 1,000) shows a page of rows at a time with "Show more".
import { $, el } from './dom.js';
import { spaceName } from './space-names.js';
import { t } from '../i18n/strings.js';

/** Rows shown at first and added by each "Show more". */
export const RESULTS_PAGE = 100;

// The view that drew the list last: the first-answer preview's view makes
// the "Show more" button, and the app's own view takes the list over.
let listOwner = null;

/** What produced a list: "Nearest by cosine in the centred space". */
export function basisOf(shown) {
  const where = shown.space ? t.inSpace(spaceName(shown.space)) : '';
  if (shown.scoreKind === '3CosMul score') return t.basisCosMul(where);
  if (shown.scoreKind === 'Euclidean distance') return t.basisEuclidean(where);
  return t.basisCosine(where);
}

/** An answer from the rows of the default table that have arrived so far. */
const partialNote = ({ rows, totalRows }) => t.partialNote(rows, totalRows);

export class ResultsView {
  /**
   * onSuggestion(error, word): a "Try:" suggestion was chosen for the
   * misspelt error.word; onFind(id): a result was clicked or activated;
   * onCompare(result), when given, adds a "why similar?" button to each result.
   */
  constructor({ onSuggestion, onFind, onCompare = null }) {
    this.onSuggestion = onSuggestion;
    this.onFind = onFind;
    this.onCompare = onCompare;
    // null, not undefined: no answer yet leaves the list as it is (the first-answer preview may have filled it).
    this.shownAnswer = null;
    this.announcer = $('results-announcement') ?? this.#makeAnnouncer();
    $('results')?.addEventListener('keydown', (event) => this.#step(event));
  }

  /** Up and down arrows move between the results' buttons (Tab still walks them too). */
  #step(event) {
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (!(event.key in moves) || !event.target.matches?.('button.word')) return;
    const buttons = [...$('results').querySelectorAll('button.word')];
    const next = buttons[buttons.indexOf(event.target) + moves[event.key]];
    if (!next) return;
    event.preventDefault();
    next.focus();
  }

  /** The "Nearest by … in the … space" line above the list, made once. */
  #basisLine() {
    let line = $('results-basis');
    if (!line && $('results')) {
      line = el('p', { id: 'results-basis', class: 'results-basis' });
      $('results').before(line);
    }
    return line;
  }

  /** The "Show more" button below the list, made once. */
  #moreButton() {
    let button = $('results-more');
    if (!button && $('results')) {
      button = el('button', { id: 'results-more', type: 'button', class: 'results-more', hidden: true, onclick: () => listOwner?.#showMore() });
      $('results').after(button);
    }
    return button;
  }

  /** Appends the next page of the shown list and moves the keyboard focus to its first row. */
  #showMore() {
    const { results, scoreKind } = this.pending ?? {};
    if (!results) return;
    const list = $('results');
    const start = list.children.length;
    list.append(...results.slice(start, start + RESULTS_PAGE).map((r) => this.#resultItem(r, scoreKind)));
    this.#updateMore(results.length);
    list.children[start]?.querySelector('button')?.focus();
  }

  #updateMore(total) {
    const button = this.#moreButton();
    const list = $('results');
    if (!button || !list) return;
    const shownRows = list.children.length;
    list.classList.toggle('long', shownRows > RESULTS_PAGE);
    button.hidden = shownRows >= total;
    button.textContent = t.showMore(Math.min(RESULTS_PAGE, total - shownRows), shownRows, total);
  }

  #makeAnnouncer() {
    const node = el('p', { id: 'results-announcement', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    ($('results')?.parentElement ?? document.body).append(node);
    return node;
  }

  render({ answer, notes }) {
    if (answer !== this.shownAnswer) {
      this.shownAnswer = answer;
      this.#renderAnswer(answer);
    }
    this.#renderMessage(answer, notes);
  }

  #renderAnswer(answer) {
    const shown = answer?.error ? null : (answer?.selection ?? answer?.query);
    const list = $('results');
    const results = shown?.results ?? [];
    this.pending = { results, scoreKind: shown?.scoreKind };
    listOwner = this;
    list.replaceChildren(...results.slice(0, RESULTS_PAGE).map((r) => this.#resultItem(r, shown.scoreKind)));
    this.#updateMore(results.length);
    const basis = this.#basisLine();
    if (basis) basis.textContent = shown ? basisOf(shown) : '';
    const caption = $('results-caption');
    if (caption) {
      caption.textContent = shown?.caption ?? '';
      if (shown?.expected) caption.textContent += t.expectedRanks(shown.expected.word, shown.expected.rank);
      if (shown?.partial) caption.textContent += ` — ${partialNote(shown.partial)}`;
      caption.classList.toggle('partial', Boolean(shown?.partial));
    }
    const scoreKind = $('results-score-kind');
    if (scoreKind) scoreKind.textContent = shown?.results.length ? t.scoreKindExplained[shown.scoreKind] : '';
    this.#renderComparison(answer?.selection || answer?.error ? null : answer?.query);
    if (answer?.error) this.announcer.textContent = t.announceNoResultsError(answer.error.message);
    else if (shown) {
      const first = shown.results[0];
      const partly = shown.partial ? `, ${partialNote(shown.partial)}` : '';
      this.announcer.textContent = first
        ? t.announceResults(shown.results.length, shown.caption, partly, basisOf(shown).toLowerCase(), first.display, first.score.toFixed(3))
        : t.announceNoResults(shown.caption, partly);
    }
  }

  #resultItem(result, scoreKind) {
    const find = el('button', { type: 'button', class: 'word link', title: t.findInView, onclick: () => this.onFind(result.id) }, result.display);
    const score = el('span', { class: 'score', title: t.scoreKindName[scoreKind] ?? scoreKind }, result.score.toFixed(3));
    // After the word, so Tab reaches each result's word first, as before.
    const why = this.onCompare && el('button', { type: 'button', class: 'small why-similar', 'aria-label': t.whySimilarLabel(result.display), onclick: () => this.onCompare(result) }, t.whySimilar);
    return el('li', { dataset: { word: result.word, id: String(result.id) } }, find, ' ', why || null, why ? ' ' : null, score);
  }

  #renderComparison(query) {
    const box = $('comparison');
    if (!box) return;
    const other = query?.other;
    box.hidden = !other;
    if (!other) return;
    const label = other.method === '3cosmul' ? t.comparisonCosMul : t.comparisonCosAdd;
    const what = other.method === '3cosmul' ? t.comparisonCosMulScores : t.comparisonCosines;
    const where = query.space ? t.inSpace(spaceName(query.space)) : '';
    $('comparison-heading').textContent = other.expected
      ? t.comparisonHeadingExpected(label, what, where, other.expected.word, other.expected.rank)
      : t.comparisonHeading(label, what, where);
    const mine = new Set(query.results.map((r) => r.word));
    $('comparison-results').replaceChildren(
      ...other.results.map((r) =>
        el('li', { class: mine.has(r.word) ? '' : 'differs' }, el('span', { class: 'word' }, r.display), ' ', el('span', { class: 'score' }, r.score.toFixed(3))),
      ),
    );
  }

  #renderMessage(answer, notes) {
    const message = $('message');
    const parts = [];
    const error = answer?.error;
    if (error) parts.push(error.message);
    const shown = error ? null : (answer?.selection ?? answer?.query);
    if (shown && !shown.results.length) parts.push(t.noOtherWords(shown.caption));
    parts.push(...notes);
    const key = JSON.stringify([parts, error?.suggestions]);
    if (key === this.shownMessage) return;
    this.shownMessage = key;
    message.replaceChildren(parts.join(' '));
    if (error?.suggestions?.length) {
      message.append(t.trySuggestions);
      error.suggestions.forEach((word, i) => {
        if (i) message.append(t.listSeparator);
        message.append(el('button', { type: 'button', class: 'link', onclick: () => this.onSuggestion(error, word) }, word));
      });
    }
    message.hidden = parts.length === 0;
  }
}
