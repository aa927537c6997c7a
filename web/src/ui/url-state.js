// The view in the URL, and the URL kept in step with the store: a new query
// adds a history entry, any other change replaces the current one, and
// Back/Forward put the entry's view back into the store.
import { PARAM_KEYS } from './url-params.js';
import { DEFAULT_VIEW, normalizeView } from './view-state.js';

/** The URL's parameters as loose values (normalizeView makes them valid). */
export function readUrlView(search = location.search) {
  const params = new URLSearchParams(search);
  const loose = {};
  for (const key of PARAM_KEYS) {
    const value = params.get(key);
    if (value !== null) loose[key] = value;
  }
  return loose;
}

/** The view as parameters: defaults are left out, so links stay short. */
export function viewParams(view) {
  const params = new URLSearchParams();
  for (const key of PARAM_KEYS) {
    const value = view[key];
    // proj=pca is written out beside axes: without it, axes alone reads as the axes view.
    const keepDefault = key === 'proj' && view.axes && value !== 'axes';
    if (value === undefined || value === null || value === '' || value === false || (value === DEFAULT_VIEW[key] && !keepDefault)) continue;
    params.set(key, value === true ? '1' : String(value));
  }
  return params;
}

/** `search` (the view's) with the current URL's other parameters (bm=, the bookmarks) kept after it. */
function withOtherParams(search, current = location.search) {
  const others = [...new URLSearchParams(current)].filter(([key]) => !PARAM_KEYS.includes(key));
  if (!others.length) return search;
  const params = new URLSearchParams(search);
  for (const [key, value] of others) params.append(key, value);
  return `?${params}`;
}

export function toSearch(view) {
  const text = viewParams(view).toString();
  return text ? `?${text}` : '';
}

/**
 * Keeps the URL in step with the store and the store with Back/Forward.
 * onChange(search) is told the new search string (the embed's "Open in the
 * full explorer" link follows it). With push false (the embed page) no
 * entries are added: an iframe's entries would join the course page's
 * history and take over its Back button.
 */
export function syncUrl(store, { onChange, push = true } = {}) {
  store.subscribe((state, previous, meta) => {
    if (meta.source === 'history') return; // the URL is already this entry's
    const search = withOtherParams(toSearch(state));
    if (search === withOtherParams(toSearch(previous)) && search === location.search) return;
    const url = `${location.pathname}${search}${location.hash}`;
    if (push && meta.history === 'push' && search !== location.search) history.pushState(null, '', url);
    else if (search !== location.search) history.replaceState(null, '', url);
    onChange?.(search);
  });
  addEventListener('popstate', () => {
    const { view, notes } = normalizeView(readUrlView());
    store.set({ ...view, notes }, { source: 'history' });
    onChange?.(location.search);
  });
}
