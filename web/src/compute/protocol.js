// Messages between the page and the compute worker, and their types.
//
// page -> worker  { id, type: RequestType, args }     a call
//                 { id, type: 'cancel' }              drop call `id` if it has not started
//                 { id, type: 'abort' }               drop call `id`, or stop it if it runs: CANCELLED
// worker -> page  { id, type: 'result', value }
//                 { id, type: 'error', error: WireError }
//                 { id, type: 'progress', progress }
//
// Each request has a mode (the worker's handler table declares it):
//   queued      run one at a time, in arrival order: short calls (a query, an autocomplete)
//   background  start at once and run in short steps; queued calls are answered between
//               the steps, so a long job never holds up a query
//   control     act on the running jobs at once (cancel, abort, t-SNE pause/resume/stop)
//
// The request names, the arguments, the results and the progress of every
// request are in RequestMap below; `npm run typecheck` checks the worker
// and the client against it.
import { ErrorCode } from '../../../wasm/js/errors.js';

export { ErrorCode };

/** The calls the worker answers. */
export const Request = Object.freeze({
  load: 'load',
  loadUrl: 'loadUrl',
  query: 'query',
  complete: 'complete',
  setSpace: 'setSpace',
  project: 'project',
  analogyGeometry: 'analogyGeometry',
  relationOffsets: 'relationOffsets',
  topWords: 'topWords',
  wordIds: 'wordIds',
  anisotropy: 'anisotropy',
  tsne: 'tsne',
  tsneControl: 'tsneControl',
  umap: 'umap',
  listTensors: 'listTensors',
  loadFile: 'loadFile',
  saveTable: 'saveTable',
  pointColumn: 'pointColumn',
  evaluateAnalogies: 'evaluateAnalogies',
  evaluatePairs: 'evaluatePairs',
  acrossSpaces: 'acrossSpaces',
  quantizationLab: 'quantizationLab',
  knn: 'knn',
  faithfulness: 'faithfulness',
  contributions: 'contributions',
  heatmap: 'heatmap',
  analogyHeatmap: 'analogyHeatmap',
  cosineToOthers: 'cosineToOthers',
  navigatorGraph: 'navigatorGraph',
  navigatorPick: 'navigatorPick',
  navigatorStep: 'navigatorStep',
  navigatorPath: 'navigatorPath',
  direction: 'direction',
  rankAlong: 'rankAlong',
  beforeAfter: 'beforeAfter',
  searchTable: 'searchTable',
  pointInfo: 'pointInfo',
  lessonMeasure: 'lessonMeasure',
  syntheticCone: 'syntheticCone',
});

/** Messages about another call, by its id; they get no answer of their own. */
export const Control = Object.freeze({ cancel: 'cancel', abort: 'abort' });

export const Mode = Object.freeze({ queued: 'queued', background: 'background', control: 'control' });

