// Issue 9 §4's search and point card, as worker requests run in Node:
// the matches of a regular expression or a substring over the 50k words
// are exactly what a plain filter of the vocabulary written here finds, a
// metadata column of a generated table is searched the same way, a bad
// pattern or column fails with a message naming it (and the next search
// works), a newer search stops an older one, and the card's norm matches
// a float64 sum over the stored vector.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { ErrorCode, Request } from '../../web/src/compute/protocol.js';
import { defaultTable } from './paths.js';
import { startWorkerInNode } from './worker-harness.js';

let worker;
let explorer;
const call = (...args) => worker.call(...args);

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

/** The reference: every row id whose word passes `keep`, in row order. */
const filterIds = (values, keep) => values.flatMap((value, id) => (keep(value) ? [id] : []));

describe('searching the words', () => {
  it('finds exactly the rows a plain filter of the vocabulary finds, regex and substring', async () => {
    const words = explorer.words;
    expect(words).toHaveLength(50_000);
    const started = performance.now();
    const regex = await call(Request.searchTable, { pattern: '^king', mode: 'regex' });
    const ms = performance.now() - started;
    const expected = filterIds(words, (w) => w.startsWith('king'));
    expect(Array.from(regex.ids)).toEqual(expected);
    expect(regex.count).toBe(expected.length);
    expect(regex.rows).toBe(50_000);
    expect(regex.words).toEqual(expected.map((id) => words[id]));
    expect(regex.listed.map((m) => m.word)).toEqual(expected.slice(0, 100).map((id) => words[id]));

    const substring = await call(Request.searchTable, { pattern: 'QUEEN', mode: 'substring' });
    expect(Array.from(substring.ids)).toEqual(filterIds(words, (w) => w.includes('queen')));
    const cased = await call(Request.searchTable, { pattern: 'QUEEN', mode: 'substring', matchCase: true });
    expect(cased.count).toBe(0);

    // A pattern most words match: the count is all of them, the list is capped.
    const vowels = await call(Request.searchTable, { pattern: '[aeiou]', mode: 'regex', shown: 25 });
    expect(vowels.count).toBe(filterIds(words, (w) => /[aeiou]/i.test(w)).length);
    expect(vowels.listed).toHaveLength(25);
    console.log(`worker search: ^king ${regex.count} matches (${regex.words.slice(0, 5).join(', ')}…) in ${ms.toFixed(1)} ms; "queen" ${substring.count}; [aeiou] ${vowels.count} of 50,000`);
  });

  it('names a bad pattern or column, and the next search works', async () => {
    const bad = await call(Request.searchTable, { pattern: 'king(', mode: 'regex' }).catch((e) => e);
    expect(bad).toMatchObject({ code: ErrorCode.BAD_ARGUMENT, message: expect.stringContaining('"king(" is not a valid regular expression') });
    const empty = await call(Request.searchTable, { pattern: '', mode: 'regex' }).catch((e) => e);
    expect(empty.code).toBe(ErrorCode.EMPTY_INPUT);
    const column = await call(Request.searchTable, { pattern: 'x', column: 'pos' }).catch((e) => e);
    expect(column).toMatchObject({ code: ErrorCode.BAD_ARGUMENT, message: expect.stringContaining('no metadata column "pos"') });
    const long = await call(Request.searchTable, { pattern: 'a'.repeat(501) }).catch((e) => e);
    expect(long.code).toBe(ErrorCode.TOO_LARGE);
    expect((await call(Request.searchTable, { pattern: '^frog$', mode: 'regex' })).words).toEqual(['frog']);
  });

  it('stops an older search when a newer one arrives', async () => {
    const [, older] = worker.send(Request.searchTable, { pattern: 'e', mode: 'substring' });
    const newer = call(Request.searchTable, { pattern: '^queen$', mode: 'regex' });
    const [first, second] = await Promise.allSettled([older, newer]);
    expect(first.status).toBe('rejected');
    expect(first.reason.code).toBe(ErrorCode.CANCELLED);
    expect(second.value.words).toEqual(['queen']);
  });
});

describe('the point card and a metadata column', () => {
  it("gives a word's row and the norm of its stored vector", async () => {
    const card = await call(Request.pointInfo, { word: 'King' });
    const { id, vector } = explorer.lookup('king');
    let squares = 0;
    for (const x of vector) squares += x * x;
    expect(card).toMatchObject({ word: 'king', id, row: id + 1, rows: 50_000, dims: 100, metadata: [] });
    expect(card.norm).toBeCloseTo(Math.sqrt(squares), 10);
    const unknown = await call(Request.pointInfo, { word: 'zzqxj' }).catch((e) => e);
    expect(unknown).toMatchObject({ code: ErrorCode.UNKNOWN_WORD, message: expect.stringContaining('zzqxj') });
  });

  it('searches a metadata column of a generated table and lists the card its values', async () => {
    // 40 rows in 4 dimensions; column "kind" cycles through four values, "size" counts.
    const kinds = ['fruit', 'tool', 'animal', 'colour'];
    const rows = Array.from({ length: 40 }, (_, i) => ({ word: `item${i}`, kind: kinds[i % 4], size: String(i * 3) }));
    const vectors = rows.map((_, i) => [Math.cos(i), Math.sin(i), (i % 4) - 1.5, 1 + i / 40].map((x) => x.toFixed(4)).join('\t')).join('\n');
    const metadata = ['word\tkind\tsize', ...rows.map((r) => `${r.word}\t${r.kind}\t${r.size}`)].join('\n');
    const loaded = await call(Request.loadFile, {
      file: new File([vectors], 'vectors.tsv'),
      format: 'tsv',
      metadataFile: new File([metadata], 'metadata.tsv'),
    });
    expect(loaded.columns).toEqual(expect.arrayContaining(['kind', 'size']));
    const tools = await call(Request.searchTable, { pattern: 'TOOL', column: 'kind' });
    expect(Array.from(tools.ids)).toEqual(filterIds(rows, (r) => r.kind === 'tool'));
    expect(tools.listed[0]).toMatchObject({ word: 'item1', value: 'tool' });
    const sizes = await call(Request.searchTable, { pattern: '^1\\d$', mode: 'regex', column: 'size' });
    expect(sizes.words).toEqual(rows.filter((r) => /^1\d$/.test(r.size)).map((r) => r.word));
    const card = await call(Request.pointInfo, { word: 'item6' });
    expect(card.row).toBe(7);
    expect(card.metadata).toEqual(expect.arrayContaining([{ column: 'kind', value: 'animal' }, { column: 'size', value: '18' }]));
  });
});
