// The page's state in the built page, in Chromium: one store drives the URL,
// the controls and the view. Each test here is a defect of issue 7 (section
// 5) that the page had before the store: URL parameters dropped, embed code
// incomplete, t-SNE restarted, controls that did not show what ran, errors
// that left old results, messages, history, and the views of word groups.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URL_PARAMS } from '../../web/src/ui/url-params.js';
import { WORD_GROUPS } from '../../web/src/ui/presets.js';
import { CATEGORICAL, hexToRgb01 } from '../../web/src/view/palette.js';
import { repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { CSP, SUB_PATH, startServer } from './server.js';

const fixture = (name) => join(repoRoot, 'tests', 'fixtures', 'formats', name);

let server;
let browser;
let scratch;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'page-state-'));
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function open(search) {
  const page = await openPage(`${SUB_PATH}index.html${search}`);
  await waitReady(page);
  return page;
}

const settled = (page) => page.evaluate(() => window.explorerApp.settled());
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);
const caption = (page) => page.locator('#results-caption').textContent();
const message = (page) => page.locator('#message').textContent();
const drawnColour = (page, word) =>
  page.evaluate((w) => {
    const app = window.explorerApp;
    const i = app.pointIndex(w);
    return i === undefined ? null : Array.from(app.plot.pointsLayer.geometry.attributes.color.array.slice(3 * i, 3 * i + 3));
  }, word);
const close = (a, b) => a && a.every((x, i) => Math.abs(x - b[i]) < 0.01);

/** Counts the worker calls of one type from now on. */
const countCalls = (page, type) =>
  page.evaluate((t) => {
    const client = window.explorerApp.client;
    window.__calls = 0;
    const call = client.call.bind(client);
    client.call = (type, ...rest) => {
      if (type === t) window.__calls++;
      return call(type, ...rest);
    };
  }, type);

describe('word groups and "Colour by" show their colours', () => {
  it('draws each group in its own colour, also for words that are results, and lists them in the legend', async () => {
    const page = await open('?group=all&word=dog');
    const results = await resultWords(page);
    const groupResults = results.filter((w) => WORD_GROUPS.some((g) => g.words.includes(w)));
    expect(groupResults.length).toBeGreaterThan(0); // cat, horse... are results and animals
    for (const [g, group] of WORD_GROUPS.entries()) {
      const expected = hexToRgb01(CATEGORICAL[g % CATEGORICAL.length]);
      for (const word of group.words) expect(close(await drawnColour(page, word), expected), `${word} in ${group.name}`).toBe(true);
    }
    const swatches = await page.locator('#legend .legend-item').evaluateAll((items) =>
      items.map((item) => [item.textContent, getComputedStyle(item.querySelector('.swatch')).backgroundColor]),
    );
    expect(swatches.map(([name]) => name)).toEqual(WORD_GROUPS.map((g) => g.name));
    const rgb = (hex) => `rgb(${hexToRgb01(hex).map((x) => Math.round(255 * x)).join(', ')})`;
    expect(swatches.map(([, colour]) => colour)).toEqual(WORD_GROUPS.map((_, g) => rgb(CATEGORICAL[g % CATEGORICAL.length])));
    await page.screenshot({ path: join(repoRoot, 'tests', 'artifacts', 'page-groups.png') });
    await page.close();
  });

  it('colours by a metadata column, and the legend ends with a value, never "null"', async () => {
    const page = await open('?word=frog');
    await page.setInputFiles('#metadata-file', fixture('metadata.tsv'));
    await page.selectOption('#table-format', 'tsv');
    await page.setInputFiles('#table-file', fixture('vectors.tsv'));
    await page.click('#load-table');
    await page.waitForFunction(() => document.body.dataset.tableLoads === '1', null, { timeout: 60_000 });
    await page.selectOption('#colour-by', 'group');
    await settled(page);
    const legend = await page.locator('#legend').textContent();
    expect(legend).toMatch(/^group:/);
    expect(legend).not.toMatch(/null/);
    const values = await page.locator('#legend .legend-item').allTextContents();
    const order = values.map((v) => v);
    expect(close(await drawnColour(page, 'cat'), hexToRgb01(CATEGORICAL[order.indexOf('animal')]))).toBe(true);
    expect(close(await drawnColour(page, 'red'), hexToRgb01(CATEGORICAL[order.indexOf('colour')]))).toBe(true);
    await page.close();
  });
});