/** @typedef {import('../../../wasm/js/explorer.js').TableInfo} TableInfo */
/** @typedef {import('../../../wasm/js/explorer.js').ScoredWord} ScoredWord */
/** @typedef {import('../../../wasm/js/explorer.js').AnalogyMethod} AnalogyMethod */
/** @typedef {import('../../../wasm/js/explorer.js').ExpectedRank} ExpectedRank */
/** @typedef {import('../../../wasm/js/explorer.js').AnisotropyReport} AnisotropyReport */
/** @typedef {import('../../../wasm/js/explorer.js').Projection} Projection */
/** @typedef {import('../../../wasm/js/explorer.js').ProjectionAxis} ProjectionAxis */
/** @typedef {import('../../../wasm/js/explorer.js').GeometryQuery} GeometryQuery */
/** @typedef {import('../../../wasm/js/explorer.js').AnalogyGeometry} AnalogyGeometry */
/** @typedef {import('../../../wasm/js/explorer.js').OffsetReport} OffsetReport */
/** @typedef {import('../../../wasm/js/explorer.js').AnalogyScores} AnalogyScores */
/** @typedef {import('../../../wasm/js/explorer.js').PairScores} PairScores */
/** @typedef {import('../../../wasm/js/explorer.js').SpaceScores} SpaceScores */
/** @typedef {import('../../../wasm/js/explorer.js').StepProgress} StepProgress */
/** @typedef {import('../../../wasm/js/explorer.js').SpacesProgress} SpacesProgress */
/** @typedef {import('../../../wasm/js/explorer.js').LoadReport} LoadReport */
/** @typedef {import('../../../wasm/js/explorer.js').QuantizationLabReport} QuantizationLabReport */
/** @typedef {import('../../../wasm/js/explorer.js').KnnGraph} KnnGraph */
/** @typedef {import('../../../wasm/js/explorer.js').FaithfulnessReport} FaithfulnessReport */
/** @typedef {import('../../../wasm/js/directions.js').Contributions} Contributions */
/** @typedef {import('../../../wasm/js/directions.js').Heatmap} Heatmap */
/**
 * Word pairs ("from", "to") and how to build their direction; pairs with a word the table lacks are left out and named.
 * @typedef {{ pairs: [string, string][], method?: 'mean' | 'pc' }} DirectionPairsArgs
 * @typedef {{ leftOut: [string, string][], missing: string[], missingReason: string }} LeftOut
 * @typedef {LeftOut & { space: string, method: 'mean' | 'pc', consistency: number, componentShares: number[],
 *   pairs: { from: string, to: string, cosine: number, length: number }[] }} DirectionSummary
 * @typedef {LeftOut & { space: string, consistency: number, towards: { positive: string, negative: string }, among?: number,
 *   positive: ShownWord[], negative: ShownWord[], listed?: ShownWord[] }} DirectionRankingAnswer
 * @typedef {{ before: { space: string, results: ShownWord[] }, after: { space: string, results: ShownWord[] },
 *   entered: ShownWord[], left: ShownWord[], pairs: [string, string][], leftOut: [string, string][] }} BeforeAfterAnswer
 */
/** @typedef {{ space: string, words: number, k: number, seconds?: number, built?: boolean }} NavigatorGraphInfo */
/** @typedef {{ word: string, target: string, neighbors: import('../../../wasm/js/navigator.js').NavigatorHint[], hopsLeft: number | null }} NavigatorStep */
/** @typedef {import('../../../wasm/js/errors.js').ErrorCodeName} ErrorCodeName */

/** @typedef {typeof Request[keyof typeof Request]} RequestType */
/** @typedef {typeof Mode[keyof typeof Mode]} RequestMode */

/** A result word with its readable form (subword tokens: "##ing" -> "‑ing"). */
/** @typedef {ScoredWord & { display: string }} ShownWord */

/** @typedef {{ kind: 'expression', text: string, k?: number, includeInputs?: boolean, metric?: import('../../../wasm/js/explorer.js').NeighborMetric }} ExpressionQuery */
/**
 * @typedef {{ kind: 'analogy', a: string, b: string, c: string, k?: number, method?: AnalogyMethod,
 *   includeInputs?: boolean, expected?: string }} AnalogyQuery
 */
/** @typedef {{ kind: 'neighbors', word: string, k?: number, metric?: import('../../../wasm/js/explorer.js').NeighborMetric }} NeighborsQuery */
/** @typedef {ExpressionQuery | AnalogyQuery | NeighborsQuery} QueryArgs */

/** @typedef {{ results: ShownWord[], terms: { word: string, id: number, weight: number }[], inputs: number[] }} ExpressionAnswer */
/** @typedef {{ method: AnalogyMethod, results: ShownWord[], expected?: ExpectedRank }} MethodAnswer */
/** An analogy always comes with the other method's answers (`other`). */
/** @typedef {MethodAnswer & { inputs: number[], other: MethodAnswer }} AnalogyAnswer */
/** @typedef {{ results: ShownWord[], inputs: number[] }} NeighborsAnswer */
/** @typedef {ExpressionAnswer | AnalogyAnswer | NeighborsAnswer} QueryResult */
/** `partial`: the default table is still streaming in, and the answer comes from its `rows` most frequent words. */
/** @typedef {QueryResult & { partial?: import('./files.js').TableExtent }} QueryAnswer */

