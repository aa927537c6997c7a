// How a page is shown, set by a course author: the URL parameters (and
// <embedding-explorer> attributes, url-params.js PAGE_OPTIONS) hide=,
// lock=, readonly=, caption=, title=, openfull= and theme=. They work in
// the embed and in the full page alike; a lesson step's own `controls`
// win over hide=/lock= while that step is shown (lesson-player.js).
//
// The groups of controls are marked in index.html and embed.html with
// data-control="<group>" (format.js CONTROL_GROUPS). A hidden group gets
// a class rather than the hidden attribute, which controls.js already
// sets and clears on some of them (the t-SNE fields, the axes form); a
// locked group stays visible with its fields disabled.
import { renderCaption } from './caption.js';
import { t } from '../i18n/strings.js';

/** The groups of controls a lesson step (or hide=/lock=) can hide or lock; index.html and embed.html mark them data-control. */
export const CONTROL_GROUPS = Object.freeze(['query', 'method', 'metric', 'space', 'projection', 'k', 'points', 'words', 'panels']);
export const THEMES = Object.freeze(['light', 'dark']);
const FIELDS = 'input, select, textarea, button';
const HIDDEN_CLASS = 'lesson-hidden';
const LOCKED_CLASS = 'lesson-locked';
// The fields this module disabled, so that unlocking never enables a field another part of the page disabled.
const disabledHere = new WeakSet();

const listParam = (value) => String(value ?? '').split(/[\s,]+/).map((item) => item.trim().toLowerCase()).filter(Boolean);
const on = (value) => value === '1' || value === 'true' || value === '';

/**
 * The options in `search`: { hide, lock, readonly, caption, title, openFull, theme, problems }
 * (problems: what was given wrong, in words, e.g. an unknown group).
 */
export function readPageOptions(search = location.search) {
  const params = new URLSearchParams(search);
  const problems = [];
  const groups = (name) =>
    listParam(params.get(name)).filter((group) => {
      if (CONTROL_GROUPS.includes(group)) return true;
      problems.push(t.notAControlGroup(name, group, CONTROL_GROUPS));
      return false;
    });
  let theme = params.get('theme')?.trim().toLowerCase() || null;
  if (theme && !THEMES.includes(theme)) {
    problems.push(t.notATheme(theme));
    theme = null;
  }
  return {
    hide: groups('hide'),
    lock: groups('lock'),
    readonly: params.has('readonly') && on(params.get('readonly')),
    caption: params.get('caption')?.trim() || '',
    title: params.get('title')?.trim() || '',
    openFull: params.get('openfull') !== '0',
    theme,
    problems,
  };
}

/** { group: 'hidden' | 'locked' } from the options (readonly locks every group not hidden). */
export function optionControlStates({ hide = [], lock = [], readonly = false }) {
  const states = {};
  for (const group of CONTROL_GROUPS) {
    if (hide.includes(group)) states[group] = 'hidden';
    else if (readonly || lock.includes(group)) states[group] = 'locked';
  }
  return states;
}

/**
 * Shows, hides or locks every group: `states` maps a group to 'shown',
 * 'hidden' or 'locked'; a group it leaves out is shown.
 */
export function setControlStates(states, root = document) {
  const toDisable = new Set();
  const managed = new Set();
  for (const element of root.querySelectorAll('[data-control]')) {
    const state = states[element.dataset.control] ?? 'shown';
    element.classList.toggle(HIDDEN_CLASS, state === 'hidden');
    element.classList.toggle(LOCKED_CLASS, state === 'locked');
    const fields = element.matches(FIELDS) ? [element] : [...element.querySelectorAll(FIELDS)];
    for (const field of fields) {
      managed.add(field);
      if (state === 'locked') toDisable.add(field);
    }
  }
  // A field inside two groups (the method radios inside the analogy form) is locked if either is.
  for (const field of managed) {
    if (toDisable.has(field)) {
      if (!field.disabled) {
        field.disabled = true;
        disabledHere.add(field);
      }
    } else if (disabledHere.has(field)) {
      field.disabled = false;
      disabledHere.delete(field);
    }
  }
}

/** The theme in use: theme= if given, else the reader's prefers-color-scheme (the 3D view draws its own colours). */
export function shownTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (THEMES.includes(chosen)) return chosen;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** light or dark, or null to follow prefers-color-scheme (styles.css). */
export function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/**
 * Applies the options that do not change with a lesson's steps: the theme,
 * the title and caption (above the query, in the side column), the "Open in
 * the full explorer" link, and the groups hidden or locked. Returns the
 * options, for the lesson player.
 */
export function applyPageOptions(options = readPageOptions()) {
  applyTheme(options.theme);
  const open = document.getElementById('open-full');
  if (open && !options.openFull) open.hidden = true;
  if (options.title || options.caption) {
    const box = document.createElement('div');
    box.className = 'page-caption';
    box.id = 'page-caption';
    if (options.title) {
      const heading = document.createElement('h2');
      heading.textContent = options.title;
      box.append(heading);
    }
    if (options.caption) box.append(...renderCaption(options.caption));
    // Above the query: the first thing a reader of the embed (or the page's side column) sees.
    const anchor = document.getElementById('expression-form');
    anchor?.parentElement?.insertBefore(box, anchor.closest('.embed-side') ? anchor : anchor.parentElement.firstChild);
  }
  setControlStates(optionControlStates(options));
  return options;
}
