// Issue 9 §4 "Bookmarks" in the built page (Chromium, strict CSP), through
// the UI: two views are saved, each restores its results, controls and URL;
// the list is renamed, reordered and deleted from the keyboard; a new page
// opened with the URL has the bookmarks (bm=), and the page without it has
// them from localStorage; Export then Import into a fresh page gives the
// same list; a malformed file is named (bookmark and field) and changes
// nothing; a list too long for a link leaves the URL and says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';
import { repoRoot } from '../js/paths.js';

const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');

let server;
let browser;
let page; // the page the walk starts on
let exported; // the exported file's text
let linkBm; // bm= of the two bookmarks
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);
const settled = (p) => p.evaluate(() => window.explorerApp.settled());
/** The page's URL without bm= (the view's part). */
const viewUrl = (p) => {
  const url = new URL(p.url());
  url.searchParams.delete('bm');
  return url.search;
};
const names = (p) => p.locator('#bookmarks-list .bookmark-open').evaluateAll((buttons) => buttons.map((b) => b.textContent.replace(/^Open /, '')));
const fields = (p) => p.locator('#bookmarks-list .bookmark-fields').allTextContents();
/** The URL holds the list as the panel last wrote it (the encoding is asynchronous). */
const urlWritten = (p) => p.waitForFunction(() => (new URLSearchParams(location.search).get('bm') ?? '').length === Number(document.getElementById('bookmarks-panel').dataset.urlChars ?? -1));

async function open(search = '') {
  const p = await openPage(`${SUB_PATH}index.html${search}`, { viewport: { width: 1440, height: 900 } });
  await waitReady(p);
  await settled(p);
  await p.evaluate(() => window.explorerApp.bookmarks.ready);
  return p;
}

async function openPanel(p) {
  if ((await p.locator('#bookmarks-panel').getAttribute('open')) === null) await p.locator('#bookmarks-panel summary').click();
}

