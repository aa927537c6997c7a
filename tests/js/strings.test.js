// The page's words live in one module (web/src/i18n/en.js, through
// strings.js's `t`), so that a translation is one file: en.js has each key
// once, every `t.<key>` the sources use exists in it (and every key in it is
// used), and the page's UI and lesson code no longer composes English in
// the ways the strings were moved out of (textContent = '…', labels and
// titles, status/error calls, text children of el(...)). What still does is
// listed below, each with its reason, so the list shows what is left.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, enElement } from '../../web/src/i18n/en.js';
import { t, tElement } from '../../web/src/i18n/strings.js';
import { repoRoot } from './paths.js';

const src = join(repoRoot, 'web', 'src');
const enPath = join(src, 'i18n', 'en.js');

/** Every .js file under dir, recursively. */
function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

const sources = jsFiles(src)
  .filter((path) => !path.startsWith(join(src, 'i18n')))
  .map((path) => ({ path, name: relative(src, path), text: readFileSync(path, 'utf8') }));

/** The top-level keys of one of en.js's objects in source order: a duplicate would collapse silently in the object. */
function topLevelKeys(name) {
  const text = readFileSync(enPath, 'utf8');
  const start = text.indexOf(`export const ${name} = {`);
  const body = text.slice(start, text.indexOf('\n};\n', start));
  return [...body.matchAll(/^ {2}(?:'([^']+)'|([A-Za-z_$][\w$]*)):/gm)].map((m) => m[1] ?? m[2]);
}

describe('the English strings (web/src/i18n/en.js)', () => {
  it('has every key once, in the page\'s strings and the element\'s together', () => {
    const page = topLevelKeys('en');
    const element = topLevelKeys('enElement');
    const seen = new Set();
    const twice = [...page, ...element].filter((key) => (seen.has(key) ? true : (seen.add(key), false)));
    expect(twice).toEqual([]);
    // The scan found every key each object has: nothing it missed could hide a duplicate.
    expect(page.length).toBe(Object.keys(en).length);
    expect(element.length).toBe(Object.keys(enElement).length);
    console.log(`en.js: ${page.length} page keys, ${element.length} element keys`);
  });

  it('is the active translation on a page without another language', () => {
    expect(t).toBe(en);
    expect(tElement).toBe(enElement);
  });

  it('gives every message function a sentence and every other value text', () => {
    for (const [key, value] of Object.entries({ ...en, ...enElement })) {
      if (typeof value === 'function') {
        // Called with stand-ins that read as a list, a word and a number alike (['x'] has join, map, length and
        // toLocaleString, and arithmetic makes NaN, which toFixed still prints), each must make a string.
        const out = value(...Array.from({ length: value.length }, () => ['x']));
        expect(typeof out, key).toBe('string');
        expect(out, key).toMatch(/\S/);
      } else if (typeof value === 'object') {
        for (const [inner, text] of Object.entries(value)) expect(typeof text, `${key}.${inner}`).toBe('string');
      } else {
        expect(typeof value, key).toBe('string');
        expect(value.length, key).toBeGreaterThan(0);
      }
    }
  });

  it('has every key the sources use, and no key they do not', () => {
    const used = new Set();
    const unknown = [];
    const note = (name, object, strings, key) => {
      used.add(key);
      if (!(key in strings)) unknown.push(`${name}: ${object}.${key}`);
    };
    for (const { name, text } of sources) {
      const imported = text.match(/import \{ (t|tElement as t|t, tElement) \} from '[./]+\/i18n\/strings\.js';/)?.[1];
      if (!imported) {
        expect(text, `${name} uses the strings without importing them`).not.toMatch(/\bt(Element)?\.[a-z]\w*[A-Z(]/);
        continue;
      }
      // A file that imports t names nothing else t (a callback's parameter would hide the strings).
      expect(text, `${name} has a local t`).not.toMatch(/\(t\)\s*=>|\(t,|\[t,|\bconst t\b|\blet t\b/);
      const tStrings = imported === 'tElement as t' ? enElement : en;
      for (const m of text.matchAll(/\bt\.([A-Za-z_$][\w$]*)/g)) note(name, 't', tStrings, m[1]);
      for (const m of text.matchAll(/\btElement\.([A-Za-z_$][\w$]*)/g)) note(name, 'tElement', enElement, m[1]);
    }
    expect(unknown).toEqual([]);
    expect(Object.keys({ ...en, ...enElement }).filter((key) => !used.has(key))).toEqual([]);
  });
});

// English still composed in web/src/ui, lesson and lab, each with why it stays.
// [file, a piece of the line, the reason]
const EXCEPTIONS = [
  // HTML markup, not English: the snippet's title="…" is filled from tElement.explorerFrameTitle.
  ['ui/embed-code.js', 'title="${attributeValue(tElement.explorerFrameTitle)}"', 'the attribute is markup; its text comes from en.js'],
  ['lesson/authoring-draft.js', 'title="${attributeValue(lesson.title || t.untitledLessonFrame)}"', 'the attribute is markup; its text is the author\'s or en.js\'s'],
  // Not user text: programming errors that a lesson or the page cannot cause.
  ['lesson/exercises.js', "new Error(`unknown exercise type", 'a programming error: checkExercise admits only known types'],
  ['lesson/exercises.js', "new Error('the worker answered another measure')", 'a programming error between page and worker'],
  ['lesson/challenges.js', "new Error('the worker answered another measure')", 'a programming error between page and worker'],
  ['lesson/challenges.js', "new Error('the worker did not answer with both methods')", 'a programming error between page and worker'],
  ['lesson/challenges.js', 'new Error(`unknown challenge', 'a programming error: checkExercise admits only known checks'],
  ['lesson/figures.js', "new Error('the worker answered another measure')", 'a programming error between page and worker'],
  ['lesson/figures.js', 'new Error(`unknown figure kind', 'a programming error: checkFigure admits only known kinds'],
  ['lesson/authoring-draft.js', 'new Error(`No exercise kind "${kind}" (they are', 'a programming error: the kind menu offers only known kinds'],
  ['lesson/authoring-draft.js', 'new Error(`No exercise kind "${kind}".`)', 'a programming error: the kind menu offers only known kinds'],
];

/** Files whose strings are not moved yet; each line of English in them is left as it was. */
const NOT_CONVERTED = [];

// The ways the converted code composed English: an assignment or property of
// visible text, a status/error call, a thrown error, a note or a check's problem, a text child of el().
const PATTERNS = [
  /\b(?:textContent|title|placeholder)\s*(?:=|:)\s*['"`][^'"`]*[A-Za-z]{2}/,
  /'aria-label':\s*['"`][^'"`$]*[A-Za-z]{2}/,
  /(?:#|\.)(?:say|fail|note|status|announce|changed|showError)\(\s*['"`][^'"`$]*[A-Za-z]{3}/,
  /new (?:Error|LessonError|LessonFormatError|SnapshotError)\(\s*['"`][^'"`$]*[A-Za-z]{3}/,
  // A note about a corrected value, and a lesson or bookmark check's problem (its second argument; the first is the field).
  /\b(?:notes|problems)\.push\(\s*['"`][^'"`$]*[A-Za-z]{3}/,
  /\bfail(?:Lesson|Field)?\([^()]*,\s*['"`][^'"`$]*[A-Za-z]{3}/,
  /\}\s*,\s*['"`][A-Z][a-z]+ [a-z]/,
];

describe('the page composes no English outside the strings module', () => {
  it('in web/src/ui, web/src/lesson and web/src/lab, but for the listed exceptions', () => {
    const found = [];
    for (const { name, text } of sources) {
      if (!/^(ui|lesson|lab)\//.test(name) || NOT_CONVERTED.includes(name)) continue;
      text.split('\n').forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
        if (!PATTERNS.some((pattern) => pattern.test(line))) return;
        if (EXCEPTIONS.some(([file, piece]) => file === name && line.includes(piece))) return;
        found.push(`${name}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('lists only exceptions that still exist', () => {
    for (const [file, piece] of EXCEPTIONS) {
      const text = readFileSync(join(src, file), 'utf8');
      expect(text.includes(piece), `${file}: ${piece}`).toBe(true);
    }
    console.log(`not converted yet: ${NOT_CONVERTED.join(', ') || 'none'}`);
  });
});
