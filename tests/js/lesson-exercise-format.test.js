// The exercises and figures a lesson step may hold (web/src/lesson/exercise-format.js):
// every kind is accepted as the docs write it, with its defaults filled in, and every
// mistake is refused with a message that starts with where it is and names the field.
import { describe, expect, it } from 'vitest';
import { CHALLENGE_CHECKS, EXERCISE_TYPES, FIGURE_KINDS, LessonFormatError, checkExercise, checkFigure, parsePairs } from '../../web/src/lesson/exercise-format.js';

const WHERE = 'Lesson "x.json", step 3';

const VALID_FIGURES = {
  cosine: { kind: 'cosine', words: ['dog', 'puppy'] },
  norm: { kind: 'norm', word: 'the', label: 'length of "the"', digits: 2 },
  'mean-pair-cosine': { kind: 'mean-pair-cosine', space: 'whitened', sample: 600 },
  rank: { kind: 'rank', word: 'running', analogy: ['swim', 'swimming', 'run'], method: '3cosmul', space: 'raw' },
  'offset-consistency': { kind: 'offset-consistency', pairs: 'man:woman, king:queen, boy:girl' },
  'table-memory': { kind: 'table-memory' },
  'synthetic-cone': { kind: 'synthetic-cone', rows: 2000, dims: 50, shared: 3.0, seed: 1, space: 'whitened' },
  memory: { kind: 'memory', rows: 32000, dims: 4096, bytes: 2, tied: true, totalParams: 6738415616 },
  'sqrt-scale': { kind: 'sqrt-scale', dims: 4096 },
};

// [figure, field named, words of the message]
const INVALID_FIGURES = [
  [{ kind: 'cosine', words: ['dog'] }, 'figures[0].words', /needs exactly 2 words; it has 1/],
  [{ kind: 'cosine', words: ['dog', 'Dog'] }, 'figures[0].words', /names "Dog" twice/],
  [{ kind: 'cosine', words: ['dog', 'puppy'], space: 'sideways' }, 'figures[0].space', /raw, centered, whitened/],
  [{ kind: 'norm' }, 'figures[0].word', /needs a word.*missing/],
  [{ kind: 'norm', word: 'new york' }, 'figures[0].word', /one word without spaces/],
  [{ kind: 'mean-pair-cosine', sample: 5 }, 'figures[0].sample', /whole number from 10 to 3000/],
  [{ kind: 'rank', word: 'running', analogy: ['swim', 'swimming'] }, 'figures[0].analogy', /exactly 3 words; it has 2/],
  [{ kind: 'rank', word: 'running', analogy: ['a', 'b', 'c'], method: '3cosmax' }, 'figures[0].method', /"3cosadd", "3cosmul"/],
  [{ kind: 'offset-consistency', pairs: 'man:woman' }, 'figures[0].pairs', /at least two pairs; it has 1/],
  [{ kind: 'offset-consistency', pairs: 'man-woman, king:queen' }, 'figures[0].pairs', /"man-woman" is not a pair/],
  [{ kind: 'table-memory', rows: 3 }, 'figures[0].rows', /is not a field here/],
  [{ kind: 'synthetic-cone', space: 'zca' }, 'figures[0].space', /"raw", "centered", "whitened"/],
  [{ kind: 'synthetic-cone', measure: 'neighbours-changed' }, 'figures[0].space', /counted against the raw space/],
  [{ kind: 'synthetic-cone', shared: -1 }, 'figures[0].shared', /from 0 to 100/],
  [{ kind: 'memory', rows: 32000, dims: 4096 }, 'figures[0].bytes', /needs a number above 0/],
  [{ kind: 'memory', rows: 32000, dims: 4096, bytes: 2, unit: 'share' }, 'figures[0].totalParams', /is needed for the unit "share"/],
  [{ kind: 'memory', rows: 1.5, dims: 4096, bytes: 2 }, 'figures[0].rows', /whole number/],
  [{ kind: 'sqrt-scale' }, 'figures[0].dims', /missing/],
  [{ kind: 'cosin', words: ['a', 'b'] }, 'figures[0].kind', /must be one of "cosine"/],
  [{ kind: 'cosine', words: ['a', 'b'], digits: 20 }, 'figures[0].digits', /from 0 to 8/],
  [['cosine'], 'figures[0]', /needs an object/],
];

