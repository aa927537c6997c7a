// The built-in lessons, one per section of the course text, loaded by name
// (?lesson=cosine, <embedding-explorer lesson="cosine">). Each is its own
// JSON file behind a dynamic import, so the bundler makes it a separate
// chunk and a page without a lesson downloads none of them.
//
// A lesson holds no answer: every figure and every reveal is computed by
// the core on the loaded table (docs/lessons.md), so these files are text
// and questions only.

/** @type {Readonly<Record<string, () => Promise<object>>>} */
export const BUILTIN_LESSONS = Object.freeze({
  cosine: () => import('./cosine.json').then((module) => module.default),
  analogies: () => import('./analogies.json').then((module) => module.default),
  anisotropy: () => import('./anisotropy.json').then((module) => module.default),
  'word-groups': () => import('./word-groups.json').then((module) => module.default),
  memory: () => import('./memory.json').then((module) => module.default),
});

/** The names in the order of the course text's sections. */
export const BUILTIN_NAMES = Object.freeze(Object.keys(BUILTIN_LESSONS));
