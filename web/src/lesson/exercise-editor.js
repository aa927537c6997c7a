// The small form for one step's exercise in "Build a lesson"
// (authoring-panel.js): a kind, then the fields of that kind. Every change
// is checked at once with the lesson format's own check (exercise-format.js),
// so the author reads the same message a learner's page would give, naming
// the field, beside the field that is wrong; the draft keeps what was typed.
import { el } from '../ui/dom.js';
import { checkExercise } from './exercise-format.js';
import { EXERCISE_KINDS, exerciseFromForm } from './authoring-draft.js';
import { t } from '../i18n/strings.js';

const SPACES = ['raw', 'centered', 'whitened', 'whitened:50', 'zca', 'abtt:3'];

/** Each form field: its label, and how it is typed. */
const LABELS = t.exerciseFieldLabels;
const FIELDS = {
  prompt: { label: LABELS.prompt, textarea: true },
  accept: { label: LABELS.accept, type: 'number', min: 1 },
  quantityKind: { label: LABELS.quantityKind, options: [['cosine', t.quantityCosine], ['norm', t.quantityNorm], ['mean-pair-cosine', t.quantityMeanPairCosine], ['json', t.quantityJson]] },
  words: { label: LABELS.words },
  space: { label: LABELS.space, options: SPACES.map((space) => [space, space]) },
  sample: { label: LABELS.sample, type: 'number', min: 10 },
  quantityJson: { label: LABELS.quantityJson, textarea: true },
  tolerance: { label: LABELS.tolerance, type: 'number', step: 'any', min: 0 },
  target: { label: LABELS.target },
  options: { label: LABELS.options },
  from: { label: LABELS.from },
  to: { label: LABELS.to },
  hops: { label: LABELS.hops, type: 'number', min: 1 },
};

/** Which quantity fields a predict-number form shows for its quantity's kind. */
const QUANTITY_FIELDS = { cosine: ['words'], norm: ['words'], 'mean-pair-cosine': ['space', 'sample'], json: ['quantityJson'] };
const QUANTITY_ONLY = ['words', 'space', 'sample', 'quantityJson'];

/** The form field an error's field names: "exercise.options[1]" → options; "exercise.quantity.words" → words. */
export function formFieldOf(errorField, kind) {
  const path = String(errorField).replace(/^exercise\.?/, '').replace(/\[\d+\]/g, '');
  if (!path) return 'prompt';
  if (kind === 'predict-number' && path.startsWith('quantity')) {
    const inner = path.replace(/^quantity\.?/, '');
    if (!inner) return 'quantityKind';
    return { words: 'words', word: 'words', space: 'space', sample: 'sample' }[inner] ?? 'quantityJson';
  }
  if (kind.startsWith('challenge:') && path === 'check') return 'kind';
  return path === 'type' ? 'kind' : path;
}

/** The message for an exercise form's current fields, or '' when the exercise is sound. */
export function exerciseProblem(exercise, where) {
  try {
    checkExercise(exerciseFromForm(exercise), where);
    return { message: '', field: '' };
  } catch (error) {
    return { message: error?.message ?? String(error), field: formFieldOf(error?.field ?? '', exercise.kind) };
  }
}

/**
 * The exercise's form. `id` prefixes the elements' ids; `where` names the
 * step in messages ("Step 2"); onEdit() is called after each change of a
 * field (the draft is then saved); onKind(kind) when the kind is changed.
 */
export function exerciseEditor({ exercise, id, where, onEdit, onKind }) {
  const info = EXERCISE_KINDS.find((k) => k.kind === exercise.kind);
  const error = el('p', { id: `${id}-error`, class: 'message authoring-exercise-error', role: 'status', 'aria-live': 'polite', hidden: true });
  const inputs = new Map();
  const kindSelect = el('select', { id: `${id}-kind`, dataset: { field: 'kind' }, onchange: () => onKind(kindSelect.value) }, ...EXERCISE_KINDS.map((k) => el('option', { value: k.kind, selected: k.kind === exercise.kind }, k.label)));
  inputs.set('kind', kindSelect);

  const showProblem = () => {
    const { message, field } = exerciseProblem(exercise, where);
    error.textContent = message;
    error.hidden = !message;
    for (const [name, input] of inputs) {
      if (message && name === field) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  };

  const rows = [];
  const quantityKind = exercise.fields.quantityKind ?? 'cosine';
  for (const name of info.fields) {
    if (exercise.kind === 'predict-number' && QUANTITY_ONLY.includes(name) && !QUANTITY_FIELDS[quantityKind].includes(name)) continue;
    const spec = FIELDS[name];
    const inputId = `${id}-${name}`;
    let input;
    const value = exercise.fields[name] ?? '';
    if (spec.options) {
      const known = spec.options.some(([option]) => option === value);
      const options = known || !value ? spec.options : [...spec.options, [value, value]];
      input = el('select', { id: inputId }, ...options.map(([option, label]) => el('option', { value: option, selected: option === value }, label)));
    } else if (spec.textarea) {
      input = el('textarea', { id: inputId, rows: name === 'prompt' ? '2' : '3', spellcheck: name === 'prompt' ? 'true' : 'false' });
      input.value = value;
    } else {
      input = el('input', { id: inputId, type: spec.type ?? 'text', min: spec.min, step: spec.step, autocomplete: 'off', spellcheck: 'false', value });
    }
    input.dataset.field = name;
    input.setAttribute('aria-describedby', error.id);
    inputs.set(name, input);
    const react = () => {
      exercise.fields[name] = input.value;
      if (name === 'quantityKind') return onKind(exercise.kind); // other fields to show: drawn again
      showProblem();
      onEdit();
    };
    input.addEventListener(spec.options ? 'change' : 'input', react);
    const label = name === 'words' ? (quantityKind === 'norm' ? t.oneWord : t.twoWords) : spec.label;
    rows.push(el('div', { class: `authoring-field${spec.textarea ? ' wide' : ''}` }, el('label', { for: inputId }, label), input));
  }

  const fieldset = el(
    'fieldset',
    { class: 'authoring-exercise' },
    el('legend', {}, t.exercise),
    el('div', { class: 'authoring-field' }, el('label', { for: kindSelect.id }, t.exerciseType), kindSelect),
    ...rows,
    error,
    el('p', { class: 'hint' }, t.noAnswerWritten),
  );
  showProblem();
  return fieldset;
}
