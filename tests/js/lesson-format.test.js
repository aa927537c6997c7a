// The lesson format (web/src/lesson/format.js) and its caption markup
// (web/src/lesson/caption.js): a good lesson comes back normalised and
// round-trips through lessonToJson; each kind of malformed lesson gets an
// error that names the lesson, the step (1-based) and the field; captions
// become text nodes and <p>/<em>/<strong>/<code> only, so hostile text
// (<script>, <img onerror>) stays literal text.
import { describe, expect, it } from 'vitest';
import { MAX_CAPTION_LENGTH, captionText, parseCaption, renderCaption } from '../../web/src/lesson/caption.js';
import { CONTROL_GROUPS, LessonError, MAX_STEPS, idFromTitle, lessonToJson, parseLesson } from '../../web/src/lesson/format.js';

const lesson = (steps, extra = {}) => ({ format: 'embedding-explorer-lesson', version: 1, title: 'Analogies', steps, ...extra });
const good = lesson(
  [
    { title: 'The classic', caption: 'What is *king − man + woman*?', view: { q: 'king - man + woman', k: 5 }, highlight: ['queen'], controls: { query: 'locked', space: 'hidden' } },
    { caption: 'Predict it.', view: { a: 'man', b: 'king', c: 'woman', method: '3cosmul' }, exercise: { type: 'predict-word', prompt: 'Which word comes first?' } },
    { caption: 'Closer?', panels: ['similarity'], exercise: { type: 'choose', prompt: 'Which is closer to cat?', target: 'cat', options: ['dog', 'tiger'] } },
    { caption: 'Figures', figures: [{ kind: 'cosine', words: ['dog', 'puppy'] }, { kind: 'memory', rows: 32000, dims: 4096, bytes: 2 }] },
  ],
  { id: 'analogies' },
);

/** The message of what parseLesson throws for `value`. */
function errorOf(value, source = 'unit.json') {
  try {
    parseLesson(value, source);
  } catch (error) {
    expect(error).toBeInstanceOf(LessonError);
    return error;
  }
  throw new Error('parseLesson accepted a malformed lesson');
}

