// Bring-your-own tables, end to end on real vectors: the first 2,000 GloVe
// words of the wink source written as text, .vec, word2vec .bin and
// Projector TSV, streamed through the wasm parsers in odd chunk sizes, and
// checked against float32 neighbours computed here in JS.
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGloveSource, sourceRows } from '../../data/build.js';
import { displayWord, EmbeddingExplorer, MAX_INPUT_BYTES } from '../../wasm/js/explorer.js';
import { catchError, runCli as cli } from './helpers.js';

const ROWS = 2000;

let dir;
let words;
let values;
let dims;
let explorer;
const files = {};

// Chunks cut at sizes that land mid-number, mid-word and mid-record.
function* oddChunks(bytes, sizes = [1, 7, 13, 4099, 65537, 3]) {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

function floatNeighbours(word, k = 10) {
  const q = words.indexOf(word);
  const unit = (i) => {
    const v = values.subarray(i * dims, (i + 1) * dims);
    const norm = Math.hypot(...v);
    return Array.from(v, (x) => x / norm);
  };
  const uq = unit(q);
  const scored = [];
  for (let i = 0; i < words.length; i++) {
    if (i === q) continue;
    const u = unit(i);
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += u[d] * uq[d];
    scored.push([dot, words[i]]);
  }
  return scored.sort((a, b) => b[0] - a[0]).slice(0, k).map((s) => s[1]);
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  const source = await readGloveSource();
  dims = source.dims;
  words = source.words.slice(0, ROWS);
  values = sourceRows(source, ROWS);
  dir = mkdtempSync(join(tmpdir(), 'formats-test-'));
  const row = (i) => Array.from(values.subarray(i * dims, (i + 1) * dims), (x) => String(x));
  const text = words.map((w, i) => `${w} ${row(i).join(' ')}\n`).join('');
  files.text = join(dir, 'glove.txt');
  writeFileSync(files.text, text);
  files.vec = join(dir, 'glove.vec');
  writeFileSync(files.vec, `${ROWS} ${dims}\r\n` + text.replaceAll('\n', ' \r\n'));
  const parts = [Buffer.from(`${ROWS} ${dims}\n`)];
  words.forEach((w, i) => {
    parts.push(Buffer.from(`${w} `), Buffer.from(values.slice(i * dims, (i + 1) * dims).buffer), Buffer.from('\n'));
  });
  files.bin = join(dir, 'glove.bin');
  writeFileSync(files.bin, Buffer.concat(parts));
  files.tsv = join(dir, 'vectors.tsv');
  writeFileSync(files.tsv, words.map((_, i) => row(i).join('\t') + '\n').join(''));
  files.metadata = join(dir, 'metadata.tsv');
  writeFileSync(files.metadata, 'word\trank\n' + words.map((w, i) => `${w}\t${i < 100 ? 'top100' : 'rest'}\n`).join(''));
  explorer = await EmbeddingExplorer.create();
}, 120_000);

