// Named axes: the preset file (data/axis-presets.txt) and the axes text a
// link, an embed attribute or the CLI carries. Pure functions, shared by
// the page (web/src/ui) and the CLI, so both read "gender|royalty" alike.
//
// Axes text: axes separated by "|"; each axis is
//   gender                       a preset name
//   man:woman;king:queen         word pairs (direction: mean of the
//                                normalised pair differences)
//   man,boy:woman,girl           two word sets (direction: mean of the "to"
//                                unit vectors minus mean of the "from" ones)
// A single pair "man:woman" reads the same either way.

/**
 * @typedef {{ name: string, title: string, fromLabel: string, toLabel: string, pairs: [string, string][] }} AxisPreset
 * @typedef {{ name: string, fromLabel: string, toLabel: string, from: string[], to: string[], pairs: boolean }} NamedAxis
 */

export const MAX_AXES = 3;

/**
 * Parses the preset file: ": NAME FROM-LABEL TO-LABEL [TITLE]" headers, then
 * "from to" lines; "#" starts a comment. Throws on a malformed line, naming it.
 * @param {string} text
 * @returns {AxisPreset[]}
 */
export function parseAxisPresets(text) {
  /** @type {AxisPreset[]} */
  const presets = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const where = `axis presets line ${i + 1}`;
    if (line.startsWith(':')) {
      const [name, fromLabel, toLabel, ...title] = line.slice(1).trim().split(/\s+/);
      if (!name || !fromLabel || !toLabel) throw new Error(`${where}: a header needs ": NAME FROM-LABEL TO-LABEL", got "${line}"`);
      if (presets.some((p) => p.name === name)) throw new Error(`${where}: preset "${name}" is defined twice`);
      presets.push({ name, title: title.join(' ') || name, fromLabel, toLabel, pairs: [] });
      return;
    }
    const words = line.split(/\s+/);
    if (!presets.length) throw new Error(`${where}: a word pair before the first ": NAME" header`);
    if (words.length !== 2) throw new Error(`${where}: expected two words "from to", got "${line}"`);
    presets[presets.length - 1].pairs.push([words[0], words[1]]);
  });
  for (const preset of presets) if (!preset.pairs.length) throw new Error(`axis preset "${preset.name}" has no word pairs`);
  return presets;
}

const wordList = (/** @type {string} */ text) => text.split(',').map((w) => w.trim()).filter(Boolean);
const shortList = (/** @type {string[]} */ words) => (words.length > 3 ? `${words.slice(0, 3).join(', ')}, …` : words.join(', '));

/**
 * One axis of an axes text. Throws an Error that names the problem.
 * @param {string} spec
 * @param {AxisPreset[]} presets
 * @returns {NamedAxis}
 */
export function parseAxis(spec, presets) {
  const text = spec.trim();
  if (!text) throw new Error('an axis is empty (two "|" in a row?)');
  if (!text.includes(':')) {
    const preset = presets.find((p) => p.name === text.toLowerCase());
    if (!preset) throw new Error(`unknown axis preset "${text}" (expected ${presets.map((p) => p.name).join(', ')}, or words "man:woman")`);
    return {
      name: preset.title,
      fromLabel: preset.fromLabel,
      toLabel: preset.toLabel,
      from: preset.pairs.map(([from]) => from),
      to: preset.pairs.map(([, to]) => to),
      pairs: true,
    };
  }
  if (text.includes(';')) {
    const pairs = text.split(';').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
      const parts = pair.split(':').map((w) => w.trim());
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`"${pair}" is not a word pair "from:to"`);
      return parts;
    });
    const from = pairs.map(([f]) => f), to = pairs.map(([, t]) => t);
    return { name: `${shortList(from)} → ${shortList(to)}`, fromLabel: shortList(from), toLabel: shortList(to), from, to, pairs: true };
  }
  const sides = text.split(':');
  if (sides.length !== 2) throw new Error(`"${text}" has more than one ":"; pairs go "man:woman;king:queen"`);
  const from = wordList(sides[0]), to = wordList(sides[1]);
  if (!from.length || !to.length) throw new Error(`the axis "${text}" needs words at both ends`);
  return { name: `${shortList(from)} → ${shortList(to)}`, fromLabel: shortList(from), toLabel: shortList(to), from, to, pairs: false };
}

/**
 * All axes of an axes text ("gender|royalty"); at most MAX_AXES.
 * @param {string | undefined} text
 * @param {AxisPreset[]} presets
 * @returns {NamedAxis[]}
 */
export function parseNamedAxes(text, presets) {
  if (!text || !text.trim()) return [];
  const axes = text.split('|').map((spec) => parseAxis(spec, presets));
  if (axes.length > MAX_AXES) throw new Error(`at most ${MAX_AXES} axes, got ${axes.length}`);
  return axes;
}

/**
 * The core's form of an axis: pairs (index-aligned from/to) or two sets.
 * @param {NamedAxis} axis
 */
export function coreAxis(axis) {
  return { from: axis.from, to: axis.to, pairs: axis.pairs };
}

/**
 * Tick values in cosine units over [lo, hi] (both ends widened to include
 * 0): every 0.1, or 0.05 / 0.2 / 0.5 when that keeps 3 to 10 ticks.
 * @param {number} lo
 * @param {number} hi
 * @returns {number[]}
 */
export function cosineTicks(lo, hi) {
  const min = Math.min(lo, 0), max = Math.max(hi, 0);
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return [0];
  const step = [0.05, 0.1, 0.2, 0.5, 1].find((s) => span / s <= 10) ?? 1;
  const ticks = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + 1e-9; k++) ticks.push(Math.round(k * step * 100) / 100 || 0); // || 0: no "-0"
  return ticks;
}
