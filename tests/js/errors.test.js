// Bad input never crashes the core, never half-loads, and always names
// the problem; memory stays flat under repeated queries.
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, ExplorerError, quantizeTable } from '../../wasm/js/explorer.js';
import { catchError } from './helpers.js';
import { defaultTable } from './paths.js';

let explorer;
let tableBytes;

/** A small valid EMBQ file built by the real quantizer. */
function smallTable(module, { rows = 16, dims = 8, words } = {}) {
  const values = Float32Array.from({ length: rows * dims }, (_, i) => Math.sin(i * 1.7) + 0.1 * ((i * 7919) % 13));
  return quantizeTable(module, { values, rows, dims, words: words ?? Array.from({ length: rows }, (_, i) => `w${i}`), name: 'small' });
}

/** Rewrites the CRC so a deliberately broken payload reaches the deeper checks. */
function withValidChecksum(bytes) {
  const out = new Uint8Array(bytes);
  new DataView(out.buffer).setUint32(24, crc32(out.subarray(64)) >>> 0, true);
  return out;
}

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  tableBytes = readFileSync(defaultTable);
  explorer.load(tableBytes);
});

describe('words', () => {
  it('an unknown word is a typed error naming it, with suggestions', () => {
    const error = catchError(() => explorer.neighbors('quen'));
    expect(error).toBeInstanceOf(ExplorerError);
    expect(error.code).toBe('UNKNOWN_WORD');
    expect(error.word).toBe('quen');
    expect(error.message).toContain('"quen"');
    expect(error.suggestions).toContain('queen');
  });

  it('lookup is case-insensitive', () => {
    expect(explorer.lookup('KING').word).toBe('king');
    expect(explorer.lookup('Paris').vector.length).toBe(100);
  });

  it('empty, duplicate and odd inputs give clear errors', () => {
    expect(catchError(() => explorer.neighbors('')).code).toBe('EMPTY_INPUT');
    expect(catchError(() => explorer.expression('   ')).code).toBe('EMPTY_INPUT');
    expect(catchError(() => explorer.expression('king +')).code).toBe('BAD_ARGUMENT');
    const dup = catchError(() => explorer.oddOneOut(['cat', 'dog', 'cat']));
    expect(dup.code).toBe('DUPLICATE_WORD');
    expect(dup.word).toBe('cat');
    const repeated = catchError(() => explorer.analogy('man', 'Man', 'woman'));
    expect(repeated.code).toBe('DUPLICATE_WORD');
    expect(repeated.word).toBe('man');
    const long = 'x'.repeat(5000);
    const tooLong = catchError(() => explorer.neighbors(long));
    expect(tooLong.code).toBe('UNKNOWN_WORD');
    expect(tooLong.message.length).toBeLessThan(200);
    expect(catchError(() => explorer.neighbors('👩‍🔬\u0000x')).code).toBe('UNKNOWN_WORD');
    expect(catchError(() => explorer.neighbors('king', { k: 0 })).code).toBe('BAD_ARGUMENT');
    expect(catchError(() => explorer.setSpace('purple')).code).toBe('BAD_ARGUMENT');
    expect(catchError(() => explorer.analogy('man', 'king', 'woman', { method: 'x' })).code).toBe('BAD_ARGUMENT');
    // After all that the explorer still answers.
    expect(explorer.expression('king - man + woman').results[0].word).toBe('queen');
  });
});

