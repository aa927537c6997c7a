// Issue 10 §3 in the built page (Chromium, strict CSP): every step of the
// five built-in lessons, walked with Next as a learner would. Each step's
// live figures, the result list of a step that asks a query, and every
// exercise's reveal (answered wrong, then right) are checked against the
// wrapper's own output, computed here in Node on the same 50k table; the
// synthetic cone is regenerated from its recipe. The numbers each lesson
// shows are printed. Screenshots of a few steps, wide and narrow, go to
// tests/artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, buildNavigator, quantizeTable } from '../../wasm/js/explorer.js';
import { coneTable } from '../../web/src/compute/synthetic-cone.js';
import { BUILTIN_NAMES } from '../../web/src/lesson/builtin/index.js';
import { parsePairs } from '../../web/src/lesson/exercise-format.js';
import { parseLesson } from '../../web/src/lesson/format.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 390, height: 844 };
/** Steps photographed while walking (lesson → 1-based steps), and at the phone's width afterwards. */
const WIDE_SHOTS = { cosine: [1], analogies: [4], anisotropy: [4], 'word-groups': [2], memory: [5] };
const NARROW_SHOTS = [['analogies', 1], ['memory', 3]];

let server;
let browser;
let explorer;
let page;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);
const lessons = Object.fromEntries(
  BUILTIN_NAMES.map((name) => [name, parseLesson(readFileSync(join(repoRoot, 'web', 'src', 'lesson', 'builtin', `${name}.json`), 'utf8'), name)]),
);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
  page = await openPage(`${SUB_PATH}index.html`, { viewport: WIDE });
  await waitReady(page);
}, 120_000);

afterAll(async () => {
  explorer?.dispose();
  await browser?.close();
  await server?.close();
});

// ---- the wrapper's answers, in Node ------------------------------------------------

/** Runs `work` in `space`, then puts the raw space back. */
function inSpace(space, work) {
  explorer.setSpace(space ?? 'raw');
  try {
    return work();
  } finally {
    explorer.setSpace('raw');
  }
}

const missingOf = (words) => [...new Set(words.filter((word) => explorer.find(word) < 0))];
const cones = new Map();

/** The synthetic cone's mean pair cosine per space, from its recipe, in a core instance of its own. */
function coneFigures({ rows, dims, shared, seed }) {
  const key = JSON.stringify([rows, dims, shared, seed]);
  if (!cones.has(key)) {
    const table = coneTable({ rows, dims, shared, seed });
    const cone = new EmbeddingExplorer(explorer.module);
    try {
      cone.load(quantizeTable(explorer.module, { values: table.values, rows, dims, words: table.words, name: 'cone' }));
      const sample = Math.min(rows, 2000);
      cones.set(key, Object.fromEntries(['raw', 'centered', 'whitened'].map((space) => [space, cone.stats({ sample, seed: 1, space }).meanPairCosine])));
    } finally {
      cone.dispose();
    }
  }
  return cones.get(key);
}

