// Issue 10, "a course page on another origin embeds a lesson and receives
// the progress messages": a course site on a second origin, under the
// strict host CSP `default-src 'self'; script-src 'self' <explorer>;
// frame-src <explorer>`, puts a lesson inline in <embedding-explorer>
// (<script type="application/json">, data the CSP allows). The element
// sends it to its iframe, the lesson plays there with the element's embed
// options (heading, caption, lock, open-full, theme), and each step and
// exercise reaches the course page twice: as a postMessage from the
// explorer's origin and as the element's 'embedding-explorer-progress' DOM
// event. The exercise's reveal is checked against the core in Node.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, resultWords } from './browser.js';
import { SUB_PATH, startCourseServer, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
const LESSON = {
  format: 'embedding-explorer-lesson',
  version: 1,
  id: 'course-unit-3',
  title: 'Unit 3: closer words',
  steps: [
    { caption: 'The neighbours of *frog*.', view: { word: 'frog', k: 5 } },
    { caption: 'Now decide.', view: { q: 'cat', k: 5 }, controls: { query: 'hidden' }, exercise: { type: 'choose', prompt: 'Which is closer to *cat*?', target: 'cat', options: ['dog', 'tiger'] } },
  ],
};
// Written as an author pastes it: inside the element, as data. "</" is escaped as JSON allows, so no text closes the script early.
const inlineJson = JSON.stringify(LESSON).replace(/<\//g, '<\\/');

let explorer;
let course;
let browser;
let core;
const problems = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  explorer = await startServer();
  course = await startCourseServer(explorer.origin);
  const script = `<script src="${explorer.origin}${SUB_PATH}embedding-explorer.js"></script>`;
  course.addPage('/unit-3/lesson.html', 'Unit 3: a lesson', `${script}
<p>Work through the lesson below.</p>
<embedding-explorer height="620" heading="Closer words" caption="A *two-step* lesson." lock="space" open-full="0" theme="dark"><script type="application/json">${inlineJson}</script></embedding-explorer>`);
  browser = await launchBrowser();
  core = await EmbeddingExplorer.create();
  core.load(readFileSync(defaultTable));
});

afterAll(async () => {
  core?.dispose();
  await browser?.close();
  await course?.close();
  await explorer?.close();
});

