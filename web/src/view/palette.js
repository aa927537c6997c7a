// Colours for the 3D view.
//
// Okabe & Ito (2008), "Color Universal Design": eight colours that stay
// distinguishable under the common colour-vision deficiencies (protan,
// deutan, tritan). Every colour the view chooses by itself comes from here;
// callers that colour points (clusters, spaces) should take theirs from
// OKABE_ITO / categoricalColors too, so the legend and the plot agree.

/** The eight Okabe–Ito colours by name, as '#rrggbb'. */
export const OKABE_ITO = Object.freeze({
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
});

/**
 * Categorical order for clusters/classes. Black is left out (it reads as
 * "no colour" next to the labels) and yellow is last because it has the
 * least contrast on a light background.
 */
export const CATEGORICAL = Object.freeze([
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.vermillion,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.yellow,
]);

/**
 * What the highlight roles look like. Inputs (the words typed), results
 * (what the query returned) and the clicked word get distinct hues so the
 * analogy a:b::c:d reads without relying on red/green.
 */
export const ROLE_COLORS = Object.freeze({
  input: OKABE_ITO.blue,
  result: OKABE_ITO.orange,
  selected: OKABE_ITO.vermillion,
  arrow: OKABE_ITO.bluishGreen,
});

/**
 * Colours the page's plot adapter (web/src/ui) paints with, so the legend,
 * the points and the arrows agree. Word groups and metadata values take
 * CATEGORICAL in order; values past the seventh share OTHER; points outside
 * every group are UNCOLORED. The analogy's two offsets are a->b (first) and
 * c->d (second), in two hues that differ without relying on red/green.
 */
export const OTHER_COLOR = '#999999';
export const UNCOLORED = '#b8b8b8';
export const ARROW_COLORS = Object.freeze([OKABE_ITO.blue, OKABE_ITO.vermillion]);

/**
 * Okabe-Ito hues darkened until text in them reads at >= 4.5:1 (WCAG AA)
 * on white and on the light theme's background; use these, never the
 * plain hues, for coloured text (vermillion #D55E00 is only 3.9:1).
 */
export const TEXT_COLORS = Object.freeze({
  blue: '#0067a3',
  vermillion: '#b34f00',
  bluishGreen: '#007a5a',
  reddishPurple: '#a3487a',
  orange: '#8a5f00',
});

/**
 * Light and dark themes. `point` is the default colour of a point with no
 * colour of its own (a neutral grey-blue that none of the role colours
 * resemble). Label/tooltip colours are chosen for >= 7:1 text contrast.
 */
export const THEMES = Object.freeze({
  light: Object.freeze({
    background: '#f7f7f4',
    point: '#7189a8',
    outline: '#1d1d1f', // ring around highlighted points, for contrast with any fill
    labelText: '#111111',
    labelBackground: 'rgba(255, 255, 255, 0.88)',
    labelBorder: 'rgba(0, 0, 0, 0.18)',
    leader: 'rgba(0, 0, 0, 0.45)',
    tooltipText: '#ffffff',
    tooltipBackground: 'rgba(20, 20, 24, 0.9)',
  }),
  dark: Object.freeze({
    background: '#16181d',
    point: '#8ea3bf',
    outline: '#f4f4f4',
    labelText: '#f4f4f4',
    labelBackground: 'rgba(20, 22, 28, 0.85)',
    labelBorder: 'rgba(255, 255, 255, 0.22)',
    leader: 'rgba(255, 255, 255, 0.5)',
    tooltipText: '#111111',
    tooltipBackground: 'rgba(250, 250, 250, 0.92)',
  }),
});

/** '#rrggbb' (or '#rgb') -> [r, g, b] in 0..1. Throws on anything else. */
export function hexToRgb01(hex) {
  let h = String(hex).trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(h)) h = h.replace(/./g, (c) => c + c);
  if (!/^[0-9a-f]{6}$/i.test(h)) throw new TypeError(`not a #rrggbb colour: ${hex}`);
  const v = parseInt(h, 16);
  return [((v >> 16) & 255) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255];
}

/**
 * Per-point colours from integer categories (cluster ids, classes):
 * category k gets CATEGORICAL[k mod 7]; a negative category gets `fallback`
 * (the theme's neutral point colour by default). Returns Float32Array(n*3),
 * the shape ScatterPlot.setColors takes.
 */
