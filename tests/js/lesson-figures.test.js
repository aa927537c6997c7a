// Lesson figures through the compute worker (web/src/lesson/figures.js over
// lesson-handlers.js and the existing requests), each against a computation
// of this test's own: float64 arithmetic on the real 50k table's vectors, and
// on the synthetic cone's rows regenerated here from the same seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { Request } from '../../web/src/compute/protocol.js';
import { CONE_NEIGHBOUR_ROWS, coneTable } from '../../web/src/compute/synthetic-cone.js';
import { checkFigure } from '../../web/src/lesson/exercise-format.js';
import { computeFigure, memoryFigure, ordinal } from '../../web/src/lesson/figures.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

let worker;
let explorer;
let vectors; // the table's raw vectors, float64, row-major
let units; // the same, unit length
let dims;
const pageState = { space: 'raw' };
const client = { call: (type, args) => worker.call(type, args) };
const figure = (value) => computeFigure(checkFigure(value, 'test'), { client, readState: () => pageState });

const dot = (x, i, y, j, n) => {
  let sum = 0;
  for (let d = 0; d < n; d++) sum += x[i * n + d] * y[j * n + d];
  return sum;
};
const row = (word) => explorer.id(word);
const unitOf = (vector) => {
  const length = Math.sqrt(vector.reduce((s, v) => s + v * v, 0));
  return Float64Array.from(vector, (v) => v / length);
};
/** Mean cosine over all pairs of rows of `values` (n × d), centred first if asked: (|Σu|² − n) / (n(n − 1)). */
function meanPairCosine(values, n, d, { centre = false, whiten = false } = {}) {
  let rows = Float64Array.from(values);
  if (centre || whiten) {
    const mean = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) mean[k] += rows[r * d + k] / n;
    for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) rows[r * d + k] -= mean[k];
  }
  if (whiten) rows = whitened(rows, n, d);
  const sum = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    let length = 0;
    for (let k = 0; k < d; k++) length += rows[r * d + k] ** 2;
    length = Math.sqrt(length);
    for (let k = 0; k < d; k++) sum[k] += rows[r * d + k] / length;
  }
  const total = sum.reduce((s, v) => s + v * v, 0);
  return (total - n) / (n * (n - 1));
}
/** Centred rows times L⁻ᵀ, where LLᵀ is their covariance: any whitening gives the same cosines, up to a rotation. */
function whitened(rows, n, d) {
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] += (rows[r * d + i] * rows[r * d + j]) / n;
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = i === j ? Math.sqrt(s) : s / L[j * d + j];
    }
  }
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let s = rows[r * d + i];
      for (let k = 0; k < i; k++) s -= L[i * d + k] * out[r * d + k];
      out[r * d + i] = s / L[i * d + i];
    }
  }
  return out;
}

beforeAll(async () => {
  worker = await startWorkerInNode();
  await worker.call(Request.load, { tableUrl: 'table.emb' });
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  dims = explorer.info.dims;
  vectors = new Float64Array(explorer.size * dims);
  explorer.words.forEach((word, r) => vectors.set(explorer.lookup(word).vector, r * dims));
  units = Float64Array.from(vectors);
  for (let r = 0; r < explorer.size; r++) units.set(unitOf(vectors.subarray(r * dims, (r + 1) * dims)), r * dims);
}, 60_000);
afterAll(() => {
  explorer?.dispose();
  worker?.restore();
});

