// The worker's job registry and scheduler. Every call stays in one
// registry, `jobs`, from arrival to answer; the handler table (worker.js)
// says each request's mode. Queued calls run one at a time, from a
// macrotask, so a 'cancel' for a call that a newer one superseded can
// remove it before it runs (fast typing sends many queries). Background
// jobs run in short steps and, between steps, wait until the queue is
// empty, so a query is answered within one step. Control requests act on
// the registry at once. Errors leave the worker one way: toWire().
import { ErrorCode, ExplorerError } from '../../../wasm/js/errors.js';
import { yieldToEventLoop } from '../../../wasm/js/explorer.js';
import { Control, Mode } from './protocol.js';

/** @typedef {import('./protocol.js').RequestType} RequestType */
/** @typedef {import('./protocol.js').WireError} WireError */
/** @typedef {import('./protocol.js').PageMessage} PageMessage */
/** @typedef {import('./protocol.js').CallMessage} CallMessage */
/**
 * @template {RequestType} T
 * @typedef {import('./protocol.js').ArgsOf<T>} ArgsOf
 */
/**
 * @template {RequestType} T
 * @typedef {import('./protocol.js').ResultOf<T>} ResultOf
 */
/**
 * @template {RequestType} T
 * @typedef {import('./protocol.js').ProgressOf<T>} ProgressOf
 */
/**
 * A call in the registry. A paused job (t-SNE) waits until resume() is called.
 * @typedef {{ id: number, type: RequestType, mode: import('./protocol.js').RequestMode, args: object,
 *   controller: AbortController, started: boolean, paused: boolean, resume: (() => void) | null }} Job
 */
/**
 * What a handler gets beside its arguments.
 * @template P
 * @typedef {{ job: Job, signal: AbortSignal, progress: (value: P, transfer?: Transferable[]) => void,
 *   between: () => Promise<void> }} JobContext
 */
/**
 * A handler: its mode, whether a newer call of the same type stops a
 * running one, and the work.
 * @template {RequestType} T
 * @typedef {{ mode: import('./protocol.js').RequestMode, replaces?: boolean,
 *   run: (args: ArgsOf<T>, context: JobContext<ProgressOf<T>>) => ResultOf<T> | Promise<ResultOf<T>>,
 *   transfer?: (value: ResultOf<T>) => Transferable[] }} Handler
 */

/** @typedef {{ [T in RequestType]: Handler<T> }} HandlerTable */

// The worker's global scope, typed without the WebWorker library (which
// cannot be combined with the DOM library the page code needs).
const scope = /** @type {{ postMessage(message: unknown, transfer: Transferable[]): void,
  onmessage: ((event: MessageEvent<PageMessage>) => void) | null }} */ (/** @type {unknown} */ (self));

/** @type {Map<number, Job>} every call not yet answered, in arrival order */
const jobs = new Map();
let draining = false;
let drainScheduled = false;
/** @type {(() => void)[]} background jobs waiting for the queue to empty */
const waitingForIdle = [];

/**
 * @param {unknown} message
 * @param {Transferable[]} [transfer]
 */
function post(message, transfer = []) {
  scope.postMessage(message, transfer);
}

/**
 * The one way an error leaves the worker.
 * @param {unknown} error
 * @returns {WireError}
 */
function toWire(error) {
  const e = /** @type {{ code?: string, message?: string, word?: string, suggestions?: string[] }} */ (error ?? {});
  return {
    code: e.code ?? ErrorCode.INTERNAL,
    message: e.message ?? String(error),
    word: e.word,
    suggestions: e.suggestions ?? [],
  };
}

/**
 * An ExplorerError with `code`: the one way the worker makes its own errors.
 * @param {string} code
 * @param {string} message
 */
export const failure = (code, message) => new ExplorerError(message, { code });

/**
 * The running jobs of one request type (for control requests).
 * @param {RequestType} type
 */
export function runningJobs(type) {
  return [...jobs.values()].filter((job) => job.type === type && job.started);
}