export function categoricalColors(categories, fallback = THEMES.light.point) {
  const table = CATEGORICAL.map(hexToRgb01);
  const none = hexToRgb01(fallback);
  const out = new Float32Array(categories.length * 3);
  for (let i = 0; i < categories.length; i++) {
    const k = categories[i];
    const c = k >= 0 ? table[k % table.length] : none;
    out[3 * i] = c[0];
    out[3 * i + 1] = c[1];
    out[3 * i + 2] = c[2];
  }
  return out;
}

/** [r, g, b] in 0..1 -> '#rrggbb'. */
export function rgb01ToHex(rgb) {
  const byte = (v) => Math.round(Math.min(1, Math.max(0, Number(v) || 0)) * 255).toString(16).padStart(2, '0');
  return `#${byte(rgb[0])}${byte(rgb[1])}${byte(rgb[2])}`;
}

/**
 * A sequential scale for a value in 0..1 (a point's neighbour recall):
 * viridis (van der Walt & Smith, matplotlib), which stays ordered in
 * lightness for every common colour-vision deficiency and in greyscale.
 * It stops at 0.9 of viridis: its last yellow would vanish on the light
 * background. Low values are dark, so the points a projection misplaces
 * stand out.
 */
export const SEQUENTIAL = Object.freeze(['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26']);

const SEQUENTIAL_RGB = SEQUENTIAL.map(hexToRgb01);

/** [r, g, b] in 0..1 for `value` in 0..1 on SEQUENTIAL (clamped; NaN gives OTHER_COLOR). */
export function sequentialColor(value) {
  if (!Number.isFinite(value)) return hexToRgb01(OTHER_COLOR);
  const at = Math.min(1, Math.max(0, value)) * (SEQUENTIAL_RGB.length - 1);
  const i = Math.min(Math.floor(at), SEQUENTIAL_RGB.length - 2);
  const t = at - i;
  const [a, b] = [SEQUENTIAL_RGB[i], SEQUENTIAL_RGB[i + 1]];
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** A CSS linear-gradient of SEQUENTIAL from 0 (left) to 1 (right), for a legend (set through the CSSOM). */
export function sequentialGradient() {
  return `linear-gradient(to right, ${SEQUENTIAL.join(', ')})`;
}

/**
 * The faithfulness overlay's edges from a selected point to its true
 * nearest neighbours: a neighbour the projection also keeps near is drawn
 * solid in bluish green; one it puts far away, dashed in vermillion. The
 * two differ in hue, lightness and dash, so neither relies on red/green.
 */
export const NEIGHBOUR_EDGE_COLORS = Object.freeze({ near: OKABE_ITO.bluishGreen, far: OKABE_ITO.vermillion });

/**
 * A diverging scale for signed values (heatmaps of vector components):
 * ColorBrewer's PuOr, orange for negative, near-white at 0, purple for
 * positive. The two ends differ in hue and both darken away from 0, so the
 * sign reads in every common colour-vision deficiency; the magnitude
 * reads in greyscale too.
 */
export const DIVERGING = Object.freeze(['#b35806', '#e08214', '#fdb863', '#fee0b6', '#f7f7f7', '#d8daeb', '#b2abd2', '#8073ac', '#542788']);

const DIVERGING_RGB = DIVERGING.map(hexToRgb01);

/** [r, g, b] in 0..1 for `value` in -1..1 on DIVERGING (clamped; NaN gives OTHER_COLOR). */
export function divergingColor(value) {
  if (!Number.isFinite(value)) return hexToRgb01(OTHER_COLOR);
  const at = ((Math.min(1, Math.max(-1, value)) + 1) / 2) * (DIVERGING_RGB.length - 1);
  const i = Math.min(Math.floor(at), DIVERGING_RGB.length - 2);
  const t = at - i;
  const [a, b] = [DIVERGING_RGB[i], DIVERGING_RGB[i + 1]];
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** A CSS linear-gradient of DIVERGING from -1 (left) to 1 (right), for a legend (set through the CSSOM). */
export function divergingGradient() {
  return `linear-gradient(to right, ${DIVERGING.join(', ')})`;
}
