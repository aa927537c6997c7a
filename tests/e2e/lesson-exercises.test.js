// Issue 10 §2 in the built page (Chromium, strict CSP): a lesson whose
// steps hold every exercise type and every figure kind, played through the
// lesson player (?lesson=<same-origin JSON>). Each exercise is answered
// wrong and right with the keyboard and clicks, and every reveal is checked
// against the wrapper's own output computed here in Node on the same table.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, buildNavigator, quantizeTable } from '../../wasm/js/explorer.js';
import { coneTable } from '../../web/src/compute/synthetic-cone.js';
import { ordinal } from '../../web/src/lesson/figures.js';
import { defaultTable } from '../js/paths.js';
import { launchBrowser, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const CONE = { rows: 1000, dims: 40, shared: 3, seed: 7 };
const LESSON = {
  format: 'embedding-explorer-lesson',
  version: 1,
  id: 'exercise-test-lesson',
  title: 'Every exercise',
  steps: [
    { caption: 'Predict the analogy.', view: { a: 'man', b: 'king', c: 'woman', k: 10 }, exercise: { type: 'predict-word', prompt: 'What is *first*?' } },
    { caption: 'Guess a cosine.', view: { q: 'dog' }, exercise: { type: 'predict-number', prompt: 'cosine of dog and puppy?', quantity: { kind: 'cosine', words: ['dog', 'puppy'] }, tolerance: 0.05 } },
    { caption: 'Choose.', view: { q: 'cat' }, exercise: { type: 'choose', prompt: 'Which is closer to cat?', target: 'cat', options: ['tiger', 'dog'] } },
    { caption: 'Disagree.', view: { q: 'paris' }, exercise: { type: 'challenge', check: 'methods-disagree', prompt: 'Find an analogy where the methods disagree.' } },
    { caption: 'Whitening.', view: { q: 'the' }, exercise: { type: 'challenge', check: 'neighbour-changes', space: 'whitened', prompt: 'Find a word whose nearest neighbour changes.' } },
    { caption: 'Reach.', view: { word: 'son' }, exercise: { type: 'challenge', check: 'reach', from: 'son', to: 'aunt', hops: 3, prompt: 'Reach *aunt* from *son*.' } },
    {
      caption: 'Figures.',
      view: { q: 'king' },
      figures: [
        { kind: 'cosine', words: ['paris', 'protein'], space: 'centered' },
        { kind: 'norm', word: 'the' },
        { kind: 'mean-pair-cosine', space: 'raw', sample: 300 },
        { kind: 'rank', word: 'running', analogy: ['swim', 'swimming', 'run'], method: '3cosmul' },
        { kind: 'offset-consistency', pairs: 'man:woman, king:queen, boy:girl' },
        { kind: 'table-memory' },
        { kind: 'synthetic-cone', ...CONE, space: 'raw' },
        { kind: 'memory', rows: 32000, dims: 4096, bytes: 2, totalParams: 6738415616 },
        { kind: 'sqrt-scale', dims: 4096 },
        { kind: 'cosine', words: ['docker', 'kubernetes'], label: 'cosine of two tools' },
      ],
      exercise: { type: 'predict-number', prompt: 'How many MiB?', quantity: { kind: 'memory', rows: 32000, dims: 4096, bytes: 2, unit: 'MiB' }, tolerance: 1 },
    },
  ],
};

let server;
let browser;
let page;
let core;
const problems = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route(`${server.origin}${SUB_PATH}lessons/exercises.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(LESSON) }));
  core = await EmbeddingExplorer.create();
  core.load(readFileSync(defaultTable));
  page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${server.origin}${SUB_PATH}index.html?lesson=lessons/exercises.json`);
  await waitReady(page);
}, 120_000);

afterAll(async () => {
  core?.dispose();
  await browser?.close();
  await server?.close();
});

