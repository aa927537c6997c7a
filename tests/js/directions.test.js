// Issue 9 through the wrapper, on the real 50k GloVe table: directions from
// word pairs, ranking along them, neutralised spaces, before/after,
// per-dimension contributions, heatmap rows, cosine to the others' mean
// and the navigator, each against a float32 reference computed here from
// the table's dequantized raw vectors.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbeddingExplorer,
  ErrorCode,
  analogyHeatmap,
  beforeAfter,
  buildNavigator,
  contributions,
  cosineToOthers,
  direction,
  heatmap,
  neutralisedSpace,
  rankAlong,
} from '../../wasm/js/explorer.js';
import { catchError } from './helpers.js';
import { defaultTable, fixtures } from './paths.js';

let explorer;
beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});
afterAll(() => explorer.dispose());

const PAIRS = [['he', 'she'], ['man', 'woman'], ['his', 'her'], ['boy', 'girl'], ['father', 'mother'], ['king', 'queen']];
const OCCUPATIONS = ['nurse', 'receptionist', 'librarian', 'teacher', 'doctor', 'lawyer', 'engineer', 'carpenter', 'programmer', 'architect', 'surgeon', 'homemaker'];

// Float32 reference, numpy-style: the raw row, its unit vector, dot products.
const raw = (word) => Float32Array.from(explorer.lookup(word).vector);
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
const unit = (v) => {
  const n = Math.sqrt(dot(v, v));
  return v.map((x) => x / n);
};
const sub = (a, b) => a.map((x, i) => x - b[i]);
function referenceMeanDirection(pairs) {
  const sum = new Float64Array(100);
  for (const [from, to] of pairs) unit(sub(unit(raw(to)), unit(raw(from)))).forEach((x, i) => (sum[i] += x));
  return unit(Float32Array.from(sum));
}
const maxDiff = (a, b) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('directions from word pairs', () => {
  it('the mean direction matches float32, and consistency is a property of the pairs', () => {
    const mean = direction(explorer, PAIRS);
    const pc = direction(explorer, PAIRS, { method: 'pc' });
    expect(mean.space).toBe('raw');
    expect(maxDiff(mean.direction, referenceMeanDirection(PAIRS))).toBeLessThan(1e-5);
    expect(pc.consistency).toBeCloseTo(mean.consistency, 10);
    expect(mean.consistency).toBeGreaterThan(0.2);
    expect(mean.consistency).toBeLessThanOrEqual(1);
    // The principal component points the same way as the mean (from "he" to "she").
    expect(dot(pc.direction, mean.direction)).toBeGreaterThan(0.8);
    const d = referenceMeanDirection(PAIRS);
    for (const [i, [from, to]] of PAIRS.entries()) {
      const delta = sub(unit(raw(to)), unit(raw(from)));
      expect(mean.pairs[i]).toMatchObject({ from, to });
      expect(mean.pairs[i].cosine).toBeCloseTo(dot(unit(delta), d), 5);
      expect(mean.pairs[i].length).toBeCloseTo(Math.sqrt(dot(delta, delta)), 5);
    }
    // Unrelated "pairs" agree on less.
    const noise = direction(explorer, [['cat', 'tuesday'], ['river', 'seven'], ['green', 'bank'], ['run', 'paper'], ['city', 'blue'], ['eat', 'car']]);
    expect(noise.consistency).toBeLessThan(mean.consistency);
    console.log(`he-she direction of ${PAIRS.length} pairs: consistency ${mean.consistency.toFixed(4)} (unrelated pairs ${noise.consistency.toFixed(4)}); pair cosines ${mean.pairs.map((p) => p.cosine.toFixed(3)).join(' ')}`);
  });

  it('ranks a word list by the float32 scalar projection, both ends', () => {
    const gender = direction(explorer, PAIRS);
    const ranking = rankAlong(explorer, gender, { words: OCCUPATIONS, count: 3 });
    const d = referenceMeanDirection(PAIRS);
    expect(ranking.listed.length).toBe(OCCUPATIONS.length);
    for (const r of ranking.listed) expect(r.score).toBeCloseTo(dot(unit(raw(r.word)), d), 5);
    for (let i = 1; i < ranking.listed.length; i++) expect(ranking.listed[i - 1].score).toBeGreaterThanOrEqual(ranking.listed[i].score);
    expect(ranking.positive.map((r) => r.word)).toEqual(ranking.listed.slice(0, 3).map((r) => r.word));
    expect(ranking.negative.map((r) => r.word)).toEqual(ranking.listed.slice(-3).reverse().map((r) => r.word));
    // The bias Bolukbasi et al. measured: nurse sits towards "she", engineer towards "he".
    const at = (w) => ranking.listed.find((r) => r.word === w).score;
    expect(at('nurse')).toBeGreaterThan(at('engineer'));
    console.log(`occupations along he → she: ${ranking.listed.map((r) => `${r.word} ${r.score.toFixed(3)}`).join(', ')}`);
  });

  it('ranks the most frequent words against a float32 brute force', () => {
    const gender = direction(explorer, PAIRS);
    const among = 5000;
    const d = referenceMeanDirection(PAIRS);
    const scores = Array.from({ length: among }, (_, id) => ({ id, score: dot(unit(Float32Array.from(explorer.core.vector(id))), d) }));
    scores.sort((a, b) => b.score - a.score || a.id - b.id);
    const ranking = rankAlong(explorer, gender, { count: 10, among });
    expect(ranking.positive.map((r) => r.id)).toEqual(scores.slice(0, 10).map((r) => r.id));
    expect(ranking.negative.map((r) => r.id)).toEqual(scores.slice(-10).reverse().map((r) => r.id));
    ranking.positive.forEach((r, i) => expect(r.score).toBeCloseTo(scores[i].score, 5));
    console.log(`most "she" of the ${among} most frequent: ${ranking.positive.map((r) => r.word).join(' ')}; most "he": ${ranking.negative.map((r) => r.word).join(' ')}`);
  });

  it('refuses bad input by name', () => {
    expect(catchError(() => direction(explorer, [])).code).toBe(ErrorCode.EMPTY_INPUT);
    expect(catchError(() => direction(explorer, [['he', 'he']])).message).toMatch(/one word twice/);
    expect(catchError(() => direction(explorer, [['he', 'zzqxq']])).code).toBe(ErrorCode.UNKNOWN_WORD);
    expect(catchError(() => direction(explorer, PAIRS, { method: 'median' })).message).toMatch(/mean or pc/);
    expect(catchError(() => rankAlong(explorer, new Float32Array(3))).message).toMatch(/3 values; the space has 100/);
  });
});

