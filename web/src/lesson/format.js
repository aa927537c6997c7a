// The lesson document (docs/lessons.md): a title and 1..50 steps, each a
// caption, the view (a view snapshot, view-snapshot.js), the words marked,
// the panels opened, the controls shown, hidden or locked, live figures
// and at most one exercise (exercise-format.js checks those two). A lesson
// comes from outside (a file, a course page), so everything is checked
// here, and an error names the lesson, the step (1-based) and the field:
//   Lesson "x.json", step 3, field "exercise.options": needs at least two words; it has 1.
// parseLesson returns the lesson with its defaults filled in; lessonToJson
// writes one back as a file, leaving out what is at its default.
import { t } from '../i18n/strings.js';
import { SnapshotError, checkSnapshot } from '../ui/view-snapshot.js';
import { MAX_CAPTION_LENGTH } from './caption.js';
import { CONTROL_GROUPS } from './embed-options.js';
import { LessonFormatError, checkExercise, checkFigure } from './exercise-format.js';

export { CONTROL_GROUPS };
export const LESSON_FORMAT = 'embedding-explorer-lesson';
export const LESSON_VERSION = 1;
export const MAX_STEPS = 50;
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_HIGHLIGHT = 50;
export const MAX_FIGURES = 12;
export const CONTROL_STATES = Object.freeze(['shown', 'hidden', 'locked']);
/** The full page's <details> panels a step can open (their ids without "-panel"). */
export const PANELS = Object.freeze(['selection', 'search', 'similarity', 'directions', 'navigator', 'bookmarks', 'load', 'lab', 'anisotropy', 'memory']);
const STEP_FIELDS = Object.freeze(['title', 'caption', 'view', 'highlight', 'panels', 'controls', 'figures', 'exercise']);
const LESSON_FIELDS = Object.freeze(['format', 'version', 'id', 'title', 'description', 'steps']);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A lesson that cannot be used; `source`, `step` (1-based, 0 for the lesson itself) and `field` say where. */
export class LessonError extends Error {
  constructor(message, { source = '', step = 0, field = '' } = {}) {
    super(message);
    this.name = 'LessonError';
    this.source = source;
    this.step = step;
    this.field = field;
  }
}

const plainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const described = (value) => (value === undefined ? t.kindMissing : value === null ? t.kindNull : Array.isArray(value) ? t.kindList : typeof value === 'object' ? t.kindObject : JSON.stringify(value));

/** 'Lesson "x.json"' for a file name or URL; a lesson named by its title when there is nothing else. */
export const lessonName = (source) => t.lessonNamed(String(source || 'inline'));

/** A short stable id from the title, for a lesson without one (its progress is stored under it). */
export function idFromTitle(title) {
  let hash = 0x811c9dc5;
  for (const ch of String(title)) {
    hash ^= ch.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `lesson-${hash.toString(16).padStart(8, '0')}`;
}

function textField(value, fail, field, { max, required }) {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || (required && !value.trim())) fail(field, t.needsText(described(value)));
  if (value.length > max) fail(field, t.lessonTextTooLong(max, value.length));
  return value;
}

function checkStep(step, where, fail) {
  if (!plainObject(step)) fail('', t.stepNotObject(described(step)));
  for (const key of Object.keys(step)) if (!STEP_FIELDS.includes(key)) fail(key, t.notAStepField(STEP_FIELDS));
  const out = { caption: textField(step.caption, fail, 'caption', { max: MAX_CAPTION_LENGTH, required: true }) };
  const title = textField(step.title, fail, 'title', { max: MAX_TITLE_LENGTH, required: false });
  if (title !== undefined) out.title = title.trim();
  // An omitted view is the default view: a step is self-contained, whatever the step before showed.
  try {
    out.view = checkSnapshot(step.view ?? {}, where);
  } catch (error) {
    if (error instanceof SnapshotError) fail(error.field, error.problem);
    throw error;
  }
  if (step.highlight !== undefined) {
    if (!Array.isArray(step.highlight)) fail('highlight', t.highlightNotList(described(step.highlight)));
    if (step.highlight.length > MAX_HIGHLIGHT) fail('highlight', t.tooManyMarked(MAX_HIGHLIGHT, step.highlight.length));
    out.highlight = step.highlight.map((word, i) => {
      if (typeof word !== 'string' || !word.trim() || /\s/.test(word.trim())) fail(`highlight[${i}]`, t.needsOneWord(described(word)));
      return word.trim();
    });
  }
  if (step.panels !== undefined) {
    if (!Array.isArray(step.panels)) fail('panels', t.panelsNotList(described(step.panels)));
    out.panels = step.panels.map((panel, i) => {
      const name = typeof panel === 'string' ? panel.trim().replace(/-panel$/, '') : panel;
      if (!PANELS.includes(name)) fail(`panels[${i}]`, t.mustBeOneOf(PANELS, described(panel)));
      return name;
    });
  }
  if (step.controls !== undefined) {
    if (!plainObject(step.controls)) fail('controls', t.controlsNotObject(described(step.controls)));
    out.controls = {};
    for (const [group, state] of Object.entries(step.controls)) {
      if (!CONTROL_GROUPS.includes(group)) fail(`controls.${group}`, t.notAStepControlGroup(CONTROL_GROUPS));
      if (!CONTROL_STATES.includes(state)) fail(`controls.${group}`, t.mustBeControlState(CONTROL_STATES, described(state)));
      out.controls[group] = state;
    }
  }
  if (step.figures !== undefined) {
    if (!Array.isArray(step.figures)) fail('figures', t.figuresNotList(described(step.figures)));
    if (step.figures.length > MAX_FIGURES) fail('figures', t.tooManyFigures(MAX_FIGURES, step.figures.length));
    out.figures = step.figures.map((figure, i) => checkFigure(figure, where, `figures[${i}]`));
  }
  if (step.exercise !== undefined) out.exercise = checkExercise(step.exercise, where, 'exercise');
  return out;
}

