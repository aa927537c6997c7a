// The PCA component picker through the wrapper: explorer.project(words,
// { method: 'pca', components }) against a PCA computed here from the
// float32 GloVe source (power iteration with deflation on the covariance
// of the centred unit vectors), and the CLI's project --components.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGloveSource, sourceRows } from '../../data/build.js';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { catchError, runCli } from './helpers.js';
import { defaultTable } from './paths.js';

const DIMS = 100;
const SHOWN = 400; // the most frequent words, as the page draws them
let explorer;
let words;
let reference; // { components: Float64Array[], shares: number[], centred: Float64Array[] }

/** Float reference PCA of `rows` (float32 unit vectors): the top `count` components, largest coordinate positive. */
function referencePca(rows, count) {
  const n = rows.length;
  const mean = new Float64Array(DIMS);
  for (const row of rows) for (let d = 0; d < DIMS; d++) mean[d] += row[d] / n;
  const centred = rows.map((row) => Float64Array.from(row, (v, d) => v - mean[d]));
  const cov = new Float64Array(DIMS * DIMS);
  for (const p of centred) for (let i = 0; i < DIMS; i++) for (let j = 0; j < DIMS; j++) cov[i * DIMS + j] += (p[i] * p[j]) / n;
  let trace = 0;
  for (let i = 0; i < DIMS; i++) trace += cov[i * DIMS + i];
  const components = [];
  const shares = [];
  for (let c = 0; c < count; c++) {
    let v = new Float64Array(DIMS).fill(1);
    let lambda = 0;
    for (let iteration = 0; iteration < 5000; iteration++) {
      const next = new Float64Array(DIMS);
      for (let i = 0; i < DIMS; i++) for (let j = 0; j < DIMS; j++) next[i] += cov[i * DIMS + j] * v[j];
      lambda = Math.hypot(...next);
      v = next.map((x) => x / lambda);
    }
    let at = 0;
    for (let i = 1; i < DIMS; i++) if (Math.abs(v[i]) > Math.abs(v[at])) at = i;
    if (v[at] < 0) v = v.map((x) => -x);
    for (let i = 0; i < DIMS; i++) for (let j = 0; j < DIMS; j++) cov[i * DIMS + j] -= lambda * v[i] * v[j];
    components.push(v);
    shares.push(lambda / trace);
  }
  return { components, shares, centred };
}

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  const source = await readGloveSource();
  words = source.words.slice(0, SHOWN);
  const flat = sourceRows(source, SHOWN);
  const rows = words.map((_, r) => {
    const row = flat.slice(r * DIMS, (r + 1) * DIMS);
    const norm = Math.hypot(...row);
    return row.map((v) => v / norm);
  });
  reference = referencePca(rows, 10);
});

describe('PCA component picker', () => {
  it('lists the top 10 components with the variance each explains, as the float32 reference', () => {
    const { componentsExplained, explained } = explorer.project(words, { method: 'pca' });
    expect(componentsExplained.length).toBe(10);
    const worst = Math.max(...reference.shares.map((share, c) => Math.abs(componentsExplained[c] - share)));
    console.log(`top 10 shares (core): ${Array.from(componentsExplained, (s) => (100 * s).toFixed(2)).join(' ')} %; largest difference from float32: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(2e-3);
    expect(Array.from(explained)).toEqual(Array.from(componentsExplained.subarray(0, 3)));
  });

  it('lays the words out on PC1, PC5 and PC8 as the reference does', () => {
    const chosen = [0, 4, 7];
    const { coordinates, explained } = explorer.project(words, { method: 'pca', components: chosen });
    let worst = 0;
    for (let i = 0; i < words.length; i++) {
      chosen.forEach((c, axis) => {
        const expected = reference.centred[i].reduce((sum, v, d) => sum + v * reference.components[c][d], 0);
        worst = Math.max(worst, Math.abs(coordinates[3 * i + axis] - expected));
      });
    }
    console.log(`PC1/PC5/PC8 coordinates of ${SHOWN} words: largest difference from float32 ${worst.toFixed(4)}`);
    expect(worst).toBeLessThan(0.02);
    chosen.forEach((c, axis) => expect(explained[axis]).toBeCloseTo(reference.shares[c], 2));
  });

  it('rejects components outside the top 10 with the reason, and keeps answering', () => {
    expect(catchError(() => explorer.project(words, { method: 'pca', components: [0, 1, 10] })).message).toMatch(/PC11.*PC1 to PC10/);
    expect(catchError(() => explorer.project(words, { method: 'pca', components: [0, 1] })).message).toMatch(/three principal component/);
    expect(catchError(() => explorer.project(words, { method: 'pca', components: [3, 1, 3] })).message).toMatch(/three different principal components \(got PC4, PC2, PC4\)/);
    expect(catchError(() => explorer.project(words, { method: 'pca-table', components: [0, -1, 2] })).message).toMatch(/three principal component/);
    expect(explorer.project(words, { method: 'pca-table', components: [9, 8, 7] }).coordinates.length).toBe(3 * SHOWN);
  });

  it('cli project --components prints the shares and the chosen axes', async () => {
    const { code, stdout, stderr } = await runCli('project', '--words', String(SHOWN), '--components', '1,5,8', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.components.map((c) => c.component)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    out.components.forEach((c, i) => expect(c.explained).toBeCloseTo(reference.shares[i], 2));
    expect(out.axes.map((a) => a.component)).toEqual([1, 5, 8]);
    const direct = explorer.project(words, { method: 'pca', components: [0, 4, 7] }).coordinates;
    expect(out.words[7].word).toBe(words[7]);
    out.words[7].coordinates.forEach((v, axis) => expect(v).toBeCloseTo(direct[21 + axis], 5));
    const bad = await runCli('project', '--components', '1,5,11');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--components needs three principal components from 1 to 10/);
    console.log((await runCli('project', 'king', 'queen', 'man', 'woman', 'paris', 'france', '--components', '1,5,8')).stdout);
  });
});

describe('pcs in the page state', () => {
  it('keeps three different components from 1 to 10 and corrects anything else with a note', async () => {
    const { normalizeView, layoutOptions } = await import('../../web/src/ui/view-state.js');
    const { view, notes } = normalizeView({ pcs: ' 1, 5 ,8' });
    expect(view.pcs).toBe('1,5,8');
    expect(notes).toEqual([]);
    expect(layoutOptions(view).components).toEqual([0, 4, 7]);
    expect(layoutOptions({ ...view, proj: 'pca-table' }).components).toEqual([0, 4, 7]);
    expect(layoutOptions({ ...view, proj: 'tsne' }).components).toBeUndefined();
    for (const [bad, reason] of [
      ['1,2', /needs three components/],
      ['1,2,11', /whole number from 1 to 10/],
      ['0,2,3', /whole number from 1 to 10/],
      ['1,2.5,3', /whole number from 1 to 10/],
      ['4,2,4', /three different components/],
    ]) {
      const corrected = normalizeView({ pcs: bad });
      expect(corrected.view.pcs, bad).toBe('1,2,3');
      expect(corrected.notes.join(' '), bad).toMatch(reason);
      expect(corrected.notes.join(' ')).toContain(`pcs="${bad}"`);
    }
  });
});
