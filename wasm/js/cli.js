#!/usr/bin/env node
// The Node CLI: the same wasm core the page uses, one command per query.
//
//   npm run --silent cli -- analogy man king woman
//   npm run --silent cli -- expr "king - man + woman" --space abtt:3 --json
//
// Prints only results on stdout; errors go to stderr with a non-zero exit.
import { createReadStream } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EmbeddingExplorer, ErrorCode, ExplorerError } from './explorer.js';
import { projectCommand } from './cli-project.js';
import { geometryCommand, offsetsCommand } from './cli-analogy.js';
import { knnCommand } from './cli-knn.js';
import { umapCommand } from './cli-umap.js';
import { contributionsCommand, directionCommand, neutralisedQuery, oddOneOutCommand, pathCommand } from './cli-directions.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_TABLE = join(repoRoot, 'data', 'glove-6b-100d-50k.emb');

const USAGE = `usage: cli <command> [options]

commands:
  neighbors WORD                 nearest words by cosine, or by distance with --metric euclidean
                                 (also: neighbours)
  analogy A B C                  A : B :: C : ?   (analogy man king woman -> queen)
  expr "EXPRESSION"              word arithmetic: "king - man + woman", "0.5*paris + 0.5*rome"
  similarity W1 W2               cosine similarity
  odd-one-out W1 W2 W3 ...       the word that fits least (cosine to the mean of all, and of the others)
  direction PAIRS [WORD ...]     a direction from word pairs ("he:she,man:woman" or a preset: gender,
                                 age, ...): its consistency, each pair's cosine to it, and words
                                 ranked by projection at both ends (WORDs, --list FILE, or the
                                 vocabulary; --words M: only the M most frequent)
  contributions A B              per-dimension products u_d·v_d of two words or expressions,
                                 largest first, with the running share of the cosine (-k rows)
  path START TARGET              the neighbour navigator's shortest path through nearest-10 lists
                                 over the --words N most frequent words (default 10000);
                                 path --pick HOPS [--seed S]: a seeded start and target that far
  stats                          anisotropy figures of the table in --space
  eval-analogies FILE            accuracy on a questions-words file [--predictions OUT.tsv]
  eval-pairs FILE                Spearman/Pearson on "word1 word2 score" lines
  info                           load --data and print its quantization report
  convert IN OUT                 load IN (any format below) and write it as an EMBQ table
  project [WORD ...] --axes AXES words along named axes, in cosine units: AXES is 1 to 3
                                 presets (gender,age,royalty,number,tense,capital,plural) or
                                 "man:woman;king:queen" pairs or "man,boy:woman,girl" sets,
                                 joined by "|"; the missing axes are PCA of the residual
  project [WORD ...] --components C1,C2,C3 [--pca words|table]   words on any three of the top
                                 10 principal components (1-based, default 1,2,3) of the words
                                 (default) or of the whole table, with each one's share of the variance
  offsets --section NAME         each pair's offset cosine to the relation's mean offset, from a
                                 section of --file (default data/analogies-builtin.txt)
  knn [--words N] [-k K]         all K nearest neighbours of the N most frequent words among each
                                 other (default N 10000), timed; --check: recall against float32
  umap [--words N] [--dims 2|3]  seeded UMAP layout of the N most frequent words (default 5000) as
       [--neighbors K] [--min-dist D] [--seed S] [--out FILE]   TSV: word, then the coordinates

options:
  -k N                           number of results (default 10)
  --method 3cosadd|3cosmul       analogy method (default 3cosadd)
  --space raw|centered|whitened[:K]|zca|abtt:D[~PAIRS]   (default raw)
  --spaces S1,S2,...             eval-analogies, eval-pairs: score each space, e.g.
                                 --spaces raw,centered,whitened,abtt:3
  --compare                      analogy: also the other method's answers (and its rank of
                                 --expected); stats: the raw space beside --space
  --data FILE                    embedding table (default data/glove-6b-100d-50k.emb): EMBQ,
                                 word2vec/GloVe text (.txt/.vec), word2vec binary (.bin),
                                 Projector vectors.tsv, NumPy .npy or .safetensors
  --format F                     text|word2vec-bin|tsv|npy|safetensors|embq (default: detected)
  --vocab FILE                   vocab.txt or tokenizer.json (for .npy and .safetensors)
  --metadata FILE                metadata.tsv (labels and columns for vectors.tsv)
  --tensor NAME                  safetensors tensor, e.g. wte.weight (default: the only 2-D one)
  --metric cosine|euclidean      neighbors, expr: rank by cosine (default) or by Euclidean distance
                                 between the full-length vectors in --space (scores are distances,
                                 nearest first; expr sums the full-length vectors)
  --include-inputs               let analogy/expression inputs appear in results
  --expected WORD                with analogy: also report the rank of WORD
  --geometry                     analogy, expr: the computed point's norm, its nearest word (and
                                 cosine), and the full-space cosine of the offsets a->b, c->d
  --section NAME, --file FILE    offsets: the relation and the analogy file
  --axes AXES                    project: the named axes (see project)
  --words N                      project: also the N most frequent words (default 20 when
                                 no WORD is named)
                                 knn: how many of the most frequent words (default 10000)
  --check                        knn: recall@k against a float32 brute force (1000 sampled rows);
                                 umap: neighbour preservation and trustworthiness of the layout
  --neutralise PAIRS             neighbors, analogy, expr: also answer with the direction of PAIRS
                                 ("he:she,man:woman" or a preset) projected out of --space, side
                                 by side, with the words that entered and left the top k; any
                                 --space also takes such a space directly: "centered~he:she,man:woman"
  --direction-method mean|pc     direction, --neutralise: mean of the normalised differences
                                 (default) or their first principal component
  --list FILE                    direction: words to rank (whitespace or comma separated)
  --pick HOPS, --seed S          path: a seeded start and target HOPS hops apart
  --json                         machine-readable output
`;

