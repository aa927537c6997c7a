// The real .wasm on the real 50k GloVe table, against float32 computed
// here from the npm source package (the honest oracle for int8).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGloveSource, sourceRows } from '../../data/build.js';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { defaultTable, questionsWordsPath } from './paths.js';

const WORDS = 50000;
const DIMS = 100;
let explorer;
let unitRows; // float32, L2-normalised, row-major
let words;

function seeded(seed) {
  // Mulberry32: a tiny deterministic generator for picking test words.
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function floatTopK(query, k, exclude) {
  const best = [];
  for (let r = 0; r < WORDS; r++) {
    if (exclude.has(r)) continue;
    let dot = 0;
    const base = r * DIMS;
    for (let d = 0; d < DIMS; d++) dot += unitRows[base + d] * query[d];
    if (best.length < k || dot > best[best.length - 1].score) {
      best.push({ id: r, score: dot });
      best.sort((a, b) => b.score - a.score);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

const unit = (id) => unitRows.subarray(id * DIMS, (id + 1) * DIMS);

function floatAnalogyRank(a, b, c, expected) {
  // 3CosAdd in float32: cosine to b - a + c of unit vectors, inputs excluded.
  const [ua, ub, uc] = [a, b, c].map((w) => unit(words.indexOf(w)));
  const target = new Float32Array(DIMS).map((_, d) => ub[d] - ua[d] + uc[d]);
  const ranked = floatTopK(target, 50, new Set([a, b, c].map((w) => words.indexOf(w))));
  return ranked.findIndex((r) => words[r.id] === expected) + 1;
}

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  const source = await readGloveSource();
  words = source.words.slice(0, WORDS);
  unitRows = sourceRows(source, WORDS);
  for (let r = 0; r < WORDS; r++) {
    const row = unitRows.subarray(r * DIMS, (r + 1) * DIMS);
    const norm = Math.hypot(...row);
    for (let d = 0; d < DIMS; d++) row[d] /= norm;
  }
});

describe('int8 against float32', () => {
  it('keeps mean top-10 recall >= 0.99 over 1,000 seeded random words', () => {
    const random = seeded(2024);
    let recall = 0;
    const queries = 1000;
    for (let q = 0; q < queries; q++) {
      const id = Math.floor(random() * WORDS);
      const exact = new Set(floatTopK(unit(id), 10, new Set([id])).map((r) => r.id));
      const got = explorer.neighbors(id, { k: 10 }).results;
      recall += got.filter((r) => exact.has(r.id)).length / 10;
    }
    recall /= queries;
    console.log(`int8 vs float32 mean recall@10 over ${queries} words: ${recall.toFixed(4)}`);
    expect(recall).toBeGreaterThanOrEqual(0.99);
  });

  it('reports the same table words in frequency order', () => {
    expect(explorer.words.length).toBe(WORDS);
    expect(explorer.words.slice(0, 5)).toEqual(words.slice(0, 5));
    expect(explorer.words[WORDS - 1]).toBe(words[WORDS - 1]);
  });
});

describe('named analogies', () => {
  it('king - man + woman gives queen first', () => {
    expect(explorer.expression('king - man + woman').results[0].word).toBe('queen');
    expect(explorer.analogy('man', 'king', 'woman').results[0].word).toBe('queen');
    expect(explorer.analogy('man', 'king', 'woman', { method: '3cosmul' }).results[0].word).toBe('queen');
  });

  it('paris - france + italy gives rome first', () => {
    expect(explorer.expression('paris - france + italy').results[0].word).toBe('rome');
  });

  it('places "running" for swimming - swim + run where float32 does', () => {
    const ours = explorer.rank('swim', 'swimming', 'run', 'running').rank;
    const float = floatAnalogyRank('swim', 'swimming', 'run', 'running');
    const cosmul = explorer.rank('swim', 'swimming', 'run', 'running', { method: '3cosmul' }).rank;
    console.log(`swimming - swim + run: "running" ranks ${ours} (int8, 3CosAdd), ${float} (float32), ${cosmul} (int8, 3CosMul)`);
    // int8 noise (~1e-3 in cosine) may swap neighbours that close; one place.
    expect(Math.abs(ours - float)).toBeLessThanOrEqual(1);
  });

  it('includes the inputs on request so a learner sees where "king" ranks', () => {
    const withInputs = explorer.analogy('man', 'king', 'woman', { includeInputs: true, k: 5 }).results.map((r) => r.word);
    expect(withInputs).toContain('king');
    const rank = explorer.rank('man', 'king', 'woman', 'king', { includeInputs: true });
    expect(rank.rank).toBe(withInputs.indexOf('king') + 1);
  });

  it('answers weighted expressions', () => {
    const mid = explorer.expression('0.5*paris + 0.5*rome', { k: 5 }).results.map((r) => r.word);
    expect(mid).not.toContain('paris');
    expect(mid.length).toBe(5);
  });
});

describe('analogy benchmark (questions-words, 3CosAdd, 50k)', () => {
  it('matches gensim 4.2 float32 (64.65% over 17,592 questions) within 0.3 points', async () => {
    const text = readFileSync(questionsWordsPath(), 'utf8');
    const result = await explorer.evaluateAnalogies(text, { method: '3cosadd' });
    console.log(
      `questions-words 3CosAdd 50k: ${(100 * result.total.accuracy).toFixed(2)}% over ${result.total.count} questions, ${result.seconds.toFixed(2)} s`,
    );
    expect(result.total.count).toBe(17592);
    expect(result.sections.length).toBe(14);
    expect(result.sections.reduce((n, s) => n + s.count, 0)).toBe(17592);
    expect(Math.abs(100 * result.total.accuracy - 64.65)).toBeLessThanOrEqual(0.3);
  });
});

describe('spaces on the real table', () => {
  it('whitening removes anisotropy: pair cosine toward 0, flat spectrum', () => {
    explorer.setSpace('raw');
    const raw = explorer.stats();
    explorer.setSpace('whitened');
    const white = explorer.stats();
    const spectrum = explorer.spectrum();
    explorer.setSpace('abtt:3');
    const abtt = explorer.stats();
    explorer.setSpace('raw');
    console.log(`mean pair cosine: raw ${raw.meanPairCosine.toFixed(4)}, whitened ${white.meanPairCosine.toFixed(5)}, abtt:3 ${abtt.meanPairCosine.toFixed(5)}`);
    expect(raw.meanPairCosine).toBeGreaterThan(0.02); // GloVe is mildly anisotropic (~0.03)
    expect(Math.abs(white.meanPairCosine)).toBeLessThan(0.25 * raw.meanPairCosine);
    expect(Math.abs(abtt.meanPairCosine)).toBeLessThan(0.25 * raw.meanPairCosine);
    // Whitened covariance is the identity: every eigenvalue 1 (double
    // accumulation; 1e-4 covers float32 transforms of the mean).
    for (const v of spectrum) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
    expect(raw.varianceTop1).toBeGreaterThan(white.varianceTop1);
  });

  it('answers queries in every space without reloading', () => {
    for (const space of ['raw', 'centered', 'whitened', 'whitened:50', 'zca', 'abtt:3']) {
      explorer.setSpace(space);
      expect(explorer.space).toBe(space);
      const top = explorer.expression('king - man + woman', { k: 3 }).results;
      expect(top[0].word).toBe('queen');
    }
    explorer.setSpace('raw');
  });

  it('projects words to 3D with PCA and with user axes', () => {
    const group = ['king', 'queen', 'man', 'woman', 'prince', 'princess'];
    const pca = explorer.project(group, { method: 'pca' });
    expect(pca.coordinates.length).toBe(18);
    expect(pca.explained[0]).toBeGreaterThanOrEqual(pca.explained[1]);
    const table = explorer.project(group, { method: 'pca-table' });
    expect(table.coordinates.length).toBe(18);
    const axes = explorer.project(group, { method: 'axes', axes: [{ from: ['man'], to: ['woman'] }] });
    const x = (w) => axes.coordinates[group.indexOf(w) * 3];
    // Along man -> woman, the female words sit further than the male ones.
    expect(x('woman')).toBeGreaterThan(x('man'));
    expect(x('queen')).toBeGreaterThan(x('king'));
    expect(x('princess')).toBeGreaterThan(x('prince'));
  });
});
