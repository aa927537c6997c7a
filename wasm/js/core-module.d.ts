// Types of the Embind surface that wasm/bindings/embind.cpp declares: what
// the wrapper (explorer.js) may call. Every call that can fail returns
// either its value or a CoreFailure; the wrapper's guarded() turns the
// latter into a thrown ExplorerError. Embind needs the exact argument
// count, so every parameter here is required.

/** A failure returned as a value instead of thrown across the boundary. */
export interface CoreFailure {
  explorerError: true;
  code: string;
  message: string;
  word?: string;
  suggestions?: string[];
}

/** A result the core may replace with a CoreFailure. */
export type Fallible<T> = T | CoreFailure;

/** An object allocated in the wasm heap: JS must delete() it. */
export interface WasmObject {
  delete(): void;
}

export interface CoreTableInfo {
  words: number;
  dims: number;
  name: string;
  memoryBytes: number;
  kernel: string;
}

export interface CoreScored {
  ids: Uint32Array;
  scores: Float32Array;
}

export interface CoreAnisotropy {
  space: string;
  meanPairCosine: number;
  pairCosineStd: number;
  pairs: number;
  varianceTop1: number;
  varianceTop3: number;
  varianceTop10: number;
  meanNorm: number;
  meanVectorNorm: number;
  eigenvalueMax: number;
  eigenvalueMin: number;
}

export interface CorePairScores {
  space: string;
  spearman: number;
  pearson: number;
  pairs: number;
  oov: number;
  invalidLines: number;
}

export interface CoreProjection {
  coordinates: Float32Array;
  explained: Float32Array;
  /** PCA only: the share of the variance of each of the top 10 components. */
  componentsExplained?: Float32Array;
}

export interface CoreLoadReport {
  fileName: string;
  format: string;
  words: number;
  dims: number;
  duplicates: number;
  firstDuplicate: string;
  bytesBefore: number;
  bytesAfter: number;
  recallAt10: number;
  recallQueries: number;
}

export interface CoreMetadata {
  columns: string[];
  values: string[][];
}

export interface CoreLabVariant {
  bytes: number;
  queryMs: number;
  recallAt10: number;
  analogyAccuracy: number | null;
  analogyCorrect: number;
  analogyQuestions: number;
}

export interface CoreLabReport {
  float32: CoreLabVariant;
  int8: CoreLabVariant;
  int4: CoreLabVariant;
  sample: number;
  analogySkipped: number;
}

export interface ByteBuffer extends WasmObject {
  view(): Uint8Array;
}

export interface FloatBuffer extends WasmObject {
  view(): Float32Array;
}

/** Float rows kept while a table loads (keepFloats), for the quantization lab. */
export type FloatCopy = WasmObject;

export interface CoreExplorer extends WasmObject {
  load(buffer: ByteBuffer): Fallible<CoreTableInfo>;
  find(word: string): Fallible<number>;
  require(word: string): Fallible<number>;
  vocabularyText(): Fallible<string>;
  complete(prefix: string, limit: number): Fallible<Uint32Array>;
  vector(id: number): Fallible<Float32Array>;
  setSpace(spec: string): Fallible<string>;
  spaceName(): Fallible<string>;
  neighbors(id: number, k: number, exclude: number[], includeSelf: boolean): Fallible<CoreScored>;
  neighborsOfVector(vector: Float32Array, k: number, exclude: number[]): Fallible<CoreScored>;
  analogy(a: number, b: number, c: number, method: string, k: number, includeInputs: boolean): Fallible<CoreScored>;
  analogyRank(
    a: number,
    b: number,
    c: number,
    expected: number,
    method: string,
    includeInputs: boolean,
  ): Fallible<{ rank: number; score: number }>;
  expression(
    text: string,
    k: number,
    includeInputs: boolean,
  ): Fallible<CoreScored & { termIds: Uint32Array; termWeights: Float64Array }>;
  similarity(a: number, b: number): Fallible<number>;
  oddOneOut(ids: number[]): Fallible<CoreScored>;
  /** `space` "" is the current space; none of these three switches it. */
  pairCosines(sample: number, seed: number, space: string): Fallible<Float32Array>;
  anisotropy(sample: number, seed: number, space: string): Fallible<CoreAnisotropy>;
  spectrum(space: string): Fallible<Float64Array>;
  projectPca(ids: number[], wholeTable: boolean, components: number[]): Fallible<CoreProjection>;
  projectAxes(ids: number[], axes: { from: number[]; to: number[]; pairs?: boolean }[]): Fallible<CoreProjection>;
  analogyGeometry(request: {
    terms: { id: number; weight: number }[];
    ids: number[];
    from: number;
    to: number;
    otherFrom: number;
    otherTo: number;
    layout: 'plane' | 'pca';
  }): Fallible<{
    point: Float32Array;
    pointNorm: number;
    nearest: number;
    nearestCosine: number;
    offsetCosine: number;
    coordinates: Float32Array;
    explained: Float32Array;
    layout: 'plane' | 'pca';
  }>;
  offsetConsistency(flatPairs: number[]): Fallible<{ cosineToMean: Float64Array; length: Float64Array; meanLength: number }>;
  evaluatePairs(text: string, space: string): Fallible<CorePairScores>;
}

