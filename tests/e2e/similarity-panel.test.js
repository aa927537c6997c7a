// Issue 9 §2 in the built page (Chromium, strict CSP): the "What makes two
// words similar" panel. Two words' cosine matches the wrapper's, and the
// per-dimension bars read back from the DOM add up to it; odd-one-out marks
// the odd word; after an analogy the heatmap has the rows a, b, b − a, c,
// b − a + c and the answer with their norms; an unknown word gets a message
// and the panel keeps working; axe-core finds nothing serious in it.
// Figures are printed.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, contributions as wrapperContributions, analogyHeatmap } from '../../wasm/js/explorer.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
let server;
let browser;
let explorer;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

afterAll(async () => {
  explorer?.dispose();
  await browser?.close();
  await server?.close();
});

/** The page with its first answer in and the similarity panel opened (it is closed by default). */
async function openPanel(search = '', options = { viewport: { width: 1440, height: 900 } }) {
  const page = await openPage(`${SUB_PATH}index.html${search}`, options);
  await waitReady(page);
  await page.evaluate(() => window.explorerApp.settled());
  expect(await page.locator('#similarity-panel').getAttribute('open')).toBeNull();
  await page.locator('#similarity-panel summary').click();
  // Opening compares the two words already typed (cat, dog).
  await page.waitForFunction(() => document.getElementById('similarity-cosine').dataset.cosine !== undefined);
  return page;
}

async function compare(page, first, second) {
  const before = await page.locator('#similarity-cosine').getAttribute('data-cosine');
  const errorBefore = await page.locator('#similarity-error').textContent();
  await page.fill('#similarity-first', first);
  await page.fill('#similarity-second', second);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.waitForFunction(
    ([cosine, error]) =>
      document.getElementById('similarity-cosine').dataset.cosine !== cosine ||
      (!document.getElementById('similarity-error').hidden && document.getElementById('similarity-error').textContent !== error),
    [before, errorBefore],
  );
}

/** The bars as the DOM shows them: the product as text and as its full value, the running share as text. */
const bars = (page) =>
  page.locator('#similarity-bars [role="listitem"]').evaluateAll((rows) =>
    rows.map((row) => ({
      dim: Number(row.dataset.dim),
      product: Number(row.dataset.product),
      text: row.querySelector('.contribution-value').textContent,
      share: row.querySelector('.contribution-share').textContent,
      negative: row.classList.contains('negative'),
    })),
  );
const fromText = (text) => Number(text.replace('−', '-'));