describe('the URL holds the whole view', () => {
  it('honours sel with an analogy: queen is selected and her neighbours listed', async () => {
    const search = '?a=man&b=king&c=woman&method=3cosmul&space=whitened&proj=tsne&sel=queen';
    const page = await open(search);
    await page.waitForFunction(() => /^(iteration|done)/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 60_000 });
    expect(await caption(page)).toBe('nearest to queen');
    expect(await resultWords(page)).not.toContain('queen');
    const selected = await page.evaluate(() => window.explorerApp.plot._highlights?.selected ?? null);
    expect(selected).toBe(await page.evaluate(() => window.explorerApp.pointIndex('queen')));
    expect(params(page)).toEqual(Object.fromEntries(new URLSearchParams(search)));
    expect(await page.inputValue('#analogy-c')).toBe('woman');
    expect(await page.inputValue('#projection')).toBe('tsne');
    expect(await page.isChecked('input[name="method"][value="3cosmul"]')).toBe(true);
    await page.close();

    const word = await open('?word=frog&k=5');
    expect(await caption(word)).toBe('nearest to frog');
    expect(await resultWords(word)).toHaveLength(5);
    expect(await word.inputValue('#search')).toBe('frog');
    await word.close();
  });

  it('?proj=bogus says so and falls back to PCA with a valid menu', async () => {
    const page = await open('?proj=bogus&word=frog');
    expect(await message(page)).toMatch(/Unknown projection "bogus" \(expected pca, pca-table, axes, tsne, umap, analogy\): showing PCA\./);
    expect(await page.inputValue('#projection')).toBe('pca');
    expect(params(page).proj).toBeUndefined();
    expect(await page.evaluate(() => window.explorerApp.plot.count)).toBeGreaterThan(1000);
    expect(await caption(page)).toBe('nearest to frog');
    await page.close();
  });

  it('round-trips every parameter in url-params.js', async () => {
    const views = [
      { a: 'france', b: 'paris', c: 'japan', method: '3cosmul', inputs: '1', expected: 'tokyo', sel: 'kyoto', space: 'centered', proj: 'axes', axes: 'man:woman|small:big', group: 'capitals', k: '7', n: '3000' },
      { q: 'paris - france + italy', space: 'whitened:50', proj: 'pca-table', pcs: '2,1,3', k: '12', n: '200', group: 'all', dims: '2', perplexity: '12', neighbors: '30', mindist: '0.5' },
      { word: 'frog', space: 'abtt:3', proj: 'pca', words: 'cat,dog,toad', beside: '1', metric: 'euclidean' },
    ];
    // data= needs a table file beside the build: tests/e2e/data-param.test.js round-trips it;
    // nav= and navseed= start a game: tests/e2e/navigator.test.js round-trips them.
    const covered = new Set([...views.flatMap((v) => Object.keys(v)), 'data', 'nav', 'navseed']);
    for (const { param } of URL_PARAMS) expect(covered.has(param), param).toBe(true);
    for (const view of views) {
      const search = `?${new URLSearchParams(view)}`;
      const page = await open(search);
      const expected = { ...view, proj: view.proj === 'pca' ? undefined : view.proj };
      expect(params(page)).toEqual(JSON.parse(JSON.stringify(expected)));
      const words = await resultWords(page);
      expect(words.length).toBeGreaterThan(0);
      const again = await open(new URL(page.url()).search);
      expect(await resultWords(again)).toEqual(words);
      expect(params(again)).toEqual(params(page));
      await page.close();
      await again.close();
    }
  });
});

