// The quantization lab on real vectors: the first 5,000 GloVe words of the
// wink package, written as .npy + vocab.txt, streamed in with keepFloats,
// then int8 and int4 measured against float32 on recall@10 and the
// questions-words analogies. The figures are printed for the README.
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { readGloveSource, sourceRows } from '../../data/build.js';
import { npyBytes } from '../fixtures/table-writers.mjs';
import { EmbeddingExplorer, ExplorerError } from '../../wasm/js/explorer.js';
import { questionsWordsPath } from './paths.js';

const ROWS = 5000;

let dir;
let explorer;
let npyPath;
let vocab;

async function openNpy(keepFloats) {
  return explorer.loadTableStream(createReadStream(npyPath, { highWaterMark: 100_003 }), {
    fileName: 'glove-5k.npy',
    format: 'npy',
    vocab,
    keepFloats,
  });
}

beforeAll(async () => {
  const source = await readGloveSource();
  dir = await mkdtemp(join(tmpdir(), 'quantization-lab-'));
  npyPath = join(dir, 'glove-5k.npy');
  await writeFile(npyPath, npyBytes('<f4', [ROWS, source.dims], sourceRows(source, ROWS)));
  const vocabText = source.words.slice(0, ROWS).join('\n') + '\n';
  await writeFile(join(dir, 'vocab.txt'), vocabText);
  vocab = { fileName: 'vocab.txt', bytes: readFileSync(join(dir, 'vocab.txt')) };
  explorer = await EmbeddingExplorer.create();
}, 60_000);

afterAll(async () => {
  explorer?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('quantization lab', () => {
  test('int8 keeps recall and analogy accuracy; int4 loses some', async () => {
    const { info } = await openNpy(true);
    expect(info.words).toBe(ROWS);
    expect(explorer.hasFloats).toBe(true);
    const questions = readFileSync(questionsWordsPath(), 'utf8');
    const progress = [];
    const lab = await explorer.quantizationLab({ questions, sample: 200, seed: 1, onProgress: (p) => progress.push(p) });
    const row = (name, v) =>
      `${name.padEnd(8)}${String(v.bytes).padStart(10)} B  ${v.queryMs.toFixed(3).padStart(8)} ms/query  ` +
      `recall@10 ${v.recallAt10.toFixed(3)}  analogies ${(100 * v.analogyAccuracy).toFixed(1)}% of ${v.analogyQuestions}`;
    console.log(
      [`quantization lab, GloVe 6B 100d, first ${ROWS} words, ${lab.sample} queries:`,
       row('float32', lab.float32), row('int8', lab.int8), row('int4', lab.int4)].join('\n'),
    );

    expect(lab.sample).toBe(200);
    const total = 200 + lab.float32.analogyQuestions;
    expect(progress.at(-1)).toEqual({ done: total, total });
    expect(progress.length).toBeGreaterThan(total / 128);
    expect(lab.float32.recallAt10).toBe(1);
    expect(lab.int8.recallAt10).toBeGreaterThanOrEqual(0.95);
    expect(lab.int4.recallAt10).toBeLessThan(lab.int8.recallAt10);
    expect(lab.float32.bytes).toBe(ROWS * 100 * 4);
    expect(lab.int8.bytes).toBe(info.memoryBytes);
    expect(lab.int4.bytes).toBe(ROWS * 50 + ROWS * 8);
    // Only questions whose four words are among the 5,000 count.
    expect(lab.float32.analogyQuestions).toBeGreaterThan(1000);
    expect(lab.analogySkipped).toBeGreaterThan(0);
    expect(lab.float32.analogyAccuracy).toBeGreaterThan(0.4);
    expect(Math.abs(lab.float32.analogyAccuracy - lab.int8.analogyAccuracy)).toBeLessThanOrEqual(0.02);
    expect(lab.int4.analogyAccuracy).toBeLessThan(lab.float32.analogyAccuracy);

    // The int8 figure is the explorer's own evaluation, done in the raw space.
    const evaluation = await explorer.evaluateAnalogies(questions);
    expect(evaluation.total.count).toBe(lab.int8.analogyQuestions);
    expect(evaluation.total.correct).toBe(lab.int8.analogyCorrect);
  }, 120_000);

  test('needs a table opened with keepFloats, and forgets the copy when another table loads', async () => {
    await openNpy(true);
    const lab = await explorer.quantizationLab({ sample: 20 });
    expect(lab.int8.analogyAccuracy).toBeNull();
    await expect(explorer.quantizationLab({ sample: 0 })).rejects.toThrow(/sample/);
    await expect(explorer.quantizationLab({ seed: -1 })).rejects.toThrow(/seed/);
    await expect(explorer.quantizationLab({ questions: 'no sections here\n' })).rejects.toThrow(/section/);

    await openNpy(false);
    expect(explorer.hasFloats).toBe(false);
    const error = await explorer.quantizationLab().catch((e) => e);
    expect(error).toBeInstanceOf(ExplorerError);
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toMatch(/keepFloats/);
  }, 60_000);

  test('a failed load keeps the previous copy and table', async () => {
    await openNpy(true);
    const before = await explorer.quantizationLab({ sample: 50 });
    const bad = { fileName: 'vocab.txt', bytes: new TextEncoder().encode('just\ntwo\n') };
    await expect(
      explorer.loadTableStream(createReadStream(npyPath), { fileName: 'glove-5k.npy', format: 'npy', vocab: bad, keepFloats: true }),
    ).rejects.toMatchObject({ code: 'BAD_DATA', message: expect.stringMatching(/5000 rows.*vocab\.txt has 2 tokens/) });
    const after = await explorer.quantizationLab({ sample: 50 });
    expect(after.int8.recallAt10).toBe(before.int8.recallAt10);
  }, 60_000);

  test('can be cancelled, and frees what it held', async () => {
    await openNpy(true);
    const questions = readFileSync(questionsWordsPath(), 'utf8');
    await explorer.quantizationLab({ sample: 5 }); // warm-up, so the heap below is steady
    const heap = explorer.heapInUse();
    const controller = new AbortController();
    const run = explorer.quantizationLab({
      questions,
      sample: 100,
      signal: controller.signal,
      onProgress: ({ done }) => done >= 48 && controller.abort(new ExplorerError('stop', { code: 'CANCELLED' })),
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(explorer.heapInUse()).toBe(heap);
  }, 60_000);
});
