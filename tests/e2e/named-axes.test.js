// Named axes in the built page (issue 8, section 2), driven through the UI:
// presets picked in the axes form, the axes drawn and named at both ends
// with ticks in cosine units, words placed by their cosine with each axis,
// the axes in the URL (preset form "gender|royalty") and in the embed's
// `axes` attribute. Screenshots at 1440x900 and 390x844 in tests/artifacts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, waitReady } from './browser.js';
import { SUB_PATH, startCourseServer, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
let server;
let course;
let browser;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);
const openCourse = pageOpener(() => browser, () => course.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  course = await startCourseServer(server.origin);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await course?.close();
  await server?.close();
});

async function open(search, viewport) {
  const page = await openPage(`${SUB_PATH}index.html${search}`, viewport ? { viewport } : undefined);
  await waitReady(page);
  return page;
}

const settled = (page) => page.evaluate(() => window.explorerApp.settled());
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);
/** The axes layer's texts: { 'x from': '← male', 'x tick': ['−0.1', '0', …], … } (shown ones only). */
const axisTexts = (scope) =>
  scope.locator('[data-layer="axes"] > div').evaluateAll((nodes) => {
    const out = {};
    for (const node of nodes) {
      if (node.style.display === 'none') continue;
      const key = `${node.dataset.axis} ${node.dataset.role}`;
      if (node.dataset.role === 'tick') (out[key] ??= []).push(node.textContent);
      else out[key] = node.textContent;
    }
    return out;
  });
const tickValue = (text) => Number(text.replace('−', '-'));

/** For word w: its raw (cosine) coordinates and where the x ticks bracketing it sit, all in world units. */
const placement = (page, word) =>
  page.evaluate((w) => {
    const app = window.explorerApp;
    const i = app.pointIndex(w);
    const raw = Array.from(app.plot.positions.raw.slice(3 * i, 3 * i + 3));
    const world = Array.from(app.plot.positions.world.slice(3 * i, 3 * i + 3));
    const ticks = app.plot.axesLayer._axes[0].ticks.map((t, k) => ({ t, x: app.plot.axesLayer._axes[0].tickLabels[k].world.x }));
    return { raw, world, ticks };
  }, word);