/** @typedef {{ loaded: number, total: number }} ByteProgress */
/**
 * The default table's load: wire bytes so far, and the rows that have arrived; `table` comes with each
 * bigger part of the table that was swapped in (queries now answer from `rows` words).
 * @typedef {ByteProgress & { rows?: number, totalRows?: number, table?: TableInfo }} LoadProgress
 */
/** @typedef {{ iteration: number, iterations: number, positions: Float32Array }} TsneFrame */
/** @typedef {'pause' | 'resume' | 'stop'} TsneAction */
/** @typedef {{ epoch: number, epochs: number, dims: number, positions: Float32Array }} UmapFrame */

/**
 * @typedef {{ file: File, format?: string, vocabFile?: File, metadataFile?: File, tensor?: string,
 *   keepFloats?: boolean }} LoadFileArgs
 * @typedef {{ info: TableInfo, report: LoadReport, columns: string[], name: string, bytes: number,
 *   seconds: number, keepFloats: boolean }} LoadFileResult
 */

/**
 * Every request: its arguments, its result, and what its progress
 * messages carry (never: it sends none).
 * @typedef {object} RequestMap
 * @property {{ args: { tableUrl: string | URL, wasmUrl?: string | URL }, result: TableInfo, progress: LoadProgress }} load
 *   the page's default table, streamed in: answers start with its first rows, and the call resolves when it is complete
 * @property {{ args: { tableUrl: string, wasmUrl?: string, format?: string }, result: TableInfo, progress: ByteProgress }} loadUrl
 *   a table at a same-origin URL (data=), in any format with no companion file; format is detected when absent
 * @property {{ args: QueryArgs, result: QueryAnswer, progress: never }} query
 * @property {{ args: { prefix: string, limit?: number }, result: string[], progress: never }} complete
 *   autocomplete: words that start with `prefix`, most frequent first
 * @property {{ args: { space: string }, result: string, progress: never }} setSpace
 *   the space's canonical name
 * @property {{ args: { ids: (number | string)[], method?: 'pca' | 'pca-table' | 'axes', axes?: ProjectionAxis[], components?: number[] }, result: Projection, progress: never }} project
 * @property {{ args: GeometryQuery, result: AnalogyGeometry, progress: never }} analogyGeometry
 *   the computed point, the offsets' full-space cosine and a layout of `words` + the point
 * @property {{ args: { text: string, section: string }, result: OffsetReport & { section: string }, progress: never }} relationOffsets
 *   each pair's offset cosine to the relation's mean offset
 * @property {{ args: { count: number }, result: { ids: number[], words: string[], labels: string[] }, progress: never }} topWords
 *   the `count` most frequent words
 * @property {{ args: { words: string[] }, result: number[], progress: never }} wordIds
 *   each word's id, -1 for a word the table lacks
 * @property {{ args: { space: string, sample?: number }, result: { space: string, raw: AnisotropyReport, transformed: AnisotropyReport }, progress: never }} anisotropy
 *   the raw space beside `space`, computed without switching the current space
 * @property {{ args: { ids: (number | string)[], perplexity?: number, dims?: number, seed?: number, iterations?: number, frameEvery?: number },
 *   result: { iteration: number, stopped: boolean }, progress: TsneFrame }} tsne
 *   a newer t-SNE stops this one (it resolves with stopped: true)
 * @property {{ args: { action: TsneAction }, result: { applied: boolean }, progress: never }} tsneControl
 *   applied: false when no t-SNE was running
 * @property {{ args: { ids: (number | string)[], neighbors?: number, minDist?: number, dims?: number, seed?: number, frameEvery?: number },
 *   result: { epoch: number, epochs: number, stopped: boolean }, progress: UmapFrame }} umap
 *   a newer UMAP stops this one; tsneControl pauses, resumes and stops it too
 * @property {{ args: { file: File }, result: { name: string, dtype: string, shape: number[] }[], progress: never }} listTensors
 * @property {{ args: LoadFileArgs, result: LoadFileResult, progress: ByteProgress }} loadFile
 *   a newer loadFile cancels this one; queries keep using the old table until the new one is in
 * @property {{ args: {}, result: Uint8Array, progress: never }} saveTable
 *   the table as EMBQ bytes
 * @property {{ args: { column: string, ids: (number | string)[] }, result: string[], progress: never }} pointColumn
 *   a metadata column's value for each point
 * @property {{ args: { text: string, method?: AnalogyMethod, space?: string }, result: AnalogyScores, progress: StepProgress }} evaluateAnalogies
 * @property {{ args: { text: string, space?: string }, result: PairScores, progress: never }} evaluatePairs
 * @property {{ args: { analogies?: string, pairs?: string, spaces?: string[], method?: AnalogyMethod }, result: SpaceScores[], progress: SpacesProgress }} acrossSpaces
 *   the benchmarks in each space, without switching the current space
 * @property {{ args: { questions?: string, sample?: number, seed?: number }, result: QuantizationLabReport, progress: StepProgress }} quantizationLab
 * @property {{ args: { ids: (number | string)[], k?: number, space?: string }, result: KnnGraph, progress: StepProgress }} knn
 *   all k nearest neighbours of the list among each other; neighbors are positions in `ids`
 * @property {{ args: { ids: (number | string)[], positions: Float32Array | number[], k?: number, dims?: number, space?: string }, result: FaithfulnessReport, progress: StepProgress }} faithfulness
 *   neighbour recall per point and trustworthiness of a 2D/3D layout of `ids`
 * @property {{ args: { first: string, second: string }, result: Contributions, progress: never }} contributions
 *   per-dimension products of two words' (or expressions') unit vectors in the current space, largest |product| first
 * @property {{ args: { expressions: string[], labels?: string[] }, result: Heatmap, progress: never }} heatmap
 *   the rows' vectors in the current space (at most 16 rows)
 * @property {{ args: { a: string, b: string, c: string, answer?: string }, result: Heatmap, progress: never }} analogyHeatmap
 *   rows a, b, b − a, c, b − a + c and the answer (default: the top 3CosAdd answer)
 * @property {{ args: { words: string[] }, result: { odd: string, results: ScoredWord[] }, progress: never }} cosineToOthers
 *   odd-one-out: each word's cosine to the mean of the other words, lowest (the odd one) first
 * @property {{ args: { space?: string }, result: NavigatorGraphInfo, progress: StepProgress }} navigatorGraph
 *   the navigator's nearest-10 graph of the most frequent words in `space` (default: the current one), built on first use
 * @property {{ args: { space: string, hops?: number, seed?: number }, result: { start: string, target: string, hops: number, seed: number }, progress: never }} navigatorPick
 *   a seeded puzzle whose shortest path has exactly `hops` hops
 * @property {{ args: { space: string, word: string, target: string }, result: NavigatorStep, progress: never }} navigatorStep
 *   a word's nearest-10 list, each with its hops to the target, and the hops left from the word (null: unreachable)
 * @property {{ args: { space: string, start: string, target: string }, result: NavigatorGraphInfo & { start: string, target: string, path: string[], hops: number | null }, progress: never }} navigatorPath
 *   the shortest path (hops null and no words when the target cannot be reached)
 * @property {{ args: DirectionPairsArgs, result: DirectionSummary, progress: never }} direction
 *   a direction from at least 2 usable pairs in the current space, with its consistency (first component's share)
 * @property {{ args: DirectionPairsArgs & { count?: number, among?: number, words?: string[] }, result: DirectionRankingAnswer, progress: never }} rankAlong
 *   both ends of the direction over the `among` most frequent words, or the whole `words` list from the "to" end down
 * @property {{ args: DirectionPairsArgs & { query: QueryArgs }, result: BeforeAfterAnswer, progress: never }} beforeAfter
 *   the query in the current space and with the direction projected out of it, and the words that entered and left the top k
 * @property {{ args: SearchArgs, result: SearchResult, progress: never }} searchTable
 *   rows whose word (or metadata `column`) matches a regular expression or contains a substring; a newer search stops this one
 * @property {{ args: { word: string }, result: PointInfo, progress: never }} pointInfo
 *   a point's card: its row (frequency rank), the norm of its stored vector, its metadata
 * @property {{ args: LessonMeasureArgs, result: LessonMeasureAnswer, progress: never }} lessonMeasure
 *   a lesson figure's or check's measure, in `space` (default: the page's) without switching the page's space; missing words are named, not errors
 * @property {{ args: { rows?: number, dims?: number, shared?: number, seed?: number }, result: ConeReport, progress: never }} syntheticCone
 *   a generated cone table (synthetic-cone.js) in a core of its own: mean pair cosine and neighbours changed per space
 */
