// The CLI's `knn` command: all k nearest neighbours of the N most frequent
// words among each other (the batched k-NN graph t-SNE, UMAP and the
// faithfulness overlay use), timed; with --check, its recall against a
// float32 brute force over the table's vectors, computed here.
//
//   npm run --silent cli -- knn --words 10000 -k 10 --check
//   npm run --silent cli -- knn --words 50000 --json
const CHECKED_ROWS = 1000;

/**
 * Float32 recall@k of `graph` on an evenly spaced sample of its rows: each
 * sampled row against every listed row, unit vectors in float32.
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {import('./explorer.js').KnnGraph} graph
 * @returns {{ recall: number, rows: number }}
 */
export function float32Recall(explorer, graph) {
  const n = graph.ids.length, k = graph.k;
  let dims = 0;
  /** @type {Float32Array} */
  let units = new Float32Array(0);
  for (let i = 0; i < n; i++) {
    // By id: a table may spell two rows the same.
    const vector = /** @type {Float32Array} */ (explorer.core.vector(graph.ids[i]));
    if (i === 0) {
      dims = vector.length;
      units = new Float32Array(n * dims);
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += vector[d] * vector[d];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) units[i * dims + d] = vector[d] * inv;
  }
  const sampled = Math.min(n, CHECKED_ROWS);
  const scores = new Float32Array(n);
  const order = new Uint32Array(n);
  let hits = 0;
  for (let s = 0; s < sampled; s++) {
    const i = Math.floor((s * n) / sampled);
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += units[i * dims + d] * units[j * dims + d];
      scores[j] = j === i ? -Infinity : dot;
      order[j] = j;
    }
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    const found = new Set(graph.neighbors.subarray(i * k, i * k + k));
    for (let c = 0; c < k; c++) if (found.has(order[c])) hits++;
  }
  return { recall: hits / (sampled * k), rows: sampled };
}

/**
 * @param {import('./explorer.js').EmbeddingExplorer} explorer
 * @param {{ k: number, words?: string, check?: boolean, json: boolean, space: string }} options
 * @param {(message: string) => Error} usageError
 * @returns {Promise<string>}
 */
export async function knnCommand(explorer, options, usageError) {
  const total = explorer.words.length;
  const words = options.words === undefined ? Math.min(10000, total) : Number(options.words);
  if (!Number.isInteger(words) || words < 2 || words > total) {
    throw usageError(`--words must be a whole number from 2 to ${total} (the table's words), got "${options.words}"`);
  }
  if (options.k < 1 || options.k >= words) throw usageError(`-k must be from 1 to ${words - 1} for ${words} words, got ${options.k}`);
  if (options.check && options.space !== 'raw') throw usageError('--check compares with float32 in the raw space; drop --space');
  const ids = Array.from({ length: words }, (_, i) => i);
  const graph = await explorer.knnGraph(ids, { k: options.k });
  const check = options.check ? float32Recall(explorer, graph) : null;
  const summary = {
    words,
    k: graph.k,
    space: explorer.space,
    seconds: graph.seconds,
    ...(check ? { recall: check.recall, checkedRows: check.rows } : {}),
  };
  if (options.json) return JSON.stringify(summary);
  const lines = [
    `${graph.k}-NN of the ${words} most frequent words among each other (${summary.space} space): ${graph.seconds.toFixed(3)} s`,
  ];
  if (check) lines.push(`recall@${graph.k} against float32 (${check.rows} evenly spaced rows): ${check.recall.toFixed(4)}`);
  const first = Array.from(graph.neighbors.subarray(0, graph.k), (p) => explorer.words[ids[p]]);
  lines.push(`${explorer.words[0]}: ${first.join(' ')}`);
  return lines.join('\n');
}
