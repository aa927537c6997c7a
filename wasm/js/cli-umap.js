// The CLI's `umap` command: a seeded UMAP layout of the N most frequent
// words (cosine in --space), written as TSV (word, then one column per
// output dimension) to --out, or to stdout without --out. With --out,
// stdout gets a summary line with the timing instead. --check adds how
// faithful the layout is: neighbour preservation and trustworthiness
// (k = 10) against the full space, as the page's "What this view keeps".
//
//   npm run --silent cli -- umap --words 5000 --dims 3 --neighbors 15 --min-dist 0.1 --seed 0 --out layout.tsv
//   npm run --silent cli -- umap --words 2000 --dims 2 --check --json
import { writeFile } from 'node:fs/promises';

/**
 * @param {string | undefined} text
 * @param {number} fallback
 * @param {string} name
 * @param {(message: string) => Error} usageError
 */
function numberOption(text, fallback, name, usageError) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw usageError(`${name} must be a number, got "${text}"`);
  return value;
}

/**
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {{ words?: string, dims?: string, neighbors?: string, 'min-dist'?: string, seed?: string, out?: string, json: boolean, check?: boolean }} options
 * @param {(message: string) => Error} usageError
 * @returns {Promise<string>}
 */
export async function umapCommand(explorer, options, usageError) {
  const total = explorer.words.length;
  const words = numberOption(options.words, Math.min(5000, total), '--words', usageError);
  if (!Number.isInteger(words) || words < 3 || words > total) {
    throw usageError(`--words must be a whole number from 3 to ${total} (the table's words), got "${options.words}"`);
  }
  const dims = numberOption(options.dims, 3, '--dims', usageError);
  if (dims !== 2 && dims !== 3) throw usageError(`--dims must be 2 or 3, got "${options.dims}"`);
  const neighbors = numberOption(options.neighbors, 15, '--neighbors', usageError);
  const minDist = numberOption(options['min-dist'], 0.1, '--min-dist', usageError);
  const seed = numberOption(options.seed, 0, '--seed', usageError);
  // The TSV on stdout has no room for figures.
  if (options.check && !options.out && !options.json) throw usageError('umap --check prints its figures with --out FILE or --json');
  const ids = Array.from({ length: words }, (_, i) => i);
  const started = performance.now();
  const session = explorer.umap(ids, { neighbors, minDist, dims, seed });
  try {
    const { positions, epochs } = session.step(100000);
    const seconds = (performance.now() - started) / 1000;
    const lines = [];
    for (let i = 0; i < words; i++) {
      const coordinates = Array.from(positions.subarray(i * dims, (i + 1) * dims), (v) => v.toFixed(5));
      lines.push(`${explorer.words[i]}\t${coordinates.join('\t')}`);
    }
    const tsv = `${lines.join('\n')}\n`;
    const faithful = options.check ? await explorer.faithfulness(ids, positions, { k: 10, dims }) : null;
    const check = faithful && { k: faithful.k, neighbourPreservation: faithful.meanNeighborRecall, trustworthiness: faithful.trustworthiness };
    const summary = { words, dims, neighbors, minDist, seed, epochs, space: explorer.space, seconds, out: options.out ?? null, ...(check ? { check } : {}) };
    if (!options.out) return options.json ? JSON.stringify({ ...summary, positions: Array.from(positions) }) : tsv.trimEnd();
    await writeFile(options.out, tsv);
    if (options.json) return JSON.stringify(summary);
    const figures = check
      ? `\nneighbour preservation ${check.neighbourPreservation.toFixed(3)} (share of each word's ${check.k} nearest in the full space that are among its ${check.k} nearest in the layout), trustworthiness ${check.trustworthiness.toFixed(3)}`
      : '';
    return `UMAP of the ${words} most frequent words into ${dims}D (n_neighbors ${neighbors}, min_dist ${minDist}, seed ${seed}, ${epochs} epochs, ${summary.space} space): ${seconds.toFixed(2)} s\nwrote ${options.out}${figures}`;
  } finally {
    session.dispose();
  }
}
