// Issue 9 §3 in the built page (Chromium, strict CSP): the neighbour
// navigator game, played through the UI. The graph the test checks against
// is the wrapper's own nearest-10 lists over the same table (buildNavigator
// in Node), searched by a breadth-first search written here: the page's
// seeded puzzle, its neighbour buttons, its hints and the best path it shows
// at the end must all agree with it. The page is loaded once, with a seeded
// game in its URL; later games are typed, and a link with an unknown word
// arrives through Back/Forward (popstate). Figures are printed.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, buildNavigator } from '../../wasm/js/explorer.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const WORDS = 10000;
const artifacts = join(repoRoot, 'tests', 'artifacts');
const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const SEED = 3;
let server;
let browser;
let explorer;
let navigator;
let page;
/** @type {string[][]} each word's nearest-10 list, by the wrapper */
let lists;
/** @type {Map<string, number>} */
let positions;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

/** Hops from every word to `target` (Infinity: unreachable): a BFS over the reversed lists. */
function hopsTo(target) {
  const into = lists.map(() => []);
  lists.forEach((list, from) => list.forEach((word) => into[positions.get(word)].push(from)));
  const hops = new Array(lists.length).fill(Infinity);
  const queue = [positions.get(target)];
  hops[queue[0]] = 0;
  for (let head = 0; head < queue.length; head++) {
    for (const from of into[queue[head]]) {
      if (hops[from] === Infinity) {
        hops[from] = hops[queue[head]] + 1;
        queue.push(from);
      }
    }
  }
  return (word) => hops[positions.get(word)];
}

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  navigator = await buildNavigator(explorer, { words: WORDS });
  lists = navigator.words.map((word) => navigator.neighbors(word).map((n) => n.word));
  positions = new Map(navigator.words.map((w, i) => [w, i]));
  server = await startServer();
  browser = await launchBrowser();
  page = await openPage(`${SUB_PATH}index.html?navseed=${SEED}`, { viewport: { width: 1440, height: 900 } });
  await waitReady(page);
}, 120_000);

afterAll(async () => {
  navigator?.dispose();
  explorer?.dispose();
  await browser?.close();
  await server?.close();
});

const panel = () => page.locator('#navigator-panel');
const state = () => panel().getAttribute('data-state');
const neighbourWords = () => page.locator('#navigator-neighbors button').evaluateAll((bs) => bs.map((b) => b.dataset.word));
const trail = () => page.locator('#navigator-trail li').allTextContents();
const hopsTaken = async () => Number(await page.locator('#navigator-hops-taken').textContent());
const params = () => Object.fromEntries(new URL(page.url()).searchParams);

/** Clicks a neighbour and waits until the page stands on it (or the game is over). */
async function hop(word) {
  const before = await hopsTaken();
  await page.locator(`#navigator-neighbors button[data-word="${word}"]`).click();
  await page.waitForFunction(
    (n) => document.getElementById('navigator-panel').dataset.state === 'over' || Number(document.getElementById('navigator-hops-taken').textContent) !== n,
    before,
  );
}

async function typeGame(start, target) {
  await page.fill('#navigator-start', start);
  await page.fill('#navigator-target', target);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
}

