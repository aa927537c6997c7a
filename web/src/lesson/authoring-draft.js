// The lesson an author is building in the page (authoring-panel.js), as
// data: a draft keeps what the author typed, as typed ("0." in a number
// field, an exercise half filled in), so a reload loses nothing; the
// lesson document (docs/lessons.md, format.js) is made from it when it is
// previewed or exported, and a lesson file read back becomes a draft again.
// Nothing here touches the page, so the tests run it in Node.

import { t } from '../i18n/strings.js';
import { LESSON_FORMAT, LESSON_VERSION } from './format.js';

export { CONTROL_GROUPS, CONTROL_STATES } from './format.js';
export const DRAFT_KEY = 'embedding-explorer:lesson-draft';
export const DRAFT_VERSION = 1;

/** The exercise types of docs/lessons.md, one form each; a challenge's check is part of the kind. */
export const EXERCISE_KINDS = Object.freeze([
  { kind: 'predict-word', fields: ['prompt', 'accept'] },
  { kind: 'predict-number', fields: ['prompt', 'quantityKind', 'words', 'space', 'sample', 'quantityJson', 'tolerance'] },
  { kind: 'choose', fields: ['prompt', 'target', 'options'] },
  { kind: 'challenge:methods-disagree', fields: ['prompt'] },
  { kind: 'challenge:reach', fields: ['prompt', 'from', 'to', 'hops'] },
  { kind: 'challenge:neighbour-changes', fields: ['prompt', 'space'] },
].map((exercise) => ({ ...exercise, label: t.exerciseKindLabel[exercise.kind] })));
/** The quantities of a predict-number exercise that have their own fields; any other Figure is written as JSON. */
export const QUANTITY_KINDS = Object.freeze(['cosine', 'norm', 'mean-pair-cosine', 'json']);

/** What a new exercise of each kind starts with: an example the author edits, never an answer. */
const STARTERS = {
  'predict-word': { prompt: t.starterPrompt['predict-word'], accept: '1' },
  'predict-number': { prompt: t.starterPrompt['predict-number'], quantityKind: 'cosine', words: 'dog, puppy', space: 'raw', sample: '600', quantityJson: '', tolerance: '0.1' },
  choose: { prompt: t.starterPrompt.choose, target: 'cat', options: 'dog, tiger' },
  'challenge:methods-disagree': { prompt: t.starterPrompt['challenge:methods-disagree'] },
  'challenge:reach': { prompt: t.starterPrompt['challenge:reach'], from: 'son', to: 'aunt', hops: '5' },
  'challenge:neighbour-changes': { prompt: t.starterPrompt['challenge:neighbour-changes'], space: 'whitened' },
};

const plainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value) => (value === undefined || value === null ? '' : String(value));
const wordList = (typed) => text(typed).split(/[\s,]+/).filter(Boolean);

export function emptyDraft() {
  return { version: DRAFT_VERSION, title: '', id: '', description: '', hostedUrl: '', steps: [] };
}

/** A step made from the page's view: { q: …, k: … } (view-snapshot.js), the marked words and the panels open. */
export function stepFromView(view, { highlight = [], panels = [] } = {}) {
  return { title: '', caption: '', view: { ...view }, highlight: highlight.join(', '), panels: [...panels], controls: {}, exercise: null };
}

export function starterExercise(kind) {
  if (!STARTERS[kind]) throw new Error(`No exercise kind "${kind}" (they are ${Object.keys(STARTERS).join(', ')}).`);
  return { kind, fields: { ...STARTERS[kind] } };
}

/** A copy of `list` with item `index` moved `by` places (clamped to the ends). */
export function moveItem(list, index, by) {
  const to = Math.max(0, Math.min(list.length - 1, index + by));
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item);
  return copy;
}