const VALID_EXERCISES = [
  { type: 'predict-word', prompt: 'What comes *first*?' },
  { type: 'predict-word', prompt: 'Top 5?', accept: 5 },
  { type: 'predict-number', prompt: 'Cosine of dog and puppy?', quantity: { kind: 'cosine', words: ['dog', 'puppy'] }, tolerance: 0.1 },
  { type: 'predict-number', prompt: 'MB?', quantity: { kind: 'memory', rows: 32000, dims: 4096, bytes: 2, unit: 'MiB' }, tolerance: 20 },
  { type: 'choose', prompt: 'Which is closer to cat?', target: 'cat', options: ['dog', 'tiger'] },
  { type: 'challenge', check: 'methods-disagree', prompt: 'Find one.' },
  { type: 'challenge', check: 'reach', from: 'son', to: 'aunt', hops: 5, prompt: 'Go.' },
  { type: 'challenge', check: 'neighbour-changes', space: 'whitened', prompt: 'Find a word.' },
];

const INVALID_EXERCISES = [
  [{ type: 'predict-word' }, 'exercise.prompt', /needs text; it is missing/],
  [{ type: 'predict-word', prompt: 'x'.repeat(2001) }, 'exercise.prompt', /at most 2000 characters/],
  [{ type: 'predict-word', prompt: 'p', accept: 0 }, 'exercise.accept', /from 1 to 1000/],
  [{ type: 'predict-number', prompt: 'p', tolerance: 0.1 }, 'exercise.quantity', /needs the figure to predict/],
  [{ type: 'predict-number', prompt: 'p', quantity: { kind: 'cosine', words: ['dog'] }, tolerance: 0.1 }, 'exercise.quantity.words', /exactly 2 words/],
  [{ type: 'predict-number', prompt: 'p', quantity: { kind: 'sqrt-scale', dims: 64 } }, 'exercise.tolerance', /number above 0/],
  [{ type: 'predict-number', prompt: 'p', quantity: { kind: 'sqrt-scale', dims: 64 }, tolerance: 0 }, 'exercise.tolerance', /number above 0/],
  [{ type: 'choose', prompt: 'p', target: 'cat', options: ['dog'] }, 'exercise.options', /needs at least two words; it has 1/],
  [{ type: 'choose', prompt: 'p', target: 'cat', options: ['dog', 'cat'] }, 'exercise.options', /"cat" is the target itself/],
  [{ type: 'choose', prompt: 'p', options: ['dog', 'tiger'] }, 'exercise.target', /needs a word/],
  [{ type: 'challenge', prompt: 'p' }, 'exercise.check', /"methods-disagree", "reach", "neighbour-changes"/],
  [{ type: 'challenge', check: 'reach', prompt: 'p', from: 'son', to: 'Son' }, 'exercise.to', /same word as "from"/],
  [{ type: 'challenge', check: 'reach', prompt: 'p', from: 'son', to: 'aunt', hops: 50 }, 'exercise.hops', /from 1 to 20/],
  [{ type: 'challenge', check: 'neighbour-changes', prompt: 'p', space: 'raw' }, 'exercise.space', /must be another space/],
  [{ type: 'challenge', check: 'methods-disagree', prompt: 'p', answer: 'queen' }, 'exercise.answer', /is not a field here/],
  [{ type: 'quiz', prompt: 'p' }, 'exercise.type', /must be one of "predict-word"/],
  ['predict-word', 'exercise', /needs an object/],
];

