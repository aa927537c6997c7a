// Issue 9 §2's worker requests, run in Node through the worker harness:
// contributions, heatmap, analogyHeatmap and cosineToOthers answer in the
// space the page chose (as queries do), match the wrapper called directly
// in that space, and fail with coded errors that leave the worker usable.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, analogyHeatmap, contributions, cosineToOthers } from '../../wasm/js/explorer.js';
import { ErrorCode, Request } from '../../web/src/compute/protocol.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

let worker;
let explorer;
const call = (...args) => worker.call(...args);

beforeAll(async () => {
  worker = await startWorkerInNode();
  await call(Request.load, { tableUrl: 'table.emb' });
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});
afterAll(() => {
  explorer?.dispose();
  worker?.restore();
});

describe('similarity requests', () => {
  it('answer in the current space, as the wrapper does there', async () => {
    const raw = await call(Request.contributions, { first: 'cat', second: 'dog' });
    expect(raw.cosine).toBeCloseTo(explorer.similarity('cat', 'dog'), 6);
    expect(raw.products).toHaveLength(100);
    expect(await call(Request.setSpace, { space: 'centered' })).toBe('centered');
    explorer.setSpace('centered');
    const centred = await call(Request.contributions, { first: 'cat', second: 'dog' });
    expect(centred.space).toBe('centered');
    expect(centred.cosine).toBeCloseTo(contributions(explorer, 'cat', 'dog').cosine, 6);
    expect(Math.abs(centred.cosine - raw.cosine)).toBeGreaterThan(1e-3);

    const odd = await call(Request.cosineToOthers, { words: ['breakfast', 'lunch', 'dinner', 'car'] });
    const direct = cosineToOthers(explorer, ['breakfast', 'lunch', 'dinner', 'car']);
    expect(odd.odd).toBe('car');
    expect(odd.results.map((r) => r.score)).toEqual(direct.results.map((r) => r.score));

    const map = await call(Request.analogyHeatmap, { a: 'man', b: 'king', c: 'woman', answer: 'queen' });
    expect(map.labels).toEqual(['man', 'king', 'king − man', 'woman', 'king − man + woman', 'queen']);
    expect(Array.from(map.norms)).toEqual(Array.from(analogyHeatmap(explorer, 'man', 'king', 'woman', { answer: 'queen' }).norms));
    const rows = await call(Request.heatmap, { expressions: ['frog', 'toad'] });
    expect(rows.values).toHaveLength(200);
    console.log(`worker, centred space: cat/dog ${centred.cosine.toFixed(4)} (raw ${raw.cosine.toFixed(4)}), king − man + woman norm ${map.norms[4].toFixed(3)}`);
    expect(await call(Request.setSpace, { space: 'raw' })).toBe('raw');
    explorer.setSpace('raw');
  });

  it('fail with a coded error naming the problem, and the next call works', async () => {
    const unknown = await call(Request.contributions, { first: 'cat', second: 'zzqxj' }).catch((e) => e);
    expect(unknown).toMatchObject({ code: ErrorCode.UNKNOWN_WORD, message: expect.stringContaining('zzqxj') });
    const few = await call(Request.cosineToOthers, { words: ['cat', 'dog'] }).catch((e) => e);
    expect(few).toMatchObject({ code: ErrorCode.BAD_ARGUMENT, message: expect.stringContaining('at least 3 words') });
    const many = await call(Request.heatmap, { expressions: Array(17).fill('cat') }).catch((e) => e);
    expect(many.code).toBe(ErrorCode.TOO_LARGE);
    expect((await call(Request.contributions, { first: 'king', second: 'queen' })).cosine).toBeCloseTo(explorer.similarity('king', 'queen'), 6);
  });
});
