#!/usr/bin/env node
// Benchmark: parse-and-quantize throughput of the wasm loaders in Node,
// against a plain-JavaScript parse of the same bytes in the same run.
//
//   npm run --silent bench:parse                    readable table on stdout
//   npm run --silent bench:parse -- --json          one JSON object per line
//   npm run --silent bench:parse -- --rows 20000 --repeats 5
//
// The table is the first --rows (default 100,000) words of the wink GloVe
// vectors (100 dims), written in a temp dir as GloVe text, word2vec .bin,
// Projector vectors.tsv and .npy + vocab.txt. Each file is read into memory
// first and fed to explorer.loadTableStream in 1 MiB chunks, as the page
// feeds File slices, so the disk is not measured; the time covers parsing,
// validation, int8 quantization, the recall@10 sample and the swap. MB/s
// is file bytes / median seconds over --repeats runs (default 3).
//
// Baseline: what a page would do without the core: TextDecoder, split into
// lines and fields, parseFloat into a Float32Array (text, tsv), or copy
// each row's floats out of the bytes (bin, npy). No quantization, so it is
// a lower bound on plain-JS cost.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readGloveSource, sourceRows } from '../../data/build.js';
import { EmbeddingExplorer } from '../js/explorer.js';
import { npyBytes } from '../../tests/fixtures/table-writers.mjs';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    repeats: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const rows = Number(args.rows);
const repeats = Math.max(1, Number(args.repeats));
const CHUNK = 1 << 20;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

