// The view's state in the URL: opening a URL restores the view.
//
//   q=king - man + woman            an expression (run on load)
//   a=man&b=king&c=woman            an analogy, with method=3cosmul, inputs=1, expected=running
//   word=frog                       neighbours of a word
//   space=whitened  proj=tsne  axes=man:woman|small:big  sel=queen  k=10  n=5000  group=animals
const KEYS = ['q', 'a', 'b', 'c', 'method', 'inputs', 'expected', 'word', 'space', 'proj', 'axes', 'sel', 'k', 'n', 'group'];

export function readUrlState(search = location.search) {
  const params = new URLSearchParams(search);
  const state = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value !== null) state[key] = value;
  }
  return state;
}

export function toSearch(state) {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = state[key];
    if (value !== undefined && value !== null && value !== '' && value !== false) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Replaces the URL without a reload (no history entry per keystroke). */
export function writeUrlState(state) {
  const url = `${location.pathname}${toSearch(state)}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}

/** "man:woman|small,little:big" -> [{from:['man'], to:['woman']}, ...] */
export function parseAxes(text) {
  if (!text) return [];
  return text.split('|').map((axis) => {
    const [from = '', to = ''] = axis.split(':');
    const words = (s) => s.split(',').map((w) => w.trim()).filter(Boolean);
    return { from: words(from), to: words(to) };
  });
}

export function formatAxes(axes) {
  return axes.map((axis) => `${axis.from.join(',')}:${axis.to.join(',')}`).join('|');
}