describe('named axes in the page', () => {
  it('picks presets in the axes form, draws them named at both ends with cosine ticks, and puts them in the URL', async () => {
    const page = await open('?q=king+-+man+%2B+woman');
    expect(await axisTexts(page)).toEqual({});
    await page.selectOption('#projection', 'axes');
    await expect.poll(() => page.locator('#axes-form').isVisible()).toBe(true);
    // The view opens on the form's first axes rather than on nothing.
    await settled(page);
    expect(params(page)).toMatchObject({ proj: 'axes', axes: 'gender|royalty' });
    await page.getByLabel('x axis').selectOption('age');
    await page.getByRole('button', { name: 'Apply axes' }).click();
    await settled(page);
    expect(params(page).axes).toBe('age|royalty');
    expect((await axisTexts(page))['x to']).toBe('old →');
    await page.getByLabel('x axis').selectOption('gender');
    await expect.poll(() => page.locator('.axis-pairs[data-axis="x"]').textContent()).toMatch(/^male ← → female, from 18 pairs: man:woman, he:she/);
    await page.getByLabel('y axis').selectOption('royalty');
    await page.getByRole('button', { name: 'Apply axes' }).click();
    await settled(page);
    expect(params(page)).toMatchObject({ proj: 'axes', axes: 'gender|royalty' });

    const texts = await axisTexts(page);
    console.log('axes drawn:', JSON.stringify(texts));
    expect(texts).toMatchObject({ 'x from': '← male', 'x to': 'female →', 'x name': 'gender', 'y from': '← common', 'y to': 'royal →', 'y name': 'royalty' });
    expect(texts['z from']).toBeUndefined(); // z is PCA of the residual: no named ends, but drawn and ticked
    expect(texts['z name']).toBe('rest of the space: PCA 1');
    expect(texts['z tick']?.length).toBeGreaterThan(1);
    // Word labels keep clear of the axes' names and ticks (all but the answer's, which never leaves its dot).
    const overlaps = await page.evaluate(() => {
      const boxes = (nodes) =>
        nodes
          .filter((node) => node.style.display !== 'none')
          .map((node) => ({ text: node.textContent, r: node.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0);
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const axes = boxes([...document.querySelectorAll('[data-layer="axes"] > div')]);
      const layer = window.explorerApp.plot.labelsLayer;
      const byPriority = layer._order.map((index) => layer._labels.get(index).el);
      return boxes(byPriority.slice(1)).flatMap((label) => axes.filter((a) => hit(a.r, label.r)).map((a) => `${label.text} over ${a.text}`));
    });
    expect(overlaps).toEqual([]);
    // Evenly spaced ticks in cosine units through the origin, whose "0" is written once (on y).
    const yTicks = texts['y tick'].map(tickValue);
    expect(yTicks).toContain(0);
    expect(new Set(yTicks.slice(1).map((t, k) => Math.round((t - yTicks[k]) * 100))).size).toBe(1);
    expect(texts['x tick']).toEqual(expect.arrayContaining(['−0.1', '0.1', '0.2']));
    expect(texts['x tick']).not.toContain('0');
    await expect.poll(() => page.locator('#axes-caption').textContent()).toMatch(/x: gender \(male ← → female\); y: royalty \(common ← → royal\); z: PCA/);

    // Words sit at their cosine with the axis: queen right of king, woman right of man;
    // king and queen above man and woman (royalty).
    await page.waitForFunction(() => !window.explorerApp.plot.positions.animating); // the tween from PCA has ended
    const at = {};
    for (const word of ['king', 'queen', 'man', 'woman']) at[word] = await placement(page, word);
    expect(at.queen.raw[0]).toBeGreaterThan(at.king.raw[0]);
    expect(at.woman.raw[0]).toBeGreaterThan(at.man.raw[0]);
    expect(at.king.raw[1]).toBeGreaterThan(at.man.raw[1]);
    expect(at.queen.raw[1]).toBeGreaterThan(at.woman.raw[1]);
    for (const word of Object.keys(at)) {
      expect(Math.abs(at[word].raw[0])).toBeLessThanOrEqual(1); // a cosine
      // The tick labelled t sits where a word whose cosine is t sits (x): same world transform.
      const { raw, world, ticks } = at[word];
      const [a, b] = [ticks[0], ticks[ticks.length - 1]];
      const expected = a.x + ((raw[0] - a.t) / (b.t - a.t)) * (b.x - a.x);
      expect(Math.abs(world[0] - expected)).toBeLessThan(1e-4);
    }
    const shots = await page.evaluate(() => [...document.querySelectorAll('[data-layer="axes"] > div')].length);
    expect(shots).toBeGreaterThan(6);
    await page.setViewportSize({ width: 1440, height: 900 });
    await settled(page);
    await page.screenshot({ path: join(artifacts, 'named-axes-1440x900.png') });
    await page.locator('#plot').screenshot({ path: join(artifacts, 'named-axes-1440x900-plot.png') });
    await page.close();
  });

  it('reads the preset form from a link, and custom pairs from the form, and back', async () => {
    const page = await open('?axes=gender|royalty');
    expect(await page.locator('#projection').inputValue()).toBe('axes');
    expect(await page.getByLabel('x axis').inputValue()).toBe('gender');
    expect(await page.getByLabel('y axis').inputValue()).toBe('royalty');
    expect(await axisTexts(page)).toMatchObject({ 'x to': 'female →', 'y to': 'royal →' });

    await page.getByLabel('x axis').selectOption('');
    await page.getByLabel('x from').fill('man:king, woman:queen, boy:prince');
    await page.getByLabel('y axis').selectOption('age');
    await page.getByRole('button', { name: 'Apply axes' }).click();
    await settled(page);
    expect(params(page).axes).toBe('man:king;woman:queen;boy:prince|age');
    expect(await axisTexts(page)).toMatchObject({ 'x from': '← man, woman, boy', 'x to': 'king, queen, prince →', 'y from': '← young', 'y to': 'old →' });

    // A third named axis replaces the PCA of the residual on z.
    await page.getByLabel('z axis').selectOption('plural');
    await page.getByRole('button', { name: 'Apply axes' }).click();
    await settled(page);
    expect(params(page).axes).toBe('man:king;woman:queen;boy:prince|age|plural');
    expect(await axisTexts(page)).toMatchObject({ 'z from': '← singular', 'z to': 'plural →' });
    expect(await page.locator('#axes-caption').textContent()).not.toMatch(/PCA/);
    await page.getByLabel('z axis').selectOption('');
    await page.getByRole('button', { name: 'Apply axes' }).click();
    await settled(page);

    // The link opens as it was left.
    const again = await open(`?${new URL(page.url()).searchParams}`);
    expect(await again.getByLabel('x axis').inputValue()).toBe('');
    expect(await again.getByLabel('x from').inputValue()).toBe('man:king, woman:queen, boy:prince');
    expect(await again.getByLabel('y axis').inputValue()).toBe('age');
    expect(await axisTexts(again)).toMatchObject({ 'x to': 'king, queen, prince →', 'y to': 'old →' });
    await again.close();

    // Leaving the axes view hides them, and the link keeps proj=pca beside the axes.
    await page.selectOption('#projection', 'pca');
    await settled(page);
    expect(await axisTexts(page)).toEqual({});
    expect(params(page)).toMatchObject({ proj: 'pca', axes: 'man:king;woman:queen;boy:prince|age' });
    const reopened = await open(`?${new URL(page.url()).searchParams}`);
    expect(await reopened.locator('#projection').inputValue()).toBe('pca');
    await reopened.close();
    await page.close();
  });

  it('names a bad axis and still shows the words', async () => {
    const page = await open('?axes=gendre|royalty');
    await expect.poll(() => page.locator('#message').textContent()).toMatch(/unknown axis preset "gendre"/);
    expect(await axisTexts(page)).toEqual({});
    expect(await page.evaluate(() => window.explorerApp.plot.count)).toBeGreaterThan(1000);
    // The menu and the URL say what is drawn: PCA, with the unreadable axes dropped.
    expect(await page.locator('#projection').inputValue()).toBe('pca');
    expect(params(page).axes).toBeUndefined();
    await page.selectOption('#projection', 'axes');
    await settled(page);
    // An unknown word in an axis of one's own leaves the last good view.
    await page.getByLabel('x axis').selectOption('tense');
    await page.getByRole('button', { name: 'Apply axes' }).click();
    await settled(page);
    expect((await axisTexts(page))['x to']).toBe('past →');
    await page.getByLabel('x axis').selectOption('');
    await page.getByLabel('x from').fill('man:xqzvw');
    await page.getByRole('button', { name: 'Apply axes' }).click();
    await settled(page);
    await expect.poll(() => page.locator('#message').textContent()).toMatch(/xqzvw/);
    expect((await axisTexts(page))['x to']).toBe('past →');
    await page.close();
  });

  it('phone width: the axes form and the labelled view fit 390 px', async () => {
    const page = await open('?q=king+-+man+%2B+woman&axes=gender|royalty', { width: 390, height: 844 });
    const texts = await axisTexts(page);
    expect(texts['x to']).toBe('female →');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('#axes-form').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'named-axes-390x844.png') });
    await page.locator('#plot').screenshot({ path: join(artifacts, 'named-axes-390x844-plot.png') });
    await page.close();
  });
});

