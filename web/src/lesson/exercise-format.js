// The exercises and live figures of a lesson step, as written in a lesson
// file (docs/lessons.md describes every kind).
// A lesson never holds an answer: these checks only make sure the core can
// be asked the question. Each check returns a copy with the defaults filled
// in, or throws a LessonFormatError whose message starts with `where` and
// names the field, so an author sees which step and field to fix.
import { MAX_CONE_ROWS } from '../compute/synthetic-cone.js';
import { t } from '../i18n/strings.js';

export const FIGURE_KINDS = Object.freeze([
  'cosine', 'norm', 'mean-pair-cosine', 'rank', 'offset-consistency', 'table-memory',
  'synthetic-cone', 'memory', 'sqrt-scale',
]);
export const EXERCISE_TYPES = Object.freeze(['predict-word', 'predict-number', 'choose', 'challenge']);
export const CHALLENGE_CHECKS = Object.freeze(['methods-disagree', 'reach', 'neighbour-changes']);
export const CONE_SPACES = Object.freeze(['raw', 'centered', 'whitened']);
export const CONE_MEASURES = Object.freeze(['mean-pair-cosine', 'neighbours-changed']);
export const MEMORY_UNITS = Object.freeze(['MB', 'MiB', 'bytes', 'share']);
export const MAX_PROMPT_LENGTH = 2000;
export const MAX_LABEL_LENGTH = 200;
export const MAX_WORD_LENGTH = 100;
export const MAX_ACCEPT_RANK = 1000;
export const MAX_OPTIONS = 8;
export const MAX_HOPS = 20;
// Spaces the core understands (explorer.js SpaceSpec), without neutralised directions: a lesson names a plain space.
const SPACE_PATTERN = /^(raw|centered|whitened(:[1-9]\d*)?|zca|abtt:[1-9]\d*)$/;

export class LessonFormatError extends Error {
  constructor(message, { where = '', field = '' } = {}) {
    super(message);
    this.name = 'LessonFormatError';
    this.where = where;
    this.field = field;
  }
}

const plainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const described = (value) => (value === null ? t.kindNull : Array.isArray(value) ? t.kindList : typeof value === 'object' ? t.kindObject : `${JSON.stringify(value)}`);
const describedOrMissing = (value) => (value === undefined ? t.kindMissing : described(value));

/** A checker for one object at `path` ("exercise", "figures[2]"), failing with `where` and the field's full name. */
function fieldChecker(where, path) {
  const fail = (field, problem) => {
    const name = field ? `${path}.${field}` : path;
    throw new LessonFormatError(t.fieldProblem(where, name, problem), { where, field: name });
  };
  const word = (value, field) => {
    if (typeof value !== 'string' || !value.trim()) fail(field, t.needsWord(describedOrMissing(value)));
    const trimmed = value.trim();
    if (/\s/.test(trimmed)) fail(field, t.wordHasSpaces(trimmed));
    if (trimmed.length > MAX_WORD_LENGTH) fail(field, t.wordTooLong(MAX_WORD_LENGTH));
    return trimmed;
  };
  const words = (value, field, { min, max = min }) => {
    if (!Array.isArray(value)) fail(field, t.needsWordList(min, max, describedOrMissing(value)));
    if (value.length < min) fail(field, t.tooFewWords(min, max, value.length));
    if (value.length > max) fail(field, t.tooManyWords(min, max, value.length));
    const checked = value.map((item, index) => word(item, `${field}[${index}]`));
    const seen = new Set();
    for (const item of checked) {
      if (seen.has(item.toLowerCase())) fail(field, t.wordTwice(item));
      seen.add(item.toLowerCase());
    }
    return checked;
  };
  const whole = (value, field, { min, max, fallback }) => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(field, t.needsWholeNumber(min, max, describedOrMissing(value)));
    }
    return value;
  };
  const number = (value, field, { min, max, fallback, above = false }) => {
    if (value === undefined && fallback !== undefined) return fallback;
    const inRange = typeof value === 'number' && Number.isFinite(value) && (above ? value > min : value >= min) && value <= max;
    if (!inRange) fail(field, t.needsNumber(min, max, above, describedOrMissing(value)));
    return value;
  };
  const oneOf = (value, field, choices, fallback) => {
    if (value === undefined && fallback !== undefined) return fallback;
    const given = typeof value === 'string' ? value.trim().toLowerCase() : value;
    const match = choices.find((choice) => choice.toLowerCase() === given);
    if (!match) fail(field, t.mustBeOneOf(choices, describedOrMissing(value)));
    return match;
  };
  const space = (value, field, fallback) => {
    if (value === undefined) return fallback;
    const given = typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (!SPACE_PATTERN.test(given)) fail(field, t.needsSpace(described(value)));
    return given;
  };
  const flag = (value, field, fallback) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') fail(field, t.needsTrueOrFalse(described(value)));
    return value;
  };
  const text = (value, field, { max, required }) => {
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || (required && !value.trim())) fail(field, t.needsText(describedOrMissing(value)));
    if (value.length > max) fail(field, t.fieldTextTooLong(max, value.length));
    return value;
  };
  const onlyFields = (object, allowed) => {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) fail(key, t.notAFieldHere(allowed));
    }
  };
  return { failField: fail, word, words, whole, number, oneOf, space, flag, text, onlyFields };
}

