// The error codes and the error class shared by the wrapper, the CLI, the
// compute worker and the page's client. No imports: the page bundles this
// without the wasm module.

/**
 * Every code an ExplorerError (and the page's ComputeError) carries: the
 * core's own, then those made in JS. The worker and the page use this list.
 */
export const ErrorCode = Object.freeze({
  UNKNOWN_WORD: 'UNKNOWN_WORD',
  EMPTY_INPUT: 'EMPTY_INPUT',
  DUPLICATE_WORD: 'DUPLICATE_WORD',
  BAD_DATA: 'BAD_DATA',
  BAD_ARGUMENT: 'BAD_ARGUMENT',
  TOO_LARGE: 'TOO_LARGE',
  /** The query vector is zero (0*king, king - king). */
  ZERO_QUERY: 'ZERO_QUERY',
  OUT_OF_MEMORY: 'OUT_OF_MEMORY',
  /** A bug in the core or the wrapper, not the user's input. */
  INTERNAL: 'INTERNAL',
  /** Stopped by an AbortSignal, a newer call, or a table swap. */
  CANCELLED: 'CANCELLED',
  /** The worker has no table yet. */
  NOT_READY: 'NOT_READY',
  /** The worker itself failed or was stopped. */
  WORKER: 'WORKER',
});
/** @typedef {typeof ErrorCode[keyof typeof ErrorCode]} ErrorCodeName */

/** A failure the user caused: an unknown word, a bad file, a bad option. */
export class ExplorerError extends Error {
  /**
   * @param {string} message
   * @param {{ code?: ErrorCodeName | string, word?: string, suggestions?: string[] }} [details]
   */
  constructor(message, { code = ErrorCode.INTERNAL, word, suggestions = [] } = {}) {
    super(message);
    this.name = 'ExplorerError';
    /** @type {ErrorCodeName | string} */
    this.code = code;
    if (word !== undefined) this.word = word;
    this.suggestions = suggestions;
  }
}

/**
 * The error an aborted signal stops a call with: its reason when that is
 * already a CANCELLED ExplorerError, else one that names `what`.
 * @param {AbortSignal} signal
 * @param {string} what
 */
export function cancellation(signal, what) {
  const reason = signal.reason;
  if (reason instanceof ExplorerError && reason.code === ErrorCode.CANCELLED) return reason;
  return new ExplorerError(`${what} was cancelled`, { code: ErrorCode.CANCELLED });
}
