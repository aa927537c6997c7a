// Where a lesson comes from (docs/lessons.md):
//   ?lesson=<name>          a built-in lesson (builtin/index.js)
//   ?lesson=<relative URL>  a .json file on the explorer's own site, relative to the page
//   ?lesson=inline          the lesson the <embedding-explorer> element sent by postMessage (inline-lesson.js)
//   ?step=N                 the step to open, 1-based (else where the learner left off)
// A lesson that cannot be loaded or is malformed is named in the lesson
// bar, and the explorer works on without it.
import { INLINE_LESSON, listenForInlineLesson } from './inline-lesson.js';
import { LessonError, parseLesson } from './format.js';
import { LessonPlayer } from './lesson-player.js';
import { t } from '../i18n/strings.js';
import { LessonProgress } from './lesson-progress.js';

// A host page that named lesson=inline but never sent it: say so rather than wait for ever.
const INLINE_WAIT_MS = 15_000;

/** What the URL asks: { lesson, step } (step 1-based, or null), or null for no lesson. */
export function lessonRequest(search = location.search) {
  const params = new URLSearchParams(search);
  const lesson = params.get('lesson')?.trim();
  if (!lesson) return null;
  const step = Number(params.get('step'));
  return { lesson, step: Number.isInteger(step) && step >= 1 ? step : null };
}

/**
 * Where `name` loads from: { kind: 'builtin' | 'url' | 'inline', … }; a
 * name that is neither a built-in lesson nor a same-origin .json URL is a
 * LessonError that says what is accepted.
 */
export async function resolveLessonSource(name, base = location.href) {
  if (name === INLINE_LESSON) return { kind: 'inline' };
  const { BUILTIN_LESSONS, BUILTIN_NAMES } = await import('./builtin/index.js');
  if (Object.hasOwn(BUILTIN_LESSONS, name)) return { kind: 'builtin', name };
  let url;
  try {
    url = new URL(name, base);
  } catch {
    url = null;
  }
  const fail = (problem) => {
    throw new LessonError(t.lessonProblem(name, problem), { source: name });
  };
  if (!url || !/\.json$/i.test(url.pathname)) fail(t.lessonNotFound(BUILTIN_NAMES));
  if (url.origin !== new URL(base).origin) {
    fail(t.lessonOtherOrigin(new URL(base).origin, url.origin));
  }
  return { kind: 'url', url: url.href };
}

/** The lesson `name` names, checked (format.js); a LessonError says what went wrong. */
export async function loadLesson(name, base = location.href) {
  const source = await resolveLessonSource(name, base);
  if (source.kind === 'builtin') {
    const { BUILTIN_LESSONS } = await import('./builtin/index.js');
    return parseLesson(await BUILTIN_LESSONS[name](), `${name}`);
  }
  if (source.kind === 'inline') {
    if (window.parent === window) throw new LessonError(t.inlineLessonAlone, { source: 'inline' });
    let timer = 0;
    const late = new Promise((_, reject) => {
      timer = window.setTimeout(() => reject(new LessonError(t.inlineLessonLate, { source: 'inline' })), INLINE_WAIT_MS);
    });
    try {
      return parseLesson(await Promise.race([listenForInlineLesson(), late]), 'inline');
    } finally {
      clearTimeout(timer);
    }
  }
  let response;
  try {
    response = await fetch(source.url, { credentials: 'same-origin' });
  } catch (error) {
    throw new LessonError(t.lessonFetchFailed(name, source.url, error?.message ?? error), { source: name });
  }
  if (!response.ok) throw new LessonError(t.lessonLoadFailed(name, source.url, response.status, response.statusText), { source: name });
  return parseLesson(await response.text(), name);
}

/**
 * The app's lesson player, playing the URL's lesson if it names one. Where
 * no step is in the URL, the learner goes on where they left off.
 * @returns {LessonPlayer}
 */
export function startLessons(app, { embed }) {
  const player = new LessonPlayer({ app, embed });
  const { problems } = player.options;
  if (problems.length) app.store.set({ notes: [...app.store.get().notes, ...problems] });
  const request = lessonRequest();
  if (!request) return player;
  loadLesson(request.lesson).then(
    (lesson) => {
      const step = request.step ?? new LessonProgress(lesson).step + 1;
      return player.play(lesson, step - 1, { fromUrl: true });
    },
    (error) => {
      player.showError(error);
      console.warn(error?.message ?? error);
    },
  );
  return player;
}
