// What the <embedding-explorer> element shows over its iframe until the
// embed page says it is running, and instead of it when it fails: plain
// text and a link to the full explorer, readable with no styles from the
// host page (which the shadow root keeps out) and none of its own beyond
// CSSOM properties (a style attribute would need 'unsafe-inline').
import { tElement as t } from '../i18n/strings.js';

const TEXT = {
  loading: t.elementLoading,
  failed: t.elementFailed,
};

/** The fallback's elements: { box, heading, detail, link }. */
export function buildFallback() {
  const box = document.createElement('div');
  box.setAttribute('role', 'status');
  Object.assign(box.style, {
    position: 'absolute',
    inset: '0',
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    alignItems: 'center',
    gap: '0.4rem',
    padding: '1rem',
    textAlign: 'center',
    background: '#ffffff',
    color: '#1d1d1f',
    border: '1px solid #d9d9d6',
    font: '16px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif',
    boxSizing: 'border-box',
  });
  const heading = document.createElement('p');
  const detail = document.createElement('p');
  for (const p of [heading, detail]) p.style.margin = '0';
  detail.style.fontSize = '0.875rem';
  detail.style.color = '#5f6368';
  detail.style.overflowWrap = 'anywhere';
  const link = document.createElement('a');
  link.textContent = t.openFullExplorer;
  link.target = '_blank';
  link.rel = 'noopener';
  link.style.color = '#0067a3';
  box.append(heading, detail, link);
  return { box, heading, detail, link };
}

/** Shows the fallback for 'loading' or 'failed' (with a detail line), hides it otherwise. */
export function showFallback(fallback, state, detail = '') {
  const text = TEXT[state];
  fallback.box.hidden = !text;
  // `hidden` alone loses to the display set above.
  fallback.box.style.display = text ? 'flex' : 'none';
  if (!text) return;
  fallback.heading.textContent = text;
  fallback.detail.textContent = detail;
  fallback.detail.hidden = !detail;
}