describe('streaming loads of real vectors', () => {
  const cases = [
    ['text', 'glove.txt', {}],
    ['vec', 'glove.vec', {}],
    ['bin', 'glove.bin', {}],
    ['tsv', 'vectors.tsv', { metadata: true }],
  ];
  for (const [key, name, extra] of cases) {
    it(`${name}: detected, ${ROWS} x 100, king's neighbours match float32, recall >= 0.95`, async () => {
      const bytes = readFileSync(files[key]);
      const options = { fileName: name, totalBytes: bytes.length };
      if (extra.metadata) options.metadata = { fileName: 'metadata.tsv', bytes: readFileSync(files.metadata) };
      const progress = [];
      const { info, report, metadata } = await explorer.loadTableStream(oddChunks(bytes), options, {
        onProgress: (p) => progress.push(p.loaded),
      });
      expect(report.format).toBe({ text: 'text', vec: 'text', bin: 'word2vec-bin', tsv: 'tsv' }[key]);
      expect(info.words).toBe(ROWS);
      expect(info.dims).toBe(dims);
      expect(explorer.size).toBe(ROWS);
      expect(progress.at(-1)).toBe(bytes.length);
      expect(report).toMatchObject({ words: ROWS, dims, duplicates: 0, bytesBefore: ROWS * dims * 4, recallQueries: 100 });
      expect(report.bytesAfter).toBe(info.memoryBytes);
      console.log(`${name}: recall@10 ${report.recallAt10.toFixed(4)} over ${report.recallQueries} queries`);
      expect(report.recallAt10).toBeGreaterThanOrEqual(0.95);
      const int8 = explorer.neighbors('king', { k: 10 }).results.map((r) => r.word);
      const float32 = floatNeighbours('king');
      expect(int8[0]).toBe(float32[0]);
      expect(int8.filter((w) => float32.includes(w)).length).toBeGreaterThanOrEqual(9);
      if (extra.metadata) {
        expect(metadata.columns).toEqual(['rank']);
        expect(explorer.metadata().values[0].slice(99, 101)).toEqual(['top100', 'rest']);
      } else {
        expect(metadata).toBeNull();
      }
    });
  }

  it('saveTable -> EMBQ loads identically, through load() and through the streaming loader', async () => {
    await explorer.loadTableStream(oddChunks(readFileSync(files.bin)), { fileName: 'glove.bin' });
    const saved = explorer.saveTable();
    const probe = ['king', 'paris', 'computer', 'river'];
    const before = probe.map((w) => explorer.neighbors(w, { k: 10 }).results);
    const other = await EmbeddingExplorer.create();
    try {
      other.load(saved);
      expect(other.words).toEqual(explorer.words);
      expect(probe.map((w) => other.neighbors(w, { k: 10 }).results)).toEqual(before);
      const { report } = await other.loadTableStream(oddChunks(saved, [333]), { fileName: 'glove.emb' });
      expect(report.format).toBe('embq');
      expect(report.words).toBe(ROWS);
      expect(probe.map((w) => other.neighbors(w, { k: 10 }).results.map((r) => r.word))).toEqual(
        before.map((list) => list.map((r) => r.word)),
      );
      const a = explorer.lookup('king').vector;
      const b = other.lookup('king').vector;
      for (let d = 0; d < dims; d++) expect(b[d]).toBeCloseTo(a[d], 5);
    } finally {
      other.dispose();
    }
  });

  it('a Node file stream works, as the CLI uses it', async () => {
    const { info } = await explorer.loadTableStream(createReadStream(files.text, { highWaterMark: 10007 }), {
      fileName: 'glove.txt',
    });
    expect(info.words).toBe(ROWS);
  });
});

