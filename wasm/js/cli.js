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
import { EmbeddingExplorer, ExplorerError } from './explorer.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_TABLE = join(repoRoot, 'data', 'glove-6b-100d-50k.emb');

const USAGE = `usage: cli <command> [options]

commands:
  neighbors WORD                 nearest words by cosine
  analogy A B C                  A : B :: C : ?   (analogy man king woman -> queen)
  expr "EXPRESSION"              word arithmetic: "king - man + woman", "0.5*paris + 0.5*rome"
  similarity W1 W2               cosine similarity
  odd-one-out W1 W2 W3 ...       the word that fits least
  stats                          anisotropy figures of the table in the chosen space
  eval-analogies FILE            accuracy on a questions-words file [--predictions OUT.tsv]
  eval-pairs FILE                Spearman/Pearson on "word1 word2 score" lines
  info                           load --data and print its quantization report
  convert IN OUT                 load IN (any format below) and write it as an EMBQ table

options:
  -k N                           number of results (default 10)
  --method 3cosadd|3cosmul       analogy method (default 3cosadd)
  --space raw|centered|whitened[:K]|zca|abtt:D   (default raw)
  --data FILE                    embedding table (default data/glove-6b-100d-50k.emb): EMBQ,
                                 word2vec/GloVe text (.txt/.vec), word2vec binary (.bin),
                                 Projector vectors.tsv, NumPy .npy or .safetensors
  --format F                     text|word2vec-bin|tsv|npy|safetensors|embq (default: detected)
  --vocab FILE                   vocab.txt or tokenizer.json (for .npy and .safetensors)
  --metadata FILE                metadata.tsv (labels and columns for vectors.tsv)
  --tensor NAME                  safetensors tensor, e.g. wte.weight (default: the only 2-D one)
  --include-inputs               let analogy/expression inputs appear in results
  --expected WORD                with analogy: also report the rank of WORD
  --json                         machine-readable output
`;

class UsageError extends Error {}

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      k: { type: 'string', short: 'k', default: '10' },
      method: { type: 'string', default: '3cosadd' },
      space: { type: 'string', default: 'raw' },
      data: { type: 'string' },
      format: { type: 'string' },
      vocab: { type: 'string' },
      metadata: { type: 'string' },
      tensor: { type: 'string' },
      json: { type: 'boolean', default: false },
      'include-inputs': { type: 'boolean', default: false },
      expected: { type: 'string' },
      predictions: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!/^\d+$/.test(values.k)) throw new UsageError(`-k must be a positive whole number, got "${values.k}"`);
  return { options: { ...values, k: Number(values.k) }, command: positionals[0], args: positionals.slice(1) };
}

