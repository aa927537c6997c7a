// Issue 8 §1 in the built page (Chromium, strict CSP): the analogy view is
// chosen after an analogy and offered for any query; it draws the plane of
// a, b, c with the computed point as its own marker; the panel prints the
// point's norm and nearest word, the offsets' full-space cosine beside
// their angle on screen, which inputs were skipped and at what rank, and a
// relation's offset consistency as a sorted bar chart. Figures are printed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
let server;
let browser;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(search, options) {
  const page = await openPage(`${SUB_PATH}index.html${search}`, options);
  await waitReady(page);
  await settled(page);
  return page;
}

const settled = async (page) => {
  await page.evaluate(() => window.explorerApp.settled());
  // The panel's figures come from their own worker calls after the layout.
  await page.waitForFunction(() => {
    const panel = document.getElementById('analogy-panel');
    return panel.hidden || document.getElementById('analogy-skipped').textContent !== '';
  });
};
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);
const text = (page, id) => page.locator(`#${id}`).textContent();
const offsetFigures = (page) =>
  page.locator('#analogy-offsets').evaluate((el) => ({ full: Number(el.dataset.fullCosine), screen: el.dataset.screenDegrees === '' ? null : Number(el.dataset.screenDegrees), text: el.textContent }));

/** The marker's raw position and the raw positions of words, from the plot. */
const geometryOnScreen = (page, words) =>
  page.evaluate((list) => {
    const app = window.explorerApp;
    const raw = app.plot.positions.raw;
    const at = (w) => {
      const i = app.pointIndex(w);
      return i === undefined ? null : Array.from(raw.slice(3 * i, 3 * i + 3));
    };
    const marker = app.plot.markerLayer._marker;
    return { words: list.map(at), marker: marker ? { position: marker.position, label: marker.label } : null, count: app.pointWords.length };
  }, words);

const PRESETS = [
  { button: 'king − man + woman', words: ['man', 'king', 'woman', 'queen'] },
  { button: 'paris − france + italy', words: ['france', 'paris', 'italy', 'rome'] },
  { button: 'swimming − swim + run', words: ['swim', 'swimming', 'run', 'running'] },
];

