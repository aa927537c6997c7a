// Who gets which marker and label. Pure functions of the highlight sets, so
// the rules live in one place: the scatter plot feeds the results to the
// highlight and labels layers, the keyboard steps in the same order.
//
// Roles, strongest first: selected, input, result, labelled (a word-group
// member or any point the page wants named). Each marked point gets one
// marker, for its strongest role: a ring in the role's colour around a fill
// in the point's own colour, so a group or "Colour by" colour stays visible
// when the word is also a result. When the page has not coloured the points
// (all the theme's default), the fill takes the role colour instead, which
// reads more strongly than grey-blue inside a ring.

import { ROLE_COLORS, hexToRgb01, rgb01ToHex } from './palette.js';

/** Marker diameters in CSS px, by role. */
// The answer (first result) is drawn larger than the other results: with its bold label it is what the eye finds first.
export const MARKER_SIZES = Object.freeze({ labelled: 10, result: 13, answer: 17, input: 14, selected: 22, hover: 13, focus: 30 });
// Inner radius of each role's ring, as a fraction of the marker's radius:
// about 3 px of ring on a result or input, the rest is the point's colour.
const RING_INNER = Object.freeze({ result: 0.5, answer: 0.55, input: 0.5, selected: 0.62, focus: 0.76 });

/** Keeps valid, distinct indices below n: { results, inputs, selected, labelled }. */
export function normaliseHighlights({ results = [], inputs = [], selected = null, labelled = [] } = {}, n) {
  const valid = (i) => Number.isInteger(i) && i >= 0 && i < n;
  const unique = (list) => [...new Set([...list].filter(valid))];
  return { results: unique(results), inputs: unique(inputs), selected: valid(selected) ? selected : null, labelled: unique(labelled) };
}

/** The strongest role of point `index`, or null. */
export function roleOf(h, index) {
  if (index === h.selected) return 'selected';
  if (h.inputs.includes(index)) return 'input';
  if (h.results.includes(index)) return 'result';
  if (h.labelled.includes(index)) return 'labelled';
  return null;
}

/** The most results labelled in the view; a list of 1,000 would bury the points and slow every frame's placement. */
export const MAX_RESULT_LABELS = 100;

/**
 * Marked points in label priority: the keyboard focus, the selected point,
 * the answer (first result: the word the learner looks for stays by its
 * dot even when the inputs crowd it), the inputs, the other results in rank
 * order, then the labelled points.
 */
export function priorityOrder(h, focused = null) {
  const order = [focused, h.selected, h.results[0], ...h.inputs, ...h.results.slice(1), ...h.labelled];
  return [...new Set(order.filter((i) => i !== null && i !== undefined))];
}

/** Every index 0..n-1: the marked points in priority order, then the rest in index order (keyboard stepping). */
export function stepOrder(h, n) {
  const first = priorityOrder(h);
  const seen = new Set(first);
  const order = first.slice();
  for (let i = 0; i < n; i++) if (!seen.has(i)) order.push(i);
  return order;
}

/**
 * Markers and labels for the layers.
 * h: normalised highlights; words: string per index; colors: the points'
 * Float32Array n*3; ownColors: whether those colours were set by the page;
 * hovered, focused: index or null; theme: one of palette.THEMES.
 * Returns { markers (draw order, last on top), labels (priority order),
 * obstacles (every marked point), sizeOf: Map index -> marker diameter }.
 */
export function composeHighlights(h, { words, colors, ownColors, hovered = null, focused = null, theme }) {
  const own = (i) => [colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]];
  const roleRgb = { input: hexToRgb01(ROLE_COLORS.input), result: hexToRgb01(ROLE_COLORS.result), selected: hexToRgb01(ROLE_COLORS.selected) };
  const sizeOf = new Map();
  const markers = [];
  const mark = (index, markRole) => {
    const role = markRole === 'result' && index === h.results[0] ? 'answer' : markRole;
    const size = MARKER_SIZES[role];
    sizeOf.set(index, size);
    if (role === 'labelled') {
      markers.push({ index, fill: own(index), ring: null, ringInner: 1, gap: false, hollow: false, size });
      return;
    }
    // Selected: the fill keeps the point's other role when uncoloured, so "selected answer" still reads as a result.
    const second = role === 'selected' ? roleOf({ ...h, selected: null }, index) : markRole;
    const fill = ownColors || !roleRgb[second] ? own(index) : roleRgb[second];
    markers.push({ index, fill, ring: roleRgb[markRole], ringInner: RING_INNER[role], gap: role === 'selected', hollow: false, size });
  };
  // Draw order: later markers are drawn on top, so the most important last.
  for (const i of h.labelled) if (roleOf(h, i) === 'labelled') mark(i, 'labelled');
  for (let k = h.results.length - 1; k >= 0; k--) if (roleOf(h, h.results[k]) === 'result') mark(h.results[k], 'result');
  for (const i of h.inputs) if (roleOf(h, i) === 'input') mark(i, 'input');
  if (h.selected !== null) mark(h.selected, 'selected');
  // The hovered point gets a marker in its own colour unless it has one.
  if (hovered !== null && !sizeOf.has(hovered)) {
    markers.push({ index: hovered, fill: own(hovered), ring: null, ringInner: 1, gap: false, hollow: false, size: MARKER_SIZES.hover });
  }
  if (focused !== null) {
    // A hollow ring around whatever marks the point: the keyboard focus.
    const outline = hexToRgb01(theme.outline);
    markers.push({ index: focused, fill: outline, ring: outline, ringInner: RING_INNER.focus, gap: false, hollow: true, size: MARKER_SIZES.focus });
  }

  // Results past MAX_RESULT_LABELS keep their markers but not their labels
  // (the focused or selected one excepted): k may be 1,000.
  const unlabelled = new Set(h.results.slice(MAX_RESULT_LABELS));
  const labels = priorityOrder(h, focused).filter((index) => !unlabelled.has(index) || index === focused || index === h.selected).map((index) => {
    const role = roleOf(h, index);
    const color = role === 'labelled' || role === null ? rgb01ToHex(own(index)) : ROLE_COLORS[role];
    // The answer's label is bold: the word the learner looks for.
    return { index, text: String(words[index] ?? `#${index}`), color, markerSize: sizeOf.get(index) ?? MARKER_SIZES.hover, strong: index === h.results[0] };
  });
  const obstacles = [...sizeOf].map(([index, markerSize]) => ({ index, markerSize }));
  return { markers, labels, obstacles, sizeOf };
}

/** What the keyboard focus announces for point `index`, e.g. "queen, result 1 of 10, point 1 of 5,000". */
export function describePoint(h, index, words, n) {
  const word = String(words[index] ?? `point ${index}`);
  const parts = [word];
  if (index === h.selected) parts.push('selected');
  const input = h.inputs.indexOf(index);
  if (input >= 0) parts.push(`input ${input + 1} of ${h.inputs.length}`);
  const result = h.results.indexOf(index);
  if (result >= 0) parts.push(`result ${result + 1} of ${h.results.length}`);
  if (input < 0 && result < 0 && h.labelled.includes(index)) parts.push('marked');
  parts.push(`point ${(index + 1).toLocaleString('en')} of ${n.toLocaleString('en')}`);
  return parts.join(', ');
}