describe('figures', () => {
  it('accepts every kind as written in the spec, with its defaults', () => {
    expect(Object.keys(VALID_FIGURES)).toEqual(FIGURE_KINDS);
    for (const [kind, figure] of Object.entries(VALID_FIGURES)) {
      const checked = checkFigure(figure, WHERE, 'figures[0]');
      expect(checked.kind).toBe(kind);
      expect(checked.digits).toBe(figure.digits ?? 3);
    }
    expect(checkFigure(VALID_FIGURES['mean-pair-cosine'], WHERE)).toMatchObject({ space: 'whitened', sample: 600 });
    expect(checkFigure({ kind: 'mean-pair-cosine' }, WHERE)).toMatchObject({ space: 'raw', sample: 600 });
    expect(checkFigure({ kind: 'synthetic-cone' }, WHERE)).toMatchObject({ rows: 2000, dims: 50, shared: 3, seed: 1, space: 'raw', measure: 'mean-pair-cosine' });
    expect(checkFigure({ kind: 'rank', word: ' running ', analogy: ['swim', 'swimming', 'run'] }, WHERE)).toMatchObject({ word: 'running', method: '3cosadd', inputs: false });
    expect(checkFigure(VALID_FIGURES.memory, WHERE)).toMatchObject({ tied: true, unit: 'MB', totalParams: 6738415616 });
    expect(checkFigure({ kind: 'offset-consistency', pairs: 'man : woman;king:queen' }, WHERE).pairs).toBe('man:woman, king:queen');
  });

  it.each(INVALID_FIGURES)('refuses %j naming %s', (figure, field, problem) => {
    let error;
    try {
      checkFigure(figure, WHERE, 'figures[0]');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LessonFormatError);
    expect(error.message.startsWith(`${WHERE}, field "${field}": `)).toBe(true);
    expect(error.message).toMatch(problem);
    expect(error.field).toBe(field);
  });

  it('reads pairs as word:word, and says which part is not one', () => {
    expect(parsePairs('man:woman, king:queen\nboy:girl')).toEqual({ pairs: [['man', 'woman'], ['king', 'queen'], ['boy', 'girl']], problem: '' });
    expect(parsePairs('man:woman, king').problem).toBe('"king" is not a pair written word:word.');
  });
});

describe('exercises', () => {
  it('accepts every type and challenge as written in the spec, with its defaults', () => {
    const kinds = new Set(VALID_EXERCISES.map((e) => e.check ?? e.type));
    expect([...kinds].sort()).toEqual([...EXERCISE_TYPES.filter((t) => t !== 'challenge'), ...CHALLENGE_CHECKS].sort());
    for (const exercise of VALID_EXERCISES) expect(checkExercise(exercise, WHERE)).toMatchObject(exercise);
    expect(checkExercise(VALID_EXERCISES[0], WHERE).accept).toBe(1);
    expect(checkExercise({ type: 'challenge', check: 'reach', from: 'son', to: 'aunt', prompt: 'p' }, WHERE)).toMatchObject({ hops: 5, space: 'raw' });
    expect(checkExercise({ type: 'challenge', check: 'neighbour-changes', prompt: 'p' }, WHERE).space).toBe('whitened');
    expect(checkExercise(VALID_EXERCISES[2], WHERE).quantity).toEqual({ kind: 'cosine', digits: 3, words: ['dog', 'puppy'], space: undefined });
  });

  it.each(INVALID_EXERCISES)('refuses %j naming %s', (exercise, field, problem) => {
    expect(() => checkExercise(exercise, WHERE)).toThrow(new RegExp(`^${WHERE.replace(/[."]/g, '\\$&')}, field "${field.replace(/[.[\]]/g, '\\$&')}": `));
    expect(() => checkExercise(exercise, WHERE)).toThrow(problem);
  });

  it('names the path it is given, as the lesson parser passes it', () => {
    expect(() => checkExercise({ type: 'choose', prompt: 'p', target: 'cat', options: ['dog'] }, 'Lesson "x.json", step 3', 'exercise')).toThrow(
      'Lesson "x.json", step 3, field "exercise.options": needs at least two words; it has 1.',
    );
  });
});
