// The parts every lesson exercise shares (exercises.js, challenges.js): the
// prompt (caption markup, rendered as text nodes), a form, and a status line
// that announces each reveal to screen readers.
import { el } from '../ui/dom.js';
import { renderCaption } from './caption.js';
import { t } from '../i18n/strings.js';

let shells = 0; // ids tie each form to its prompt

/**
 * The parts every exercise shares: its prompt, a form, and an announced reveal.
 * @param {HTMLElement} container
 * @param {Record<string, any>} exercise
 * @param {Node[]} fields the form's inputs
 * @param {string} submitText
 */
export function exerciseShell(container, exercise, fields, submitText) {
  const prompt = el('div', { class: 'lesson-exercise-prompt', id: `lesson-exercise-prompt-${++shells}` }, ...renderCaption(exercise.prompt));
  const submit = el('button', { type: 'submit', class: 'lesson-exercise-check' }, submitText);
  const form = el('form', { class: 'lesson-exercise-form', 'aria-labelledby': prompt.id, novalidate: true }, ...fields, submit);
  const status = el('p', { class: 'lesson-exercise-status', role: 'status', 'aria-live': 'polite' });
  const reveal = el('div', { class: 'lesson-exercise-reveal' });
  const root = el('section', { class: 'lesson-exercise', dataset: { type: exercise.check ?? exercise.type } }, prompt, form, status, reveal);
  container.replaceChildren(root);
  const say = (text, state = '') => {
    status.textContent = text;
    root.dataset.state = state;
  };
  return { root, form, submit, status, reveal, say };
}

/** A labelled text field. */
export function textField(label, { name, placeholder = '', inputmode } = {}) {
  const input = el('input', { type: 'text', name, placeholder, autocomplete: 'off', spellcheck: 'false', inputmode, class: `lesson-answer lesson-answer-${name}` });
  return { input, field: el('label', { class: 'lesson-exercise-field' }, `${label} `, input) };
}

/**
 * Runs a submit handler with the button disabled meanwhile; a failure is said in the status, never thrown.
 * @param {ReturnType<typeof exerciseShell>} shell
 * @param {() => Promise<void>} check
 */
export function onCheck(shell, check) {
  shell.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (shell.submit.disabled) return;
    shell.submit.disabled = true;
    try {
      await check();
    } catch (error) {
      if (error?.name !== 'Superseded') shell.say(t.cannotCheck(error.message), 'error');
    } finally {
      shell.submit.disabled = false;
    }
  });
}