class UsageError extends Error {}

/** @typedef {import('./explorer.js').AnalogyMethod} AnalogyMethod */
/** @typedef {import('./explorer.js').ScoredWord} ScoredWord */
/** @typedef {import('./explorer.js').ExpectedRank} ExpectedRank */
/**
 * @typedef {{ k: number, method: AnalogyMethod, space: string, spaces?: string[], compare: boolean,
 *   data?: string, format?: string, vocab?: string, metadata?: string, tensor?: string, json: boolean,
 *   includeInputs: boolean, expected?: string, predictions?: string, axes?: string, pca?: string, components?: string, words?: string, help: boolean,
 *   geometry: boolean, section?: string, file?: string, check: boolean, dims?: string, neighbors?: string,
 *   'min-dist'?: string, seed?: string, out?: string, neutralise?: string, 'direction-method'?: string, list?: string,
 *   pick?: string, metric: import('./explorer.js').NeighborMetric }} CliOptions
 */

/**
 * @param {string[]} argv
 * @returns {{ options: CliOptions, command: string | undefined, args: string[] }}
 */
function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      k: { type: 'string', short: 'k', default: '10' },
      method: { type: 'string', default: '3cosadd' },
      space: { type: 'string', default: 'raw' },
      spaces: { type: 'string' },
      compare: { type: 'boolean', default: false },
      data: { type: 'string' },
      format: { type: 'string' },
      vocab: { type: 'string' },
      metadata: { type: 'string' },
      tensor: { type: 'string' },
      json: { type: 'boolean', default: false },
      'include-inputs': { type: 'boolean', default: false },
      expected: { type: 'string' },
      predictions: { type: 'string' },
      axes: { type: 'string' },
      pca: { type: 'string' },
      components: { type: 'string' },
      words: { type: 'string' },
      geometry: { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      section: { type: 'string' },
      file: { type: 'string' },
      dims: { type: 'string' },
      neighbors: { type: 'string' },
      'min-dist': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      neutralise: { type: 'string' },
      'direction-method': { type: 'string' },
      list: { type: 'string' },
      pick: { type: 'string' },
      metric: { type: 'string', default: 'cosine' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.metric !== 'cosine' && values.metric !== 'euclidean') {
    throw new UsageError(`--metric must be cosine or euclidean, got "${values.metric}"`);
  }
  if (!/^\d+$/.test(values.k)) throw new UsageError(`-k must be a positive whole number, got "${values.k}"`);
  if (values.method !== '3cosadd' && values.method !== '3cosmul') {
    throw new UsageError(`--method must be 3cosadd or 3cosmul, got "${values.method}"`);
  }
  const spaces = values.spaces?.split(',').map((s) => s.trim());
  if (spaces && spaces.some((s) => s === '')) throw new UsageError(`--spaces needs a comma-separated list of spaces, got "${values.spaces}"`);
  const { 'include-inputs': includeInputs, ...rest } = values;
  return {
    options: { ...rest, k: Number(values.k), method: values.method, metric: /** @type {import('./explorer.js').NeighborMetric} */ (values.metric), spaces, includeInputs },
    command: positionals[0],
    args: positionals.slice(1),
  };
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {number | '3+'} count
 * @param {string} names
 */
function needArgs(command, args, count, names) {
  const ok = count === '3+' ? args.length >= 3 : args.length === count;
  if (!ok) throw new UsageError(`${command} needs ${names}`);
}

/** @param {number} x */
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
/** @param {{ correct: number, count: number }} score */
const accuracy = ({ correct, count }) => (count ? `${((100 * correct) / count).toFixed(2)}%` : '-');

/**
 * @param {{ results: { word: string, score: number }[], expected?: ExpectedRank }} out
 */
function resultLines(out) {
  const width = Math.max(4, ...out.results.map((r) => [...r.word].length));
  const lines = out.results.map((r, i) => `${String(i + 1).padStart(3)}. ${r.word.padEnd(width)}  ${fmt(r.score)}`);
  if (out.expected) lines.push(`expected "${out.expected.word}" ranks ${out.expected.rank} (score ${fmt(out.expected.score)})`);
  return lines.join('\n');
}

/**
 * @param {{ results: { word: string, score: number }[], expected?: ExpectedRank }} out
 * @param {{ json: boolean }} options
 */
function printResults(out, { json }) {
  return json ? JSON.stringify(out) : resultLines(out);
}

/**
 * Euclidean answers say what produced them, since their scores read the
 * opposite way to cosines (smaller is nearer).
 * @param {{ results: ScoredWord[], metric: string, space: string }} out
 * @param {{ json: boolean }} options
 */
function printByDistance({ results, metric, space }, { json }) {
  if (json) return JSON.stringify({ metric, space, results: plain(results) });
  return `nearest by Euclidean distance in the ${space} space (scores are distances, smaller is nearer):\n${resultLines({ results: plain(results) })}`;
}

/** @param {ScoredWord[]} results */
const plain = (results) => results.map(({ word, score }) => ({ word, score }));

/**
 * @param {{ method: AnalogyMethod, results: ScoredWord[], expected?: ExpectedRank }} answers
 * @returns {{ method: AnalogyMethod, results: { word: string, score: number }[], expected?: ExpectedRank }}
 */
function plainAnswers({ method, results, expected }) {
  return expected ? { method, results: plain(results), expected } : { method, results: plain(results) };
}

/** @param {string | undefined} file */
async function readCompanion(file) {
  if (!file) return undefined;
  try {
    return { fileName: basename(file), bytes: await readFile(file) };
  } catch (error) {
    throw new ExplorerError(`cannot read ${file}: ${errorCodeOf(error)}`, { code: ErrorCode.BAD_DATA });
  }
}

/** @param {unknown} error */
const errorCodeOf = (error) => /** @type {{ code?: string, message?: string }} */ (error)?.code ?? String(error);

/** @param {string} file */
async function readText(file) {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ExplorerError(`cannot read ${file}: ${errorCodeOf(error)}`, { code: ErrorCode.BAD_DATA });
  }
}

