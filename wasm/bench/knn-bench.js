// The batched k-NN lines of `npm run bench`: all 10 nearest neighbours of
// the 10,000 and the 50,000 most frequent words among each other, in the
// wasm core (KnnBuild, stepped through the wrapper as the worker runs it)
// against the plain-JS baseline, one brute-force scan per row
// (baseline.neighbours on the float32 GloVe rows).
//
// The JS graph would take minutes at 50k, so it is timed on SAMPLE_ROWS
// evenly spaced rows and scaled to all rows (each row is the same full
// scan); the line says so. The same sampled rows give the recall of the
// wasm graph against exact float32 (the GloVe source, not the int8 table).
import * as baseline from './baseline.js';

const SAMPLE_ROWS = 300;
const K = 10;
const REPEATS = 3;

/**
 * @param {{ ex: import('../js/explorer.js').EmbeddingExplorer, base: any, size: any, reporter: any,
 *   line: (size: any, name: string, fields: object) => object, log: (message: string) => void,
 *   collectGarbage: () => void }} context
 */
export async function benchKnn({ ex, base, size, reporter, line, log, collectGarbage }) {
  for (const points of [10000, 50000]) {
    if (points > ex.words.length) continue;
    const ids = Array.from({ length: points }, (_, i) => i);
    const label = `${K}-NN graph ${points / 1000}k x ${points / 1000}k`;
    log(`  ${label}...`);
    await ex.knnGraph(ids.slice(0, 2000), { k: K });  // warm-up: compile and optimise the kernel
    collectGarbage();
    const times = [];
    let graph = null;
    for (let r = 0; r < REPEATS; r++) {
      graph = await ex.knnGraph(ids, { k: K });
      times.push(graph.seconds * 1000);
      collectGarbage();
    }
    times.sort((a, b) => a - b);
    const prefix = baseline.prefixTable(base, points);
    const sample = Array.from({ length: SAMPLE_ROWS }, (_, s) => Math.floor(((s + 0.5) * points) / SAMPLE_ROWS));
    baseline.neighbours(prefix, sample[0], K);
    const started = performance.now();
    let hits = 0;
    for (const row of sample) {
      const truth = new Set(baseline.neighbours(prefix, row, K).ids);
      for (let c = 0; c < K; c++) hits += truth.has(graph.neighbors[row * K + c]) ? 1 : 0;
    }
    const jsMs = ((performance.now() - started) / SAMPLE_ROWS) * points;
    reporter.emit(line(size, label, {
      words: points,
      median_ms: times[times.length >> 1],
      baseline_ms: jsMs,
      repeats: REPEATS,
      baseline_extrapolated_from: SAMPLE_ROWS,
      recall: hits / (SAMPLE_ROWS * K),
      min_ms: times[0],
      max_ms: times[times.length - 1],
    }));
  }
}
