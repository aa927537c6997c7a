// Issue 10 §1 in the built page (Chromium, strict CSP): a lesson from a
// same-origin JSON file plays in the full page. Its steps' views reach the
// store and the URL (answers checked against the core in Node), Next and
// Back move through it, the step is kept in the URL and a reload opens it,
// a step's controls are hidden or locked (winning over hide=/lock=), its
// words are marked, its caption markup stays text; a malformed lesson's
// error names the step and the field while the page works on; axe-core
// finds no serious or critical violation in a lesson in progress.
// Screenshots at 1440x900 and 390x844 go to tests/artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');

const UNIT_LESSON = {
  format: 'embedding-explorer-lesson',
  version: 1,
  id: 'unit-test-lesson',
  title: 'Two words and an analogy',
  steps: [
    {
      title: 'Near words',
      caption: 'The nearest words to *dog*, and its cosine with **puppy** (`cos`).\n\n<img src=x onerror="document.body.dataset.pwned=1"> stays text.',
      view: { q: 'dog', k: 5 },
      highlight: ['puppy', 'zzqxnotaword'],
      controls: { query: 'locked', space: 'hidden' },
      figures: [{ kind: 'cosine', words: ['dog', 'puppy'], label: 'cosine of dog and puppy' }],
    },
    { title: 'An analogy', caption: 'man : king :: woman : ?', view: { a: 'man', b: 'king', c: 'woman', k: 7 }, panels: ['similarity'], controls: { k: 'shown' } },
    { caption: 'Which is closer?', view: { q: 'cat' }, exercise: { type: 'choose', prompt: 'Which is closer to *cat*?', target: 'cat', options: ['dog', 'tiger'] } },
    { caption: 'The neighbours of frog.', view: { word: 'frog', k: 4 } },
  ],
};

const MALFORMED = { ...UNIT_LESSON, steps: [UNIT_LESSON.steps[0], { caption: 'x', exercise: { type: 'choose', prompt: 'p', target: 'cat', options: ['dog'] } }] };

let server;
let browser;
let context;
let core;
const problems = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // The lesson files, served on the explorer's own origin beside the page.
  await context.route(`${server.origin}${SUB_PATH}lessons/*.json`, (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    const body = { 'unit.json': UNIT_LESSON, 'malformed.json': MALFORMED }[name];
    if (!body) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ contentType: 'application/json', body: JSON.stringify(body) });
  });
  core = await EmbeddingExplorer.create();
  core.load(readFileSync(defaultTable));
});

afterAll(async () => {
  core?.dispose();
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function open(search) {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => problems.push(`a dialog opened: ${dialog.message()}`));
  await page.goto(`${server.origin}${SUB_PATH}index.html${search}`);
  await waitReady(page);
  return page;
}

const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);
const settled = (page) => page.evaluate(() => window.explorerApp.settled());
const shown = (page, selector) => page.locator(selector).first().isVisible();
const topWords = (result, k) => result.results.slice(0, k).map((r) => r.word);

async function atStep(page, n) {
  await page.waitForFunction((step) => document.body.dataset.lessonStep === String(step), n);
  await settled(page);
}

