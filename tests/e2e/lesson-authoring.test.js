// Issue 10 §4 "Build a lesson" in the built page (Chromium, strict CSP),
// through the UI: two views are set and added as steps (a third is added
// and deleted), captions are written with markup and previewed as the
// learner sees them, a predict-word and a choose exercise are added and
// their fields checked as they are typed, the steps are reordered; the
// draft survives a reload; Export downloads a file that parseLesson
// accepts, and both embed snippets carry it; the file imports into a fresh
// page as the same steps; a malformed file is named (step and field) and
// the draft stays; Preview plays step 1 in the page. Screenshots at
// 1440×900 and 390×844 go to tests/artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';
import { repoRoot } from '../js/paths.js';
import { parseLesson } from '../../web/src/lesson/format.js';

const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const artifacts = join(repoRoot, 'tests', 'artifacts');

let server;
let browser;
let page;
let exported; // the downloaded file's text
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);
const settled = (p) => p.evaluate(() => window.explorerApp.settled());

async function open(search = '', viewport = { width: 1440, height: 900 }) {
  const p = await openPage(`${SUB_PATH}index.html${search}`, { viewport });
  await waitReady(p);
  await settled(p);
  if ((await p.locator('#authoring-panel').getAttribute('open')) === null) await p.locator('#authoring-panel > summary').click();
  return p;
}

