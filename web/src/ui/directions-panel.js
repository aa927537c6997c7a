// "Directions: bias and neutralising" (issue 9 §1): a direction built from
// word pairs with how consistent they are, words ranked along it at both
// ends (the vocabulary's most frequent words or a pasted list), and the
// page's query before and after the direction is projected out of the
// current space, with a button that makes the neutralised space the page's.
// Every figure comes from the worker, in the page's current space; every
// action first rebuilds the direction from the pairs as typed, so the
// figures shown always belong together. A failed call leaves a message
// naming the problem, and what was shown before stays.
import { Superseded } from '../compute/client.js';
import { Request } from '../compute/protocol.js';
import { GENDER_PAIRS, OCCUPATIONS, parsePairText, parseWordList } from './direction-input.js';
import { $, el } from './dom.js';
import { signed } from './vector-heatmap.js';
import { queryOf } from './view-state.js';
import { spaceName } from './space-names.js';
import { t } from '../i18n/strings.js';

const percent = t.percent;
const pairText = ([from, to]) => `${from}:${to}`;

export class DirectionsPanel {
  /** readState(): the page's state (its query, k and space); useSpace(name): switch the page to a space. */
  constructor({ client, readState, useSpace }) {
    this.client = client;
    this.readState = readState;
    this.useSpace = useSpace;
    this.panel = $('directions-panel');
    this.built = null;
    this.neutralised = null;
    const submit = (id, handler) =>
      $(id).addEventListener('submit', (event) => {
        event.preventDefault();
        handler();
      });
    submit('direction-form', () => this.build());
    submit('rank-form', () => this.rank());
    $('direction-gender-preset').addEventListener('click', () => {
      $('direction-pairs').value = GENDER_PAIRS;
      this.build();
    });
    $('rank-occupations').addEventListener('click', () => {
      $('rank-words').value = OCCUPATIONS;
      $('rank-over-list').checked = true;
      this.rank();
    });
    // Typing in the list means ranking the list.
    $('rank-words').addEventListener('input', () => ($('rank-over-list').checked = true));
    $('neutralise-run').addEventListener('click', () => this.neutralise());
    $('neutralise-use').addEventListener('click', () => this.#useNeutralised());
    // Nothing is computed while the panel is closed; opening it builds the typed direction once.
    this.panel.addEventListener('toggle', () => {
      if (this.panel.open && !this.built) this.build();
    });
  }

  // ---- the direction ------------------------------------------------------------

  /** Builds the typed direction in the page's current space: its usable pairs, null after a failure, undefined when superseded. */
  async build() {
    const error = $('direction-error');
    let pairs;
    try {
      pairs = parsePairText($('direction-pairs').value);
    } catch (problem) {
      return this.#fail(error, t.cannotBuildDirection(problem.message));
    }
    const method = this.#method();
    let out;
    try {
      out = await this.client.call(Request.direction, { pairs, method }, { channel: 'direction' });
    } catch (failure) {
      if (failure instanceof Superseded) return undefined; // a newer build answers
      return this.#fail(error, t.cannotBuildDirection(failure.message));
    }
    error.hidden = true;
    this.built = out;
    this.#showDirection(out);
    return out.pairs.map((p) => [p.from, p.to]);
  }

  #method() {
    return document.querySelector('input[name="direction-method"]:checked')?.value === 'pc' ? 'pc' : 'mean';
  }

