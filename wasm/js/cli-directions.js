// The CLI's direction tools (issue 9): `direction`, `contributions`, `path`,
// the to-others column of `odd-one-out`, and --neutralise on the query
// commands, which prints the answers before and after side by side.
//
//   npm run --silent cli -- direction gender --list data/occupations.txt
//   npm run --silent cli -- direction "he:she,man:woman" -k 10 --words 20000
//   npm run --silent cli -- analogy man doctor woman --neutralise gender
//   npm run --silent cli -- contributions "king - man + woman" queen
//   npm run --silent cli -- path cat car --words 10000
import { readFile } from 'node:fs/promises';
import { loadAxisPresets } from './cli-project.js';
import { beforeAfter, buildNavigator, contributions, cosineToOthers, direction, neutralisedSpace, rankAlong } from './explorer.js';

/** @typedef {import('./explorer.js').EmbeddingExplorer} EmbeddingExplorer */
/** @typedef {import('./explorer.js').ScoredWord} ScoredWord */
/** @typedef {(message: string) => Error} UsageErrorOf */

/** @param {number} x */
const fixed = (x) => (x >= 0 ? ' ' : '') + x.toFixed(4);
/** @param {ScoredWord[]} list */
const plain = (list) => list.map(({ word, score }) => ({ word, score }));

/**
 * Word pairs from "he:she,man:woman" (or ";" between pairs) or an axis preset name ("gender").
 * @param {string} text
 * @param {UsageErrorOf} usageError
 * @returns {Promise<{ name: string, pairs: [string, string][] }>}
 */
export async function parsePairs(text, usageError) {
  const trimmed = text.trim();
  if (!trimmed.includes(':')) {
    const presets = await loadAxisPresets();
    const preset = presets.find((p) => p.name === trimmed.toLowerCase());
    if (!preset) throw usageError(`unknown preset "${trimmed}" (expected ${presets.map((p) => p.name).join(', ')}, or pairs "he:she,man:woman")`);
    return { name: preset.name, pairs: preset.pairs };
  }
  /** @type {[string, string][]} */
  const pairs = trimmed.split(/[,;]/).map((s) => s.trim()).filter(Boolean).map((pair) => {
    const parts = pair.split(':').map((w) => w.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw usageError(`"${pair}" is not a word pair from:to`);
    return /** @type {[string, string]} */ (parts);
  });
  if (!pairs.length) throw usageError(`no word pairs in "${text}"`);
  return { name: trimmed, pairs };
}

/** @param {string | undefined} text @param {string} what @param {UsageErrorOf} usageError */
function wholeNumber(text, what, usageError) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw usageError(`${what} must be a whole number, got "${text}"`);
  return Number(text);
}

/** @param {string | undefined} text @param {UsageErrorOf} usageError @returns {'mean' | 'pc'} */
function directionMethod(text, usageError) {
  const method = text ?? 'mean';
  if (method !== 'mean' && method !== 'pc') throw usageError(`--direction-method must be mean or pc, got "${method}"`);
  return method;
}

/**
 * `direction PAIRS [WORD ...]`: the direction, its consistency and each pair's cosine to it,
 * then words ranked by their projection onto it: the named words or --list, else both ends of
 * the vocabulary (the --words most frequent; default all).
 * @param {EmbeddingExplorer} explorer
 * @param {string[]} args
 * @param {{ k: number, words?: string, list?: string, 'direction-method'?: string, json: boolean }} options
 * @param {UsageErrorOf} usageError
 */