describe('a lesson from a same-origin JSON file', () => {
  let page;

  it('opens at step 1: title, indicator, caption as text, the view, locked and hidden controls, marked words, a live figure', async () => {
    page = await open('?lesson=lessons/unit.json&hide=k&lock=metric');
    await atStep(page, 1);
    expect(await page.locator('#lesson-title').textContent()).toBe(UNIT_LESSON.title);
    expect(await page.locator('#lesson-step-indicator').textContent()).toBe('Step 1 of 4');
    // Markup became <em>, <strong>, <code>; the hostile tag stayed text.
    const caption = page.locator('#lesson-caption');
    expect(await caption.locator('em').textContent()).toBe('dog');
    expect(await caption.locator('strong').textContent()).toBe('puppy');
    expect(await caption.locator('code').textContent()).toBe('cos');
    expect(await caption.locator('img').count()).toBe(0);
    expect(await caption.locator('p').nth(1).textContent()).toContain('<img src=x onerror=');
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    // The step's view: in the URL with the lesson and the step, and answered as the core answers.
    expect(params(page)).toMatchObject({ lesson: 'lessons/unit.json', step: '1', q: 'dog', k: '5' });
    expect(await resultWords(page)).toEqual(topWords(core.expression('dog', { k: 5 }), 5));
    // controls: query locked, space hidden (the step's), k hidden and metric locked (hide=, lock=).
    expect(await page.locator('#expression').isDisabled()).toBe(true);
    expect(await page.locator('#analogy-a').isDisabled()).toBe(true);
    expect(await shown(page, '#expression')).toBe(true);
    expect(await shown(page, '#space')).toBe(false);
    expect(await shown(page, '#k')).toBe(false);
    expect(await page.locator('#metric').isDisabled()).toBe(true);
    expect(await page.locator('#projection').isDisabled()).toBe(false);
    // The marked words: puppy is drawn and marked; the missing word is named.
    // (The step marks them once the whole table answers, which may come after the step's view has settled.)
    const marked = () => page.evaluate(() => (window.explorerApp.lessonIds ?? []).map((id) => window.explorerApp.pointSet.wordOf.get(id)));
    await expect.poll(marked, { timeout: 30_000 }).toEqual(['puppy']);
    expect(await page.locator('#lesson-missing').textContent()).toBe('Not in this table, so not marked: zzqxnotaword.');
    // The figure, computed live, is the core's cosine.
    await page.waitForFunction(() => document.querySelector('.lesson-figure')?.dataset.state === 'done');
    const value = Number(await page.locator('.lesson-figure').getAttribute('data-value'));
    const expected = core.similarity('dog', 'puppy');
    console.log(`lesson figure: cosine(dog, puppy) = ${value.toFixed(4)} in the page, ${expected.toFixed(4)} from the core`);
    expect(value).toBeCloseTo(expected, 4);
    await page.screenshot({ path: join(artifacts, 'lesson-player-1440x900.png') });
  });

  it('Next and Back move through the steps, with the view, the controls and the URL following', async () => {
    await page.locator('#lesson-next').click();
    await atStep(page, 2);
    expect(await page.locator('#lesson-step-indicator').textContent()).toBe('Step 2 of 4');
    expect(params(page)).toMatchObject({ step: '2', a: 'man', b: 'king', c: 'woman', k: '7' });
    expect(params(page).q).toBeUndefined();
    expect(await resultWords(page)).toEqual(topWords(core.analogy('man', 'king', 'woman', { k: 7 }), 7));
    // This step's controls: query and space shown again; k shown (the step wins over hide=k); metric still locked by lock=.
    expect(await page.locator('#expression').isDisabled()).toBe(false);
    expect(await shown(page, '#space')).toBe(true);
    expect(await shown(page, '#k')).toBe(true);
    expect(await page.locator('#metric').isDisabled()).toBe(true);
    expect(await page.locator('#similarity-panel').getAttribute('open')).not.toBeNull();
    const progress = JSON.parse(await page.evaluate(() => document.body.dataset.lessonProgress));
    expect(progress).toMatchObject({ type: 'embedding-explorer:progress', lesson: 'unit-test-lesson', event: 'step', step: 1, steps: 4, correct: null });
    // The keyboard alone: Back is a button in the tab order.
    await page.locator('#lesson-back').focus();
    await page.keyboard.press('Enter');
    await atStep(page, 1);
    expect(params(page)).toMatchObject({ step: '1', q: 'dog' });
    await page.locator('#lesson-next').click();
    await atStep(page, 2);
    await page.locator('#lesson-next').click();
    await atStep(page, 3);
    expect(await page.locator('#lesson-exercise .lesson-exercise').count()).toBe(1);
  });

  it('a reload opens the step in the URL, and the stored progress is there', async () => {
    await page.reload();
    await waitReady(page);
    await atStep(page, 3);
    expect(params(page)).toMatchObject({ step: '3', q: 'cat', lesson: 'lessons/unit.json' });
    expect(await resultWords(page)).toEqual(topWords(core.expression('cat', { k: 10 }), 10));
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('embedding-explorer:lesson:unit-test-lesson')));
    expect(stored.step).toBe(2);
    expect(Object.keys(stored.done).sort()).toEqual(['0', '1']);
  });

  it('has no serious or critical axe-core violation with the lesson in progress, at 1440x900 and 390x844', async () => {
    // Through the test's own channel (not a <script>, which the page's CSP rightly blocks): the page keeps its policy.
    await page.evaluate(readFileSync(AXE, 'utf8'));
    expect(await page.evaluate(() => typeof window.axe?.run)).toBe('function');
    const serious = async () => {
      const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    expect(await serious()).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await settled(page);
    await page.screenshot({ path: join(artifacts, 'lesson-player-390x844.png') });
    expect(await serious()).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('"Clear progress" forgets the lesson and starts again at step 1; the last step finishes it', async () => {
    await page.locator('#lesson-clear').click();
    await atStep(page, 1);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('embedding-explorer:lesson:unit-test-lesson')));
    expect(stored).toEqual({ step: 0, done: {}, finished: false });
    for (let n = 2; n <= 4; n++) {
      await page.locator('#lesson-next').click();
      await atStep(page, n);
    }
    expect(await page.locator('#lesson-next').textContent()).toBe('Finish');
    await page.locator('#lesson-next').click();
    await page.waitForFunction(() => JSON.parse(document.body.dataset.lessonProgress).event === 'lesson');
    const progress = JSON.parse(await page.evaluate(() => document.body.dataset.lessonProgress));
    expect(progress).toMatchObject({ event: 'lesson', step: 4, steps: 4, exercises: 0 });
    expect(await page.locator('#lesson-next').isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a lesson that cannot be used', () => {
  it('names the step and the field of a malformed lesson, and the explorer works on without it', async () => {
    const page = await open('?lesson=lessons/malformed.json&q=paris%20-%20france%20%2B%20italy');
    const error = page.locator('#lesson-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Lesson "lessons\/malformed.json", step 2, field "exercise.options": needs at least two words; it has 1\. The explorer works on without the lesson\.$/);
    expect(await page.locator('#lesson-bar').isVisible()).toBe(false);
    expect(await resultWords(page)).toEqual(topWords(core.expression('paris - france + italy', { k: 10 }), 10));
    // The page still takes queries.
    await page.fill('#expression', 'frog');
    await page.locator('#expression-form button[type=submit]').click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'frog');
    await settled(page);
    expect(await resultWords(page)).toEqual(topWords(core.expression('frog', { k: 10 }), 10));
    await page.close();
  });

  it('says a missing file could not be loaded', async () => {
    const page = await open('?lesson=lessons/absent.json');
    await page.locator('#lesson-error').waitFor();
    expect(await page.locator('#lesson-error').textContent()).toMatch(/^Lesson "lessons\/absent.json" could not be loaded from .*lessons\/absent.json: the server answered 404/);
    expect((await resultWords(page)).length).toBeGreaterThan(0);
    await page.close();
  });
});