describe('the similarity panel', () => {
  it("shows cat/dog's cosine as the wrapper computes it, with bars that add up to it", async () => {
    const page = await openPanel();
    const expected = wrapperContributions(explorer, 'cat', 'dog');
    expect(explorer.similarity('cat', 'dog')).toBeCloseTo(expected.cosine, 6);
    const cosine = Number(await page.locator('#similarity-cosine').getAttribute('data-cosine'));
    expect(cosine).toBeCloseTo(expected.cosine, 6);
    expect(await page.locator('#similarity-cosine').textContent()).toContain(expected.cosine.toFixed(3));
    expect(await page.locator('#similarity-caption').textContent()).toMatch(/add up to the cosine/);

    const top = await bars(page);
    expect(top).toHaveLength(20);
    // Largest |u_i v_i| first, as the wrapper sorts them; the sign shows in the text and the class too.
    expect(top.map((b) => b.dim)).toEqual(Array.from(expected.dims.slice(0, 20)));
    for (let i = 1; i < top.length; i++) expect(Math.abs(top[i].product)).toBeLessThanOrEqual(Math.abs(top[i - 1].product));
    for (const bar of top) expect(bar.negative).toBe(bar.product < 0);
    for (const bar of top) expect(bar.text.startsWith(bar.product < 0 ? '−' : '+')).toBe(true);

    await page.getByRole('button', { name: 'Show all 100' }).click();
    const all = await bars(page);
    expect(all).toHaveLength(100);
    const sum = all.reduce((s, b) => s + b.product, 0);
    const textSum = all.reduce((s, b) => s + fromText(b.text), 0);
    expect(sum).toBeCloseTo(cosine, 5);
    expect(Math.abs(textSum - cosine)).toBeLessThan(100 * 0.00005 + 1e-9); // each printed to 4 decimals
    expect(all.at(-1).share).toBe('100.0 %');
    console.log(
      `cat/dog: cosine ${cosine.toFixed(4)} (wrapper ${expected.cosine.toFixed(4)}), sum of 100 bars ${sum.toFixed(6)}, of their printed values ${textSum.toFixed(4)}; ` +
        `top 3: ${all.slice(0, 3).map((b) => `dim ${b.dim} ${b.text} (${b.share})`).join(', ')}; ${all.filter((b) => b.negative).length} negative bars`,
    );
    await page.getByRole('button', { name: 'Show the top 20' }).click();
    expect(await bars(page)).toHaveLength(20);
    await page.locator('#similarity-panel').screenshot({ path: join(artifacts, 'similarity-panel-1440.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('marks car as the odd one out of breakfast lunch dinner car', async () => {
    const page = await openPanel();
    await page.fill('#odd-words', 'breakfast lunch dinner car');
    await page.getByRole('button', { name: 'Find the odd one' }).click();
    await page.waitForSelector('#odd-results li');
    const rows = await page.locator('#odd-results li').evaluateAll((items) =>
      items.map((li) => ({ word: li.dataset.word, score: Number(li.dataset.score), odd: li.classList.contains('odd'), text: li.textContent })),
    );
    expect(rows.map((r) => r.word).sort()).toEqual(['breakfast', 'car', 'dinner', 'lunch']);
    expect(rows.filter((r) => r.odd).map((r) => r.word)).toEqual(['car']);
    expect(rows.find((r) => r.odd).text).toMatch(/odd one out/);
    expect(await page.locator('#odd-summary').textContent()).toMatch(/^"car" is the odd one out/);
    // Lowest cosine to the others' mean first.
    for (let i = 1; i < rows.length; i++) expect(rows[i].score).toBeGreaterThanOrEqual(rows[i - 1].score);
    console.log(`odd one out: ${rows.map((r) => `${r.word} ${r.score.toFixed(3)}`).join(', ')}`);

    // Too few words: a message naming the problem; the earlier list stays.
    await page.fill('#odd-words', 'cat dog');
    await page.getByRole('button', { name: 'Find the odd one' }).click();
    await page.waitForSelector('#odd-error:not([hidden])');
    expect(await page.locator('#odd-error').textContent()).toMatch(/at least 3 words; only 2 were given/);
    expect(await page.locator('#odd-results li').count()).toBe(4);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('after king − man + woman shows the heatmap rows a, b, b − a, c, b − a + c and queen with their norms', async () => {
    const page = await openPanel('?a=man&b=king&c=woman');
    await page.waitForSelector('#heatmap-rows tr');
    const rows = await page.locator('#heatmap-rows tr').evaluateAll((trs) =>
      trs.map((tr) => ({ role: tr.querySelector('.heatmap-role').textContent, label: tr.dataset.label, norm: Number(tr.dataset.norm), text: tr.textContent })),
    );
    expect(rows.map((r) => r.role)).toEqual(['a', 'b', 'b − a', 'c', 'b − a + c', 'answer']);
    expect(rows.map((r) => r.label)).toEqual(['man', 'king', 'king − man', 'woman', 'king − man + woman', 'queen']);
    const reference = analogyHeatmap(explorer, 'man', 'king', 'woman');
    rows.forEach((r, i) => expect(r.norm).toBeCloseTo(reference.norms[i], 5));
    expect(rows[4].text).toContain('1.023');
    console.log(`heatmap norms in the page: ${rows.map((r) => `${r.label} ${r.norm.toFixed(3)}`).join(', ')}`);

    const canvas = page.locator('#heatmap-canvas');
    expect(await canvas.getAttribute('aria-label')).toMatch(/6 vectors by 100 dimensions.*king − man \+ woman \(norm 1\.023\)/);
    // Hover: the readout names the row, the dimension and the value, as the wrapper has it.
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width - 60, box.y + 4 + (4 * 18 + 9) * (box.height / (await canvas.evaluate((c) => c.height))));
    const hovered = await page.locator('#heatmap-readout').textContent();
    expect(hovered).toMatch(/^king − man \+ woman \(b − a \+ c\), dimension \d+: [−+]\d\.\d{4}$/);
    const match = hovered.match(/^king − man \+ woman \(b − a \+ c\), dimension (\d+): /);
    expect(match).not.toBeNull();
    const dim = Number(match[1]);
    const value = Number(await page.locator('#heatmap-readout').getAttribute('data-value'));
    expect(value).toBeCloseTo(reference.values[4 * reference.dims + dim], 6);
    // The keyboard reaches the same readout (from the first cell once the pointer has left).
    await page.mouse.move(0, 0);
    await canvas.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#heatmap-readout').textContent()).toMatch(/^king \(b\), dimension 1: [−+]\d\.\d{4}$/);
    console.log(`hover: ${hovered}`);
    await page.locator('#similarity-panel').screenshot({ path: join(artifacts, 'similarity-heatmap-1440.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("follows the page's answer: a word's neighbours, then an analogy chosen from the presets", async () => {
    const page = await openPanel('?word=frog');
    await page.waitForSelector('#heatmap-rows tr');
    const labels = () => page.locator('#heatmap-rows tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.label));
    const words = await labels();
    // The query's word, then its results as the page lists them, at most 12 rows.
    expect(words).toEqual(['frog', ...(await resultWords(page))].slice(0, 12));
    expect(words).toHaveLength(11); // k = 10
    expect(await page.locator('#heatmap-rows .heatmap-role').count()).toBe(0);
    expect(await page.locator('#heatmap-canvas').getAttribute('aria-label')).toMatch(/^Heatmap of 11 vectors by 100 dimensions/);
    console.log(`heatmap of ?word=frog: ${words.join(', ')}`);
    await page.getByRole('button', { name: 'king − man + woman' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#heatmap-rows tr').length === 6);
    expect(await labels()).toEqual(['man', 'king', 'king − man', 'woman', 'king − man + woman', 'queen']);
    await page.screenshot({ path: join(artifacts, 'similarity-page-1440.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('"why?" beside a result compares the query with it, from the mouse or the keyboard', async () => {
    const page = await openPage(`${SUB_PATH}index.html?a=man&b=king&c=woman`, { viewport: { width: 1440, height: 900 } });
    await waitReady(page);
    await page.evaluate(() => window.explorerApp.settled());
    const listed = await page.locator('#results li').evaluateAll((lis) => lis.map((li) => ({ word: li.dataset.word, score: Number(li.querySelector('.score').textContent) })));
    expect(listed[0].word).toBe('queen');
    expect(await page.locator('#similarity-panel').getAttribute('open')).toBeNull();
    // The keyboard: arrows still step between the results' words; Tab from a word reaches its "why?".
    await page.locator('#results li button.word').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement.closest('li')?.dataset.word)).toBe(listed[1].word);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement.className)).toContain('why-similar');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('similarity-cosine').dataset.cosine !== undefined);
    expect(await page.locator('#similarity-panel').getAttribute('open')).not.toBeNull();
    expect(await page.inputValue('#similarity-first')).toBe('king - man + woman');
    expect(await page.inputValue('#similarity-second')).toBe(listed[1].word);
    const second = Number(await page.locator('#similarity-cosine').getAttribute('data-cosine'));
    expect(second).toBeCloseTo(wrapperContributions(explorer, 'king - man + woman', listed[1].word).cosine, 6);

    // The mouse, on the top answer: the cosine is the listed 3CosAdd score.
    await page.locator('#results li[data-word="queen"] .why-similar').click();
    await page.waitForFunction(() => document.getElementById('similarity-cosine').textContent.includes('queen'));
    const cosine = Number(await page.locator('#similarity-cosine').getAttribute('data-cosine'));
    const expected = wrapperContributions(explorer, 'king - man + woman', 'queen');
    expect(cosine).toBeCloseTo(expected.cosine, 6);
    expect(Math.abs(cosine - listed[0].score)).toBeLessThanOrEqual(0.0005); // the list prints 3 decimals
    expect(await page.locator('#similarity-cosine').textContent()).toBe(`cosine(king - man + woman, queen) = ${expected.cosine.toFixed(3)}`);
    expect(await page.locator('#similarity-query-note').textContent()).toMatch(/analogy's point b − a \+ c/);
    console.log(`why? king - man + woman vs queen: cosine ${cosine.toFixed(4)} (listed ${listed[0].score}); vs ${listed[1].word}: ${second.toFixed(4)} (listed ${listed[1].score})`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names an unknown word, and a later valid pair still works', async () => {
    const page = await openPanel();
    await compare(page, 'cat', 'zzqxj');
    expect(await page.locator('#similarity-error').isVisible()).toBe(true);
    const message = await page.locator('#similarity-error').textContent();
    expect(message).toMatch(/zzqxj/);
    console.log(`unknown word: ${message}`);
    await compare(page, 'king', 'queen');
    expect(await page.locator('#similarity-error').isHidden()).toBe(true);
    const cosine = Number(await page.locator('#similarity-cosine').getAttribute('data-cosine'));
    expect(cosine).toBeCloseTo(explorer.similarity('king', 'queen'), 6);
    expect(await page.locator('#similarity-cosine').textContent()).toMatch(/^cosine\(king, queen\)/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('has no serious or critical axe-core violation, and fits a phone', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.origin}${SUB_PATH}index.html?a=man&b=king&c=woman`);
    await waitReady(page);
    await page.locator('#similarity-panel summary').click();
    await page.waitForSelector('#heatmap-rows tr');
    await page.waitForSelector('#similarity-bars [role="listitem"]');
    await page.fill('#odd-words', 'breakfast lunch dinner car');
    await page.getByRole('button', { name: 'Find the odd one' }).click();
    await page.waitForSelector('#odd-results li');
    await page.locator('#heatmap-canvas').focus();
    await page.keyboard.press('ArrowRight');
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run('#similarity-panel', { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    console.log(`axe-core on the similarity panel at 390x844: ${violations.length ? violations.map((v) => `${v.id} (${v.impact}, ${v.count}) ${v.targets.join(', ')}`).join('; ') : 'none'}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    // Nothing in the panel is wider than the phone.
    const overflow = await page.evaluate(() => document.getElementById('similarity-panel').scrollWidth - document.getElementById('similarity-panel').clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('#similarity-panel').screenshot({ path: join(artifacts, 'similarity-panel-390.png') });
    await context.close();
  });
});