/** Runs `act`, then waits until the page shows what the store holds. */
async function changeView(p, act) {
  await act();
  await settled(p);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await open();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('bookmarks', () => {
  const saved = [];

  it('saves two views and restores each: results, controls and URL as they were', async () => {
    await openPanel(page);
    expect(await page.locator('#bookmarks-empty').isVisible()).toBe(true);
    expect(await page.locator('#bookmarks-export').isDisabled()).toBe(true);

    // View 1: an expression with k 15 in the centred space, named by the learner.
    await changeView(page, async () => {
      await page.fill('#expression', 'paris - france + italy');
      await page.locator('#expression-form button[type="submit"]').click();
      await page.fill('#k', '15');
      await page.locator('#k').press('Enter');
      await page.selectOption('#space', 'centered');
    });
    await page.fill('#bookmark-name', 'capitals, centred');
    await page.getByRole('button', { name: 'Save this view' }).click();
    saved.push({ name: 'capitals, centred', url: viewUrl(page), results: await resultWords(page) });
    expect(saved[0].url).toMatch(/k=15/);
    expect(saved[0].results).toHaveLength(15);

    // View 2: a word's neighbours, PCA of the whole table in 2D, raw space; the default name describes it.
    await changeView(page, async () => {
      await page.fill('#search', 'frog');
      await page.locator('#search-form button[type="submit"]').click();
      await page.fill('#k', '8');
      await page.locator('#k').press('Enter');
      await page.selectOption('#space', 'raw');
      await page.selectOption('#projection', 'pca-table');
      await page.selectOption('#dims', '2');
    });
    const placeholder = await page.locator('#bookmark-name').getAttribute('placeholder');
    expect(placeholder).toBe('neighbours of frog · PCA of the whole table · 2D');
    await page.locator('#bookmark-name').focus();
    await page.keyboard.press('Enter'); // saving from the keyboard, with the default name
    saved.push({ name: placeholder, url: viewUrl(page), results: await resultWords(page) });
    expect(await names(page)).toEqual(saved.map((s) => s.name));
    expect(await fields(page)).toEqual(['q=paris - france + italy, space=centered, k=15', 'word=frog, proj=pca-table, k=8, dims=2']);
    expect(await page.locator('#bookmarks-list li.current').count()).toBe(1);
    expect(await page.locator('#bookmarks-list li').nth(1).getAttribute('aria-current')).toBe('true');

    // Restore 1 with the mouse, then 2 from the keyboard.
    await changeView(page, () => page.getByRole('button', { name: 'Open capitals, centred' }).click());
    expect(viewUrl(page)).toBe(saved[0].url);
    expect(await resultWords(page)).toEqual(saved[0].results);
    expect(await page.inputValue('#k')).toBe('15');
    expect(await page.inputValue('#space')).toBe('centered');
    expect(await page.inputValue('#expression')).toBe('paris - france + italy');
    expect(await page.locator('#bookmarks-list li').nth(0).getAttribute('aria-current')).toBe('true');
    await changeView(page, async () => {
      await page.getByRole('button', { name: `Open ${saved[1].name}` }).focus();
      await page.keyboard.press('Enter');
    });
    expect(viewUrl(page)).toBe(saved[1].url);
    expect(await resultWords(page)).toEqual(saved[1].results);
    expect([await page.inputValue('#projection'), await page.inputValue('#dims'), await page.inputValue('#space')]).toEqual(['pca-table', '2', 'raw']);
    // A restore is a history entry: Back returns to the first bookmark's view.
    await changeView(page, () => page.goBack());
    expect(viewUrl(page)).toBe(saved[0].url);
    expect(await page.locator('#bookmarks-status').textContent()).toBe(`Opened “${saved[1].name}”.`);
    console.log(`restored: ${saved.map((s) => `"${s.name}" ${s.url} → ${s.results.slice(0, 3).join(', ')}…`).join('; ')}`);
  });

  it('renames, reorders and deletes from the keyboard', async () => {
    // Rename the second: Rename, type, Enter; Escape cancels a second rename.
    await page.getByRole('button', { name: `Rename “${saved[1].name}”` }).focus();
    await page.keyboard.press('Enter');
    const input = page.locator('#bookmarks-list .bookmark-rename-input');
    expect(await input.evaluate((node) => node === document.activeElement)).toBe(true);
    await input.fill('frog, flat');
    await page.keyboard.press('Enter');
    saved[1].name = 'frog, flat';
    expect(await names(page)).toEqual(['capitals, centred', 'frog, flat']);
    expect(await page.evaluate(() => document.activeElement.getAttribute('aria-label'))).toBe('Rename “frog, flat”');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' NOT SAVED');
    await page.keyboard.press('Escape');
    expect(await names(page)).toEqual(['capitals, centred', 'frog, flat']);

    // Move it up: focus follows it (to its Move down, as Move up is now disabled).
    await page.getByRole('button', { name: 'Move “frog, flat” up' }).focus();
    await page.keyboard.press('Enter');
    expect(await names(page)).toEqual(['frog, flat', 'capitals, centred']);
    expect(await page.evaluate(() => document.activeElement.getAttribute('aria-label'))).toBe('Move “frog, flat” down');
    await page.keyboard.press('Enter');
    expect(await names(page)).toEqual(['capitals, centred', 'frog, flat']);

    // A third, saved and deleted: focus goes to the next bookmark's Open.
    await page.fill('#bookmark-name', 'to delete');
    await page.locator('#bookmark-name').press('Enter');
    await page.getByRole('button', { name: 'Move “to delete” up' }).click();
    expect(await names(page)).toEqual(['capitals, centred', 'to delete', 'frog, flat']);
    await page.getByRole('button', { name: 'Delete “to delete”' }).focus();
    await page.keyboard.press('Enter');
    expect(await names(page)).toEqual(['capitals, centred', 'frog, flat']);
    expect(await page.evaluate(() => document.activeElement.textContent)).toBe('Open frog, flat');
    expect(await page.locator('#bookmarks-status').textContent()).toBe('Deleted “to delete”.');
  });

  it('keeps them in the URL (a new page opened with it has them) and in localStorage', async () => {
    await urlWritten(page);
    const bm = new URL(page.url()).searchParams.get('bm');
    expect(bm).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    linkBm = bm;
    console.log(`bm= for 2 bookmarks: ${bm.length} characters; the whole URL: ${page.url().length}`);
    // A fresh browser context: nothing in its localStorage, so the list comes from the link.
    const linked = await open(new URL(page.url()).search);
    expect(await linked.locator('#bookmarks-panel').getAttribute('open')).not.toBeNull();
    expect(await names(linked)).toEqual(['capitals, centred', 'frog, flat']);
    expect(await linked.locator('#bookmarks-status').textContent()).toBe('2 bookmarks came with this link.');
    await changeView(linked, () => linked.getByRole('button', { name: 'Open frog, flat' }).click());
    expect(await resultWords(linked)).toEqual(saved[1].results);
    expect(viewUrl(linked)).toBe(saved[1].url);
    await linked.close();

    // The same browser, the page without bm=: the list comes from localStorage.
    await page.goto(`${server.origin}${SUB_PATH}index.html`);
    await waitReady(page);
    await page.evaluate(() => window.explorerApp.bookmarks.ready);
    expect(await names(page)).toEqual(['capitals, centred', 'frog, flat']);
    await urlWritten(page);
    expect(new URL(page.url()).searchParams.get('bm')).toBe(bm);
    // A view change keeps bm= in the URL.
    await openPanel(page);
    await changeView(page, () => page.getByRole('button', { name: 'Open capitals, centred' }).click());
    expect(new URL(page.url()).searchParams.get('bm')).toBe(bm);
  });

  it('exports a JSON file that imports into a fresh page as the same list', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as JSON' }).click()]);
    expect(download.suggestedFilename()).toBe('embedding-explorer-bookmarks.json');
    exported = readFileSync(await download.path(), 'utf8');
    const doc = JSON.parse(exported);
    expect(doc).toEqual({
      format: 'embedding-explorer-bookmarks',
      version: 1,
      table: { name: 'glove-6b-100d-50k', rows: 50000, dims: 100 },
      bookmarks: [
        { name: 'capitals, centred', view: { q: 'paris - france + italy', space: 'centered', k: 15 } },
        { name: 'frog, flat', view: { word: 'frog', proj: 'pca-table', k: 8, dims: 2 } },
      ],
    });
    const before = { names: await names(page), fields: await fields(page) };
    await page.close();

    page = await open();
    await openPanel(page);
    expect(await names(page)).toEqual([]);
    await page.setInputFiles('#bookmarks-import', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.waitForFunction(() => document.querySelectorAll('#bookmarks-list li').length === 2);
    expect({ names: await names(page), fields: await fields(page) }).toEqual(before);
    expect(await page.locator('#bookmarks-status').textContent()).toBe('Imported 2 bookmarks from "mine.json".');
    await changeView(page, () => page.getByRole('button', { name: 'Open capitals, centred' }).click());
    expect(await resultWords(page)).toEqual(saved[0].results);
    // The same file again adds nothing.
    await page.setInputFiles('#bookmarks-import', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.waitForFunction(() => /already here/.test(document.getElementById('bookmarks-status').textContent));
    expect(await page.locator('#bookmarks-status').textContent()).toBe('Imported 0 bookmarks from "mine.json" (2 were already here).');
    expect(await names(page)).toHaveLength(2);
  });

  it('names the bookmark and field of a malformed file and keeps the list', async () => {
    const doc = JSON.parse(exported);
    doc.bookmarks[1].view.k = 'ten';
    const bad = [
      [JSON.stringify(doc), /^The file "bad-k.json": bookmark 2 of 2 \(bookmarks\[1\]\) \("frog, flat"\), field "view\.k": the page would correct it \(k must be a number/],
      ['{ not json', /^The file "bad-k.json" is not JSON/],
    ];
    for (const [text, message] of bad) {
      await page.setInputFiles('#bookmarks-import', { name: 'bad-k.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await page.waitForFunction((pattern) => !document.getElementById('bookmarks-error').hidden && new RegExp(pattern).test(document.getElementById('bookmarks-error').textContent), message.source);
      const error = await page.locator('#bookmarks-error').textContent();
      expect(error).toMatch(message);
      expect(error).toMatch(/Nothing was imported; the 2 bookmarks here are unchanged\.$/);
      expect(await page.getByRole('alert').filter({ hasText: 'Nothing was imported' }).count()).toBe(1);
      expect(await names(page)).toEqual(['capitals, centred', 'frog, flat']);
      console.log(`malformed import: ${error}`);
    }
    // The panel still works after it.
    await page.getByRole('button', { name: 'Open frog, flat' }).click();
    await settled(page);
    expect(await resultWords(page)).toEqual(saved[1].results);
  });

  it('has no serious or critical axe-core violation, renaming included, and fits a phone', async () => {
    // axe is injected as a script, which the page's CSP forbids: this context bypasses it.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(`${server.origin}${SUB_PATH}index.html?bm=${linkBm}`);
    await waitReady(phone);
    await phone.evaluate(() => window.explorerApp.bookmarks.ready);
    await phone.getByRole('button', { name: 'Rename “frog, flat”' }).click();
    await phone.addScriptTag({ path: AXE });
    const violations = await phone.evaluate(async () => {
      const result = await window.axe.run('#bookmarks-panel', { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    console.log(`axe-core on the bookmarks panel at 390x844: ${violations.length ? violations.map((v) => `${v.id} (${v.impact}, ${v.count}) ${v.targets.join(', ')}`).join('; ') : 'none'}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    const overflow = await phone.evaluate(() => document.getElementById('bookmarks-panel').scrollWidth - document.getElementById('bookmarks-panel').clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('takes a list too long for a link out of the URL, says so, and keeps it here', async () => {
    // Names that do not compress: 100 bookmarks of 110 pseudo-random letters.
    let seed = 7;
    const letter = () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26));
    const doc = JSON.parse(exported);
    doc.bookmarks = Array.from({ length: 98 }, (_, i) => ({ name: Array.from({ length: 110 }, letter).join(''), view: { word: 'frog', k: 11 + i } }));
    await page.setInputFiles('#bookmarks-import', { name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.waitForFunction(() => document.querySelectorAll('#bookmarks-list li').length === 100);
    await page.waitForFunction(() => !document.getElementById('bookmarks-link-note').hidden);
    const chars = Number(await page.locator('#bookmarks-panel').getAttribute('data-url-chars'));
    expect(chars).toBeGreaterThan(6000);
    expect(new URL(page.url()).searchParams.has('bm')).toBe(false);
    expect(await page.locator('#bookmarks-link-note').textContent()).toMatch(/^The 100 bookmarks take [\d,]+ characters, more than a link carries safely \(6,000\): the link holds the view but not the bookmarks\./);
    // At the limit of 100, saving says so and changes nothing.
    await page.getByRole('button', { name: 'Save this view' }).click();
    expect(await page.locator('#bookmarks-error').textContent()).toBe('At most 100 bookmarks are kept; delete one to save this view.');
    expect(await page.locator('#bookmarks-list li').count()).toBe(100);
    console.log(`100 bookmarks with random names: bm= would take ${chars} characters; left out of the URL`);
    expect(problems).toEqual([]);
  });
});
