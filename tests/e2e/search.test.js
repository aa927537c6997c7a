// Issue 9 §4 in the built page (Chromium, strict CSP): "Search the table",
// the selected point's card and "Label by". One page walks it all through
// the UI: a regular expression and a substring over the 50k words, whose
// listed matches and counts equal a filter of the vocabulary written here,
// with the drawn matches marked in the view and the rest drawn on request;
// a bad pattern named in a message while the last matches stay; the card of
// a clicked match (row, norm as the wrapper's vector gives it); then a
// small generated table with a metadata.tsv loaded through the load panel:
// a metadata column searched, the points labelled by a column, and the
// card listing the point's metadata. Timings are printed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
let server;
let browser;
let explorer;
let page;
let scratch;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'search-e2e-'));
  server = await startServer();
  browser = await launchBrowser();
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  page = await openPage(`${SUB_PATH}index.html`);
  await waitReady(page);
  await page.evaluate(() => window.explorerApp.settled());
});

afterAll(async () => {
  explorer?.dispose();
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Searches through the form and waits for the summary of this very search; returns what the panel shows. */
async function search(pattern, { mode = 'substring', column = '', matchCase = false } = {}) {
  await page.click('#text-search-clear');
  await page.selectOption('#text-search-mode', mode);
  if (column || (await page.locator('#text-search-column-label').isVisible())) await page.selectOption('#text-search-column', column);
  await page.setChecked('#text-search-case', matchCase);
  await page.fill('#text-search-pattern', pattern);
  const started = Date.now();
  await page.click('#text-search-form button[type="submit"]');
  await page.waitForFunction((p) => document.getElementById('text-search-summary').dataset.pattern === p || !document.getElementById('text-search-error').hidden, pattern);
  const ms = Date.now() - started;
  await page.evaluate(() => window.explorerApp.settled());
  return { ms, ...(await shown()) };
}

/** The panel's figures, its listed matches and the words the view marks. */
const shown = () =>
  page.evaluate(() => {
    const summary = document.getElementById('text-search-summary');
    const error = document.getElementById('text-search-error');
    const app = window.explorerApp;
    const words = app.pointWords;
    return {
      count: Number(summary.dataset.count),
      drawn: Number(summary.dataset.drawn),
      marked: Number(summary.dataset.marked),
      summary: summary.textContent,
      error: error.hidden ? null : error.textContent,
      listed: [...document.querySelectorAll('#text-search-matches li[data-word]')].map((li) => ({ word: li.dataset.word, text: li.textContent })),
      more: document.querySelector('#text-search-matches li.more')?.textContent ?? null,
      markedWords: app.plot._highlights.labelled.map((i) => words[i]),
      drawButton: document.getElementById('text-search-draw').hidden ? null : document.getElementById('text-search-draw').textContent,
      pointWords: words,
    };
  });

/** The reference: the table's words passing `keep`, in row order. */
const vocabulary = (keep) => explorer.words.filter(keep);

describe('searching the 50k words', () => {
  it('lists, counts and marks the matches of a regular expression, and draws the ones not drawn', async () => {
    const out = await search('^king', { mode: 'regex' });
    const expected = vocabulary((w) => /^king/i.test(w));
    expect(out.error).toBeNull();
    expect(out.count).toBe(expected.length);
    expect(out.listed.map((m) => m.word)).toEqual(expected.slice(0, 100));
    // Marked in the view: exactly the drawn matches.
    const drawn = expected.filter((w) => out.pointWords.includes(w));
    expect(out.drawn).toBe(drawn.length);
    expect(out.marked).toBe(drawn.length);
    expect(new Set(out.markedWords)).toEqual(new Set(drawn));
    const missing = expected.length - drawn.length;
    console.log(`search /^king/: ${out.count} matches (${expected.join(', ')}), ${drawn.length} drawn, ${missing} not; answered in ${out.ms} ms`);
    expect(missing).toBeGreaterThan(0); // the rarer ones (e.g. past the 5,000 drawn) are not drawn by default
    expect(out.summary).toContain(`${missing} ${missing === 1 ? 'match is' : 'matches are'} not among the drawn points`);
    const notDrawnListed = out.listed.filter((m) => m.text.includes('(not drawn)')).map((m) => m.word);
    expect(notDrawnListed).toEqual(expected.filter((w) => !drawn.includes(w)));

    // Draw them: they join the word list, beside the frequent words, and all are marked.
    await page.click('#text-search-draw');
    await page.waitForFunction((n) => document.getElementById('text-search-summary').dataset.drawn === String(n), expected.length);
    await page.evaluate(() => window.explorerApp.settled());
    const after = await shown();
    expect(after.marked).toBe(expected.length);
    expect(new Set(after.markedWords)).toEqual(new Set(expected));
    expect(after.drawButton).toBeNull();
    const url = new URL(page.url());
    expect(url.searchParams.get('beside')).toBe('1');
    expect(url.searchParams.get('words').split(',')).toEqual(expected.filter((w) => !drawn.includes(w)));
    await page.screenshot({ path: join(artifacts, 'search-king-1400.png') });
    await page.locator('#search-panel').screenshot({ path: join(artifacts, 'search-panel-1400.png') });
    expect(problems).toEqual([]);
  });

  it('finds a substring, case-insensitively unless asked, with a capped list and "N more"', async () => {
    const out = await search('Queen');
    const expected = vocabulary((w) => w.includes('queen'));
    expect(out.count).toBe(expected.length);
    expect(out.listed.map((m) => m.word)).toEqual(expected.slice(0, 100));
    expect((await search('Queen', { matchCase: true })).count).toBe(0);

    // Many matches: 100 are listed, the rest counted; the page stays responsive meanwhile.
    await page.evaluate(() => {
      window.__gaps = [];
      let last = performance.now();
      window.__ticker = setInterval(() => {
        const now = performance.now();
        window.__gaps.push(now - last);
        last = now;
      }, 5);
    });
    const broad = await search('ing');
    const gap = await page.evaluate(() => {
      clearInterval(window.__ticker);
      return Math.max(...window.__gaps);
    });
    const many = vocabulary((w) => w.includes('ing'));
    expect(broad.count).toBe(many.length);
    expect(broad.listed.map((m) => m.word)).toEqual(many.slice(0, 100));
    expect(broad.more).toBe(`${(many.length - 100).toLocaleString('en')} more`);
    expect(broad.marked).toBe(Math.min(500, many.filter((w) => broad.pointWords.includes(w)).length));
    console.log(`search "ing": ${broad.count.toLocaleString('en')} matches in ${broad.ms} ms; longest main-thread gap meanwhile ${gap.toFixed(0)} ms; ${broad.marked} marked`);
  });

  it('names an invalid regular expression, keeps the last matches, and searches again', async () => {
    await search('^frog', { mode: 'regex' });
    const before = await shown();
    await page.fill('#text-search-pattern', 'frog(');
    await page.click('#text-search-form button[type="submit"]');
    await page.waitForFunction(() => !document.getElementById('text-search-error').hidden);
    const bad = await shown();
    expect(bad.error).toMatch(/^"frog\(" is not a valid regular expression: /);
    expect(bad.listed).toEqual(before.listed);
    expect(bad.summary).toBe(before.summary);
    const again = await search('^frogs?$', { mode: 'regex' });
    expect(again.error).toBeNull();
    expect(again.listed.map((m) => m.word)).toEqual(vocabulary((w) => /^frogs?$/.test(w)));
  });

  it("shows the card of a clicked match: its row and its vector's norm", async () => {
    await search('^queen$', { mode: 'regex' });
    await page.click('#text-search-matches li[data-word="queen"] button');
    await page.waitForFunction(() => document.getElementById('point-card').dataset.word === 'queen');
    const card = await cardFigures();
    const { id, vector } = explorer.lookup('queen');
    const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
    expect(await page.locator('#point-card-word').textContent()).toBe('queen');
    expect(card.Row).toBe(`${(id + 1).toLocaleString('en')} of 50,000`);
    expect(card.Norm).toBe(norm.toFixed(4));
    expect(new URL(page.url()).searchParams.get('sel')).toBe('queen');
    console.log(`card of queen: row ${card.Row}, norm ${card.Norm}`);
  });
});

/** The card's rows as { name: value }. */
const cardFigures = () =>
  page.locator('#point-card-figures tr').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.dataset.field, r.querySelector('td').textContent])));

