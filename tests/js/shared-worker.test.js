// The compute worker as a SharedWorker (the embeds of one course page):
// each connected page is a peer with its own call ids, the default table's
// load runs once for all peers, and a page that leaves takes its calls
// with it. Runs worker.js in Node against a stand-in SharedWorker scope.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTable } from './paths.js';

let fetches = 0;
let savedFetch;
let connect;

/** A page's end of a MessagePort: call(type, args) -> promise, progress kept per call id. */
function page() {
  const pending = new Map();
  const progress = new Map();
  const workerSide = { postMessage: (message) => queueMicrotask(() => receive(message)), onmessage: null, start() {} };
  const receive = (message) => {
    if (message.type === 'progress') return progress.set(message.id, [...(progress.get(message.id) ?? []), message.progress]);
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.type === 'result') entry.resolve(message.value);
    else entry.reject(Object.assign(new Error(message.error.message), message.error));
  };
  connect(workerSide);
  const send = (data) => workerSide.onmessage({ data });
  return {
    send,
    call: (id, type, args = {}) => {
      const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      send({ id, type, args });
      return promise;
    },
    progress,
  };
}

beforeAll(async () => {
  savedFetch = globalThis.fetch;
  const scope = { onconnect: null };
  globalThis.self = scope;
  globalThis.fetch = async () => {
    fetches++;
    return new Response(readFileSync(defaultTable), { headers: { 'content-length': String(readFileSync(defaultTable).length) } });
  };
  await import('../../web/src/compute/worker.js');
  connect = (port) => scope.onconnect({ ports: [port] });
});

afterAll(() => {
  globalThis.fetch = savedFetch;
  delete globalThis.self;
});

describe('the compute worker shared by several pages', () => {
  const load = { tableUrl: 'http://explorer.test/assets/table.emb' };

  it('loads the table once for pages that ask at the same time or later, and answers each with its own ids', async () => {
    const [a, b] = [page(), page()];
    const both = await Promise.all([a.call(1, 'load', load), b.call(1, 'load', load)]);
    expect(fetches).toBe(1);
    expect(both[0]).toEqual(both[1]);
    expect(both[0].words).toBe(50000);
    // The page that joined the running load heard its progress too.
    expect(b.progress.get(1)?.at(-1)).toEqual(a.progress.get(1)?.at(-1));
    const late = page();
    expect(await late.call(7, 'load', load)).toEqual(both[0]);
    expect(fetches).toBe(1);

    // Same call id from two pages: two calls, two answers.
    const [queen, paris] = await Promise.all([
      a.call(2, 'query', { kind: 'expression', text: 'king - man + woman', k: 1 }),
      b.call(2, 'query', { kind: 'expression', text: 'berlin - germany + france', k: 1 }),
    ]);
    expect(queen.results[0].word).toBe('queen');
    expect(paris.results[0].word).toBe('paris');
  });

  it("a page's cancel and its leaving touch only its own calls", async () => {
    const [a, b] = [page(), page()];
    await Promise.all([a.call(1, 'load', load), b.call(1, 'load', load)]);
    const fromA = a.call(5, 'complete', { prefix: 'que' });
    const fromB = b.call(5, 'complete', { prefix: 'que' });
    a.send({ id: 5, type: 'cancel' });
    await expect(fromA).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await fromB).toContain('queen');

    // A page that leaves drops its queued calls; the other page's still run.
    let answeredAfterLeaving = false;
    a.call(6, 'complete', { prefix: 'ki' }).then(() => (answeredAfterLeaving = true), () => (answeredAfterLeaving = true));
    a.send({ type: 'close' });
    expect(await b.call(6, 'complete', { prefix: 'ki' })).toContain('king');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answeredAfterLeaving).toBe(false);
  });

  it("each page's calls run in the space that page chose, whatever another page switched to", async () => {
    const [raw, whitened] = [page(), page()];
    await Promise.all([raw.call(1, 'load', load), whitened.call(1, 'load', load)]);
    const ask = (p, id) => p.call(id, 'query', { kind: 'expression', text: 'king - man + woman', k: 5 });
    expect(await raw.call(2, 'setSpace', { space: 'raw' })).toBe('raw');
    const rawAlone = await ask(raw, 3);
    expect(await whitened.call(2, 'setSpace', { space: 'whitened' })).toBe('whitened');
    const whitenedAlone = await ask(whitened, 3);
    expect(whitenedAlone.results.map((r) => r.score)).not.toEqual(rawAlone.results.map((r) => r.score));
    // Interleaved, after the other page's switch: each still gets its own space's answer.
    const [rawAgain, whitenedAgain] = await Promise.all([ask(raw, 4), ask(whitened, 4)]);
    expect(rawAgain.results).toEqual(rawAlone.results);
    expect(whitenedAgain.results).toEqual(whitenedAlone.results);
    expect(rawAgain.space ?? 'raw').toBe('raw');
  });
});