describe('"Copy embed code"', () => {
  it('gives an iframe and an element that both reproduce the view, with no pixel width and no style attribute', async () => {
    const search = '?a=man&b=king&c=woman&method=3cosmul&inputs=1&sel=queen&space=whitened&proj=axes&axes=man%3Awoman&group=family&k=7&n=2000';
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'], viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.origin}${SUB_PATH}index.html${search}`);
    await waitReady(page);
    const words = await resultWords(page);
    const view = params(page);
    expect(view).toEqual(Object.fromEntries(new URLSearchParams(search)));
    await page.click('#copy-embed');
    await page.waitForFunction(() => document.querySelector('#copy-embed').textContent === 'Copied');
    const code = await page.inputValue('#embed-code');
    const [iframe] = code.match(/<iframe[^>]*><\/iframe>/);
    expect(iframe).not.toMatch(/\sstyle=/);
    expect(iframe).not.toMatch(/\swidth="\d+"/);
    const src = iframe.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
    expect(Object.fromEntries(new URL(src).searchParams)).toEqual(view);
    // The element: an attribute for everything the URL holds; the analogy stays an analogy.
    const [element] = code.match(/<embedding-explorer[^>]*>/);
    expect(code).not.toMatch(/\sstyle=/);
    const attributes = Object.fromEntries([...element.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&')]));
    const fromAttributes = {};
    const [a, b, c] = attributes.analogy.split(' ');
    Object.assign(fromAttributes, { a, b, c });
    for (const { param, attribute } of URL_PARAMS) if (attribute && attributes[attribute] !== undefined) fromAttributes[param] = attributes[attribute];
    expect(fromAttributes).toEqual(view);
    // "Copied" goes back to the button's name.
    await page.waitForFunction(() => document.querySelector('#copy-embed').textContent === 'Copy embed code', null, { timeout: 5000 });

    // Both, on a course page: the same answer.
    const script = code.match(/<script src="([^"]+)"><\/script>/)[1];
    await page.route(`${server.origin}/host/copied.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: { 'Content-Security-Policy': CSP },
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><script src="${script}"></script></head><body>${iframe.replace('<iframe', '<iframe id="copied"')}${element}</embedding-explorer></body></html>`,
      }),
    );
    await page.goto(`${server.origin}/host/copied.html`);
    for (const frame of [page.frameLocator('#copied'), page.frameLocator('embedding-explorer iframe')]) {
      await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      expect(await resultWords(frame)).toEqual(words);
      const shown = await frame.locator('body').evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));
      expect(shown).toEqual(view);
    }
    await context.close();
  });
});

describe('t-SNE', () => {
  it('restarts only when the points change, once per space, drops Pause when done, and says how long a run past 10,000 points takes', async () => {
    const page = await open('?proj=tsne&n=1000&word=frog');
    await page.waitForFunction(() => document.querySelector('#tsne-status')?.textContent.startsWith('done'), null, { timeout: 120_000 });
    expect(await page.locator('#tsne-pause').isHidden()).toBe(true);
    await countCalls(page, 'tsne');
    // Fewer results of the same query: the same points, other highlights.
    await page.fill('#k', '5');
    await page.dispatchEvent('#k', 'change');
    await settled(page);
    expect(await resultWords(page)).toHaveLength(5);
    expect(await page.evaluate(() => window.__calls)).toBe(0);
    expect(await page.locator('#tsne-status').textContent()).toMatch(/^done/);
    await page.selectOption('#space', 'centered');
    await settled(page);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.__calls)).toBe(1);
    // Past 10,000 points t-SNE still runs (up to 20,000), and says beforehand how long it takes.
    await page.fill('#point-count', '20000');
    await page.dispatchEvent('#point-count', 'change');
    await page.waitForFunction(() => /\(\d\d,\d{3} points: about \d+ (s|min) in all\)/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 60_000 });
    expect(await page.inputValue('#projection')).toBe('tsne');
    expect(params(page)).toMatchObject({ proj: 'tsne', n: '20000' });
    await page.close();
  }, 240_000);
});