/**
 * Lesson measures (lesson-handlers.js).
 * @typedef {{ measure: 'cosines', target: string, words: string[], space?: string }
 *   | { measure: 'rank', word: string, a: string, b: string, c: string, method?: AnalogyMethod, inputs?: boolean, space?: string }
 *   | { measure: 'offsets', pairs: [string, string][], space?: string }
 *   | { measure: 'nearest', word: string, spaces: string[] }
 *   | { measure: 'table' }} LessonMeasureArgs
 * @typedef {{ measure: 'cosines', space: string, missing: string[], cosines: { word: string, cosine: number }[] }
 *   | { measure: 'rank', space: string, missing: string[], method: AnalogyMethod, rank: number | null, score: number | null, first: ShownWord | null }
 *   | { measure: 'offsets', space: string, missing: string[], leftOut: [string, string][], consistency: number | null, pairs: { from: string, to: string, cosine: number, length: number }[] }
 *   | { measure: 'nearest', missing: string[], word: string, nearest: { space: string, word: string, display: string, cosine: number }[] }
 *   | { measure: 'table', missing: string[], name: string, words: number, dims: number, memoryBytes: number, partial: boolean }} LessonMeasureAnswer
 * @typedef {{ rows: number, dims: number, shared: number, seed: number, pairRows: number, checkedRows: number,
 *   meanPairCosine: Record<string, number>, neighboursChanged: Record<string, number>, seconds: number }} ConeReport
 */
