// The per-dimension contributions to a cosine as a sorted bar chart: one
// row per dimension, largest |u_i·v_i| first, each bar drawn from a zero
// line in the middle (right for a positive product, left and hatched for a
// negative one, so the sign never rests on colour alone), its product as
// signed text and the running share of the cosine so far.
import { el } from './dom.js';
import { signed } from './vector-heatmap.js';
import { t } from '../i18n/strings.js';

/** How many bars show before "show all". */
export const TOP_BARS = 20;

/**
 * Draws `c` (the worker's Contributions) into `container`, the first
 * `limit` bars (all with limit Infinity).
 */
export function renderContributions(container, c, limit = TOP_BARS) {
  const count = Math.min(limit, c.products.length);
  const largest = Math.max(1e-9, Math.abs(c.products[0] ?? 0));
  const rows = [];
  for (let i = 0; i < count; i++) {
    const product = c.products[i];
    const sign = product < 0 ? 'negative' : 'positive';
    const fill = el('span', { class: `contribution-fill ${sign}` });
    const half = (50 * Math.abs(product)) / largest;
    fill.style.width = `${half.toFixed(2)}%`;
    fill.style.left = product < 0 ? `${(50 - half).toFixed(2)}%` : '50%';
    rows.push(
      el(
        'div',
        { class: `contribution-row ${sign}`, role: 'listitem', dataset: { dim: String(c.dims[i]), product: String(product), running: String(c.running[i]) } },
        el('span', { class: 'contribution-dim' }, t.dimensionShort(c.dims[i])),
        el('span', { class: 'contribution-track', 'aria-hidden': 'true' }, fill),
        el('span', { class: 'contribution-value' }, signed(product, 4)),
        el('span', { class: 'contribution-share' }, `${(100 * c.share[i]).toFixed(1)} %`),
      ),
    );
  }
  container.replaceChildren(
    el(
      'div',
      { class: 'contribution-row contribution-head', 'aria-hidden': 'true' },
      el('span', {}, t.dimension),
      el('span', {}, t.productColumn),
      el('span', {}, 'uᵢ·vᵢ'),
      el('span', {}, t.runningShare),
    ),
    ...rows,
  );
}
