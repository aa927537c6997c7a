// The worker's `umap` request, run in Node like worker.test.js: frames of
// positions while it runs, pause/resume/stop through tsneControl, a newer
// run replacing the older, and a run to the end matching the wrapper's
// layout for the same seed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { ErrorCode, Request } from '../../web/src/compute/protocol.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

let worker; // { send, call, control, restore }
const call = (...args) => worker.call(...args);
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  worker = await startWorkerInNode();
  expect((await call(Request.load, { tableUrl: 'table.emb' })).words).toBe(50000);
});
afterAll(() => worker?.restore());

describe('umap request', () => {
  it('sends frames and ends on the layout the wrapper computes', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const frames = [];
    const result = await call(Request.umap, { ids, dims: 2, seed: 5, frameEvery: 100 }, { onProgress: (f) => frames.push(f) });
    expect(result).toEqual({ epoch: 500, epochs: 500, stopped: false });
    expect(frames.map((f) => f.epoch)).toEqual([100, 200, 300, 400, 500]);
    expect(frames.every((f) => f.dims === 2 && f.positions.length === 400)).toBe(true);
    const explorer = await EmbeddingExplorer.create();
    explorer.load(readFileSync(defaultTable));
    const session = explorer.umap(ids, { dims: 2, seed: 5 });
    expect(frames.at(-1).positions).toEqual(session.step(100000).positions);
    session.dispose();
  }, 60_000);

  it('pauses, resumes and stops through tsneControl; a newer run replaces the older', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => i);
    let frames = 0;
    const first = call(Request.umap, { ids, frameEvery: 1 }, { onProgress: () => frames++ });
    while (frames < 3) await wait(5);
    expect(await call(Request.tsneControl, { action: 'pause' })).toEqual({ applied: true });
    await wait(50);
    const paused = frames;
    await wait(100);
    expect(frames).toBe(paused);
    expect((await call(Request.query, { kind: 'neighbors', word: 'frog', k: 3 })).results).toHaveLength(3);
    await call(Request.tsneControl, { action: 'resume' });
    while (frames < paused + 2) await wait(5);
    let secondFrames = 0;
    const second = call(Request.umap, { ids, frameEvery: 1 }, { onProgress: () => secondFrames++ });
    expect(await first).toMatchObject({ stopped: true });
    while (secondFrames < 2) await wait(5);
    await call(Request.tsneControl, { action: 'stop' });
    expect(await second).toMatchObject({ stopped: true });
  }, 60_000);

  it('names a bad option', async () => {
    await expect(call(Request.umap, { ids: [0, 1, 2, 3], neighbors: 15 })).rejects.toMatchObject({ code: ErrorCode.BAD_ARGUMENT });
    await expect(call(Request.umap, { ids: [0, 1, 2, 3], neighbors: 2, dims: 5 })).rejects.toMatchObject({
      code: ErrorCode.BAD_ARGUMENT,
      message: expect.stringMatching(/2 or 3 dimensions/),
    });
  });
});
