// "Build a lesson" (issue 10 §4), in the full page: the author sets up a
// view, adds it as a step, writes its caption, chooses what the learner may
// touch and adds an exercise; orders, deletes and previews the steps; then
// exports the lesson file with both embed snippets, or imports a file to
// edit it again. The draft (authoring-draft.js) is kept in localStorage on
// every change, so a reload loses nothing. Before a lesson leaves the panel
// (preview, export) it goes through the lesson format's own check
// (format.js), so what the author ships is what a learner's page accepts.
import { $, downloadFile } from '../ui/dom.js';
import { t } from '../i18n/strings.js';
import { applySnapshot, snapshotView } from '../ui/view-snapshot.js';
import { DRAFT_KEY, defaultHostedUrl, draftToLesson, emptyDraft, hostedUrl, lessonId, lessonSnippets, lessonToDraft, moveItem, readDraft, stepFromView } from './authoring-draft.js';
import { stepItem } from './authoring-step.js';
import { PANELS, lessonToJson, parseLesson } from './format.js';

export const MAX_STEPS = 50;

const panelName = (details) => details.id.replace(/-panel$/, '');

export class AuthoringPanel {
  /**
   * store: the page's store; readHighlight(): the words marked in the view now;
   * play(lesson, stepIndex): plays a lesson object in the page (the lesson player).
   */
  constructor({ store, readHighlight = () => [], play }) {
    this.store = store;
    this.readHighlight = readHighlight;
    this.play = play;
    this.panel = $('authoring-panel');
    // Panels open as the page starts are open anyway: a step records the ones the author opened.
    this.openAtStart = new Set([...document.querySelectorAll('details[id$="-panel"][open]')].map(panelName));
    this.panels = PANELS.filter((name) => $(`${name}-panel`));
    this.draft = this.#loadDraft();

    for (const [id, key] of [['authoring-title', 'title'], ['authoring-id', 'id'], ['authoring-description', 'description'], ['authoring-hosted-url', 'hostedUrl']]) {
      const input = $(id);
      input.value = this.draft[key];
      input.addEventListener('input', () => {
        this.draft[key] = input.value;
        this.#placeholders();
        this.#save();
        if (key !== 'description' && !$('authoring-export-box').hidden) this.#showSnippets();
      });
    }
    $('authoring-add-step').addEventListener('click', () => this.addStep());
    $('authoring-preview').addEventListener('click', () => this.preview(0));
    $('authoring-export').addEventListener('click', () => this.exportFile());
    $('authoring-new').addEventListener('click', () => this.startAgain());
    $('authoring-import').addEventListener('change', (event) => {
      const file = event.target.files?.[0];
      if (file) this.importFile(file).finally(() => (event.target.value = ''));
    });
    this.#placeholders();
    this.#render();
  }

  // ---- the author's actions ---------------------------------------------------------

  addStep() {
    if (this.draft.steps.length >= MAX_STEPS) return this.#fail(t.tooManySteps(MAX_STEPS));
    const panels = [...document.querySelectorAll('details[id$="-panel"][open]')].map(panelName).filter((name) => this.panels.includes(name) && !this.openAtStart.has(name));
    const highlight = [...new Set(this.readHighlight().filter(Boolean))];
    this.draft.steps.push(stepFromView(snapshotView(this.store.get()), { highlight, panels }));
    const number = this.draft.steps.length;
    this.#changed(t.stepAdded(number), [number - 1, `#authoring-step-${number}-caption`]);
  }

  /** The step's view in the page, as its link would open it. */
  show(index) {
    applySnapshot(this.store, this.draft.steps[index].view);
    this.#say(t.showingStep(index + 1));
  }

  retake(index) {
    this.draft.steps[index].view = snapshotView(this.store.get());
    this.#changed(t.stepRetaken(index + 1), [index, '[data-action="retake"]']);
  }

  move(index, by) {
    const to = index + by;
    if (to < 0 || to >= this.draft.steps.length) return;
    this.draft.steps = moveItem(this.draft.steps, index, by);
    const edge = to === 0 || to === this.draft.steps.length - 1;
    const button = edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down';
    this.#changed(t.stepMoved(index + 1, to + 1, this.draft.steps.length), [to, `[data-action="${button}"]`]);
  }

  remove(index) {
    this.draft.steps.splice(index, 1);
    const next = Math.min(index, this.draft.steps.length - 1);
    this.#changed(t.stepDeleted(index + 1, this.draft.steps.length), next >= 0 ? [next, '[data-action="show"]'] : null);
    if (next < 0) $('authoring-add-step').focus();
  }

  /** Plays the lesson in the page from step index+1, through the lesson player; a lesson with a fault is named instead. */
  async preview(index = 0) {
    const lesson = this.#checkedLesson(t.actionPreview);
    if (!lesson) return;
    try {
      await this.play(lesson, index);
      this.#say(t.previewing(lesson.title, index + 1));
    } catch (error) {
      this.#fail(t.previewFailed(error?.message ?? error));
    }
  }