export async function directionCommand(explorer, args, options, usageError) {
  if (!args.length) throw usageError('direction needs word pairs "he:she,man:woman" or a preset name (gender, ...)');
  const { name, pairs } = await parsePairs(args[0], usageError);
  const method = directionMethod(options['direction-method'], usageError);
  let words = args.slice(1);
  if (options.list) {
    let text;
    try {
      text = await readFile(options.list, 'utf8');
    } catch (error) {
      throw usageError(`cannot read --list ${options.list}: ${/** @type {{ code?: string }} */ (error).code ?? error}`);
    }
    words = [...words, ...text.split(/[\s,]+/).filter((w) => w && !w.startsWith('#'))];
  }
  const among = wholeNumber(options.words, '--words', usageError) ?? 0;
  const built = direction(explorer, pairs, { method });
  // Listed words outside the table are reported, not fatal: a pasted list often has a few.
  const known = words.filter((w) => explorer.find(w) >= 0);
  const missing = words.filter((w) => explorer.find(w) < 0);
  if (words.length && !known.length) throw usageError(`none of the ${words.length} listed words is in the table`);
  const ranking = rankAlong(explorer, built, { count: options.k, among, ...(known.length ? { words: [...new Set(known)] } : {}) });
  if (options.json) {
    return JSON.stringify({
      space: built.space,
      method: built.method,
      pairs: built.pairs,
      consistency: built.consistency,
      componentShares: Array.from(built.componentShares),
      positive: plain(ranking.positive),
      negative: plain(ranking.negative),
      ...(ranking.listed ? { listed: plain(ranking.listed) } : {}),
      missing,
    });
  }
  const first = built.pairs[0];
  const lines = [
    `direction "${name}" (${method === 'pc' ? 'first principal component' : 'mean of the normalised differences'} of ${pairs.length} pairs, ${built.space} space)`,
    `consistency ${built.consistency.toFixed(4)} (share of the pairs' variance on the first component; next: ${Array.from(built.componentShares.subarray(1, 3), (s) => s.toFixed(4)).join(', ')})`,
    `pair cosines to the direction: ${built.pairs.map((p) => `${p.from}:${p.to} ${p.cosine.toFixed(3)}`).join(', ')}`,
    `projection u·d in cosine units, positive towards "${first.to}", negative towards "${first.from}"`,
  ];
  const width = Math.max(4, ...[...ranking.positive, ...ranking.negative, ...(ranking.listed ?? [])].map((r) => [...r.word].length));
  const row = (/** @type {ScoredWord} */ r) => `  ${r.word.padEnd(width)} ${fixed(r.score)}`;
  if (ranking.listed) {
    lines.push(`${ranking.listed.length} listed words, from the "${first.to}" end to the "${first.from}" end:`, ...ranking.listed.map(row));
  } else {
    const scope = among ? `the ${among} most frequent words` : 'the vocabulary';
    lines.push(`most "${first.to}" of ${scope}:`, ...ranking.positive.map(row), `most "${first.from}" of ${scope}:`, ...ranking.negative.map(row));
  }
  if (missing.length) lines.push(`not in the table: ${missing.join(', ')}`);
  return lines.join('\n');
}

/**
 * The query commands with --neutralise: the same query in --space and in --space with the
 * direction projected out, side by side, and the words that entered and left the top k.
 * @param {EmbeddingExplorer} explorer
 * @param {import('./directions.js').Query} query
 * @param {{ neutralise: string, 'direction-method'?: string, json: boolean }} options
 * @param {UsageErrorOf} usageError
 */
export async function neutralisedQuery(explorer, query, options, usageError) {
  const { pairs } = await parsePairs(options.neutralise, usageError);
  const method = directionMethod(options['direction-method'], usageError);
  const out = beforeAfter(explorer, query, { neutralise: neutralisedSpace(explorer.space, pairs, { method }) });
  if (options.json) {
    return JSON.stringify({
      before: { space: out.before.space, results: plain(out.before.results) },
      after: { space: out.after.space, results: plain(out.after.results) },
      entered: out.entered.map((r) => r.word),
      left: out.left.map((r) => r.word),
    });
  }
  const width = Math.max(12, ...out.before.results.map((r) => [...r.word].length + 8));
  const title = (/** @type {string} */ s) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
  const lines = [`${'before'.padEnd(width + 6)}after (the direction of ${pairs.length} pair${pairs.length === 1 ? '' : 's'} projected out)`];
  lines.push(`${title(out.before.space).padEnd(width + 6)}${title(out.after.space)}`);
  const rows = Math.max(out.before.results.length, out.after.results.length);
  for (let i = 0; i < rows; i++) {
    const b = out.before.results[i], a = out.after.results[i];
    const left = b ? `${String(i + 1).padStart(3)}. ${b.word.padEnd(width - 8)} ${b.score.toFixed(4)}` : '';
    const right = a ? `${String(i + 1).padStart(3)}. ${a.word.padEnd(width - 8)} ${a.score.toFixed(4)}` : '';
    lines.push(`${left.padEnd(width + 6)}${right}`);
  }
  lines.push(`entered the top ${rows}: ${out.entered.map((r) => r.word).join(', ') || '(none)'}`);
  lines.push(`left the top ${rows}: ${out.left.map((r) => r.word).join(', ') || '(none)'}`);
  return lines.join('\n');
}