/** A figure's value as the wrapper computes it: { value, missing } (value null when a word is missing). */
function expectedFigure(figure, stepSpace) {
  const space = figure.space ?? stepSpace ?? 'raw';
  switch (figure.kind) {
    case 'cosine': {
      const missing = missingOf(figure.words);
      return missing.length ? { value: null, missing } : { value: inSpace(space, () => explorer.similarity(...figure.words)), missing };
    }
    case 'norm': {
      if (explorer.find(figure.word) < 0) return { value: null, missing: [figure.word] };
      return { value: Math.hypot(...explorer.lookup(figure.word).vector), missing: [] };
    }
    case 'mean-pair-cosine':
      return { value: explorer.anisotropy(space, { sample: figure.sample }).stats.meanPairCosine, missing: [] };
    case 'rank': {
      const missing = missingOf([...figure.analogy, figure.word]);
      if (missing.length) return { value: null, missing };
      const [a, b, c] = figure.analogy;
      return { value: inSpace(space, () => explorer.rank(a, b, c, figure.word, { method: figure.method, includeInputs: figure.inputs }).rank), missing };
    }
    case 'offset-consistency': {
      const { pairs } = parsePairs(figure.pairs);
      const report = inSpace(space, () => explorer.offsetConsistency(pairs));
      return { value: report.pairs.reduce((sum, pair) => sum + pair.cosine, 0) / report.pairs.length, missing: [] };
    }
    case 'table-memory':
      return { value: explorer.info.memoryBytes / 1e6, missing: [] };
    case 'synthetic-cone':
      return { value: coneFigures(figure)[figure.space], missing: [] };
    case 'memory': {
      const bytes = figure.rows * figure.dims * figure.bytes * (figure.tied ? 1 : 2);
      const values = { MB: bytes / 1e6, MiB: bytes / 1048576, bytes, share: figure.totalParams ? (bytes / figure.bytes) / figure.totalParams : null };
      return { value: values[figure.unit], missing: [] };
    }
    case 'sqrt-scale':
      return { value: Math.sqrt(figure.dims), missing: [] };
    default:
      throw new Error(`no expectation for figure kind ${figure.kind}`);
  }
}

/** The step's query answered by the wrapper: the words in order, as the page lists them. */
function expectedResults(view) {
  const k = view.k ?? 10;
  return inSpace(view.space, () => {
    if (view.a) return explorer.analogy(view.a, view.b, view.c, { k, method: view.method ?? '3cosadd', includeInputs: Boolean(view.inputs) }).results.map((r) => r.word);
    if (view.word) return explorer.neighbors(view.word, { k }).results.map((r) => r.word);
    return null;
  });
}

// ---- the page --------------------------------------------------------------------------

/** Waits for step `n` to be shown with every figure computed; returns the figures as the page shows them. */
async function shownStep(n, figureCount) {
  await page.waitForFunction(
    ([step, count]) => {
      if (document.body.dataset.lessonStep !== String(step)) return false;
      const items = document.querySelectorAll('#lesson-figures .lesson-figure');
      return items.length === count && [...items].every((item) => item.dataset.state !== 'computing');
    },
    [n, figureCount],
    { timeout: 90_000 },
  );
  await page.evaluate(() => window.explorerApp.settled());
  return page.locator('#lesson-figures .lesson-figure').evaluateAll((items) =>
    items.map((item) => ({ kind: item.dataset.kind, state: item.dataset.state, value: item.dataset.value, missing: item.dataset.missing ?? '', text: item.textContent })),
  );
}

const exerciseRoot = () => page.locator('#lesson-exercise .lesson-exercise');

/** Submits the exercise form and waits for its verdict (data-state changes to correct, wrong or missing). */
async function submitExercise() {
  const root = exerciseRoot();
  await root.evaluate((node) => delete node.dataset.state);
  await root.locator('button[type="submit"]').click();
  await page.waitForFunction(() => ['correct', 'wrong', 'missing', 'error'].includes(document.querySelector('#lesson-exercise .lesson-exercise')?.dataset.state), null, { timeout: 60_000 });
  return { state: await root.getAttribute('data-state'), status: await root.locator('.lesson-exercise-status').textContent() };
}

async function typeAnswer(text, name) {
  await exerciseRoot().locator(`input.lesson-answer${name ? `-${name}` : ''}`).first().fill(text);
  return submitExercise();
}

const printed = {};
const note = (lesson, line) => (printed[lesson] ??= []).push(line);
const format = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(4));

