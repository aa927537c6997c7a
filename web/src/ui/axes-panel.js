// The named-axes form: for each of x, y and z a preset (gender, age, …) or
// words of the learner's own, as pairs "man:woman, king:queen" or as two
// word sets "man, boy" → "woman, girl". It reads into the `axes` text the
// URL carries ("gender|man:woman;king:queen|man,boy:woman,girl") and shows
// that text back, with a caption that names what each screen axis shows.
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';
import { AXIS_PRESETS, namedAxes } from './axis-presets.js';

const SCREEN_AXES = ['x', 'y', 'z'];
const OWN_WORDS = '';
// What the form offers before any axes are chosen: two axes a learner reads at once.
const FIRST_AXES = ['gender', 'royalty'];

/** "man:woman, king:queen" (the form's pair syntax) -> "man:woman;king:queen" (the link's). */
function pairsText(text) {
  return text.split(/[,;]/).map((pair) => pair.replace(/\s+/g, '')).filter(Boolean).join(';');
}

const words = (text) => text.split(',').map((w) => w.trim()).filter(Boolean);

export class AxesPanel {
  constructor() {
    this.rows = SCREEN_AXES.map((axis) => {
      const from = $(`axis-${axis}-from`);
      const to = $(`axis-${axis}-to`);
      if (!from || !to) return null;
      const select = el('select', { id: `axis-${axis}-preset`, 'aria-label': t.axisLabel(axis) },
        el('option', { value: OWN_WORDS }, axis === 'x' ? t.myWords : t.myWordsOrPca),
        ...AXIS_PRESETS.map((p) => el('option', { value: p.name }, p.title)),
      );
      const pairs = el('span', { class: 'hint axis-pairs', 'data-axis': axis });
      from.before(select);
      from.parentElement.after(pairs);
      const arrow = to.previousElementSibling;
      select.addEventListener('change', () => this.#showRow(row));
      const row = { axis, select, from, to, arrow, pairs };
      return row;
    }).filter(Boolean);
    this.caption = $('axes-caption');
    /** The axes text the page shows (the state's), or undefined. */
    this.current = undefined;
    this.rows.forEach((row, i) => {
      if (FIRST_AXES[i]) row.select.value = FIRST_AXES[i];
      this.#showRow(row);
    });
  }

  /** The axes text of the form; rows left empty are filled by PCA of the residual. */
  read() {
    const specs = [];
    for (const { select, from, to } of this.rows) {
      if (select.value !== OWN_WORDS) specs.push(select.value);
      else if (from.value.includes(':')) specs.push(pairsText(from.value));
      else if (words(from.value).length && words(to.value).length) specs.push(`${words(from.value).join(',')}:${words(to.value).join(',')}`);
    }
    return specs.join('|');
  }

  /** Names the axes in the caption and, with fill, shows the state's axes text in the form. */
  render(axesText, { proj, fill = true } = {}) {
    this.current = axesText;
    const specs = fill && axesText ? axesText.split('|') : null;
    if (specs) {
      this.rows.forEach((row, i) => {
        const spec = (specs[i] ?? '').trim();
        const preset = AXIS_PRESETS.find((p) => p.name === spec.toLowerCase());
        row.select.value = preset ? preset.name : OWN_WORDS;
        if (preset) return this.#showRow(row);
        if (spec.includes(';')) [row.from.value, row.to.value] = [spec.split(';').join(', '), ''];
        else [row.from.value, row.to.value] = [(spec.split(':')[0] ?? '').split(',').join(', '), (spec.split(':')[1] ?? '').split(',').join(', ')];
        this.#showRow(row);
      });
    }
    if (this.caption) this.caption.textContent = proj === 'axes' ? caption(axesText) : '';
  }

  #showRow(row) {
    const preset = AXIS_PRESETS.find((p) => p.name === row.select.value);
    for (const node of [row.from, row.arrow, row.to]) node.hidden = Boolean(preset);
    row.pairs.hidden = !preset;
    row.pairs.textContent = preset ? t.presetPairs(preset.fromLabel, preset.toLabel, preset.pairs.length, preset.pairs.map(([from, to]) => `${from}:${to}`).join(', ')) : '';
  }
}

/** "x: gender (male ← → female), y: …, z: PCA of the rest; units: cosine." */
export function caption(axesText) {
  let axes;
  try {
    axes = namedAxes(axesText);
  } catch {
    return ''; // the page's note names the problem
  }
  if (!axes.length) return t.noAxesGiven;
  const parts = SCREEN_AXES.map((name, i) => (axes[i] ? t.namedAxis(name, axes[i].name, axes[i].fromLabel, axes[i].toLabel) : t.pcaAxis(name)));
  return t.axesCaption(parts);
}
