// Messages between the page and the compute worker.
//
// page -> worker  { id, type: Request, args }        a call
//                 { id, type: 'cancel' }             drop a queued call
// worker -> page  { id, type: 'result', value }
//                 { id, type: 'error', error: { code, message, word, suggestions } }
//                 { id, type: 'progress', progress }  (loading bytes, t-SNE frames)
export const Request = Object.freeze({
  load: 'load', // { tableUrl, wasmUrl } -> table info; progress { loaded, total }
  query: 'query', // { kind: 'expression'|'analogy'|'neighbors', ... } -> results
  complete: 'complete', // { prefix, limit } -> words
  setSpace: 'setSpace', // { space } -> space name
  project: 'project', // { ids, method, axes } -> { coordinates, explained }
  topWords: 'topWords', // { count } -> { ids, words }
  anisotropy: 'anisotropy', // { space, sample } -> stats for raw and space, histograms, spectra
  tsne: 'tsne', // { ids, seed, iterations, frameEvery } -> final positions; progress frames
  tsneControl: 'tsneControl', // { action: 'pause'|'resume'|'stop' } (handled out of band)
});
