// The heatmap of the similarity panel: whole vectors as rows of coloured
// cells (one per dimension) on a canvas, each row's norm beside it. The
// canvas is for the eye; the same rows and norms are listed as text in a
// table, and the value under the pointer (or under the keyboard cursor:
// arrow keys once the canvas has focus) is written out in a readout.
import { divergingColor, divergingGradient, rgb01ToHex } from '../view/palette.js';
import { el } from './dom.js';
import { t } from '../i18n/strings.js';

const MAX_LABEL_WIDTH = 150;
const NORM_WIDTH = 48;
const DEFAULT_WIDTH = 760;
const ROW_HEIGHT = 18;
const TOP = 4;
const FONT = '12px system-ui, sans-serif';

/** A signed figure with a real minus sign, so negative and positive line up and read aloud alike. */
export const signed = (value, digits = 3) => `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(digits)}`;

export class VectorHeatmap {
  /** elements: { canvas, readout, rows (tbody), legend (a container for the scale) } */
  constructor(elements) {
    this.elements = elements;
    this.map = null;
    this.cursor = null; // { row, dim } under the pointer or the keyboard
    const { canvas } = elements;
    canvas.addEventListener('mousemove', (event) => this.#point(this.#cellAt(event)));
    canvas.addEventListener('mouseleave', () => this.#point(null));
    canvas.addEventListener('keydown', (event) => this.#key(event));
    canvas.addEventListener('blur', () => this.#point(null));
    let shownWidth = 0;
    new ResizeObserver(() => {
      if (!this.map || !canvas.clientWidth || Math.abs(canvas.clientWidth - shownWidth) < 2) return;
      shownWidth = canvas.clientWidth;
      this.#fit();
    }).observe(canvas);
  }

  /** map: the worker's Heatmap ({ labels, values, norms, dims }); roles: a name per row ('a', 'b − a', ...) or null. */
  show(map, roles = null) {
    this.map = map;
    this.roles = roles;
    this.cursor = null;
    this.scale = Math.max(1e-6, ...Array.from(map.values, Math.abs));
    const rows = map.labels.length;
    const { canvas, rows: list, legend } = this.elements;
    canvas.setAttribute(
      'aria-label',
      t.heatmapLabel(rows, map.dims, signed(-this.scale), signed(this.scale), map.labels.map((label, i) => t.heatmapRow(label, map.norms[i].toFixed(3)))),
    );
    list.replaceChildren(
      ...map.labels.map((label, i) =>
        el(
          'tr',
          { dataset: { label, norm: String(map.norms[i]) } },
          roles ? el('td', { class: 'heatmap-role' }, roles[i]) : null,
          el('th', { scope: 'row' }, label),
          el('td', {}, map.norms[i].toFixed(3)),
          el('td', {}, this.#largest(i)),
        ),
      ),
    );
    const bar = el('span', { class: 'legend-scale', 'aria-hidden': 'true' });
    bar.style.background = divergingGradient();
    legend.replaceChildren(el('span', {}, signed(-this.scale, 2)), bar, el('span', {}, signed(this.scale, 2)));
    this.elements.readout.textContent = t.heatmapPointAtCell;
    this.#fit();
  }

  /** Sizes the canvas to the width it is shown at (so the labels stay readable on a phone), and draws. */
  #fit() {
    const { canvas } = this.elements;
    canvas.width = Math.max(300, Math.round(canvas.clientWidth || DEFAULT_WIDTH));
    canvas.height = TOP + this.map.labels.length * ROW_HEIGHT + 4;
    this.labelWidth = Math.min(MAX_LABEL_WIDTH, Math.round(canvas.width * 0.3));
    this.#draw();
  }

  clear() {
    this.map = null;
    const { canvas, rows, legend, readout } = this.elements;
    canvas.width = canvas.width; // also clears the drawing
    canvas.height = 0;
    canvas.setAttribute('aria-label', t.heatmapEmpty);
    rows.replaceChildren();
    legend.replaceChildren();
    readout.textContent = '';
  }

  /** The row's component of largest magnitude, as text for the table. */
  #largest(row) {
    const { values, dims } = this.map;
    let best = 0;
    for (let d = 1; d < dims; d++) if (Math.abs(values[row * dims + d]) > Math.abs(values[row * dims + best])) best = d;
    return t.heatmapLargest(best, signed(values[row * dims + best]));
  }

  #draw() {
    const { canvas } = this.elements;
    const ctx = canvas.getContext('2d');
    const { labels, values, norms, dims } = this.map;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    const cellWidth = (canvas.width - this.labelWidth - NORM_WIDTH) / dims;
    for (let r = 0; r < labels.length; r++) {
      const y = TOP + r * ROW_HEIGHT;
      for (let d = 0; d < dims; d++) {
        ctx.fillStyle = rgb01ToHex(divergingColor(values[r * dims + d] / this.scale));
        ctx.fillRect(this.labelWidth + d * cellWidth, y, Math.ceil(cellWidth), ROW_HEIGHT - 2);
      }
      ctx.fillStyle = '#1d1d1f';
      ctx.textAlign = 'right';
      ctx.fillText(fitText(ctx, labels[r], this.labelWidth - 8), this.labelWidth - 6, y + ROW_HEIGHT / 2 - 1);
      ctx.textAlign = 'left';
      ctx.fillText(norms[r].toFixed(3), canvas.width - NORM_WIDTH + 6, y + ROW_HEIGHT / 2 - 1);
    }
    if (this.cursor) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.strokeRect(this.labelWidth + this.cursor.dim * cellWidth, TOP + this.cursor.row * ROW_HEIGHT - 1, Math.max(3, cellWidth), ROW_HEIGHT);
    }
  }

  /** The cell under a mouse event, in the canvas's own pixels (it is drawn scaled to the card's width). */
  #cellAt(event) {
    if (!this.map) return null;
    const { canvas } = this.elements;
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * canvas.width;
    const y = ((event.clientY - box.top) / box.height) * canvas.height;
    const dim = Math.floor(((x - this.labelWidth) / (canvas.width - this.labelWidth - NORM_WIDTH)) * this.map.dims);
    const row = Math.floor((y - TOP) / ROW_HEIGHT);
    if (dim < 0 || dim >= this.map.dims || row < 0 || row >= this.map.labels.length) return null;
    return { row, dim };
  }

  #key(event) {
    if (!this.map) return;
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0], Home: [0, -Infinity], End: [0, Infinity] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const { row = 0, dim = 0 } = this.cursor ?? {};
    const clamp = (v, n) => Math.min(n - 1, Math.max(0, v));
    this.#point({ row: clamp(row + move[0], this.map.labels.length), dim: clamp(dim + move[1], this.map.dims) });
  }

  #point(cell) {
    if (!this.map) return;
    this.cursor = cell;
    if (cell) {
      const value = this.map.values[cell.row * this.map.dims + cell.dim];
      const role = this.roles ? ` (${this.roles[cell.row]})` : '';
      this.elements.readout.textContent = t.heatmapCell(this.map.labels[cell.row], role, cell.dim, signed(value, 4));
      this.elements.readout.dataset.value = String(value);
    }
    this.#draw();
  }
}

/** `text` cut with an ellipsis to fit `width` pixels. */
function fitText(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}