describe('a lesson inline in <embedding-explorer> on another origin', () => {
  it('plays in the iframe with the embed options, and the course page receives every progress message and event', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${course.origin}/unit-3/lesson.html`);
    // The course page listens as a platform would (from the test's channel: its CSP allows no inline script).
    await page.evaluate((explorerOrigin) => {
      window.progressEvents = [];
      window.progressMessages = [];
      document.querySelector('embedding-explorer').addEventListener('embedding-explorer-progress', (event) => window.progressEvents.push(event.detail));
      window.progressEventsAtDocument = 0;
      document.addEventListener('embedding-explorer-progress', () => window.progressEventsAtDocument++);
      addEventListener('message', (event) => {
        if (event.data?.type === 'embedding-explorer:progress') window.progressMessages.push({ origin: event.origin, data: event.data });
      });
      window.explorerOrigin = explorerOrigin;
    }, explorer.origin);
    await page.waitForFunction(() => document.querySelector('embedding-explorer').dataset.state === 'ready', null, { timeout: 90_000 });
    const element = page.locator('embedding-explorer');
    const src = new URL(await element.evaluate((el) => el.shadowRoot.querySelector('iframe').src));
    expect(src.origin).toBe(explorer.origin);
    expect(Object.fromEntries(src.searchParams)).toEqual({ lesson: 'inline', title: 'Closer words', caption: 'A *two-step* lesson.', lock: 'space', openfull: '0', theme: 'dark' });
    const frame = page.frames().find((f) => f.url().includes('/embed.html'));
    await frame.waitForFunction(() => document.body.dataset.lessonStep === '1');
    await frame.evaluate(() => window.explorerApp.settled());

    // The lesson and the options, in the frame.
    expect(await frame.locator('#lesson-title').textContent()).toBe(LESSON.title);
    expect(await frame.locator('#lesson-step-indicator').textContent()).toBe('Step 1 of 2');
    expect(await frame.locator('#lesson-caption em').textContent()).toBe('frog');
    expect(await frame.locator('#page-caption h2').textContent()).toBe('Closer words');
    expect(await frame.locator('#page-caption em').textContent()).toBe('two-step');
    expect(await frame.locator('#open-full').isVisible()).toBe(false);
    expect(await frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(22, 24, 29)');
    expect(await resultWords(frame.locator('body'))).toEqual(core.neighbors('frog', { k: 5 }).results.map((r) => r.word));
    await page.screenshot({ path: join(artifacts, 'lesson-embed-1440x900.png') });

    // Next: the step's message arrives both ways.
    await frame.locator('#lesson-next').click();
    await frame.waitForFunction(() => document.body.dataset.lessonStep === '2');
    await frame.evaluate(() => window.explorerApp.settled());
    expect(await frame.locator('#expression').isVisible()).toBe(false); // the step hides the query
    await page.waitForFunction(() => window.progressEvents.length >= 1 && window.progressMessages.length >= 1);

    // The exercise, answered with the keyboard: the core says which option is closer; pick the other one first.
    const cosDog = core.similarity('cat', 'dog');
    const cosTiger = core.similarity('cat', 'tiger');
    const right = cosDog > cosTiger ? 'dog' : 'tiger';
    const wrong = right === 'dog' ? 'tiger' : 'dog';
    console.log(`cat: dog ${cosDog.toFixed(4)}, tiger ${cosTiger.toFixed(4)} (core); the right choice is ${right}`);
    for (const choice of [wrong, right]) {
      await frame.locator(`.lesson-choice input[value="${choice}"]`).focus();
      await page.keyboard.press('Space');
      await frame.locator('.lesson-exercise-check').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((answer) => window.progressEvents.some((d) => d.event === 'exercise' && d.answer === answer), choice);
    }
    await frame.locator('#lesson-next').click(); // Finish
    await page.waitForFunction(() => window.progressEvents.some((d) => d.event === 'lesson'));
    await page.waitForFunction(() => window.progressMessages.length === window.progressEvents.length);

    const events = await page.evaluate(() => window.progressEvents);
    // The events bubble out of the element to the document, through its shadow root.
    expect(await page.evaluate(() => window.progressEventsAtDocument)).toBe(events.length);
    const messages = await page.evaluate(() => window.progressMessages);
    const base = { type: 'embedding-explorer:progress', lesson: 'course-unit-3', title: LESSON.title, steps: 2 };
    expect(events.map((d) => [d.event, d.step, d.correct, d.answer])).toEqual([
      ['step', 1, null, undefined],
      ['exercise', 2, false, wrong],
      ['exercise', 2, true, right],
      ['step', 2, true, undefined],
      ['lesson', 2, true, undefined], // every exercise's last answer was right
    ]);
    for (const detail of events) expect(detail).toMatchObject(base);
    // The exercise's value is the chosen option's cosine, as the core computes it.
    expect(events[2].value).toBeCloseTo(right === 'dog' ? cosDog : cosTiger, 4);
    // The same messages as postMessages, from the explorer's origin.
    expect(messages.map((m) => m.data)).toEqual(events);
    expect(new Set(messages.map((m) => m.origin))).toEqual(new Set([explorer.origin]));
    // A progress message that does not come from the element's own frame (here, the course page itself) makes no event.
    expect(await page.evaluate(() => new Promise((resolve) => {
      document.addEventListener('embedding-explorer-progress', () => resolve('an event'), { once: true });
      window.postMessage({ type: 'embedding-explorer:progress', forged: true }, '*');
      setTimeout(() => resolve('none'), 500);
    }))).toBe('none');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a malformed inline lesson is named in the frame, and the widget still answers', async () => {
    const script = `<script src="${explorer.origin}${SUB_PATH}embedding-explorer.js"></script>`;
    course.addPage('/unit-3/broken-lesson.html', 'Unit 3: a broken lesson', `${script}
<embedding-explorer query="paris - france + italy" height="500"><script type="application/json">{"format": "embedding-explorer-lesson", "version": 1, "title": "Broken", "steps": [{"caption": "a", "view": {"k": "many"}}]}</script></embedding-explorer>`);
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${course.origin}/unit-3/broken-lesson.html`);
    await page.waitForFunction(() => document.querySelector('embedding-explorer').dataset.state === 'ready', null, { timeout: 90_000 });
    const frame = page.frames().find((f) => f.url().includes('/embed.html'));
    await frame.locator('#lesson-error').waitFor();
    expect(await frame.locator('#lesson-error').textContent()).toMatch(/^Lesson "inline", step 1, field "view.k": /);
    expect(await resultWords(frame.locator('body'))).toEqual(core.expression('paris - france + italy', { k: 10 }).results.map((r) => r.word));
    await page.close();
  });
});