const steps = (p) => p.locator('#authoring-steps > li');
const captions = (p) => p.locator('#authoring-steps textarea[id$="-caption"]').evaluateAll((boxes) => boxes.map((b) => b.value));
const viewTexts = (p) => p.locator('#authoring-steps .authoring-step-view').allTextContents();
const exerciseKinds = (p) => p.locator('#authoring-steps .authoring-step').evaluateAll((items) => items.map((li) => li.querySelector('select[data-field="kind"]')?.value ?? null));
const status = (p) => p.locator('#authoring-status').textContent();

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  page = await open();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('building a lesson in the page', () => {
  it('adds two views as steps, with captions in markup and a live preview', async () => {
    expect(await page.locator('#authoring-empty').isVisible()).toBe(true);
    expect(await page.locator('#authoring-export').isDisabled()).toBe(true);
    await page.fill('#authoring-title', 'Queens and frogs');

    // View 1: an expression, k 15, centred.
    await page.fill('#expression', 'king - man + woman');
    await page.locator('#expression-form button[type="submit"]').click();
    await page.fill('#k', '15');
    await page.locator('#k').press('Enter');
    await page.selectOption('#space', 'centered');
    await settled(page);
    await page.getByRole('button', { name: 'Add this view as a step' }).click();
    expect(await steps(page).count()).toBe(1);
    // Focus goes to the new step's caption.
    expect(await page.evaluate(() => document.activeElement.id)).toBe('authoring-step-1-caption');
    await page.keyboard.type('The answer is *queen*, not **king**: try `k = 15`.\n\nA second paragraph; \\*not emphasis\\*.');
    const preview = page.locator('#authoring-step-1-caption-preview');
    expect(await preview.locator('p').count()).toBe(2);
    expect(await preview.locator('em').textContent()).toBe('queen');
    expect(await preview.locator('strong').textContent()).toBe('king');
    expect(await preview.locator('code').textContent()).toBe('k = 15');
    expect(await preview.locator('p').nth(1).textContent()).toBe('A second paragraph; *not emphasis*.');

    // View 2: a word's neighbours in the raw space, 2D.
    await page.fill('#search', 'frog');
    await page.locator('#search-form button[type="submit"]').click();
    await page.selectOption('#space', 'raw');
    await page.selectOption('#dims', '2');
    await settled(page);
    await page.getByRole('button', { name: 'Add this view as a step' }).click();
    await page.locator('#authoring-step-2-caption').fill('Which is *closer*? <b>not bold</b>');
    expect(await page.locator('#authoring-step-2-caption-preview').textContent()).toBe('Which is closer? <b>not bold</b>');
    expect(await page.locator('#authoring-step-2-caption-preview b').count()).toBe(0);
    expect(await viewTexts(page)).toEqual(['q=king - man + woman, space=centered, k=15', 'word=frog, k=15, dims=2']);
    // Step 2 hides the space control and locks k.
    await page.locator('#authoring-steps li:nth-child(2) details.authoring-step-more summary').click();
    await page.selectOption('#authoring-step-2-control-space', 'hidden');
    await page.selectOption('#authoring-step-2-control-k', 'locked');
  });

  it('adds a predict-word and a choose exercise, naming a bad field as it is typed', async () => {
    await page.selectOption('#authoring-step-1-add-exercise-kind', 'predict-word');
    await page.getByRole('button', { name: 'Add exercise' }).first().click();
    expect(await page.evaluate(() => document.activeElement.id)).toBe('authoring-step-1-exercise-prompt');
    await page.fill('#authoring-step-1-exercise-prompt', 'What is *first*? Type a guess.');
    await page.fill('#authoring-step-1-exercise-accept', '0');
    const error1 = page.locator('#authoring-step-1-exercise-error');
    expect(await error1.textContent()).toMatch(/^Step 1, field "exercise\.accept": needs a whole number from 1 to 1000; it is 0\.$/);
    expect(await page.locator('#authoring-step-1-exercise-accept').getAttribute('aria-invalid')).toBe('true');
    await page.fill('#authoring-step-1-exercise-accept', '3');
    expect(await error1.isHidden()).toBe(true);
    expect(await page.locator('#authoring-step-1-exercise-accept').getAttribute('aria-invalid')).toBeNull();

    await page.selectOption('#authoring-step-2-add-exercise-kind', 'choose');
    await page.locator('#authoring-steps li:nth-child(2)').getByRole('button', { name: 'Add exercise' }).click();
    await page.fill('#authoring-step-2-exercise-prompt', 'Which is closer to *frog*?');
    await page.fill('#authoring-step-2-exercise-target', 'frog');
    await page.fill('#authoring-step-2-exercise-options', 'toad');
    const error2 = page.locator('#authoring-step-2-exercise-error');
    expect(await error2.textContent()).toBe('Step 2, field "exercise.options": needs at least two words; it has 1.');
    expect(await page.locator('#authoring-step-2-exercise-options').getAttribute('aria-invalid')).toBe('true');
    await page.fill('#authoring-step-2-exercise-options', 'toad, lizard');
    expect(await error2.isHidden()).toBe(true);
    expect(await exerciseKinds(page)).toEqual(['predict-word', 'choose']);
  });

  it('reorders from the keyboard and deletes a step; a reload keeps the draft', async () => {
    await page.fill('#expression', 'paris - france + italy');
    await page.locator('#expression-form button[type="submit"]').click();
    await settled(page);
    await page.getByRole('button', { name: 'Add this view as a step' }).click();
    await page.locator('#authoring-step-3-caption').fill('to delete');
    expect(await steps(page).count()).toBe(3);

    await page.getByRole('button', { name: 'Move step 2 up' }).focus();
    await page.keyboard.press('Enter');
    expect(await captions(page)).toEqual(['Which is *closer*? <b>not bold</b>', 'The answer is *queen*, not **king**: try `k = 15`.\n\nA second paragraph; \\*not emphasis\\*.', 'to delete']);
    // Focus follows the step (to its Move down, as Move up is now disabled).
    expect(await page.evaluate(() => document.activeElement.getAttribute('aria-label'))).toBe('Move step 1 down');
    expect(await exerciseKinds(page)).toEqual(['choose', 'predict-word', null]);

    await page.getByRole('button', { name: 'Delete step 3' }).click();
    expect(await steps(page).count()).toBe(2);
    expect(await status(page)).toBe('Deleted step 3; 2 steps left.');

    const before = { captions: await captions(page), views: await viewTexts(page), kinds: await exerciseKinds(page) };
    await page.reload();
    await waitReady(page);
    if ((await page.locator('#authoring-panel').getAttribute('open')) === null) await page.locator('#authoring-panel > summary').click();
    expect({ captions: await captions(page), views: await viewTexts(page), kinds: await exerciseKinds(page) }).toEqual(before);
    expect(await page.inputValue('#authoring-title')).toBe('Queens and frogs');
    expect(await page.inputValue('#authoring-step-2-exercise-accept')).toBe('3');
    expect(await page.inputValue('#authoring-step-1-control-space')).toBe('hidden');
  });

  it('exports a file parseLesson accepts, with both embed snippets carrying it', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toBe('queens-and-frogs.json');
    exported = readFileSync(await download.path(), 'utf8');
    const lesson = parseLesson(exported, 'queens-and-frogs.json');
    expect(lesson.title).toBe('Queens and frogs');
    expect(lesson.id).toBe('queens-and-frogs');
    expect(lesson.steps.map((s) => s.view)).toEqual([{ word: 'frog', k: 15, dims: 2 }, { q: 'king - man + woman', space: 'centered', k: 15 }]);
    expect(lesson.steps[0].controls).toEqual({ space: 'hidden', k: 'locked' });
    expect(lesson.steps[0].exercise).toMatchObject({ type: 'choose', prompt: 'Which is closer to *frog*?', target: 'frog', options: ['toad', 'lizard'] });
    expect(lesson.steps[1].exercise).toMatchObject({ type: 'predict-word', prompt: 'What is *first*? Type a guess.', accept: 3 });
    expect(lesson.steps[1].caption).toMatch(/^The answer is \*queen\*/);
    expect(JSON.stringify(JSON.parse(exported))).not.toMatch(/"(answer|correct)"/);

    const iframe = await page.inputValue('#authoring-iframe-code');
    expect(iframe).toContain(`src="${server.origin}${SUB_PATH}embed.html?lesson=lessons%2Fqueens-and-frogs.json"`);
    const element = await page.inputValue('#authoring-element-code');
    expect(element).toContain(`<script src="${server.origin}${SUB_PATH}embedding-explorer.js"></script>`);
    const inline = element.match(/<script type="application\/json">\n([\s\S]*)\n<\/script>\n<\/embedding-explorer>$/)[1];
    expect(JSON.parse(inline)).toEqual(JSON.parse(exported));
    // The address the author will host it at changes the iframe.
    await page.fill('#authoring-hosted-url', 'course/week1.json');
    expect(await page.inputValue('#authoring-iframe-code')).toContain('embed.html?lesson=course%2Fweek1.json"');
    console.log(`exported lesson: ${exported.length} bytes; iframe snippet ${iframe.length} characters, element snippet ${element.length}`);
  });

  it('imports the file into a fresh page as the same steps', async () => {
    const fresh = await open();
    expect(await steps(fresh).count()).toBe(0);
    await fresh.setInputFiles('#authoring-import', { name: 'queens-and-frogs.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await fresh.waitForFunction(() => document.querySelectorAll('#authoring-steps > li').length === 2);
    expect({ captions: await captions(fresh), views: await viewTexts(fresh), kinds: await exerciseKinds(fresh) }).toEqual({
      captions: await captions(page),
      views: await viewTexts(page),
      kinds: await exerciseKinds(page),
    });
    expect(await fresh.inputValue('#authoring-title')).toBe('Queens and frogs');
    expect(await fresh.inputValue('#authoring-step-1-exercise-options')).toBe('toad, lizard');
    expect(await status(fresh)).toBe('Imported “Queens and frogs” from "queens-and-frogs.json": 2 steps to edit.');

    // A malformed file: the error names the step and the field, and the draft stays.
    const bad = JSON.parse(exported);
    bad.steps[0].exercise.options = ['toad'];
    await fresh.setInputFiles('#authoring-import', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await fresh.waitForFunction(() => !document.getElementById('authoring-error').hidden);
    const error = await fresh.locator('#authoring-error').textContent();
    expect(error).toBe('Lesson "broken.json", step 1, field "exercise.options": needs at least two words; it has 1. The lesson being built here is unchanged (2 steps).');
    expect(await steps(fresh).count()).toBe(2);
    expect(await fresh.inputValue('#authoring-step-1-exercise-options')).toBe('toad, lizard');
    console.log(`malformed import: ${error}`);
    await fresh.close();
  });

  it('previews the lesson in the page from step 1', async () => {
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await settled(page);
    // The player's bar shows step 1: its caption (as text), and its view in the page, with its controls.
    await page.waitForFunction(() => document.body.dataset.lessonStep === '1' && !document.getElementById('lesson-bar').hidden);
    expect(await page.locator('#lesson-title').textContent()).toBe('Queens and frogs');
    expect(await page.locator('#lesson-step-indicator').textContent()).toBe('Step 1 of 2');
    expect(await page.locator('#lesson-caption').textContent()).toBe('Which is closer? <b>not bold</b>');
    expect(await page.locator('#lesson-caption em').textContent()).toBe('closer');
    await settled(page);
    expect(await page.inputValue('#dims')).toBe('2');
    expect(await page.inputValue('#search')).toBe('frog');
    expect(await resultWords(page)).toHaveLength(15);
    expect(await page.locator('#space').isVisible()).toBe(false); // step 1 hides the space
    expect(await status(page)).toBe('Previewing “Queens and frogs” from step 1, as a learner sees it.');
    // Step 1 asks a question, so the player folds the other panels (one could show the answer), but not this one.
    expect(await page.locator('#authoring-panel').evaluate((details) => details.open)).toBe(true);
    await page.getByRole('button', { name: 'Close lesson' }).click();
    expect(await page.locator('#space').isVisible()).toBe(true);
  });

  it('takes screenshots at 1440×900 and 390×844, and has no serious axe violation on a phone', async () => {
    await page.locator('#authoring-panel').scrollIntoViewIfNeeded();
    await page.locator('#authoring-panel').screenshot({ path: join(artifacts, 'lesson-authoring-1440x900.png') });
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(`${server.origin}${SUB_PATH}index.html`);
    await waitReady(phone);
    await phone.locator('#authoring-panel > summary').click();
    await phone.setInputFiles('#authoring-import', { name: 'queens-and-frogs.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await phone.waitForFunction(() => document.querySelectorAll('#authoring-steps > li').length === 2);
    await phone.locator('#authoring-steps li:nth-child(1) details.authoring-step-more summary').click();
    await phone.locator('#authoring-panel').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(artifacts, 'lesson-authoring-390x844.png') });
    await phone.locator('#authoring-panel').screenshot({ path: join(artifacts, 'lesson-authoring-390x844-panel.png') });
    const overflow = await phone.evaluate(() => document.getElementById('authoring-panel').scrollWidth - document.getElementById('authoring-panel').clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.addScriptTag({ path: AXE });
    const violations = await phone.evaluate(async () => {
      const result = await window.axe.run('#authoring-panel', { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    console.log(`axe-core on the authoring panel at 390x844: ${violations.length ? violations.map((v) => `${v.id} (${v.impact}, ${v.count}) ${v.targets.join(', ')}`).join('; ') : 'none'}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await context.close();
    expect(problems).toEqual([]);
  });
});
