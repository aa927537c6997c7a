// Horizontal bar chart in plain DOM: one row per bar with its label and its
// value as text (readable by screen readers and by the browser tests), the
// bar itself sized through the CSSOM, which the strict CSP allows.
import { el } from './dom.js';

/**
 * Replaces the contents of `container` with one row per bar.
 * bars: [{ label, fraction (0..1), text }]
 */
export function renderBarChart(container, bars) {
  container.replaceChildren(
    ...bars.map(({ label, fraction, text }) => {
      const fill = el('span', { class: 'bar-fill' });
      fill.style.width = `${(100 * Math.min(1, Math.max(0, fraction || 0))).toFixed(1)}%`;
      return el(
        'div',
        { class: 'bar-row', role: 'listitem', dataset: { label } },
        el('span', { class: 'bar-label' }, label),
        el('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
        el('span', { class: 'bar-value' }, text),
      );
    }),
  );
  container.setAttribute('role', 'list');
}