describe('bad input leaves the old table answering', () => {
  it('NaN, wrong counts, truncation, too large and cancel: named errors, same table, no leak', async () => {
    await explorer.loadTableStream(oddChunks(readFileSync(files.text)), { fileName: 'glove.txt' });
    const answer = explorer.neighbors('king', { k: 5 });
    const heapBefore = explorer.heapInUse();
    const enc = (s) => new TextEncoder().encode(s);

    const nan = await rejection(explorer.loadTableStream([enc('a 1 2\nb nan 2\n')], { fileName: 'nan.txt' }));
    expect(nan.code).toBe('BAD_DATA');
    expect(nan.message).toBe('nan.txt: line 2: "b" has NaN in column 1 of 2');
    const count = await rejection(explorer.loadTableStream(oddChunks(enc('a 1 2\nb 1 2\nc 1\n'), [2]), { fileName: 'c.txt' }));
    expect(count.message).toBe('c.txt: line 3: expected 2 values after "c", found 1');
    const bin = readFileSync(files.bin);
    const truncated = await rejection(explorer.loadTableStream([bin.subarray(0, bin.length - 100)], { fileName: 'cut.bin' }));
    expect(truncated.message).toMatch(/^cut\.bin: byte \d+: truncated: the header says 2000 rows, the file ends after 1999/);
    const utf8 = await rejection(explorer.loadTableStream([Uint8Array.of(0x61, 0xff, 0x20, 0x31, 0x0a)], { fileName: 'u.txt' }));
    expect(utf8.message).toMatch(/u\.txt: line 1: word ".*" is not valid UTF-8/);
    const empty = await rejection(explorer.loadTableStream([], { fileName: 'empty.txt', format: 'text' }));
    expect(empty.code).toBe('EMPTY_INPUT');
    const large = catchError(() => explorer.openTable({ fileName: 'huge.txt', totalBytes: MAX_INPUT_BYTES + 1 }));
    expect(large.code).toBe('TOO_LARGE');
    expect(large.message).toMatch(/huge\.txt/);
    const header = await rejection(explorer.loadTableStream([enc('9000000 300\n')], { fileName: 'big.vec' }));
    expect(header.code).toBe('TOO_LARGE');
    const controller = new AbortController();
    const cancelled = await rejection(
      explorer.loadTableStream(oddChunks(readFileSync(files.text), [65536]), { fileName: 'glove.txt' }, {
        signal: controller.signal,
        onProgress: ({ loaded }) => loaded > 100000 && controller.abort(),
      }),
    );
    expect(cancelled.code).toBe('CANCELLED');
    const unknown = catchError(() => explorer.openTable({ fileName: 'x', format: 'csv' }));
    expect(unknown.code).toBe('BAD_ARGUMENT');

    expect(explorer.size).toBe(ROWS);
    expect(explorer.neighbors('king', { k: 5 })).toEqual(answer);
    expect(explorer.heapInUse() - heapBefore).toBeLessThan(64 * 1024);
  });

  it('duplicates keep the first row and are reported', async () => {
    const { report } = await explorer.loadTableStream([new TextEncoder().encode('a 1 0\nb 0 1\na 0 1\n')], { fileName: 'd.txt' });
    expect(report).toMatchObject({ words: 2, duplicates: 1, firstDuplicate: 'a' });
    expect(explorer.similarity('a', 'b')).toBeCloseTo(0, 5);
  });

  it('a loader can be disposed (cancel) and spent loaders refuse more data', () => {
    const loader = explorer.openTable({ fileName: 'glove.txt' });
    expect(loader.format).toBe('text');
    loader.push(new TextEncoder().encode('x 1 2\n'));
    loader.dispose();
    expect(catchError(() => loader.push(new Uint8Array(1))).code).toBe('BAD_ARGUMENT');
    expect(explorer.find('x')).toBe(-1);
  });
});

describe('displayWord', () => {
  it('shows subword tokens readably and leaves words alone', () => {
    expect(displayWord('##ing')).toBe('\u2011ing');
    expect(displayWord('\u0120the')).toBe('·the');
    expect(displayWord('\u010a')).toBe('⏎');
    expect(displayWord('\u00e2\u0122\u013b')).toBe('\u2019'); // GPT-2 bytes of "’"
    expect(displayWord('\u2581the')).toBe('·the');
    for (const w of ['king', 'café', '##', 'C++', '[CLS]']) expect(displayWord(w)).toBe(w);
  });
});

describe('cli with --data', () => {
  it('queries a text table, converts it to EMBQ, and the EMBQ answers the same', async () => {
    const fromText = JSON.parse((await cli('neighbors', 'king', '--data', files.text, '--json')).stdout);
    expect(fromText.results[0].word).toBe(floatNeighbours('king')[0]);
    const out = join(dir, 'converted.emb');
    const converted = await cli('convert', files.tsv, out, '--metadata', files.metadata, '--json');
    expect(converted.code).toBe(0);
    expect(JSON.parse(converted.stdout)).toMatchObject({ words: ROWS, format: 'tsv', out });
    const fromEmbq = JSON.parse((await cli('neighbors', 'king', '--data', out, '--json')).stdout);
    expect(fromEmbq.results.map((r) => r.word)).toEqual(fromText.results.map((r) => r.word));
    const info = JSON.parse((await cli('info', '--data', files.bin, '--json')).stdout);
    expect(info).toMatchObject({ format: 'word2vec-bin', words: ROWS, dims, recallQueries: 100 });
    expect(info.recallAt10).toBeGreaterThanOrEqual(0.95);
    const bad = await cli('neighbors', 'king', '--data', files.bin, '--format', 'text');
    expect(bad.code).toBe(1);
    // A binary file read as text names the file and says it is not text (no raw bytes).
    expect(bad.stderr).toMatch(/^error: glove\.bin is not a text file \(/);
  }, 60_000);
});