export interface CoreAnalogyEvaluation extends WasmObject {
  start(explorer: CoreExplorer, text: string, method: string, space: string): Fallible<number>;
  step(maxQuestions: number): Fallible<boolean>;
  spaceName(): string;
  evaluated(): number;
  skipped(): number;
  invalidLines(): number;
  correct(): number;
  sections(): { name: string; correct: number; count: number }[];
  items(): Uint32Array;
  predictions(): Uint32Array;
}

export interface CoreTsneRun extends WasmObject {
  start(explorer: CoreExplorer, ids: number[], perplexity: number, seed: number, theta: number, dims: number): Fallible<number>;
  prepare(maxRows: number): Fallible<boolean>;
  prepared(): number;
  ready(): boolean;
  step(iterations: number): Fallible<number>;
  iteration(): number;
  positions(): Float32Array;
  klDivergence(): Fallible<number>;
}

/** A progressive UMAP run (wasm/core/umap): k-NN graph in prepare(), epochs in step(). */
export interface CoreUmapRun extends WasmObject {
  start(explorer: CoreExplorer, ids: number[], neighbors: number, minDist: number, dims: number, seed: number): Fallible<number>;
  prepare(maxRows: number): Fallible<boolean>;
  prepared(): number;
  ready(): boolean;
  step(epochs: number): Fallible<number>;
  epoch(): number;
  epochs(): number;
  dims(): number;
  positions(): Float32Array;
}

/** All k nearest neighbours of a list of rows among each other (int8 kernel, re-ranked in float32). */
export interface CoreKnnBuild extends WasmObject {
  start(explorer: CoreExplorer, ids: number[], k: number, space: string): Fallible<number>;
  step(maxRows: number): Fallible<boolean>;
  done(): number;
  size(): number;
  /** Row-major points x k; neighbors are positions in the id list, best first. Once, after step() returned true. */
  graph(): Fallible<CoreKnnGraph>;
}

export interface CoreKnnGraph {
  points: number;
  k: number;
  neighbors: Uint32Array;
  cosines: Float32Array;
}

/** Neighbour preservation and trustworthiness of a 2D/3D layout of a list of rows. */
export interface CoreFaithfulnessRun extends WasmObject {
  start(explorer: CoreExplorer, ids: number[], positions: Float32Array | number[], layoutDims: number, k: number, space: string): Fallible<number>;
  step(maxRows: number): Fallible<boolean>;
  done(): number;
  size(): number;
  result(): Fallible<CoreFaithfulness>;
}

export interface CoreFaithfulness {
  points: number;
  k: number;
  neighborRecall: Float32Array;
  neighbors: Uint32Array;
  meanNeighborRecall: number;
  trustworthiness: number;
}

/** The neighbour navigator's k-NN graph, built in steps and kept for BFS queries (positions index the start() ids). */
export interface CoreNavigatorGraph extends WasmObject {
  start(explorer: CoreExplorer, ids: number[], k: number, space: string): Fallible<number>;
  step(maxRows: number): Fallible<boolean>;
  done(): number;
  size(): number;
  /** Positions from `from` to `to`, both included; empty when unreachable. */
  path(from: number, to: number): Fallible<Uint32Array>;
  /** Hops from every position to `to`; 0xFFFFFFFF where unreachable. */
  hopsTo(to: number): Fallible<Uint32Array>;
  pick(hops: number, seed: number): Fallible<{ start: number; target: number }>;
  neighbors(position: number): Fallible<{ positions: Uint32Array; cosines: Float32Array }>;
}

