// The CLI's `project` command: words placed along named axes, in cosine
// units (the cosine of each word's unit vector with the unit axis
// direction), as the page's named-axes view places them.
//
//   npm run --silent cli -- project --axes gender,royalty --words 20
//   npm run --silent cli -- project king queen man woman --axes "gender|man:king;woman:queen" --json
//   npm run --silent cli -- project --words 30 --components 1,5,8   (PCA; see cli-pca.js)
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_AXES, coreAxis, parseAxisPresets, parseNamedAxes } from './axis-presets.js';
import { pcaProjectCommand } from './cli-pca.js';

const presetsFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'axis-presets.txt');
const DEFAULT_WORDS = 20;

/** The shipped presets (data/axis-presets.txt). */
export async function loadAxisPresets() {
  return parseAxisPresets(await readFile(presetsFile, 'utf8'));
}

/**
 * "gender,royalty" (preset names only) reads as "gender|royalty"; anything
 * with ":" is the link's axes text as it is, where "," separates set words.
 * @param {string} text
 */
export function axesText(text) {
  return text.includes(':') || text.includes('|') ? text : text.split(',').map((s) => s.trim()).join('|');
}

/**
 * The words named, then the --words N most frequent (20 when none is named).
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {string[]} words
 * @param {{ words?: string }} options
 * @param {(message: string) => Error} usageError
 */
function shownWords(explorer, words, options, usageError) {
  if (options.words !== undefined && !/^\d+$/.test(options.words)) throw usageError(`--words must be a whole number, got "${options.words}"`);
  const frequent = options.words !== undefined ? Number(options.words) : words.length ? 0 : DEFAULT_WORDS;
  const shown = [...new Set([...words, ...explorer.words.slice(0, frequent)])];
  if (shown.length < 2) throw usageError('project needs at least two words (name them, or --words N for the N most frequent)');
  return shown;
}

/**
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {string[]} words  words named on the command line (may be empty)
 * @param {{ axes?: string, words?: string, pca?: string, components?: string, json: boolean }} options
 * @param {(message: string) => Error} usageError
 * @returns {Promise<string>}
 */
export async function projectCommand(explorer, words, options, usageError) {
  if (!options.axes && (options.pca !== undefined || options.components !== undefined)) return pcaProjectCommand(explorer, shownWords(explorer, words, options, usageError), options, usageError);
  if (!options.axes) throw usageError(`project needs --axes, e.g. --axes gender,royalty (1 to ${MAX_AXES} presets or "man:woman" axes), or --pca / --components 1,2,3`);
  const presets = await loadAxisPresets();
  let axes;
  try {
    axes = parseNamedAxes(axesText(options.axes), presets);
  } catch (error) {
    throw usageError(`--axes: ${/** @type {Error} */ (error).message}`);
  }
  const shown = shownWords(explorer, words, options, usageError);
  const { coordinates, explained } = explorer.project(shown, { method: 'axes', axes: axes.map(coreAxis) });
  const columns = [
    ...axes.map((axis) => ({ name: axis.name, fromLabel: axis.fromLabel, toLabel: axis.toLabel, named: true })),
    ...Array.from({ length: 3 - axes.length }, (_, i) => ({ name: `residual PCA ${i + 1}`, fromLabel: '', toLabel: '', named: false })),
  ].map((column, i) => ({ ...column, explained: explained[i] ?? null }));
  const rows = shown.map((word, i) => ({ word, coordinates: Array.from(coordinates.subarray(i * 3, i * 3 + 3)) }));
  if (options.json) return JSON.stringify({ units: 'cosine', axes: columns, words: rows });
  const width = Math.max(4, ...shown.map((w) => [...w].length));
  const headers = columns.map((c) => (c.named ? `${c.name} (${c.fromLabel} → ${c.toLabel})` : c.name));
  const share = (/** @type {{ explained: number | null }} */ c) => (c.explained === null ? '' : `, ${(100 * c.explained).toFixed(1)} % of the words' variance`);
  const lines = [`cosine with each axis direction; ${columns.map((c, i) => `${'xyz'[i]}: ${headers[i]}${share(c)}`).join('; ')}`];
  lines.push(`${'word'.padEnd(width)}  ${['x', 'y', 'z'].map((h) => h.padStart(7)).join(' ')}`);
  for (const { word, coordinates: c } of rows) lines.push(`${word.padEnd(width)}  ${c.map((v) => v.toFixed(3).padStart(7)).join(' ')}`);
  return lines.join('\n');
}