const status = () => page.locator('.lesson-exercise-status').textContent();
const state = () => page.locator('.lesson-exercise').getAttribute('data-state');
const results = () => page.evaluate(() => JSON.parse(localStorage.getItem('embedding-explorer:lesson:exercise-test-lesson') ?? '{}'));

async function atStep(n) {
  await page.waitForFunction((step) => document.body.dataset.lessonStep === String(step) && document.querySelector('.lesson-exercise, .lesson-figure'), n, { timeout: 60_000 });
  await page.evaluate(() => window.explorerApp.settled());
}
/** Types into the field and presses Enter (the keyboard alone), then waits for the reveal. */
async function answer(selector, text) {
  const before = await status();
  await page.locator(selector).fill(text);
  await page.locator(selector).press('Enter');
  await page.waitForFunction((old) => {
    const now = document.querySelector('.lesson-exercise-status')?.textContent;
    return now && now !== old && !document.querySelector('.lesson-exercise-check')?.disabled;
  }, before);
  return status();
}
const next = async (n) => {
  await page.locator('#lesson-next').click();
  await atStep(n);
};

describe('every exercise, answered wrong and right', () => {
  it('predict-word hides the results until the guess, then ranks it as the core does', async () => {
    await atStep(1);
    expect(await page.evaluate(() => document.body.classList.contains('lesson-hiding-results'))).toBe(true);
    expect(await page.locator('#results').isVisible()).toBe(false);
    const answers = core.analogy('man', 'king', 'woman', { k: 1000 }).results;
    const at = (word) => answers.findIndex((r) => r.word === word);

    const near = answers[3];
    expect(await answer('.lesson-answer-guess', near.word)).toBe(`Your word is ${ordinal(4)} (cosine ${near.score.toFixed(3)}). The first answer is "${answers[0].word}" (cosine ${answers[0].score.toFixed(3)}).`);
    expect(await state()).toBe('wrong');
    // Revealed: the list is back, and it is the core's.
    expect(await page.locator('#results').isVisible()).toBe(true);
    expect(await resultWords(page)).toEqual(answers.slice(0, 10).map((r) => r.word));

    expect(at('banana')).toBe(-1);
    expect(await answer('.lesson-answer-guess', 'banana')).toContain('"banana" is not in the top 1,000.');
    expect(await answer('.lesson-answer-guess', 'zzqxnotaword')).toContain('"zzqxnotaword" is not in this table.');
    expect(await answer('.lesson-answer-guess', 'Queen')).toBe(`Right: "queen" is the first answer (cosine ${answers[0].score.toFixed(3)}).`);
    expect(await state()).toBe('correct');
    expect((await results()).done?.[0]).toMatchObject({ correct: true, answer: 'Queen' });
  });

  it('predict-number reveals the live cosine and how far off the guess was', async () => {
    await next(2);
    expect(await page.evaluate(() => document.body.classList.contains('lesson-hiding-results'))).toBe(false);
    const truth = core.similarity('dog', 'puppy');
    expect(await answer('.lesson-answer-number', 'lots')).toBe('"lots" is not a number: type one such as 0.5 or −0.25.');
    const wrong = await answer('.lesson-answer-number', '−0.2');
    expect(wrong).toContain(`cosine(dog, puppy) is ${truth.toFixed(3)}`);
    expect(wrong).toContain(`your estimate −0.2 is off by ${Math.abs(-0.2 - truth).toFixed(3)}`);
    expect(wrong.startsWith('Not within 0.05.')).toBe(true);
    const right = await answer('.lesson-answer-number', truth.toFixed(2));
    expect(right.startsWith('Close enough (within 0.05).')).toBe(true);
    expect(Number(await page.locator('.lesson-exercise-reveal').getAttribute('data-value'))).toBeCloseTo(truth, 5);
  });

  it('choose: the option with the higher cosine to the target, from the core', async () => {
    await next(3);
    const cosines = { tiger: core.similarity('cat', 'tiger'), dog: core.similarity('cat', 'dog') };
    const best = cosines.dog > cosines.tiger ? 'dog' : 'tiger';
    const worse = best === 'dog' ? 'tiger' : 'dog';
    await page.locator('.lesson-exercise-check').press('Enter');
    await page.waitForFunction(() => document.querySelector('.lesson-exercise-status')?.textContent === 'Choose one of the words first.');
    await page.getByLabel(worse, { exact: true }).check();
    await page.locator('.lesson-exercise-check').click();
    await page.waitForFunction(() => document.querySelector('.lesson-exercise')?.dataset.state === 'wrong');
    expect(await status()).toBe(`Not this time: "${best}" is closer to "cat" in the raw space (cosines: tiger ${cosines.tiger.toFixed(3)}, dog ${cosines.dog.toFixed(3)}).`);
    await page.getByLabel(best, { exact: true }).check();
    await page.locator('.lesson-exercise-check').click();
    await page.waitForFunction(() => document.querySelector('.lesson-exercise')?.dataset.state === 'correct');
  });

  it('methods-disagree: both methods\' first answers, from the core', async () => {
    await next(4);
    const fill = async ([a, b, c]) => {
      await page.locator('.lesson-answer-a').fill(a);
      await page.locator('.lesson-answer-b').fill(b);
      return answer('.lesson-answer-c', c);
    };
    const agree = core.analogy('man', 'king', 'woman', { k: 1, compare: true });
    expect(agree.results[0].word).toBe(agree.other.results[0].word);
    expect(await fill(['man', 'king', 'woman'])).toBe(`They agree: 3CosAdd answers "${agree.results[0].word}", 3CosMul answers "${agree.other.results[0].word}". Try another analogy.`);
    const differ = core.analogy('canberra', 'australia', 'athens', { k: 1, compare: true });
    expect(differ.results[0].word).not.toBe(differ.other.results[0].word);
    expect(await fill(['canberra', 'australia', 'athens'])).toBe(`Found one: 3CosAdd answers "${differ.results[0].word}", 3CosMul answers "${differ.other.results[0].word}".`);
    expect(await state()).toBe('correct');
    expect(await fill(['canberra', 'australia', 'zzqxnotaword'])).toContain('zzqxnotaword');
    expect(await state()).toBe('missing');
  });

  it('neighbour-changes: the nearest neighbour in raw and whitened, from the core', async () => {
    await next(5);
    const nearest = (word, space) => {
      core.setSpace(space);
      const [top] = core.neighbors(word, { k: 1 }).results;
      core.setSpace('raw');
      return top.word;
    };
    expect(nearest('monday', 'raw')).toBe(nearest('monday', 'whitened'));
    expect(await answer('.lesson-answer-word', 'monday')).toContain(`Not this one: the nearest neighbour of "monday" is "${nearest('monday', 'raw')}"`);
    const changed = await answer('.lesson-answer-word', 'the');
    expect(changed).toContain(`"${nearest('the', 'raw')}"`);
    expect(changed).toContain(`"${nearest('the', 'whitened')}" `);
    expect(changed.startsWith('Found one:')).toBe(true);
  });

  it('reach: the navigator game inside the step, checked against the best path', async () => {
    await next(6);
    await page.waitForFunction(() => document.querySelector('.lesson-exercise')?.dataset.state === 'playing', null, { timeout: 60_000 });
    const navigator = await buildNavigator(core, { words: 10000, k: 10, space: 'raw' });
    const best = navigator.path('son', 'aunt');
    navigator.dispose();
    // Wrong: always the nearest neighbour that is not the target, until the 3 hops are spent.
    for (let hop = 0; hop < 3; hop++) {
      const button = page.locator('.lesson-reach-hop:not([data-word="aunt"])').first();
      await button.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => document.querySelector('.lesson-exercise')?.dataset.hops === String(n), hop + 1);
    }
    expect(await state()).toBe('wrong');
    expect(await status()).toContain(`3 hops used and "aunt" not reached; the shortest path takes ${best.hops} hops: ${best.words.join(' → ')}`);
    // Right: start again and follow the best path.
    await page.locator('.lesson-exercise-check').click();
    await page.waitForFunction(() => document.querySelector('.lesson-exercise')?.dataset.state === 'playing');
    for (const word of best.words.slice(1)) await page.locator(`.lesson-reach-hop[data-word="${word}"]`).click();
    await page.waitForFunction(() => document.querySelector('.lesson-exercise')?.dataset.state === 'correct');
    expect(await status()).toBe(`You reached "aunt" in ${best.hops} hops (at most 3 allowed); the shortest path takes ${best.hops} hops: ${best.words.join(' → ')}.`);
  }, 120_000);

  it('figures: every kind computed live, a missing word named, the total-parameter field editable', async () => {
    await next(7);
    await page.waitForFunction(() => [...document.querySelectorAll('.lesson-figure')].every((f) => f.dataset.state !== 'computing'), null, { timeout: 60_000 });
    const figures = await page.locator('.lesson-figure').evaluateAll((items) => items.map((f) => ({ kind: f.dataset.kind, state: f.dataset.state, value: f.dataset.value, text: f.textContent })));
    const value = (i) => Number(figures[i].value);
    core.setSpace('centered');
    expect(value(0)).toBeCloseTo(core.similarity('paris', 'protein'), 5);
    core.setSpace('raw');
    expect(value(1)).toBeCloseTo(Math.hypot(...core.lookup('the').vector), 4);
    expect(value(2)).toBeCloseTo(core.stats({ sample: 300, space: 'raw' }).meanPairCosine, 6);
    expect(value(3)).toBe(core.rank('swim', 'swimming', 'run', 'running', { method: '3cosmul' }).rank);
    expect(value(4)).toBeCloseTo(core.offsetConsistency([['man', 'woman'], ['king', 'queen'], ['boy', 'girl']]).pairs.reduce((s, p) => s + p.cosine, 0) / 3, 6);
    expect(value(5)).toBe(core.info.memoryBytes / 1e6);
    // The cone, built here the same way in a core of its own.
    const cone = new EmbeddingExplorer(core.module);
    const table = coneTable(CONE);
    cone.load(quantizeTable(core.module, { values: table.values, rows: CONE.rows, dims: CONE.dims, words: table.words }));
    expect(value(6)).toBeCloseTo(cone.stats({ sample: CONE.rows, seed: 1, space: 'raw' }).meanPairCosine, 6);
    cone.dispose();
    expect(figures[6].text).toContain('synthetic table, not this one');
    expect(value(7)).toBe(262.144);
    expect(figures[7].text).toContain('262.1 MB = 250.0 MiB, 1.95% of 6,738,415,616 parameters');
    expect(value(8)).toBe(64);
    expect(figures[9]).toMatchObject({ state: 'missing', text: expect.stringContaining('not in this table: docker, kubernetes') });
    console.log(figures.map((f) => `${f.kind}: ${f.text}`).join('\n'));

    await page.locator('.lesson-total-params').fill('13015864320');
    await page.locator('.lesson-total-params').press('Enter');
    await page.locator('.lesson-total-params').dispatchEvent('change');
    await page.waitForFunction(() => document.querySelector('.lesson-figure[data-kind="memory"]')?.textContent.includes('13,015,864,320'));
    expect(await page.locator('.lesson-figure[data-kind="memory"]').textContent()).toContain(`${((32000 * 4096 * 100) / 13015864320).toFixed(2)}% of 13,015,864,320 parameters`);

    expect(await answer('.lesson-answer-number', '262')).toContain('Not within 1. embedding table memory is 262.1 MB = 250.0 MiB');
    expect(await answer('.lesson-answer-number', '250')).toContain('Close enough (within 1).');
    expect(problems).toEqual([]);
  }, 120_000);
});