/** Answers a step's exercise wrong, then right, checking each reveal against the wrapper. */
async function answerExercise(name, n, step) {
  const exercise = step.exercise;
  const where = `${name} step ${n}`;
  if (exercise.type === 'predict-word') {
    const expected = expectedResults(step.view);
    expect(await page.evaluate(() => document.body.classList.contains('lesson-hiding-results')), `${where}: results hidden before the guess`).toBe(true);
    const nearMiss = await typeAnswer(expected[1], 'guess');
    expect(nearMiss.state, where).toBe('wrong');
    expect(nearMiss.status).toContain('2nd');
    expect(await exerciseRoot().locator('.lesson-exercise-reveal').getAttribute('data-rank')).toBe('2');
    const right = await typeAnswer(expected[0], 'guess');
    expect(right.state, where).toBe('correct');
    expect(await page.evaluate(() => document.body.classList.contains('lesson-hiding-results'))).toBe(false);
    note(name, `step ${n} predict-word: first answer "${expected[0]}", near miss "${expected[1]}" (2nd)`);
    return;
  }
  if (exercise.type === 'predict-number') {
    const { value } = expectedFigure(exercise.quantity, step.view.space);
    const wrong = await typeAnswer(String(value + exercise.tolerance * 3), 'number');
    expect(wrong.state, where).toBe('wrong');
    const revealed = Number(await exerciseRoot().locator('.lesson-exercise-reveal').getAttribute('data-value'));
    expect(revealed).toBeCloseTo(value, 5);
    const right = await typeAnswer(value.toFixed(3), 'number');
    expect(right.state, where).toBe('correct');
    note(name, `step ${n} predict-number ${exercise.quantity.kind}: true value ${format(value)} (tolerance ${exercise.tolerance})`);
    return;
  }
  if (exercise.type === 'choose') {
    const cosines = exercise.options.map((option) => inSpace(exercise.space ?? step.view.space, () => explorer.similarity(exercise.target, option)));
    const best = exercise.options[cosines.indexOf(Math.max(...cosines))];
    const worst = exercise.options[cosines.indexOf(Math.min(...cosines))];
    await exerciseRoot().locator(`input[type="radio"][value="${worst}"]`).check();
    expect((await submitExercise()).state, where).toBe('wrong');
    const shown = await exerciseRoot().locator('.lesson-choice-cosines li').evaluateAll((items) => items.map((item) => [item.dataset.word, Number(item.dataset.cosine)]));
    shown.forEach(([word, cosine], i) => {
      expect(word).toBe(exercise.options[i]);
      expect(cosine).toBeCloseTo(cosines[i], 5);
    });
    await exerciseRoot().locator(`input[type="radio"][value="${best}"]`).check();
    expect((await submitExercise()).state, where).toBe('correct');
    note(name, `step ${n} choose, closer to ${exercise.target}: ${exercise.options.map((o, i) => `${o} ${format(cosines[i])}`).join(', ')}`);
    return;
  }
  await answerChallenge(name, n, step);
}

/** The challenges: a wrong answer and a right one, each found with the wrapper. */
async function answerChallenge(name, n, step) {
  const { exercise } = step;
  const where = `${name} step ${n} (${exercise.check})`;
  if (exercise.check === 'methods-disagree') {
    const firstOf = (triple, method) => explorer.analogy(...triple, { k: 1, method }).results[0].word;
    const agree = ['man', 'king', 'woman'];
    expect(firstOf(agree, '3cosadd')).toBe(firstOf(agree, '3cosmul'));
    // The methods seldom disagree: look through the shipped analogy questions for one that does.
    const questions = readFileSync(join(repoRoot, 'data', 'analogies-builtin.txt'), 'utf8').split('\n').filter((line) => line.trim() && !line.startsWith(':'));
    const disagree = questions
      .map((line) => line.trim().split(/\s+/).slice(0, 3))
      .find((triple) => triple.every((word) => explorer.find(word) >= 0) && firstOf(triple, '3cosadd') !== firstOf(triple, '3cosmul'));
    expect(disagree, 'an analogy on which the methods disagree').toBeDefined();
    expect((await typeChallenge(agree.join(' '))).state, where).toBe('wrong');
    expect((await typeChallenge(disagree.join(' '))).state, where).toBe('correct');
    note(name, `step ${n} methods-disagree: ${agree.join(' ')} agree (${firstOf(agree, '3cosadd')}); ${disagree.join(' ')}: 3CosAdd ${firstOf(disagree, '3cosadd')}, 3CosMul ${firstOf(disagree, '3cosmul')}`);
    return;
  }
  if (exercise.check === 'neighbour-changes') {
    const nearest = (word, space) => inSpace(space, () => explorer.neighbors(word, { k: 1 }).results[0].word);
    const candidates = ['dog', 'cat', 'king', 'paris', 'water', 'house', 'music', 'car', 'queen', 'good', 'city', 'france'];
    const stays = candidates.find((word) => nearest(word, 'raw') === nearest(word, exercise.space));
    const moves = candidates.find((word) => nearest(word, 'raw') !== nearest(word, exercise.space));
    expect(stays && moves, 'a word that keeps its nearest neighbour and one that does not').toBeTruthy();
    expect((await typeChallenge(stays)).state, where).toBe('wrong');
    expect((await typeChallenge(moves)).state, where).toBe('correct');
    note(name, `step ${n} neighbour-changes: ${stays} keeps ${nearest(stays, 'raw')}; ${moves}: raw ${nearest(moves, 'raw')}, ${exercise.space} ${nearest(moves, exercise.space)}`);
    return;
  }
  if (exercise.check === 'reach') {
    await answerReach(name, n, exercise);
    return;
  }
  throw new Error(`${where}: no walk for this challenge`);
}