describe('neutralised spaces', () => {
  it('a spec round-trips, and cosines match y − (d·y)d in float32', () => {
    const spec = neutralisedSpace('raw', [['He', 'she'], ['man', 'woman']]);
    expect(spec).toBe('raw~He:she,man:woman');
    expect(explorer.setSpace(spec)).toBe('raw~he:she,man:woman');
    try {
      const d = referenceMeanDirection([['he', 'she'], ['man', 'woman']]);
      const neutral = (w) => {
        const y = raw(w);
        const along = dot(y, d);
        return unit(y.map((x, i) => x - along * d[i]));
      };
      for (const [a, b] of [['he', 'she'], ['king', 'queen'], ['nurse', 'doctor']]) {
        expect(explorer.similarity(a, b)).toBeCloseTo(dot(neutral(a), neutral(b)), 5);
      }
      // he and she differ mostly along the direction removed: they move together.
      expect(explorer.similarity('he', 'she')).toBeGreaterThan(0.95);
    } finally {
      explorer.setSpace('raw');
    }
    expect(explorer.similarity('he', 'she')).toBeLessThan(0.95);
  });

  it('before/after an analogy lists the words that moved, and restores the space', () => {
    explorer.setSpace('centered');
    try {
      const out = beforeAfter(explorer, { analogy: ['man', 'doctor', 'woman'], k: 10 }, { neutralise: PAIRS });
      expect(explorer.space).toBe('centered');
      expect(out.before.space).toBe('centered');
      expect(out.after.space).toBe(`centered~${PAIRS.map((p) => p.join(':')).join(',')}`);
      const beforeWords = out.before.results.map((r) => r.word), afterWords = out.after.results.map((r) => r.word);
      expect(out.entered.map((r) => r.word)).toEqual(afterWords.filter((w) => !beforeWords.includes(w)));
      expect(out.left.map((r) => r.word)).toEqual(beforeWords.filter((w) => !afterWords.includes(w)));
      // Bolukbasi et al.'s example: with gender projected out, "nurse" is no longer the answer.
      expect(beforeWords[0]).toBe('nurse');
      expect(afterWords[0]).not.toBe('nurse');
      const list = (results) => results.slice(0, 5).map((r) => `${r.word} ${r.score.toFixed(3)}`).join(', ');
      console.log(`man : doctor :: woman : ?  centered: ${list(out.before.results)} | neutralised: ${list(out.after.results)}; entered ${out.entered.map((r) => r.word).join(' ')}; left ${out.left.map((r) => r.word).join(' ')}`);
    } finally {
      explorer.setSpace('raw');
    }
  });

  it('evaluations and neighbours run in a neutralised space, and bad specs keep the current one', async () => {
    const scores = await explorer.evaluateAnalogies(readFileSync(`${fixtures}/analogies-small.txt`, 'utf8'), { space: 'raw~he:she' });
    expect(scores.space).toBe('raw~he:she');
    expect(scores.total.count).toBe(5);
    explorer.setSpace('abtt:3');
    try {
      expect(catchError(() => explorer.setSpace('raw~he:zzqxq')).code).toBe(ErrorCode.UNKNOWN_WORD);
      expect(catchError(() => explorer.setSpace('raw~he')).message).toMatch(/not a word pair/);
      expect(explorer.space).toBe('abtt:3');
      expect(explorer.neighbors('frog', { k: 3 }).results.length).toBe(3);
    } finally {
      explorer.setSpace('raw');
    }
  });
});

