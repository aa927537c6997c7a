// Issue 9 §1 in the built page (Chromium, strict CSP): the "Directions: bias
// and neutralising" panel, walked through the UI on one page opened in the
// centred space with man : doctor :: woman : ? asked (the README's example).
// The consistency, the rankings at both ends, the before/after lists and
// their in/out marks are checked against the wrapper run here in Node on the
// same table and space; "Use this space" must change the URL, the results
// and the name of the space the results list gives; bad pairs get a message
// naming them and the panel keeps working. Figures are printed.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, beforeAfter, direction, rankAlong } from '../../wasm/js/explorer.js';
import { OCCUPATIONS } from '../../web/src/ui/direction-input.js';
import { spaceName } from '../../web/src/ui/space-names.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const GENDER = [['he', 'she'], ['man', 'woman'], ['his', 'her'], ['boy', 'girl'], ['father', 'mother'], ['king', 'queen']];
const SEARCH = '?a=man&b=doctor&c=woman&space=centered';
let server;
let browser;
let explorer;
let page;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  explorer.setSpace('centered');
  page = await openPage(`${SUB_PATH}index.html${SEARCH}`, { viewport: { width: 1440, height: 900 } });
  await waitReady(page);
  await page.evaluate(() => window.explorerApp.settled());
});

afterAll(async () => {
  explorer?.dispose();
  await browser?.close();
  await server?.close();
});

const summary = () => page.locator('#direction-summary');
const consistencyShown = async () => Number(await summary().getAttribute('data-consistency'));

/** Presses `button` and waits until `selector`'s text changes or an error line (re)appears with new text. */
async function pressAndWait(button, selector, errorSelector) {
  const [text, error] = await page.evaluate(([s, e]) => [document.querySelector(s).textContent, document.querySelector(e).hidden ? '' : document.querySelector(e).textContent], [selector, errorSelector]);
  await button.click();
  await page.waitForFunction(
    ([s, e, before, errorBefore]) => {
      const errorNode = document.querySelector(e);
      return document.querySelector(s).textContent !== before || (!errorNode.hidden && errorNode.textContent !== errorBefore);
    },
    [selector, errorSelector, text, error],
  );
}

const build = () => pressAndWait(page.getByRole('button', { name: 'Build the direction' }), '#direction-caption', '#direction-error');
const rank = () => pressAndWait(page.getByRole('button', { name: 'Rank', exact: true }), '#rank-caption', '#rank-error');

/** The ranking's bars as the DOM shows them. */
const bars = () =>
  page.locator('#rank-bars li.direction-row').evaluateAll((rows) =>
    rows.map((row) => ({ word: row.dataset.word, score: Number(row.dataset.score), end: row.dataset.end, text: row.querySelector('.score').textContent })),
  );
const listed = (selector) =>
  page.locator(`${selector} li`).evaluateAll((items) => items.map((li) => ({ word: li.dataset.word, score: Number(li.dataset.score), moved: li.dataset.moved, text: li.textContent })));
const words = (list) => list.map((r) => r.word);