/**
 * Loads --data into the explorer. An EMBQ table is read whole (it is the
 * compact form); every other format streams through the core's parser, so
 * a 1 GB text file never sits in memory. Returns the quantization report
 * when one is wanted (an EMBQ table then goes through the loader too).
 * @param {EmbeddingExplorer} explorer
 * @param {string} file
 * @param {CliOptions} options
 * @param {{ wantReport: boolean }} want
 */
async function loadData(explorer, file, options, { wantReport }) {
  let handle;
  let head;
  let size;
  try {
    handle = await open(file, 'r');
    size = (await handle.stat()).size;
    const { buffer, bytesRead } = await handle.read(new Uint8Array(4096), 0, 4096, 0);
    head = buffer.subarray(0, bytesRead);
  } catch (error) {
    const hint = file === DEFAULT_TABLE ? ' (build it with: npm run data)' : '';
    throw new ExplorerError(`cannot read data file ${file}: ${errorCodeOf(error)}${hint}`, { code: ErrorCode.BAD_DATA });
  } finally {
    await handle?.close();
  }
  const fileName = basename(file);
  const format = options.format ?? explorer.detectFormat(fileName, head);
  if (format === 'embq' && !wantReport) {
    explorer.load(await readFile(file));
    return null;
  }
  const { report } = await explorer.loadTableStream(createReadStream(file, { highWaterMark: 1 << 20 }), {
    fileName,
    format,
    totalBytes: size,
    vocab: await readCompanion(options.vocab),
    metadata: await readCompanion(options.metadata),
    tensor: options.tensor,
  });
  return report;
}

