// Messages between the page and the compute worker.
//
// page -> worker  { id, type: Request, args }        a call
//                 { id, type: 'cancel' }             drop a queued call
//                 { id, type: 'abort' }              drop a queued call or stop a running
//                                                    one (a load, an evaluation): CANCELLED
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
  knownWords: 'knownWords', // { words } -> the words that are in the loaded table
  anisotropy: 'anisotropy', // { space, sample } -> stats for raw and space, histograms, spectra
  tsne: 'tsne', // { ids, seed, iterations, frameEvery } -> final positions; progress frames
  tsneControl: 'tsneControl', // { action: 'pause'|'resume'|'stop' } (handled out of band)
  // Bring your own table. Files are File objects (structured-cloned, read in the worker).
  listTensors: 'listTensors', // { file } -> [{ name, dtype, shape }] from the safetensors header
  loadFile: 'loadFile', // { file, format?, vocabFile?, metadataFile?, tensor?, keepFloats } -> { info, report, columns, name }; progress { loaded, total }; runs beside the queue
  saveTable: 'saveTable', // {} -> Uint8Array (EMBQ bytes)
  pointColumn: 'pointColumn', // { column, ids (ids or words) } -> values[] of that metadata column
  // The evaluation lab.
  evaluateAnalogies: 'evaluateAnalogies', // { text, method } -> { total, sections, skipped, ... }; progress { done, total }
  evaluatePairs: 'evaluatePairs', // { text } -> { spearman, pearson, pairs, oov }
  acrossSpaces: 'acrossSpaces', // { analogies?, pairs?, spaces } -> [{ space, analogies?, pairs? }]; progress { space, done, total }
  quantizationLab: 'quantizationLab', // { questions?, sample } -> { float32, int8, int4? }
});