describe('a table of your own with metadata', () => {
  const kinds = ['fruit', 'tool', 'animal', 'colour'];
  const rows = Array.from({ length: 40 }, (_, i) => ({ word: `item${i}`, kind: kinds[i % 4], size: String(i * 3) }));

  it('searches a metadata column, labels the points by a column, and lists the metadata on the card', async () => {
    const vectors = rows.map((_, i) => [Math.cos(i), Math.sin(i), (i % 4) - 1.5, 1 + i / 40].map((x) => x.toFixed(4)).join('\t')).join('\n');
    writeFileSync(join(scratch, 'vectors.tsv'), `${vectors}\n`);
    writeFileSync(join(scratch, 'metadata.tsv'), `${['word\tkind\tsize', ...rows.map((r) => `${r.word}\t${r.kind}\t${r.size}`)].join('\n')}\n`);
    const loads = await page.evaluate(() => Number(document.body.dataset.tableLoads ?? 0));
    await page.setInputFiles('#metadata-file', join(scratch, 'metadata.tsv'));
    await page.selectOption('#table-format', 'tsv');
    await page.setInputFiles('#table-file', join(scratch, 'vectors.tsv'));
    await page.click('#load-table');
    await page.waitForFunction((n) => Number(document.body.dataset.tableLoads ?? 0) > n, loads, { timeout: 60_000 });
    await page.evaluate(() => window.explorerApp.settled());

    // The old table's matches are gone; the columns can be searched.
    expect((await shown()).listed).toEqual([]);
    const columns = await page.locator('#text-search-column option').evaluateAll((options) => options.map((o) => o.value));
    expect(columns).toEqual(expect.arrayContaining(['', 'kind', 'size']));
    const tools = await search('TOOL', { column: 'kind' });
    const expectedTools = rows.filter((r) => r.kind === 'tool');
    expect(tools.count).toBe(expectedTools.length);
    expect(tools.listed.map((m) => m.word)).toEqual(expectedTools.map((r) => r.word));
    expect(tools.listed[0].text).toContain('kind: tool');
    expect(new Set(tools.markedWords)).toEqual(new Set(expectedTools.map((r) => r.word)));
    const sizes = await search('^1\\d$', { mode: 'regex', column: 'size' });
    expect(sizes.listed.map((m) => m.word)).toEqual(rows.filter((r) => /^1\d$/.test(r.size)).map((r) => r.word));

    // Label by "kind": every point's label is its kind, and the marked points show it in the view.
    await page.selectOption('#label-by', 'kind');
    await page.waitForFunction(() => window.explorerApp.plot._labels.includes('animal'));
    const labels = await page.evaluate(() => ({ labels: window.explorerApp.plot._labels, words: window.explorerApp.pointWords }));
    const kindOf = new Map(rows.map((r) => [r.word, r.kind]));
    expect(labels.labels).toEqual(labels.words.map((w) => kindOf.get(w)));
    const pills = await page.evaluate(() => [...window.explorerApp.plot.labelsLayer.root.querySelectorAll('span')].map((s) => s.textContent).filter(Boolean));
    expect(pills.length).toBeGreaterThan(0);
    for (const text of pills) expect(kinds).toContain(text);
    console.log(`labelled by kind: ${pills.length} labels in the view (${[...new Set(pills)].join(', ')})`);

    // The card of a match lists its metadata.
    await search('fruit', { column: 'kind' });
    await page.click('#text-search-matches li[data-word="item12"] button');
    await page.waitForFunction(() => document.getElementById('point-card').dataset.word === 'item12');
    const card = await cardFigures();
    expect(card).toMatchObject({ Row: '13 of 40', kind: 'fruit', size: '36' });
    await page.screenshot({ path: join(artifacts, 'search-metadata-1400.png') });

    // Back to the words.
    await page.selectOption('#label-by', '');
    await page.waitForFunction(() => window.explorerApp.plot._labels.includes('item0'));
    expect(problems).toEqual([]);
  });
});
