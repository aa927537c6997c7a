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

const percent = (share) => `${(100 * share).toFixed(1)} %`;
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
      return this.#fail(error, `Cannot build the direction: ${problem.message}.`);
    }
    const method = this.#method();
    let out;
    try {
      out = await this.client.call(Request.direction, { pairs, method }, { channel: 'direction' });
    } catch (failure) {
      if (failure instanceof Superseded) return undefined; // a newer build answers
      return this.#fail(error, `Cannot build the direction: ${failure.message}.`);
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
    const how = out.method === 'pc' ? 'the first principal component of the pairs\u2019 differences' : 'the mean of the pairs\u2019 normalised differences';
    const summary = $('direction-summary');
    summary.textContent = `Consistency ${out.consistency.toFixed(3)}: the first principal component takes ${percent(out.consistency)} of the pairs\u2019 variance`;
    summary.dataset.consistency = String(out.consistency);
    summary.dataset.space = out.space;
    const next = out.componentShares.slice(1, 3).map(percent).join(', ');
    $('direction-caption').textContent =
      `Built in the ${spaceName(out.space)} from ${out.pairs.length} pairs, as ${how}; the next components take ${next}. ` +
      `Near 1, the pairs differ along one shared direction; unrelated pairs give about 0.3. Each pair\u2019s cosine to the direction:`;
    $('direction-pair-cosines').replaceChildren(
      ...out.pairs.map((p) =>
        el('li', { dataset: { pair: `${p.from}:${p.to}`, cosine: String(p.cosine) } }, el('span', { class: 'word' }, `${p.from} → ${p.to}`), ' ', el('span', { class: 'score' }, p.cosine.toFixed(3))),
      ),
    );
    this.#showMissing($('direction-missing'), out.leftOut.length ? `Left out: ${out.leftOut.map(pairText).join(', ')} (${this.#missingWords(out)}).` : '');
  }

  #missingWords({ missing, missingReason }) {
    return `${missing.map((w) => `"${w}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} ${missingReason}`;
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
      return this.#fail(error, `Cannot rank: ${problem.message}.`);
    }
    const pairs = await this.build();
    if (pairs === undefined) return;
    if (!pairs) return this.#fail(error, 'Cannot rank: the direction above could not be built.');
    let out;
    try {
      out = await this.client.call(Request.rankAlong, { pairs, method: this.#method(), ...args }, { channel: 'rank-along' });
    } catch (failure) {
      if (failure instanceof Superseded) return;
      return this.#fail(error, `Cannot rank: ${failure.message}.`);
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
    const scope = out.listed ? `${out.listed.length} listed words` : `the ${out.among.toLocaleString('en')} most frequent words`;
    $('rank-caption').textContent = out.listed
      ? `${scope}, from the "${toEnd}" end (top) to the "${fromEnd}" end, in the ${spaceName(out.space)}.`
      : `The ${out.positive.length} most "${toEnd}" (top) and the ${out.negative.length} most "${fromEnd}" (bottom) of ${scope}, in the ${spaceName(out.space)}.`;
    $('rank-caption').dataset.space = out.space;
    this.#showMissing($('rank-missing'), out.missing.length ? `Not ranked: ${this.#missingWords(out)}.` : '');
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
    if (!query) return this.#fail(error, 'Cannot neutralise: there is no query to compare. Ask one above (an analogy, an expression or a word\u2019s neighbours) first.');
    const pairs = await this.build();
    if (pairs === undefined) return;
    if (!pairs) return this.#fail(error, 'Cannot neutralise: the direction above could not be built.');
    let out;
    try {
      out = await this.client.call(Request.beforeAfter, { pairs, method: this.#method(), query }, { channel: 'before-after' });
    } catch (failure) {
      if (failure instanceof Superseded) return;
      return this.#fail(error, `Cannot neutralise: ${failure.message}.`);
    }
    error.hidden = true;
    this.neutralised = out;
    this.#showBeforeAfter(out, query);
  }

  #showBeforeAfter(out, query) {
    const what = query.kind === 'analogy' ? `${query.a} : ${query.b} :: ${query.c} : ?` : query.kind === 'expression' ? query.text : `the neighbours of ${query.word}`;
    const k = out.before.results.length;
    $('neutralise-caption').textContent = `${what}: the top ${k} in the ${spaceName(out.before.space)} (before) and with the direction of ${out.pairs.length} pairs projected out of it (after).`;
    $('before-space').textContent = spaceName(out.before.space);
    $('after-space').textContent = spaceName(out.after.space);
    const entered = new Set(out.entered.map((r) => r.id));
    const left = new Set(out.left.map((r) => r.id));
    $('before-results').replaceChildren(...out.before.results.map((r) => this.#resultRow(r, left.has(r.id) ? 'left' : '')));
    $('after-results').replaceChildren(...out.after.results.map((r) => this.#resultRow(r, entered.has(r.id) ? 'entered' : '')));
    const names = (list) => list.map((r) => r.display).join(', ') || 'none';
    $('neutralise-moved').textContent = `Entered the top ${k} (↑ in): ${names(out.entered)}. Left it (↓ out): ${names(out.left)}.`;
    $('neutralise-use-row').hidden = false;
    $('neutralise-use').dataset.space = out.after.space;
  }

  #resultRow(r, moved) {
    const mark =
      moved === 'left'
        ? el('span', { class: 'moved-mark', title: 'left the top k' }, ' ↓', el('span', { class: 'visually-hidden' }, ' out: left the top k'))
        : moved === 'entered'
          ? el('span', { class: 'moved-mark', title: 'entered the top k' }, ' ↑', el('span', { class: 'visually-hidden' }, ' in: entered the top k'))
          : null;
    // The score first: it floats right at the top of the row, where after a long word and its mark it would drop a line in a narrow column.
    return el('li', { class: moved, dataset: { word: r.word, score: String(r.score), moved } }, el('span', { class: 'score' }, r.score.toFixed(3)), el('span', { class: 'word' }, r.display), mark);
  }

  #useNeutralised() {
    if (!this.neutralised) return;
    const space = this.neutralised.after.space;
    this.useSpace(space);
    $('neutralise-status').textContent = `The page now answers in ${space}: the results above, the view and the link use it. Choose another space in the Space menu to go back.`;
  }

  // ---- shared -------------------------------------------------------------------

  #fail(node, message) {
    node.textContent = message;
    node.hidden = false;
    return null;
  }
}