describe('what makes two words similar', () => {
  it('contributions add up to the float32 cosine', () => {
    const c = contributions(explorer, 'cat', 'dog');
    const reference = dot(unit(raw('cat')), unit(raw('dog')));
    expect(c.cosine).toBeCloseTo(reference, 5);
    expect(c.running[c.running.length - 1]).toBeCloseTo(reference, 5);
    expect(c.share[c.share.length - 1]).toBeCloseTo(1, 5);
    expect(c.products.reduce((s, p) => s + p, 0)).toBeCloseTo(reference, 5);
    const u = unit(raw('cat')), v = unit(raw('dog'));
    for (let i = 0; i < 100; i++) expect(c.products[i]).toBeCloseTo(u[c.dims[i]] * v[c.dims[i]], 6);
    expect(c.cosine).toBeCloseTo(explorer.similarity('cat', 'dog'), 6);
    const query = contributions(explorer, 'king - man + woman', 'queen');
    expect(query.cosine).toBeCloseTo(explorer.analogy('man', 'king', 'woman', { k: 1 }).results[0].score, 2);
    const top = Array.from(c.dims.subarray(0, 5), (d, i) => `d${d} ${c.products[i].toFixed(4)}`).join(', ');
    console.log(`cos(cat, dog) = ${c.cosine.toFixed(4)}: top products ${top}; the top 10 of 100 dims give ${(100 * c.share[9]).toFixed(1)} % of it`);
  });

  it('heatmap rows after an analogy: a, b, b − a, c, b − a + c and the answer', () => {
    const h = analogyHeatmap(explorer, 'man', 'king', 'woman');
    expect(h.labels).toEqual(['man', 'king', 'king − man', 'woman', 'king − man + woman', 'queen']);
    expect(h.values.length).toBe(6 * 100);
    const row = (r) => h.values.subarray(r * 100, r * 100 + 100);
    expect(maxDiff(row(2), sub(row(1), row(0)))).toBeLessThan(1e-6);
    expect(maxDiff(row(4), row(2).map((x, i) => x + row(3)[i]))).toBeLessThan(1e-6);
    expect(maxDiff(row(0), unit(raw('man')))).toBeLessThan(1e-5);
    expect(h.norms[0]).toBeCloseTo(1, 5);
    expect(h.norms[4]).toBeCloseTo(Math.sqrt(dot(row(4), row(4))), 4);
    expect(h.lengths[0]).toBeCloseTo(Math.sqrt(dot(raw('man'), raw('man'))), 3);
    expect(Number.isNaN(h.lengths[2])).toBe(true);
    expect(catchError(() => heatmap(explorer, Array(17).fill('cat'))).code).toBe(ErrorCode.TOO_LARGE);
    console.log(`heatmap norms: ${h.labels.map((l, i) => `${l} ${h.norms[i].toFixed(3)}`).join(', ')}`);
  });

  it('odd-one-out: each word against the mean of the others, in float32', () => {
    const words = ['breakfast', 'lunch', 'dinner', 'car'];
    const out = cosineToOthers(explorer, words);
    expect(out.odd).toBe('car');
    for (const r of out.results) {
      const others = words.filter((w) => w !== r.word).map((w) => unit(raw(w)));
      const mean = others[0].map((_, i) => others.reduce((s, o) => s + o[i], 0));
      expect(r.score).toBeCloseTo(dot(unit(raw(r.word)), unit(mean)), 5);
    }
  });
});