function* chunks(bytes) {
  for (let at = 0; at < bytes.length; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
}

function writeFiles(dir, words, values, dims) {
  // Six decimals, as the GloVe text files are written (about 9 bytes a value).
  const row = (i) => Array.from(values.subarray(i * dims, (i + 1) * dims), (x) => String(Number(x.toFixed(6))));
  const files = {};
  let text = '';
  const textParts = [];
  for (let i = 0; i < words.length; i++) {
    text += `${words[i]} ${row(i).join(' ')}\n`;
    if (text.length > 1 << 24) textParts.push(text), (text = '');
  }
  textParts.push(text);
  files.text = join(dir, 'glove.txt');
  writeFileSync(files.text, textParts.join(''));

  const parts = [Buffer.from(`${words.length} ${dims}\n`)];
  words.forEach((w, i) => parts.push(Buffer.from(`${w} `), Buffer.from(values.buffer, i * dims * 4, dims * 4), Buffer.from('\n')));
  files['word2vec-bin'] = join(dir, 'glove.bin');
  writeFileSync(files['word2vec-bin'], Buffer.concat(parts));

  const tsvParts = [];
  for (let i = 0; i < words.length; i++) tsvParts.push(row(i).join('\t') + '\n');
  files.tsv = join(dir, 'vectors.tsv');
  writeFileSync(files.tsv, tsvParts.join(''));
  files.metadata = join(dir, 'metadata.tsv');
  writeFileSync(files.metadata, words.join('\n') + '\n');

  files.npy = join(dir, 'glove.npy');
  writeFileSync(files.npy, npyBytes('<f4', [words.length, dims], values.subarray(0, words.length * dims)));
  files.vocab = join(dir, 'vocab.txt');
  writeFileSync(files.vocab, words.join('\n') + '\n');
  return files;
}

// ---- plain-JS baselines -------------------------------------------------

function baselineText(bytes, separator) {
  const lines = new TextDecoder().decode(bytes).split('\n');
  let out = null;
  let dims = 0;
  let r = 0;
  for (const line of lines) {
    if (!line) continue;
    const fields = line.split(separator);
    const first = separator === ' ' ? 1 : 0;
    if (!out) {
      dims = fields.length - first;
      out = new Float32Array(lines.length * dims);
    }
    for (let d = 0; d < dims; d++) out[r * dims + d] = parseFloat(fields[first + d]);
    r++;
  }
  return r;
}

function baselineBinary(bytes) {
  const newline = bytes.indexOf(10);
  const [count, dims] = new TextDecoder().decode(bytes.subarray(0, newline)).split(' ').map(Number);
  const out = new Float32Array(count * dims);
  const decoder = new TextDecoder();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = newline + 1;
  for (let r = 0; r < count; r++) {
    while (bytes[at] === 10) at++;
    const space = bytes.indexOf(32, at);
    decoder.decode(bytes.subarray(at, space));
    at = space + 1;
    for (let d = 0; d < dims; d++, at += 4) out[r * dims + d] = view.getFloat32(at, true);
  }
  return count;
}

function baselineNpy(bytes) {
  const headerLength = bytes[8] | (bytes[9] << 8);
  const data = bytes.subarray(10 + headerLength);
  const out = new Float32Array(data.length / 4);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out.length;
}

// ---- run ------------------------------------------------------------------

log(`reading the wink GloVe source for ${rows} rows ...`);
const source = await readGloveSource();
const count = Math.min(rows, source.words.length);
const words = source.words.slice(0, count);
const values = sourceRows(source, count);
const dir = mkdtempSync(join(tmpdir(), 'parse-bench-'));
const explorer = await EmbeddingExplorer.create();
try {
  const files = writeFiles(dir, words, values, source.dims);
  const formats = [
    { format: 'text', file: files.text, baseline: (b) => baselineText(b, ' ') },
    { format: 'word2vec-bin', file: files['word2vec-bin'], baseline: baselineBinary },
    { format: 'tsv', file: files.tsv, companions: { metadata: files.metadata }, baseline: (b) => baselineText(b, '\t') },
    { format: 'npy', file: files.npy, companions: { vocab: files.vocab }, baseline: baselineNpy },
  ];
  const results = [];
  for (const { format, file, companions = {}, baseline } of formats) {
    const bytes = readFileSync(file);
    const options = { fileName: file.split('/').pop(), format, totalBytes: bytes.length };
    if (companions.metadata) options.metadata = { fileName: 'metadata.tsv', bytes: readFileSync(companions.metadata) };
    if (companions.vocab) options.vocab = { fileName: 'vocab.txt', bytes: readFileSync(companions.vocab) };
    let report;
    try {
      ({ report } = await explorer.loadTableStream(chunks(bytes), options)); // warm-up (and checks it loads)
    } catch (error) {
      log(`${format}: skipped (${error.message})`);
      continue;
    }
    const wasm = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      await explorer.loadTableStream(chunks(bytes), options);
      wasm.push(performance.now() - started);
    }
    baseline(bytes);
    const plain = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      baseline(bytes);
      plain.push(performance.now() - started);
    }
    const mb = bytes.length / 1e6;
    const line = {
      format,
      rows: report.words,
      dims: report.dims,
      mb: Number(mb.toFixed(1)),
      median_ms: Number(median(wasm).toFixed(1)),
      mb_per_s: Number((mb / (median(wasm) / 1000)).toFixed(1)),
      baseline_mb_per_s: Number((mb / (median(plain) / 1000)).toFixed(1)),
      target_mb_per_s: format === 'text' || format === 'tsv' ? 30 : 100,
      recall_at_10: Number(report.recallAt10.toFixed(4)),
      repeats,
    };
    line.meets_target = line.mb_per_s >= line.target_mb_per_s;
    results.push(line);
    log(`${format}: ${line.mb_per_s} MB/s`);
  }
  if (args.json) {
    for (const r of results) console.log(JSON.stringify(r));
  } else {
    console.log('format        rows x dims      MB   wasm MB/s  plain JS MB/s  target  recall@10');
    for (const r of results) {
      console.log(
        `${r.format.padEnd(13)} ${`${r.rows} x ${r.dims}`.padEnd(14)} ${String(r.mb).padStart(6)}  ${String(r.mb_per_s).padStart(9)}  ${String(r.baseline_mb_per_s).padStart(13)}  ${`>= ${r.target_mb_per_s}`.padStart(6)} ${r.meets_target ? '✓' : '✗'}  ${r.recall_at_10}`,
      );
    }
  }
} finally {
  explorer.dispose();
  rmSync(dir, { recursive: true, force: true });
}
