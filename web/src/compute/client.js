// Promise client for the compute worker: request ids, typed errors,
// progress callbacks, and channels that drop superseded results.
import { Control, ErrorCode, Request } from './protocol.js';

/** @typedef {import('./protocol.js').RequestType} RequestType */
/** @typedef {import('./protocol.js').WireError} WireError */
/** @typedef {import('./protocol.js').WorkerMessage} WorkerMessage */
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
 * channel: a newer call on the same channel supersedes this one.
 * signal: aborting stops the call (ComputeError CANCELLED).
 * transfer: objects in args to move to the worker instead of copying.
 * @template P
 * @typedef {{ channel?: string, onProgress?: (progress: P) => void, transfer?: Transferable[], signal?: AbortSignal }} CallOptions
 */
/**
 * message: the call as posted, kept so it can be posted again to a fallback worker.
 * @typedef {{ resolve: (value: any) => void, reject: (error: Error) => void, onProgress?: (progress: any) => void, message: object }} Pending
 */

/** An error that came back from the worker, with the core's code (see ErrorCode). */
export class ComputeError extends Error {
  /** @param {Partial<WireError> & { code: string, message: string }} error */
  constructor({ code, message, word, suggestions }) {
    super(message);
    this.name = 'ComputeError';
    this.code = code;
    this.word = word;
    this.suggestions = suggestions ?? [];
  }
}

/** Rejection of a call that a newer call on the same channel replaced. */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'Superseded';
  }
}

/**
 * The two ends a client can talk through: a dedicated Worker, or the port
 * of a SharedWorker (`errors` is then the SharedWorker, where a failed
 * start is reported, and `stop` tells the worker this page is leaving).
 * @typedef {{ postMessage(message: unknown, transfer?: Transferable[]): void, addEventListener: EventTarget['addEventListener'] }} Endpoint
 */
/** @typedef {() => { endpoint: Endpoint, stop: () => void }} Fallback */

export class ComputeClient {
  /**
   * @param {Endpoint} worker a Worker, or a SharedWorker's port
   * @param {{ errors?: Pick<EventTarget, 'addEventListener'>, stop?: () => void, shared?: boolean, fallback?: Fallback }} [options]
   */
  constructor(worker, { errors = worker, stop, shared = false, fallback } = {}) {
    this.worker = worker;
    /** Whether other pages share this worker (and its table). */
    this.shared = shared;
    this.stop = stop ?? (() => /** @type {Worker} */ (worker).terminate());
    this.nextId = 1;
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    /** @type {Map<string, number>} channel -> id of its newest call */
    this.latest = new Map();
    /** @type {Fallback | undefined} a worker of this page's own, should the shared one fail to start */
    this.fallback = fallback;
    this.#attach(worker, errors);
  }

