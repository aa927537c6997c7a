// Offline after the first visit (issue 11, section 4): the service worker
// that the build writes (sw.js) caches the app, the module and the table
// once the first visit's table is in (the page then sets
// <html data-offline="ready">), and a second visit with the network cut
// still answers. Scripts and style sheets travel as the build's gzip
// copies when the worker fetches them. A new build
// replaces the old cache whole: the new version waits until no page has
// the old one open, then deletes the old cache, and a content-hashed file
// both builds share is copied, not downloaded again.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeServiceWorker } from '../../web/src/offline/build-service-worker.js';
import { launchBrowser, resultWords, waitReady } from './browser.js';
import { SUB_PATH, distDir, startServer } from './server.js';

const QUERY_PAGE = `${SUB_PATH}index.html?q=${encodeURIComponent('king - man + woman')}`;

let browser;
let site; // a copy of the build, rebuilt by the second test
let server;
const requests = [];
const problems = [];

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'explorer-offline-'));
  cpSync(distDir, site, { recursive: true });
  // A lesson table beside the build (data=): "beta" is alpha's neighbour.
  mkdirSync(join(site, 'tables'));
  writeFileSync(join(site, 'tables', 'lesson.vec'), '3 3\nalpha 1 0 0\nbeta 0.9 0.1 0\ngamma 0 0 1\n');
  server = await startServer({ dir: site, onRequest: (path) => requests.push(path) });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

/** A page of `context` that records console errors and page errors. */
async function open(context, path) {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`${path}: ${m.text()}`));
  page.on('pageerror', (error) => problems.push(`${path}: ${error.message}`));
  await page.goto(`${server.origin}${path}`);
  return page;
}

/** Waits until the folder's service worker is active, and returns the names of the explorer's caches. */
async function activeWorkerCaches(page) {
  return page.evaluate(async () => {
    const registration = await Promise.race([
      navigator.serviceWorker.ready,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no service worker became active within 20 s of the page answering')), 20_000)),
    ]);
    const worker = registration.active;
    if (worker.state !== 'activated') await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
    return (await caches.keys()).filter((name) => name.startsWith('embedding-explorer:'));
  });
}

/** What the build wrote into sw.js: { version, assets: [{ path, immutable, table }] }. */
const builtList = () => JSON.parse(/self\.OFFLINE_BUILD = (.*);\n/.exec(readFileSync(join(site, 'sw.js'), 'utf8'))[1]);
const buildVersion = () => builtList().version;
/**
 * Waits until the async in-page `check(arg)` resolves truthy (waitForFunction
 * would take its promise itself for a truthy answer). Fails after 30 s with `what`.
 */
async function eventually(page, what, check, arg) {
  const deadline = Date.now() + 30_000;
  while (!(await page.evaluate(check, arg))) {
    if (Date.now() > deadline) throw new Error(`not within 30 s: ${what}`);
    await page.waitForTimeout(200);
  }
}

const firstWord = async (page) => (await resultWords(page))[0];

/** The page says its service worker has filled the offline cache. */
const offlineReady = (page) => page.waitForSelector('html[data-offline="ready"]', { state: 'attached', timeout: 30_000 });

