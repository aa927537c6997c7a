// One step of the lesson being built (authoring-panel.js): its view, title,
// caption with a live preview (rendered by caption.js, as the learner will
// see it: text nodes, never HTML), which controls it hides or locks, the
// panels it opens and the words it marks, and its exercise. Typing changes
// the draft in place (and the panel saves it) without drawing the list
// again, so the cursor stays where it is.
import { el } from '../ui/dom.js';
import { MAX_CAPTION_LENGTH, renderCaption } from './caption.js';
import { CONTROL_GROUPS, CONTROL_STATES, EXERCISE_KINDS, starterExercise } from './authoring-draft.js';
import { exerciseEditor } from './exercise-editor.js';

const CONTROL_LABELS = { query: 'query fields', method: 'method', metric: 'metric', space: 'space', projection: 'projection', k: 'k', points: 'points', words: 'word list', panels: 'panels' };

export const viewText = (view) => Object.entries(view).map(([key, value]) => `${key}=${value}`).join(', ') || 'the default view';

/**
 * The list item of step `index` of `count`. actions: { edited(), redraw(focus),
 * show(index), retake(index), move(index, by), remove(index), preview(index) };
 * panels: the ids of the page's panels a step can open.
 */
export function stepItem({ step, index, count, panels, actions }) {
  const number = index + 1;
  const id = `authoring-step-${number}`;
  const name = `step ${number}`;
  const edited = () => actions.edited();

  const title = el('input', { id: `${id}-title`, type: 'text', autocomplete: 'off', value: step.title, maxlength: '120' });
  title.addEventListener('input', () => ((step.title = title.value), edited()));

  const preview = el('div', { id: `${id}-caption-preview`, class: 'authoring-caption-preview', role: 'region', 'aria-label': `Caption of ${name}, as the learner sees it` });
  const caption = el('textarea', { id: `${id}-caption`, rows: '4', maxlength: String(MAX_CAPTION_LENGTH), 'aria-describedby': `${id}-caption-help` });
  caption.value = step.caption;
  const drawCaption = () => preview.replaceChildren(...(step.caption.trim() ? renderCaption(step.caption) : [el('p', { class: 'hint' }, '(no caption yet)')]));
  caption.addEventListener('input', () => {
    step.caption = caption.value;
    drawCaption();
    edited();
  });
  drawCaption();

  const highlight = el('input', { id: `${id}-highlight`, type: 'text', autocomplete: 'off', spellcheck: 'false', value: step.highlight, placeholder: 'queen, king' });
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
        where: `Step ${number}`,
        onEdit: edited,
        onKind: (kind) => {
          step.exercise = kind === step.exercise.kind ? step.exercise : starterExercise(kind);
          actions.redraw([index, `#${id}-exercise-kind`], 'The exercise form changed with the kind.');
        },
      }),
      el('button', { type: 'button', class: 'small', 'aria-label': `Remove exercise of ${name}`, onclick: () => ((step.exercise = null), actions.redraw([index, `#${id}-add-exercise-kind`], `Removed the exercise of ${name}.`)) }, 'Remove exercise'),
    );
  } else {
    const kind = el('select', { id: `${id}-add-exercise-kind` }, ...EXERCISE_KINDS.map((k) => el('option', { value: k.kind }, k.label)));
    exercisePart = el(
      'div',
      { class: 'row wrap authoring-exercise-part' },
      el('label', { for: kind.id }, 'Exercise'),
      kind,
      el('button', { type: 'button', class: 'small', onclick: () => ((step.exercise = starterExercise(kind.value)), actions.redraw([index, `#${id}-exercise-prompt`], `Added a ${kind.selectedOptions[0].textContent.toLowerCase()} exercise to ${name}.`)) }, 'Add exercise'),
    );
  }

  const button = (label, action, aria, onclick, disabled = false) => el('button', { type: 'button', class: 'small', dataset: { action }, 'aria-label': aria, disabled, onclick }, label);
  return el(
    'li',
    { class: 'authoring-step', dataset: { index: String(index) }, 'aria-labelledby': `${id}-heading` },
    el(
      'div',
      { class: 'authoring-step-head' },
      el('h3', { id: `${id}-heading` }, `Step ${number}`),
      el('span', { class: 'authoring-step-view' }, viewText(step.view)),
      el(
        'span',
        { class: 'authoring-step-actions' },
        button('Show view', 'show', `Show view of ${name}`, () => actions.show(index)),
        button('Use this view', 'retake', `Use this view for ${name}`, () => actions.retake(index)),
        button('↑', 'up', `Move ${name} up`, () => actions.move(index, -1), index === 0),
        button('↓', 'down', `Move ${name} down`, () => actions.move(index, 1), index === count - 1),
        button('Preview', 'preview', `Preview from ${name}`, () => actions.preview(index)),
        button('Delete', 'delete', `Delete ${name}`, () => actions.remove(index)),
      ),
    ),
    el('div', { class: 'authoring-field' }, el('label', { for: title.id }, 'Title (optional)'), title),
    el(
      'div',
      { class: 'authoring-caption' },
      el('div', { class: 'authoring-field wide' }, el('label', { for: caption.id }, 'Caption'), caption, el('span', { id: `${id}-caption-help`, class: 'hint' }, 'A blank line starts a paragraph; *emphasis*, **strong**, `code`; \\ keeps the next character as it is.')),
      preview,
    ),
    el(
      'details',
      { class: 'authoring-step-more' },
      el('summary', {}, 'Controls, panels and marked words'),
      el('fieldset', { class: 'authoring-controls' }, el('legend', {}, 'Controls: shown, hidden or locked (shown but disabled)'), ...controlRows),
      el('fieldset', { class: 'authoring-panels' }, el('legend', {}, 'Panels to open (full page)'), ...panelBoxes),
      el('div', { class: 'authoring-field' }, el('label', { for: highlight.id }, 'Words marked in the view'), highlight),
    ),
    exercisePart,
  );
}