/** Control messages: each acts on call `id` at once. */
const controls = {
  /** Drops a call that has not started (a newer one on the same channel superseded it). */
  [Control.cancel](/** @type {number} */ id) {
    const job = jobs.get(id);
    if (job && !job.started) settle(job, { type: 'error', error: toWire(failure(ErrorCode.CANCELLED, 'superseded')) });
  },
  /** Drops a call that has not started, or stops a running one at its next step. */
  [Control.abort](/** @type {number} */ id) {
    const job = jobs.get(id);
    if (!job) return;
    const cancelled = failure(ErrorCode.CANCELLED, 'cancelled');
    if (!job.started) settle(job, { type: 'error', error: toWire(cancelled) });
    else {
      job.controller.abort(cancelled);
      job.resume?.(); // a paused t-SNE must wake up to stop
    }
  },
};

/**
 * Answers a job and drops it from the registry.
 * @param {Job} job
 * @param {{ type: 'result', value: unknown } | { type: 'error', error: WireError }} answer
 * @param {Transferable[]} [transfer]
 */
function settle(job, answer, transfer = []) {
  if (!jobs.delete(job.id)) return;
  post({ id: job.id, ...answer }, transfer);
}

// Background jobs call this between steps: one turn of the event loop (so
// messages that arrived during the step are received), then wait until
// every queued call has been answered.
async function betweenSteps() {
  await yieldToEventLoop();
  if (draining || drainScheduled) {
    await new Promise((resolve) => waitingForIdle.push(() => resolve(undefined)));
  }
}

/** @param {Job} job */
async function run(job) {
  const handler = /** @type {Handler<RequestType>} */ (handlers[job.type]);
  job.started = true;
  /** @type {JobContext<unknown>} */
  const context = {
    job,
    signal: job.controller.signal,
    progress: (value, transfer = []) => jobs.has(job.id) && post({ id: job.id, type: 'progress', progress: value }, transfer),
    between: betweenSteps,
  };
  try {
    const value = await handler.run(/** @type {any} */ (job.args), /** @type {any} */ (context));
    settle(job, { type: 'result', value }, handler.transfer?.(/** @type {any} */ (value)) ?? []);
  } catch (error) {
    settle(job, { type: 'error', error: toWire(error) });
  }
}

async function drain() {
  drainScheduled = false;
  draining = true;
  for (;;) {
    const next = [...jobs.values()].find((job) => job.mode === Mode.queued && !job.started);
    if (!next) break;
    await run(next);
  }
  draining = false;
  for (const wake of waitingForIdle.splice(0)) wake();
}

/** @type {HandlerTable} */
let handlers;

/**
 * Answers the page's messages with `table`.
 * @param {HandlerTable} table
 */
export function serve(table) {
  handlers = table;
  scope.onmessage = receive;
}

/** @param {MessageEvent<PageMessage>} event */
function receive({ data }) {
  if (data.type === Control.cancel || data.type === Control.abort) {
    controls[/** @type {'cancel' | 'abort'} */ (data.type)](data.id);
    return;
  }
  const message = /** @type {CallMessage} */ (data);
  const handler = Object.hasOwn(handlers, message.type) ? handlers[message.type] : undefined;
  if (!handler) {
    post({ id: message.id, type: 'error', error: toWire(failure(ErrorCode.BAD_ARGUMENT, `unknown request "${message.type}"`)) });
    return;
  }
  /** @type {Job} */
  const job = {
    id: message.id,
    type: message.type,
    mode: handler.mode,
    args: message.args ?? {},
    controller: new AbortController(),
    started: false,
    paused: false,
    resume: null,
  };
  if (handler.replaces) {
    for (const older of jobs.values()) {
      if (older.type !== job.type) continue;
      older.controller.abort(failure(ErrorCode.CANCELLED, `replaced by a newer ${job.type}`));
      older.resume?.();
    }
  }
  jobs.set(job.id, job);
  if (handler.mode === Mode.queued) {
    if (!draining && !drainScheduled) {
      drainScheduled = true;
      setTimeout(drain, 0);
    }
  } else {
    run(job);
  }
}
