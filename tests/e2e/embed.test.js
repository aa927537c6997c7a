// The explorer embedded in a course page at ANOTHER origin, as a course
// author would do it, under the course site's strict CSP: the
// <embedding-explorer> element from one classic script tag, and the iframe
// snippet. The explorer's server sends no Access-Control-Allow-Origin, like
// any plain static host. Then the embed and the main page at phone widths.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSnippets } from '../../web/src/ui/embed-code.js';
import { PAGE_OPTIONS, URL_PARAMS } from '../../web/src/ui/url-params.js';
import { readUrlView } from '../../web/src/ui/url-state.js';
import { normalizeView } from '../../web/src/ui/view-state.js';
import { repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startCourseServer, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

let explorer;
let course;
let browser;
const problems = []; // console errors (CSP violations among them) and page errors
const openExplorer = pageOpener(() => browser, () => explorer.origin, problems);
const openCourse = pageOpener(() => browser, () => course.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  explorer = await startServer();
  course = await startCourseServer(explorer.origin);
  expect(new URL(course.origin).port).not.toBe(new URL(explorer.origin).port);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await course?.close();
  await explorer?.close();
});

const elementFrame = (page) => page.frameLocator('embedding-explorer iframe');
const waitFrameReady = (frame) => frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
const elementState = (page) => page.locator('embedding-explorer').getAttribute('data-state');
/** The fallback's text, from the element's shadow root ('' when hidden). */
const fallbackText = (page) =>
  page.locator('embedding-explorer').evaluate((el) => {
    const box = el.shadowRoot.querySelector('[role="status"]');
    return box && box.style.display !== 'none' ? box.innerText : '';
  });

/** Page-relative rects (scroll included) of the elements `selectors` name, in the frame or page `scope`. */
function rectsIn(scope, selectors) {
  return scope.evaluate((list) => {
    const out = {};
    for (const selector of list) {
      const el = document.querySelector(selector);
      const box = el?.getBoundingClientRect();
      const shown = el && box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      out[selector] = shown
        ? { left: box.left + scrollX, top: box.top + scrollY, right: box.right + scrollX, bottom: box.bottom + scrollY, width: box.width, height: box.height }
        : null;
    }
    return out;
  }, selectors);
}

const overlaps = (a, b) => Boolean(a && b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom);
const round = (rect) => rect && Object.fromEntries(Object.entries(rect).map(([k, v]) => [k, Math.round(v)]));

