// The lesson bar: a lesson's title, "Step 2 of 6", the step's caption,
// its live figures and its exercise, and Back / Next, in the full page
// (above the explorer) and in the embed (atop its side column). Showing a
// step puts its view in the store (applySnapshot, as a bookmark does), marks
// its words in the 3D view, opens its panels (full page) and shows, hides or
// locks its controls (embed-options.js; the step's controls win over the
// page's hide=/lock=). The step is kept in the URL (?step=N), so a link or a
// reload opens it; progress is stored and told to the host page
// (lesson-progress.js). Everything is keyboard-operable, and what changes
// (a new step, an exercise's reveal) is announced through a live region.
import { Request } from '../compute/protocol.js';
import { $, el } from '../ui/dom.js';
import { t } from '../i18n/strings.js';
import { applySnapshot } from '../ui/view-snapshot.js';
import { renderCaption } from './caption.js';
import { optionControlStates, readPageOptions, setControlStates } from './embed-options.js';
import { HIDING_CLASS, renderExercise } from './exercises.js';
import { renderFigures } from './figures.js';
import { LessonProgress } from './lesson-progress.js';

/** Resolves once the whole table answers (body[data-ready], set by the app): figures and checks need every word. */
function tableReady() {
  if (document.body.dataset.ready === 'true') return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (document.body.dataset.ready !== 'true') return;
      observer.disconnect();
      resolve();
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
  });
}

/** The URL with ?step=N (or without step=), everything else kept. */
function urlWithStep(step) {
  const params = new URLSearchParams(location.search);
  if (step === null) params.delete('step');
  else params.set('step', String(step));
  const search = params.toString();
  return `${location.pathname}${search ? `?${search}` : ''}${location.hash}`;
}

