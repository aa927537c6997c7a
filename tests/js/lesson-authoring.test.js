// "Build a lesson" (web/src/lesson/authoring-draft.js, exercise-editor.js):
// every exercise form makes an exercise the format's own check accepts and
// reads back from it unchanged; a bad field is named by that check and
// mapped to the form field that shows it; a draft makes a lesson that
// parseLesson accepts and reads back to the same draft; the stored draft is
// read back or refused; the embed snippets carry the lesson, and a caption
// holding "</script>" cannot end the inline JSON early.
import { describe, expect, it } from 'vitest';
import {
  EXERCISE_KINDS,
  defaultHostedUrl,
  draftToLesson,
  emptyDraft,
  exerciseFromForm,
  formFromExercise,
  hostedUrl,
  inlineLessonJson,
  lessonId,
  lessonSnippets,
  lessonToDraft,
  moveItem,
  readDraft,
  slugify,
  starterExercise,
  stepFromView,
} from '../../web/src/lesson/authoring-draft.js';
import { exerciseProblem, formFieldOf } from '../../web/src/lesson/exercise-editor.js';
import { checkExercise } from '../../web/src/lesson/exercise-format.js';
import { parseLesson } from '../../web/src/lesson/format.js';

const BASE = 'https://course.example/explorer/index.html?q=king';

function sampleDraft() {
  const draft = { ...emptyDraft(), title: 'Analogies, in the page', description: 'Two views.' };
  const first = stepFromView({ q: 'king - man + woman', k: 15, space: 'centered' }, { highlight: ['queen', 'king'], panels: ['similarity'] });
  first.caption = 'The answer is *queen*; see `k`.';
  first.controls = { space: 'locked', projection: 'hidden' };
  first.exercise = starterExercise('predict-word');
  const second = stepFromView({ word: 'cat' });
  second.caption = '**Which** is closer?';
  second.exercise = starterExercise('choose');
  draft.steps.push(first, second);
  return draft;
}

describe('exercise forms', () => {
  it('each kind starts from a form the format check accepts, and reads back from the exercise unchanged', () => {
    for (const { kind } of EXERCISE_KINDS) {
      const form = starterExercise(kind);
      const exercise = exerciseFromForm(form);
      expect(() => checkExercise(exercise, 'Step 1'), kind).not.toThrow();
      expect(exerciseFromForm(formFromExercise(exercise)), kind).toEqual(exercise);
    }
  });

  it('the other quantities of a predict-number form: norm, mean pair cosine, and any figure as JSON', () => {
    const norm = { kind: 'predict-number', fields: { prompt: 'p', quantityKind: 'norm', words: ' the ', tolerance: '0.5' } };
    expect(exerciseFromForm(norm)).toEqual({ type: 'predict-number', prompt: 'p', quantity: { kind: 'norm', word: 'the' }, tolerance: 0.5 });
    const mean = { kind: 'predict-number', fields: { prompt: 'p', quantityKind: 'mean-pair-cosine', space: 'whitened', sample: '300', tolerance: '0.05' } };
    expect(exerciseFromForm(mean).quantity).toEqual({ kind: 'mean-pair-cosine', space: 'whitened', sample: 300 });
    const rank = { type: 'predict-number', prompt: 'p', tolerance: 3, quantity: { kind: 'rank', word: 'running', analogy: ['swim', 'swimming', 'run'], method: '3cosmul' } };
    const form = formFromExercise(rank);
    expect(form.fields.quantityKind).toBe('json');
    expect(exerciseFromForm(form)).toEqual(rank);
    for (const exercise of [norm, mean].map(exerciseFromForm)) expect(exerciseFromForm(formFromExercise(exercise))).toEqual(exercise);
  });

  it('a bad field is named by the format check and mapped to the form field showing it', () => {
    const where = 'Step 2';
    const cases = [
      [{ kind: 'choose', fields: { prompt: 'Which?', target: 'cat', options: 'dog' } }, 'options', /field "exercise\.options": needs at least two words/],
      [{ kind: 'choose', fields: { prompt: 'Which?', target: 'cat', options: 'dog, cat' } }, 'options', /is the target itself/],
      [{ kind: 'predict-word', fields: { prompt: 'Guess', accept: 'two' } }, 'accept', /field "exercise\.accept"/],
      [{ kind: 'predict-word', fields: { prompt: '  ', accept: '1' } }, 'prompt', /field "exercise\.prompt"/],
      [{ kind: 'predict-number', fields: { prompt: 'p', quantityKind: 'cosine', words: 'dog', tolerance: '0.1' } }, 'words', /field "exercise\.quantity\.words"/],
      [{ kind: 'predict-number', fields: { prompt: 'p', quantityKind: 'json', quantityJson: '{"kind": "colour"}', tolerance: '0.1' } }, 'quantityJson', /field "exercise\.quantity\.kind"/],
      [{ kind: 'predict-number', fields: { prompt: 'p', quantityKind: 'cosine', words: 'dog, cat', tolerance: '' } }, 'tolerance', /field "exercise\.tolerance"/],
      [{ kind: 'challenge:reach', fields: { prompt: 'p', from: 'son', to: 'son', hops: '5' } }, 'to', /field "exercise\.to"/],
      [{ kind: 'challenge:neighbour-changes', fields: { prompt: 'p', space: 'raw' } }, 'space', /field "exercise\.space"/],
    ];
    for (const [form, field, message] of cases) {
      const problem = exerciseProblem(form, where);
      expect(problem.message, JSON.stringify(form)).toMatch(message);
      expect(problem.message.startsWith('Step 2, field')).toBe(true);
      expect(problem.field, JSON.stringify(form)).toBe(field);
    }
    expect(exerciseProblem(starterExercise('choose'), where)).toEqual({ message: '', field: '' });
    expect(formFieldOf('exercise.options[1]', 'choose')).toBe('options');
    expect(formFieldOf('exercise.check', 'challenge:reach')).toBe('kind');
  });
});

