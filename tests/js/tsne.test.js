// t-SNE through the wrapper, on the real .wasm and the real 50k table:
// word groups come out as clusters (in 3D and in the plane), runs are
// seeded, sessions free their memory, bad input comes back as
// ExplorerError, and the worker's request passes perplexity and dims on.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, ExplorerError } from '../../wasm/js/explorer.js';
import { Request } from '../../web/src/compute/protocol.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';
import { GROUPS, group, words } from './word-groups.js';

let explorer;

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

// Mean share of each word's k nearest embedded neighbours in its group.
function sameGroupShare(positions, k) {
  const n = positions.length / 3;
  let share = 0;
  for (let i = 0; i < n; i++) {
    const order = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = positions[3 * i] - positions[3 * j];
      const dy = positions[3 * i + 1] - positions[3 * j + 1];
      const dz = positions[3 * i + 2] - positions[3 * j + 2];
      order.push([dx * dx + dy * dy + dz * dz, j]);
    }
    order.sort((a, b) => a[0] - b[0]);
    share += order.slice(0, k).filter(([, j]) => group[j] === group[i]).length / k;
  }
  return share / n;
}

describe('t-SNE', () => {
  it('clusters word groups', () => {
    const started = performance.now();
    const session = explorer.tsne(words, { seed: 7 });
    try {
      expect(session.size).toBe(words.length);
      expect(session.words).toEqual(words);
      const { iteration, positions } = session.step(1000);
      const seconds = (performance.now() - started) / 1000;
      expect(iteration).toBe(1000);
      expect(session.iteration).toBe(1000);
      expect(positions).toBeInstanceOf(Float32Array);
      expect(positions.length).toBe(3 * words.length);
      expect(positions.every(Number.isFinite)).toBe(true);
      const share = sameGroupShare(positions, 3);
      const counts = Object.values(GROUPS).map((t) => t.split(' ').length);
      const chance = counts.reduce((s, c) => s + (c / words.length) * ((c - 1) / (words.length - 1)), 0);
      console.log(
        `t-SNE of ${words.length} words in ${counts.length} groups, 1,000 iterations in ${seconds.toFixed(2)} s: ` +
          `same-group share of 3 nearest ${share.toFixed(3)} (chance ${chance.toFixed(3)}), KL ${session.klDivergence().toFixed(3)}`,
      );
      expect(share).toBeGreaterThan(0.7);
      expect(share).toBeGreaterThan(5 * chance);
    } finally {
      session.dispose();
    }
  });

  it('lays out in the plane z = 0 with dims 2, and still clusters', () => {
    const session = explorer.tsne(words, { seed: 7, dims: 2 });
    try {
      expect(session.dims).toBe(2);
      const { positions } = session.step(1000);
      expect(positions.length).toBe(3 * words.length);
      const zs = positions.filter((_, i) => i % 3 === 2);
      expect(zs.every((z) => Object.is(z, 0))).toBe(true);
      const spread = Math.max(...positions.filter((_, i) => i % 3 !== 2).map(Math.abs));
      expect(spread).toBeGreaterThan(1);
      const share = sameGroupShare(positions, 3);
      console.log(`t-SNE 2D of ${words.length} words: same-group share of 3 nearest ${share.toFixed(3)}`);
      expect(share).toBeGreaterThan(0.7);
    } finally {
      session.dispose();
    }
  });

  it('is seeded and progressive', () => {
    const some = words.slice(0, 120);
    const a = explorer.tsne(some, { seed: 3 });
    const b = explorer.tsne(some, { seed: 3 });
    const c = explorer.tsne(some, { seed: 4 });
    try {
      const one = a.step(200).positions;
      b.step(50);
      const two = b.step(150);
      expect(two.iteration).toBe(200);
      expect(Array.from(two.positions)).toEqual(Array.from(one));
      expect(Array.from(c.step(200).positions)).not.toEqual(Array.from(one));
      // Zero iterations: the current layout again.
      expect(Array.from(a.step(0).positions)).toEqual(Array.from(one));
    } finally {
      a.dispose();
      b.dispose();
      c.dispose();
    }
  });

  it('frees its memory on dispose, errors included', () => {
    const warm = explorer.tsne(words.slice(0, 50));
    warm.step(10);
    warm.dispose();
    const before = explorer.heapInUse();
    for (let round = 0; round < 3; round++) {
      const session = explorer.tsne(words, { seed: round });
      session.step(20);
      session.klDivergence();
      session.dispose();
      expect(() => explorer.tsne(['one'])).toThrow(ExplorerError);
      expect(() => explorer.tsne(['one', 'two'], { theta: 2 })).toThrow(ExplorerError);
    }
    expect(explorer.heapInUse()).toBe(before);
  });

  it('reports bad input as ExplorerError', () => {
    const code = (fn) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ExplorerError);
        return error.code;
      }
      return 'no error';
    };
    expect(code(() => explorer.tsne(['one', 'twoo']))).toBe('UNKNOWN_WORD');
    expect(code(() => explorer.tsne(['one']))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne([]))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(Array.from({ length: 20001 }, (_, i) => i)))).toBe('TOO_LARGE');
    expect(code(() => explorer.tsne(['one', 'two'], { dims: 4 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(['one', 'two'], { dims: '2' }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(['one', 'two'], { perplexity: 0 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(['one', 'two'], { seed: -1 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(['one', 'two'], { theta: Number.NaN }))).toBe('BAD_ARGUMENT');
    const session = explorer.tsne(['one', 'two', 'three']);
    expect(code(() => session.step(-1))).toBe('BAD_ARGUMENT');
    session.dispose();
    expect(code(() => session.step(1))).toBe('BAD_ARGUMENT');
    session.dispose(); // twice is harmless
  });
});

describe("the worker's tsne request", () => {
  let worker;
  beforeAll(async () => {
    worker = await startWorkerInNode();
    await worker.call(Request.load, { tableUrl: 'table.emb' });
  });
  afterAll(() => worker?.restore());

  it('passes perplexity and dims to the core', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => i);
    const last = async (args) => {
      let frame = null;
      const result = await worker.call(Request.tsne, { ids, iterations: 60, frameEvery: 60, ...args }, { onProgress: (f) => (frame = f) });
      expect(result).toEqual({ iteration: 60, stopped: false });
      return frame.positions;
    };
    const flat = await last({ perplexity: 8, dims: 2 });
    const session = explorer.tsne(ids, { perplexity: 8, dims: 2, seed: 1 });
    expect(Array.from(flat)).toEqual(Array.from(session.step(60).positions));
    session.dispose();
    expect(flat.filter((_, i) => i % 3 === 2).every((z) => z === 0)).toBe(true);
    // The default perplexity (30) and 3D give another layout.
    const deep = await last({});
    expect(deep.filter((_, i) => i % 3 === 2).some((z) => z !== 0)).toBe(true);
    expect(Array.from((await last({ perplexity: 8 })).filter((_, i) => i % 3 !== 2))).not.toEqual(Array.from(flat.filter((_, i) => i % 3 !== 2)));
    await expect(worker.call(Request.tsne, { ids, dims: 4 })).rejects.toMatchObject({ message: expect.stringMatching(/2 or 3 dimensions, got 4/) });
  }, 60_000);
});