export class LessonPlayer {
  /** app: the ExplorerApp (its store, client and highlight()); embed: the embed page (panels are ignored there). */
  constructor({ app, embed = false }) {
    this.app = app;
    this.embed = embed;
    this.options = readPageOptions();
    this.lesson = null;
    this.index = 0;
    this.fromUrl = false; // a lesson named in the URL keeps its step there; a preview does not
    this.generation = 0; // a step left before its figures or words came back must not draw them
    this.bar = this.#buildBar();
    addEventListener('popstate', () => this.#followUrl());
  }

  #buildBar() {
    const bar = el('section', { id: 'lesson-bar', class: 'lesson-bar card', 'aria-labelledby': 'lesson-title', hidden: true });
    this.titleNode = el('h2', { id: 'lesson-title', class: 'lesson-title' });
    this.indicator = el('p', { id: 'lesson-step-indicator', class: 'lesson-step-indicator' });
    this.stepTitle = el('h3', { id: 'lesson-step-title', class: 'lesson-step-title', tabindex: '-1' });
    this.caption = el('div', { id: 'lesson-caption', class: 'lesson-caption' });
    this.missing = el('p', { id: 'lesson-missing', class: 'hint' });
    this.figures = el('div', { id: 'lesson-figures', class: 'lesson-figures-area' });
    this.exercise = el('div', { id: 'lesson-exercise', class: 'lesson-exercise-area' });
    this.error = el('p', { id: 'lesson-error', class: 'message', role: 'alert', hidden: true });
    this.back = el('button', { id: 'lesson-back', type: 'button', class: 'small', onclick: () => this.go(this.index - 1) }, t.lessonBack);
    this.next = el('button', { id: 'lesson-next', type: 'button', onclick: () => this.#next() }, t.lessonNext);
    this.clear = el('button', { id: 'lesson-clear', type: 'button', class: 'small', onclick: () => this.#clearProgress() }, t.lessonClearProgress);
    this.close = el('button', { id: 'lesson-close', type: 'button', class: 'small', onclick: () => this.stop() }, t.lessonClose);
    this.announcer = el('p', { id: 'lesson-announcement', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    const nav = el('div', { class: 'lesson-nav row wrap', role: 'group', 'aria-label': t.lessonSteps }, this.back, this.indicator, this.next, this.clear, this.embed ? null : this.close);
    this.body = el('div', { class: 'lesson-body' }, this.stepTitle, this.caption, this.missing, this.figures, this.exercise);
    bar.append(this.titleNode, nav, this.body, this.announcer);
    // The error stands apart from the bar: a lesson that failed to load has no bar to show.
    const host = this.embed ? document.querySelector('.embed-side') : document.querySelector('main');
    const anchor = this.embed ? document.getElementById('load-status')?.nextSibling : host;
    if (this.embed && host) host.insertBefore(el('div', { class: 'lesson-slot' }, this.error, bar), anchor ?? host.firstChild);
    else host?.before(el('div', { class: 'lesson-slot page-lesson' }, this.error, bar));
    return bar;
  }

  /** Plays `lesson` (a parsed lesson, format.js) from step `index` (0-based). source: the lesson named in the URL, if it is. */
  async play(lesson, index = 0, { fromUrl = false } = {}) {
    this.lesson = lesson;
    this.fromUrl = fromUrl;
    this.progress = new LessonProgress(lesson);
    this.error.hidden = true;
    this.bar.hidden = false;
    this.titleNode.textContent = lesson.title;
    document.body.dataset.lesson = lesson.id;
    await this.go(index);
  }

  /** Shows a lesson that could not be loaded; the explorer goes on without it. */
  showError(error) {
    this.error.textContent = t.lessonWorksOn(error?.message ?? error);
    this.error.hidden = false;
    document.body.dataset.lessonError = 'true';
  }

  /** Ends the lesson: the bar goes, every control shows again (as the page's options say). */
  stop() {
    this.generation++;
    this.lesson = null;
    this.bar.hidden = true;
    delete document.body.dataset.lesson;
    this.exerciseHandle?.dispose?.();
    document.body.classList.remove(HIDING_CLASS);
    setControlStates(optionControlStates(this.options));
    this.app.highlight?.([]);
    if (this.fromUrl) history.replaceState(null, '', urlWithStep(null));
  }

  /** Shows step `index` (0-based, clamped). applyView false: the view is already the step's (Back in the browser). */
  async go(index, { applyView = true } = {}) {
    const lesson = this.lesson;
    if (!lesson) return;
    this.index = Math.min(Math.max(Math.trunc(index) || 0, 0), lesson.steps.length - 1);
    const generation = ++this.generation;
    const step = lesson.steps[this.index];
    this.progress.visit(this.index);
    setControlStates({ ...optionControlStates(this.options), ...step.controls });
    if (!this.embed) this.#openPanels(step);
    if (applyView) applySnapshot(this.app.store, step.view ?? {});
    // After the view's own URL change (syncUrl runs inside the store's set), so the step joins that entry.
    if (this.fromUrl && new URLSearchParams(location.search).get('step') !== String(this.index + 1)) history.replaceState(null, '', urlWithStep(this.index + 1));
    this.#drawStep(step);
    this.#announce(t.stepAnnounced(this.index + 1, lesson.steps.length, step.title));
    document.body.dataset.lessonStep = String(this.index + 1);
    await tableReady();
    if (generation !== this.generation) return;
    await Promise.all([this.#highlight(step.highlight ?? [], generation), this.#drawLive(step, generation)]);
  }

  /** Opens the step's panels; a step that asks a question closes the others, since one could show the answer (the anisotropy panel shows the mean pair cosine). */
  #openPanels(step) {
    const wanted = new Set(step.panels ?? []);
    // Not the author's own panel: previewing a lesson must not fold away the lesson being built.
    const answering = (details) => details.id !== 'authoring-panel' && !wanted.has(details.id.replace(/-panel$/, ''));
    if (step.exercise) for (const details of document.querySelectorAll('details[id$="-panel"]')) if (answering(details)) details.open = false;
    for (const panel of wanted) $(`${panel}-panel`)?.setAttribute('open', '');
  }

  #drawStep(step) {
    const { steps } = this.lesson;
    const done = this.progress.doneCount;
    this.indicator.textContent = t.stepIndicator(this.index + 1, steps.length);
    this.indicator.title = t.stepsDone(done, steps.length);
    this.stepTitle.textContent = step.title ?? '';
    this.stepTitle.hidden = !step.title;
    this.caption.replaceChildren(...renderCaption(step.caption));
    this.missing.textContent = '';
    this.back.disabled = this.index === 0;
    const last = this.index === steps.length - 1;
    this.next.textContent = last ? t.lessonFinish : t.lessonNext;
    this.next.disabled = last && this.progress.finished && this.progress.doneAt(this.index) !== undefined;
    this.exerciseHandle?.dispose?.();
    this.exerciseHandle = null;
    this.figures.replaceChildren();
    this.exercise.replaceChildren();
    this.figures.hidden = !step.figures?.length;
    this.exercise.hidden = !step.exercise;
    // A prediction's answer stays hidden from the first moment, not only once the exercise is drawn (after the table is in).
    document.body.classList.toggle(HIDING_CLASS, step.exercise?.type === 'predict-word');
    if (step.figures?.length || step.exercise) this.figures.append(el('p', { class: 'hint' }, t.computingOnTable));
  }

  /** The step's figures and exercise, computed by the core on the loaded table. */
  async #drawLive(step, generation) {
    const context = { client: this.app.client, readState: () => this.app.store.get() };
    const figures = step.figures?.length ? renderFigures(this.figures, step.figures, context) : (this.figures.replaceChildren(), null);
    if (step.exercise) {
      const index = this.index;
      this.exerciseHandle = renderExercise(this.exercise, step.exercise, {
        ...context,
        step: index + 1,
        // The exercise announces its own reveal (role=status); the player records it and tells the host page.
        onResult: (result) => {
          if (generation !== this.generation) return;
          this.progress.exercise(index, result);
          this.#drawStepState();
        },
      });
    }
    await figures;
  }

  #drawStepState() {
    this.indicator.title = t.stepsDone(this.progress.doneCount, this.lesson.steps.length);
  }

  /** Marks the step's words in the view; words the table lacks are named under the caption. */
  async #highlight(words, generation) {
    if (!words.length) return this.app.highlight?.([]);
    let ids;
    try {
      ids = await this.app.client.call(Request.wordIds, { words });
    } catch (error) {
      ids = words.map(() => -1);
    }
    if (generation !== this.generation) return;
    const missing = words.filter((_, i) => !(ids[i] >= 0));
    this.missing.textContent = missing.length ? t.notMarkedMissing(missing) : '';
    this.app.highlight?.(ids.filter((id) => id >= 0));
  }

  async #next() {
    if (!this.lesson) return;
    const step = this.lesson.steps[this.index];
    this.progress.completeStep(this.index, Boolean(step.exercise));
    if (this.index < this.lesson.steps.length - 1) return this.go(this.index + 1);
    this.progress.completeLesson();
    this.next.disabled = true;
    this.#drawStepState();
    this.#announce(t.lessonComplete(this.lesson.title));
    this.missing.textContent = t.lessonFinished;
  }

  #clearProgress() {
    if (!this.lesson) return;
    this.progress.clear();
    this.#announce(t.progressCleared);
    this.go(0);
  }

  /** Back or Forward in the browser: the URL's step (the view is already that entry's). */
  #followUrl() {
    if (!this.lesson || !this.fromUrl) return;
    const step = Number(new URLSearchParams(location.search).get('step'));
    if (Number.isInteger(step) && step >= 1 && step - 1 !== this.index) this.go(step - 1, { applyView: false });
  }

  #announce(text) {
    // Cleared first, so the same words said twice are announced twice.
    this.announcer.textContent = '';
    requestAnimationFrame(() => (this.announcer.textContent = text));
  }
}
