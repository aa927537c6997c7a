// The five built-in lessons (issue 10 §3): each is a valid lesson, loads by
// its name through the registry, covers what its section of the course
// text needs, and names only words the 50k GloVe table has, except those a
// step deliberately shows as missing, which its caption names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { parsePairs } from '../../web/src/lesson/exercise-format.js';
import { parseLesson } from '../../web/src/lesson/format.js';
import { BUILTIN_LESSONS, BUILTIN_NAMES } from '../../web/src/lesson/builtin/index.js';
import { WORD_GROUPS } from '../../web/src/ui/presets.js';
import { defaultTable, repoRoot } from './paths.js';

/** Words a lesson shows on purpose as absent from GloVe 6B (the course text's tech words). */
const DELIBERATELY_MISSING = ['kubernetes', 'docker', 'tensorflow'];
const builtinDir = join(repoRoot, 'web', 'src', 'lesson', 'builtin');
const readLesson = (name) => JSON.parse(readFileSync(join(builtinDir, `${name}.json`), 'utf8'));

/** Every word a step names for the core: its view, marks, figures and exercise. */
export function wordsOfStep(step) {
  const words = [];
  const { view = {} } = step;
  for (const key of ['a', 'b', 'c', 'word', 'sel', 'expected']) if (view[key]) words.push(view[key]);
  if (view.q) words.push(...view.q.split(/[\s+\-*/()]+/).filter((token) => token && !/^[\d.]+$/.test(token)));
  if (view.words) words.push(...view.words.split(','));
  if (view.group) for (const group of WORD_GROUPS) if (view.group === 'all' || view.group === group.name) words.push(...group.words);
  words.push(...(step.highlight ?? []));
  const figures = [...(step.figures ?? []), ...(step.exercise?.quantity ? [step.exercise.quantity] : [])];
  for (const figure of figures) {
    if (figure.words) words.push(...figure.words);
    if (figure.word) words.push(figure.word);
    if (figure.analogy) words.push(...figure.analogy);
    if (figure.pairs) words.push(...parsePairs(figure.pairs).pairs.flat());
  }
  const exercise = step.exercise ?? {};
  for (const key of ['target', 'from', 'to']) if (exercise[key]) words.push(exercise[key]);
  words.push(...(exercise.options ?? []));
  return words.map((word) => word.trim().toLowerCase());
}

let explorer;
beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

