// The batched k-NN graph and the faithfulness measures through the wrapper
// and through the compute worker's `knn` and `faithfulness` requests, on
// the real .wasm and the real 50k table, against float32 references
// written here.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, ErrorCode, ExplorerError } from '../../wasm/js/explorer.js';
import { Request } from '../../web/src/compute/protocol.js';
import { runCli } from './helpers.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

/** Unit float32 rows of the listed ids, from the table's own vectors. */
function unitRows(ex, ids) {
  const first = ex.core.vector(ids[0]);
  const dims = first.length;
  const out = new Float32Array(ids.length * dims);
  ids.forEach((id, i) => {
    const v = ex.core.vector(id);
    let n = 0;
    for (let d = 0; d < dims; d++) n += v[d] * v[d];
    const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let d = 0; d < dims; d++) out[i * dims + d] = v[d] * inv;
  });
  return { units: out, dims };
}

/** Every other position by decreasing similarity, ties to the smaller position. */
function order(n, similarity) {
  const all = [];
  for (let i = 0; i < n; i++) {
    const others = [];
    for (let j = 0; j < n; j++) if (j !== i) others.push([similarity(i, j), j]);
    others.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    all.push(others.map((o) => o[1]));
  }
  return all;
}

/** sklearn.manifold.trustworthiness and neighbour recall, written out (cosine = Euclidean order of unit rows). */
function referenceFaithfulness(units, dims, positions, layoutDims, k) {
  const n = positions.length / layoutDims;
  const dot = (i, j) => {
    let s = 0;
    for (let d = 0; d < dims; d++) s += units[i * dims + d] * units[j * dims + d];
    return Math.fround(s);
  };
  const full = order(n, dot);
  const layout = order(n, (i, j) => {
    let s = 0;
    for (let d = 0; d < layoutDims; d++) s += (positions[i * layoutDims + d] - positions[j * layoutDims + d]) ** 2;
    return -s;
  });
  let excess = 0;
  const recall = [];
  for (let i = 0; i < n; i++) {
    const rank = new Map(full[i].map((j, r) => [j, r + 1]));
    let shared = 0;
    for (const j of layout[i].slice(0, k)) {
      if (rank.get(j) <= k) shared++;
      else excess += rank.get(j) - k;
    }
    recall.push(shared / k);
  }
  return { recall, trustworthiness: 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * excess };
}

let ex;
beforeAll(async () => {
  ex = await EmbeddingExplorer.create();
  ex.load(readFileSync(defaultTable));
});
afterAll(() => ex?.dispose());

describe('knnGraph', () => {
  it('finds the 10 nearest of the 10,000 most frequent words with recall >= 0.99 against float32', async () => {
    const ids = Array.from({ length: 10000 }, (_, i) => i);
    const progress = [];
    const graph = await ex.knnGraph(ids, { k: 10, onProgress: (p) => progress.push(p) });
    console.log(`k-NN 10k x 10k, k = 10, through the wrapper: ${graph.seconds.toFixed(3)} s`);
    expect(graph.neighbors).toBeInstanceOf(Uint32Array);
    expect(graph.neighbors.length).toBe(100000);
    expect(graph.cosines.length).toBe(100000);
    expect(progress.at(-1)).toEqual({ done: 10000, total: 10000 });
    for (let p = 1; p < progress.length; p++) expect(progress[p].done).toBeGreaterThanOrEqual(progress[p - 1].done);
    // Float32 brute force on 400 evenly spaced rows.
    const { units, dims } = unitRows(ex, ids);
    let hits = 0;
    const rows = 400;
    for (let s = 0; s < rows; s++) {
      const i = Math.floor(((s + 0.5) * ids.length) / rows);
      const scores = [];
      for (let j = 0; j < ids.length; j++) {
        if (j === i) continue;
        let dot = 0;
        for (let d = 0; d < dims; d++) dot += units[i * dims + d] * units[j * dims + d];
        scores.push([dot, j]);
      }
      scores.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      const found = new Set(graph.neighbors.subarray(i * 10, i * 10 + 10));
      for (let c = 0; c < 10; c++) if (found.has(scores[c][1])) hits++;
      expect(graph.cosines[i * 10]).toBeCloseTo(scores[0][0], 4);
    }
    const recall = hits / (rows * 10);
    console.log(`k-NN recall@10 against float32 on ${rows} rows: ${recall.toFixed(4)}`);
    expect(recall).toBeGreaterThanOrEqual(0.99);
    // Words, positions and the ids list line up: king's neighbours include queen.
    const king = ex.id('king');
    const neighbours = Array.from(graph.neighbors.subarray(king * 10, king * 10 + 10), (p) => ex.words[graph.ids[p]]);
    expect(neighbours).toContain('queen');
  });

  it('takes words and ids, names bad input, and stops on an aborted signal', async () => {
    const small = await ex.knnGraph(['king', 'queen', 'man', 'woman', 'prince'], { k: 2 });
    expect(Array.from(small.neighbors.subarray(0, 2)).map((p) => ['king', 'queen', 'man', 'woman', 'prince'][p])).toContain('queen');
    await expect(ex.knnGraph([1, 2, 3], { k: 3 })).rejects.toMatchObject({ code: ErrorCode.BAD_ARGUMENT, message: expect.stringContaining('k must be between 1 and 2') });
    await expect(ex.knnGraph([1, 2, 2], { k: 1 })).rejects.toThrow('row id 2 is listed more than once');
    await expect(ex.knnGraph([1, -2], { k: 1 })).rejects.toThrow('id -2 at position 1 is not a whole number');
    await expect(ex.knnGraph([1, 60000], { k: 1 })).rejects.toThrow('outside the table (50000 rows)');
    await expect(ex.knnGraph(['king', 'notaword123'], { k: 1 })).rejects.toBeInstanceOf(ExplorerError);
    const controller = new AbortController();
    const run = ex.knnGraph(Array.from({ length: 50000 }, (_, i) => i), {
      k: 10,
      signal: controller.signal,
      onProgress: ({ done }) => done > 0 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    // The explorer still works after the cancelled run.
    expect((await ex.knnGraph([5, 6, 7], { k: 1 })).neighbors.length).toBe(3);
  });
});

describe('faithfulness', () => {
  it('matches a float32 reference for a PCA layout and scores a random one near 0.5', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => 100 + i);
    const { coordinates } = ex.project(ids, { method: 'pca' });
    expect(coordinates.length).toBe(1800);
    const report = await ex.faithfulness(ids, coordinates, { k: 10 });
    const { units, dims } = unitRows(ex, ids);
    const want = referenceFaithfulness(units, dims, coordinates, 3, 10);
    console.log(`PCA of 600 words: neighbour recall ${report.meanNeighborRecall.toFixed(4)}, trustworthiness ${report.trustworthiness.toFixed(5)}`);
    expect(report.dims).toBe(3);
    // The reference sums in double, the core in float32: pairs whose cosines
    // agree to ~1e-7 may swap, each swap moving trustworthiness by < 3e-7.
    const differing = want.recall.filter((r, i) => Math.fround(r) !== report.neighborRecall[i]).length;
    expect(differing).toBeLessThanOrEqual(3);
    expect(Math.abs(report.trustworthiness - want.trustworthiness)).toBeLessThan(5e-6);
    expect(report.neighbors.length).toBe(6000);

    let seed = 7;
    const random = Float32Array.from({ length: 1200 }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5);
    const scrambled = await ex.faithfulness(ids, random, { k: 10 });
    expect(scrambled.dims).toBe(2);
    expect(Math.abs(scrambled.trustworthiness - referenceFaithfulness(units, dims, random, 2, 10).trustworthiness)).toBeLessThan(5e-6);
    expect(scrambled.trustworthiness).toBeLessThan(report.trustworthiness);
    expect(Math.abs(scrambled.trustworthiness - 0.5)).toBeLessThan(0.08);
  });

  it('names a layout that does not fit the list', async () => {
    await expect(ex.faithfulness([1, 2, 3, 4, 5], new Float32Array(7))).rejects.toThrow('7 coordinates for 5 points');
    await expect(ex.faithfulness([1, 2, 3, 4, 5], new Float32Array(10), { k: 3 })).rejects.toThrow('5 points allow k <= 2');
  });
});

