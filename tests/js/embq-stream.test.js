// The wire copy of the default table (EMBS, wasm/js/embq-stream.js): it
// rebuilds the EMBQ file byte for byte, every prefix of it is the table the
// quantizer makes from that many float32 rows, a prefix answers exactly as
// the full table does among its words, bad streams fail naming the problem,
// and it is smaller on the wire. Figures are printed, not asserted.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGloveSource, sourceRows, streamTablePath, streamTableBytes } from '../../data/build.js';
import { DEFAULT_BLOCK_ROWS, StreamTableDecoder, crc32, encodeStreamTable } from '../../wasm/js/embq-stream.js';
import { EmbeddingExplorer, loadCoreModule, quantizeTable } from '../../wasm/js/explorer.js';
import { catchError } from './helpers.js';
import { defaultTable } from './paths.js';

const embq = new Uint8Array(readFileSync(defaultTable));
const embs = encodeStreamTable(embq);
const FIRST_BLOCK = DEFAULT_BLOCK_ROWS[0];

/** Feeds `bytes` to a fresh decoder in chunks of the sizes `sizes` cycles through; returns the decoder and the rows after each chunk. */
function decode(bytes, sizes = [65536]) {
  const decoder = new StreamTableDecoder({ fileName: 'test.embs' });
  const rowsSeen = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    rowsSeen.push(decoder.push(bytes.subarray(at, at + size)));
    at += size;
  }
  return { decoder, rowsSeen };
}

let explorer;
beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(embq);
});

describe('EMBS round trip', () => {
  it('rebuilds the EMBQ file byte for byte (same int8 codes, norms, scales, words and CRC), in any chunk sizes', () => {
    for (const sizes of [[65536], [1, 7, 4093, 100000], [embs.length]]) {
      const { decoder, rowsSeen } = decode(embs, sizes);
      decoder.finish();
      expect(decoder.complete).toBe(true);
      expect(Buffer.compare(Buffer.from(decoder.embq()), Buffer.from(embq))).toBe(0);
      // Rows grow block by block, never backwards.
      expect(rowsSeen.every((rows, i) => i === 0 || rows >= rowsSeen[i - 1])).toBe(true);
    }
  });

  it('decodes rows a block at a time, most frequent first', () => {
    const { decoder } = decode(embs.subarray(0, 64 + 8 + FIRST_BLOCK * 104 + 30000));
    expect(decoder.rows).toBe(FIRST_BLOCK);
    expect(decoder.totalRows).toBe(50000);
    expect(decoder.complete).toBe(false);
  });

  it('the data build wrote the same bytes, gzipped', () => {
    const wire = streamTablePath(50000);
    if (!existsSync(wire)) throw new Error(`${wire} is missing: run npm run data`);
    const fromDisk = readFileSync(wire);
    expect(Buffer.compare(gunzipSync(fromDisk), Buffer.from(embs))).toBe(0);
    expect(Buffer.compare(fromDisk, Buffer.from(streamTableBytes(embq)))).toBe(0);
  });
});