/**
 * @typedef {{ pattern: string, mode?: 'regex' | 'substring', matchCase?: boolean, column?: string, shown?: number }} SearchArgs
 * @typedef {{ pattern: string, mode: string, column: string, rows: number, count: number, ids: Int32Array, words: string[],
 *   listed: { id: number, word: string, display: string, value: string }[] }} SearchResult
 * @typedef {{ id: number, word: string, display: string, row: number, rows: number, dims: number, norm: number,
 *   metadata: { column: string, value: string }[] }} PointInfo
 */

/**
 * @template {RequestType} T
 * @typedef {RequestMap[T]['args']} ArgsOf
 */
/**
 * @template {RequestType} T
 * @typedef {RequestMap[T]['result']} ResultOf
 */
/**
 * @template {RequestType} T
 * @typedef {RequestMap[T]['progress']} ProgressOf
 */

/** @typedef {{ code: ErrorCodeName | string, message: string, word?: string, suggestions: string[] }} WireError */

/**
 * @typedef {{ id: number, type: RequestType, args?: object }} CallMessage
 * @typedef {{ id: number, type: typeof Control[keyof typeof Control] }} ControlMessage
 * @typedef {CallMessage | ControlMessage} PageMessage
 */
/**
 * @typedef {{ id: number, type: 'result', value: unknown }
 *   | { id: number, type: 'error', error: WireError }
 *   | { id: number, type: 'progress', progress: unknown }} WorkerMessage
 */
