// `project --pca` and `project --components 1,5,8`: words laid out on any
// three of the top 10 principal components (1-based, as the page's picker
// and its pcs= link name them), with the share of the variance each of the
// ten explains.
//
//   npm run --silent cli -- project --words 30 --components 1,5,8
//   npm run --silent cli -- project king queen man woman --pca table --json

/** Principal components the CLI and the page offer, PC1..PC10. */
export const LISTED_COMPONENTS = 10;

/**
 * "1,5,8" -> [0, 4, 7]; a clear error for anything else.
 * @param {string} text
 * @param {(message: string) => Error} usageError
 */
export function parseComponents(text, usageError) {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 3 || !parts.every((s) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= LISTED_COMPONENTS)) {
    throw usageError(`--components needs three principal components from 1 to ${LISTED_COMPONENTS} for x, y and z, e.g. 1,5,8; got "${text}"`);
  }
  return parts.map((s) => Number(s) - 1);
}

/**
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {string[]} shown  the words to lay out
 * @param {{ pca?: string, components?: string, json: boolean }} options
 * @param {(message: string) => Error} usageError
 * @returns {string}
 */
export function pcaProjectCommand(explorer, shown, options, usageError) {
  const of = options.pca ?? 'words';
  if (of !== 'words' && of !== 'table') throw usageError(`--pca must be words (the PCA of the words shown) or table (of the whole table), got "${of}"`);
  const components = options.components === undefined ? [0, 1, 2] : parseComponents(options.components, usageError);
  const method = of === 'table' ? 'pca-table' : 'pca';
  const { coordinates, explained, componentsExplained } = explorer.project(shown, { method, components });
  const listed = Array.from(componentsExplained ?? []);
  const rows = shown.map((word, i) => ({ word, coordinates: Array.from(coordinates.subarray(i * 3, i * 3 + 3)) }));
  const axes = components.map((c, i) => ({ component: c + 1, explained: explained[i] }));
  if (options.json) return JSON.stringify({ pca: of, components: listed.map((share, i) => ({ component: i + 1, explained: share })), axes, words: rows });
  const percent = (/** @type {number} */ share) => `${(100 * share).toFixed(1)} %`;
  const over = of === 'table' ? 'the whole table' : `these ${shown.length} words`;
  const lines = [
    `principal components of ${over}, share of the variance: ${listed.map((share, i) => `PC${i + 1} ${percent(share)}`).join(', ')}`,
    `x: PC${axes[0].component}, y: PC${axes[1].component}, z: PC${axes[2].component} (${percent(explained[0] + explained[1] + explained[2])} of the variance together)`,
  ];
  const width = Math.max(4, ...shown.map((w) => [...w].length));
  lines.push(`${'word'.padEnd(width)}  ${['x', 'y', 'z'].map((h) => h.padStart(7)).join(' ')}`);
  for (const { word, coordinates: c } of rows) lines.push(`${word.padEnd(width)}  ${c.map((v) => v.toFixed(3).padStart(7)).join(' ')}`);
  return lines.join('\n');
}