describe('the neighbour navigator', () => {
  it('opens and starts the seeded game of ?navseed=, the puzzle the wrapper picks, and writes it to the URL', async () => {
    expect(await panel().getAttribute('open')).not.toBeNull();
    await page.waitForFunction(() => document.getElementById('navigator-panel').dataset.state === 'playing', null, { timeout: 60_000 });
    const puzzle = navigator.pick({ hops: 4, seed: SEED });
    expect(await page.locator('#navigator-goal').textContent()).toBe(`From "${puzzle.start}" to "${puzzle.target}" (raw space)`);
    const graph = await page.locator('#navigator-graph').textContent();
    expect(graph).toMatch(/over the 10,000 most frequent words, each linked to its nearest 10 in the raw space/);
    expect(params()).toMatchObject({ nav: `${puzzle.start}:${puzzle.target}`, navseed: String(SEED) });
    // The start's buttons are its nearest-10 list, nearest first, as the wrapper has it.
    expect(await neighbourWords()).toEqual(lists[positions.get(puzzle.start)]);
    expect(await hopsTaken()).toBe(0);
    expect(await page.locator('#navigator-undo').isDisabled()).toBe(true);
    console.log(`navseed=${SEED}: ${puzzle.start} → ${puzzle.target}; ${graph}`);
  });

  it('hops, undoes, and hints at exactly the neighbours that lie on a shortest path', async () => {
    const puzzle = navigator.pick({ hops: 4, seed: SEED });
    const left = hopsTo(puzzle.target);
    expect(left(puzzle.start)).toBe(4);
    // A hop off every shortest path, then back.
    const off = lists[positions.get(puzzle.start)].find((w) => left(w) !== 3);
    expect(off).toBeDefined();
    await hop(off);
    expect(await hopsTaken()).toBe(1);
    expect(await trail()).toEqual([puzzle.start, off]);
    expect(await neighbourWords()).toEqual(lists[positions.get(off)]);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.waitForFunction(() => document.getElementById('navigator-hops-taken').textContent === '0');
    expect(await trail()).toEqual([puzzle.start]);
    expect(await neighbourWords()).toEqual(lists[positions.get(puzzle.start)]);

    await page.getByRole('button', { name: 'Hint' }).click();
    await page.waitForSelector('#navigator-neighbors .on-best-path');
    const marked = await page.locator('#navigator-neighbors .on-best-path').evaluateAll((bs) => bs.map((b) => b.dataset.word));
    expect(marked).toEqual(lists[positions.get(puzzle.start)].filter((w) => left(w) === 3));
    expect(await page.locator('#navigator-hint-text').textContent()).toBe(`Hint: "${puzzle.target}" is 4 hops away at best; the marked neighbours lie on a shortest path.`);
    mkdirSync(artifacts, { recursive: true });
    await panel().screenshot({ path: join(artifacts, 'navigator-hint-1440.png') });
    console.log(`off-path hop ${puzzle.start} → ${off} (${left(off)} hops left from there); hint marks ${marked.join(', ')}`);
  });

  it("follows a shortest path to the target and ends with the best path, as long as the test's own BFS finds", async () => {
    const puzzle = navigator.pick({ hops: 4, seed: SEED });
    const left = hopsTo(puzzle.target);
    let at = puzzle.start;
    const walked = [at];
    while (at !== puzzle.target) {
      // The last of the nearest neighbours on a shortest path: the page must not depend on taking the first.
      at = lists[positions.get(at)].filter((w) => left(w) === left(at) - 1).at(-1);
      walked.push(at);
      await hop(at);
    }
    await page.waitForFunction(() => document.getElementById('navigator-panel').dataset.state === 'over');
    const verdict = await page.locator('#navigator-verdict').textContent();
    expect(verdict).toBe(`You reached "${puzzle.target}": you took 4 hops, the best is 4 — a shortest path! (1 hint used)`);
    const best = await page.locator('#navigator-best li').evaluateAll((lis) => lis.map((li) => li.dataset.word));
    expect(best.length - 1).toBe(left(puzzle.start));
    expect(best[0]).toBe(puzzle.start);
    expect(best.at(-1)).toBe(puzzle.target);
    for (let i = 1; i < best.length; i++) expect(lists[positions.get(best[i - 1])]).toContain(best[i]);
    expect(await page.locator('#navigator-yours li').allTextContents()).toEqual(walked);
    console.log(`${verdict}\nbest: ${best.join(' → ')}\nmine: ${walked.join(' → ')}`);
  });

  it('plays a typed pair; giving up shows the best path, and the URL holds nav= alone', async () => {
    await typeGame('son', 'aunt');
    await page.waitForFunction(() => document.getElementById('navigator-goal').textContent.startsWith('From "son"') && document.getElementById('navigator-panel').dataset.state === 'playing');
    expect(params().nav).toBe('son:aunt');
    expect(params().navseed).toBeUndefined();
    const left = hopsTo('aunt');
    const detour = lists[positions.get('son')].find((w) => left(w) > left('son'));
    await hop(detour);
    await page.getByRole('button', { name: 'Give up and show the best path' }).click();
    await page.waitForFunction(() => document.getElementById('navigator-panel').dataset.state === 'over');
    const verdict = await page.locator('#navigator-verdict').textContent();
    expect(verdict).toBe(`You stopped at "${detour}" after 1 hop; the best path from "son" takes ${left('son')} hops.`);
    const best = await page.locator('#navigator-best li').allTextContents();
    expect(best.length - 1).toBe(left('son'));
    for (let i = 1; i < best.length; i++) expect(lists[positions.get(best[i - 1])]).toContain(best[i]);
    console.log(`${verdict} best: ${best.join(' → ')}`);
  });

  it('says clearly when the target cannot be reached, and keeps the game in play', async () => {
    const left = hopsTo('declined');
    // In nobody's nearest 10: no word reaches it but itself.
    expect(lists.some((list) => list.includes('declined'))).toBe(false);
    expect(left('son')).toBe(Infinity);
    await typeGame('son', 'declined');
    await page.waitForSelector('#navigator-error:not([hidden])');
    const message = await page.locator('#navigator-error').textContent();
    expect(message).toMatch(/^"declined" cannot be reached from "son": no chain of nearest-10 lists among the 10,000 most frequent words leads there/);
    expect(await page.locator('#navigator-error').getAttribute('data-unreachable')).toBe('true');
    expect(params().nav).toBe('son:aunt');
    expect(await state()).toBe('over');
    console.log(`unreachable: ${message}`);
  });

  it('names an unknown or malformed game in a link (Back/Forward), and a later game still starts', async () => {
    const follow = (search) =>
      page.evaluate((s) => {
        history.pushState(null, '', s);
        dispatchEvent(new PopStateEvent('popstate'));
      }, search);
    await follow('?nav=son:zzqxj');
    await page.waitForFunction(() => /zzqxj/.test(document.getElementById('navigator-error').textContent));
    const unknown = await page.locator('#navigator-error').textContent();
    expect(unknown).toBe(`Cannot start the game: "zzqxj" is not among the navigator's ${WORDS} most frequent words`);
    await follow('?nav=son&navseed=x1');
    await page.waitForFunction(() => /navseed/.test(document.getElementById('message').textContent));
    const notes = await page.locator('#message').textContent();
    expect(notes).toContain('The navigator game nav="son" must be two different words as start:target (e.g. nav=son:aunt); it was not started.');
    expect(notes).toContain('The navigator seed navseed="x1" must be a whole number from 1 to 999,999,999; it was not used.');
    console.log(`unknown word: ${unknown}\nmalformed link: ${notes}`);

    await follow('?nav=king:queen');
    await page.waitForFunction(() => document.getElementById('navigator-goal').textContent.startsWith('From "king" to "queen"'));
    expect(await state()).toBe('playing');
    expect(await page.locator('#navigator-error').isHidden()).toBe(true);
    // A target in the list is marked as such; one hop ends the game.
    expect(await page.locator('#navigator-neighbors button[data-word="queen"]').textContent()).toContain('(the target)');
    await hop('queen');
    expect(await page.locator('#navigator-verdict').textContent()).toBe('You reached "queen": you took 1 hop, the best is 1 — a shortest path!');
    await panel().screenshot({ path: join(artifacts, 'navigator-end-1440.png') });
    expect(problems).toEqual([]);
  });

  it('"New game" picks the next seeded puzzle at the distance chosen, and refuses a bad seed', async () => {
    // The link's seed 3 was used, so the seed field offers 4.
    expect(await page.inputValue('#navigator-seed')).toBe(String(SEED + 1));
    await page.selectOption('#navigator-hops', '5');
    await page.getByRole('button', { name: 'New game' }).click();
    const puzzle = navigator.pick({ hops: 5, seed: SEED + 1 });
    await page.waitForFunction((goal) => document.getElementById('navigator-goal').textContent.startsWith(goal), `From "${puzzle.start}" to "${puzzle.target}"`);
    expect(hopsTo(puzzle.target)(puzzle.start)).toBe(5);
    expect(params()).toMatchObject({ nav: `${puzzle.start}:${puzzle.target}`, navseed: String(SEED + 1) });
    await page.fill('#navigator-seed', '0');
    await page.getByRole('button', { name: 'New game' }).click();
    await page.waitForSelector('#navigator-error:not([hidden])');
    expect(await page.locator('#navigator-error').textContent()).toBe('The seed must be a whole number from 1 to 999,999,999; "0" is not.');
    expect(await page.locator('#navigator-goal').textContent()).toContain(`From "${puzzle.start}"`);
    console.log(`New game, seed ${SEED + 1}, 5 hops: ${puzzle.start} → ${puzzle.target}`);
  });

  it('has no serious or critical axe-core violation in the panel', async () => {
    // Through the debugger, which the page's CSP does not govern (a script tag would be refused).
    await page.evaluate(readFileSync(AXE, 'utf8'));
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run('#navigator-panel', { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
    });
    console.log(`axe-core on the navigator panel: ${violations.length ? violations.map((v) => `${v.id} (${v.impact}, ${v.count})`).join('; ') : 'none'}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });
});