/** Types the challenge's words, one per field (a b c, or one word), and checks. */
async function typeChallenge(text) {
  const fields = exerciseRoot().locator('input.lesson-answer');
  const words = text.split(' ');
  expect(await fields.count()).toBe(words.length);
  for (let i = 0; i < words.length; i++) await fields.nth(i).fill(words[i]);
  return submitExercise();
}

/** Waits for the navigator game to be at `word` with its neighbour buttons drawn; returns their words. */
async function reachAt(word) {
  await page.waitForFunction(
    (at) => document.querySelector('#lesson-exercise .lesson-reach-where')?.textContent.includes(`"${at}"`) && document.querySelectorAll('#lesson-exercise .lesson-reach-hop').length > 0,
    word,
    { timeout: 60_000 },
  );
  return exerciseRoot().locator('.lesson-reach-hop').evaluateAll((buttons) => buttons.map((b) => b.dataset.word));
}

/**
 * The navigator game, by its buttons: first 5 hops that never take the
 * target (wrong), then "Start again" and the wrapper's shortest path
 * (right). The page's neighbour lists and best path are the wrapper's.
 */
async function answerReach(name, n, exercise) {
  const navigator = await buildNavigator(explorer, { words: 10000, k: 10, space: exercise.space });
  try {
    const best = navigator.path(exercise.from, exercise.to);
    expect(best.hops).toBeGreaterThan(0);
    expect(best.hops).toBeLessThanOrEqual(exercise.hops);
    expect(await reachAt(exercise.from)).toEqual(navigator.neighbors(exercise.from, exercise.to).map((neighbour) => neighbour.word));
    // Wrong: always the farthest of the ten that is not the target.
    let at = exercise.from;
    const wandered = [at];
    for (let hop = 0; hop < exercise.hops; hop++) {
      const options = (await reachAt(at)).filter((word) => word !== exercise.to);
      at = options.at(-1);
      wandered.push(at);
      if (hop === exercise.hops - 1) await exerciseRoot().evaluate((node) => delete node.dataset.state);
      await exerciseRoot().locator(`.lesson-reach-hop[data-word="${at}"]`).click();
    }
    await page.waitForFunction(() => ['correct', 'wrong'].includes(document.querySelector('#lesson-exercise .lesson-exercise')?.dataset.state));
    expect(await exerciseRoot().getAttribute('data-state'), `${name} step ${n}: ${wandered.join(' → ')}`).toBe('wrong');
    expect(await exerciseRoot().locator('.lesson-exercise-status').textContent()).toContain(`the shortest path takes ${best.hops} hop`);
    // Right: the shortest path, hop by hop.
    await exerciseRoot().locator('button[type="submit"]').click();
    for (let i = 1; i < best.words.length; i++) {
      await reachAt(best.words[i - 1]);
      await exerciseRoot().locator(`.lesson-reach-hop[data-word="${best.words[i]}"]`).click();
    }
    await page.waitForFunction(() => document.querySelector('#lesson-exercise .lesson-exercise')?.dataset.state === 'correct', null, { timeout: 30_000 });
    note(name, `step ${n} reach ${exercise.from} → ${exercise.to}: shortest ${best.words.join(' → ')} (${best.hops} hops); wandering ${wandered.join(' → ')} fails`);
  } finally {
    navigator.dispose();
  }
}