describe('the directions panel', () => {
  it('builds the gender direction with the consistency the wrapper computes, by either method', async () => {
    expect(await page.locator('#directions-panel').getAttribute('open')).toBeNull();
    await page.locator('#directions-panel summary').click();
    // Opening builds the pairs already typed (the README's six gender pairs).
    await page.waitForFunction(() => document.getElementById('direction-summary').dataset.consistency !== undefined);
    const mean = direction(explorer, GENDER);
    expect(await summary().getAttribute('data-space')).toBe('centered');
    expect(await consistencyShown()).toBeCloseTo(mean.consistency, 6);
    expect(await summary().textContent()).toContain(`Consistency ${mean.consistency.toFixed(3)}`);
    const cosines = await page.locator('#direction-pair-cosines li').evaluateAll((items) => items.map((li) => [li.dataset.pair, Number(li.dataset.cosine)]));
    expect(cosines.map(([pair]) => pair)).toEqual(GENDER.map((p) => p.join(':')));
    cosines.forEach(([, cosine], i) => expect(cosine).toBeCloseTo(mean.pairs[i].cosine, 6));
    expect(await page.locator('#direction-caption').textContent()).toMatch(/^Built in the centred space from 6 pairs, as the mean/);

    await page.getByLabel('first principal component').check();
    await build();
    expect(await page.locator('#direction-caption').textContent()).toMatch(/as the first principal component/);
    expect(await consistencyShown()).toBeCloseTo(direction(explorer, GENDER, { method: 'pc' }).consistency, 6);
    await page.getByLabel('mean of the differences').check();
    console.log(`page, centred space: consistency ${(await consistencyShown()).toFixed(4)} (wrapper ${mean.consistency.toFixed(4)}); pair cosines ${cosines.map(([p, c]) => `${p} ${c.toFixed(3)}`).join(', ')}`);
    expect(problems).toEqual([]);
  });

  it('ranks the most frequent words at both ends, and the occupations list, as the wrapper does', async () => {
    await page.getByLabel('how many').fill('5000');
    await page.getByLabel('Words at each end').fill('6');
    await rank();
    const shown = await bars();
    const gender = direction(explorer, GENDER);
    const ends = rankAlong(explorer, gender, { count: 6, among: 5000 });
    // Top to bottom: from the most "she" down to the most "he".
    expect(shown.filter((b) => b.end === 'positive').map((b) => b.word)).toEqual(words(ends.positive));
    expect(shown.filter((b) => b.end === 'negative').map((b) => b.word)).toEqual(words(ends.negative).reverse());
    for (const bar of shown) expect(bar.text.startsWith(bar.score < 0 ? '−' : '+')).toBe(true);
    expect(await page.locator('#rank-bars .direction-gap').count()).toBe(1);
    expect(await page.locator('#rank-caption').textContent()).toBe('The 6 most "she" (top) and the 6 most "he" (bottom) of the 5,000 most frequent words, in the centred space.');
    console.log(`most "she" of 5,000: ${words(ends.positive).join(' ')}; most "he": ${words(ends.negative).join(' ')}`);

    await page.getByRole('button', { name: 'Occupations' }).click();
    await page.waitForFunction(() => /listed words/.test(document.getElementById('rank-caption').textContent));
    const occupations = await bars();
    const reference = rankAlong(explorer, gender, { words: OCCUPATIONS.split(' ') });
    expect(occupations.map((b) => b.word)).toEqual(words(reference.listed));
    occupations.forEach((b, i) => expect(b.score).toBeCloseTo(reference.listed[i].score, 6));
    expect(occupations.map((b) => b.end)).toEqual(reference.listed.map((r) => (r.score >= 0 ? 'positive' : 'negative')));
    const at = (w) => occupations.find((b) => b.word === w).score;
    expect(at('nurse')).toBeGreaterThan(0);
    expect(at('engineer')).toBeLessThan(0);
    expect(await page.locator('#rank-missing').isHidden()).toBe(true);
    console.log(`occupations along he → she (centred): ${occupations.map((b) => `${b.word} ${b.text}`).join(', ')}`);
    await page.locator('#directions-panel').screenshot({ path: join(artifacts, 'directions-panel-1440.png') });
    expect(problems).toEqual([]);
  });

  it('names bad pairs and unknown words, and keeps what was shown and working', async () => {
    const before = await consistencyShown();
    const pairs = page.getByLabel('Word pairs (from:to)');
    await pairs.fill('he:she, man');
    await build();
    expect(await page.locator('#direction-error').textContent()).toBe('Cannot build the direction: "man" is not a word pair: write each pair as from:to, e.g. he:she, man:woman.');
    expect(await consistencyShown()).toBe(before);

    await pairs.fill('he:she');
    await build();
    expect(await page.locator('#direction-error').textContent()).toMatch(/at least 2 word pairs and one was given/);

    await pairs.fill('he:she, man:zzqxj');
    await build();
    const unknown = await page.locator('#direction-error').textContent();
    expect(unknown).toMatch(/only one is usable \("zzqxj" is not in the table\)/);
    expect(await consistencyShown()).toBe(before);

    // A word the table lacks in a longer list: that pair is left out and named.
    await pairs.fill('he:she, man:zzqxj, boy:girl');
    await build();
    expect(await page.locator('#direction-error').isHidden()).toBe(true);
    expect(await consistencyShown()).toBeCloseTo(direction(explorer, [['he', 'she'], ['boy', 'girl']]).consistency, 6);
    expect(await page.locator('#direction-missing').textContent()).toBe('Left out: man:zzqxj ("zzqxj" is not in the table).');

    await page.getByLabel('Words to rank').fill('zzqxj qqqxz');
    await rank();
    expect(await page.locator('#rank-error').textContent()).toMatch(/none of the 2 listed words is in the table \("zzqxj", "qqqxz"\)/);
    expect((await bars()).length).toBe(OCCUPATIONS.split(' ').length); // the last ranking stays
    console.log(`bad input: ${unknown}`);

    // The preset puts the six pairs back, and everything works again.
    await page.getByRole('button', { name: 'Gender pairs' }).click();
    await page.waitForFunction((c) => document.getElementById('direction-summary').dataset.consistency === String(c), before);
    expect(await page.locator('#direction-missing').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  });

  it("neutralises: the page's query before and after, with the words that moved in and out, as the wrapper's beforeAfter", async () => {
    const pageResults = await resultWords(page);
    await pressAndWait(page.getByRole('button', { name: 'Neutralise and compare' }), '#neutralise-caption', '#neutralise-error');
    expect(await page.locator('#neutralise-error').isHidden()).toBe(true);
    const reference = beforeAfter(explorer, { analogy: ['man', 'doctor', 'woman'], k: 10 }, { neutralise: GENDER });
    const shownBefore = await listed('#before-results');
    const shownAfter = await listed('#after-results');
    expect(words(shownBefore)).toEqual(words(reference.before.results));
    expect(words(shownBefore)).toEqual(pageResults); // the page's own list is "before"
    expect(words(shownAfter)).toEqual(words(reference.after.results));
    shownAfter.forEach((r, i) => expect(r.score).toBeCloseTo(reference.after.results[i].score, 6));
    expect(shownBefore.filter((r) => r.moved === 'left').map((r) => r.word)).toEqual(words(reference.left));
    expect(shownAfter.filter((r) => r.moved === 'entered').map((r) => r.word)).toEqual(words(reference.entered));
    expect(reference.left.length).toBeGreaterThan(0);
    for (const r of shownAfter.filter((x) => x.moved === 'entered')) expect(r.text).toMatch(/↑ in: entered the top k/);
    for (const r of shownBefore.filter((x) => x.moved === 'left')) expect(r.text).toMatch(/↓ out: left the top k/);
    expect(shownBefore[0].word).toBe('nurse');
    expect(shownAfter[0].word).not.toBe('nurse');
    expect(await page.locator('#before-space').textContent()).toBe('centred space');
    expect(await page.locator('#after-space').textContent()).toBe(spaceName(reference.after.space));
    expect(await page.locator('#after-space').textContent()).toMatch(/^centred space with he–she, man–woman, .* neutralised$/);
    expect(await page.locator('#neutralise-moved').textContent()).toBe(
      `Entered the top 10 (↑ in): ${words(reference.entered).join(', ')}. Left it (↓ out): ${words(reference.left).join(', ')}.`,
    );
    const top = (list) => list.slice(0, 3).map((r) => `${r.word} ${r.score.toFixed(3)}`).join(', ');
    console.log(`man : doctor :: woman : ? centred: ${top(shownBefore)} | neutralised: ${top(shownAfter)}; entered ${words(reference.entered).join(' ')}; left ${words(reference.left).join(' ')}`);
    await page.locator('#directions-panel').screenshot({ path: join(artifacts, 'directions-neutralise-1440.png') });
    expect(problems).toEqual([]);
  });

  it('"Use this space" puts the neutralised space in the URL and the results, and a reload keeps it', async () => {
    const reference = beforeAfter(explorer, { analogy: ['man', 'doctor', 'woman'], k: 10 }, { neutralise: GENDER });
    await page.getByRole('button', { name: 'Use this space' }).click();
    await page.waitForFunction((space) => new URL(location.href).searchParams.get('space') === space, reference.after.space);
    await page.waitForFunction((first) => document.querySelector('#results li')?.dataset.word === first, reference.after.results[0].word);
    await page.evaluate(() => window.explorerApp.settled());
    expect(await resultWords(page)).toEqual(words(reference.after.results));
    expect(await page.locator('#space').inputValue()).toBe(reference.after.space);
    // The results list says which space produced it.
    const basis = page.locator('#results-basis');
    expect(await basis.textContent()).toMatch(/he–she, man–woman, his–her, boy–girl, father–mother, king–queen neutralised/);
    console.log(`after "Use this space": ${page.url().replace(server.origin, '')}; results basis: ${await basis.textContent()}`);

    await page.reload();
    await waitReady(page);
    await page.evaluate(() => window.explorerApp.settled());
    expect(await resultWords(page)).toEqual(words(reference.after.results));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('has no serious or critical axe-core violation, and fits a phone', async () => {
    // bypassCSP only to inject axe itself; the page is the same.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(`${server.origin}${SUB_PATH}index.html${SEARCH}`);
    await waitReady(phone);
    await phone.locator('#directions-panel summary').click();
    await phone.waitForFunction(() => document.getElementById('direction-summary').dataset.consistency !== undefined);
    await phone.getByRole('button', { name: 'Occupations' }).click();
    await phone.waitForSelector('#rank-bars li.direction-row');
    await phone.getByRole('button', { name: 'Neutralise and compare' }).click();
    await phone.waitForSelector('#after-results li');
    await phone.addScriptTag({ path: AXE });
    const violations = await phone.evaluate(async () => {
      const result = await window.axe.run('#directions-panel', { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    console.log(`axe-core on the directions panel at 390x844: ${violations.length ? violations.map((v) => `${v.id} (${v.impact}, ${v.count}) ${v.targets.join(', ')}`).join('; ') : 'none'}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    const overflow = await phone.evaluate(() => document.getElementById('directions-panel').scrollWidth - document.getElementById('directions-panel').clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.locator('#directions-panel').screenshot({ path: join(artifacts, 'directions-panel-390.png') });
    await context.close();
  });
});
