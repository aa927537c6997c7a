// Plain-JavaScript baselines for the benchmark: "the obvious in-browser
// alternative" to the wasm core. Everything here works on a row-major
// Float32Array of L2-normalised float32 rows (the GloVe source, not the int8
// table), with plain loops and no SIMD, no batching and no workers, the way
// a page would do it without a compiled core. These functions are timed
// against the wasm module; they are not used by the app.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Same constant as the core (search.h): keeps 3CosMul finite when cos(a) = -1. */
export const COSMUL_EPSILON = 0.001;

/** Same floor as the core (space.cpp): eigenvalues below 1e-6 of the largest are clamped. */
const MIN_RELATIVE_EIGENVALUE = 1e-6;

/**
 * A float table in the shape a browser app would keep: unit rows, their
 * norms (so raw vector i = norms[i] * unit row i, as in the int8 table) and
 * a word -> id Map. `values` is row-major float32 as read from the source.
 */
export function floatTable(values, rows, dims, words) {
  const unit = new Float32Array(rows * dims);
  const norms = new Float32Array(rows);
  for (let i = 0, o = 0; i < rows; i++, o += dims) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += values[o + d] * values[o + d];
    const norm = Math.sqrt(s);
    norms[i] = norm;
    const inv = norm > 0 ? 1 / norm : 0;
    for (let d = 0; d < dims; d++) unit[o + d] = values[o + d] * inv;
  }
  const index = new Map();
  for (let i = 0; i < rows; i++) if (!index.has(words[i])) index.set(words[i], i);
  return { unit, norms, rows, dims, words, index };
}

/** The first `rows` rows of a table, sharing its arrays (no copy). */
export function prefixTable(table, rows) {
  const words = table.words.slice(0, rows);
  const index = new Map();
  for (let i = 0; i < rows; i++) if (!index.has(words[i])) index.set(words[i], i);
  return {
    unit: table.unit.subarray(0, rows * table.dims),
    norms: table.norms.subarray(0, rows),
    rows,
    dims: table.dims,
    words,
    index,
  };
}

/** Id of a word (lower-cased like the core's case folding for ASCII), or -1. */
export function findWord(table, word) {
  const id = table.index.get(word);
  if (id !== undefined) return id;
  const folded = table.index.get(word.toLowerCase());
  return folded === undefined ? -1 : folded;
}

/**
 * Load baseline: what a page does with a float32 file (rows*dims float32,
 * then '\n'-joined UTF-8 words) already in memory: view the floats, split
 * the vocabulary, build the word Map and normalise every row.
 */
export function loadFloatFile(bytes, rows, dims) {
  const floatBytes = rows * dims * 4;
  // Copy: a fetched ArrayBuffer need not be 4-byte aligned at the offset we want.
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + floatBytes));
  const words = new TextDecoder().decode(bytes.subarray(floatBytes)).split('\n');
  return floatTable(values, rows, dims, words);
}

/** The float file the load baseline parses: float32 rows, then the vocabulary. */
export function floatFile(table) {
  const { unit, norms, rows, dims } = table;
  const values = new Float32Array(rows * dims);
  for (let i = 0, o = 0; i < rows; i++, o += dims) {
    for (let d = 0; d < dims; d++) values[o + d] = unit[o + d] * norms[i];
  }
  const text = new TextEncoder().encode(table.words.join('\n'));
  const out = new Uint8Array(values.byteLength + text.length);
  out.set(new Uint8Array(values.buffer), 0);
  out.set(text, values.byteLength);
  return out;
}

// Keeps the k best (score, id) pairs, best first; ties go to the lower id
// (the scan visits ids in order, so "strictly better" keeps the first).
function makeTopK(k) {
  return { k, ids: new Int32Array(k).fill(-1), scores: new Float64Array(k).fill(-Infinity), size: 0 };
}

function pushTopK(top, id, score) {
  const { ids, scores, k } = top;
  let at = top.size < k ? top.size : k - 1;
  if (top.size === k && !(score > scores[k - 1])) return;
  while (at > 0 && score > scores[at - 1]) {
    scores[at] = scores[at - 1];
    ids[at] = ids[at - 1];
    at--;
  }
  scores[at] = score;
  ids[at] = id;
  if (top.size < k) top.size++;
}

function topKResult(top) {
  return { ids: Array.from(top.ids.subarray(0, top.size)), scores: Array.from(top.scores.subarray(0, top.size)) };
}

/**
 * Top-k cosine scan: dot product of a unit query with every unit row (a full
 * scan, one row at a time), keeping the k best in a small sorted list.
 * `exclude` holds ids that may not be returned (the query words).
 */
export function scanTopK(table, query, k, exclude = []) {
  const { unit, rows, dims } = table;
  const top = makeTopK(k);
  let threshold = -Infinity;
  for (let i = 0, o = 0; i < rows; i++, o += dims) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += query[d] * unit[o + d];
    if (s > threshold && !exclude.includes(i)) {
      pushTopK(top, i, s);
      if (top.size === k) threshold = top.scores[k - 1];
    }
  }
  return topKResult(top);
}

/** Neighbours baseline: the word's unit row as the query, a full scan, itself excluded. */
export function neighbours(table, id, k) {
  const { unit, dims } = table;
  return scanTopK(table, unit.subarray(id * dims, (id + 1) * dims), k, [id]);
}

/**
 * 3CosAdd baseline (a : b :: c : ?): t = b - a + c from the unit rows,
 * normalised, then the same full scan as neighbours with a, b, c excluded.
 */