/** @param {import('./explorer.js').LoadReport} r */
function formatReport(r) {
  const mb = (/** @type {number} */ n) => `${(n / 1e6).toFixed(2)} MB`;
  return [
    `file          ${r.fileName} (${r.format})`,
    `words         ${r.words}`,
    `dimensions    ${r.dims}`,
    `duplicates    ${r.duplicates}${r.duplicates ? ` (first: "${r.firstDuplicate}", kept the first occurrence)` : ''}`,
    `float32 bytes ${r.bytesBefore} (${mb(r.bytesBefore)})`,
    `int8 bytes    ${r.bytesAfter} (${mb(r.bytesAfter)}, ${(r.bytesBefore / r.bytesAfter).toFixed(2)}x smaller)`,
    `recall@10     ${r.recallAt10.toFixed(4)} (int8 vs float32 over ${r.recallQueries} seeded queries${r.format === 'embq' ? '; an EMBQ file is already int8, so its floats are its own dequantized rows' : ''})`,
  ].join('\n');
}

/** @param {number | string} v */
const figure = (v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(5) : String(v));

/**
 * Figures as aligned lines, one column per stats object.
 * @param {import('./explorer.js').SpaceStats[]} columns
 */
function statsLines(columns) {
  const keys = /** @type {(keyof import('./explorer.js').SpaceStats)[]} */ (Object.keys(columns[0]));
  return keys.map((key) => `${key.padEnd(18)} ${columns.map((c) => figure(c[key]).padEnd(14)).join(' ').trimEnd()}`).join('\n');
}

const COMMANDS = ['neighbors', 'neighbours', 'analogy', 'expr', 'similarity', 'odd-one-out', 'stats', 'eval-analogies', 'eval-pairs', 'info', 'convert', 'project', 'offsets', 'knn', 'umap', 'direction', 'contributions', 'path'];
const NEUTRALISABLE = ['neighbors', 'neighbours', 'analogy', 'expr'];

/**
 * @param {string[]} argv
 * @returns {Promise<{ stdout: string }>}
 */
