// The page's words: every message, caption, button label, status line and
// error that the page's own scripts (web/src/ui, lesson, element, offline,
// embed.js, main.js) show a reader comes from here, so that a translation
// is one file. English (en.js) is the only one shipped.
//
// To add a translation, say French:
//   1. copy en.js to fr.js and translate each value, keeping every key and
//      each function's parameters (the parameterised messages are small
//      functions: translate the sentence around the ${...} parts, and
//      format numbers with toLocaleString('fr'));
//   2. import it below and add it to PAGE (and its enElement part,
//      the course-page element's few strings, to ELEMENT);
//   3. translate the static text of web/index.html and web/embed.html too
//      (headings, labels and help written in the HTML stay there) and set
//      <html lang="fr"> in them: that attribute chooses the strings.
// What is NOT here, on purpose: the core's and the worker's error messages
// (wasm/ and web/src/compute), which the page shows as they come; lesson
// captions and titles, which are their author's own text (the built-in
// lessons' JSON included); word lists and data, which are the table's.
import { en, enElement } from './en.js';

/** The translations the page knows, by language code: the page's strings and the course-page element's. */
const PAGE = { en };
const ELEMENT = { en: enElement };

/** The document's language from <html lang> if `known` has it, else English. */
function languageOf(known) {
  const lang = typeof document === 'undefined' ? 'en' : document.documentElement.lang || 'en';
  const code = lang.toLowerCase().split('-')[0];
  return code in known ? code : 'en';
}

// Each is marked pure so that a bundle using only one leaves the other's strings out
// (the <embedding-explorer> element's script carries its few strings, not the page's).
/** The page's strings in its language. */
export const t = /* @__PURE__ */ (() => PAGE[languageOf(PAGE)])();
/** The <embedding-explorer> element's strings, in the course page's language. */
export const tElement = /* @__PURE__ */ (() => ELEMENT[languageOf(ELEMENT)])();