function needArgs(command, args, count, names) {
  const ok = count === '3+' ? args.length >= 3 : args.length === count;
  if (!ok) throw new UsageError(`${command} needs ${names}`);
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

function printResults(out, { json }) {
  if (json) return JSON.stringify(out);
  const width = Math.max(4, ...out.results.map((r) => [...r.word].length));
  const lines = out.results.map((r, i) => `${String(i + 1).padStart(3)}. ${r.word.padEnd(width)}  ${fmt(r.score)}`);
  if (out.expected) lines.push(`expected "${out.expected.word}" ranks ${out.expected.rank} (score ${fmt(out.expected.score)})`);
  return lines.join('\n');
}

const plain = (results) => results.map(({ word, score }) => ({ word, score }));

async function readCompanion(file) {
  if (!file) return undefined;
  try {
    return { fileName: basename(file), bytes: await readFile(file) };
  } catch (error) {
    throw new ExplorerError(`cannot read ${file}: ${error.code ?? error.message}`, { code: 'BAD_DATA' });
  }
}

/**
 * Loads --data into the explorer. An EMBQ table is read whole (it is the
 * compact form); every other format streams through the core's parser, so
 * a 1 GB text file never sits in memory. Returns the quantization report
 * when one is wanted (an EMBQ table then goes through the loader too).
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
    throw new ExplorerError(`cannot read data file ${file}: ${error.code ?? error.message}${hint}`, { code: 'BAD_DATA' });
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

function formatReport(r) {
  const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
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

async function run(argv) {
  const { options, command, args } = parse(argv);
  if (options.help || !command) return { stdout: USAGE };
  const known = ['neighbors', 'analogy', 'expr', 'similarity', 'odd-one-out', 'stats', 'eval-analogies', 'eval-pairs', 'info', 'convert'];
  if (!known.includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === 'convert') needArgs(command, args, 2, 'IN and OUT files');

  const dataFile = command === 'convert' ? args[0] : (options.data ?? DEFAULT_TABLE);
  const explorer = await EmbeddingExplorer.create();
  try {
    const report = await loadData(explorer, dataFile, options, { wantReport: command === 'info' || command === 'convert' });
    if (command === 'info') return { stdout: options.json ? JSON.stringify(report) : formatReport(report) };
    if (command === 'convert') {
      const bytes = explorer.saveTable();
      await writeFile(args[1], bytes);
      const summary = { ...report, out: args[1], outBytes: bytes.length };
      return { stdout: options.json ? JSON.stringify(summary) : `${formatReport(report)}\nwrote ${args[1]} (${bytes.length} bytes)` };
    }
    explorer.setSpace(options.space);
    const { k, method, json } = options;
    const includeInputs = options['include-inputs'];
    switch (command) {
      case 'neighbors': {
        needArgs(command, args, 1, 'one WORD');
        return { stdout: printResults({ results: plain(explorer.neighbors(args[0], { k }).results) }, options) };
      }
      case 'analogy': {
        needArgs(command, args, 3, 'three words: A B C (A : B :: C : ?)');
        const out = explorer.analogy(args[0], args[1], args[2], { k, method, includeInputs, expected: options.expected });
        const result = { results: plain(out.results) };
        if (out.expected) result.expected = out.expected;
        return { stdout: printResults(result, options) };
      }
      case 'expr': {
        needArgs(command, args, 1, 'one quoted expression, e.g. "king - man + woman"');
        return { stdout: printResults({ results: plain(explorer.expression(args[0], { k, includeInputs }).results) }, options) };
      }
      case 'similarity': {
        needArgs(command, args, 2, 'two words');
        const score = explorer.similarity(args[0], args[1]);
        return { stdout: json ? JSON.stringify({ word1: args[0], word2: args[1], score }) : fmt(score) };
      }
      case 'odd-one-out': {
        needArgs(command, args, '3+', 'at least three words');
        const { results } = explorer.oddOneOut(args);
        if (json) return { stdout: JSON.stringify({ odd: results[0].word, results: plain(results) }) };
        return { stdout: `${results[0].word}\n${printResults({ results }, options)}` };
      }
      case 'stats': {
        needArgs(command, args, 0, 'no arguments');
        const stats = explorer.stats();
        if (json) return { stdout: JSON.stringify(stats) };
        return { stdout: Object.entries(stats).map(([key, v]) => `${key.padEnd(18)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(5) : v}`).join('\n') };
      }
      case 'eval-analogies': {
        needArgs(command, args, 1, 'a questions-words FILE');
        const text = await readFile(args[0], 'utf8');
        const result = await explorer.evaluateAnalogies(text, { method, predictions: Boolean(options.predictions) });
        if (options.predictions) {
          const lines = result.predictions.map((p) => [p.section, p.a, p.b, p.c, p.expected, p.predicted].join('\t'));
          await writeFile(options.predictions, lines.join('\n') + '\n');
          delete result.predictions;
        }
        if (json) {
          return { stdout: JSON.stringify({ total: result.total, sections: result.sections, seconds: result.seconds, skipped: result.skipped }) };
        }
        const lines = result.sections.map((s) => `${s.name.padEnd(28)} ${String(s.correct).padStart(5)}/${String(s.count).padEnd(5)} ${s.count ? ((100 * s.correct) / s.count).toFixed(2) + '%' : '-'}`);
        lines.push(`${'total'.padEnd(28)} ${String(result.total.correct).padStart(5)}/${String(result.total.count).padEnd(5)} ${(100 * result.total.accuracy).toFixed(2)}%`);
        lines.push(`skipped ${result.skipped} questions with unknown words; ${result.seconds.toFixed(2)} s`);
        return { stdout: lines.join('\n') };
      }
      case 'eval-pairs': {
        needArgs(command, args, 1, 'a word-pairs FILE');
        const result = explorer.evaluatePairs(await readFile(args[0], 'utf8'));
        const { spearman, pearson, pairs, oov } = result;
        if (json) return { stdout: JSON.stringify({ spearman, pearson, pairs, oov }) };
        return { stdout: `spearman ${fmt(spearman)}\npearson  ${fmt(pearson)}\npairs    ${pairs}\noov      ${oov}` };
      }
    }
  } finally {
    explorer.dispose();
  }
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
