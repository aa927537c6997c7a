// Promise client for the compute worker: request ids, typed errors,
// progress callbacks, and channels that drop superseded results.
import { Request } from './protocol.js';

/** An error that came back from the worker, with the core's code. */
export class ComputeError extends Error {
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

export class ComputeClient {
  constructor(worker) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map(); // id -> { resolve, reject, onProgress, channel }
    this.latest = new Map(); // channel -> id of its newest call
    worker.addEventListener('message', ({ data }) => this.#receive(data));
    worker.addEventListener('error', (event) => this.#failAll(event.message || 'the compute worker failed to start'));
  }

  /**
   * Calls the worker. With `channel`, a newer call on the same channel
   * supersedes this one: its result is dropped (the promise rejects with
   * Superseded) and, if it has not started, the worker skips it. With
   * `signal`, aborting stops the call (ComputeError CANCELLED).
   */
  call(type, args = {}, { channel, onProgress, transfer = [], signal } = {}) {
    const id = this.nextId++;
    if (signal?.aborted) return Promise.reject(new ComputeError({ code: 'CANCELLED', message: 'cancelled' }));
    // Aborting asks the worker to drop or stop the call; the promise settles
    // when the worker answers CANCELLED (a load in flight stops between
    // slices, so the old table is never half-replaced).
    signal?.addEventListener('abort', () => this.pending.has(id) && this.worker.postMessage({ id, type: 'abort' }), { once: true });
    if (channel) {
      const previous = this.latest.get(channel);
      if (previous !== undefined && this.pending.has(previous)) {
        this.worker.postMessage({ id: previous, type: 'cancel' });
        this.#settle(previous, (p) => p.reject(new Superseded()));
      }
      this.latest.set(channel, id);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress, channel });
      this.worker.postMessage({ id, type, args }, transfer);
    });
  }

  /** Pause, resume or stop the running t-SNE. */
  tsneControl(action) {
    this.worker.postMessage({ id: 0, type: Request.tsneControl, args: { action } });
  }

  #settle(id, action) {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    action(entry);
  }

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

  #failAll(message) {
    for (const id of [...this.pending.keys()]) {
      this.#settle(id, (p) => p.reject(new ComputeError({ code: 'WORKER', message })));
    }
  }

  terminate() {
    this.#failAll('the compute worker was stopped');
    this.worker.terminate();
  }
}

/** Starts the worker that runs the wasm core. */
export function startCompute() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'embedding-core' });
  return new ComputeClient(worker);
}