describe('the controls show what ran', () => {
  it('"Try:" keeps the query kind and replaces the misspelt word in its field', async () => {
    const page = await open('');
    await page.fill('#analogy-a', 'man');
    await page.fill('#analogy-b', 'king');
    await page.fill('#analogy-c', 'wman');
    await page.click('#analogy-form button[type="submit"]');
    await page.waitForSelector('#message:not([hidden])');
    const text = await message(page);
    expect(text.match(/woman/g)).toHaveLength(1); // listed once, as a button
    await page.locator('#message').getByRole('button', { name: 'woman', exact: true }).click();
    await settled(page);
    expect(await caption(page)).toMatch(/^man : king :: woman : \?/);
    expect(await page.inputValue('#analogy-c')).toBe('woman');

    await page.fill('#expression', 'paris - frnace + italy');
    await page.click('#expression-form button[type="submit"]');
    await page.waitForSelector('#message:not([hidden])');
    await page.locator('#message').getByRole('button', { name: 'france', exact: true }).click();
    await settled(page);
    expect(await page.inputValue('#expression')).toBe('paris - france + italy');
    expect(await caption(page)).toBe('for paris - france + italy');
    await page.close();
  });

  it('a misspelt expected word is offered as "Try:" too, and the other method\'s words are drawn with their names', async () => {
    const page = await open('?a=man&b=king&c=woman&expected=quen&proj=analogy');
    await page.waitForSelector('#message:not([hidden])');
    await page.locator('#message').getByRole('button', { name: 'queen', exact: true }).click();
    await settled(page);
    expect(params(page).expected).toBe('queen');
    expect(await caption(page)).toMatch(/"queen" ranks 1/);
    // The analogy view draws only the answer's words, the other method's among them: each by its word, never its id.
    const labels = await page.evaluate(() => window.explorerApp.pointSet.labels);
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.filter((label) => /^\d+$/.test(label))).toEqual([]);
    await page.close();
  });

  it('presets use the ticked method and "include inputs"; both re-run at once', async () => {
    const page = await open('');
    await page.check('input[name="method"][value="3cosmul"]');
    await page.check('#include-inputs');
    await page.getByRole('button', { name: 'king − man + woman' }).click();
    await settled(page);
    expect(await caption(page)).toMatch(/\(3CosMul\)/);
    expect(params(page)).toMatchObject({ a: 'man', method: '3cosmul', inputs: '1' });
    expect(await resultWords(page)).toContain('king');
    expect(await page.locator('#results-score-kind').textContent()).toMatch(/3CosMul scores, not cosines/);
    // The radio and the box take effect without Solve.
    await page.check('input[name="method"][value="3cosadd"]');
    await settled(page);
    expect(await caption(page)).toMatch(/\(3CosAdd\)/);
    await page.uncheck('#include-inputs');
    await settled(page);
    expect(await resultWords(page)).not.toContain('king');
    expect(params(page).inputs).toBeUndefined();
    expect(await page.locator('#comparison-heading').textContent()).toMatch(/3CosMul beside it \(3CosMul scores\)/);
    await page.close();
  });

  it('k and Points out of range: a message, and the field and the URL show the value used', async () => {
    const page = await open('?word=frog');
    await page.fill('#k', '5000');
    await page.dispatchEvent('#k', 'change');
    await settled(page);
    expect(await message(page)).toMatch(/k must be from 1 to 1,000; 5000 is out of range, so 1,000 is used/);
    expect(await page.inputValue('#k')).toBe('1000');
    expect(params(page).k).toBe('1000');
    expect(await resultWords(page)).toHaveLength(100); // the first page of the 1,000 (results-view.js RESULTS_PAGE)
    await page.fill('#point-count', '5');
    await page.dispatchEvent('#point-count', 'change');
    await settled(page);
    expect(await message(page)).toMatch(/Points must be from 100 to 20,000; 5 is out of range, so 100 is used/);
    expect(await page.inputValue('#point-count')).toBe('100');
    expect(params(page).n).toBe('100');
    await page.close();
  });
});

describe('errors and messages', () => {
  it('says the query vector is zero for 0*king and king - king', async () => {
    const page = await open('?q=0*king');
    expect(await message(page)).toMatch(/query vector is zero/i);
    expect(await resultWords(page)).toEqual([]);
    await page.fill('#expression', 'king - king');
    await page.click('#expression-form button[type="submit"]');
    await settled(page);
    expect(await message(page)).toMatch(/query vector is zero/i);
    expect(await resultWords(page)).toEqual([]);
    await page.close();
  });

  it('clears the old results and caption after an error, and names an expression as one', async () => {
    const page = await open('?word=frog');
    expect((await resultWords(page)).length).toBe(10);
    await page.fill('#search', 'quen');
    await page.click('#search-form button[type="submit"]');
    await settled(page);
    expect(await resultWords(page)).toEqual([]);
    expect(await caption(page)).toBe('');
    expect((await message(page)).match(/queen/g)).toHaveLength(1);
    await page.fill('#expression', 'x'.repeat(500));
    await page.click('#expression-form button[type="submit"]');
    expect(await message(page)).toMatch(/The expression is too long \(500 characters; an expression is at most 200\)/);
    expect(await message(page)).not.toMatch(/words are/);
    await page.close();
  });

  it('an empty answer on a tiny table says so', async () => {
    const page = await open('?word=frog');
    const tiny = join(scratch, 'tiny.txt');
    writeFileSync(tiny, 'man 1 0 0 0\nking 0 1 0 0\nwoman 0 0 1 0\n');
    await page.setInputFiles('#table-file', tiny);
    await page.click('#load-table');
    await page.waitForFunction(() => document.body.dataset.tableLoads === '1', null, { timeout: 60_000 });
    await page.fill('#analogy-a', 'man');
    await page.fill('#analogy-b', 'king');
    await page.fill('#analogy-c', 'woman');
    await page.uncheck('#include-inputs');
    await page.click('#analogy-form button[type="submit"]');
    await settled(page);
    expect(await resultWords(page)).toEqual([]);
    expect(await message(page)).toMatch(/No results for|No results man : king :: woman/);
    await page.close();
  });
});