describe('cli knn', () => {
  it('prints the time and, with --check, the recall against float32', async () => {
    const { code, stdout } = await runCli('knn', '--words', '1500', '-k', '5', '--check', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ words: 1500, k: 5, space: 'raw', checkedRows: 1000 });
    expect(out.recall).toBeGreaterThanOrEqual(0.99);
    expect(out.seconds).toBeGreaterThan(0);
    const bad = await runCli('knn', '--words', '1');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--words must be a whole number from 2 to 50000');
  });
});

describe('worker requests', () => {
  let worker; // { send, call, control, restore }
  const send = (...args) => worker.send(...args);
  const call = (...args) => worker.call(...args);

  beforeAll(async () => {
    worker = await startWorkerInNode();
    expect((await call(Request.load, { tableUrl: 'table.emb' })).words).toBe(50000);
  });
  afterAll(() => worker?.restore());

  it('knn runs in the background with progress while queries are answered', async () => {
    const progress = [];
    const ids = Array.from({ length: 5000 }, (_, i) => i);
    const job = call(Request.knn, { ids, k: 10 }, { onProgress: (p) => progress.push(p) });
    const query = await call(Request.query, { kind: 'neighbors', word: 'frog' });
    expect(query.results.length).toBe(10);
    const graph = await job;
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ done: 5000, total: 5000 });
    expect(graph.neighbors.length).toBe(50000);
    expect(graph.k).toBe(10);
    const direct = await ex.knnGraph(ids, { k: 10 });
    expect(Array.from(graph.neighbors)).toEqual(Array.from(direct.neighbors));
  });

  it('an aborted knn stops with CANCELLED and a bad one names the problem', async () => {
    const [id, job] = send(Request.knn, { ids: Array.from({ length: 50000 }, (_, i) => i), k: 10 }, {
      onProgress: () => worker.control(id, 'abort'),
    });
    await expect(job).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    await expect(call(Request.knn, { ids: [1, 2], k: 5 })).rejects.toMatchObject({ code: ErrorCode.BAD_ARGUMENT });
  });

  it('faithfulness answers with the same figures as the wrapper', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => i);
    const { coordinates } = ex.project(ids, { method: 'pca' });
    const progress = [];
    const report = await call(Request.faithfulness, { ids, positions: coordinates, k: 10 }, { onProgress: (p) => progress.push(p) });
    const direct = await ex.faithfulness(ids, coordinates, { k: 10 });
    expect(report.trustworthiness).toBe(direct.trustworthiness);
    expect(Array.from(report.neighborRecall)).toEqual(Array.from(direct.neighborRecall));
    expect(progress.at(-1)).toEqual({ done: 300, total: 300 });
  });
});
