// data=: a lighter table for a lesson (issue 11, section 3). A page or a
// widget can start with another table from the explorer's own site, in any
// format the page reads without a companion file; a table that is missing,
// on another origin or needs a vocabulary gets a message that names it, and
// the page goes on with the default table. The tables are written by the
// test into a copy of the build.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, resultWords, waitReady } from './browser.js';
import { SUB_PATH, distDir, startCourseServer, startServer } from './server.js';

// 30 words in 4 dimensions: "beta" is alpha's nearest neighbour by construction.
const WORDS = Array.from({ length: 30 }, (_, i) => `w${i}`);
const DIMS = 4;
function lessonVectors() {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const rows = WORDS.map((word) => [word, Array.from({ length: DIMS }, random)]);
  rows.push(['alpha', [1, 0.02, 0.01, 0]], ['beta', [0.98, 0.05, 0.02, 0.01]]);
  return rows;
}

let site;
let explorer;
let course;
let browser;
const problems = [];

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'explorer-data-'));
  cpSync(distDir, site, { recursive: true });
  mkdirSync(join(site, 'tables'));
  const rows = lessonVectors();
  writeFileSync(join(site, 'tables', 'lesson.vec'), `${rows.length} ${DIMS}\n${rows.map(([w, v]) => `${w} ${v.map((x) => x.toFixed(5)).join(' ')}`).join('\n')}\n`);
  writeFileSync(join(site, 'tables', 'lesson.npy'), 'not read: data= cannot bring its vocabulary');
  explorer = await startServer({ dir: site });
  course = await startCourseServer(explorer.origin);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await course?.close();
  await explorer?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && problems.push(`${url}: ${m.text()}`));
  page.on('pageerror', (error) => problems.push(`${url}: ${error.message}`));
  await page.goto(url);
  return page;
}

const text = (scope, selector) => scope.locator(selector).first().textContent();

describe('data=: a lighter table for a lesson', () => {
  it('the full page starts with a same-origin text table and keeps data= in its URL', async () => {
    const page = await open(`${explorer.origin}${SUB_PATH}index.html?data=tables/lesson.vec&word=alpha`);
    await waitReady(page);
    expect(await text(page, '#load-text')).toContain(`${WORDS.length + 2} words × ${DIMS} dimensions`);
    expect(await text(page, '#tagline')).toContain('lesson.vec');
    expect((await resultWords(page))[0]).toBe('beta');
    expect(new URL(page.url()).searchParams.get('data')).toBe('tables/lesson.vec');
    await page.close();
  }, 60_000);

  it('an element with a data attribute on a course page at another origin loads the table from the explorer', async () => {
    const script = `<script src="${explorer.origin}${SUB_PATH}embedding-explorer.js"></script>`;
    course.addPage('/unit-3/lesson-table.html', 'Unit 3: a small table', `${script}\n<embedding-explorer data="tables/lesson.vec" word="alpha"></embedding-explorer>`);
    const page = await open(`${course.origin}/unit-3/lesson-table.html`);
    await page.waitForFunction(() => document.querySelector('embedding-explorer')?.dataset.state === 'ready', null, { timeout: 60_000 });
    const frame = page.frameLocator('embedding-explorer iframe');
    expect((await resultWords(frame.locator('body')))[0]).toBe('beta');
    expect(await text(frame, '#load-text')).toContain(`${WORDS.length + 2} words`);
    await page.close();
  }, 60_000);

  const fallbacks = [
    ['a missing file', 'tables/missing.emb', /data=tables\/missing\.emb: cannot load missing\.emb: HTTP 404 \(no such file on this site\)\. Showing the default table\./],
    ['another origin', 'http://example.org/glove.emb', /a table must come from this site \(http:\/\/127\.0\.0\.1:\d+\), not from http:\/\/example\.org/],
    ['a table that needs a vocabulary', 'tables/lesson.npy', /needs a vocabulary file, which data= cannot bring/],
  ];
  for (const [what, data, message] of fallbacks) {
    it(`${what}: the message names it, and the default table answers`, async () => {
      const page = await open(`${explorer.origin}${SUB_PATH}index.html?data=${encodeURIComponent(data)}&q=${encodeURIComponent('king - man + woman')}`);
      await waitReady(page);
      expect(await text(page, '#message')).toMatch(message);
      expect(await text(page, '#load-text')).toContain('50,000 words');
      expect((await resultWords(page))[0]).toBe('queen');
      await page.close();
    }, 60_000);
  }

  it('logged no console errors or CSP violations beyond the missing file', () => {
    // The browser itself logs the 404 of the missing table.
    expect(problems.filter((p) => !/missing\.emb|404/.test(p))).toEqual([]);
  });
});