describe('the built-in lessons', () => {
  it('are the five sections of the course text, each loaded by name as its own file', async () => {
    expect(BUILTIN_NAMES).toEqual(['cosine', 'analogies', 'anisotropy', 'word-groups', 'memory']);
    for (const name of BUILTIN_NAMES) {
      const loaded = await BUILTIN_LESSONS[name]();
      expect(loaded).toEqual(readLesson(name));
      expect(loaded.id).toBe(name); // progress is stored under the name a link uses
    }
  });

  for (const name of ['cosine', 'analogies', 'anisotropy', 'word-groups', 'memory']) {
    it(`"${name}" passes parseLesson and names only words the table has, or says which it lacks`, () => {
      const lesson = parseLesson(readLesson(name), `${name}.json`);
      expect(lesson.steps.length).toBeGreaterThanOrEqual(4);
      lesson.steps.forEach((step, index) => {
        const missing = [...new Set(wordsOfStep(step))].filter((word) => explorer.find(word) < 0);
        const unexplained = missing.filter((word) => !DELIBERATELY_MISSING.includes(word) || !step.caption.includes(word));
        expect(unexplained, `${name} step ${index + 1}: words not in the 50k table`).toEqual([]);
      });
    });
  }

  it('name the course text\'s missing tech words, and they really are missing', () => {
    const lesson = parseLesson(readLesson('word-groups'), 'word-groups.json');
    const step = lesson.steps.find((s) => DELIBERATELY_MISSING.every((word) => s.caption.includes(word)));
    expect(step).toBeDefined();
    for (const word of DELIBERATELY_MISSING) {
      expect(explorer.find(word)).toBe(-1);
      expect(wordsOfStep(step)).toContain(word); // asked of the page, which names it as missing
    }
    // The four groups of the text are drawn, every word of them in the table.
    for (const group of WORD_GROUPS.filter((g) => ['capitals', 'animals', 'tech', 'verbs'].includes(g.name))) {
      expect(group.words.filter((word) => explorer.find(word) < 0), group.name).toEqual([]);
    }
  });

  it('hold what each section of the issue asks for', () => {
    const kinds = (name) => {
      const lesson = parseLesson(readLesson(name), name);
      const figures = lesson.steps.flatMap((step) => [...(step.figures ?? []), ...(step.exercise?.quantity ? [step.exercise.quantity] : [])]);
      const exercises = lesson.steps.map((step) => step.exercise).filter(Boolean).map((e) => (e.type === 'challenge' ? `challenge:${e.check}` : e.type));
      return { lesson, figures, exercises, figureKinds: new Set(figures.map((f) => f.kind)) };
    };
    const cosine = kinds('cosine');
    expect([...cosine.figureKinds].sort()).toEqual(['cosine', 'norm']);
    expect(cosine.exercises).toEqual(expect.arrayContaining(['predict-number', 'choose', 'challenge:reach']));
    const pairs = cosine.figures.filter((f) => f.kind === 'cosine').map((f) => f.words.join(' '));
    expect(pairs).toEqual(expect.arrayContaining(['dog puppy', 'paris protein']));

    const analogies = kinds('analogies');
    expect(analogies.exercises).toEqual(expect.arrayContaining(['predict-word', 'challenge:methods-disagree']));
    expect(analogies.figureKinds).toEqual(new Set(['rank', 'offset-consistency']));
    const runningRanks = analogies.figures.filter((f) => f.kind === 'rank' && f.word === 'running').map((f) => `${f.method} ${f.space}`);
    expect(runningRanks).toEqual(expect.arrayContaining(['3cosadd raw', '3cosmul raw', '3cosadd centered', '3cosadd whitened']));
    expect(analogies.lesson.steps.some((step) => step.view.inputs === true)).toBe(true);

    const anisotropy = kinds('anisotropy');
    expect(anisotropy.exercises).toEqual(expect.arrayContaining(['predict-number', 'challenge:neighbour-changes']));
    const cones = anisotropy.figures.filter((f) => f.kind === 'synthetic-cone');
    expect(cones.map((f) => f.space)).toEqual(expect.arrayContaining(['raw', 'whitened']));
    for (const cone of cones) expect(cone.label).toMatch(/synthetic/);
    expect(anisotropy.lesson.steps.some((step) => step.caption.includes('0.99') && /text/.test(step.caption))).toBe(true);
    expect(anisotropy.lesson.steps.some((step) => step.panels?.includes('load'))).toBe(true);
    expect(anisotropy.lesson.steps.some((step) => step.view.space === 'whitened')).toBe(true);

    const groups = kinds('word-groups');
    const projections = new Set(groups.lesson.steps.map((step) => step.view.proj));
    expect(projections.has('tsne') && projections.has('umap')).toBe(true);

    const memory = kinds('memory');
    expect(memory.figureKinds).toEqual(new Set(['table-memory', 'memory', 'sqrt-scale']));
    // A memory figure shows MB and MiB side by side, whatever its unit.
    const llama = memory.figures.filter((f) => f.kind === 'memory').map((f) => `${f.rows}x${f.dims}`);
    expect(llama).toEqual(expect.arrayContaining(['32000x4096', '128256x4096']));
    const shares = memory.figures.filter((f) => f.totalParams);
    expect(shares.map((f) => f.totalParams).sort()).toEqual([6738415616, 8030261248]);
    expect(new Set(memory.figures.filter((f) => f.kind === 'memory' && f.rows === 32000).map((f) => f.tied))).toEqual(new Set([true, false]));
  });
});