describe('the neighbour navigator', () => {
  it('shortest paths match an independent BFS over the k-NN graph', async () => {
    const words = 3000;
    const navigator = await buildNavigator(explorer, { words });
    try {
      const graph = await explorer.knnGraph(Array.from({ length: words }, (_, i) => i), { k: 10 });
      const bfs = (from, to) => {
        const parent = new Int32Array(words).fill(-2);
        parent[from] = -1;
        const queue = [from];
        for (let head = 0; head < queue.length; head++) {
          const p = queue[head];
          for (let j = 0; j < 10; j++) {
            const q = graph.neighbors[p * 10 + j];
            if (parent[q] !== -2) continue;
            parent[q] = p;
            queue.push(q);
          }
        }
        if (parent[to] === -2) return null;
        const path = [];
        for (let p = to; p !== -1; p = parent[p]) path.unshift(explorer.words[p]);
        return path;
      };
      for (const [a, b] of [['king', 'money'], ['war', 'car'], ['france', 'music'], ['water', 'computer']]) {
        const found = navigator.path(a, b);
        const reference = bfs(explorer.id(a), explorer.id(b));
        expect(found.words).toEqual(reference ?? []);
        if (reference) expect(found.hops).toBe(reference.length - 1);
        console.log(`navigator ${a} → ${b}: ${found.hops === null ? 'unreachable' : `${found.hops} hops: ${found.words.join(' → ')}`}`);
      }
      const puzzle = navigator.pick({ hops: 4, seed: 7 });
      expect(navigator.path(puzzle.start, puzzle.target).hops).toBe(4);
      expect(navigator.pick({ hops: 4, seed: 7 })).toEqual(puzzle);
      const hints = navigator.neighbors(puzzle.start, puzzle.target);
      expect(hints.length).toBe(10);
      expect(Math.min(...hints.map((h) => h.hopsToTarget ?? Infinity))).toBe(3);
      expect(catchError(() => navigator.path('king', 'potato')).code).toBe(ErrorCode.UNKNOWN_WORD);
    } finally {
      navigator.dispose();
    }
  }, 60000);
});