describe('figures on the 50k GloVe table', () => {
  it('cosine: the raw cosine of two words, and in a named space without moving the page', async () => {
    const raw = await figure({ kind: 'cosine', words: ['dog', 'puppy'] });
    const expected = dot(units, row('dog'), units, row('puppy'), dims);
    console.log(`cosine(dog, puppy): worker ${raw.value.toFixed(5)}, float64 ${expected.toFixed(5)}`);
    expect(raw.value).toBeCloseTo(expected, 3);
    expect(raw.note).toContain('raw space');

    const centred = await figure({ kind: 'cosine', words: ['paris', 'protein'], space: 'centered' });
    const mean = new Float64Array(dims);
    for (let r = 0; r < explorer.size; r++) for (let k = 0; k < dims; k++) mean[k] += vectors[r * dims + k] / explorer.size;
    const centre = (word) => unitOf(Array.from(explorer.lookup(word).vector, (v, k) => v - mean[k]));
    const expectedCentred = dot(centre('paris'), 0, centre('protein'), 0, dims);
    console.log(`cosine(paris, protein) centred: worker ${centred.value.toFixed(5)}, float64 ${expectedCentred.toFixed(5)}`);
    expect(centred.value).toBeCloseTo(expectedCentred, 3);
    expect(centred.detail.space).toBe('centered');
    // The page's space is untouched: its next query still answers in raw.
    const after = await worker.call(Request.query, { kind: 'neighbors', word: 'dog', k: 1 });
    expect(after.results[0].score).toBeCloseTo(explorer.neighbors('dog', { k: 1 }).results[0].score, 6);
  });

  it('a word the table lacks is named, not an error', async () => {
    const out = await figure({ kind: 'cosine', words: ['docker', 'kubernetes'] });
    expect(out.value).toBeNull();
    expect(out.missing).toEqual(['docker', 'kubernetes'].filter((w) => explorer.find(w) < 0));
    expect(out.text).toBe(`not in this table: ${out.missing.join(', ')}`);
    const norm = await figure({ kind: 'norm', word: 'kubernetes' });
    expect(norm).toMatchObject({ value: null, missing: ['kubernetes'] });
  });

  it('norm: the length of the stored vector', async () => {
    const out = await figure({ kind: 'norm', word: 'the' });
    const expected = Math.hypot(...explorer.lookup('the').vector);
    console.log(`|the|: worker ${out.value.toFixed(4)}, float64 ${expected.toFixed(4)}`);
    expect(out.value).toBeCloseTo(expected, 3);
  });

  it('mean-pair-cosine: the seeded sample agrees with the mean over all pairs of the table', async () => {
    const raw = await figure({ kind: 'mean-pair-cosine', space: 'raw', sample: 600 });
    const centred = await figure({ kind: 'mean-pair-cosine', space: 'centered', sample: 600 });
    const n = explorer.size;
    const all = meanPairCosine(units, n, dims);
    const allCentred = meanPairCosine(vectors, n, dims, { centre: true });
    console.log(`mean pair cosine: raw sample ${raw.value.toFixed(4)} vs all pairs ${all.toFixed(4)}; centred sample ${centred.value.toFixed(4)} vs all pairs ${allCentred.toFixed(5)}`);
    expect(Math.abs(raw.value - all)).toBeLessThan(0.02);
    expect(Math.abs(centred.value - allCentred)).toBeLessThan(0.02);
    expect(raw.detail.pairsSampled).toBe((600 * 599) / 2);
  }, 60_000);

  it('rank: where a word comes among the answers, as a float64 3CosAdd ranks it', async () => {
    const out = await figure({ kind: 'rank', word: 'running', analogy: ['swim', 'swimming', 'run'] });
    const [a, b, c] = ['swim', 'swimming', 'run'].map(row);
    const query = new Float64Array(dims).map((_, k) => units[b * dims + k] - units[a * dims + k] + units[c * dims + k]);
    const target = dot(units, row('running'), query, 0, dims);
    let rank = 1;
    for (let r = 0; r < explorer.size; r++) if (r !== a && r !== b && r !== c && r !== row('running') && dot(units, r, query, 0, dims) > target) rank++;
    console.log(`rank of running (3CosAdd, raw): worker ${out.value}, float64 ${rank}; ${out.note}`);
    expect(out.value).toBe(rank);
    expect(out.text).toBe(ordinal(rank));
    const mul = await figure({ kind: 'rank', word: 'running', analogy: ['swim', 'swimming', 'run'], method: '3cosmul' });
    expect(mul.value).toBe(explorer.rank('swim', 'swimming', 'run', 'running', { method: '3cosmul' }).rank);
    const centred = await figure({ kind: 'rank', word: 'running', analogy: ['swim', 'swimming', 'run'], space: 'centered' });
    console.log(`rank of running: 3CosMul raw ${mul.value}, 3CosAdd centred ${centred.value}`);
    explorer.setSpace('centered');
    expect(centred.value).toBe(explorer.rank('swim', 'swimming', 'run', 'running').rank);
    explorer.setSpace('raw');
  });

  it('offset-consistency: the mean cosine of each pair offset to the mean offset', async () => {
    const text = 'man:woman, king:queen, boy:girl, father:mother, docker:kubernetes';
    const out = await figure({ kind: 'offset-consistency', pairs: text });
    const pairs = [['man', 'woman'], ['king', 'queen'], ['boy', 'girl'], ['father', 'mother']];
    const offsets = pairs.map(([from, to]) => new Float64Array(dims).map((_, k) => units[row(to) * dims + k] - units[row(from) * dims + k]));
    const mean = new Float64Array(dims).map((_, k) => offsets.reduce((s, o) => s + o[k], 0) / offsets.length);
    const expected = offsets.reduce((s, o) => s + dot(o, 0, mean, 0, dims) / Math.hypot(...o) / Math.hypot(...mean), 0) / offsets.length;
    console.log(`offset consistency: worker ${out.value.toFixed(5)}, float64 ${expected.toFixed(5)}; ${out.note}`);
    expect(out.value).toBeCloseTo(expected, 3);
    expect(out.note).toContain('left out for missing words: docker:kubernetes');
  });

  it('table-memory: the loaded table in bytes, beside its shape', async () => {
    const out = await figure({ kind: 'table-memory' });
    console.log(`table memory: ${out.text}; ${out.note}`);
    expect(out.detail).toMatchObject({ words: explorer.size, dims: 100 });
    // int8 codes (one byte a value) plus a little per row: never less than the codes, never near float32's 4 bytes.
    expect(out.value * 1e6).toBeGreaterThanOrEqual(explorer.size * dims);
    expect(out.value * 1e6).toBeLessThan(explorer.size * dims * 1.2);
  });

  it('memory and sqrt-scale: page arithmetic in MB and MiB, and the share of a typed total', async () => {
    const llama2 = await figure({ kind: 'memory', rows: 32000, dims: 4096, bytes: 2, totalParams: 6738415616 });
    expect(llama2.value).toBe(262.144);
    expect(llama2.text).toBe('262.1 MB = 250.0 MiB, 1.95% of 6,738,415,616 parameters');
    const llama3 = memoryFigure({ rows: 128256, dims: 4096, bytes: 2, tied: false }, 8030261248);
    expect(llama3.bytes).toBe(128256 * 4096 * 2 * 2);
    expect(llama3.share).toBeCloseTo((2 * 128256 * 4096) / 8030261248, 12);
    const typed = await computeFigure(checkFigure({ kind: 'memory', rows: 32000, dims: 4096, bytes: 2, unit: 'share', totalParams: 1 }, 't'), { client, totalParams: 13015864320 });
    expect(typed.value).toBeCloseTo((32000 * 4096) / 13015864320, 12);
    expect((await figure({ kind: 'sqrt-scale', dims: 4096 })).text).toBe('64');
    expect((await figure({ kind: 'sqrt-scale', dims: 768, digits: 2 })).text).toBe('27.71');
  });
});