/** "Analogies and their limits" → "analogies-and-their-limits": the file's default name and the progress key. */
export function slugify(title) {
  return text(title)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export const lessonId = (draft) => text(draft.id).trim() || slugify(draft.title) || 'lesson';
export const defaultHostedUrl = (draft) => `lessons/${lessonId(draft)}.json`;
export const hostedUrl = (draft) => text(draft.hostedUrl).trim() || defaultHostedUrl(draft);

// A typed number stays a string when it does not read as one, so the exercise check names the field.
function typedNumber(typed) {
  const trimmed = text(typed).trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

function quantityFromFields(fields) {
  const kind = fields.quantityKind || 'cosine';
  if (kind === 'cosine') return { kind, words: wordList(fields.words) };
  if (kind === 'norm') return { kind, word: text(fields.words).trim() };
  if (kind === 'mean-pair-cosine') return dropUndefined({ kind, space: text(fields.space).trim() || undefined, sample: typedNumber(fields.sample) });
  try {
    return JSON.parse(text(fields.quantityJson));
  } catch (error) {
    // Handed on as text: the exercise check says the quantity must be a figure object.
    return text(fields.quantityJson);
  }
}

const dropUndefined = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== ''));

/** The exercise (docs/lessons.md) that a filled-in form stands for (not yet checked). */
export function exerciseFromForm({ kind, fields = {} }) {
  const prompt = text(fields.prompt);
  if (kind === 'predict-word') return dropUndefined({ type: kind, prompt, accept: typedNumber(fields.accept) });
  if (kind === 'predict-number') return dropUndefined({ type: kind, prompt, quantity: quantityFromFields(fields), tolerance: typedNumber(fields.tolerance) });
  if (kind === 'choose') return { type: kind, prompt, target: text(fields.target).trim(), options: wordList(fields.options) };
  const check = kind.replace(/^challenge:/, '');
  if (check === 'methods-disagree') return { type: 'challenge', check, prompt };
  if (check === 'reach') return dropUndefined({ type: 'challenge', check, from: text(fields.from).trim(), to: text(fields.to).trim(), hops: typedNumber(fields.hops), prompt });
  if (check === 'neighbour-changes') return dropUndefined({ type: 'challenge', check, space: text(fields.space).trim(), prompt });
  throw new Error(`No exercise kind "${kind}".`);
}

/** The form of an exercise read from a lesson file (the inverse of exerciseFromForm). */
export function formFromExercise(exercise) {
  const kind = exercise.type === 'challenge' ? `challenge:${exercise.check}` : exercise.type;
  const fields = { prompt: text(exercise.prompt) };
  if (kind === 'predict-word') fields.accept = text(exercise.accept);
  if (kind === 'predict-number') {
    const quantity = exercise.quantity ?? {};
    Object.assign(fields, { quantityKind: 'json', words: '', space: 'raw', sample: '', quantityJson: '', tolerance: text(exercise.tolerance) });
    const extra = Object.keys(quantity).filter((key) => !['kind', 'words', 'word', 'space', 'sample'].includes(key));
    if (quantity.kind === 'cosine' && !extra.length) Object.assign(fields, { quantityKind: 'cosine', words: (quantity.words ?? []).join(', ') });
    else if (quantity.kind === 'norm' && !extra.length) Object.assign(fields, { quantityKind: 'norm', words: text(quantity.word) });
    else if (quantity.kind === 'mean-pair-cosine' && !extra.length) Object.assign(fields, { quantityKind: 'mean-pair-cosine', space: text(quantity.space) || 'raw', sample: text(quantity.sample) });
    else fields.quantityJson = JSON.stringify(quantity);
  }
  if (kind === 'choose') Object.assign(fields, { target: text(exercise.target), options: (exercise.options ?? []).join(', ') });
  if (kind === 'challenge:reach') Object.assign(fields, { from: text(exercise.from), to: text(exercise.to), hops: text(exercise.hops) });
  if (kind === 'challenge:neighbour-changes') fields.space = text(exercise.space);
  return { kind, fields };
}