async function run(argv) {
  const { options, command, args } = parse(argv);
  if (options.help || !command) return { stdout: USAGE };
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === 'convert') needArgs(command, args, 2, 'IN and OUT files');
  if (options.spaces && command !== 'eval-analogies' && command !== 'eval-pairs') {
    throw new UsageError('--spaces is for eval-analogies and eval-pairs; use --space for one space');
  }
  if (options.compare && command !== 'analogy' && command !== 'stats') throw new UsageError('--compare is for analogy and stats');
  if (options.neutralise !== undefined && !NEUTRALISABLE.includes(command)) {
    throw new UsageError('--neutralise is for neighbors, analogy and expr; other commands take a neutralised --space, e.g. "raw~he:she"');
  }
  if (options.neutralise !== undefined && (options.compare || options.geometry)) throw new UsageError('--neutralise does not combine with --compare or --geometry');
  if (options.metric === 'euclidean') {
    if (!['neighbors', 'neighbours', 'expr'].includes(command)) throw new UsageError('--metric euclidean is for neighbors and expr');
    if (options.neutralise !== undefined || options.geometry) throw new UsageError('--metric euclidean does not combine with --neutralise or --geometry');
  }

  const dataFile = command === 'convert' ? args[0] : (options.data ?? DEFAULT_TABLE);
  const explorer = await EmbeddingExplorer.create();
  try {
    const report = await loadData(explorer, dataFile, options, { wantReport: command === 'info' || command === 'convert' });
    if (command === 'info') return { stdout: options.json ? JSON.stringify(report) : formatReport(/** @type {import('./explorer.js').LoadReport} */ (report)) };
    if (command === 'convert') {
      const loaded = /** @type {import('./explorer.js').LoadReport} */ (report);
      const bytes = explorer.saveTable();
      await writeFile(args[1], bytes);
      const summary = { ...loaded, out: args[1], outBytes: bytes.length };
      return { stdout: options.json ? JSON.stringify(summary) : `${formatReport(loaded)}\nwrote ${args[1]} (${bytes.length} bytes)` };
    }
    const { k, method, json, includeInputs } = options;
    if (command === 'stats') {
      // Computed in the space asked for; the raw space beside it with --compare.
      needArgs(command, args, 0, 'no arguments');
      const stats = explorer.stats({ space: options.space });
      if (!options.compare) return { stdout: json ? JSON.stringify(stats) : statsLines([stats]) };
      const raw = explorer.stats({ space: 'raw' });
      if (json) return { stdout: JSON.stringify({ raw, [stats.space]: stats }) };
      return { stdout: `${''.padEnd(18)} ${'raw'.padEnd(14)} ${stats.space}\n${statsLines([raw, stats])}` };
    }
    if (command === 'eval-analogies' || command === 'eval-pairs') {
      needArgs(command, args, 1, command === 'eval-analogies' ? 'a questions-words FILE' : 'a word-pairs FILE');
      const text = await readText(args[0]);
      if (options.spaces) return { stdout: await acrossSpaces(explorer, command, text, options) };
      return { stdout: command === 'eval-analogies' ? await evalAnalogies(explorer, text, options) : evalPairs(explorer, text, options) };
    }
    explorer.setSpace(options.space);
    const usageError = (/** @type {string} */ message) => new UsageError(message);
    if (options.neutralise !== undefined) {
      if (command === 'analogy') needArgs(command, args, 3, 'three words: A B C (A : B :: C : ?)');
      else needArgs(command, args, 1, command === 'expr' ? 'one quoted expression' : 'one WORD');
      const query = command === 'analogy' ? { analogy: /** @type {[string, string, string]} */ ([args[0], args[1], args[2]]), method } : command === 'expr' ? { expression: args[0] } : { neighbors: args[0] };
      return { stdout: await neutralisedQuery(explorer, { ...query, k }, { ...options, neutralise: options.neutralise }, usageError) };
    }
    switch (command) {
      case 'neighbors':
      case 'neighbours': {
        needArgs(command, args, 1, 'one WORD');
        if (options.metric === 'euclidean') return { stdout: printByDistance(explorer.neighbors(args[0], { k, metric: 'euclidean' }), options) };
        return { stdout: printResults({ results: plain(explorer.neighbors(args[0], { k }).results) }, options) };
      }
      case 'analogy': {
        needArgs(command, args, 3, 'three words: A B C (A : B :: C : ?)');
        if (options.geometry) return { stdout: geometryCommand(explorer, { a: args[0], b: args[1], c: args[2], answer: options.expected }, options) };
        const out = explorer.analogy(args[0], args[1], args[2], { k, method, includeInputs, expected: options.expected, compare: options.compare });
        const { results, expected } = plainAnswers(out);
        if (!out.other) return { stdout: printResults(expected ? { results, expected } : { results }, options) };
        const other = plainAnswers(out.other);
        if (json) return { stdout: JSON.stringify(expected ? { results, expected, other } : { results, other }) };
        return { stdout: `${method}:\n${resultLines({ results, expected })}\n\n${other.method}:\n${resultLines(other)}` };
      }
      case 'expr': {
        needArgs(command, args, 1, 'one quoted expression, e.g. "king - man + woman"');
        if (options.geometry) return { stdout: geometryCommand(explorer, { text: args[0] }, options) };
        if (options.metric === 'euclidean') return { stdout: printByDistance(explorer.expression(args[0], { k, includeInputs, metric: 'euclidean' }), options) };
        return { stdout: printResults({ results: plain(explorer.expression(args[0], { k, includeInputs }).results) }, options) };
      }
      case 'similarity': {
        needArgs(command, args, 2, 'two words');
        const score = explorer.similarity(args[0], args[1]);
        return { stdout: json ? JSON.stringify({ word1: args[0], word2: args[1], score }) : fmt(score) };
      }
      case 'offsets':
        needArgs(command, args, 0, 'no arguments (name the relation with --section)');
        return { stdout: await offsetsCommand(explorer, options, (message) => new UsageError(message)) };
      case 'knn':
        needArgs(command, args, 0, 'no words (choose how many with --words N)');
        return { stdout: await knnCommand(explorer, options, (message) => new UsageError(message)) };
      case 'umap':
        needArgs(command, args, 0, 'no words (choose how many with --words N)');
        return { stdout: await umapCommand(explorer, options, (message) => new UsageError(message)) };
      case 'project':
        return { stdout: await projectCommand(explorer, args, options, (message) => new UsageError(message)) };
      case 'odd-one-out':
        needArgs(command, args, '3+', 'at least three words');
        return { stdout: oddOneOutCommand(explorer, args, options) };
      case 'direction':
        return { stdout: await directionCommand(explorer, args, options, usageError) };
      case 'contributions':
        needArgs(command, args, 2, 'two words or quoted expressions, e.g. "king - man + woman" queen');
        return { stdout: contributionsCommand(explorer, args, options) };
      case 'path':
        return { stdout: await pathCommand(explorer, args, options, usageError) };
    }
    throw new UsageError(`unknown command "${command}"`);
  } finally {
    explorer.dispose();
  }
}