  /**
   * @param {Endpoint} worker
   * @param {Pick<EventTarget, 'addEventListener'>} errors
   */
  #attach(worker, errors) {
    let heard = false;
    worker.addEventListener('message', (event) => {
      heard = true;
      this.#receive(/** @type {MessageEvent} */ (event).data);
    });
    errors.addEventListener('error', (event) => {
      if (this.worker !== worker) return; // one replaced by the fallback
      if (!heard && this.fallback) return this.#fallBack();
      this.#failAll(/** @type {ErrorEvent} */ (event).message || 'the compute worker failed to start');
    });
  }

  /**
   * The shared worker never started (a browser that refuses a SharedWorker
   * to a cross-site iframe, as a course page on another site is): this page
   * gets a worker of its own, and the calls made so far go to it. A call
   * whose buffers went to the dead worker fails with a message saying so.
   */
  #fallBack() {
    const { endpoint, stop } = /** @type {Fallback} */ (this.fallback)();
    this.fallback = undefined;
    Object.assign(this, { worker: endpoint, stop, shared: false });
    this.#attach(endpoint, endpoint);
    for (const [id, entry] of this.pending) {
      try {
        endpoint.postMessage(entry.message);
      } catch (error) {
        this.#settle(id, (p) => p.reject(new ComputeError({ code: ErrorCode.WORKER, message: `the shared compute worker failed to start, and this call could not be sent again: ${/** @type {Error} */ (error).message}` })));
      }
    }
  }

  /**
   * Calls the worker. With `channel`, a newer call on the same channel
   * supersedes this one: its result is dropped (the promise rejects with
   * Superseded) and, if it has not started, the worker skips it. With
   * `signal`, aborting stops the call (ComputeError CANCELLED).
   * @template {RequestType} T
   * @param {T} type
   * @param {ArgsOf<T>} args
   * @param {CallOptions<ProgressOf<T>>} [options]
   * @returns {Promise<ResultOf<T>>}
   */
  call(type, args, { channel, onProgress, transfer = [], signal } = {}) {
    const id = this.nextId++;
    if (signal?.aborted) return Promise.reject(new ComputeError({ code: ErrorCode.CANCELLED, message: 'cancelled' }));
    // Aborting asks the worker to drop or stop the call; the promise settles
    // when the worker answers CANCELLED (a load in flight stops between
    // slices, so the old table is never half-replaced).
    signal?.addEventListener('abort', () => this.pending.has(id) && this.worker.postMessage({ id, type: Control.abort }), { once: true });
    if (channel) {
      const previous = this.latest.get(channel);
      if (previous !== undefined && this.pending.has(previous)) {
        this.worker.postMessage({ id: previous, type: Control.cancel });
        this.#settle(previous, (p) => p.reject(new Superseded()));
      }
      this.latest.set(channel, id);
    }
    return new Promise((resolve, reject) => {
      const message = { id, type, args };
      this.pending.set(id, { resolve, reject, onProgress, message });
      this.worker.postMessage(message, transfer);
    });
  }

  /**
   * Pauses, resumes or stops the running t-SNE. Resolves to whether one
   * was running; never rejects (a stop may race the run's own end).
   * @param {import('./protocol.js').TsneAction} action
   * @returns {Promise<{ applied: boolean }>}
   */
  tsneControl(action) {
    return this.call(Request.tsneControl, { action }).catch(() => ({ applied: false }));
  }

  /**
   * @param {number} id
   * @param {(entry: Pending) => void} action
   */
  #settle(id, action) {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    action(entry);
  }

  /** @param {WorkerMessage} message */
  #receive(message) {
    const entry = this.pending.get(message.id);
    if (!entry) return; // superseded or unknown: drop it
    if (message.type === 'progress') {
      entry.onProgress?.(message.progress);
    } else if (message.type === 'result') {
      this.#settle(message.id, (p) => p.resolve(message.value));
    } else if (message.type === 'error') {
      this.#settle(message.id, (p) => p.reject(new ComputeError(message.error)));
    }
  }

  /** @param {string} message */
  #failAll(message) {
    for (const id of [...this.pending.keys()]) {
      this.#settle(id, (p) => p.reject(new ComputeError({ code: ErrorCode.WORKER, message })));
    }
  }

  terminate() {
    this.#failAll('the compute worker was stopped');
    this.stop();
  }
}

/**
 * Starts the worker that runs the wasm core. With `shareAs`, pages of this
 * origin that pass the same key share one SharedWorker, so the embeds of a
 * course page hold one table and download it once; the key names what the
 * worker's state depends on (the table, the space). Where SharedWorker is
 * missing (Chrome on Android), or refused (a cross-site iframe in some
 * browsers: the page then falls back), each page gets its own worker.
 * @param {{ shareAs?: string }} [options]
 */
export function startCompute({ shareAs } = {}) {
  /** @type {Fallback} */
  const ownWorker = () => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'embedding-core' });
    return { endpoint: worker, stop: () => worker.terminate() };
  };
  if (shareAs && typeof SharedWorker === 'function') {
    const worker = new SharedWorker(new URL('./worker.js', import.meta.url), { type: 'module', name: `embedding-core ${shareAs}` });
    const port = worker.port;
    port.start();
    const leave = () => {
      port.postMessage({ type: 'close' });
      port.close();
    };
    // A closed page's calls are dropped, and its running layouts stopped.
    addEventListener('pagehide', (event) => !event.persisted && port.postMessage({ type: 'close' }));
    return new ComputeClient(port, { errors: worker, stop: leave, shared: true, fallback: ownWorker });
  }
  const { endpoint, stop } = ownWorker();
  return new ComputeClient(endpoint, { stop });
}
