// A lesson step's exercise (issue 10 §2): the learner answers first, then
// the page reveals what the core computes on the loaded table. No answer is
// in the lesson: the right word, number or option comes from the worker at
// the moment of the check, so a lesson written for GloVe runs on any table
// and says when a word is missing. Every attempt calls onResult once; the
// learner may try again. Reveals are announced (role=status) and every
// control is a form element, so the keyboard alone does it all.
import { Request } from '../compute/protocol.js';
import { el } from '../ui/dom.js';
import { queryOf } from '../ui/view-state.js';
import { renderChallenge } from './challenges.js';
import { t } from '../i18n/strings.js';
import { exerciseShell, onCheck, textField } from './exercise-shell.js';
import { computeFigure, ordinal } from './figures.js';

/** While a predict-word exercise is unanswered the page hides its results (styles.css: "Lesson exercises"). */
export const HIDING_CLASS = 'lesson-hiding-results';
/** How deep a guess is looked for among the answers: the page's own limit on k. */
export const GUESS_DEPTH = 1000;

const fixed = (value, digits = 3) => value.toFixed(digits).replace(/^-/, '−');

/** @type {{ dispose(): void } | null} the exercise on show: a new one replaces it */
let shown = null;
let choiceGroups = 0; // each choose exercise's radio buttons form their own group

/**
 * Draws a step's exercise into `container`.
 * @param {HTMLElement} container
 * @param {Record<string, any>} exercise an exercise checked by checkExercise
 * @param {{ client: import('../compute/client.js').ComputeClient, readState: () => Record<string, any>, step?: number,
 *   onResult?: (result: { correct: boolean, answer: string, value?: number, detail: string }) => void }} context
 * @returns {{ dispose(): void }} call dispose when the step changes (a new exercise disposes the old one too)
 */
export function renderExercise(container, exercise, context) {
  shown?.dispose();
  const report = (result) => context.onResult?.(result);
  const draw = { 'predict-word': predictWord, 'predict-number': predictNumber, choose, challenge: renderChallenge }[exercise.type];
  if (!draw) throw new Error(`unknown exercise type "${exercise.type}"`);
  const handle = draw(container, exercise, { ...context, report }) ?? { dispose() {} };
  const disposeOnce = {
    dispose() {
      handle.dispose();
      if (shown === disposeOnce) shown = null;
    },
  };
  shown = disposeOnce;
  return disposeOnce;
}

function predictWord(container, exercise, { client, readState, report }) {
  const guess = textField(t.yourGuess, { name: 'guess' });
  const shell = exerciseShell(container, exercise, [guess.field], t.reveal);
  const hide = (hidden) => document.body.classList.toggle(HIDING_CLASS, hidden);
  hide(true);
  shell.say(t.resultsHiddenUntilGuess);
  onCheck(shell, async () => {
    const word = guess.input.value.trim();
    if (!word) return shell.say(t.typeWordFirst, 'empty');
    const query = queryOf(readState());
    if (!query) return shell.say(t.nothingToPredict, 'error');
    const [answer, [id]] = await Promise.all([
      client.call(Request.query, { ...query, k: GUESS_DEPTH }, { channel: 'lesson-exercise' }),
      client.call(Request.wordIds, { words: [word] }),
    ]);
    hide(false);
    const results = answer.results;
    const first = results[0];
    const euclidean = 'metric' in query && query.metric === 'euclidean';
    const score = (r) => (euclidean ? t.distanceScore(r.score.toFixed(3)) : t.cosineScore(fixed(r.score)));
    const at = results.findIndex((r) => r.word.toLowerCase() === word.toLowerCase() || r.display.toLowerCase() === word.toLowerCase());
    const firstText = first ? t.firstAnswer(first.display, score(first)) : t.noAnswers;
    let detail;
    let correct = false;
    let value;
    if (id < 0) detail = t.guessNotInTable(word, firstText);
    else if (at < 0) detail = t.guessNotInTop(word, GUESS_DEPTH, firstText);
    else {
      value = at + 1;
      correct = value <= exercise.accept;
      const r = results[at];
      detail = value === 1 ? t.guessFirst(r.display, score(r)) : t.guessRank(ordinal(value), score(r), firstText);
      if (correct && value > 1) detail = t.guessWithinTop(exercise.accept, detail);
    }
    shell.reveal.dataset.rank = value === undefined ? '' : String(value);
    shell.say(detail, correct ? 'correct' : 'wrong');
    report({ correct, answer: word, value, detail });
  });
  return { dispose: () => hide(false) };
}