describe('offline after the first visit', () => {
  it('answers king - man + woman with the network cut, from the cache the first visit filled', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await open(context, QUERY_PAGE);
      await waitReady(page);
      expect(await activeWorkerCaches(page)).toEqual([`embedding-explorer:${buildVersion()}`]);
      // The first visit's page becomes the worker's (it claims it, so the page's later requests come zipped).
      await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 10_000 });
      // Every file of the build is in the cache, the module among them, and the table the page asked it to keep.
      await offlineReady(page);
      const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), `embedding-explorer:${buildVersion()}`);
      const built = builtList().assets.map((a) => `${SUB_PATH}${a.path}`);
      expect(cached.sort()).toEqual(built.sort());
      // The default table (whatever its encoding) and the module are among them.
      expect(built.some((p) => /\/assets\/glove-6b-100d-50k[\w.-]*$/.test(p)) && built.some((p) => /\/assets\/explorer_core[\w.-]*$/.test(p))).toBe(true);
      // Scripts and style sheets came as their gzip copies and are cached unzipped, byte for byte the build's
      // files. A lesson's chunk, which this page never imported itself, came only zipped.
      const zipped = builtList().assets.filter((a) => a.gzip);
      expect(zipped.some((a) => a.path.includes('/app-'))).toBe(true);
      for (const { path, gzip } of zipped) {
        expect(requests.some((p) => p === `${SUB_PATH}${gzip}` || p === `${SUB_PATH}${path}`), path).toBe(true);
        const text = await page.evaluate(async (url) => (await caches.match(url))?.text(), `${server.origin}${SUB_PATH}${path}`);
        expect(text === readFileSync(join(site, path), 'utf8'), `${path} cached as built`).toBe(true);
      }
      const lessonChunk = zipped.find((a) => /\/cosine-[\w-]+\.js$/.test(a.path));
      expect(requests).toContain(`${SUB_PATH}${lessonChunk.gzip}`);
      expect(requests).not.toContain(`${SUB_PATH}${lessonChunk.path}`);

      await context.setOffline(true);
      const before = requests.length;
      await page.reload();
      await waitReady(page);
      expect(await firstWord(page)).toBe('queen');
      expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
      // An embed (which registers the same worker) works offline too.
      const embed = await open(context, `${SUB_PATH}embed.html?a=man&b=king&c=woman`);
      await waitReady(embed);
      expect(await firstWord(embed)).toBe('queen');
      // Nothing of the page reached the server. (The browser's own update check of sw.js
      // may: Playwright's offline mode does not cover that fetch, and it is not the page's.)
      expect(requests.slice(before).filter((path) => !path.endsWith('/sw.js'))).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a page started with data= keeps its table for offline use too', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const before = requests.length;
      const page = await open(context, `${SUB_PATH}index.html?data=tables/lesson.vec&word=alpha`);
      await waitReady(page);
      await activeWorkerCaches(page);
      // The page asked the worker to keep the table; it has once the page says the cache is full.
      await offlineReady(page);
      expect(await page.evaluate(async (url) => Boolean(await caches.match(url)), `${server.origin}${SUB_PATH}tables/lesson.vec`)).toBe(true);
      // The lesson page never downloaded the default table, not even for the cache.
      expect(requests.slice(before).filter((path) => /\/assets\/glove-6b-100d-50k/.test(path))).toEqual([]);
      await context.setOffline(true);
      await page.reload();
      await waitReady(page);
      expect(await page.locator('#load-text').textContent()).toContain('3 words');
      expect(await firstWord(page)).toBe('beta');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a new build replaces the old cache whole, once no page has the old one open', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      let page = await open(context, QUERY_PAGE);
      await waitReady(page);
      const oldVersion = buildVersion();
      expect(await activeWorkerCaches(page)).toEqual([`embedding-explorer:${oldVersion}`]);
      await offlineReady(page);
      await page.reload();
      await waitReady(page);
      expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

      // A new build: the page changed, the hashed files did not.
      writeFileSync(join(site, 'index.html'), readFileSync(join(site, 'index.html'), 'utf8').replace('</body>', '<!-- build 2 -->\n</body>'));
      const { version: newVersion } = writeServiceWorker(site);
      expect(newVersion).not.toBe(oldVersion);
      const before = requests.length;
      const waiting = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        await registration.update();
        const next = registration.installing ?? registration.waiting;
        if (next && next.state !== 'installed') await new Promise((resolve) => next.addEventListener('statechange', () => next.state !== 'installing' && resolve()));
        return registration.waiting?.state ?? null;
      });
      // The old version keeps this open page: the new one waits, both caches exist.
      expect(waiting).toBe('installed');
      expect((await page.evaluate(() => caches.keys())).sort()).toEqual([`embedding-explorer:${newVersion}`, `embedding-explorer:${oldVersion}`].sort());
      expect(await page.evaluate(() => document.documentElement.outerHTML.includes('build 2'))).toBe(false);
      // The new version fetched the files that keep their names, and copied the hashed ones.
      const fetched = requests.slice(before);
      expect(fetched).toContain(`${SUB_PATH}index.html`);
      expect(fetched.filter((p) => p.includes('/assets/'))).toEqual([]);

      await page.close(); // the last page of the old version: the new one activates
      // Waits for that from a page outside the folder, which no version controls.
      const outside = await context.newPage();
      await outside.goto(`${server.origin}/not-the-explorer`);
      await eventually(
        outside,
        'the new version is active and the old cache gone',
        async (scope) => {
          const registration = await navigator.serviceWorker.getRegistration(scope);
          return Boolean(registration && !registration.waiting && registration.active?.state === 'activated' && (await caches.keys()).length === 1);
        },
        `${server.origin}${SUB_PATH}`,
      );
      await outside.close();
      page = await open(context, QUERY_PAGE);
      await waitReady(page);
      expect(await activeWorkerCaches(page)).toEqual([`embedding-explorer:${newVersion}`]);
      await context.setOffline(true);
      await page.reload();
      await waitReady(page);
      expect(await page.evaluate(() => document.documentElement.outerHTML.includes('build 2'))).toBe(true);
      expect(await firstWord(page)).toBe('queen');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
