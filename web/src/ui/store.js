// The page's one source of truth. Every change, whoever makes it (a control,
// a preset, a suggestion, a click on a point, the URL, Back/Forward, a
// finished query), is a set() here; the URL, the controls and the view are
// all drawn from what the store holds, never from each other.

/**
 * A small store: get() returns the current (frozen) state; set(patch, meta)
 * makes a new state from it and tells every subscriber (state, previous,
 * meta). `meta` says why it changed ({ history: 'push' } for a new query,
 * { source: 'history' } for Back/Forward), so the URL sync knows whether to
 * add a history entry.
 */
export function createStore(initial) {
  let state = Object.freeze({ ...initial });
  const subscribers = new Set();
  return {
    get: () => state,
    set(patch, meta = {}) {
      const previous = state;
      const next = { ...state, ...patch };
      if (Object.keys(next).every((key) => next[key] === previous[key])) return;
      state = Object.freeze(next);
      for (const subscriber of subscribers) subscriber(state, previous, meta);
    },
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
  };
}
