// The card of the selected point (issue 9 §4, as the Embedding Projector
// shows it): the word, its row (in a table sorted by frequency, as GloVe's,
// its frequency rank), the norm of its vector, and every metadata column's
// value for it. The selected point is the clicked one (`sel`), else the
// word whose neighbours were asked for.
import { Superseded } from '../compute/client.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';

const selectedWord = (state) => state.sel ?? state.word;

export class PointCard {
  constructor({ client }) {
    this.client = client;
    this.word = undefined; // the word the card shows (or is fetching)
    this.table = 0; // counts tables: a new one shows the same word's new row
  }

  tableChanged() {
    this.table++;
    this.word = undefined;
  }

  async render(state) {
    const word = selectedWord(state);
    const key = `${this.table}\u0000${word}`;
    if (key === this.key) return;
    this.key = key;
    const card = $('point-card');
    if (!word) {
      card.hidden = true;
      return;
    }
    let info;
    try {
      info = await this.client.call(Request.pointInfo, { word }, { channel: 'point-card' });
    } catch (error) {
      if (error instanceof Superseded || this.key !== key) return;
      // The message names the word; a word not yet streamed in gets its card once the table is complete.
      this.#fill(word, [['', error?.code === ErrorCode.UNKNOWN_WORD ? t.notInTable(word) : (error?.message ?? String(error))]]);
      card.dataset.word = '';
      return;
    }
    if (this.key !== key) return;
    const rows = [
      [t.cardRow, t.cardRowValue(info.row, info.rows), t.cardRowHelp],
      [t.cardNorm, info.norm.toFixed(4), t.cardNormHelp(info.dims)],
      ...info.metadata.map(({ column, value }) => [column, value === '' ? t.emptyValue : value]),
    ];
    this.#fill(info.display, rows);
    card.dataset.word = info.word;
  }

  /** The card's heading and its rows [name, value, hint?], all as text. */
  #fill(title, rows) {
    $('point-card-word').textContent = title;
    $('point-card-figures').replaceChildren(
      ...rows.map(([name, value, hint]) =>
        el('tr', { dataset: { field: name } }, el('th', { scope: 'row' }, name), el('td', {}, value), hint ? el('td', { class: 'hint' }, hint) : null),
      ),
    );
    $('point-card').hidden = false;
  }
}