describe('parseLesson', () => {
  it('normalises a good lesson: canonical views, defaults filled in, and it round-trips through lessonToJson', () => {
    const parsed = parseLesson(good, 'unit.json');
    expect(parsed.id).toBe('analogies');
    expect(parsed.steps).toHaveLength(4);
    expect(parsed.steps[0].view).toEqual({ q: 'king - man + woman', k: 5 });
    expect(parsed.steps[0].controls).toEqual({ query: 'locked', space: 'hidden' });
    expect(parsed.steps[2].view).toEqual({}); // an omitted view is the default view
    expect(parsed.steps[2].panels).toEqual(['similarity']);
    expect(parsed.steps[1].exercise).toMatchObject({ type: 'predict-word', accept: 1 });
    expect(parsed.steps[3].figures[0]).toMatchObject({ kind: 'cosine', words: ['dog', 'puppy'], digits: 3 });
    const again = parseLesson(lessonToJson(parsed), 'again.json');
    expect(again).toEqual(parsed);
    // JSON text is read too; a lesson without an id gets a stable one from its title.
    const untitled = parseLesson(JSON.stringify(lesson([{ caption: 'x' }])));
    expect(untitled.id).toBe(idFromTitle('Analogies'));
    expect(untitled.id).toMatch(/^lesson-[0-9a-f]{8}$/);
  });

  it('names the lesson, the step and the field for each kind of mistake', () => {
    const cases = [
      ['{"format": ', /^Lesson "unit.json": is not JSON/, 0, ''],
      [[], /^Lesson "unit.json": must be an object/, 0, ''],
      [{ ...good, format: 'bookmarks' }, /^Lesson "unit.json", field "format": must be "embedding-explorer-lesson"/, 0, 'format'],
      [{ ...good, version: 2 }, /field "version": this page reads version 1/, 0, 'version'],
      [{ ...good, title: '  ' }, /field "title": needs text/, 0, 'title'],
      [{ ...good, id: 'no spaces please' }, /field "id": needs letters/, 0, 'id'],
      [{ ...good, stepz: [] }, /field "stepz": is not a lesson field/, 0, 'stepz'],
      [lesson([]), /field "steps": needs 1 to 50 steps; it has 0/, 0, 'steps'],
      [lesson(Array.from({ length: MAX_STEPS + 1 }, () => ({ caption: 'x' }))), /needs 1 to 50 steps; it has 51/, 0, 'steps'],
      [lesson([{ caption: 'ok' }, 'step two']), /^Lesson "unit.json", step 2: needs an object/, 2, ''],
      [lesson([{ view: {} }]), /^Lesson "unit.json", step 1, field "caption": needs text; it is missing/, 1, 'caption'],
      [lesson([{ caption: 'x'.repeat(MAX_CAPTION_LENGTH + 1) }]), /step 1, field "caption": is at most 2,000 characters; it has 2,001/, 1, 'caption'],
      [lesson([{ caption: 'a', colour: 'red' }]), /step 1, field "colour": is not a step field/, 1, 'colour'],
      [lesson([{ caption: 'a' }, { caption: 'b', view: { bogus: 1 } }]), /^Lesson "unit.json", step 2, field "view.bogus": "bogus" is not a view field/, 2, 'view.bogus'],
      [lesson([{ caption: 'a', view: { proj: 'bogus' } }]), /step 1, field "view.proj": the page would correct it \(Unknown projection "bogus"/, 1, 'view.proj'],
      [lesson([{ caption: 'a', view: { k: [5] } }]), /step 1, field "view.k": must be a string, a number or true\/false/, 1, 'view.k'],
      [lesson([{ caption: 'a', view: 'king' }]), /step 1, field "view": must be an object/, 1, 'view'],
      [lesson([{ caption: 'a', highlight: 'queen' }]), /step 1, field "highlight": needs a list of words/, 1, 'highlight'],
      [lesson([{ caption: 'a', highlight: ['queen', 'two words'] }]), /step 1, field "highlight\[1\]": needs one word/, 1, 'highlight[1]'],
      [lesson([{ caption: 'a', panels: ['similarity', 'kitchen'] }]), /step 1, field "panels\[1\]": must be one of "selection"/, 1, 'panels[1]'],
      [lesson([{ caption: 'a', controls: { colour: 'hidden' } }]), /step 1, field "controls.colour": is not a control group/, 1, 'controls.colour'],
      [lesson([{ caption: 'a', controls: { space: 'gone' } }]), /step 1, field "controls.space": must be "shown", "hidden", "locked"; it is "gone"/, 1, 'controls.space'],
      [lesson([{ caption: 'a' }, { caption: 'a' }, { caption: 'b', exercise: { type: 'choose', prompt: 'p', target: 'cat', options: ['dog'] } }]), /^Lesson "unit.json", step 3, field "exercise.options": needs at least two words; it has 1/, 3, 'exercise.options'],
      [lesson([{ caption: 'a', exercise: { type: 'guess', prompt: 'p' } }]), /step 1, field "exercise.type": must be one of/, 1, 'exercise.type'],
      [lesson([{ caption: 'a', figures: [{ kind: 'cosine', words: ['dog', 'puppy'] }, { kind: 'cosine', words: ['dog'] }] }]), /step 1, field "figures\[1\].words": needs exactly 2 words; it has 1/, 1, 'figures[1].words'],
    ];
    for (const [value, message, step, field] of cases) {
      const error = errorOf(value);
      expect(error.message, JSON.stringify(value).slice(0, 120)).toMatch(message);
      expect(error.step, error.message).toBe(step);
      expect(error.field, error.message).toBe(field);
      expect(error.source).toBe('unit.json');
    }
  });

  it('knows every control group of the spec', () => {
    expect(CONTROL_GROUPS).toEqual(['query', 'method', 'metric', 'space', 'projection', 'k', 'points', 'words', 'panels']);
  });
});

/** A document that records what is built, and fails any use of HTML parsing. */
function recordingDocument() {
  const made = [];
  class FakeNode {
    constructor(tag) {
      this.tag = tag;
      this.children = [];
      made.push(tag);
    }
    append(...nodes) {
      this.children.push(...nodes);
    }
    set innerHTML(_) {
      throw new Error('innerHTML was used');
    }
    get text() {
      return this.children.map((c) => (typeof c.data === 'string' ? c.data : c.text)).join('');
    }
  }
  return {
    made,
    createElement: (tag) => new FakeNode(tag),
    createTextNode: (data) => ({ data }),
  };
}

/** A rendered node as a compact string: p(text em(…)). */
const shape = (node) => (typeof node.data === 'string' ? JSON.stringify(node.data) : `${node.tag}(${node.children.map(shape).join(' ')})`);

describe('caption markup', () => {
  it('makes paragraphs, emphasis, strong and code, with backslash escapes', () => {
    const doc = recordingDocument();
    const nodes = renderCaption('Cosine runs from *−1* to **1**.\n\nTry `king - man + woman`, or \\*not emphasis\\*.', doc);
    expect(nodes.map(shape)).toEqual([
      'p("Cosine runs from " em("−1") " to " strong("1") ".")',
      'p("Try " code("king - man + woman") ", or *not emphasis*.")',
    ]);
    expect(new Set(doc.made)).toEqual(new Set(['p', 'em', 'strong', 'code']));
  });

  it('leaves unknown and unpaired markup as literal text', () => {
    expect(captionText('2 * 3 * 4')).toBe('2 * 3 * 4');
    expect(captionText('an * alone, `unclosed code, **half')).toBe('an * alone, `unclosed code, **half');
    expect(captionText('[a link](https://example.com) and # heading')).toBe('[a link](https://example.com) and # heading');
    expect(parseCaption('**bold *and emphasis***')[0].children).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'bold ' }, { type: 'em', children: [{ type: 'text', text: 'and emphasis' }] }] },
    ]);
    // Code keeps its stars.
    expect(parseCaption('`a*b*c`')[0].children).toEqual([{ type: 'code', text: 'a*b*c' }]);
  });

  it('keeps hostile HTML as text: no element but p, em, strong, code is ever made', () => {
    const hostile = '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)"> *<b>bold?</b>* `</code><iframe>`';
    const doc = recordingDocument();
    const nodes = renderCaption(hostile, doc);
    expect(doc.made.every((tag) => ['p', 'em', 'strong', 'code'].includes(tag))).toBe(true);
    expect(nodes.map((node) => node.text)).toEqual(['<script>alert(1)</script>', '<img src=x onerror="alert(2)"> <b>bold?</b> </code><iframe>']);
    expect(nodes.map(shape)[1]).toBe('p("<img src=x onerror=\\"alert(2)\\"> " em("<b>bold?</b>") " " code("</code><iframe>"))');
  });

  it('stays fast on a caption full of unpaired markers', () => {
    const start = performance.now();
    const text = '*a **b `c '.repeat(200).slice(0, MAX_CAPTION_LENGTH);
    expect(captionText(text).length).toBeGreaterThan(1000);
    const ms = performance.now() - start;
    console.log(`caption of ${text.length} characters of unpaired markers: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(1000);
  });
});

describe('where a lesson loads from (lesson-loader.js)', async () => {
  const { lessonRequest, loadLesson, resolveLessonSource } = await import('../../web/src/lesson/lesson-loader.js');
  const base = 'https://explorer.example/course/index.html?lesson=x';

  it('reads ?lesson= and ?step= from the URL', () => {
    expect(lessonRequest('?lesson=analogies&step=3')).toEqual({ lesson: 'analogies', step: 3 });
    expect(lessonRequest('?lesson=lessons/a.json&step=zero')).toEqual({ lesson: 'lessons/a.json', step: null });
    expect(lessonRequest('?q=dog')).toBeNull();
  });

  it('takes built-in names, same-origin .json URLs and inline; refuses another origin and other names clearly', async () => {
    expect(await resolveLessonSource('analogies', base)).toEqual({ kind: 'builtin', name: 'analogies' });
    expect(await resolveLessonSource('inline', base)).toEqual({ kind: 'inline' });
    expect(await resolveLessonSource('lessons/unit.json', base)).toEqual({ kind: 'url', url: 'https://explorer.example/course/lessons/unit.json' });
    await expect(resolveLessonSource('https://elsewhere.example/unit.json', base)).rejects.toThrow(
      /^Lesson "https:\/\/elsewhere.example\/unit.json": lessons load only from the explorer's own site \(https:\/\/explorer.example\), not from https:\/\/elsewhere.example/,
    );
    await expect(resolveLessonSource('//elsewhere.example/unit.json', base)).rejects.toThrow(/not from https:\/\/elsewhere.example/);
    await expect(resolveLessonSource('analogy', base)).rejects.toThrow(/^Lesson "analogy": not a built-in lesson \(they are cosine, analogies, anisotropy, word-groups, memory\) nor a \.json file\.$/);
  });

  it('every built-in lesson passes the format check', async () => {
    for (const name of ['cosine', 'analogies', 'anisotropy', 'word-groups', 'memory']) {
      const parsed = await loadLesson(name, base);
      expect(parsed.steps.length, name).toBeGreaterThan(0);
      console.log(`built-in lesson ${name}: "${parsed.title}", ${parsed.steps.length} steps`);
    }
  });
});