describe('a prefix of the stream', () => {
  let module;
  let source;
  beforeAll(async () => {
    module = await loadCoreModule();
    source = await readGloveSource();
  }, 120_000);

  it('is the table the quantizer makes from that many float32 rows of the source', () => {
    const { decoder } = decode(embs.subarray(0, 64 + 8 + FIRST_BLOCK * 104 + 30000));
    const prefix = decoder.embq();
    const name = new TextDecoder().decode(embq.subarray(32, 64)).replace(/\0+$/, '');
    const reference = quantizeTable(module, {
      values: sourceRows(source, FIRST_BLOCK),
      rows: FIRST_BLOCK,
      dims: source.dims,
      words: source.words.slice(0, FIRST_BLOCK),
      name,
    });
    expect(prefix.length).toBe(reference.length);
    expect(Buffer.compare(Buffer.from(prefix), Buffer.from(reference))).toBe(0);
  });

  it('answers as the full table does among its words', async () => {
    const { decoder } = decode(embs.subarray(0, 64 + 8 + FIRST_BLOCK * 104 + 30000));
    const partial = await EmbeddingExplorer.create();
    const info = partial.load(decoder.embq());
    expect(info.words).toBe(FIRST_BLOCK);
    expect(partial.expression('king - man + woman').results[0].word).toBe('queen');
    for (const word of ['king', 'water', 'france', 'music']) {
      const got = partial.neighbors(word, { k: 10 }).results;
      // The full table's ranking, keeping only the words the prefix has.
      const full = explorer.neighbors(word, { k: 2000 }).results.filter((r) => r.id < FIRST_BLOCK).slice(0, 10);
      expect(got.map((r) => r.id)).toEqual(full.map((r) => r.id));
      expect(got.map((r) => r.score)).toEqual(full.map((r) => r.score));
    }
    partial.dispose();
  });

  it('prints the bytes on the wire and recall@10 of the streamed table against float32', () => {
    const { decoder } = decode(gunzipSync(readFileSync(streamTablePath(50000))));
    const streamed = new EmbeddingExplorer(module);
    streamed.load(decoder.embq());
    const rows = 50000;
    const dims = source.dims;
    const unit = sourceRows(source, rows);
    for (let r = 0; r < rows; r++) {
      const row = unit.subarray(r * dims, (r + 1) * dims);
      const norm = Math.hypot(...row);
      for (let d = 0; d < dims; d++) row[d] /= norm;
    }
    let recall = 0;
    const queries = 200;
    for (let q = 0; q < queries; q++) {
      const id = (q * 7919) % rows;
      const scores = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        for (let d = 0; d < dims; d++) dot += unit[id * dims + d] * unit[r * dims + d];
        scores[r] = r === id ? -Infinity : dot;
      }
      const exact = new Set(Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]).slice(0, 10));
      recall += streamed.neighbors(id, { k: 10 }).results.filter((r) => exact.has(r.id)).length / 10;
    }
    recall /= queries;
    const figures = {
      embq_bytes: embq.length,
      embq_gzip9_bytes: gzipSync(embq, { level: 9 }).length,
      embs_bytes: embs.length,
      embs_gz_bytes: readFileSync(streamTablePath(50000)).length,
      first_block_rows: FIRST_BLOCK,
      recall_at_10_vs_float32: Number(recall.toFixed(4)),
      queries,
    };
    console.log(`table on the wire: ${JSON.stringify(figures)}`);
    expect(recall).toBeGreaterThanOrEqual(0.99);
    expect(figures.embs_gz_bytes).toBeLessThan(figures.embq_bytes);
    streamed.dispose();
  }, 120_000);
});

describe('bad streams fail naming the problem', () => {
  it('a stream that ends early names how many rows arrived', () => {
    const { decoder } = decode(embs.subarray(0, embs.length - 1000));
    expect(catchError(() => decoder.finish()).message).toMatch(/test\.embs: .*ended after 35,000 of 50,000 rows/);
  });

  it('a file that is not EMBS names the magic number', () => {
    expect(catchError(() => decode(embq)).message).toMatch(/test\.embs: byte 0: not an EMBS file/);
  });

  it('a block that claims more rows than remain is refused before it is read', () => {
    const bad = embs.slice(0, 64 + 8);
    new DataView(bad.buffer).setUint32(64, 60000, true);
    expect(catchError(() => decode(bad)).message).toMatch(/byte 64: block 1 claims 60000 rows; 50000 remain/);
  });

  it('a header beyond the size limit is refused before anything is allocated', () => {
    const bad = embs.slice(0, 64);
    new DataView(bad.buffer).setUint32(12, 100000, true);
    expect(catchError(() => decode(bad)).message).toMatch(/byte 8: a table of 50000 x 100000 is beyond the size limit/);
  });

  it('data after the last block is refused', () => {
    const longer = new Uint8Array(embs.length + 3);
    longer.set(embs);
    expect(catchError(() => decode(longer)).message).toMatch(/data after the last block/);
  });

  it('a changed code in the last block fails the core\'s CRC check, and the loaded table stays', async () => {
    const bad = embs.slice();
    bad[bad.length - 500_000] ^= 0x40; // inside the last block's codes
    const { decoder } = decode(bad);
    decoder.finish();
    const table = await EmbeddingExplorer.create();
    table.load(embq);
    const error = catchError(() => table.load(decoder.embq()));
    expect(error.message).toMatch(/CRC|checksum/i);
    expect(table.size).toBe(50000);
    expect(table.expression('king - man + woman').results[0].word).toBe('queen');
    table.dispose();
  });

  it('the CRC is the one EMBQ uses', () => {
    const body = embq.subarray(64);
    expect(crc32(body)).toBe(new DataView(embq.buffer, embq.byteOffset).getUint32(24, true));
  });
});
