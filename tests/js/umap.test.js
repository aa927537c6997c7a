// UMAP through the wrapper and the CLI, on the real .wasm and the real 50k
// table: word groups come out as clusters (the same check t-SNE has), runs
// are seeded and progressive, 2D works, and bad input comes back as
// ExplorerError.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, ExplorerError } from '../../wasm/js/explorer.js';
import { runCli } from './helpers.js';
import { defaultTable } from './paths.js';
import { GROUPS, group, words } from './word-groups.js';
import { referenceFaithfulness, unitRows } from './faithfulness-reference.js';

let explorer;

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

// Mean share of each word's k nearest laid-out neighbours in its group.
function sameGroupShare(positions, dims, k) {
  const n = positions.length / dims;
  let share = 0;
  for (let i = 0; i < n; i++) {
    const order = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let c = 0; c < dims; c++) d2 += (positions[dims * i + c] - positions[dims * j + c]) ** 2;
      order.push([d2, j]);
    }
    order.sort((a, b) => a[0] - b[0]);
    share += order.slice(0, k).filter(([, j]) => group[j] === group[i]).length / k;
  }
  return share / n;
}

const counts = Object.values(GROUPS).map((t) => t.split(' ').length);
const chance = counts.reduce((s, c) => s + (c / words.length) * ((c - 1) / (words.length - 1)), 0);

const code = (action) => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ExplorerError);
    return error.code;
  }
  return 'no error';
};

describe('UMAP', () => {
  for (const dims of [3, 2]) {
    it(`clusters word groups in ${dims}D`, () => {
      const started = performance.now();
      const session = explorer.umap(words, { dims, seed: 0 });
      try {
        expect(session.size).toBe(words.length);
        expect(session.words).toEqual(words);
        expect(session.epochs).toBe(500);
        const { epoch, epochs, positions } = session.step(100000);
        const seconds = (performance.now() - started) / 1000;
        expect(epoch).toBe(500);
        expect(epochs).toBe(500);
        expect(session.done).toBe(true);
        expect(positions).toBeInstanceOf(Float32Array);
        expect(positions.length).toBe(dims * words.length);
        expect(positions.every(Number.isFinite)).toBe(true);
        const share = sameGroupShare(positions, dims, 3);
        console.log(
          `UMAP ${dims}D of ${words.length} words in ${counts.length} groups, 500 epochs in ${seconds.toFixed(2)} s: ` +
            `same-group share of 3 nearest ${share.toFixed(3)} (chance ${chance.toFixed(3)})`,
        );
        expect(share).toBeGreaterThan(0.7);
        expect(share).toBeGreaterThan(5 * chance);
      } finally {
        session.dispose();
      }
    });
  }

  it('is seeded and progressive', async () => {
    const some = words.slice(0, 150);
    const direct = explorer.umap(some, { seed: 3, neighbors: 10, minDist: 0.2 });
    let reports = 0;
    const stepped = await explorer.startUmap(some, { seed: 3, neighbors: 10, minDist: 0.2, onProgress: () => reports++ });
    const other = explorer.umap(some, { seed: 4, neighbors: 10, minDist: 0.2 });
    try {
      expect(reports).toBeGreaterThan(0);
      expect(stepped.positions().length).toBe(3 * some.length); // the start layout, before any epoch
      const whole = direct.step(100000).positions;
      for (const e of [1, 9, 90, 400]) stepped.step(e);
      expect(stepped.epoch).toBe(500);
      expect(stepped.step(10).epoch).toBe(500); // never past the last epoch
      expect(stepped.positions()).toEqual(whole);
      expect(other.step(100000).positions).not.toEqual(whole);
    } finally {
      direct.dispose();
      stepped.dispose();
      other.dispose();
    }
  });

  it('can be cancelled while its graph is computed', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(explorer.startUmap(words, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects bad input with a named error', () => {
    const before = explorer.neighbors('king', { k: 3 }).results.map((r) => r.word);
    expect(code(() => explorer.umap(['one', 'twoo', 'three']))).toBe('UNKNOWN_WORD');
    expect(code(() => explorer.umap(['one', 'two']))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.umap([]))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.umap(words, { neighbors: 1 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.umap(words.slice(0, 10), { neighbors: 15 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.umap(words, { minDist: -0.5 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.umap(words, { dims: 4 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.umap(words, { seed: -1 }))).toBe('BAD_ARGUMENT');
    expect(() => explorer.umap(words.slice(0, 10), { neighbors: 15 })).toThrow(/n_neighbors \(15\) is more than the 10 points/);
    const session = explorer.umap(['one', 'two', 'three'], { neighbors: 2 });
    session.step(5);
    session.dispose();
    expect(code(() => session.step(1))).toBe('BAD_ARGUMENT');
    // The explorer still answers after the failures.
    expect(explorer.neighbors('king', { k: 3 }).results.map((r) => r.word)).toEqual(before);
  });
});

describe('cli umap', () => {
  it('writes a seeded TSV layout', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'umap-cli-'));
    try {
      const out = join(folder, 'layout.tsv');
      const args = ['umap', '--words', '300', '--dims', '2', '--neighbors', '10', '--min-dist', '0.1', '--seed', '0', '--out', out];
      const first = await runCli(...args);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/UMAP of the 300 most frequent words into 2D/);
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      expect(lines.length).toBe(300);
      expect(lines[0].split('\t')).toHaveLength(3);
      expect(lines[0].split('\t')[0]).toBe('the');
      expect(lines.every((line) => line.split('\t').slice(1).every((v) => Number.isFinite(Number(v))))).toBe(true);
      const again = await runCli(...args);
      expect(again.code).toBe(0);
      expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toEqual(lines);
      // --check: how faithful the layout is, the same figures as an independent float32 computation.
      const checked = await runCli('umap', '--words', '300', '--dims', '2', '--neighbors', '10', '--seed', '0', '--check', '--json');
      expect(checked.code).toBe(0);
      const { check, positions } = JSON.parse(checked.stdout);
      const ids = Array.from({ length: 300 }, (_, i) => i);
      const { units, dims } = unitRows(explorer, ids);
      const reference = referenceFaithfulness(units, dims, Float32Array.from(positions), 2, 10);
      console.log(`cli umap --check, 300 words in 2D: neighbour preservation ${check.neighbourPreservation.toFixed(4)} (reference ${reference.mean.toFixed(4)}), trustworthiness ${check.trustworthiness.toFixed(4)} (reference ${reference.trustworthiness.toFixed(4)})`);
      expect(check.neighbourPreservation).toBeCloseTo(reference.mean, 2);
      expect(check.trustworthiness).toBeCloseTo(reference.trustworthiness, 2);
      const unprintable = await runCli('umap', '--words', '300', '--check');
      expect(unprintable.code).toBe(2);
      expect(unprintable.stderr).toMatch(/--check prints its figures with --out FILE or --json/);
      const bad = await runCli('umap', '--words', '300', '--dims', '4');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/--dims must be 2 or 3/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
