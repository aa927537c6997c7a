// Turns the page's state into what the 3D view draws: a colour per point
// (word groups, a metadata column, or each point's neighbour recall), the
// highlighted roles (inputs, results, the selected point), the analogy's
// arrows, the selected word's true-neighbour edges, and the legend that
// explains the colours. Every colour comes from view/palette.js.
import { ARROW_COLORS, CATEGORICAL, OTHER_COLOR, UNCOLORED, hexToRgb01, sequentialColor, sequentialGradient } from '../view/palette.js';
import { el } from './dom.js';
import { t } from '../i18n/strings.js';

/** The "Colour by" choice for each point's neighbour recall (not a metadata column: those come from a file's header). */
export const NEIGHBOUR_RECALL = ':neighbour-recall';

/** Per-point colours (Float32Array n*3) for values in 0..1 on the sequential scale. */
export function recallColours(recall) {
  const colours = new Float32Array(recall.length * 3);
  for (let i = 0; i < recall.length; i++) colours.set(sequentialColor(recall[i]), i * 3);
  return colours;
}

/** The most frequent values of a column, each with its colour; the rest are "other". */
export function valueColours(values) {
  if (!values) return [];
  const counts = new Map();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, CATEGORICAL.length)
    .map(([value], i) => ({ value, colour: CATEGORICAL[i] }));
}

/**
 * What a drawing needs: pointSet (ids and their indices), answer (from the
 * query controller), groups ([{ name, ids }] of the shown word groups),
 * matches (ids a search marks), labels (each point's label text, or null),
 * column ({ name, values } per point, or null), colourBy (the "Colour by"
 * choice). faithfulness: the FaithfulnessPanel whose report colours by
 * recall and draws the selected word's true neighbours (optional).
 */
export class PlotAdapter {
  constructor(plot, legendElement, faithfulness = null) {
    this.plot = plot;
    this.legend = legendElement;
    this.faithfulness = faithfulness;
  }

  colours({ pointSet, groups, column, colourBy }) {
    const n = pointSet.count;
    if (colourBy === NEIGHBOUR_RECALL) {
      // Grey until the recall of this very layout is measured.
      const recall = this.faithfulness?.recallFor(pointSet);
      if (recall) return recallColours(recall);
      const colours = new Float32Array(n * 3);
      const grey = hexToRgb01(UNCOLORED);
      for (let i = 0; i < n; i++) colours.set(grey, i * 3);
      return colours;
    }
    const byValue = valueColours(column?.values);
    if (byValue.length) {
      const colourOf = new Map(byValue.map(({ value, colour }) => [value, hexToRgb01(colour)]));
      const other = hexToRgb01(OTHER_COLOR);
      const colours = new Float32Array(n * 3);
      column.values.forEach((value, i) => colours.set(colourOf.get(value) ?? other, i * 3));
      return colours;
    }
    if (!groups.length) return null;
    const colours = new Float32Array(n * 3);
    const grey = hexToRgb01(UNCOLORED);
    for (let i = 0; i < n; i++) colours.set(grey, i * 3);
    groups.forEach((group, g) => {
      const rgb = hexToRgb01(CATEGORICAL[g % CATEGORICAL.length]);
      for (const id of group.ids) {
        const i = pointSet.indexOf(id);
        if (i !== undefined) colours.set(rgb, i * 3);
      }
    });
    return colours;
  }

  /**
   * Highlights and arrows. Role markers are rings around the point's own
   * colour, so a group word that is also a result still shows its group;
   * group words are `labelled`: labels, and no ring of their own.
   */
  decorate({ pointSet, answer, groups, matches = [], labels = null }) {
    if (labels) this.plot.setLabels?.(labels);
    const index = (id) => pointSet.indexOf(id);
    const defined = (xs) => xs.filter((x) => x !== undefined);
    const shown = answer?.selection ?? answer?.query;
    const query = answer?.query;
    const selectedId = answer?.selection ? answer.selection.inputIds[0] : query?.selectedId;
    this.plot.setHighlights({
      results: defined((shown?.results ?? []).map((r) => index(r.id))),
      inputs: defined((query?.inputIds ?? []).map(index)),
      selected: selectedId === undefined ? null : (index(selectedId) ?? null),
      labelled: defined([...groups.flatMap((group) => group.ids), ...matches].map(index)),
    });
    this.plot.setArrows(
      (query?.arrows ?? [])
        .map(([from, to], i) => ({ from: index(from), to: index(to), color: ARROW_COLORS[i % ARROW_COLORS.length] }))
        .filter((arrow) => arrow.from !== undefined && arrow.to !== undefined),
    );
    this.plot.setNeighbourEdges?.(this.faithfulness?.edgesFor(selectedId, pointSet) ?? null);
  }

  /** The legend for the colours in use: a column's values, or the word groups. */
  renderLegend({ groups, column, colourBy, pointSet }) {
    if (!this.legend) return;
    const item = (colour, text) => {
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = colour;
      return el('span', { class: 'legend-item' }, swatch, text);
    };
    if (colourBy === NEIGHBOUR_RECALL) {
      this.legend.replaceChildren(...this.#recallLegend(pointSet));
      this.legend.hidden = false;
      return;
    }
    const byValue = valueColours(column?.values);
    if (byValue.length) {
      // Values come from the user's metadata file: text nodes only.
      const shown = new Set(byValue.map(({ value }) => value));
      const items = byValue.map(({ value, colour }) => item(colour, value === '' ? '(empty)' : value));
      if (column.values.some((value) => !shown.has(value))) items.push(item(OTHER_COLOR, 'other'));
      this.legend.replaceChildren(el('span', { class: 'hint' }, `${column.name}:`), ...items);
      this.legend.hidden = false;
      return;
    }
    this.legend.replaceChildren(...groups.map((group, g) => item(CATEGORICAL[g % CATEGORICAL.length], group.name)));
    this.legend.hidden = groups.length === 0;
  }

  /** The recall scale, 0 (dark) to 1. */
  #recallLegend(pointSet) {
    const measured = Boolean(this.faithfulness?.recallFor(pointSet));
    const bar = el('span', { class: 'legend-scale', 'aria-hidden': 'true' });
    bar.style.background = sequentialGradient();
    return [
      el('span', { class: 'hint' }, t.neighbourRecallLegend),
      el('span', { class: 'legend-item' }, '0', bar, '1'),
      measured ? null : el('span', { class: 'hint' }, t.measuring),
    ].filter(Boolean);
  }
}