/** "0.5", "−0.3", "1,234.5" as a number, or NaN. */
export function parseNumber(text) {
  const cleaned = String(text).trim().replace(/[−–]/g, '-').replace(/,(?=\d{3}\b)/g, '');
  return cleaned && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?%?$/i.test(cleaned) ? Number(cleaned.replace('%', '')) : NaN;
}

function predictNumber(container, exercise, { client, readState, report }) {
  const guess = textField(t.yourEstimate, { name: 'number', inputmode: 'decimal' });
  const shell = exerciseShell(container, exercise, [guess.field], t.check);
  const digits = exercise.quantity.digits ?? 3;
  onCheck(shell, async () => {
    const typed = guess.input.value.trim();
    const number = parseNumber(typed);
    if (!typed) return shell.say(t.typeNumberFirst, 'empty');
    if (!Number.isFinite(number)) return shell.say(t.notANumber(typed), 'empty');
    const truth = await computeFigure(exercise.quantity, { client, readState });
    if (truth.value === null) return shell.say(t.cannotCheckOnTable(truth.text), 'missing');
    const off = Math.abs(number - truth.value);
    const correct = off <= exercise.tolerance;
    const verdict = correct ? t.closeEnough(exercise.tolerance) : t.notWithin(exercise.tolerance);
    const detail = t.estimateVerdict(verdict, truth.label, truth.text, truth.note, typed, off.toFixed(digits));
    shell.reveal.dataset.value = String(truth.value);
    shell.say(detail, correct ? 'correct' : 'wrong');
    report({ correct, answer: typed, value: truth.value, detail });
  });
}

function choose(container, exercise, { client, readState, report }) {
  const group = `lesson-choice-${++choiceGroups}`;
  const radios = exercise.options.map((option) => {
    const input = el('input', { type: 'radio', name: group, value: option });
    return { option, input, field: el('label', { class: 'lesson-choice' }, input, ` ${option}`) };
  });
  const fieldset = el('fieldset', { class: 'lesson-choices' }, el('legend', {}, t.closerTo(exercise.target)), ...radios.map((r) => r.field));
  const shell = exerciseShell(container, exercise, [fieldset], t.check);
  onCheck(shell, async () => {
    const picked = radios.find((r) => r.input.checked)?.option;
    if (!picked) return shell.say(t.chooseWordFirst, 'empty');
    const out = await client.call(Request.lessonMeasure, { measure: 'cosines', target: exercise.target, words: exercise.options, space: exercise.space ?? readState().space });
    if (out.measure !== 'cosines') throw new Error('the worker answered another measure');
    if (out.missing.length) return shell.say(t.cannotCheckOnTable(t.notInItWords(out.missing)), 'missing');
    const best = Math.max(...out.cosines.map((c) => c.cosine));
    // Cosines from int8 codes agree to about 1e-6: closer than that is a tie, not an answer.
    const top = exercise.options.filter((_, i) => best - out.cosines[i].cosine < 1e-6);
    const correct = top.includes(picked);
    const each = exercise.options.map((option, i) => `${option} ${fixed(out.cosines[i].cosine)}`).join(', ');
    const closest = top.length > 1 ? t.wordsTie(top) : t.wordIsCloser(top[0]);
    const detail = t.choiceVerdict(correct, closest, exercise.target, out.space, each);
    shell.reveal.replaceChildren(
      el('ol', { class: 'lesson-choice-cosines', 'aria-label': t.cosineTo(exercise.target) }, ...exercise.options.map((option, i) => el('li', { dataset: { word: option, cosine: String(out.cosines[i].cosine) } }, `${option}: ${fixed(out.cosines[i].cosine)}`))),
    );
    shell.say(detail, correct ? 'correct' : 'wrong');
    report({ correct, answer: picked, value: out.cosines[exercise.options.indexOf(picked)].cosine, detail });
  });
}