export interface CoreDirection {
  space: string;
  method: 'mean' | 'pc';
  direction: Float32Array;
  consistency: number;
  componentShares: Float64Array;
  pairCosines: Float32Array;
  pairLengths: Float32Array;
}

export interface CoreContributions {
  space: string;
  cosine: number;
  dims: Uint32Array;
  products: Float32Array;
  running: Float32Array;
  share: Float32Array;
  positiveSum: number;
  negativeSum: number;
}

export interface CoreHeatmapRows {
  space: string;
  dims: number;
  values: Float32Array;
  norms: Float64Array;
  lengths: Float64Array;
}

export interface CoreTableLoader extends WasmObject {
  setVocabulary(fileName: string, bytes: ByteBuffer): Fallible<number>;
  setMetadata(fileName: string, bytes: ByteBuffer): Fallible<number>;
  setTensor(name: string): void;
  start(format: string, fileName: string): Fallible<string>;
  keepFloats(copy: FloatCopy): Fallible<boolean>;
  feed(buffer: ByteBuffer, size: number): Fallible<number>;
  finish(
    explorer: CoreExplorer,
    tableName: string,
  ): Fallible<{ info: CoreTableInfo; report: CoreLoadReport; metadata: CoreMetadata | null }>;
}

export interface CoreQuantizationLab extends WasmObject {
  start(explorer: CoreExplorer, floats: FloatCopy, questions: string, sample: number, seed: number): Fallible<number>;
  step(maxUnits: number): Fallible<boolean>;
  done(): number;
  report(): Fallible<CoreLabReport>;
}

/** The instantiated wasm module. */
export interface CoreModule {
  HEAPU8: Uint8Array;
  ByteBuffer: new (size: number) => ByteBuffer;
  FloatBuffer: new (size: number) => FloatBuffer;
  FloatCopy: new () => FloatCopy;
  Explorer: new () => CoreExplorer;
  AnalogyEvaluation: new () => CoreAnalogyEvaluation;
  TsneRun: new () => CoreTsneRun;
  UmapRun: new () => CoreUmapRun;
  KnnBuild: new () => CoreKnnBuild;
  FaithfulnessRun: new () => CoreFaithfulnessRun;
  TableLoader: new () => CoreTableLoader;
  QuantizationLab: new () => CoreQuantizationLab;
  quantizeTable(values: FloatBuffer, rows: number, dims: number, words: string, name: string): Fallible<Uint8Array>;
  heapInUse(): number;
  detectFormat(fileName: string, head: ByteBuffer, size: number): Fallible<string>;
  listTensors(fileName: string, head: ByteBuffer, size: number): Fallible<{ name: string; dtype: string; shape: number[] }[]>;
  saveTable(explorer: CoreExplorer): Fallible<Uint8Array>;
  tableMetadata(explorer: CoreExplorer): Fallible<CoreMetadata | null>;
  // Directions, contributions, heatmap rows, cosine to the others (direction_bindings.inc); `space` "" = current.
  NavigatorGraph: new () => CoreNavigatorGraph;
  directionFromPairs(explorer: CoreExplorer, flatPairs: number[], method: string, space: string): Fallible<CoreDirection>;
  rankAlongDirection(
    explorer: CoreExplorer,
    direction: Float32Array,
    count: number,
    amongRows: number,
    space: string,
  ): Fallible<{ positive: CoreScored; negative: CoreScored }>;
  projectOntoDirection(explorer: CoreExplorer, direction: Float32Array, ids: number[], space: string): Fallible<Float32Array>;
  contributionsOf(explorer: CoreExplorer, first: string, second: string, space: string): Fallible<CoreContributions>;
  heatmapRows(explorer: CoreExplorer, expressions: string[], space: string): Fallible<CoreHeatmapRows>;
  cosineToOthers(explorer: CoreExplorer, ids: number[], space: string): Fallible<CoreScored>;
  // Euclidean neighbours in the current space (euclidean_bindings.inc); scores are distances, nearest first.
  euclideanNeighbors(explorer: CoreExplorer, id: number, k: number, exclude: number[], includeSelf: boolean): Fallible<CoreScored>;
  euclideanExpression(
    explorer: CoreExplorer,
    text: string,
    k: number,
    includeInputs: boolean,
  ): Fallible<CoreScored & { termIds: Uint32Array; termWeights: Float64Array }>;
}

export interface CoreModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string) => string;
}

declare function createExplorerModule(options?: CoreModuleOptions): Promise<CoreModule>;
export default createExplorerModule;