describe('results for everyone', () => {
  it('announces results and finds a result in the 3D view with Enter', async () => {
    const page = await open('?q=king%20-%20man%20%2B%20woman');
    const live = page.locator('#results-announcement');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    expect(await live.textContent()).toMatch(/10 results for king - man \+ woman, nearest by cosine in the raw space; first queen/);
    await page.evaluate(() => {
      const plot = window.explorerApp.plot;
      const focus = plot.focusPoint.bind(plot);
      plot.focusPoint = (index) => {
        window.__focused = index;
        return focus(index);
      };
    });
    await page.locator('#results li button.word').first().focus();
    await page.keyboard.press('Enter');
    const queen = await page.evaluate(() => window.explorerApp.pointIndex('queen'));
    expect(await page.evaluate(() => window.__focused)).toBe(queen);
    expect(await page.evaluate(() => window.explorerApp.plot.focused)).toBe(queen);
    await page.locator('#results li button.word').nth(1).click();
    const second = (await resultWords(page))[1];
    expect(await page.evaluate(() => window.__focused)).toBe(await page.evaluate((w) => window.explorerApp.pointIndex(w), second));
    await page.close();
  });
});

describe('browser history', () => {
  it('a new query adds an entry; Back and Forward restore query, results, space and fields; typing adds none', async () => {
    const page = await open('?word=frog');
    const frog = await resultWords(page);
    await page.fill('#expression', 'paris - france + italy');
    await page.click('#expression-form button[type="submit"]');
    await settled(page);
    await page.selectOption('#space', 'centered');
    await settled(page);
    const paris = await resultWords(page);
    const length = await page.evaluate(() => history.length);
    await page.fill('#search', 'typing only');
    expect(await page.evaluate(() => history.length)).toBe(length);
    await page.goBack();
    await settled(page);
    expect(await caption(page)).toBe('nearest to frog');
    expect(await resultWords(page)).toEqual(frog);
    expect(await page.inputValue('#space')).toBe('raw');
    expect(await page.inputValue('#search')).toBe('frog');
    await page.goForward();
    await settled(page);
    expect(await caption(page)).toBe('for paris - france + italy');
    expect(await resultWords(page)).toEqual(paris);
    expect(await page.inputValue('#space')).toBe('centered');
    expect(await page.inputValue('#expression')).toBe('paris - france + italy');
    await page.close();
  });
});

describe('the evaluation lab', () => {
  it('runs the Google analogy test set: 19,544 questions', async () => {
    const page = await open('?word=frog');
    await page.selectOption('#lab-analogy-source', 'google');
    await page.click('#lab-run-analogies');
    await page.waitForFunction(() => document.querySelector('#lab-total')?.textContent.startsWith('Total:'), null, { timeout: 180_000 });
    const total = await page.locator('#lab-total').textContent();
    console.log(`Google analogy test set in the page: ${total}`);
    const { correct, count, skipped } = total.match(/\((?<correct>\d+) of (?<count>\d+) correct(?:; (?<skipped>\d+) skipped)?/).groups;
    expect(Number(count) + Number(skipped ?? 0)).toBe(19544);
    expect(Number(correct)).toBeGreaterThan(0);
    await page.close();
  }, 240_000);
});

describe('console', () => {
  it('showed no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
