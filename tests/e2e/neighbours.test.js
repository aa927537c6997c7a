// Issue 9 §4 (neighbours) in the built page (Chromium, strict CSP), through
// the UI: the Metric menu switches the list to the wrapper's own Euclidean
// neighbours (computed here in Node), with distances as scores; k = 1,000
// shows a first page and pages through all 1,000 with "Show more" (the
// arrow keys still walk the rows, and the view labels at most
// MAX_RESULT_LABELS of them); every list says which metric and which space
// produced it, the analogy answers too; a bad metric= in the URL gets a note.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { MAX_RESULT_LABELS } from '../../web/src/view/highlights.js';
import { defaultTable } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

let server;
let browser;
let explorer;
let page;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  page = await openPage(`${SUB_PATH}index.html?word=frog`);
  await waitReady(page);
  await settled();
}, 120_000);

afterAll(async () => {
  explorer?.dispose();
  await browser?.close();
  await server?.close();
});

const settled = () => page.evaluate(() => window.explorerApp.settled());
const basis = (p = page) => p.locator('#results-basis').textContent();
const scores = () => page.locator('ol[aria-label="Results"] li .score').allTextContents();
const urlParam = (name) => new URL(page.url()).searchParams.get(name);
const wrapperList = (space, options) => {
  explorer.setSpace(space);
  return explorer.neighbors('frog', options).results;
};

describe('neighbour lists in the page', () => {
  it('say they are by cosine in the raw space, and match the wrapper', async () => {
    expect(await basis()).toBe('Nearest by cosine in the raw space');
    expect(await resultWords(page)).toEqual(wrapperList('raw', { k: 10 }).map((r) => r.display ?? r.word));
    expect(await page.inputValue('#metric')).toBe('cosine');
  });

  it("the Metric menu gives the wrapper's Euclidean list, with distances as scores", async () => {
    await page.selectOption('#metric', 'euclidean');
    await page.waitForFunction(() => document.getElementById('results-basis')?.textContent.includes('Euclidean'));
    await settled();
    const expected = wrapperList('raw', { k: 10, metric: 'euclidean' });
    expect(await resultWords(page)).toEqual(expected.map((r) => r.word));
    expect(await scores()).toEqual(expected.map((r) => r.score.toFixed(3)));
    expect(await basis()).toBe('Nearest by Euclidean distance in the raw space');
    expect(await page.locator('#results-score-kind').textContent()).toMatch(/Euclidean distances .* smaller is nearer/);
    expect(urlParam('metric')).toBe('euclidean');
    console.log(`frog by Euclidean distance in the page: ${expected.slice(0, 5).map((r) => `${r.word} ${r.score.toFixed(3)}`).join(', ')}`);
  });

  it('names the space it ran in: centred', async () => {
    await page.selectOption('#space', 'centered');
    await page.waitForFunction(() => document.getElementById('results-basis')?.textContent.includes('centred'));
    await settled();
    expect(await basis()).toBe('Nearest by Euclidean distance in the centred space');
    expect(await resultWords(page)).toEqual(wrapperList('centered', { k: 10, metric: 'euclidean' }).map((r) => r.word));
  });

  it('k = 1000 shows a first page, pages through all 1,000, and the arrow keys walk the rows', async () => {
    await page.fill('#k', '1000');
    await page.dispatchEvent('#k', 'change');
    await page.waitForFunction(() => document.getElementById('results-more')?.hidden === false);
    await settled();
    expect(await page.locator('#message').isHidden()).toBe(true);
    expect(await page.locator('#results li').count()).toBe(100);
    expect(await page.locator('#results-more').textContent()).toBe('Show 100 more (100 of 1,000 shown)');
    // The view marks all 1,000 but labels only the first ones.
    const labels = await page.locator('#plot div[data-index]').count();
    console.log(`k = 1000: ${labels} labels in the view`);
    expect(labels).toBeLessThanOrEqual(MAX_RESULT_LABELS + 5);

    await page.locator('#results-more').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#results li').count()).toBe(200);
    // The keyboard lands on the first new row, and ArrowDown moves on from it.
    expect(await page.evaluate(() => document.activeElement.closest('li')?.dataset.word)).toBe(await page.locator('#results li').nth(100).getAttribute('data-word'));
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement.closest('li')?.dataset.word)).toBe(await page.locator('#results li').nth(101).getAttribute('data-word'));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement.closest('li')?.dataset.word)).toBe(await page.locator('#results li').nth(99).getAttribute('data-word'));
    for (let shown = 200; shown < 1000; shown += 100) await page.locator('#results-more').click();
    expect(await page.locator('#results-more').isHidden()).toBe(true);
    const words = await resultWords(page);
    expect(words).toEqual(wrapperList('centered', { k: 1000, metric: 'euclidean' }).map((r) => r.word));
    // The long list scrolls in place rather than pushing the page down by 1,000 rows.
    const box = await page.locator('#results').boundingBox();
    expect(box.height).toBeLessThan(900);
  });

  it('analogy answers name their method and space too', async () => {
    await page.fill('#k', '10');
    await page.dispatchEvent('#k', 'change');
    await page.fill('#analogy-a', 'man');
    await page.fill('#analogy-b', 'king');
    await page.fill('#analogy-c', 'woman');
    await page.click('#analogy-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#results-caption')?.textContent.includes('::'));
    await settled();
    expect(await basis()).toBe('Nearest by cosine in the centred space');
    expect(await page.locator('#comparison-heading').textContent()).toBe('3CosMul beside it (3CosMul scores) in the centred space');
    await page.check('input[name="method"][value="3cosmul"]');
    await page.waitForFunction(() => document.getElementById('results-basis')?.textContent.startsWith('Ranked by 3CosMul'));
    expect(await basis()).toBe('Ranked by 3CosMul score (from cosines) in the centred space');
    expect(problems).toEqual([]);
  });

  it('a bad metric= in the URL gets a note, and cosine is used', async () => {
    const bad = await openPage(`${SUB_PATH}index.html?word=frog&metric=manhattan`);
    await waitReady(bad);
    await bad.evaluate(() => window.explorerApp.settled());
    expect(await bad.locator('#message').textContent()).toMatch(/Unknown metric "manhattan" \(expected cosine or euclidean\): cosine is used\./);
    expect(await bad.inputValue('#metric')).toBe('cosine');
    expect(await basis(bad)).toBe('Nearest by cosine in the raw space');
    expect(await resultWords(bad)).toEqual(wrapperList('raw', { k: 10 }).map((r) => r.word));
    await bad.close();
  });
});
