// A learner's progress through a lesson: kept in localStorage per lesson
// (key "embedding-explorer:lesson:<id>", { step, done: { [stepIndex]:
// { correct, answer } } }) and told to the page around the explorer, so a
// course platform can record it (docs/lessons.md):
//   window.parent.postMessage({ type: 'embedding-explorer:progress', lesson, title, step, steps,
//     event: 'exercise' | 'step' | 'lesson', correct, answer?, value? }, '*')
// It carries nothing about the learner beyond their answer to that
// exercise, so it may go to any origin; the <embedding-explorer> element
// re-dispatches it as a DOM event 'embedding-explorer-progress'.

export const PROGRESS_MESSAGE_TYPE = 'embedding-explorer:progress';
export const progressKey = (id) => `embedding-explorer:lesson:${id}`;

/** Storage may be blocked (a sandboxed frame, strict privacy settings): progress then lasts for the visit only. */
function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export class LessonProgress {
  /** @param {{ id: string, title: string, steps: unknown[] }} lesson */
  constructor(lesson) {
    this.lesson = lesson;
    this.state = this.#read();
  }

  #read() {
    try {
      const saved = JSON.parse(storage()?.getItem(progressKey(this.lesson.id)) ?? 'null');
      const valid = saved && Number.isInteger(saved.step) && typeof saved.done === 'object' && saved.done !== null;
      if (valid) return { step: Math.min(Math.max(saved.step, 0), this.lesson.steps.length - 1), done: saved.done, finished: saved.finished === true };
    } catch {
      // A damaged entry is no progress.
    }
    return { step: 0, done: {}, finished: false };
  }

  #write() {
    try {
      storage()?.setItem(progressKey(this.lesson.id), JSON.stringify(this.state));
    } catch {
      // Full or blocked storage: the progress still goes to the host page.
    }
  }

  /** The step saved last (0-based). */
  get step() {
    return this.state.step;
  }

  /** Is step `index` completed, and how: { correct, answer } or undefined. */
  doneAt(index) {
    return this.state.done[index];
  }

  get doneCount() {
    return Object.keys(this.state.done).length;
  }

  visit(index) {
    this.state.step = index;
    this.#write();
  }

  /** An exercise's result: { correct, answer?, value? }. */
  exercise(index, { correct, answer, value }) {
    this.state.done[index] = { correct: Boolean(correct), ...(answer !== undefined ? { answer: String(answer) } : {}) };
    this.#write();
    this.#post({ event: 'exercise', step: index + 1, correct: Boolean(correct), answer, value });
  }

  /** Step `index` completed (Next after it): its exercise's result, or null for a step without one. */
  completeStep(index, hasExercise) {
    const result = this.state.done[index];
    if (!result) this.state.done[index] = { correct: null };
    this.#write();
    this.#post({ event: 'step', step: index + 1, correct: hasExercise ? (result?.correct ?? false) : null });
  }

  /** The whole lesson: correct when every exercise answered was right (null for a lesson without exercises). */
  completeLesson() {
    this.state.finished = true;
    this.#write();
    const results = Object.values(this.state.done).filter((entry) => entry.correct !== null);
    const correctCount = results.filter((entry) => entry.correct).length;
    this.#post({ event: 'lesson', step: this.lesson.steps.length, correct: results.length ? correctCount === results.length : null, exercises: results.length, exercisesCorrect: correctCount });
  }

  get finished() {
    return this.state.finished;
  }

  clear() {
    this.state = { step: 0, done: {}, finished: false };
    try {
      storage()?.removeItem(progressKey(this.lesson.id));
    } catch {
      // Nothing kept, nothing to clear.
    }
  }

  #post(fields) {
    const message = { type: PROGRESS_MESSAGE_TYPE, lesson: this.lesson.id, title: this.lesson.title, steps: this.lesson.steps.length, ...fields };
    for (const key of Object.keys(message)) if (message[key] === undefined) delete message[key];
    // For the page itself and its tests: the last message, in order.
    document.body.dataset.lessonProgress = JSON.stringify(message);
    if (window.parent !== window) window.parent.postMessage(message, '*');
  }
}