/** One step of the lesson document; empty optional fields are left out. */
export function stepToLesson(step) {
  const lessonStep = {};
  if (text(step.title).trim()) lessonStep.title = text(step.title).trim();
  lessonStep.caption = text(step.caption);
  lessonStep.view = { ...step.view };
  const highlight = wordList(step.highlight);
  if (highlight.length) lessonStep.highlight = highlight;
  if (step.panels?.length) lessonStep.panels = [...step.panels];
  const controls = Object.fromEntries(Object.entries(step.controls ?? {}).filter(([, state]) => state && state !== 'shown'));
  if (Object.keys(controls).length) lessonStep.controls = controls;
  if (step.figures?.length) lessonStep.figures = step.figures; // kept from an imported lesson; the page does not edit them
  if (step.exercise) lessonStep.exercise = exerciseFromForm(step.exercise);
  return lessonStep;
}

/** The lesson document (docs/lessons.md; checked by format.js's parseLesson before it leaves the page). */
export function draftToLesson(draft) {
  const lesson = { format: LESSON_FORMAT, version: LESSON_VERSION, id: lessonId(draft), title: text(draft.title).trim() };
  if (text(draft.description).trim()) lesson.description = text(draft.description).trim();
  lesson.steps = draft.steps.map(stepToLesson);
  return lesson;
}

/** A draft from a (checked) lesson document; the hosted URL is the author's and stays. */
export function lessonToDraft(lesson, hosted = '') {
  return {
    version: DRAFT_VERSION,
    title: text(lesson.title),
    id: text(lesson.id),
    description: text(lesson.description),
    hostedUrl: hosted,
    steps: lesson.steps.map((step) => ({
      title: text(step.title),
      caption: text(step.caption),
      view: { ...(step.view ?? {}) },
      highlight: (step.highlight ?? []).join(', '),
      panels: [...(step.panels ?? [])],
      controls: { ...(step.controls ?? {}) },
      ...(step.figures?.length ? { figures: step.figures } : {}),
      exercise: step.exercise ? formFromExercise(step.exercise) : null,
    })),
  };
}

/**
 * A draft read from localStorage, or null when there is none or it is not
 * a draft this page wrote (then the panel starts empty and says so).
 */
export function readDraft(stored) {
  if (!stored) return null;
  let draft;
  try {
    draft = JSON.parse(stored);
  } catch {
    return null;
  }
  if (!plainObject(draft) || draft.version !== DRAFT_VERSION || !Array.isArray(draft.steps)) return null;
  const goodStep = (step) => plainObject(step) && plainObject(step.view) && (step.exercise === null || (plainObject(step.exercise) && STARTERS[step.exercise.kind]));
  if (!draft.steps.every(goodStep)) return null;
  return { ...emptyDraft(), ...draft, steps: draft.steps.map((step) => ({ title: '', caption: '', highlight: '', panels: [], controls: {}, ...step })) };
}

// ---- the embed snippets ----------------------------------------------------------

const attributeValue = (value) => String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The lesson as JSON that can sit inside <script type="application/json">:
 * every "<" is written \u003c, so neither "</script>" nor "<!--" in a
 * caption can end the element early; JSON.parse reads it back unchanged.
 */
export const inlineLessonJson = (lesson) => JSON.stringify(lesson, null, 2).replace(/</g, '\\u003c');

/**
 * { iframe, element } for a lesson: the iframe opens embed.html?lesson=<the
 * URL the author will host the file at, relative to the explorer>; the
 * element carries the lesson inline, which a strict CSP on the course page
 * allows (it is data, not script). As in "Copy embed code" (embed-code.js):
 * no fixed width and no style attribute.
 */
export function lessonSnippets(lesson, hosted, base) {
  const embedUrl = new URL(`./embed.html?lesson=${encodeURIComponent(hosted)}`, base).href;
  const scriptUrl = new URL('./embedding-explorer.js', base).href;
  return {
    iframe: `<iframe src="${attributeValue(embedUrl)}" title="${attributeValue(lesson.title || t.untitledLessonFrame)}" width="100%" height="560" frameborder="0" loading="lazy"></iframe>`,
    element: `<script src="${attributeValue(scriptUrl)}"></script>\n<embedding-explorer height="560">\n<script type="application/json">\n${inlineLessonJson(lesson)}\n</script>\n</embedding-explorer>`,
  };
}
