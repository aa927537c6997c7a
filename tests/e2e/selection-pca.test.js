// Issue 9 §4 in the built page (Chromium, strict CSP): the PCA component
// picker and the box selection. The picker lists PC1..PC10 with the shares
// the wrapper computes in Node for the same words; picking PC1/PC5/PC8
// lays the points out as the wrapper does; a Shift+drag box selects the
// points drawn inside it (checked against their projected screen
// positions) without turning the view; Isolate draws only those and lays
// them out again with the same components; Show all restores; I and A in
// the view do the same from the keyboard.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { defaultTable } from '../js/paths.js';
import { launchBrowser, pageOpener, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

let server;
let browser;
let explorer;
let page;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

const settled = () => page.evaluate(() => window.explorerApp.settled());
const pointWords = () => page.evaluate(() => window.explorerApp.pointWords);
const rawPositions = () => page.evaluate(() => Array.from(window.explorerApp.plot.positions.raw));
const params = async () => new URL(page.url()).searchParams;
const panel = async () => page.locator('#selection-panel').evaluate((node) => ({ ...node.dataset }));

/** Waits until the plot stops animating, then every point's screen position (CSS px in the canvas), null behind the camera. */
async function screenPositions() {
  await page.waitForFunction(() => !window.explorerApp.plot.positions.animating);
  return page.evaluate(() => {
    const plot = window.explorerApp.plot;
    return Array.from({ length: plot.count }, (_, i) => plot.screenPosition(i));
  });
}

function largestDifference(actual, expected) {
  expect(actual.length).toBe(expected.length);
  return actual.reduce((worst, v, i) => Math.max(worst, Math.abs(v - expected[i])), 0);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  page = await openPage(`${SUB_PATH}index.html?n=500&word=frog`);
  await waitReady(page);
  await settled();
}, 120_000);

afterAll(async () => {
  explorer?.dispose();
  await browser?.close();
  await server?.close();
});

