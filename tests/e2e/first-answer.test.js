// The page answers before the table has finished loading (issue 11 §1),
// and fetches the core module zipped, once, checked without timing: this test's server sends the first part of the
// table and holds the rest back until the test lets it go, so whatever the
// page shows meanwhile comes from the rows that have arrived. The table is
// sent as many static hosts send a .gz file, as application/gzip without
// Content-Encoding, so the worker unzips it itself (DecompressionStream),
// under the strict CSP.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { CSP, distDir } from './server.js';

// Comfortably more than the first block of rows (about 300 kB zipped), far less than the table (about 5 MB).
const SENT_FIRST = 700 * 1024;

let server;
let browser;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

/**
 * The built site, with the table's tail held back until release() (one
 * request at a time): release() sends the rest, or up to the next of the
 * `cuts` rearm() was given. holdApp() holds the app chunk (plain or zipped)
 * back until releaseApp(), so the page cannot leave its early start.
 */
async function startHoldingServer() {
  const tableName = readdirSync(join(distDir, 'assets')).find((name) => /\.embs-[^/]*\.gz$/.test(name));
  if (!tableName) throw new Error(`${distDir}/assets has no .embs.gz table: build the page with this version (npx vite build)`);
  const table = readFileSync(join(distDir, 'assets', tableName));
  const serve = sirv(distDir, { etag: true, gzip: false });
  let cuts = [SENT_FIRST];
  /** @type {(() => void)[]} */
  let pending = [];
  let appHeld = null;
  let releaseApp = () => {};
  const state = { tableRequests: 0, tailSent: false, moduleResponses: [], appRequests: 0 };
  const http = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path.includes('/explorer_core')) res.on('finish', () => state.moduleResponses.push({ path, status: res.statusCode }));
    if (path.endsWith(`/assets/${tableName}`)) {
      state.tableRequests++;
      res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': String(table.length), 'Cache-Control': 'no-store' });
      const ends = [...cuts, table.length];
      res.write(table.subarray(0, ends[0]));
      let part = 1;
      const sendNext = () => {
        const end = ends[part++];
        if (end === table.length) {
          state.tailSent = true;
          res.end(table.subarray(ends[part - 2]));
        } else {
          res.write(table.subarray(ends[part - 2], end));
          pending.push(sendNext);
        }
      };
      pending.push(sendNext);
      return;
    }
    if (appHeld && /\/assets\/app-[\w-]+\.js(\.gz)?$/.test(path)) {
      state.appRequests++;
      appHeld.then(() => serve(req, res, () => res.end()));
      return;
    }
    serve(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${http.address().port}`,
    state,
    release: () => pending.splice(0).forEach((send) => send()),
    rearm(nextCuts = [SENT_FIRST]) {
      // A test that failed midway may have left the app held: the next one starts clean.
      releaseApp();
      appHeld = null;
      cuts = nextCuts;
      pending = [];
      state.tailSent = false;
    },
    holdApp() {
      appHeld = new Promise((resolve) => (releaseApp = resolve));
    },
    releaseApp() {
      releaseApp();
      appHeld = null;
    },
    close: () => new Promise((resolve) => {
      releaseApp();
      while (pending.length) pending.splice(0).forEach((send) => send());
      http.closeAllConnections();
      http.close(resolve);
    }),
  };
}

beforeAll(async () => {
  server = await startHoldingServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const caption = (page) => page.locator('#results-caption').textContent();
const loadText = (page) => page.locator('#load-text').textContent();

describe('the first answer, before the table has arrived', () => {
  it('answers from the first rows and says so, calls a later word still loading, then answers from the whole table', async () => {
    const page = await openPage('/index.html?q=king%20-%20man%20%2B%20woman');
    await page.waitForFunction(() => document.querySelector('ol[aria-label="Results"] li .word')?.textContent === 'queen', null, { timeout: 60_000 });
    expect(server.state.tailSent).toBe(false);
    expect(await caption(page)).toMatch(/from the 3,000 most frequent words so far \(of 50,000; the rest are loading\)/);
    expect(await loadText(page)).toMatch(/Answering from the 3,000 most frequent of 50,000 words; loading the rest/);
    expect(await page.evaluate(() => document.body.dataset.ready)).toBeUndefined();

    // "frog" is word 11,589: it has not arrived.
    await page.waitForFunction(() => window.explorerApp?.answered === true, null, { timeout: 60_000 });
    await page.locator('#search').fill('frog');
    await page.locator('#search-form button[type="submit"]').click();
    const message = page.locator('#message');
    await expect.poll(() => message.textContent(), { timeout: 30_000 }).toMatch(/"frog" has not arrived yet: the table is still loading \(3,000 of 50,000 words so far\)/);
    expect(await message.textContent()).not.toMatch(/unknown|not in the vocabulary/i);
    expect(server.state.tailSent).toBe(false);
    // One download: the first answer came from it, not from a second fetch. (Once ready, the offline cache may fetch it again.)
    expect(server.state.tableRequests).toBe(1);
    // The core module came zipped, and once: the page's prefetch (index.html) and the worker's fetch share it.
    const modules = server.state.moduleResponses;
    expect(modules.filter((r) => r.status === 200).map((r) => r.path)).toEqual([expect.stringMatching(/\/assets\/explorer_core\.wasm-[\w-]+\.gz$/)]);
    expect(modules.filter((r) => r.path.endsWith('.wasm'))).toEqual([]);

    server.release();
    await waitReady(page);
    // The current query ran again on the whole table: frog's neighbours, no longer partial.
    await expect.poll(async () => (await resultWords(page)).length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await caption(page)).not.toMatch(/so far/);
    expect(await caption(page)).toMatch(/frog/);
    expect(await message.isHidden()).toBe(true);
    expect(await loadText(page)).toMatch(/^50,000 words × 100 dimensions/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the embed answers from the first rows too, and is ready once the table is complete', async () => {
    server.rearm();
    const page = await openPage('/embed.html?q=paris%20-%20france%20%2B%20italy');
    await page.waitForFunction(() => document.querySelector('ol[aria-label="Results"] li .word')?.textContent === 'rome', null, { timeout: 60_000 });
    expect(server.state.tailSent).toBe(false);
    expect(await caption(page)).toMatch(/from the 3,000 most frequent words so far/);
    expect(await page.evaluate(() => document.body.dataset.ready)).toBeUndefined();
    server.release();
    await waitReady(page);
    expect(await caption(page)).not.toMatch(/so far/);
    expect((await resultWords(page))[0]).toBe('rome');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('before the app has arrived, a query whose word is still loading is asked again as more rows arrive', async () => {
    // "walking" is word 3,325: past the first block (3,000 rows), in the second (to 10,000), which ends near 1 MB.
    server.rearm([SENT_FIRST, 1300 * 1024]);
    server.holdApp();
    const page = await openPage('/index.html?q=walking%20-%20walk%20%2B%20swim');
    const message = page.locator('#message');
    await expect.poll(() => message.textContent(), { timeout: 60_000 }).toMatch(/"walking" has not arrived yet: the table is still loading \(3,000 of 50,000 words so far\)/);
    expect(await resultWords(page)).toEqual([]);
    // The field shows the query the page is answering, before the app that runs the controls has arrived.
    expect(await page.locator('#expression').inputValue()).toBe('walking - walk + swim');
    server.release(); // the second block, not the rest
    await page.waitForFunction(() => document.querySelector('ol[aria-label="Results"] li .word')?.textContent === 'swimming', null, { timeout: 60_000 });
    // Answered by the page's early start alone: the app is still held back, and so is the table's tail.
    expect(await page.evaluate(() => window.explorerApp === undefined)).toBe(true);
    expect(server.state.tailSent).toBe(false);
    expect(await caption(page)).toMatch(/from the 10,000 most frequent words so far/);
    expect(await message.isHidden()).toBe(true);
    server.releaseApp();
    server.release();
    await waitReady(page);
    expect((await resultWords(page))[0]).toBe('swimming');
    expect(await caption(page)).not.toMatch(/so far/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('named axes whose words have not arrived wait for the table instead of calling them unknown', async () => {
    server.rearm();
    // The gender preset names "uncle" and "gentleman", which are past the first 3,000 words.
    const page = await openPage('/index.html?q=king%20-%20man%20%2B%20woman&proj=axes&axes=gender%7Croyalty&dims=2');
    await page.waitForFunction(() => document.querySelector('ol[aria-label="Results"] li .word')?.textContent === 'queen', null, { timeout: 60_000 });
    await page.waitForFunction(() => window.explorerApp?.answered === true, null, { timeout: 60_000 });
    await page.waitForTimeout(500); // the axes layout has been asked for on the first rows
    expect(server.state.tailSent).toBe(false);
    const message = page.locator('#message');
    expect((await message.isHidden()) || !/unknown word/.test(await message.textContent())).toBe(true);
    server.release();
    await waitReady(page);
    await expect
      .poll(() => page.evaluate(() => [...document.querySelectorAll('[data-layer="axes"] > div')].map((n) => n.textContent).join(' ')), { timeout: 30_000 })
      .toMatch(/← male.*female →/);
    expect((await message.isHidden()) || !/unknown word/.test(await message.textContent())).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