describe('the synthetic cone', () => {
  const recipe = { rows: 2000, dims: 50, shared: 3, seed: 1 };

  it('has the mean pair cosine of its generated rows, raw, centred and whitened, in a core of its own', async () => {
    const { values } = coneTable(recipe);
    const expected = {
      raw: meanPairCosine(values, recipe.rows, recipe.dims),
      centered: meanPairCosine(values, recipe.rows, recipe.dims, { centre: true }),
      whitened: meanPairCosine(values, recipe.rows, recipe.dims, { whiten: true }),
    };
    for (const space of ['raw', 'centered', 'whitened']) {
      const out = await figure({ kind: 'synthetic-cone', ...recipe, space });
      console.log(`cone (${space}): worker ${out.value.toFixed(5)}, float64 ${expected[space].toFixed(5)}`);
      expect(Math.abs(out.value - expected[space])).toBeLessThan(0.003);
      expect(out.note).toContain('synthetic table, not this one');
    }
    expect(expected.raw).toBeGreaterThan(0.85); // the recipe does make a cone: shared² / (shared² + 1) = 0.9
    // The page's table is still the one that answers.
    expect((await worker.call(Request.query, { kind: 'neighbors', word: 'dog', k: 1 })).results[0].word).toBe(explorer.neighbors('dog', { k: 1 }).results[0].word);
  }, 60_000);

  it('counts the rows whose nearest neighbour whitening changes, as a float64 search does', async () => {
    const { values } = coneTable(recipe);
    const { rows, dims: d } = recipe;
    const nearest = (data) => {
      const unit = Float64Array.from(data);
      for (let r = 0; r < rows; r++) {
        let length = 0;
        for (let k = 0; k < d; k++) length += unit[r * d + k] ** 2;
        for (let k = 0; k < d; k++) unit[r * d + k] /= Math.sqrt(length);
      }
      return Array.from({ length: CONE_NEIGHBOUR_ROWS }, (_, r) => {
        let best = -1;
        let bestScore = -Infinity;
        for (let s = 0; s < rows; s++) {
          const score = s === r ? -Infinity : dot(unit, r, unit, s, d);
          if (score > bestScore) [best, bestScore] = [s, score];
        }
        return best;
      });
    };
    const centred = Float64Array.from(values);
    const mean = new Float64Array(d);
    for (let r = 0; r < rows; r++) for (let k = 0; k < d; k++) mean[k] += values[r * d + k] / rows;
    for (let r = 0; r < rows; r++) for (let k = 0; k < d; k++) centred[r * d + k] -= mean[k];
    const raw = nearest(values);
    const white = nearest(whitened(centred, rows, d));
    const expected = white.filter((id, r) => id !== raw[r]).length;
    const out = await figure({ kind: 'synthetic-cone', ...recipe, space: 'whitened', measure: 'neighbours-changed' });
    console.log(`cone: nearest neighbour changed by whitening for ${out.text} rows (worker), ${expected} (float64)`);
    // int8 codes can flip a near tie: a handful of rows either way.
    expect(Math.abs(out.value - expected)).toBeLessThanOrEqual(10);
    expect(out.value).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a recipe outside its limits, and the worker goes on answering', async () => {
    await expect(worker.call(Request.syntheticCone, { rows: 10 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('50 to 10,000 rows') });
    await expect(worker.call(Request.lessonMeasure, { measure: 'volume' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect((await figure({ kind: 'cosine', words: ['dog', 'cat'] })).value).toBeGreaterThan(0.5);
  });
});
