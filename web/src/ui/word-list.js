// A word list of the learner's own, drawn instead of the most frequent
// words (or beside them): add a word, remove one, clear the list. The list
// lives in the store (`words`, `beside`) and so in the URL and the embed.
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';

export class WordListControls {
  /** actions: the page's actions (setting). */
  constructor({ actions }) {
    this.actions = actions;
    this.words = [];
    $('word-list-form')?.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $('word-list-input');
      const added = input.value.split(/[\s,]+/).filter(Boolean);
      if (!added.length) return;
      input.value = '';
      this.#set([...this.words, ...added]);
    });
    $('word-list-clear')?.addEventListener('click', () => this.#set([]));
    $('word-list-beside')?.addEventListener('change', (event) => this.actions.setting('beside', event.target.checked));
  }

  #set(words) {
    this.actions.setting('words', words.length ? words.join(',') : '');
  }

  render(state) {
    const list = $('word-list');
    if (!list) return;
    const words = state.words ? state.words.split(',') : [];
    const same = words.length === this.words.length && words.every((w, i) => w === this.words[i]);
    this.words = words;
    $('word-list-beside').checked = Boolean(state.beside);
    $('word-list-beside').disabled = !words.length;
    $('word-list-clear').hidden = !words.length;
    $('word-list-caption').textContent = words.length
      ? t.wordListDrawn(words.length, state.beside, state.n)
      : t.wordListEmpty;
    if (same && list.childElementCount === words.length) return;
    list.replaceChildren(
      ...words.map((word) =>
        el(
          'li',
          { class: 'chip' },
          el('span', {}, word),
          el('button', { type: 'button', class: 'small', 'aria-label': t.removeWord(word), onclick: () => this.#set(this.words.filter((w) => w !== word)) }, '×'),
        ),
      ),
    );
  }
}
