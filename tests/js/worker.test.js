// The compute worker's protocol, run in Node: the worker module gets a
// stand-in for its global scope and for fetch, and these tests play the
// page. Covers the handler table's modes (queued, background, control),
// the job registry (cancel, abort, replace, pause), errors built one way,
// and queries answered while a long job runs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, Request } from '../../web/src/compute/protocol.js';
import { repoRoot } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

const builtin = readFileSync(`${repoRoot}/data/analogies-builtin.txt`, 'utf8');
let worker; // { send, call, control, restore }
const send = (...args) => worker.send(...args);
const call = (...args) => worker.call(...args);
const control = (...args) => worker.control(...args);

beforeAll(async () => {
  worker = await startWorkerInNode();
  const info = await call(Request.load, { tableUrl: 'table.emb' });
  expect(info.words).toBe(50000);
});
afterAll(() => worker?.restore());

describe('queued calls', () => {
  it('answer queries with both analogy methods, readable words and input ids', async () => {
    const out = await call(Request.query, { kind: 'analogy', a: 'man', b: 'king', c: 'woman', k: 5, expected: 'queen' });
    expect(out.results[0]).toMatchObject({ word: 'queen', display: 'queen' });
    expect(out.expected.rank).toBe(1);
    expect(out.other.method).toBe('3cosmul');
    expect(out.other.results[0].display).toBe('queen');
    expect(out.other.expected.word).toBe('queen');
    expect(out.inputs).toHaveLength(3);
    const expression = await call(Request.query, { kind: 'expression', text: 'king - man + woman', k: 3 });
    expect(expression.inputs).toHaveLength(3);
    expect(await call(Request.wordIds, { words: ['king', 'notaword123'] })).toEqual([expression.inputs[0], -1]);
  });

  it('a cancelled call that has not started is dropped; the next one runs', async () => {
    const [first, dropped] = send(Request.query, { kind: 'neighbors', word: 'frog' });
    const kept = call(Request.query, { kind: 'neighbors', word: 'toad' });
    control(first, 'cancel');
    await expect(dropped).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    expect((await kept).results.length).toBe(10);
  });

  it('errors carry a code from the one list, with the word and suggestions', async () => {
    const error = await call(Request.query, { kind: 'neighbors', word: 'quen' }).catch((e) => e);
    expect(error).toMatchObject({ code: ErrorCode.UNKNOWN_WORD, word: 'quen' });
    expect(error.suggestions).toContain('queen');
    const unknown = await call('neighbours', {}).catch((e) => e);
    expect(unknown).toMatchObject({ code: ErrorCode.BAD_ARGUMENT, message: expect.stringContaining('neighbours') });
    for (const e of [error, unknown]) expect(Object.values(ErrorCode)).toContain(e.code);
  });

  it('anisotropy of another space leaves the current space as it was', async () => {
    expect(await call(Request.setSpace, { space: 'centered' })).toBe('centered');
    const before = await call(Request.query, { kind: 'neighbors', word: 'frog', k: 5 });
    const report = await call(Request.anisotropy, { space: 'whitened', sample: 200 });
    expect(report.space).toBe('whitened');
    expect(report.raw.stats.meanPairCosine).toBeGreaterThan(report.transformed.stats.meanPairCosine);
    expect(await call(Request.query, { kind: 'neighbors', word: 'frog', k: 5 })).toEqual(before);
    await call(Request.setSpace, { space: 'raw' });
  });
});

describe('background jobs', () => {
  it('compare spaces runs in steps and queries are answered before it ends', async () => {
    let finished = false;
    const progress = [];
    const rows = call(Request.acrossSpaces, { analogies: builtin, spaces: ['raw', 'centered', 'whitened', 'abtt:3'] }, { onProgress: (p) => progress.push(p) });
    rows.then(() => (finished = true));
    const times = [];
    const words = ['king', 'paris', 'frog', 'music', 'river'];
    while (!finished) {
      const started = performance.now();
      const out = await call(Request.query, { kind: 'neighbors', word: words[times.length % 5], k: 10 });
      if (!finished) times.push(performance.now() - started);
      expect(out.results).toHaveLength(10);
    }
    times.sort((a, b) => a - b);
    console.log(
      `worker in Node: ${times.length} queries answered while compare-spaces ran; round-trip median ${times[times.length >> 1]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms`,
    );
    expect(times.length).toBeGreaterThan(5);
    expect((await rows).map((r) => r.space)).toEqual(['raw', 'centered', 'whitened', 'abtt:3']);
    expect(progress.length).toBeGreaterThan(4);
  }, 120_000);

  it('abort stops a running job with CANCELLED', async () => {
    const [id, run] = send(Request.evaluateAnalogies, { text: builtin }, { onProgress: () => control(id, 'abort') });
    await expect(run).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
  });

  it('t-SNE pauses, resumes and stops; a newer run replaces the older', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => i);
    let frames = 0;
    const first = call(Request.tsne, { ids, iterations: 100000, frameEvery: 5 }, { onProgress: () => frames++ });
    while (frames < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await call(Request.tsneControl, { action: 'pause' })).toEqual({ applied: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const paused = frames;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(frames).toBe(paused);
    // A query is answered while it is paused.
    expect((await call(Request.query, { kind: 'neighbors', word: 'frog', k: 3 })).results).toHaveLength(3);
    await call(Request.tsneControl, { action: 'resume' });
    while (frames < paused + 2) await new Promise((resolve) => setTimeout(resolve, 5));
    let secondFrames = 0;
    const second = call(Request.tsne, { ids, iterations: 100000, frameEvery: 5 }, { onProgress: () => secondFrames++ });
    expect(await first).toMatchObject({ stopped: true });
    while (secondFrames < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await call(Request.tsneControl, { action: 'stop' });
    expect(await second).toMatchObject({ stopped: true });
    expect(await call(Request.tsneControl, { action: 'stop' })).toEqual({ applied: false });
  }, 60_000);
});
