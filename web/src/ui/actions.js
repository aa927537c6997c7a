// Everything a learner can do, as changes to the store. Controls, presets,
// "Try:" suggestions and clicks on points all come through here; nothing
// else writes the state. A new query adds a history entry; settings
// replace the current one.
import { inputProblem } from './query-controller.js';
import { NO_QUERY, answerKey, normalizeView, queryOf } from './view-state.js';
import { t } from '../i18n/strings.js';

/** Replaces whole-token occurrences of `word` in an expression (case-insensitively, as the core looks words up). */
function replaceToken(text, word, replacement) {
  const lower = word.toLowerCase();
  return text
    .split(/([\s+\-*]+)/)
    .map((part) => (part.toLowerCase() === lower ? replacement : part))
    .join('');
}

export function createActions(store) {
  const view = () => store.get();
  // Shown like any failed answer (the old results go); keyed to the current
  // view so that it is not asked again until something changes.
  const fail = (message) => store.set({ answer: { key: answerKey(view()), query: null, selection: null, error: { message, suggestions: [] } }, notes: [] });

  /** Sets view fields, correcting what is out of range; notes say what was corrected. */
  const change = (patch, meta = {}) => {
    const { view: next, notes } = normalizeView(patch, view());
    // After a failure the same query may be sent again: ask anew.
    const retry = meta.history === 'push' && view().answer?.error ? { answer: null } : {};
    store.set({ ...next, notes, ...retry }, meta);
  };

  // An analogy switches the default PCA view to the analogy view, where the
  // parallelogram reads; a projection the learner chose stays.
  const analogyView = () => (view().proj === 'pca' ? { proj: 'analogy' } : {});

  /** A new query (replacing whatever was asked before): checked, then a history entry. */
  const ask = (fields) => {
    const patch = { ...NO_QUERY, ...fields };
    const query = queryOf({ ...view(), ...patch });
    const problem = query ? inputProblem(query) : null;
    if (problem || !query) return fail(problem ?? t.fillInAbc);
    change(patch, { history: 'push' });
  };

  return {
    expression: (text) => (text.trim() ? ask({ q: text.trim() }) : fail(t.fillInExpression)),
    analogy: (a, b, c) => {
      for (const [name, value] of [[t.fieldA, a], [t.fieldB, b], [t.fieldC, c]]) if (!value.trim()) return fail(t.pleaseFillIn(name));
      return ask({ a: a.trim(), b: b.trim(), c: c.trim(), ...analogyView() });
    },
    neighbors: (word) => (word.trim() ? ask({ word: word.trim() }) : fail(t.fillInWord)),
    /** A preset runs with the ticked method and "include inputs": the controls show what ran. */
    preset: ([a, b, c], expected) => ask({ a, b, c, expected, ...analogyView() }),
    /** A clicked point: its neighbours are listed; the query stays (and its arrows). */
    select: (word) => word && change({ sel: word }, { history: 'push' }),
    group: (name) => change({ group: name }, { history: 'push' }),
    setting: (key, value) => change({ [key]: value }),
    axes: (axes) => change({ axes, proj: 'axes' }),
    colourBy: (column) => store.set({ colourBy: column }),

    /** A "Try:" suggestion replaces the misspelt word in its own field; the query kind stays. */
    suggestion(error, word) {
      const state = view();
      const misspelt = (error.word ?? '').toLowerCase();
      const same = (value) => value?.toLowerCase() === misspelt;
      if (error.origin === 'selection' || (!queryOf(state) && state.sel)) return change({ sel: word }, { history: 'push' });
      if (state.a) {
        const [a, b, c] = [state.a, state.b, state.c].map((value) => (same(value) ? word : value));
        // A misspelt expected word fails the analogy too; it is replaced like the others.
        return ask({ a, b, c, expected: same(state.expected) ? word : state.expected });
      }
      if (state.q) return ask({ q: replaceToken(state.q, error.word ?? '', word) });
      return ask({ word });
    },
  };
}
