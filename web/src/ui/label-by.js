// "Label by" (issue 9 §4): the labels of the points (the marked ones in the
// view, the hover tooltip and the keyboard's readout) show a metadata
// column's values instead of the words. A point whose value is empty keeps
// its word, so no marked point goes unnamed.
import { Request } from '../compute/protocol.js';
import { el } from './dom.js';
import { t } from '../i18n/strings.js';

export class LabelBy {
  /** select: the "Label by" <select>; onChoose(column): the learner chose one ('' for the words). */
  constructor({ client, select, onChoose }) {
    this.client = client;
    this.select = select;
    this.values = null; // the column's value per drawn point, in point order
    this.key = null;
    this.made = null; // the last labels made, and what from
    select?.addEventListener('change', () => onChoose(select.value));
  }

  tableChanged(columns) {
    if (!this.select) return;
    this.select.replaceChildren(el('option', { value: '' }, t.labelByWord), ...columns.map((c) => el('option', { value: c }, c)));
    this.select.value = '';
    this.select.closest('label').hidden = columns.length === 0;
    this.values = null;
    this.key = null;
  }

  /** Fetches the column's values for the drawn points when the column, the points or the table changed. */
  async update(column, pointSet, applied) {
    if (this.select && this.select.value !== column) this.select.value = column;
    const key = JSON.stringify([column, applied.pointsVersion, applied.table]);
    if (key === this.key) return;
    this.key = key;
    this.values = null;
    if (!column) return;
    try {
      const values = await this.client.call(Request.pointColumn, { column, ids: pointSet.ids }, { channel: 'label-by' });
      if (this.key === key && values.length === pointSet.count) this.values = values;
    } catch {
      // Superseded by a newer pass, or a table without the column (a new table resets the select).
      if (this.key === key) this.key = null;
    }
  }

  /** The label of each drawn point. */
  labels(pointSet) {
    if (!this.values || this.values.length !== pointSet.count) return pointSet.labels;
    // The same array while nothing changed: the view re-places its labels only for a new one.
    if (this.made?.values !== this.values || this.made.words !== pointSet.labels) {
      this.made = { values: this.values, words: pointSet.labels, labels: this.values.map((value, i) => (value === '' ? pointSet.labels[i] : value)) };
    }
    return this.made.labels;
  }
}