describe('named axes for everyone', () => {
  it('axe-core finds no serious or critical violation in the axes form and the labelled view', async () => {
    // bypassCSP only for injecting axe itself; the page under test is the same.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.origin}${SUB_PATH}index.html?axes=gender|royalty&q=king+-+man+%2B+woman`);
    await waitReady(page);
    expect((await axisTexts(page))['x to']).toBe('female →');
    await page.addScriptTag({ path: join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js') });
    const violations = await page.evaluate(async () =>
      // The form and the view this feature draws into (the page as a whole has its own test, a11y.test.js).
      (await window.axe.run({ include: [['#axes-form'], ['#plot']] }, { resultTypes: ['violations'] })).violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes[0].target.join(' ')}`),
    );
    console.log(`axe-core with named axes: ${violations.join('; ') || 'none'}`);
    expect(violations.filter((v) => /\((serious|critical),/.test(v) || v.startsWith('color-contrast'))).toEqual([]);
    await context.close();
  });
});

describe('named axes in the embed', () => {
  it('takes the axes attribute on <embedding-explorer> and draws the named axes', async () => {
    const explorer = `${server.origin}${SUB_PATH}`;
    course.addPage(
      '/unit-3/axes.html',
      'Unit 3: named axes',
      `<embedding-explorer axes="gender|royalty" query="king - man + woman"></embedding-explorer><script src="${explorer}embedding-explorer.js"></script>`,
    );
    const page = await openCourse('/unit-3/axes.html');
    const src = await page.locator('embedding-explorer iframe').getAttribute('src');
    expect(new URL(src).searchParams.get('axes')).toBe('gender|royalty');
    const frame = page.frameLocator('embedding-explorer iframe');
    await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => axisTexts(frame.locator('body'))).toMatchObject({ 'x from': '← male', 'x to': 'female →', 'y to': 'royal →' });
    await page.close();
  });

  it('had no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
