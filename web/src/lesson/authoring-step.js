// One step of the lesson being built (authoring-panel.js): its view, title,
// caption with a live preview (rendered by caption.js, as the learner will
// see it: text nodes, never HTML), which controls it hides or locks, the
// panels it opens and the words it marks, and its exercise. Typing changes
// the draft in place (and the panel saves it) without drawing the list
// again, so the cursor stays where it is.
import { el } from '../ui/dom.js';
import { MAX_CAPTION_LENGTH, renderCaption } from './caption.js';
import { t } from '../i18n/strings.js';
import { CONTROL_GROUPS, CONTROL_STATES, EXERCISE_KINDS, starterExercise } from './authoring-draft.js';
import { exerciseEditor } from './exercise-editor.js';

const CONTROL_LABELS = t.controlLabels;

export const viewText = (view) => Object.entries(view).map(([key, value]) => `${key}=${value}`).join(', ') || t.defaultView;

/**
 * The list item of step `index` of `count`. actions: { edited(), redraw(focus),
 * show(index), retake(index), move(index, by), remove(index), preview(index) };
 * panels: the ids of the page's panels a step can open.
 */
export function stepItem({ step, index, count, panels, actions }) {
  const number = index + 1;
  const id = `authoring-step-${number}`;
  const name = t.stepName(number);
  const edited = () => actions.edited();

  const title = el('input', { id: `${id}-title`, type: 'text', autocomplete: 'off', value: step.title, maxlength: '120' });
  title.addEventListener('input', () => ((step.title = title.value), edited()));

  const preview = el('div', { id: `${id}-caption-preview`, class: 'authoring-caption-preview', role: 'region', 'aria-label': t.captionOf(name) });
  const caption = el('textarea', { id: `${id}-caption`, rows: '4', maxlength: String(MAX_CAPTION_LENGTH), 'aria-describedby': `${id}-caption-help` });
  caption.value = step.caption;
  const drawCaption = () => preview.replaceChildren(...(step.caption.trim() ? renderCaption(step.caption) : [el('p', { class: 'hint' }, t.noCaptionYet)]));
  caption.addEventListener('input', () => {
    step.caption = caption.value;
    drawCaption();
    edited();
  });
  drawCaption();

  const highlight = el('input', { id: `${id}-highlight`, type: 'text', autocomplete: 'off', spellcheck: 'false', value: step.highlight, placeholder: t.highlightPlaceholder });
  highlight.addEventListener('input', () => ((step.highlight = highlight.value), edited()));

  const controlRows = CONTROL_GROUPS.map((group) => {
    const select = el('select', { id: `${id}-control-${group}`, dataset: { group } }, ...CONTROL_STATES.map((state) => el('option', { value: state, selected: (step.controls[group] ?? 'shown') === state }, state)));
    select.addEventListener('change', () => {
      if (select.value === 'shown') delete step.controls[group];
      else step.controls[group] = select.value;
      edited();
    });
    return el('label', { class: 'authoring-control' }, `${CONTROL_LABELS[group]} `, select);
  });
  const panelBoxes = panels.map((panel) => {
    const box = el('input', { type: 'checkbox', value: panel, checked: step.panels.includes(panel) });
    box.addEventListener('change', () => {
      step.panels = box.checked ? [...step.panels, panel] : step.panels.filter((p) => p !== panel);
      edited();
    });
    return el('label', { class: 'authoring-panel-choice' }, box, ` ${panel}`);
  });

  let exercisePart;
  if (step.exercise) {
    exercisePart = el(
      'div',
      { class: 'authoring-exercise-part' },
      exerciseEditor({
        exercise: step.exercise,
        id: `${id}-exercise`,
        where: t.stepHeading(number),
        onEdit: edited,
        onKind: (kind) => {
          step.exercise = kind === step.exercise.kind ? step.exercise : starterExercise(kind);
          actions.redraw([index, `#${id}-exercise-kind`], t.exerciseFormChanged);
        },
      }),
      el('button', { type: 'button', class: 'small', 'aria-label': t.removeExerciseOf(name), onclick: () => ((step.exercise = null), actions.redraw([index, `#${id}-add-exercise-kind`], t.exerciseRemoved(name))) }, t.removeExercise),
    );
  } else {
    const kind = el('select', { id: `${id}-add-exercise-kind` }, ...EXERCISE_KINDS.map((k) => el('option', { value: k.kind }, k.label)));
    exercisePart = el(
      'div',
      { class: 'row wrap authoring-exercise-part' },
      el('label', { for: kind.id }, t.exercise),
      kind,
      el('button', { type: 'button', class: 'small', onclick: () => ((step.exercise = starterExercise(kind.value)), actions.redraw([index, `#${id}-exercise-prompt`], t.exerciseAdded(kind.selectedOptions[0].textContent.toLowerCase(), name))) }, t.addExercise),
    );
  }

  const button = (label, action, aria, onclick, disabled = false) => el('button', { type: 'button', class: 'small', dataset: { action }, 'aria-label': aria, disabled, onclick }, label);
  return el(
    'li',
    { class: 'authoring-step', dataset: { index: String(index) }, 'aria-labelledby': `${id}-heading` },
    el(
      'div',
      { class: 'authoring-step-head' },
      el('h3', { id: `${id}-heading` }, t.stepHeading(number)),
      el('span', { class: 'authoring-step-view' }, viewText(step.view)),
      el(
        'span',
        { class: 'authoring-step-actions' },
        button(t.showView, 'show', t.showViewOf(name), () => actions.show(index)),
        button(t.useThisView, 'retake', t.useThisViewFor(name), () => actions.retake(index)),
        button('↑', 'up', t.moveUpLabel(name), () => actions.move(index, -1), index === 0),
        button('↓', 'down', t.moveDownLabel(name), () => actions.move(index, 1), index === count - 1),
        button(t.actionPreview, 'preview', t.previewFrom(name), () => actions.preview(index)),
        button(t.delete, 'delete', t.deleteLabel(name), () => actions.remove(index)),
      ),
    ),
    el('div', { class: 'authoring-field' }, el('label', { for: title.id }, t.titleOptional), title),
    el(
      'div',
      { class: 'authoring-caption' },
      el('div', { class: 'authoring-field wide' }, el('label', { for: caption.id }, t.caption), caption, el('span', { id: `${id}-caption-help`, class: 'hint' }, t.captionHelp)),
      preview,
    ),
    el(
      'details',
      { class: 'authoring-step-more' },
      el('summary', {}, t.stepMore),
      el('fieldset', { class: 'authoring-controls' }, el('legend', {}, t.controlsLegend), ...controlRows),
      el('fieldset', { class: 'authoring-panels' }, el('legend', {}, t.panelsLegend), ...panelBoxes),
      el('div', { class: 'authoring-field' }, el('label', { for: highlight.id }, t.markedWords), highlight),
    ),
    exercisePart,
  );
}