/** "man:woman, king:queen" -> [["man", "woman"], ["king", "queen"]], or a message saying what is wrong. */
export function parsePairs(text) {
  const pairs = [];
  for (const part of String(text).split(/[,;\n]+/).map((item) => item.trim()).filter(Boolean)) {
    const sides = part.split(':').map((item) => item.trim());
    if (sides.length !== 2 || !sides[0] || !sides[1] || /\s/.test(sides[0]) || /\s/.test(sides[1])) {
      return { pairs, problem: t.notAWordPair(part) };
    }
    pairs.push(/** @type {[string, string]} */ (sides));
  }
  return { pairs, problem: '' };
}

const FIGURE_FIELDS = {
  cosine: ['words', 'space'],
  norm: ['word'],
  'mean-pair-cosine': ['space', 'sample'],
  rank: ['word', 'analogy', 'method', 'space', 'inputs'],
  'offset-consistency': ['pairs', 'space'],
  'table-memory': [],
  'synthetic-cone': ['rows', 'dims', 'shared', 'seed', 'space', 'measure'],
  memory: ['rows', 'dims', 'bytes', 'tied', 'totalParams', 'unit'],
  'sqrt-scale': ['dims'],
};

/**
 * A live figure (or a predict-number exercise's quantity), checked.
 * @param {unknown} figure
 * @param {string} where e.g. 'Lesson "x.json", step 3'
 * @param {string} [path] the figure's place in the step: 'figures[2]', 'exercise.quantity'
 * @returns {Record<string, any>} the figure with its defaults
 */
export function checkFigure(figure, where, path = 'figure') {
  const check = fieldChecker(where, path);
  if (!plainObject(figure)) check.failField('', t.figureNotObject(described(figure)));
  const given = /** @type {Record<string, any>} */ (figure);
  const kind = check.oneOf(given.kind, 'kind', FIGURE_KINDS);
  check.onlyFields(given, ['kind', 'label', 'digits', ...FIGURE_FIELDS[kind]]);
  /** @type {Record<string, any>} */
  const out = { kind, digits: check.whole(given.digits, 'digits', { min: 0, max: 8, fallback: 3 }) };
  const label = check.text(given.label, 'label', { max: MAX_LABEL_LENGTH, required: false });
  if (label !== undefined) out.label = label;
  switch (kind) {
    case 'cosine':
      out.words = check.words(given.words, 'words', { min: 2 });
      out.space = check.space(given.space, 'space', undefined); // undefined: the step's space
      break;
    case 'norm':
      out.word = check.word(given.word, 'word');
      break;
    case 'mean-pair-cosine':
      out.space = check.space(given.space, 'space', 'raw');
      out.sample = check.whole(given.sample, 'sample', { min: 10, max: 3000, fallback: 600 });
      break;
    case 'rank':
      out.word = check.word(given.word, 'word');
      out.analogy = check.words(given.analogy, 'analogy', { min: 3 });
      out.method = check.oneOf(given.method, 'method', ['3cosadd', '3cosmul'], '3cosadd');
      out.space = check.space(given.space, 'space', undefined);
      out.inputs = check.flag(given.inputs, 'inputs', false);
      break;
    case 'offset-consistency': {
      if (typeof given.pairs !== 'string') check.failField('pairs', t.needsPairs(describedOrMissing(given.pairs)));
      const { pairs, problem } = parsePairs(given.pairs);
      if (problem) check.failField('pairs', problem);
      if (pairs.length < 2) check.failField('pairs', t.tooFewPairs(pairs.length));
      out.pairs = pairs.map((pair) => pair.join(':')).join(', ');
      out.space = check.space(given.space, 'space', undefined);
      break;
    }
    case 'table-memory':
      break;
    case 'synthetic-cone':
      out.rows = check.whole(given.rows, 'rows', { min: 50, max: MAX_CONE_ROWS, fallback: 2000 });
      out.dims = check.whole(given.dims, 'dims', { min: 2, max: 512, fallback: 50 });
      out.shared = check.number(given.shared, 'shared', { min: 0, max: 100, fallback: 3 });
      out.seed = check.whole(given.seed, 'seed', { min: 0, max: 2 ** 31 - 1, fallback: 1 });
      out.space = check.oneOf(given.space, 'space', CONE_SPACES, 'raw');
      out.measure = check.oneOf(given.measure, 'measure', CONE_MEASURES, 'mean-pair-cosine');
      if (out.measure === 'neighbours-changed' && out.space === 'raw') check.failField('space', t.coneChangesNeedOtherSpace);
      break;
    case 'memory':
      out.rows = check.whole(given.rows, 'rows', { min: 1, max: 1e9, fallback: undefined });
      out.dims = check.whole(given.dims, 'dims', { min: 1, max: 1e6, fallback: undefined });
      out.bytes = check.number(given.bytes, 'bytes', { min: 0, max: 16, above: true, fallback: undefined });
      out.tied = check.flag(given.tied, 'tied', true);
      if (given.totalParams !== undefined) out.totalParams = check.whole(given.totalParams, 'totalParams', { min: 1, max: 1e15 });
      out.unit = check.oneOf(given.unit, 'unit', MEMORY_UNITS, 'MB');
      if (out.unit === 'share' && out.totalParams === undefined) check.failField('totalParams', t.shareNeedsTotal);
      break;
    case 'sqrt-scale':
      out.dims = check.whole(given.dims, 'dims', { min: 1, max: 1e6 });
      break;
  }
  return out;
}

