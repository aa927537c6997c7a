// The three challenges of a lesson step (issue 10 §2), each with a success
// condition the core checks on the loaded table:
//   methods-disagree   the learner types a b c; 3CosAdd's and 3CosMul's first answers differ
//   reach              hop from `from` to `to` through nearest-10 lists in at most `hops` hops
//                      (the navigator's requests, navigator-handlers.js)
//   neighbour-changes  the learner types a word; its nearest neighbour in `space` differs from the raw one
import { Request } from '../compute/protocol.js';
import { el } from '../ui/dom.js';
import { exerciseShell, onCheck, textField } from './exercise-shell.js';
import { t } from '../i18n/strings.js';

const fixed = (value) => value.toFixed(3).replace(/^-/, '−');
const hopsText = t.hops;

/**
 * @param {HTMLElement} container
 * @param {Record<string, any>} exercise
 * @param {{ client: import('../compute/client.js').ComputeClient, readState: () => Record<string, any>,
 *   report: (result: { correct: boolean, answer: string, value?: number, detail: string }) => void }} context
 */
export function renderChallenge(container, exercise, context) {
  if (exercise.check === 'methods-disagree') return methodsDisagree(container, exercise, context);
  if (exercise.check === 'reach') return reach(container, exercise, context);
  if (exercise.check === 'neighbour-changes') return neighbourChanges(container, exercise, context);
  throw new Error(`unknown challenge "${exercise.check}"`);
}

function methodsDisagree(container, exercise, { client, report }) {
  const fields = ['a', 'b', 'c'].map((name) => textField(name, { name }));
  const shell = exerciseShell(container, exercise, [...fields.map((f) => f.field), el('span', { class: 'hint' }, t.analogyPattern)], t.check);
  onCheck(shell, async () => {
    const [a, b, c] = fields.map((f) => f.input.value.trim());
    if (!a || !b || !c) return shell.say(t.typeThreeWords, 'empty');
    let out;
    try {
      out = await client.call(Request.query, { kind: 'analogy', a, b, c, k: 1, method: '3cosadd' }, { channel: 'lesson-exercise' });
    } catch (error) {
      if (error?.code === 'UNKNOWN_WORD') return shell.say(t.tryOtherWords(error.message), 'missing');
      throw error;
    }
    if (!('other' in out)) throw new Error('the worker did not answer with both methods');
    const add = out.results[0]?.display ?? t.noneAnswer;
    const mul = out.other.results[0]?.display ?? t.noneAnswer;
    const correct = add !== mul;
    const both = t.methodsAnswers(add, mul);
    const detail = correct ? t.foundOne(both) : t.methodsAgree(both);
    shell.reveal.dataset.add = add;
    shell.reveal.dataset.mul = mul;
    shell.say(detail, correct ? 'correct' : 'wrong');
    report({ correct, answer: `${a} ${b} ${c}`, detail });
  });
}

function neighbourChanges(container, exercise, { client, report }) {
  const word = textField(t.aWord, { name: 'word' });
  const shell = exerciseShell(container, exercise, [word.field], t.check);
  onCheck(shell, async () => {
    const typed = word.input.value.trim();
    if (!typed) return shell.say(t.typeWordFirst, 'empty');
    const out = await client.call(Request.lessonMeasure, { measure: 'nearest', word: typed, spaces: ['raw', exercise.space] });
    if (out.measure !== 'nearest') throw new Error('the worker answered another measure');
    if (out.missing.length) return shell.say(t.wordNotInTableTryAnother(typed), 'missing');
    const [raw, other] = out.nearest;
    const correct = raw.word !== other.word;
    const both = t.nearestInBothSpaces(out.word, raw.display, fixed(raw.cosine), other.display, fixed(other.cosine), other.space);
    const detail = correct ? t.foundOne(both) : t.notThisOne(both);
    shell.reveal.dataset.raw = raw.word;
    shell.reveal.dataset.other = other.word;
    shell.say(detail, correct ? 'correct' : 'wrong');
    report({ correct, answer: typed, detail });
  });
}

/**
 * The navigator game inside a step: the same requests as the full page's
 * navigator panel, with the lesson's start, target and hop budget.
 */
