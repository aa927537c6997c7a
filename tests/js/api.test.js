// The wrapper's domain calls that the page, the worker and the CLI share:
// figures and benchmarks in a given space without switching the current
// one, both analogy methods with the expected word's rank, evaluation
// across spaces in steps with queries answered between them, one list of
// error codes, camelCase keys.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, ErrorCode, ExplorerError } from '../../wasm/js/explorer.js';
import { catchError } from './helpers.js';
import { defaultTable, questionsWordsPath, repoRoot } from './paths.js';

let explorer;
const builtin = readFileSync(`${repoRoot}/data/analogies-builtin.txt`, 'utf8');

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

describe('figures in a given space', () => {
  it('stats({space}) matches switching to that space, and leaves the current space alone', () => {
    explorer.setSpace('centered');
    const given = explorer.stats({ space: 'whitened' });
    expect(explorer.space).toBe('centered');
    explorer.setSpace('whitened');
    const switched = explorer.stats();
    explorer.setSpace('raw');
    expect(given).toEqual(switched);
    expect(given.space).toBe('whitened');
    // One vocabulary across the boundary: camelCase only.
    for (const key of Object.keys(given)) expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(Math.abs(given.meanPairCosine)).toBeLessThan(0.01);
  });

  it('anisotropy(space) gives figures, pair cosines and the spectrum of that space only', () => {
    const report = explorer.anisotropy('abtt:3', { sample: 300 });
    expect(explorer.space).toBe('raw');
    expect(report.space).toBe('abtt:3');
    expect(report.cosines.length).toBe((300 * 299) / 2);
    expect(report.spectrum.length).toBe(100);
    const raw = explorer.anisotropy('raw', { sample: 300 });
    expect(raw.stats.meanPairCosine).toBeGreaterThan(report.stats.meanPairCosine);
    expect(() => explorer.stats({ space: 'bogus' })).toThrow(ExplorerError);
    expect(explorer.space).toBe('raw');
  });
});

describe('analogy with compare', () => {
  it("gives the other method's answers and its rank of the expected word", () => {
    const out = explorer.analogy('man', 'king', 'woman', { k: 5, expected: 'queen', compare: true });
    expect(out.method).toBe('3cosadd');
    expect(out.results[0].word).toBe('queen');
    expect(out.expected).toMatchObject({ word: 'queen', rank: 1 });
    expect(out.inputs).toEqual(['man', 'king', 'woman'].map((w) => explorer.find(w)));
    const mul = explorer.analogy('man', 'king', 'woman', { k: 5, method: '3cosmul' });
    expect(out.other.method).toBe('3cosmul');
    expect(out.other.results).toEqual(mul.results);
    expect(out.other.expected).toEqual(explorer.rank('man', 'king', 'woman', 'queen', { method: '3cosmul' }));
    expect(explorer.analogy('man', 'king', 'woman').other).toBeUndefined();
  });

  it('expression and neighbors name their input ids', () => {
    expect(explorer.expression('king - man + woman', { k: 3 }).inputs).toEqual(['king', 'man', 'woman'].map((w) => explorer.find(w)));
    expect(explorer.neighbors('frog', { k: 3 }).inputs).toEqual([explorer.find('frog')]);
  });
});

describe('evaluation across spaces, in steps', () => {
  it('scores each space as evaluating it alone would, answering queries between steps in the current space', async () => {
    explorer.setSpace('raw');
    const frogBefore = explorer.neighbors('frog', { k: 5 }).results;
    const pairs = 'man woman 7\nking queen 8\ncat dog 7\ncar banana 1\nparis france 8\ntree table 2\n';
    let turns = 0;
    const stepsMs = [];
    let last = performance.now();
    const progress = [];
    const rows = await explorer.evaluateAcrossSpaces({
      analogies: builtin,
      pairs,
      spaces: ['raw', 'centered', 'whitened', 'abtt:3'],
      onProgress: (p) => progress.push(p),
      between: async () => {
        stepsMs.push(performance.now() - last);
        turns++;
        // A query between steps sees the learner's space, not the one evaluated.
        expect(explorer.space).toBe('raw');
        expect(explorer.neighbors('frog', { k: 5 }).results).toEqual(frogBefore);
        await new Promise((resolve) => setImmediate(resolve));
        last = performance.now();
      },
    });
    stepsMs.sort((a, b) => a - b);
    console.log(
      `compare spaces (built-in set, 4 spaces): ${turns} steps, step median ${stepsMs[stepsMs.length >> 1].toFixed(1)} ms, max ${stepsMs.at(-1).toFixed(1)} ms`,
    );
    expect(turns).toBeGreaterThan(8);
    expect(explorer.space).toBe('raw');
    expect(rows.map((r) => r.space)).toEqual(['raw', 'centered', 'whitened', 'abtt:3']);
    expect(progress.some((p) => p.space === 'whitened' && p.index === 2 && p.spaces === 4)).toBe(true);
    for (const row of rows) {
      const alone = await explorer.evaluateAnalogies(builtin, { space: row.space });
      expect(row.analogies.total).toEqual(alone.total);
      expect(row.analogies.space).toBe(row.space);
      expect(row.pairs).toEqual(explorer.evaluatePairs(pairs, { space: row.space }));
    }
  }, 120_000);

  it('a cancelled evaluation fails with CANCELLED (the one spelling) and keeps nothing', async () => {
    const controller = new AbortController();
    const run = explorer.evaluateAnalogies(readFileSync(questionsWordsPath(), 'utf8'), {
      signal: controller.signal,
      onProgress: ({ done }) => done > 100 && controller.abort(),
    });
    const error = await run.catch((e) => e);
    expect(error).toBeInstanceOf(ExplorerError);
    expect(error.code).toBe(ErrorCode.CANCELLED);
    expect(Object.values(ErrorCode)).not.toContain('ABORTED');
  });

  it('bad input names the problem', async () => {
    await expect(explorer.evaluateAcrossSpaces({ spaces: ['raw'] })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(explorer.evaluateAcrossSpaces({ analogies: builtin, spaces: ['raw', 'sideways'] })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining('sideways'),
    });
    expect(explorer.space).toBe('raw');
  });
});

describe('error codes', () => {
  it('every code the wrapper throws is in the exported list', () => {
    const codes = new Set(Object.values(ErrorCode));
    const errors = [
      catchError(() => explorer.neighbors('quen')),
      catchError(() => explorer.neighbors('king', { k: 0 })),
      catchError(() => explorer.oddOneOut(['a'])),
      catchError(() => explorer.expression('')),
    ];
    for (const error of errors) expect(codes).toContain(error.code);
  });
});

describe('t-SNE started in steps', () => {
  it('gives the same layout as a one-go start, and stops on abort', async () => {
    const words = explorer.words.slice(0, 400);
    let reports = 0;
    const stepped = await explorer.startTsne(words, { seed: 3, onProgress: () => reports++ });
    const direct = explorer.tsne(words, { seed: 3 });
    try {
      expect(reports).toBeGreaterThan(1);
      expect(stepped.step(30).positions).toEqual(direct.step(30).positions);
    } finally {
      stepped.dispose();
      direct.dispose();
    }
    const controller = new AbortController();
    controller.abort();
    await expect(explorer.startTsne(words, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