export function analogyCosAdd(table, a, b, c, k) {
  const { unit, dims } = table;
  const t = new Float64Array(dims);
  let n2 = 0;
  for (let d = 0; d < dims; d++) {
    t[d] = unit[b * dims + d] - unit[a * dims + d] + unit[c * dims + d];
    n2 += t[d] * t[d];
  }
  const inv = n2 > 0 ? 1 / Math.sqrt(n2) : 0;
  for (let d = 0; d < dims; d++) t[d] *= inv;
  return scanTopK(table, t, k, [a, b, c]);
}

/**
 * 3CosMul baseline (Levy & Goldberg 2014): three cosines per row in one
 * pass, each shifted to [0, 1], score = cos'(x, b) cos'(x, c) / (cos'(x, a) + eps).
 */
export function analogyCosMul(table, a, b, c, k) {
  const { unit, rows, dims } = table;
  const oa = a * dims, ob = b * dims, oc = c * dims;
  const exclude = [a, b, c];
  const top = makeTopK(k);
  let threshold = -Infinity;
  for (let i = 0, o = 0; i < rows; i++, o += dims) {
    let sa = 0, sb = 0, sc = 0;
    for (let d = 0; d < dims; d++) {
      const x = unit[o + d];
      sa += unit[oa + d] * x;
      sb += unit[ob + d] * x;
      sc += unit[oc + d] * x;
    }
    const s = ((0.5 * (1 + sb)) * (0.5 * (1 + sc))) / (0.5 * (1 + sa) + COSMUL_EPSILON);
    if (s > threshold && !exclude.includes(i)) {
      pushTopK(top, i, s);
      if (top.size === k) threshold = top.scores[k - 1];
    }
  }
  return topKResult(top);
}

/**
 * Whitening baseline: the same work as the core's TableStatistics + Space
 * for "whitened". On the raw vectors x_i = norm_i * unit_i: the mean, the
 * covariance of (x - mu) (lower triangle, Float64 accumulation, plain
 * loops), its eigen-decomposition with ml-matrix, the whitening matrix
 * P = L^-1/2 U^T, and |P (x_i - mu)| for every row (kept as 1/|y_i|, the
 * per-row factor a whitened cosine needs).
 */
export function whiten(table) {
  const { unit, norms, rows: n, dims } = table;
  const mean = new Float64Array(dims);
  for (let i = 0, o = 0; i < n; i++, o += dims) {
    const w = norms[i];
    for (let d = 0; d < dims; d++) mean[d] += w * unit[o + d];
  }
  for (let d = 0; d < dims; d++) mean[d] /= n;

  const cov = new Float64Array(dims * dims);
  const x = new Float64Array(dims);
  for (let i = 0, o = 0; i < n; i++, o += dims) {
    const w = norms[i];
    for (let d = 0; d < dims; d++) x[d] = w * unit[o + d] - mean[d];
    for (let r = 0; r < dims; r++) {
      const xr = x[r];
      const row = r * dims;
      for (let c = 0; c <= r; c++) cov[row + c] += xr * x[c];
    }
  }
  for (let r = 0; r < dims; r++) {
    for (let c = 0; c <= r; c++) {
      const v = cov[r * dims + c] / n;
      cov[r * dims + c] = v;
      cov[c * dims + r] = v;
    }
  }

  const evd = new EigenvalueDecomposition(Matrix.from1DArray(dims, dims, cov), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((p, q) => values[q] - values[p]);
  const eigenvalues = new Float64Array(dims);
  for (let k = 0; k < dims; k++) eigenvalues[k] = Math.max(0, values[order[k]]);

  // P row k = u_k^T / sqrt(max(lambda_k, floor)); row-major dims x dims.
  const floor = Math.max(eigenvalues[0] * MIN_RELATIVE_EIGENVALUE, 1e-30);
  const P = new Float64Array(dims * dims);
  for (let k = 0; k < dims; k++) {
    const s = 1 / Math.sqrt(Math.max(eigenvalues[k], floor));
    for (let d = 0; d < dims; d++) P[k * dims + d] = vectors.get(d, order[k]) * s;
  }

  const inverseNorms = new Float32Array(n);
  for (let i = 0, o = 0; i < n; i++, o += dims) {
    const w = norms[i];
    for (let d = 0; d < dims; d++) x[d] = w * unit[o + d] - mean[d];
    let y2 = 0;
    for (let k = 0, pk = 0; k < dims; k++, pk += dims) {
      let y = 0;
      for (let d = 0; d < dims; d++) y += P[pk + d] * x[d];
      y2 += y * y;
    }
    inverseNorms[i] = y2 > 0 ? 1 / Math.sqrt(y2) : 0;
  }
  return { mean, eigenvalues, projection: P, inverseNorms };
}

/**
 * Parses a questions-words file into the questions whose four words are all
 * in the table: [{ a, b, c, expected }] as ids. Same rules as the core: a
 * line of other than four words is skipped, as is one with an unknown word.
 */
export function parseQuestions(table, text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(': ')) continue;
    const words = line.trim().split(/\s+/);
    if (words.length !== 4 || words[0] === '') continue;
    const ids = words.map((w) => findWord(table, w));
    if (ids.some((id) => id < 0)) continue;
    out.push({ a: ids[0], b: ids[1], c: ids[2], expected: ids[3] });
  }
  return out;
}

/**
 * Evaluation baseline: one 3CosAdd top-1 scan per question, one question at
 * a time (no batching). Returns the number answered correctly.
 */
export function evaluate(table, questions) {
  let correct = 0;
  for (const q of questions) {
    const { ids } = analogyCosAdd(table, q.a, q.b, q.c, 1);
    if (ids[0] === q.expected) correct++;
  }
  return correct;
}
