// The worker's job registry and scheduler. Every call stays in one
// registry, `jobs`, from arrival to answer; the handler table (worker.js)
// says each request's mode. Queued calls run one at a time, from a
// macrotask, so a 'cancel' for a call that a newer one superseded can
// remove it before it runs (fast typing sends many queries). Background
// jobs run in short steps and, between steps, wait until the queue is
// empty, so a query is answered within one step. Control requests act on
// the registry at once. Errors leave the worker one way: toWire().
//
// The same code runs as a dedicated Worker (one page) or as a SharedWorker
// that the embeds of one course page share (one table in memory, one
// download). Each page is a peer: call ids are the peer's own, so the
// registry keys a job by peer and id; a newer call replaces only its own
// peer's older one, and a control acts on its own peer's jobs. Requests
// named `shared` in serve() (the default table's load) run once for all
// peers: a peer that asks while it runs gets its progress and its answer,
// one that asks after gets the answer at once.
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
 * One page the worker answers: the dedicated worker's own scope, or a
 * SharedWorker port.
 * `space`: the space the page last chose (set by the worker's setSpace handler).
 * @typedef {{ serial: number, post: (message: unknown, transfer: Transferable[]) => void, space?: string }} Peer
 */
/**
 * A call in the registry. A paused job (t-SNE) waits until resume() is called.
 * `followers`: other peers' identical calls of a shared request, answered with it.
 * @typedef {{ id: number, key: string, peer: Peer, type: RequestType, mode: import('./protocol.js').RequestMode, args: object,
 *   controller: AbortController, started: boolean, paused: boolean, resume: (() => void) | null,
 *   followers: { peer: Peer, id: number }[], lastProgress?: { value: unknown } }} Job
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

/**
 * @typedef {{ postMessage(message: unknown, transfer?: Transferable[]): void,
 *   onmessage: ((event: MessageEvent<PageMessage>) => void) | null, start?: () => void }} PortLike
 */
// The worker's global scope, typed without the WebWorker library (which
// cannot be combined with the DOM library the page code needs). A
// SharedWorker's scope has onconnect; a dedicated worker's has not.
const scope = /** @type {PortLike & { onconnect?: ((event: { ports: readonly PortLike[] }) => void) | null }} */ (
  /** @type {unknown} */ (self)
);

/** @type {Map<string, Job>} every call not yet answered, in arrival order, keyed by peer and call id */
const jobs = new Map();
const jobKey = (/** @type {Peer} */ peer, /** @type {number} */ id) => `${peer.serial}:${id}`;
let peers = 0;
/** @type {Set<RequestType>} requests that one run answers for every peer */
let sharedTypes = new Set();
/** @type {Map<string, unknown>} shared request (type and arguments) -> its result, once it succeeded */
const sharedResults = new Map();
/** @type {Map<string, Job>} shared request -> the job running it */
const sharedRunning = new Map();
let draining = false;
let drainScheduled = false;
/** @type {(() => void)[]} background jobs waiting for the queue to empty */
const waitingForIdle = [];

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
 * The running jobs of one request type (for control requests), of one peer
 * when `peer` is given.
 * @param {RequestType} type
 * @param {Peer} [peer]
 */
export function runningJobs(type, peer) {
  return [...jobs.values()].filter((job) => job.type === type && job.started && (!peer || job.peer === peer));
}

/** Control messages: each acts on call `id` at once. */
const controls = {
  /** Drops a call that has not started (a newer one on the same channel superseded it). */
  [Control.cancel](/** @type {string} */ key) {
    const job = jobs.get(key);
    if (job && !job.started) settle(job, { type: 'error', error: toWire(failure(ErrorCode.CANCELLED, 'superseded')) });
  },
  /** Drops a call that has not started, or stops a running one at its next step. */
  [Control.abort](/** @type {string} */ key) {
    const job = jobs.get(key);
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
  if (!jobs.delete(job.key)) return;
  const shared = sharedRunning.get(job.key);
  if (shared === job) {
    sharedRunning.delete(job.key);
    if (answer.type === 'result') sharedResults.set(job.key, answer.value);
  }
  // Followers get copies first: the transfer then moves the buffers to the job's own page.
  for (const follower of job.followers) follower.peer.post({ id: follower.id, ...answer }, []);
  job.peer.post({ id: job.id, ...answer }, transfer);
}

/**
 * A progress message to the job's page and its followers (who get copies).
 * @param {Job} job
 * @param {unknown} value
 * @param {Transferable[]} transfer
 */
function sendProgress(job, value, transfer) {
  if (!jobs.has(job.key)) return;
  if (sharedTypes.has(job.type)) job.lastProgress = { value };
  for (const follower of job.followers) follower.peer.post({ id: follower.id, type: 'progress', progress: value }, []);
  job.peer.post({ id: job.id, type: 'progress', progress: value }, transfer);
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
    progress: (value, transfer = []) => sendProgress(job, value, transfer),
    between: betweenSteps,
  };
  try {
    beforeRun?.(job);
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
/** @type {((job: Job) => void) | undefined} */
let beforeRun;

/**
 * Answers the pages' messages with `table`: the one page of a dedicated
 * worker, or every page that connects to a SharedWorker. `shared`: the
 * requests whose identical calls from several pages run once; `beforeRun`:
 * called as each call starts, to restore what its page set (its space).
 * @param {HandlerTable} table
 * @param {{ shared?: RequestType[], beforeRun?: (job: Job) => void }} [options]
 */
export function serve(table, { shared = [], beforeRun: hook } = {}) {
  handlers = table;
  beforeRun = hook;
  if ('onconnect' in scope) {
    // Only a SharedWorker has several pages to share a call between.
    sharedTypes = new Set(shared);
    scope.onconnect = ({ ports }) => ports.forEach(listen);
  } else {
    listen(scope);
  }
}

/**
 * Starts answering one page.
 * @param {PortLike} port
 */
function listen(port) {
  /** @type {Peer} */
  const peer = { serial: ++peers, post: (message, transfer) => port.postMessage(message, transfer) };
  port.onmessage = ({ data }) => receive(peer, data);
  port.start?.();
}

/**
 * A page that is going away: its calls are dropped or stopped, and it
 * stops following shared calls.
 * @param {Peer} peer
 */
function forget(peer) {
  for (const job of [...jobs.values()]) {
    job.followers = job.followers.filter((f) => f.peer !== peer);
    if (job.peer !== peer) continue;
    const shared = sharedRunning.get(job.key) === job;
    const heir = shared ? job.followers.shift() : undefined;
    if (heir) Object.assign(job, { peer: heir.peer, id: heir.id }); // the other pages still wait for it
    else if (!job.started) {
      jobs.delete(job.key);
      if (shared) sharedRunning.delete(job.key);
    } else if (!shared) {
      job.controller.abort(failure(ErrorCode.CANCELLED, 'the page closed'));
      job.resume?.();
    }
  }
}

/**
 * @param {Peer} peer
 * @param {PageMessage | { type: 'close', id?: number }} data
 */
function receive(peer, data) {
  if (data.type === 'close') return forget(peer);
  if (data.type === Control.cancel || data.type === Control.abort) {
    controls[/** @type {'cancel' | 'abort'} */ (data.type)](jobKey(peer, /** @type {number} */ (data.id)));
    return;
  }
  const message = /** @type {CallMessage} */ (data);
  const handler = Object.hasOwn(handlers, message.type) ? handlers[message.type] : undefined;
  if (!handler) {
    peer.post({ id: message.id, type: 'error', error: toWire(failure(ErrorCode.BAD_ARGUMENT, `unknown request "${message.type}"`)) }, []);
    return;
  }
  if (sharedTypes.has(message.type) && joinShared(peer, message)) return;
  const key = sharedTypes.has(message.type) ? sharedKey(message) : jobKey(peer, message.id);
  /** @type {Job} */
  const job = {
    id: message.id,
    key,
    peer,
    followers: [],
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
      if (older.type !== job.type || older.peer !== peer) continue;
      older.controller.abort(failure(ErrorCode.CANCELLED, `replaced by a newer ${job.type}`));
      older.resume?.();
    }
  }
  jobs.set(job.key, job);
  if (sharedTypes.has(job.type)) sharedRunning.set(job.key, job);
  if (handler.mode === Mode.queued) {
    if (!draining && !drainScheduled) {
      drainScheduled = true;
      setTimeout(drain, 0);
    }
  } else {
    run(job);
  }
}

/** A shared request's key: its type and arguments, the same from every page. */
const sharedKey = (/** @type {CallMessage} */ message) => `shared:${message.type}:${JSON.stringify(message.args ?? {})}`;

/**
 * Answers a shared call from the run another page started, or from its
 * result. Returns false when this call has to run itself.
 * @param {Peer} peer
 * @param {CallMessage} message
 */
function joinShared(peer, message) {
  const key = sharedKey(message);
  if (sharedResults.has(key)) {
    peer.post({ id: message.id, type: 'result', value: sharedResults.get(key) }, []);
    return true;
  }
  const running = sharedRunning.get(key);
  if (!running) return false;
  running.followers.push({ peer, id: message.id });
  if (running.lastProgress) peer.post({ id: message.id, type: 'progress', progress: running.lastProgress.value }, []);
  return true;
}
