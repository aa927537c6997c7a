// The CLI's analogy geometry: `analogy A B C --geometry` (and `expr "…"
// --geometry`) prints where the computed point lies and how parallel the
// two offsets are; `offsets --section NAME` prints each pair's offset
// cosine to a relation's mean offset, the page's offset-consistency chart.
//
//   npm run --silent cli -- analogy man king woman --geometry
//   npm run --silent cli -- offsets --section gender
//   npm run --silent cli -- offsets --section family --file data/questions-words.txt --json
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, ExplorerError } from './errors.js';

export const BUILTIN_ANALOGIES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'analogies-builtin.txt');

const degrees = (/** @type {number} */ cosine) => (Math.acos(Math.max(-1, Math.min(1, cosine))) * 180) / Math.PI;
const f3 = (/** @type {number} */ x) => x.toFixed(3);

/**
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {{ a?: string, b?: string, c?: string, text?: string, answer?: string }} query
 * @param {{ json: boolean }} options
 */
export function geometryCommand(explorer, query, { json }) {
  const g = explorer.analogyGeometry({ ...query, layout: 'plane' });
  const { corners } = g;
  const summary = {
    point: g.terms
      .map((t, i) => `${t.weight < 0 ? '- ' : i ? '+ ' : ''}${Math.abs(t.weight) === 1 ? '' : `${Math.abs(t.weight)}*`}${t.word}`)
      .join(' '),
    pointNorm: g.pointNorm,
    nearest: g.nearest,
    offsets: corners ? { first: `${corners.a}->${corners.b}`, second: `${corners.c}->${corners.d}`, cosine: g.offsetCosine, degrees: degrees(/** @type {number} */ (g.offsetCosine)) } : null,
  };
  if (json) return JSON.stringify(summary);
  const lines = [
    `computed point  ${summary.point}`,
    `norm            ${f3(g.pointNorm)} (each word is a unit vector)`,
    g.nearest ? `nearest word    ${g.nearest.word} (cosine ${f3(g.nearest.score)}, nothing excluded)` : 'nearest word    none',
  ];
  if (summary.offsets) {
    lines.push(`offsets         ${summary.offsets.first} vs ${summary.offsets.second}: cosine ${f3(/** @type {number} */ (g.offsetCosine))} (${summary.offsets.degrees.toFixed(1)} degrees apart) in the full space`);
  } else {
    lines.push('offsets         none: the expression is not of the form b - a + c');
  }
  return lines.join('\n');
}

/**
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {{ section?: string, file?: string, json: boolean }} options
 * @param {(message: string) => Error} usageError
 */
export async function offsetsCommand(explorer, { section, file, json }, usageError) {
  if (!section) throw usageError('offsets needs --section NAME, e.g. --section gender (a section of --file, default data/analogies-builtin.txt)');
  const path = file ?? BUILTIN_ANALOGIES;
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ExplorerError(`cannot read ${path}: ${/** @type {{ code?: string }} */ (error)?.code ?? error}`, { code: ErrorCode.BAD_DATA });
  }
  const report = explorer.relationOffsets(text, section);
  const sorted = [...report.pairs].sort((x, y) => y.cosine - x.cosine);
  if (json) return JSON.stringify({ section: report.section, meanLength: report.meanLength, pairs: sorted, skipped: report.skipped });
  const width = Math.max(...sorted.map((p) => `${p.to} - ${p.from}`.length));
  const lines = sorted.map((p) => `${`${p.to} - ${p.from}`.padEnd(width)}  ${f3(p.cosine).padStart(6)}  ${'#'.repeat(Math.max(0, Math.round(p.cosine * 30)))}`);
  const mean = sorted.reduce((sum, p) => sum + p.cosine, 0) / sorted.length;
  lines.unshift(`${report.section}: ${sorted.length} pairs, cosine of each offset to the mean offset (mean ${f3(mean)})`);
  if (report.skipped.length) lines.push(`left out (not in the table): ${report.skipped.map((p) => p.join('-')).join(', ')}`);
  return lines.join('\n');
}