function reach(container, exercise, { client, report }) {
  const shell = exerciseShell(container, exercise, [], t.startAgain);
  const where = el('p', { class: 'lesson-reach-where', 'aria-live': 'polite' });
  const trail = el('ol', { class: 'lesson-reach-trail', 'aria-label': t.yourPathSoFar });
  const neighbours = el('ul', { class: 'lesson-reach-neighbours', 'aria-label': t.chooseHop });
  const undo = el('button', { type: 'button', class: 'small lesson-reach-undo' }, t.undoHop);
  shell.reveal.append(where, neighbours, undo, trail);
  /** @type {{ space: string, start: string, target: string, best: number, path: string[], trail: string[], over: boolean } | null} */
  let game = null;
  let serial = 0;

  const draw = (step) => {
    const taken = game.trail.length - 1;
    trail.replaceChildren(...game.trail.map((w) => el('li', {}, w)));
    undo.disabled = game.over || taken === 0;
    shell.root.dataset.hops = String(taken);
    if (game.over) {
      neighbours.replaceChildren();
      return;
    }
    where.textContent = t.reachWhere(step.word, hopsText(taken), exercise.hops, step.neighbors.length);
    neighbours.replaceChildren(
      ...step.neighbors.map((n) =>
        el('li', {}, el('button', { type: 'button', class: 'small lesson-reach-hop', dataset: { word: n.word }, onclick: () => moveTo([...game.trail, n.word]) }, n.word, n.word === game.target ? t.theTarget : null, ` ${fixed(n.cosine)}`)),
      ),
    );
  };

  const moveTo = async (path) => {
    if (!game || game.over) return;
    const mine = serial;
    const step = await client.call(Request.navigatorStep, { space: game.space, word: path.at(-1), target: game.target }, { channel: 'lesson-reach' }).catch((error) => {
      if (error?.name !== 'Superseded') shell.say(t.cannotHop(path.at(-1), error.message), 'error');
      return null;
    });
    if (!step || mine !== serial) return;
    game.trail = path;
    const taken = path.length - 1;
    const reached = step.word === game.target;
    if (reached || taken >= exercise.hops) {
      game.over = true;
      const correct = reached && taken <= exercise.hops;
      const best = t.shortestPathTakes(hopsText(game.best), game.path);
      const detail = reached
        ? t.reachedIn(game.target, hopsText(taken), exercise.hops, best)
        : t.notReached(hopsText(exercise.hops), game.target, best);
      where.textContent = '';
      draw(step);
      shell.say(detail, correct ? 'correct' : 'wrong');
      report({ correct, answer: path.join(' '), value: taken, detail });
      shell.submit.focus();
      return;
    }
    draw(step);
    neighbours.querySelector('button')?.focus(); // the old buttons are gone: keep the keyboard in the list
  };

  undo.addEventListener('click', () => game && !game.over && game.trail.length > 1 && moveTo(game.trail.slice(0, -1)));

  const start = async () => {
    const mine = ++serial;
    game = null;
    neighbours.replaceChildren();
    trail.replaceChildren();
    where.textContent = '';
    shell.say(t.buildingGraphOnce(exercise.space), 'starting');
    const graph = await client.call(Request.navigatorGraph, { space: exercise.space }, { channel: 'lesson-reach-graph' });
    const best = await client.call(Request.navigatorPath, { space: graph.space, start: exercise.from, target: exercise.to }, { channel: 'lesson-reach' });
    if (mine !== serial) return;
    if (best.hops === null) return shell.say(t.reachUnreachable(best.target, best.start, graph.k), 'missing');
    game = { space: graph.space, start: best.start, target: best.target, best: best.hops, path: best.path, trail: [best.start], over: false };
    shell.say(t.reachGoal(best.target, best.start, hopsText(exercise.hops), graph.words, graph.space), 'playing');
    const step = await client.call(Request.navigatorStep, { space: game.space, word: game.start, target: game.target }, { channel: 'lesson-reach' });
    if (mine === serial) draw(step);
  };

  const startSafely = () =>
    start().catch((error) => {
      if (error?.name === 'Superseded') return;
      const missing = error?.code === 'UNKNOWN_WORD' ? t.navigatorPlaysFrequent : '';
      shell.say(t.cannotStartGameSkip(error.message, missing), 'missing');
    });
  shell.form.addEventListener('submit', (event) => {
    event.preventDefault();
    startSafely();
  });
  startSafely();
  return { dispose: () => serial++ };
}