describe('the analogy view', () => {
  it('is chosen after an analogy and draws a, b, c and b − a + c as a parallelogram', async () => {
    const page = await open('?word=frog');
    expect(await page.locator('#analogy-panel').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'king − man + woman' }).click();
    await settled(page);
    expect(params(page).proj).toBe('analogy');
    expect(await page.inputValue('#projection')).toBe('analogy');
    expect(await resultWords(page)).toContain('queen');
    const { words, marker, count } = await geometryOnScreen(page, ['man', 'king', 'woman', 'queen']);
    // Only the query's words are drawn, not the 5,000 frequent words nor earlier answers.
    expect(count).toBeLessThan(30);
    expect(marker.label).toBe('king − man + woman');
    const [a, b, c] = words;
    for (let k = 0; k < 3; k++) expect(marker.position[k]).toBeCloseTo(b[k] - a[k] + c[k], 4);
    // The plane of a, b, c: a at the origin, b on the x axis, c and the point at a's depth.
    expect(Math.abs(a[0]) + Math.abs(a[1])).toBeLessThan(1e-5);
    expect(Math.abs(b[1])).toBeLessThan(1e-5);
    expect(Math.abs(c[2] - a[2])).toBeLessThan(1e-4);
    expect(await page.locator('[data-layer="marker"]').textContent()).toBe('king − man + woman');

    expect(await text(page, 'analogy-point')).toMatch(/Computed point king − man \+ woman: norm \d\.\d{3}/);
    expect(await text(page, 'analogy-nearest')).toMatch(/nothing excluded: king, cosine 0\.837/);
    const offsets = await offsetFigures(page);
    expect(offsets.full.toFixed(3)).toBe('0.760');
    expect(offsets.text).toMatch(/Offsets man→king and woman→queen: cosine 0\.760 in the full space \(40\.5° apart\); [\d.]+° apart in the analogy view/);
    expect(await text(page, 'analogy-skipped')).toMatch(/Skipped as inputs: king \(would rank 1, cosine 0\.837\)/);
    await page.close();
  });

  it('prints the full-space cosine beside the angle on screen for the three presets, in the analogy view and in PCA', async () => {
    const page = await open('?word=frog');
    const rows = [];
    for (const preset of PRESETS) {
      await page.getByRole('button', { name: preset.button }).click();
      await settled(page);
      const inView = await offsetFigures(page);
      await page.selectOption('#projection', 'pca');
      await settled(page);
      await page.waitForFunction(() => document.getElementById('analogy-offsets').textContent.includes('this projection'));
      const inPca = await offsetFigures(page);
      expect(inPca.full).toBeCloseTo(inView.full, 6);
      rows.push({ preset: preset.button, fullCosine: inView.full.toFixed(3), fullDegrees: ((Math.acos(inView.full) * 180) / Math.PI).toFixed(1), analogyView: inView.screen.toFixed(1), pca5000: inPca.screen.toFixed(1) });
      // Back to the default view, so that the next preset switches to the analogy view again.
    }
    console.log(`offset angles (degrees) on screen vs full space:\n${rows.map((r) => JSON.stringify(r)).join('\n')}`);
    expect(rows[0].fullCosine).toBe('0.760');
    expect(rows[2].fullCosine).toBe('0.136'); // against the preset's expected "running"
    await page.close();
  });

  it('keeps a projection the learner chose, and is offered for an expression and a word', async () => {
    const page = await open('?word=frog&proj=pca-table');
    await page.getByRole('button', { name: 'king − man + woman' }).click();
    await settled(page);
    expect(params(page).proj).toBe('pca-table');
    await page.close();

    const expr = await open('?q=paris%20-%20france%20%2B%20italy&proj=analogy');
    expect(await expr.inputValue('#projection')).toBe('analogy');
    const { marker } = await geometryOnScreen(expr, []);
    expect(marker.label).toBe('paris − france + italy');
    expect((await offsetFigures(expr)).text).toMatch(/france→paris and italy→rome/);
    await expr.close();

    const word = await open('?word=frog&proj=analogy');
    const shown = await geometryOnScreen(word, ['frog']);
    expect(shown.marker).toBeNull();
    expect(shown.words[0]).not.toBeNull();
    expect(await word.locator('#analogy-panel').isHidden()).toBe(true);
    await word.close();
  });

  it('"include inputs" says which inputs were skipped and where they rank', async () => {
    const page = await open('?a=man&b=king&c=woman&proj=analogy');
    expect(await text(page, 'analogy-skipped')).toMatch(/Skipped as inputs: king \(would rank 1, cosine 0\.837\)/);
    await page.check('#include-inputs');
    await settled(page);
    await page.waitForFunction(() => document.getElementById('analogy-skipped').textContent.includes('is on'));
    expect(await text(page, 'analogy-skipped')).toMatch(/"Include inputs" is on: king ranks 1 \(0\.837\)/);
    expect((await resultWords(page))[0]).toBe('king');
    await page.close();
  });

  it('charts the offset consistency of a relation, sorted', async () => {
    const page = await open('?a=man&b=king&c=woman&proj=analogy');
    await page.selectOption('#offset-relation', 'gender');
    await page.click('#offset-run');
    await page.waitForFunction(() => document.querySelectorAll('#offset-chart .bar-row').length > 5);
    const bars = await page.locator('#offset-chart .bar-row').evaluateAll((rows) =>
      rows.map((r) => ({ label: r.querySelector('.bar-label').textContent, value: Number(r.querySelector('.bar-value').textContent) })),
    );
    const values = bars.map((b) => b.value);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    expect(values.every((v) => v <= 1 && v >= -1)).toBe(true);
    expect(await text(page, 'offset-summary')).toMatch(/^gender: \d+ pairs; each offset's cosine to the mean offset, mean 0\.\d{3}/);
    console.log(`gender offsets in the page: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}`);
    await page.selectOption('#offset-relation', 'present-participle');
    await page.click('#offset-run');
    await page.waitForFunction(() => document.getElementById('offset-summary').textContent.startsWith('present-participle'));
    console.log(`present-participle: ${await text(page, 'offset-summary')}`);
    await page.close();
  });

  it('takes screenshots of the analogy view for king − man + woman, wide and narrow', async () => {
    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      const page = await open('?a=man&b=king&c=woman&proj=analogy', { viewport });
      await page.waitForTimeout(1200); // the fit tween
      await page.locator('#plot').scrollIntoViewIfNeeded();
      const file = join(artifacts, `analogy-view-${viewport.width}x${viewport.height}.png`);
      await page.screenshot({ path: file });
      await page.locator('#plot').screenshot({ path: file.replace('.png', '-plot.png') });
      await page.locator('#analogy-panel').screenshot({ path: file.replace('.png', '-panel.png') });
      await page.close();
    }
  });

  it('draws only a word list of your own, with add and remove, or beside the frequent words', async () => {
    const page = await open('?word=frog');
    expect(await page.evaluate(() => window.explorerApp.pointWords.length)).toBeGreaterThan(4000);
    await page.fill('#word-list-input', 'cat, dog toad');
    await page.click('#word-list-form button[type="submit"]');
    await settled(page);
    expect(params(page).words).toBe('cat,dog,toad');
    let drawn = await page.evaluate(() => window.explorerApp.pointWords);
    for (const w of ['cat', 'dog', 'toad', 'frog']) expect(drawn).toContain(w);
    expect(drawn.length).toBeLessThan(30); // the list and the query's words only
    await page.getByRole('button', { name: 'Remove dog' }).click();
    await settled(page);
    expect(params(page).words).toBe('cat,toad');
    expect(await page.locator('#word-list li').allTextContents()).toEqual(['cat×', 'toad×']);
    await page.check('#word-list-beside');
    await settled(page);
    expect(params(page).beside).toBe('1');
    drawn = await page.evaluate(() => window.explorerApp.pointWords);
    expect(drawn.length).toBeGreaterThan(4000);
    expect(drawn).toContain('toad');
    // A word the table lacks is named, and the rest is drawn.
    await page.fill('#word-list-input', 'qqxyzzy');
    await page.click('#word-list-form button[type="submit"]');
    await settled(page);
    expect(await page.locator('#message').textContent()).toMatch(/left out of your words: qqxyzzy/);
    await page.click('#word-list-clear');
    await settled(page);
    expect(params(page).words).toBeUndefined();
    expect(params(page).beside).toBeUndefined();
    await page.close();

    const linked = await open('?words=paris,rome,tokyo&word=frog');
    expect(await linked.locator('#word-list li').count()).toBe(3);
    expect((await linked.evaluate(() => window.explorerApp.pointWords)).length).toBeLessThan(30);
    await linked.close();
  });

  it('logged no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