describe('the draft and the lesson', () => {
  it('a draft makes a lesson that parseLesson accepts, and the lesson reads back to the same draft', () => {
    const draft = sampleDraft();
    const lesson = draftToLesson(draft);
    expect(lesson).toMatchObject({ format: 'embedding-explorer-lesson', version: 1, id: 'analogies-in-the-page', title: 'Analogies, in the page', description: 'Two views.' });
    expect(lesson.steps[0]).toEqual({
      caption: 'The answer is *queen*; see `k`.',
      view: { q: 'king - man + woman', k: 15, space: 'centered' },
      highlight: ['queen', 'king'],
      panels: ['similarity'],
      controls: { space: 'locked', projection: 'hidden' },
      exercise: { type: 'predict-word', prompt: 'Which word comes first? Type your guess.', accept: 1 },
    });
    expect(lesson.steps[1]).not.toHaveProperty('controls');
    expect(lesson.steps[1]).not.toHaveProperty('highlight');
    const parsed = parseLesson(JSON.stringify(lesson), 'The test lesson');
    expect(parsed.steps).toHaveLength(2);
    const again = lessonToDraft(parsed, 'lessons/x.json');
    expect(again.hostedUrl).toBe('lessons/x.json');
    expect(draftToLesson(again)).toEqual(draftToLesson(lessonToDraft(parseLesson(draftToLesson(again), 'again'))));
    expect(again.steps.map((s) => s.caption)).toEqual(draft.steps.map((s) => s.caption));
    expect(again.steps.map((s) => s.exercise.kind)).toEqual(['predict-word', 'choose']);
    expect(again.steps[0].controls).toEqual({ space: 'locked', projection: 'hidden' });
  });

  it('a draft with a bad exercise is refused by parseLesson, naming the step and the field', () => {
    const draft = sampleDraft();
    draft.steps[1].exercise.fields.options = 'dog';
    expect(() => parseLesson(draftToLesson(draft), 'The lesson being built')).toThrow(/step 2.*exercise\.options/);
  });

  it('the stored draft is read back; anything else is refused', () => {
    const draft = sampleDraft();
    expect(readDraft(JSON.stringify(draft))).toEqual(draft);
    for (const bad of [null, '', '{', '[]', '{"version": 2, "steps": []}', '{"version": 1, "steps": [{"caption": "no view"}]}', '{"version": 1, "steps": [{"view": {}, "exercise": {"kind": "essay"}}]}']) {
      expect(readDraft(bad), String(bad)).toBeNull();
    }
  });

  it('names, ids and the order of steps', () => {
    expect(slugify('Anisotropy & whitening: the cone')).toBe('anisotropy-whitening-the-cone');
    expect(slugify('Café — déjà vu')).toBe('cafe-deja-vu');
    expect(lessonId({ id: '', title: '' })).toBe('lesson');
    expect(lessonId({ id: ' mine ', title: 'x' })).toBe('mine');
    expect(defaultHostedUrl({ id: '', title: 'Word groups' })).toBe('lessons/word-groups.json');
    expect(hostedUrl({ id: '', title: 'Word groups', hostedUrl: ' course/l1.json ' })).toBe('course/l1.json');
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -2)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('embed snippets', () => {
  it('the iframe opens embed.html with the hosted lesson; the element carries the lesson inline', () => {
    const lesson = draftToLesson(sampleDraft());
    const { iframe, element } = lessonSnippets(lesson, 'lessons/analogies in the page.json', BASE);
    expect(iframe).toContain('src="https://course.example/explorer/embed.html?lesson=lessons%2Fanalogies%20in%20the%20page.json"');
    expect(iframe).not.toMatch(/style=/);
    expect(element).toMatch(/^<script src="https:\/\/course\.example\/explorer\/embedding-explorer\.js"><\/script>\n<embedding-explorer/);
    const inline = element.match(/<script type="application\/json">\n([\s\S]*)\n<\/script>\n<\/embedding-explorer>$/);
    expect(JSON.parse(inline[1])).toEqual(lesson);
  });

  it('a caption holding </script> or <!-- cannot end the inline JSON early', () => {
    const draft = sampleDraft();
    draft.steps[0].caption = 'Try </script><script>alert(1)</script> and <!-- this';
    const lesson = draftToLesson(draft);
    const json = inlineLessonJson(lesson);
    expect(json).not.toMatch(/</);
    expect(JSON.parse(json)).toEqual(lesson);
    const { element } = lessonSnippets(lesson, 'lessons/x.json', BASE);
    expect(element.match(/<\/script>/g)).toHaveLength(2); // the loader's and the data's own
  });
});
