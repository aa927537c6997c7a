// The answer as text: the results list (each result a button that finds
// it in the 3D view), its caption (saying when it comes from the part of
// the table that has arrived) and what the scores are, the other
// analogy method beside it, the message line (errors with "Try:"
// suggestions, and notes about corrected values), and a live region that
// announces each new answer to screen readers.
import { $, el } from './dom.js';

const SCORE_KINDS = {
  cosine: 'scores are cosine similarities',
  '3CosMul score': 'scores are 3CosMul scores, not cosines: cos′(d,b)·cos′(d,c) / (cos′(d,a) + ε), each cosine shifted to 0..1, so they can exceed 1',
};

/** An answer from the rows of the default table that have arrived so far. */
const partialNote = ({ rows, totalRows }) => `from the ${rows.toLocaleString('en')} most frequent words so far (of ${totalRows.toLocaleString('en')}; the rest are loading)`;

export class ResultsView {
  /**
   * onSuggestion(error, word): a "Try:" suggestion was chosen for the
   * misspelt error.word; onFind(id): a result was clicked or activated.
   */
  constructor({ onSuggestion, onFind }) {
    this.onSuggestion = onSuggestion;
    this.onFind = onFind;
    // null, not undefined: no answer yet leaves the list as it is (the first-answer preview may have filled it).
    this.shownAnswer = null;
    this.announcer = $('results-announcement') ?? this.#makeAnnouncer();
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
    list.replaceChildren(...(shown?.results ?? []).map((r) => this.#resultItem(r, shown.scoreKind)));
    const caption = $('results-caption');
    if (caption) {
      caption.textContent = shown?.caption ?? '';
      if (shown?.expected) caption.textContent += ` — "${shown.expected.word}" ranks ${shown.expected.rank}`;
      if (shown?.partial) caption.textContent += ` — ${partialNote(shown.partial)}`;
      caption.classList.toggle('partial', Boolean(shown?.partial));
    }
    const scoreKind = $('results-score-kind');
    if (scoreKind) scoreKind.textContent = shown?.results.length ? SCORE_KINDS[shown.scoreKind] : '';
    this.#renderComparison(answer?.selection || answer?.error ? null : answer?.query);
    if (answer?.error) this.announcer.textContent = `No results: ${answer.error.message}`;
    else if (shown) {
      const first = shown.results[0];
      const partly = shown.partial ? `, ${partialNote(shown.partial)}` : '';
      this.announcer.textContent = first
        ? `${shown.results.length} results ${shown.caption}${partly}; first ${first.display}, ${first.score.toFixed(3)}.`
        : `No results ${shown.caption}${partly}.`;
    }
  }

  #resultItem(result, scoreKind) {
    const find = el('button', { type: 'button', class: 'word link', title: 'Find it in the 3D view', onclick: () => this.onFind(result.id) }, result.display);
    const score = el('span', { class: 'score', title: scoreKind }, result.score.toFixed(3));
    return el('li', { dataset: { word: result.word, id: String(result.id) } }, find, ' ', score);
  }

  #renderComparison(query) {
    const box = $('comparison');
    if (!box) return;
    const other = query?.other;
    box.hidden = !other;
    if (!other) return;
    const label = other.method === '3cosmul' ? '3CosMul' : '3CosAdd';
    const what = other.method === '3cosmul' ? '3CosMul scores' : 'cosines';
    $('comparison-heading').textContent = other.expected
      ? `${label} beside it (${what}): "${other.expected.word}" ranks ${other.expected.rank}`
      : `${label} beside it (${what})`;
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
    if (shown && !shown.results.length) parts.push(`No results ${shown.caption}: the table has no other words to offer (try a larger table, or tick "include inputs").`);
    parts.push(...notes);
    const key = JSON.stringify([parts, error?.suggestions]);
    if (key === this.shownMessage) return;
    this.shownMessage = key;
    message.replaceChildren(parts.join(' '));
    if (error?.suggestions?.length) {
      message.append(' Try: ');
      error.suggestions.forEach((word, i) => {
        if (i) message.append(', ');
        message.append(el('button', { type: 'button', class: 'link', onclick: () => this.onSuggestion(error, word) }, word));
      });
    }
    message.hidden = parts.length === 0;
  }
}