describe('the PCA component picker', () => {
  it('lists PC1..PC10 with the shares the wrapper computes for the drawn words', async () => {
    expect(await page.locator('#pca-picker').isVisible()).toBe(true);
    const words = await pointWords();
    const { componentsExplained } = explorer.project(words, { method: 'pca' });
    const listed = await page.evaluate(() => window.explorerApp.pcaPicker.listed());
    expect(listed.map((o) => o.component)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const worst = largestDifference(listed.map((o) => o.share), Array.from(componentsExplained));
    expect(worst).toBeLessThan(1e-6);
    expect(listed[4].text).toBe(`PC5 (${(100 * componentsExplained[4]).toFixed(1)} %)`);
    console.log(`picker over ${words.length} words: ${listed.map((o) => o.text).join(', ')}`);
  });

  it('picking PC1, PC5 and PC8 lays the points out as the wrapper does, and the link keeps it', async () => {
    await page.selectOption('#pca-y', '5');
    await settled();
    await page.selectOption('#pca-z', '8');
    await settled();
    expect((await params()).get('pcs')).toBe('1,5,8');
    const words = await pointWords();
    const expected = explorer.project(words, { method: 'pca', components: [0, 4, 7] });
    const worst = largestDifference(await rawPositions(), Array.from(expected.coordinates));
    expect(worst).toBeLessThan(1e-6);
    expect(await page.locator('#pca-caption').textContent()).toContain('x: PC1, y: PC5, z: PC8');
    expect(await page.locator('#faithfulness-variance').textContent()).toContain(`y (PC5) ${(100 * expected.explained[1]).toFixed(1)} %`);
    // Picking a component another axis shows swaps the two.
    await page.selectOption('#pca-x', '8');
    await settled();
    expect((await params()).get('pcs')).toBe('8,5,1');
    await page.selectOption('#pca-x', '1');
    await settled();
    expect((await params()).get('pcs')).toBe('1,5,8');
  });
});

describe('box selection and isolation', () => {
  let allWords;
  let allPositions;
  let boxedWords;

  it('a Shift+drag box selects the points drawn inside it and leaves the camera where it was', async () => {
    allWords = await pointWords();
    allPositions = await rawPositions();
    const screen = await screenPositions();
    const canvas = await page.locator('#plot canvas').boundingBox();
    const box = { left: canvas.width * 0.42, top: canvas.height * 0.4, right: canvas.width * 0.58, bottom: canvas.height * 0.55 };
    const inside = screen.flatMap((p, i) => (p && p.x >= box.left && p.x <= box.right && p.y >= box.top && p.y <= box.bottom ? [i] : []));
    expect(inside.length).toBeGreaterThan(5);
    expect(inside.length).toBeLessThan(200); // all listed
    boxedWords = inside.map((i) => allWords[i]);
    const camera = () => page.evaluate(() => window.explorerApp.plot.rig.camera.position.toArray());
    const cameraBefore = await camera();
    const drag = async () => {
      // Clicking a button below the view may have scrolled it partly out of sight.
      await page.evaluate(() => document.getElementById('plot').scrollIntoView({ block: 'center' }));
      const canvas = await page.locator('#plot canvas').boundingBox();
      await page.mouse.move(canvas.x + box.left, canvas.y + box.top);
      await page.mouse.down();
      await page.mouse.move(canvas.x + (box.left + box.right) / 2, canvas.y + (box.top + box.bottom) / 2, { steps: 4 });
      await page.mouse.move(canvas.x + box.right, canvas.y + box.bottom, { steps: 4 });
      await page.mouse.up();
    };
    // Box mode (the way for touch screens): a plain drag draws the box.
    await page.getByRole('button', { name: 'Box select', exact: true }).click();
    expect(await page.locator('#selection-box-mode').getAttribute('aria-pressed')).toBe('true');
    await drag();
    expect((await panel()).selected).toBe(String(inside.length));
    await page.getByRole('button', { name: 'Box select', exact: true }).click();
    await page.getByRole('button', { name: 'Clear selection', exact: true }).click();
    expect((await panel()).selected).toBe('0');
    await page.keyboard.down('Shift');
    await drag();
    await page.keyboard.up('Shift');
    expect(await camera()).toEqual(cameraBefore);
    expect((await panel()).selected).toBe(String(inside.length));
    const listed = await page.locator('#selection-words li').allTextContents();
    expect(listed.sort()).toEqual([...boxedWords].sort());
    expect(await page.locator('#selection-count').textContent()).toBe(`${inside.length} words selected.`);
    console.log(`box of ${Math.round(box.right - box.left)}×${Math.round(box.bottom - box.top)} px selected ${inside.length} of ${allWords.length} words`);
  });

  it('Isolate draws only the selection, laid out again with PC1/PC5/PC8 of those words; Show all restores', async () => {
    const selected = boxedWords;
    await page.getByRole('button', { name: 'Isolate', exact: true }).click();
    await settled();
    const isolated = await pointWords();
    expect([...isolated].sort()).toEqual([...selected].sort());
    expect((await panel()).isolated).toBe('true');
    expect(await page.locator('#selection-status').textContent()).toMatch(new RegExp(`^Isolated: showing only ${isolated.length} words, laid out again with PCA`));
    const expected = explorer.project(isolated, { method: 'pca', components: [0, 4, 7] });
    expect(largestDifference(await rawPositions(), Array.from(expected.coordinates))).toBeLessThan(1e-6);
    // The picker's shares are now those of the isolated words.
    const listed = await page.evaluate(() => window.explorerApp.pcaPicker.listed());
    expect(largestDifference(listed.map((o) => o.share), Array.from(expected.componentsExplained))).toBeLessThan(1e-6);

    await page.getByRole('button', { name: 'Show all', exact: true }).click();
    await settled();
    expect(await pointWords()).toEqual(allWords);
    expect(largestDifference(await rawPositions(), allPositions)).toBeLessThan(1e-6);
    expect((await panel()).isolated).toBe('false');
    expect(await page.locator('#selection-show-all').isHidden()).toBe(true);
  });

  it('from the keyboard, I isolates the highlighted words when nothing is boxed, and A shows all', async () => {
    await page.getByRole('button', { name: 'Clear selection', exact: true }).click();
    expect((await panel()).selected).toBe('0');
    // The answer to word=frog: frog and its 10 nearest words.
    const highlighted = ['frog', ...explorer.neighbors('frog', { k: 10 }).results.map((r) => r.word)];
    await page.locator('#plot').focus();
    await page.keyboard.press('i');
    await settled();
    expect([...(await pointWords())].sort()).toEqual([...highlighted].sort());
    expect((await panel()).isolated).toBe('true');
    await page.keyboard.press('a');
    await settled();
    expect(await pointWords()).toEqual(allWords);
    expect(problems).toEqual([]);
  });

  it('shows the picker only for PCA views', async () => {
    await page.selectOption('#projection', 'axes');
    await page.waitForFunction(() => document.getElementById('pca-picker')?.hidden === true);
    // Hidden means not drawn: a card's own display rule must not bring it back.
    expect(await page.locator('#pca-picker').isVisible()).toBe(false);
    await page.selectOption('#projection', 'pca');
    await page.waitForFunction(() => document.getElementById('pca-picker')?.hidden === false);
    expect(await page.locator('#pca-picker').isVisible()).toBe(true);
  });
});
