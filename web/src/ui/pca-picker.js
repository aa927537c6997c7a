// The principal component picker, shown with the PCA views: for each of x,
// y and z a menu of PC1..PC10 with the share of the variance each explains
// (from the last PCA layout, so the shares are of the words drawn, or of the
// whole table for "PCA of the whole table"). Picking a component another
// axis shows swaps the two, so the three always differ. A 2D view uses x
// and y; z stays listed but is greyed.
import { $, el } from './dom.js';
import { LISTED_COMPONENTS, PCA_PROJECTIONS, normalizePcs } from './pca-components.js';
import { t } from '../i18n/strings.js';

const SCREEN_AXES = ['x', 'y', 'z'];

export class PcaPicker {
  /** actions: the page's actions (pcs is a setting); does nothing where the page has no #pca-picker. */
  constructor({ actions }) {
    this.root = $('pca-picker');
    if (!this.root) return;
    this.actions = actions;
    this.shares = null; // componentsExplained of the last PCA layout
    this.of = 'pca';
    this.selects = SCREEN_AXES.map((axis) => {
      const select = $(`pca-${axis}`);
      select.addEventListener('change', () => this.#picked(axis));
      return select;
    });
    this.caption = $('pca-caption');
    this.pcs = '1,2,3';
    this.#fillOptions();
  }

  /** The store changed: shown with PCA views only; the menus show the state's components. */
  render(state) {
    if (!this.root) return;
    this.root.hidden = !PCA_PROJECTIONS.has(state.proj);
    this.dims = state.dims;
    this.pcs = normalizePcs(state.pcs);
    const chosen = this.pcs.split(',');
    this.selects.forEach((select, i) => {
      select.value = chosen[i];
      select.disabled = i === 2 && state.dims === 2;
    });
    this.#caption();
  }

  /** A layout finished (see ProjectionController.onLayout): the shares of the top 10 components, if it was PCA. */
  layoutFinished({ proj, componentsExplained }) {
    if (!this.root || !PCA_PROJECTIONS.has(proj) || !componentsExplained) return;
    this.shares = Array.from(componentsExplained);
    this.of = proj;
    this.#fillOptions();
    this.#caption();
  }

  /** For the browser tests: [{ component, share }] as the menus list them. */
  listed() {
    return this.selects[0] ? [...this.selects[0].options].map((o) => ({ component: Number(o.value), share: o.dataset.share === undefined ? null : Number(o.dataset.share), text: o.textContent })) : [];
  }

  #picked(axis) {
    const index = SCREEN_AXES.indexOf(axis);
    const chosen = this.pcs.split(',');
    const wanted = this.selects[index].value;
    const other = chosen.indexOf(wanted);
    if (other >= 0 && other !== index) chosen[other] = chosen[index]; // swap: the three stay different
    chosen[index] = wanted;
    this.actions.setting('pcs', chosen.join(','));
  }

  #fillOptions() {
    const count = this.shares ? Math.min(LISTED_COMPONENTS, this.shares.length) : LISTED_COMPONENTS;
    this.selects.forEach((select) => {
      const value = select.value;
      select.replaceChildren(
        ...Array.from({ length: count }, (_, c) => {
          const share = this.shares?.[c];
          const option = el('option', { value: String(c + 1) }, share === undefined ? `PC${c + 1}` : `PC${c + 1} (${(100 * share).toFixed(1)} %)`);
          if (share !== undefined) option.dataset.share = String(share);
          return option;
        }),
      );
      if (value) select.value = value;
    });
    const chosen = this.pcs.split(',');
    this.selects.forEach((select, i) => (select.value = chosen[i]));
  }

  #caption() {
    if (!this.caption) return;
    const chosen = this.pcs.split(',').map(Number).slice(0, this.dims === 2 ? 2 : 3);
    const shown = this.shares ? chosen.reduce((sum, c) => sum + (this.shares[c - 1] ?? 0), 0) : null;
    const of = this.of === 'pca-table' ? t.ofWholeTablesVariance : t.ofDrawnWordsVariance;
    this.caption.textContent =
      `${chosen.map((c, i) => `${SCREEN_AXES[i]}: PC${c}`).join(', ')}` + (shown === null ? '' : t.pcsTogether((100 * shown).toFixed(1), of));
  }
}