/**
 * `contributions A B`: per-dimension products of the unit vectors, largest first, with the
 * running sum and share of the cosine; A and B are words or expressions.
 * @param {EmbeddingExplorer} explorer
 * @param {string[]} args
 * @param {{ k: number, json: boolean }} options
 */
export function contributionsCommand(explorer, args, options) {
  const c = contributions(explorer, args[0], args[1]);
  if (options.json) {
    return JSON.stringify({
      first: c.first,
      second: c.second,
      space: c.space,
      cosine: c.cosine,
      positiveSum: c.positiveSum,
      negativeSum: c.negativeSum,
      bars: Array.from(c.dims, (dim, i) => ({ dim, product: c.products[i], running: c.running[i], share: c.share[i] })),
    });
  }
  const shown = Math.min(options.k, c.dims.length);
  const lines = [
    `cos("${c.first}", "${c.second}") = ${c.cosine.toFixed(4)} in the ${c.space} space: ${c.dims.length} products u_d·v_d, positive ${c.positiveSum.toFixed(4)}, negative ${c.negativeSum.toFixed(4)}`,
    `  dim   product   running   share of the cosine`,
  ];
  for (let i = 0; i < shown; i++) {
    lines.push(`  ${String(c.dims[i]).padStart(3)}  ${fixed(c.products[i])}  ${fixed(c.running[i])}  ${(100 * c.share[i]).toFixed(1).padStart(6)} %`);
  }
  if (shown < c.dims.length) lines.push(`  ... ${c.dims.length - shown} more (-k ${c.dims.length} or --json for all); they sum to ${(c.cosine - c.running[shown - 1]).toFixed(4)}`);
  return lines.join('\n');
}

/**
 * odd-one-out with both scores: the cosine to the mean of all the words (gensim's
 * doesnt_match, which picks `odd`) and to the mean of the others.
 * @param {EmbeddingExplorer} explorer
 * @param {string[]} args
 * @param {{ json: boolean }} options
 */
export function oddOneOutCommand(explorer, args, options) {
  const { results } = explorer.oddOneOut(args);
  const others = new Map(cosineToOthers(explorer, args).results.map((r) => [r.id, r.score]));
  const rows = results.map((r) => ({ word: r.word, score: r.score, toOthers: /** @type {number} */ (others.get(r.id)) }));
  if (options.json) return JSON.stringify({ odd: results[0].word, results: rows });
  const width = Math.max(4, ...rows.map((r) => [...r.word].length));
  return [
    results[0].word,
    `     ${'word'.padEnd(width)}  to all   to the others`,
    ...rows.map((r, i) => `${String(i + 1).padStart(3)}. ${r.word.padEnd(width)}  ${r.score.toFixed(4)}  ${r.toOthers.toFixed(4)}`),
  ].join('\n');
}

/**
 * `path START TARGET` or `path --pick HOPS [--seed S]`: the navigator's shortest path through
 * nearest-10 lists over the --words most frequent words (default 10000).
 * @param {EmbeddingExplorer} explorer
 * @param {string[]} args
 * @param {{ words?: string, pick?: string, seed?: string, json: boolean }} options
 * @param {UsageErrorOf} usageError
 */
export async function pathCommand(explorer, args, options, usageError) {
  const words = wholeNumber(options.words, '--words', usageError) ?? Math.min(10000, explorer.words.length);
  const hops = wholeNumber(options.pick, '--pick', usageError);
  if (hops === undefined && args.length !== 2) throw usageError('path needs START and TARGET words, or --pick HOPS');
  if (hops !== undefined && args.length) throw usageError('path takes either START TARGET or --pick HOPS, not both');
  const seed = wholeNumber(options.seed, '--seed', usageError) ?? 1;
  const started = performance.now();
  const navigator = await buildNavigator(explorer, { words, k: 10 });
  try {
    const seconds = (performance.now() - started) / 1000;
    const [start, target] = hops === undefined ? args : (({ start: s, target: t }) => [s, t])(navigator.pick({ hops, seed }));
    const path = navigator.path(start, target);
    if (options.json) return JSON.stringify({ start, target, words, k: 10, space: navigator.space, path: path.words, hops: path.hops, graphSeconds: seconds });
    const head = `nearest-10 graph of the ${words} most frequent words (${navigator.space} space) built in ${seconds.toFixed(2)} s`;
    if (path.hops === null) return `${head}\n"${target}" is unreachable from "${start}"`;
    return `${head}\n${start} → ${target}: ${path.hops} hops\n${path.words.join(' → ')}`;
  } finally {
    navigator.dispose();
  }
}