/**
 * @param {EmbeddingExplorer} explorer
 * @param {string} text
 * @param {CliOptions} options
 */
async function evalAnalogies(explorer, text, { method, space, json, predictions }) {
  const result = await explorer.evaluateAnalogies(text, { method, space, predictions: Boolean(predictions) });
  if (predictions && result.predictions) {
    const lines = result.predictions.map((p) => [p.section, p.a, p.b, p.c, p.expected, p.predicted].join('\t'));
    await writeFile(predictions, lines.join('\n') + '\n');
  }
  const { total, sections, seconds, skipped, invalidLines } = result;
  if (json) return JSON.stringify({ space: result.space, total, sections, seconds, skipped, invalidLines });
  const lines = sections.map((s) => `${s.name.padEnd(28)} ${String(s.correct).padStart(5)}/${String(s.count).padEnd(5)} ${accuracy(s)}`);
  lines.push(`${'total'.padEnd(28)} ${String(total.correct).padStart(5)}/${String(total.count).padEnd(5)} ${accuracy(total)}`);
  lines.push(`skipped ${skipped} questions with unknown words; ${seconds.toFixed(2)} s`);
  return lines.join('\n');
}

/**
 * @param {EmbeddingExplorer} explorer
 * @param {string} text
 * @param {CliOptions} options
 */
function evalPairs(explorer, text, { space, json }) {
  const { spearman, pearson, pairs, oov, invalidLines } = explorer.evaluatePairs(text, { space });
  if (json) return JSON.stringify({ spearman, pearson, pairs, oov, invalidLines });
  return `spearman ${fmt(spearman)}\npearson  ${fmt(pearson)}\npairs    ${pairs}\noov      ${oov}`;
}

/**
 * One benchmark in each of --spaces: a row per space.
 * @param {EmbeddingExplorer} explorer
 * @param {'eval-analogies' | 'eval-pairs'} command
 * @param {string} text
 * @param {CliOptions} options
 */
async function acrossSpaces(explorer, command, text, { spaces, method, json }) {
  const analogies = command === 'eval-analogies';
  const rows = await explorer.evaluateAcrossSpaces({ spaces, method, ...(analogies ? { analogies: text } : { pairs: text }) });
  if (json) {
    return JSON.stringify(
      rows.map(({ space, analogies: a, pairs: p }) =>
        a ? { space, total: a.total, sections: a.sections, skipped: a.skipped } : { space, ...p },
      ),
    );
  }
  const width = Math.max(5, ...rows.map((r) => r.space.length));
  const header = analogies ? `${'space'.padEnd(width)}  accuracy  correct/count` : `${'space'.padEnd(width)}  spearman  pearson`;
  const lines = rows.map(({ space, analogies: a, pairs: p }) =>
    a
      ? `${space.padEnd(width)}  ${accuracy(a.total).padStart(8)}  ${a.total.correct}/${a.total.count}`
      : `${space.padEnd(width)}  ${fmt(/** @type {import('./explorer.js').PairScores} */ (p).spearman).padStart(8)}  ${fmt(/** @type {import('./explorer.js').PairScores} */ (p).pearson)}`,
  );
  return [header, ...lines].join('\n');
}

run(process.argv.slice(2)).then(
  ({ stdout }) => process.stdout.write(stdout.endsWith('\n') ? stdout : stdout + '\n'),
  (error) => {
    if (error instanceof UsageError || error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ExplorerError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`error: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
