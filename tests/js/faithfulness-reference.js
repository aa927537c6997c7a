// An independent float32 reference for the faithfulness figures, for the
// tests: exact k nearest neighbours by cosine over the table's own vectors,
// neighbour recall against a layout's Euclidean neighbours, and
// trustworthiness as sklearn.manifold.trustworthiness defines it. Ties go
// to the smaller position, as in the core.

/** Unit float32 rows of `ids` from an EmbeddingExplorer's table (the raw space). */
export function unitRows(ex, ids) {
  const dims = ex.core.vector(ids[0]).length;
  const units = new Float32Array(ids.length * dims);
  ids.forEach((id, i) => {
    const v = ex.core.vector(id);
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += v[d] * v[d];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) units[i * dims + d] = v[d] * inv;
  });
  return { units, dims };
}

/** Cosines of row i with every row (float32 sums). */
function cosinesOf(units, dims, i, n) {
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += units[i * dims + d] * units[j * dims + d];
    out[j] = s;
  }
  return out;
}

/** The k best rows other than i by `better(a, b)` (negative: a first). */
function topK(n, i, k, better) {
  const others = [];
  for (let j = 0; j < n; j++) if (j !== i) others.push(j);
  others.sort(better);
  return others.slice(0, k);
}

/** Rows nearest to row i by cosine, best first. */
export function fullNeighbours(units, dims, i, k) {
  const n = units.length / dims;
  const cos = cosinesOf(units, dims, i, n);
  return topK(n, i, k, (a, b) => cos[b] - cos[a] || a - b);
}

/** Rows nearest to row i in a layout (n x layoutDims), nearest first. */
export function screenNeighbours(positions, layoutDims, i, k) {
  const n = positions.length / layoutDims;
  const d2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < layoutDims; c++) s += (positions[j * layoutDims + c] - positions[i * layoutDims + c]) ** 2;
    d2[j] = s;
  }
  return topK(n, i, k, (a, b) => d2[a] - d2[b] || a - b);
}

/** Per-point recall, its mean, and trustworthiness(k) of a layout of the rows. */
export function referenceFaithfulness(units, dims, positions, layoutDims, k) {
  const n = positions.length / layoutDims;
  const recall = new Float64Array(n);
  let excess = 0;
  for (let i = 0; i < n; i++) {
    const cos = cosinesOf(units, dims, i, n);
    const rankOf = (j) => {
      // 1 + the rows ahead of j by cosine (ties to the smaller position).
      let ahead = 0;
      for (let l = 0; l < n; l++) if (l !== i && l !== j && (cos[l] > cos[j] || (cos[l] === cos[j] && l < j))) ahead++;
      return ahead + 1;
    };
    const full = new Set(topK(n, i, k, (a, b) => cos[b] - cos[a] || a - b));
    let shared = 0;
    for (const j of screenNeighbours(positions, layoutDims, i, k)) {
      if (full.has(j)) shared++;
      else excess += rankOf(j) - k;
    }
    recall[i] = shared / k;
  }
  const mean = recall.reduce((a, b) => a + b, 0) / n;
  return { recall, mean, trustworthiness: 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * excess };
}