describe('the element on a course page at another origin, under its strict CSP', () => {
  it('loads from one classic script tag with no CORS header and answers "queen"', async () => {
    const before = problems.length;
    const page = await browser.newPage({ viewport: DESKTOP });
    page.on('console', (m) => m.type() === 'error' && problems.push(`element.html: ${m.text()}`));
    const scriptResponse = page.waitForResponse((r) => r.url().endsWith(`${SUB_PATH}embedding-explorer.js`));
    await page.goto(`${course.origin}/unit-3/element.html`);
    const headers = (await scriptResponse).headers();
    expect(headers['access-control-allow-origin']).toBeUndefined();
    const frame = elementFrame(page);
    await waitFrameReady(frame);
    expect((await resultWords(frame))[0]).toBe('queen');
    await expect.poll(() => elementState(page)).toBe('ready');
    expect(await fallbackText(page)).toBe('');
    // 100% wide by default: as wide as the course page's column.
    const sizes = await page.evaluate(() => {
      const el = document.querySelector('embedding-explorer');
      return { element: el.getBoundingClientRect().width, column: document.querySelector('main').clientWidth, height: el.getBoundingClientRect().height };
    });
    console.log(`element on a ${DESKTOP.width} px course page: ${sizes.element} x ${sizes.height} px (column ${sizes.column} px)`);
    expect(sizes.element).toBe(sizes.column);
    expect(sizes.height).toBeGreaterThanOrEqual(400);
    await page.screenshot({ path: join(artifacts, 'course-element-1440x900.png') });
    expect(problems.slice(before)).toEqual([]);
    await page.close();
  });

  it('answers on a course page of another site too, where the browser refuses the embeds a shared worker', async () => {
    // localhost and 127.0.0.1 are different sites: the explorer's iframe is cross-site, as on a real course
    // site, and this Chromium refuses it a SharedWorker; the embed then starts a worker of its own.
    const crossSite = course.origin.replace('127.0.0.1', 'localhost');
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${crossSite}/unit-3/element.html`);
    const frame = elementFrame(page);
    await waitFrameReady(frame);
    expect((await resultWords(frame))[0]).toBe('queen');
    await expect.poll(() => elementState(page)).toBe('ready');
    expect(await frame.locator('#load-text').textContent()).toMatch(/^50,000 words/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('maps every attribute in URL_PARAMS and PAGE_OPTIONS, and analogy, to the embed URL', async () => {
    const page = await openCourse('/unit-3/element.html');
    const values = {
      query: 'paris - france + italy', method: '3cosmul', 'include-inputs': '1', expected: 'rome', word: 'frog', selection: 'rome',
      space: 'whitened', projection: 'axes', axes: 'man:woman|small:big', group: 'capitals', k: '12', points: '3000',
      words: 'cat,dog', 'with-frequent': '1', dims: '2', perplexity: '12', neighbors: '30', 'min-dist': '0.5',
      data: 'tables/glove-6b-100d-10k.embs.gz', metric: 'euclidean', components: '1,5,8',
      // The page options (lessons and embed options, docs/lessons.md).
      lesson: 'analogies', step: '2', hide: 'space', lock: 'query,k', readonly: '1', caption: 'Try *this*', heading: 'Unit 3', 'open-full': '0', theme: 'dark',
    };
    const attributes = [...URL_PARAMS, ...PAGE_OPTIONS].filter((p) => p.attribute);
    // The test's values must cover the list, so a parameter added there fails here until it is mapped.
    expect(Object.keys(values).sort()).toEqual(attributes.map((p) => p.attribute).sort());
    const src = await page.locator('embedding-explorer').evaluate((el, attrs) => {
      for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
      return el.shadowRoot.querySelector('iframe').src;
    }, values);
    const url = new URL(src);
    expect(url.origin).toBe(explorer.origin);
    expect(url.pathname).toBe(`${SUB_PATH}embed.html`);
    for (const { param, attribute } of attributes) expect(url.searchParams.get(param), attribute).toBe(values[attribute]);
    expect([url.searchParams.get('a'), url.searchParams.get('b'), url.searchParams.get('c')]).toEqual(['man', 'king', 'woman']);
    await page.close();
  });

  it('an analogy of two words reaches the embed, which says what is missing', async () => {
    const page = await openCourse('/unit-3/element.html');
    const warnings = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.locator('embedding-explorer').evaluate((el) => el.setAttribute('analogy', 'man king'));
    const frame = elementFrame(page);
    await frame.locator('#message:not([hidden])').waitFor({ timeout: 60_000 });
    expect(await frame.locator('#message').textContent()).toMatch(/a, b and c/);
    expect(warnings.join(' ')).toContain('an analogy takes three words');
    await page.close();
  });

  it('shows readable text and a link to the full explorer while the frame has not loaded', async () => {
    const page = await openCourse('/unit-3/below-the-fold.html');
    await page.waitForFunction(() => document.querySelector('embedding-explorer')?.shadowRoot);
    expect(await elementState(page)).toBe('loading');
    expect(await fallbackText(page)).toContain('Loading the Embedding Space Explorer');
    const link = page.locator('embedding-explorer').getByRole('link', { name: 'Open the full explorer' });
    expect(await link.getAttribute('href')).toBe(`${explorer.origin}${SUB_PATH}index.html?a=man&b=king&c=woman`);
    await page.locator('embedding-explorer').scrollIntoViewIfNeeded();
    await waitFrameReady(elementFrame(page));
    await expect.poll(() => fallbackText(page)).toBe('');
    await page.close();
  });

  it('says it could not load, with the link, when embed.html is not beside the script', async () => {
    const page = await browser.newPage({ viewport: DESKTOP }); // the 404 is expected here
    await page.goto(`${course.origin}/unit-3/misplaced.html`);
    await expect.poll(() => elementState(page), { timeout: 20_000 }).toBe('failed');
    const text = await fallbackText(page);
    expect(text).toContain('could not be shown here');
    expect(text).toContain('Open the full explorer');
    const size = await page.locator('embedding-explorer').boundingBox();
    expect(size.width).toBeGreaterThan(300);
    expect(size.height).toBeGreaterThan(100);
    await page.screenshot({ path: join(artifacts, 'course-element-fallback.png') });
    await page.close();
  });

  it('says it could not load when the course CSP leaves the explorer out of frame-src', async () => {
    const page = await browser.newPage({ viewport: DESKTOP }); // the CSP violation is expected here
    const violations = [];
    page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
    await page.goto(`${course.origin}/blocked/element.html`);
    await expect.poll(() => elementState(page), { timeout: 20_000 }).toBe('failed');
    expect(await fallbackText(page)).toContain('could not be shown here');
    console.log(`frame-src without the explorer: ${violations.join(' | ').slice(0, 200)}`);
    expect(violations.some((v) => /frame-src/.test(v))).toBe(true);
    await page.close();
  });

  it('the iframe snippet (no style attribute, 100% wide) answers "queen" under the same CSP', async () => {
    const page = await openCourse('/unit-3/iframe.html');
    const frame = page.frameLocator('iframe');
    await waitFrameReady(frame);
    expect((await resultWords(frame))[0]).toBe('queen');
    const widths = await page.evaluate(() => ({ frame: document.querySelector('iframe').getBoundingClientRect().width, column: document.querySelector('main').clientWidth }));
    expect(widths.frame).toBe(widths.column);
    await page.close();
  });
});

describe('the snippets from "Copy embed code", pasted into a course page at another origin', () => {
  const search = '?a=man&b=king&c=woman&method=3cosmul&k=12';
  const snippets = () => embedSnippets(normalizeView(readUrlView(search)).view, `${explorer.origin}${SUB_PATH}index.html`);
  const sortedParams = (url) => [...new URL(url).searchParams].sort().join('&');

  it('the iframe snippet has no style attribute, fills the column and answers "queen"', async () => {
    const { iframe } = snippets();
    expect(iframe).not.toMatch(/\sstyle=/);
    expect(iframe).not.toMatch(/width="\d+"/);
    course.addPage('/pasted/iframe.html', 'Pasted iframe', iframe);
    const page = await openCourse('/pasted/iframe.html');
    await waitFrameReady(page.frameLocator('iframe'));
    expect((await resultWords(page.frameLocator('iframe')))[0]).toBe('queen');
    const widths = await page.evaluate(() => ({ frame: document.querySelector('iframe').getBoundingClientRect().width, column: document.querySelector('main').clientWidth }));
    // Wider than the column would scroll a phone's page sideways.
    expect(widths.frame).toBeLessThanOrEqual(widths.column);
    expect(widths.frame).toBeGreaterThanOrEqual(widths.column - 4);
    await page.close();
  });

  it('the element snippet (one classic script tag) shows the same view as the iframe snippet', async () => {
    const { iframe, element } = snippets();
    expect(element).toMatch(/<script src="[^"]+embedding-explorer\.js"><\/script>/);
    expect(element).not.toMatch(/type="module"|\sstyle=/);
    course.addPage('/pasted/element.html', 'Pasted element', element);
    const page = await openCourse('/pasted/element.html');
    await waitFrameReady(elementFrame(page));
    expect((await resultWords(elementFrame(page)))[0]).toBe('queen');
    const elementSrc = await page.locator('embedding-explorer').evaluate((el) => el.shadowRoot.querySelector('iframe').src);
    const iframeSrc = iframe.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
    expect(sortedParams(elementSrc)).toBe(sortedParams(iframeSrc));
    await page.close();
  });
});

describe('narrow widths', () => {
  it('the embed at 390x844: query, results and plot fit, and the status covers neither input nor plot', async () => {
    const page = await openExplorer(`${SUB_PATH}embed.html?a=man&b=king&c=woman`, { viewport: PHONE });
    const selectors = ['#expression', '#results', '#plot', '#load-status', '.embed-side'];
    await page.waitForSelector('#expression');
    const loading = await rectsIn(page, selectors);
    await waitReady(page);
    const ready = await rectsIn(page, selectors);
    console.log('embed 390x844, loading:', JSON.stringify(Object.fromEntries(Object.entries(loading).map(([k, v]) => [k, round(v)]))));
    console.log('embed 390x844, ready:  ', JSON.stringify(Object.fromEntries(Object.entries(ready).map(([k, v]) => [k, round(v)]))));
    for (const rects of [loading, ready]) {
      expect(overlaps(rects['#load-status'], rects['#expression'])).toBe(false);
      expect(overlaps(rects['#load-status'], rects['#plot'])).toBe(false);
    }
    const { '#expression': input, '#results': results, '#plot': plot } = ready;
    expect(input.bottom).toBeLessThanOrEqual(PHONE.height);
    expect(input.width).toBeGreaterThanOrEqual(200);
    expect(results.bottom).toBeLessThanOrEqual(2 * PHONE.height);
    expect(plot.width).toBeGreaterThanOrEqual(0.9 * PHONE.width);
    expect(plot.height).toBeGreaterThanOrEqual(250);
    expect(plot.bottom).toBeLessThanOrEqual(2 * PHONE.height);
    expect(overlaps(results, plot)).toBe(false);
    await page.screenshot({ path: join(artifacts, 'embed-390x844.png') });
    await page.close();
  });

  it('the embed at 360 px gives the plot the width, not a 240 px side column', async () => {
    const page = await openExplorer(`${SUB_PATH}embed.html?a=man&b=king&c=woman`, { viewport: { width: 360, height: 640 } });
    await waitReady(page);
    const rects = await rectsIn(page, ['#plot', '.embed-side', '#expression']);
    console.log(`embed at 360x640: plot ${round(rects['#plot']).width}x${round(rects['#plot']).height}, side ${round(rects['.embed-side']).width} px wide`);
    expect(rects['#plot'].width).toBeGreaterThanOrEqual(320);
    expect(rects['#plot'].height).toBeGreaterThanOrEqual(200);
    expect(rects['#expression'].width).toBeGreaterThanOrEqual(200);
    await page.close();
  });

  it('the element on a 390 px course page stacks its results above a full-width plot', async () => {
    const page = await openCourse('/unit-3/element.html', { viewport: PHONE });
    await waitFrameReady(elementFrame(page));
    const inner = page.frames().find((f) => f.url().includes('embed.html'));
    const rects = await rectsIn(inner, ['#expression', '#results', '#plot']);
    const box = await page.locator('embedding-explorer').boundingBox();
    console.log(`element at 390x844: ${round(box).width}x${round(box).height}; inside: plot ${JSON.stringify(round(rects['#plot']))}, results bottom ${Math.round(rects['#results'].bottom)}`);
    expect(rects['#plot'].width).toBeGreaterThanOrEqual(0.9 * box.width);
    expect(rects['#plot'].height).toBeGreaterThanOrEqual(250);
    expect(rects['#plot'].bottom).toBeLessThanOrEqual(box.height + 1);
    expect(overlaps(rects['#results'], rects['#plot'])).toBe(false);
    await page.screenshot({ path: join(artifacts, 'course-element-390x844.png'), fullPage: true });
    await page.close();
  });

  it('the main page at 390x844: query, results and the 3D view within the first two screens', async () => {
    const page = await openExplorer(`${SUB_PATH}index.html?a=man&b=king&c=woman`, { viewport: PHONE });
    await waitReady(page);
    const rects = await rectsIn(page, ['#expression', '#analogy-a', '#results', '#plot', '#load-status']);
    console.log('main 390x844:', JSON.stringify(Object.fromEntries(Object.entries(rects).map(([k, v]) => [k, round(v)]))));
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(PHONE.width); // nothing scrolls sideways
    expect(rects['#expression'].bottom).toBeLessThanOrEqual(PHONE.height);
    expect(rects['#results'].bottom).toBeLessThanOrEqual(2 * PHONE.height);
    expect(rects['#plot'].bottom).toBeLessThanOrEqual(2 * PHONE.height);
    expect(rects['#plot'].height).toBeGreaterThanOrEqual(300);
    expect(overlaps(rects['#load-status'], rects['#expression'])).toBe(false);
    expect(overlaps(rects['#load-status'], rects['#plot'])).toBe(false);
    await page.screenshot({ path: join(artifacts, 'main-390x844-two-screens.png'), clip: { x: 0, y: 0, width: PHONE.width, height: 2 * PHONE.height }, fullPage: true });
    await page.close();
  });

  it('screenshots at 1440x900 of the main page and the embed', async () => {
    const main = await openExplorer(`${SUB_PATH}index.html?a=man&b=king&c=woman`, { viewport: DESKTOP });
    await waitReady(main);
    await main.screenshot({ path: join(artifacts, 'main-1440x900.png') });
    await main.close();
    const embed = await openExplorer(`${SUB_PATH}embed.html?a=man&b=king&c=woman`, { viewport: DESKTOP });
    await waitReady(embed);
    await embed.screenshot({ path: join(artifacts, 'embed-1440x900.png') });
    await embed.close();
  });
});

describe('no console errors or CSP violations', () => {
  it('on any page opened above (expected failures aside)', () => {
    expect(problems).toEqual([]);
  });
});
