// Issue 9 §1's worker requests, run in Node through the worker harness:
// direction, rankAlong and beforeAfter answer in the space the page chose,
// match the wrapper called directly there, leave out (and name) pairs and
// listed words the table lacks, and fail with coded errors that name the
// problem and leave the worker usable.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, beforeAfter, direction, rankAlong } from '../../wasm/js/explorer.js';
import { ErrorCode, Request } from '../../web/src/compute/protocol.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

const GENDER = [['he', 'she'], ['man', 'woman'], ['his', 'her'], ['boy', 'girl'], ['father', 'mother'], ['king', 'queen']];
const OCCUPATIONS = ['nurse', 'homemaker', 'receptionist', 'engineer', 'architect', 'carpenter'];

let worker;
let explorer;
const call = (...args) => worker.call(...args);
const words = (list) => list.map((r) => r.word);

beforeAll(async () => {
  worker = await startWorkerInNode();
  await call(Request.load, { tableUrl: 'table.emb' });
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});
afterAll(() => {
  explorer?.dispose();
  worker?.restore();
});

describe('direction requests', () => {
  it('build the direction and rank along it in the current space, as the wrapper does', async () => {
    const raw = await call(Request.direction, { pairs: GENDER });
    const direct = direction(explorer, GENDER);
    expect(raw.space).toBe('raw');
    expect(raw.consistency).toBeCloseTo(direct.consistency, 10);
    expect(raw.pairs.map((p) => p.cosine)).toEqual(direct.pairs.map((p) => p.cosine));
    expect(raw).toMatchObject({ leftOut: [], missing: [] });
    const pc = await call(Request.direction, { pairs: GENDER, method: 'pc' });
    expect(pc.method).toBe('pc');
    expect(pc.consistency).toBeCloseTo(direct.consistency, 10);

    expect(await call(Request.setSpace, { space: 'centered' })).toBe('centered');
    explorer.setSpace('centered');
    const centred = await call(Request.direction, { pairs: GENDER });
    expect(centred.space).toBe('centered');
    expect(centred.consistency).toBeCloseTo(direction(explorer, GENDER).consistency, 10);
    expect(Math.abs(centred.consistency - raw.consistency)).toBeGreaterThan(1e-4);

    const vocabulary = await call(Request.rankAlong, { pairs: GENDER, count: 8, among: 5000 });
    const expected = rankAlong(explorer, direction(explorer, GENDER), { count: 8, among: 5000 });
    expect(words(vocabulary.positive)).toEqual(words(expected.positive));
    expect(words(vocabulary.negative)).toEqual(words(expected.negative));
    expect(vocabulary).toMatchObject({ space: 'centered', among: 5000, towards: { positive: 'she', negative: 'he' } });

    const listed = await call(Request.rankAlong, { pairs: GENDER, count: 2, words: [...OCCUPATIONS, 'Nurse', 'zzqxj'] });
    const reference = rankAlong(explorer, direction(explorer, GENDER), { count: 2, words: OCCUPATIONS });
    expect(words(listed.listed)).toEqual(words(reference.listed));
    listed.listed.forEach((r, i) => expect(r.score).toBe(reference.listed[i].score));
    expect(words(listed.positive)).toEqual(words(reference.listed).slice(0, 2));
    expect(words(listed.negative)).toEqual(words(reference.listed).slice(-2).reverse());
    expect(listed.missing).toEqual(['zzqxj']);
    console.log(`worker, centred space: consistency ${centred.consistency.toFixed(4)} (raw ${raw.consistency.toFixed(4)}); ${listed.listed.map((r) => `${r.word} ${r.score.toFixed(3)}`).join(', ')}`);
    expect(await call(Request.setSpace, { space: 'raw' })).toBe('raw');
    explorer.setSpace('raw');
  });

  it("compares the page's query before and after neutralising, and the space stays the page's", async () => {
    expect(await call(Request.setSpace, { space: 'centered' })).toBe('centered');
    explorer.setSpace('centered');
    const query = { kind: 'analogy', a: 'man', b: 'doctor', c: 'woman', k: 10, method: '3cosadd' };
    const out = await call(Request.beforeAfter, { pairs: GENDER, query });
    const direct = beforeAfter(explorer, { analogy: ['man', 'doctor', 'woman'], k: 10 }, { neutralise: GENDER });
    expect(out.before.space).toBe('centered');
    expect(out.after.space).toBe(direct.after.space);
    expect(out.after.space).toBe(`centered~${GENDER.map((p) => p.join(':')).join(',')}`);
    expect(words(out.before.results)).toEqual(words(direct.before.results));
    expect(words(out.after.results)).toEqual(words(direct.after.results));
    expect(words(out.entered)).toEqual(words(direct.entered));
    expect(words(out.left)).toEqual(words(direct.left));
    expect(out.before.results[0].word).toBe('nurse');
    expect(out.after.results[0].word).not.toBe('nurse');
    // Still the page's space: the next query answers in centred space.
    const next = await call(Request.query, { kind: 'neighbors', word: 'frog', k: 3 });
    expect(words(next.results)).toEqual(words(explorer.neighbors('frog', { k: 3 }).results));

    // The neutralised space the page switches to ("Use this space") is a space like any other.
    expect(await call(Request.setSpace, { space: out.after.space })).toBe(out.after.space);
    const inside = await call(Request.query, { kind: 'analogy', a: 'man', b: 'doctor', c: 'woman', k: 10 });
    expect(words(inside.results)).toEqual(words(out.after.results));
    console.log(`worker before/after in centred space: ${words(out.before.results).slice(0, 3).join(' ')} → ${words(out.after.results).slice(0, 3).join(' ')}; entered ${words(out.entered).join(' ')}; left ${words(out.left).join(' ')}`);
    expect(await call(Request.setSpace, { space: 'raw' })).toBe('raw');
    explorer.setSpace('raw');
  });

  it('leave out pairs with unknown words and name them, and fail by name when too few are left', async () => {
    const partly = await call(Request.direction, { pairs: [['he', 'she'], ['man', 'zzqxj'], ['boy', 'girl']] });
    expect(partly.pairs.map((p) => `${p.from}:${p.to}`)).toEqual(['he:she', 'boy:girl']);
    expect(partly).toMatchObject({ leftOut: [['man', 'zzqxj']], missing: ['zzqxj'], missingReason: 'not in the table' });
    expect(partly.consistency).toBeCloseTo(direction(explorer, [['he', 'she'], ['boy', 'girl']]).consistency, 10);

    const unknown = await call(Request.direction, { pairs: [['he', 'she'], ['man', 'zzqxj']] }).catch((e) => e);
    expect(unknown).toMatchObject({ code: ErrorCode.UNKNOWN_WORD, word: 'zzqxj' });
    expect(unknown.message).toMatch(/at least 2 word pairs.*only one is usable.*"zzqxj" is not in the table/);
    const one = await call(Request.direction, { pairs: [['he', 'she']] }).catch((e) => e);
    expect(one).toMatchObject({ code: ErrorCode.BAD_ARGUMENT, message: expect.stringMatching(/at least 2 word pairs and one was given: one pair agrees with itself/) });
    const malformed = await call(Request.direction, { pairs: [['he', 'she'], ['man']] }).catch((e) => e);
    expect(malformed).toMatchObject({ code: ErrorCode.BAD_ARGUMENT, message: expect.stringContaining('pair 2 is not two words') });
    const twice = await call(Request.direction, { pairs: [['he', 'she'], ['man', 'Man']] }).catch((e) => e);
    expect(twice.message).toMatch(/pair 2 "man:Man" has one word twice/);
    const method = await call(Request.direction, { pairs: GENDER, method: 'median' }).catch((e) => e);
    expect(method.message).toMatch(/mean or pc/);
    const none = await call(Request.rankAlong, { pairs: GENDER, words: ['zzqxj', 'qqqxz'] }).catch((e) => e);
    expect(none).toMatchObject({ code: ErrorCode.UNKNOWN_WORD, message: expect.stringContaining('none of the 2 listed words') });
    const count = await call(Request.rankAlong, { pairs: GENDER, count: 0 }).catch((e) => e);
    expect(count.message).toMatch(/words at each end must be a whole number from 1 to 50/);
    const noQuery = await call(Request.beforeAfter, { pairs: GENDER, query: null }).catch((e) => e);
    expect(noQuery.message).toMatch(/no query to compare/);
    const badQuery = await call(Request.beforeAfter, { pairs: GENDER, query: { kind: 'neighbors', word: 'zzqxj' } }).catch((e) => e);
    expect(badQuery).toMatchObject({ code: ErrorCode.UNKNOWN_WORD, message: expect.stringContaining('zzqxj') });
    // The worker answers the next call, in the space it was in.
    const after = await call(Request.direction, { pairs: GENDER });
    expect(after.space).toBe('raw');
    console.log(`worker errors: ${[unknown, one, malformed].map((e) => e.message).join(' | ')}`);
  });
});