/** Walks one lesson from its link: every step, its figures, its results and its exercise; Next to the end. */
async function walkLesson(name) {
  const lesson = lessons[name];
  await page.goto(`${server.origin}${SUB_PATH}index.html?lesson=${name}`);
  await waitReady(page);
  await page.locator('#lesson-bar').waitFor({ state: 'visible' });
  expect(await page.locator('#lesson-title').textContent()).toBe(lesson.title);
  for (let i = 0; i < lesson.steps.length; i++) {
    const n = i + 1;
    const step = lesson.steps[i];
    const figures = await shownStep(n, step.figures?.length ?? 0);
    expect(await page.locator('#lesson-step-indicator').textContent()).toBe(`Step ${n} of ${lesson.steps.length}`);
    expect(new URL(page.url()).searchParams.get('step')).toBe(String(n));
    expect((await page.locator('#lesson-caption').textContent()).length).toBeGreaterThan(20);
    for (const panel of step.panels ?? []) expect(await page.locator(`#${panel}-panel`).getAttribute('open'), `${name} step ${n}: panel ${panel}`).not.toBeNull();
    // The view is the step's: its query's answers are the wrapper's (unless an exercise hides them until the guess).
    const expected = expectedResults(step.view);
    if (expected && step.exercise?.type !== 'predict-word') expect(await resultWords(page), `${name} step ${n}: results`).toEqual(expected);
    // Words of the step's list the table lacks are named by the page itself.
    const lacking = (step.view.words ?? '').split(',').filter((word) => word && explorer.find(word) < 0);
    if (lacking.length) {
      await page.waitForFunction(() => /Not in this table/.test(document.getElementById('message').textContent));
      const message = await page.locator('#message').textContent();
      for (const word of lacking) expect(message, `${name} step ${n}: the page's note`).toContain(word);
      note(name, `step ${n} the page's note: ${message.trim()}`);
    }
    step.figures?.forEach((figure, j) => {
      const { value, missing } = expectedFigure(figure, step.view.space);
      const shown = figures[j];
      expect(shown.kind).toBe(figure.kind);
      if (value === null) {
        expect(shown.state, `${name} step ${n} figure ${j + 1}`).toBe('missing');
        expect(shown.missing.split(',')).toEqual(missing);
        expect(shown.text).toContain('not in this table');
      } else {
        expect(shown.state, `${name} step ${n} figure ${j + 1}: ${shown.text}`).toBe('done');
        const digits = ['rank', 'memory', 'sqrt-scale', 'table-memory'].includes(figure.kind) ? 9 : 5;
        expect(Number(shown.value), `${name} step ${n} figure ${j + 1} (${figure.label})`).toBeCloseTo(value, digits);
      }
      note(name, `step ${n} ${figure.label ?? figure.kind}: ${value === null ? `not in this table (${missing.join(', ')})` : format(value)} | page: ${shown.text.replace(/\s+/g, ' ').slice(0, 160)}`);
    });
    const withTotal = step.figures?.findIndex((figure) => figure.totalParams) ?? -1;
    if (withTotal >= 0) {
      // The learner types another model's total: the share follows it; a bad total is named and the figure kept.
      const item = page.locator('#lesson-figures .lesson-figure').nth(withTotal);
      const figure = step.figures[withTotal];
      const typed = 7_000_000_000;
      await item.locator('input.lesson-total-params').fill(String(typed));
      await item.locator('input.lesson-total-params').dispatchEvent('change');
      const params = figure.rows * figure.dims * (figure.tied ? 1 : 2);
      await page.waitForFunction(([i, want]) => Math.abs(Number(document.querySelectorAll('#lesson-figures .lesson-figure')[i].dataset.value) - want) < 1e-12, [withTotal, params / typed]);
      await item.locator('input.lesson-total-params').fill('-5');
      await item.locator('input.lesson-total-params').dispatchEvent('change');
      await expect.poll(() => item.textContent()).toContain('is not a number of parameters');
      expect(Number(await item.getAttribute('data-value'))).toBeCloseTo(params / typed, 12);
      note(name, `step ${n} total parameters typed ${typed.toLocaleString('en')}: share ${(params / typed).toFixed(4)}`);
    }
    if (/What this view keeps/.test(step.caption)) {
      // The card the caption points to has its neighbour figures for this layout.
      await page.waitForFunction(() => /\d/.test(document.getElementById('faithfulness-neighbours').textContent), null, { timeout: 60_000 });
      note(name, `step ${n} What this view keeps: ${(await page.locator('#faithfulness-neighbours').textContent()).trim()}`);
    }
    if (step.exercise) await answerExercise(name, n, step);
    if (WIDE_SHOTS[name]?.includes(n)) await page.screenshot({ path: join(artifacts, `lesson-${name}-step${n}-1440.png`), fullPage: false });
    await page.locator('#lesson-next').click();
  }
  // Finish on the last step completes the lesson.
  await page.waitForFunction(() => document.getElementById('lesson-next').disabled, null, { timeout: 10_000 });
}