const EXERCISE_FIELDS = {
  'predict-word': ['accept'],
  'predict-number': ['quantity', 'tolerance'],
  choose: ['target', 'options', 'space'],
  'methods-disagree': [],
  reach: ['from', 'to', 'hops', 'space'],
  'neighbour-changes': ['space'],
};

/**
 * A step's exercise, checked.
 * @param {unknown} exercise
 * @param {string} where e.g. 'Lesson "x.json", step 3'
 * @param {string} [path]
 * @returns {Record<string, any>} the exercise with its defaults
 */
export function checkExercise(exercise, where, path = 'exercise') {
  const check = fieldChecker(where, path);
  if (!plainObject(exercise)) check.failField('', t.exerciseNotObject(described(exercise)));
  const given = /** @type {Record<string, any>} */ (exercise);
  const type = check.oneOf(given.type, 'type', EXERCISE_TYPES);
  const challengeCheck = type === 'challenge' ? check.oneOf(given.check, 'check', CHALLENGE_CHECKS) : undefined;
  const variant = challengeCheck ?? type;
  check.onlyFields(given, ['type', 'prompt', ...(challengeCheck ? ['check'] : []), ...EXERCISE_FIELDS[variant]]);
  /** @type {Record<string, any>} */
  const out = { type, prompt: check.text(given.prompt, 'prompt', { max: MAX_PROMPT_LENGTH, required: true }) };
  if (challengeCheck) out.check = challengeCheck;
  switch (variant) {
    case 'predict-word':
      out.accept = check.whole(given.accept, 'accept', { min: 1, max: MAX_ACCEPT_RANK, fallback: 1 });
      break;
    case 'predict-number':
      if (given.quantity === undefined) check.failField('quantity', t.needsQuantity);
      out.quantity = checkFigure(given.quantity, where, `${path}.quantity`);
      out.tolerance = check.number(given.tolerance, 'tolerance', { min: 0, max: Infinity, above: true });
      break;
    case 'choose':
      out.target = check.word(given.target, 'target');
      out.options = check.words(given.options, 'options', { min: 2, max: MAX_OPTIONS });
      if (out.options.some((option) => option.toLowerCase() === out.target.toLowerCase())) check.failField('options', t.optionIsTarget(out.target));
      out.space = check.space(given.space, 'space', undefined);
      break;
    case 'methods-disagree':
      break;
    case 'reach':
      out.from = check.word(given.from, 'from');
      out.to = check.word(given.to, 'to');
      if (out.from.toLowerCase() === out.to.toLowerCase()) check.failField('to', t.sameWordAsFrom(out.from));
      out.hops = check.whole(given.hops, 'hops', { min: 1, max: MAX_HOPS, fallback: 5 });
      out.space = check.space(given.space, 'space', 'raw');
      break;
    case 'neighbour-changes':
      out.space = check.space(given.space, 'space', 'whitened');
      if (out.space === 'raw') check.failField('space', t.changesNeedOtherSpace);
      break;
  }
  return out;
}