  #showDirection(out) {
    const how = out.method === 'pc' ? t.directionHowPc : t.directionHowMean;
    const summary = $('direction-summary');
    summary.textContent = t.directionConsistency(out.consistency.toFixed(3), percent(out.consistency));
    summary.dataset.consistency = String(out.consistency);
    summary.dataset.space = out.space;
    const next = out.componentShares.slice(1, 3).map(percent).join(', ');
    $('direction-caption').textContent = t.directionCaption(spaceName(out.space), out.pairs.length, how, next);
    $('direction-pair-cosines').replaceChildren(
      ...out.pairs.map((p) =>
        el('li', { dataset: { pair: `${p.from}:${p.to}`, cosine: String(p.cosine) } }, el('span', { class: 'word' }, t.pairArrow(p.from, p.to)), ' ', el('span', { class: 'score' }, p.cosine.toFixed(3))),
      ),
    );
    this.#showMissing($('direction-missing'), out.leftOut.length ? t.pairsLeftOut(out.leftOut.map(pairText), this.#missingWords(out)) : '');
  }

  #missingWords({ missing, missingReason }) {
    return t.wordsMissing(missing, missingReason);
  }

  #showMissing(node, text) {
    node.textContent = text;
    node.hidden = !text;
  }

  // ---- ranking --------------------------------------------------------------------

  async rank() {
    const error = $('rank-error');
    const overList = $('rank-over-list').checked;
    const count = Number($('rank-count').value);
    const args = { count };
    try {
      if (overList) args.words = parseWordList($('rank-words').value);
      else args.among = Number($('rank-among').value);
    } catch (problem) {
      return this.#fail(error, t.cannotRank(problem.message));
    }
    const pairs = await this.build();
    if (pairs === undefined) return;
    if (!pairs) return this.#fail(error, t.cannotRankNoDirection);
    let out;
    try {
      out = await this.client.call(Request.rankAlong, { pairs, method: this.#method(), ...args }, { channel: 'rank-along' });
    } catch (failure) {
      if (failure instanceof Superseded) return;
      return this.#fail(error, t.cannotRank(failure.message));
    }
    error.hidden = true;
    this.#showRanking(out);
  }

  #showRanking(out) {
    const { positive: toEnd, negative: fromEnd } = out.towards;
    const rows = out.listed
      ? out.listed.map((r) => ({ ...r, end: r.score >= 0 ? 'positive' : 'negative' }))
      : [...out.positive.map((r) => ({ ...r, end: 'positive' })), null, ...out.negative.slice().reverse().map((r) => ({ ...r, end: 'negative' }))];
    const largest = Math.max(1e-9, ...rows.filter(Boolean).map((r) => Math.abs(r.score)));
    const chart = $('rank-bars');
    chart.dataset.space = out.space;
    chart.replaceChildren(...rows.map((r) => (r ? this.#bar(r, largest) : el('li', { class: 'direction-gap', 'aria-hidden': 'true' }, '⋮'))));
    const scope = out.listed ? t.rankScopeListed(out.listed.length) : t.rankScopeFrequent(out.among);
    $('rank-caption').textContent = out.listed
      ? t.rankCaptionListed(scope, toEnd, fromEnd, spaceName(out.space))
      : t.rankCaptionEnds(out.positive.length, toEnd, out.negative.length, fromEnd, scope, spaceName(out.space));
    $('rank-caption').dataset.space = out.space;
    this.#showMissing($('rank-missing'), out.missing.length ? t.notRanked(this.#missingWords(out)) : '');
  }

  /** One word's bar, drawn from the zero line: right towards the "to" words, left (hatched) towards the "from" words. */
  #bar(r, largest) {
    const fill = el('span', { class: `contribution-fill ${r.score < 0 ? 'negative' : 'positive'}` });
    const half = (50 * Math.abs(r.score)) / largest;
    fill.style.width = `${half.toFixed(2)}%`;
    fill.style.left = r.score < 0 ? `${(50 - half).toFixed(2)}%` : '50%';
    return el(
      'li',
      { class: `direction-row ${r.end}`, dataset: { word: r.word, score: String(r.score), end: r.end } },
      el('span', { class: 'word' }, r.display),
      el('span', { class: 'contribution-track', 'aria-hidden': 'true' }, fill),
      el('span', { class: 'score' }, signed(r.score, 3)),
    );
  }

  // ---- neutralising -------------------------------------------------------------

  /** The page's query in the worker's terms (a selected point alone: its neighbours), with the page's k. */
  #pageQuery() {
    const state = this.readState();
    const query = queryOf(state) ?? (state.sel ? { kind: 'neighbors', word: state.sel } : null);
    return query && { ...query, k: state.k };
  }

  async neutralise() {
    const error = $('neutralise-error');
    const query = this.#pageQuery();
    if (!query) return this.#fail(error, t.cannotNeutraliseNoQuery);
    const pairs = await this.build();
    if (pairs === undefined) return;
    if (!pairs) return this.#fail(error, t.cannotNeutraliseNoDirection);
    let out;
    try {
      out = await this.client.call(Request.beforeAfter, { pairs, method: this.#method(), query }, { channel: 'before-after' });
    } catch (failure) {
      if (failure instanceof Superseded) return;
      return this.#fail(error, t.cannotNeutralise(failure.message));
    }
    error.hidden = true;
    this.neutralised = out;
    this.#showBeforeAfter(out, query);
  }

  #showBeforeAfter(out, query) {
    const what = query.kind === 'analogy' ? t.analogyQuestion(query.a, query.b, query.c) : query.kind === 'expression' ? query.text : t.neighboursOf(query.word);
    const k = out.before.results.length;
    $('neutralise-caption').textContent = t.neutraliseCaption(what, k, spaceName(out.before.space), out.pairs.length);
    $('before-space').textContent = spaceName(out.before.space);
    $('after-space').textContent = spaceName(out.after.space);
    const entered = new Set(out.entered.map((r) => r.id));
    const left = new Set(out.left.map((r) => r.id));
    $('before-results').replaceChildren(...out.before.results.map((r) => this.#resultRow(r, left.has(r.id) ? 'left' : '')));
    $('after-results').replaceChildren(...out.after.results.map((r) => this.#resultRow(r, entered.has(r.id) ? 'entered' : '')));
    const names = (list) => list.map((r) => r.display).join(', ') || t.noneWords;
    $('neutralise-moved').textContent = t.neutraliseMoved(k, names(out.entered), names(out.left));
    $('neutralise-use-row').hidden = false;
    $('neutralise-use').dataset.space = out.after.space;
  }

  #resultRow(r, moved) {
    const mark =
      moved === 'left'
        ? el('span', { class: 'moved-mark', title: t.leftTopK }, ' ↓', el('span', { class: 'visually-hidden' }, t.leftTopKSpoken))
        : moved === 'entered'
          ? el('span', { class: 'moved-mark', title: t.enteredTopK }, ' ↑', el('span', { class: 'visually-hidden' }, t.enteredTopKSpoken))
          : null;
    // The score first: it floats right at the top of the row, where after a long word and its mark it would drop a line in a narrow column.
    return el('li', { class: moved, dataset: { word: r.word, score: String(r.score), moved } }, el('span', { class: 'score' }, r.score.toFixed(3)), el('span', { class: 'word' }, r.display), mark);
  }

  #useNeutralised() {
    if (!this.neutralised) return;
    const space = this.neutralised.after.space;
    this.useSpace(space);
    $('neutralise-status').textContent = t.nowAnswersIn(space);
  }

  // ---- shared -------------------------------------------------------------------

  #fail(node, message) {
    node.textContent = message;
    node.hidden = false;
    return null;
  }
}
