// "Build a lesson" (issue 10 §4), in the full page: the author sets up a
// view, adds it as a step, writes its caption, chooses what the learner may
// touch and adds an exercise; orders, deletes and previews the steps; then
// exports the lesson file with both embed snippets, or imports a file to
// edit it again. The draft (authoring-draft.js) is kept in localStorage on
// every change, so a reload loses nothing. Before a lesson leaves the panel
// (preview, export) it goes through the lesson format's own check
// (format.js), so what the author ships is what a learner's page accepts.
import { $, downloadFile } from '../ui/dom.js';
import { applySnapshot, snapshotView } from '../ui/view-snapshot.js';
import { DRAFT_KEY, defaultHostedUrl, draftToLesson, emptyDraft, hostedUrl, lessonId, lessonSnippets, lessonToDraft, moveItem, readDraft, stepFromView } from './authoring-draft.js';
import { stepItem } from './authoring-step.js';
import { PANELS, lessonToJson, parseLesson } from './format.js';

export const MAX_STEPS = 50;

const panelName = (details) => details.id.replace(/-panel$/, '');
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
    if (this.draft.steps.length >= MAX_STEPS) return this.#fail(`A lesson has at most ${MAX_STEPS} steps; delete one to add this view.`);
    const panels = [...document.querySelectorAll('details[id$="-panel"][open]')].map(panelName).filter((name) => this.panels.includes(name) && !this.openAtStart.has(name));
    const highlight = [...new Set(this.readHighlight().filter(Boolean))];
    this.draft.steps.push(stepFromView(snapshotView(this.store.get()), { highlight, panels }));
    const number = this.draft.steps.length;
    this.#changed(`Added step ${number}: the current view. Write its caption below.`, [number - 1, `#authoring-step-${number}-caption`]);
  }

  /** The step's view in the page, as its link would open it. */
  show(index) {
    applySnapshot(this.store, this.draft.steps[index].view);
    this.#say(`Showing the view of step ${index + 1}.`);
  }

  retake(index) {
    this.draft.steps[index].view = snapshotView(this.store.get());
    this.#changed(`Step ${index + 1} now holds the page's current view.`, [index, '[data-action="retake"]']);
  }

  move(index, by) {
    const to = index + by;
    if (to < 0 || to >= this.draft.steps.length) return;
    this.draft.steps = moveItem(this.draft.steps, index, by);
    const edge = to === 0 || to === this.draft.steps.length - 1;
    const button = edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down';
    this.#changed(`Moved step ${index + 1} to position ${to + 1} of ${this.draft.steps.length}.`, [to, `[data-action="${button}"]`]);
  }

  remove(index) {
    this.draft.steps.splice(index, 1);
    const next = Math.min(index, this.draft.steps.length - 1);
    this.#changed(`Deleted step ${index + 1}; ${plural(this.draft.steps.length, 'step')} left.`, next >= 0 ? [next, '[data-action="show"]'] : null);
    if (next < 0) $('authoring-add-step').focus();
  }

  /** Plays the lesson in the page from step index+1, through the lesson player; a lesson with a fault is named instead. */
  async preview(index = 0) {
    const lesson = this.#checkedLesson('Preview');
    if (!lesson) return;
    try {
      await this.play(lesson, index);
      this.#say(`Previewing “${lesson.title}” from step ${index + 1}, as a learner sees it.`);
    } catch (error) {
      this.#fail(`The preview could not start: ${error?.message ?? error}`);
    }
  }

  exportFile() {
    const lesson = this.#checkedLesson('Export');
    if (!lesson) return;
    const name = `${lessonId(this.draft)}.json`;
    downloadFile(name, new Blob([lessonToJson(lesson)], { type: 'application/json' }));
    this.#showSnippets(lesson);
    this.#say(`Exported “${lesson.title}” (${plural(lesson.steps.length, 'step')}) as ${name}. Put it at ${hostedUrl(this.draft)} beside the explorer for the iframe, or paste the element, which carries the lesson itself.`);
  }

  /** A lesson file replaces the draft for editing; a malformed one is named (step and field) and the draft stays. */
  async importFile(file) {
    let lesson;
    try {
      lesson = parseLesson(await file.text(), file.name);
    } catch (error) {
      return this.#fail(`${error?.message ?? error} The lesson being built here is unchanged (${plural(this.draft.steps.length, 'step')}).`);
    }
    this.draft = lessonToDraft(lesson, this.draft.hostedUrl);
    this.#fillLessonFields();
    this.#changed(`Imported “${lesson.title}” from "${file.name}": ${plural(lesson.steps.length, 'step')} to edit.`);
  }

  startAgain() {
    if (this.draft.steps.length && !confirm(`Start a new lesson? The ${plural(this.draft.steps.length, 'step')} here will be gone (export them first to keep them).`)) return;
    this.draft = emptyDraft();
    this.#fillLessonFields();
    this.#changed('Started a new, empty lesson.');
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
    if (stored && !draft) this.#fail('The lesson draft kept in this browser could not be read (a newer or damaged copy); a new lesson is started, and the old copy is kept until this one is changed.');
    return draft ?? emptyDraft();
  }

  #save() {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(this.draft));
      this.panel.dataset.savedSteps = String(this.draft.steps.length);
    } catch (error) {
      this.#fail(`The draft could not be kept in this browser (${error?.message ?? error}); export it to keep it.`);
    }
  }

  /** The lesson the draft makes, checked by the format; null, with the fault named, if it has one. */
  #checkedLesson(action) {
    if (!this.draft.steps.length) {
      this.#fail(`${action}: the lesson has no steps yet. Set up a view and press “Add this view as a step”.`);
      return null;
    }
    try {
      return parseLesson(draftToLesson(this.draft), `${lessonId(this.draft)}.json`);
    } catch (error) {
      this.#fail(`${action} stopped: ${error?.message ?? error}`);
      return null;
    }
  }

  #showSnippets(lesson = this.#checkedLesson('Embed code')) {
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