  exportFile() {
    const lesson = this.#checkedLesson(t.actionExport);
    if (!lesson) return;
    const name = `${lessonId(this.draft)}.json`;
    downloadFile(name, new Blob([lessonToJson(lesson)], { type: 'application/json' }));
    this.#showSnippets(lesson);
    this.#say(t.lessonExported(lesson.title, lesson.steps.length, name, hostedUrl(this.draft)));
  }

  /** A lesson file replaces the draft for editing; a malformed one is named (step and field) and the draft stays. */
  async importFile(file) {
    let lesson;
    try {
      lesson = parseLesson(await file.text(), file.name);
    } catch (error) {
      return this.#fail(t.importKeptDraft(error?.message ?? error, this.draft.steps.length));
    }
    this.draft = lessonToDraft(lesson, this.draft.hostedUrl);
    this.#fillLessonFields();
    this.#changed(t.lessonImported(lesson.title, file.name, lesson.steps.length));
  }

  startAgain() {
    if (this.draft.steps.length && !confirm(t.confirmNewLesson(this.draft.steps.length))) return;
    this.draft = emptyDraft();
    this.#fillLessonFields();
    this.#changed(t.newLessonStarted);
  }

  // ---- the draft ---------------------------------------------------------------------

  #loadDraft() {
    let stored = null;
    try {
      stored = localStorage.getItem(DRAFT_KEY);
    } catch {
      // Storage refused (a private window's policy): the draft lives in this page only.
    }
    const draft = readDraft(stored);
    if (stored && !draft) this.#fail(t.draftUnreadable);
    return draft ?? emptyDraft();
  }

  #save() {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(this.draft));
      this.panel.dataset.savedSteps = String(this.draft.steps.length);
    } catch (error) {
      this.#fail(t.draftNotStored(error?.message ?? error));
    }
  }

  /** The lesson the draft makes, checked by the format; null, with the fault named, if it has one. */
  #checkedLesson(action) {
    if (!this.draft.steps.length) {
      this.#fail(t.noStepsYet(action));
      return null;
    }
    try {
      return parseLesson(draftToLesson(this.draft), `${lessonId(this.draft)}.json`);
    } catch (error) {
      this.#fail(t.actionStopped(action, error?.message ?? error));
      return null;
    }
  }

  #showSnippets(lesson = this.#checkedLesson(t.actionEmbedCode)) {
    if (!lesson) return;
    // The snippet holds the lesson as its file does (defaults left out).
    const { iframe, element } = lessonSnippets(JSON.parse(lessonToJson(lesson)), hostedUrl(this.draft), location.href);
    $('authoring-iframe-code').value = iframe;
    $('authoring-element-code').value = element;
    $('authoring-export-box').hidden = false;
  }

  // ---- drawing ------------------------------------------------------------------------

  #changed(message, focus = null) {
    this.#save();
    this.#render(focus);
    this.#say(message);
    if (!$('authoring-export-box').hidden) $('authoring-export-box').hidden = true; // the snippets were of the old lesson
  }

  #fillLessonFields() {
    $('authoring-title').value = this.draft.title;
    $('authoring-id').value = this.draft.id;
    $('authoring-description').value = this.draft.description;
    $('authoring-hosted-url').value = this.draft.hostedUrl;
    this.#placeholders();
  }

  #placeholders() {
    $('authoring-id').placeholder = lessonId(this.draft);
    $('authoring-hosted-url').placeholder = defaultHostedUrl(this.draft);
  }

  #render(focus = null) {
    const list = $('authoring-steps');
    const count = this.draft.steps.length;
    const actions = {
      edited: () => this.#save(),
      redraw: (to, message) => this.#changed(message, to),
      show: (index) => this.show(index),
      retake: (index) => this.retake(index),
      move: (index, by) => this.move(index, by),
      remove: (index) => this.remove(index),
      preview: (index) => this.preview(index),
    };
    list.replaceChildren(...this.draft.steps.map((step, index) => stepItem({ step, index, count, panels: this.panels, actions })));
    $('authoring-empty').hidden = count > 0;
    for (const id of ['authoring-preview', 'authoring-export']) $(id).disabled = count === 0;
    $('authoring-add-step').disabled = count >= MAX_STEPS;
    this.panel.dataset.steps = String(count);
    if (focus) list.children[focus[0]]?.querySelector(focus[1])?.focus();
  }

  #say(message) {
    $('authoring-error').hidden = true;
    $('authoring-status').textContent = message;
  }

  #fail(message) {
    const error = $('authoring-error');
    error.textContent = message;
    error.hidden = false;
  }
}