/**
 * A lesson read from outside (JSON text or the parsed value), checked and
 * normalised; throws a LessonError naming the lesson (`source`, a file name
 * or URL), the step and the field.
 * @param {unknown} value
 * @param {string} [source]
 */
export function parseLesson(value, source = 'inline') {
  const name = lessonName(source);
  const failLesson = (field, problem) => {
    throw new LessonError(t.lessonFieldProblem(name, field, problem), { source, field });
  };
  let doc = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch (error) {
      failLesson('', t.lessonNotJson(error.message));
    }
  }
  if (!plainObject(doc)) failLesson('', t.lessonNotDocument(LESSON_FORMAT, LESSON_VERSION, described(doc)));
  for (const key of Object.keys(doc)) if (!LESSON_FIELDS.includes(key)) failLesson(key, t.notALessonField(LESSON_FIELDS));
  if (doc.format !== LESSON_FORMAT) failLesson('format', t.mustBeFormat(LESSON_FORMAT, described(doc.format)));
  if (doc.version !== LESSON_VERSION) failLesson('version', t.lessonVersion(LESSON_VERSION, described(doc.version)));
  const title = textField(doc.title, failLesson, 'title', { max: MAX_TITLE_LENGTH, required: true }).trim();
  const description = textField(doc.description, failLesson, 'description', { max: MAX_DESCRIPTION_LENGTH, required: false });
  if (doc.id !== undefined && (typeof doc.id !== 'string' || !ID_PATTERN.test(doc.id))) {
    failLesson('id', t.badLessonId(described(doc.id)));
  }
  if (!Array.isArray(doc.steps)) failLesson('steps', t.stepsNotList(described(doc.steps)));
  if (doc.steps.length < 1 || doc.steps.length > MAX_STEPS) failLesson('steps', t.stepCountOutOfRange(MAX_STEPS, doc.steps.length));
  const steps = doc.steps.map((step, i) => {
    const where = t.lessonStepWhere(name, i + 1);
    const fail = (field, problem) => {
      throw new LessonError(t.lessonFieldProblem(where, field, problem), { source, step: i + 1, field });
    };
    try {
      return checkStep(step, where, fail);
    } catch (error) {
      if (error instanceof LessonFormatError) throw new LessonError(error.message, { source, step: i + 1, field: error.field });
      throw error;
    }
  });
  const lesson = { format: LESSON_FORMAT, version: LESSON_VERSION, id: doc.id ?? idFromTitle(title), title, steps };
  if (description !== undefined && description.trim()) lesson.description = description.trim();
  return lesson;
}

/** The lesson as a file's JSON (two-space indented), leaving out empty lists and the default view. */
export function lessonToJson(lesson) {
  const steps = lesson.steps.map((step) => {
    const out = {};
    if (step.title) out.title = step.title;
    out.caption = step.caption;
    if (step.view && Object.keys(step.view).length) out.view = step.view;
    if (step.highlight?.length) out.highlight = step.highlight;
    if (step.panels?.length) out.panels = step.panels;
    if (step.controls && Object.keys(step.controls).length) out.controls = step.controls;
    if (step.figures?.length) out.figures = step.figures;
    if (step.exercise) out.exercise = step.exercise;
    return out;
  });
  const doc = { format: LESSON_FORMAT, version: LESSON_VERSION };
  if (lesson.id) doc.id = lesson.id;
  doc.title = lesson.title;
  if (lesson.description) doc.description = lesson.description;
  doc.steps = steps;
  return `${JSON.stringify(doc, null, 2)}\n`;
}
