// The default table streamed into the worker (the `load` request) with the
// page's side played here: the wire copy (.embs.gz) is served in pieces the
// test releases, so what the worker answers before the table is complete
// is checked without timing. Answers from the first block say they are
// partial; a word that has not arrived is "still loading"; the complete
// table answers exactly as the EMBQ file does.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamTablePath } from '../../data/build.js';
import { DEFAULT_BLOCK_ROWS } from '../../wasm/js/embq-stream.js';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { createCore } from '../../web/src/compute/files.js';
import { ErrorCode, Request } from '../../web/src/compute/protocol.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

const wire = new Uint8Array(readFileSync(streamTablePath(50000)));
const PIECE = 32 * 1024;

/** A response body that hands out the next `count` pieces of the wire copy when released. */
function heldBody() {
  let at = 0;
  let wake = () => {};
  let allowed = 0;
  const body = new ReadableStream({
    async pull(controller) {
      while (at >= allowed) await new Promise((resolve) => (wake = resolve));
      controller.enqueue(wire.slice(at, at + PIECE));
      at += PIECE;
      if (at >= wire.length) controller.close();
    },
  });
  return {
    body,
    release(bytes) {
      allowed = Math.min(wire.length, allowed + bytes);
      wake();
    },
    get sent() {
      return Math.min(at, wire.length);
    },
  };
}

let worker;
let reference;
beforeAll(async () => {
  worker = await startWorkerInNode();
  reference = await EmbeddingExplorer.create();
  reference.load(readFileSync(defaultTable));
});
afterAll(() => {
  worker?.restore();
  reference?.dispose();
});