describe('the built-in lessons, walked through the page', () => {
  for (const name of BUILTIN_NAMES) {
    it(`walks "${name}" step by step, every figure and reveal as the wrapper computes it`, async () => {
      await walkLesson(name);
      console.log(`lesson ${name}:\n  ${printed[name].join('\n  ')}`);
    }, 300_000);
  }

  it('reads well at a phone\'s width (screenshots), and the page logged no errors', async () => {
    const narrow = await openPage(`${SUB_PATH}index.html`, { viewport: NARROW });
    for (const [name, step] of NARROW_SHOTS) {
      await narrow.goto(`${server.origin}${SUB_PATH}index.html?lesson=${name}&step=${step}`);
      await waitReady(narrow);
      await narrow.waitForFunction((n) => document.body.dataset.lessonStep === String(n), step);
      await narrow.waitForFunction(() => ![...document.querySelectorAll('#lesson-figures .lesson-figure')].some((item) => item.dataset.state === 'computing'));
      expect(await narrow.locator('#lesson-step-indicator').textContent()).toBe(`Step ${step} of ${lessons[name].steps.length}`);
      // The lesson bar fits the phone's width: no sideways scrolling.
      expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
      await narrow.locator('#lesson-bar').screenshot({ path: join(artifacts, `lesson-${name}-step${step}-390.png`) });
    }
    // The embed plays a lesson too, in its side column.
    await narrow.goto(`${server.origin}${SUB_PATH}embed.html?lesson=memory&step=5`);
    await narrow.waitForFunction(() => document.body.dataset.lessonStep === '5' && document.querySelectorAll('#lesson-figures .lesson-figure[data-state="done"]').length === 2, null, { timeout: 60_000 });
    const shares = await narrow.locator('#lesson-figures .lesson-figure').evaluateAll((items) => items.map((item) => Number(item.dataset.value)));
    const memoryStep = lessons.memory.steps[4];
    shares.forEach((share, i) => expect(share).toBeCloseTo(expectedFigure(memoryStep.figures[i]).value, 9));
    await narrow.screenshot({ path: join(artifacts, 'lesson-memory-step5-embed-390.png') });
    await narrow.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