describe('data files', () => {
  const cases = [
    ['wrong magic number', (b) => { b[0] = 0x58; return b; }, /magic/],
    ['wrong version', (b) => { b[4] = 9; return b; }, /version 9/],
    ['truncation', (b) => b.subarray(0, b.length - 100), /truncated/],
    ['a header-only file', (b) => b.subarray(0, 64), /truncated/],
    ['a tiny file', (b) => b.subarray(0, 10), /truncated/],
    ['a dimension mismatch', (b) => { new DataView(b.buffer, b.byteOffset).setUint32(12, 101, true); return b; }, /truncated|mismatch/],
    ['a corrupted payload', (b) => { b[100] ^= 0xff; return b; }, /checksum/],
    ['sizes beyond the limits', (b) => { const v = new DataView(b.buffer, b.byteOffset); v.setUint32(8, 4_000_000, true); v.setUint32(12, 4096, true); return b; }, /limit/],
    ['a NaN norm', (b) => { new DataView(b.buffer, b.byteOffset).setFloat32(64, NaN, true); return withValidChecksum(b); }, /non-finite/],
    ['an infinite scale', (b) => { new DataView(b.buffer, b.byteOffset).setFloat32(64 + 16 * 4, Infinity, true); return withValidChecksum(b); }, /non-finite/],
  ];
  it.each(cases)('rejects %s and keeps the previous table answering', (_, damage, message) => {
    const small = smallTable(explorer.module);
    const error = catchError(() => explorer.load(damage(new Uint8Array(small))));
    expect(error).toBeInstanceOf(ExplorerError);
    expect(['BAD_DATA', 'TOO_LARGE']).toContain(error.code);
    expect(error.message).toMatch(message);
    expect(explorer.size).toBe(50000);
    expect(explorer.expression('king - man + woman').results[0].word).toBe('queen');
  });

  it('the quantizer rejects NaN/Inf input naming the row', () => {
    const values = new Float32Array(4 * 3).fill(0.5);
    values[7] = NaN;
    const error = catchError(() => quantizeTable(explorer.module, { values, rows: 4, dims: 3, words: ['a', 'b', 'c', 'd'] }));
    expect(error.code).toBe('BAD_DATA');
    expect(error.message).toMatch(/row 2 \("c"\)/);
  });

  it('a good small table loads, answers, and the default loads back', () => {
    const info = explorer.load(smallTable(explorer.module));
    expect(info.words).toBe(16);
    expect(explorer.neighbors('w3', { k: 3 }).results.length).toBe(3);
    explorer.load(tableBytes);
    expect(explorer.size).toBe(50000);
  });
});

describe('memory', () => {
  it('wasm memory does not grow across 10,000 repeated queries', () => {
    const words = ['king', 'queen', 'paris', 'frog', 'computer'];
    for (let i = 0; i < 200; i++) explorer.neighbors(words[i % 5]); // warm up allocator
    const before = explorer.heapBytes();
    const inUseBefore = explorer.heapInUse();
    for (let i = 0; i < 10000; i++) {
      switch (i % 4) {
        case 0: explorer.neighbors(words[i % 5], { k: 10 }); break;
        case 1: explorer.analogy('man', 'king', 'woman', { method: i % 8 === 1 ? '3cosmul' : '3cosadd' }); break;
        case 2: explorer.expression('paris - france + italy'); break;
        default: try { explorer.neighbors('notaword' + i); } catch { /* errors must not leak either */ }
      }
    }
    expect(explorer.heapBytes()).toBe(before);
    // Every allocation of a query is freed: even one leaked byte per query
    // would show as 10 kB here; 1 kB allows allocator bookkeeping.
    const leaked = explorer.heapInUse() - inUseBefore;
    console.log(`wasm heap after 10,000 queries: ${explorer.heapBytes()} bytes (unchanged), in use ${leaked >= 0 ? '+' : ''}${leaked} bytes`);
    expect(Math.abs(leaked)).toBeLessThan(1024);
  });
});

describe('results for a worker', () => {
  it('are plain, structured-cloneable values', () => {
    const out = explorer.analogy('man', 'king', 'woman', { expected: 'queen' });
    expect(structuredClone(out)).toEqual(out);
    const projection = explorer.project(['king', 'queen'], { method: 'pca' });
    expect(structuredClone(projection).coordinates).toBeInstanceOf(Float32Array);
  });
});