describe('the default table, streamed', () => {
  it('answers from the first block, says so, calls later words still loading, and answers as the file does once complete', async () => {
    const held = heldBody();
    globalThis.fetch = async () => new Response(held.body, { headers: { 'content-length': String(wire.length) } });
    const progress = [];
    let firstTable;
    const swapped = new Promise((resolve) => (firstTable = resolve));
    const loading = worker.call(Request.load, { tableUrl: 'https://example.test/glove-6b-100d-50k.embs.gz' }, {
      onProgress: (p) => {
        progress.push(p);
        if (p.table) firstTable(p);
      },
    });
    held.release(600 * 1024); // more than the first block (~300 kB gzipped), far less than the table
    const first = await swapped;
    expect(first.rows).toBe(DEFAULT_BLOCK_ROWS[0]);
    expect(first.totalRows).toBe(50000);
    expect(first.table.words).toBe(DEFAULT_BLOCK_ROWS[0]);
    expect(held.sent).toBeLessThan(wire.length / 2);

    const early = await worker.call(Request.query, { kind: 'expression', text: 'king - man + woman', k: 5 });
    expect(early.results[0].word).toBe('queen');
    expect(early.partial).toEqual({ rows: DEFAULT_BLOCK_ROWS[0], totalRows: 50000 });
    // "frog" is word 11,589: not in the first block.
    const notYet = await worker.call(Request.query, { kind: 'neighbors', word: 'frog', k: 5 }).catch((error) => error);
    expect(notYet.code).toBe(ErrorCode.NOT_READY);
    expect(notYet.word).toBe('frog');
    expect(notYet.message).toMatch(/"frog" has not arrived yet: the table is still loading \(3,000 of 50,000 words so far\)/);

    held.release(wire.length);
    const info = await loading;
    expect(info.words).toBe(50000);
    // Every block before the last was swapped in on the way, growing.
    const tables = progress.filter((p) => p.table).map((p) => p.rows);
    expect(tables[0]).toBe(DEFAULT_BLOCK_ROWS[0]);
    expect(tables.every((rows, i) => i === 0 || rows > tables[i - 1])).toBe(true);
    expect(progress.at(-1).loaded).toBe(wire.length);
    // Byte progress is throttled (every piece sent one message before: on a slow page thread they queued up for
    // seconds, and the table's completion waited behind them); every swap and the last byte still get theirs.
    const pieces = Math.ceil(wire.length / PIECE);
    console.log(`load progress: ${progress.length} messages for ${pieces} pieces of ${PIECE / 1024} kB`);
    expect(progress.length).toBeLessThan(pieces / 2);

    const full = await worker.call(Request.query, { kind: 'neighbors', word: 'frog', k: 10 });
    expect(full.partial).toBeUndefined();
    const expected = reference.neighbors('frog', { k: 10 }).results;
    expect(full.results.map((r) => [r.id, r.score])).toEqual(expected.map((r) => [r.id, r.score]));
    const typo = await worker.call(Request.query, { kind: 'neighbors', word: 'frogz', k: 5 }).catch((error) => error);
    expect(typo.code).toBe(ErrorCode.UNKNOWN_WORD);
  });

  it('the space chosen while the table streams in stays when the rest arrives', async () => {
    const held = heldBody();
    globalThis.fetch = async () => new Response(held.body);
    let firstTable;
    const swapped = new Promise((resolve) => (firstTable = resolve));
    const loading = worker.call(Request.load, { tableUrl: 'glove-6b-100d-50k.embs.gz' }, { onProgress: (p) => p.table && firstTable() });
    held.release(600 * 1024);
    await swapped;
    expect(await worker.call(Request.setSpace, { space: 'abtt:3' })).toBe('abtt:3');
    held.release(wire.length);
    await loading;
    const full = await worker.call(Request.query, { kind: 'neighbors', word: 'frog', k: 10 });
    expect(full.partial).toBeUndefined();
    reference.setSpace('abtt:3');
    const expected = reference.neighbors('frog', { k: 10 }).results;
    reference.setSpace('raw');
    expect(full.results.map((r) => [r.id, r.score])).toEqual(expected.map((r) => [r.id, r.score]));
    await worker.call(Request.setSpace, { space: 'raw' });
  });

  it('the core module comes zipped (as the build ships it) or plain (the dev server), and a failed fetch names the file', async () => {
    const module = new Uint8Array(readFileSync(new URL('../../wasm/dist/explorer_core.wasm', import.meta.url)));
    const zipped = gzipSync(module);
    const served = [];
    globalThis.fetch = async (url) => {
      served.push(String(url));
      if (String(url).includes('/gone')) return new Response('missing', { status: 404 });
      return new Response(String(url).endsWith('.gz') ? zipped : module);
    };
    for (const url of ['https://example.test/explorer_core.wasm-abc.gz', 'https://example.test/explorer_core.wasm']) {
      const core = await createCore(url);
      core.load(readFileSync(defaultTable));
      expect(core.expression('king - man + woman', { k: 1 }).results[0].word).toBe('queen');
      core.dispose();
    }
    expect(served).toEqual(['https://example.test/explorer_core.wasm-abc.gz', 'https://example.test/explorer_core.wasm']);
    served.length = 0;
    expect(zipped.length).toBeLessThan(module.length / 2);
    const missing = await createCore('https://example.test/gone.wasm.gz').catch((error) => error);
    expect(missing.code).toBe(ErrorCode.BAD_DATA);
    expect(missing.message).toMatch(/cannot load gone\.wasm\.gz: HTTP 404/);
  });

  it('a corrupt stream fails naming the file, and the table that answered stays', async () => {
    const bad = wire.slice(0, 200_000);
    globalThis.fetch = async () => new Response(bad);
    const error = await worker.call(Request.load, { tableUrl: 'cut.embs.gz' }).catch((e) => e);
    expect(error.code).toBe(ErrorCode.BAD_DATA);
    expect(error.message).toMatch(/cut\.embs\.gz: /);
    const still = await worker.call(Request.query, { kind: 'expression', text: 'king - man + woman', k: 1 });
    expect(still.results[0].word).toBe('queen');
    expect((await worker.call(Request.topWords, { count: 1 })).ids).toEqual([0]);
  });
});
