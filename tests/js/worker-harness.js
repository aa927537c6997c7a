// The compute worker run in Node, as the worker tests use it: the worker
// module gets a stand-in for its global scope and a fetch that serves the
// default table, and the tests play the page's side of the protocol.
import { readFileSync } from 'node:fs';
import { defaultTable } from './paths.js';

/**
 * Imports web/src/compute/worker.js against a stand-in `self`. Returns
 * send(type, args, {onProgress}) -> [id, promise] (as the page's client
 * sends a call), call(...) -> promise, control(id, type) for cancel and
 * abort, and restore() to put back the globals it replaced.
 */
export async function startWorkerInNode() {
  const pending = new Map(); // id -> { resolve, reject, onProgress }
  let nextId = 1;
  const receive = (message) => {
    const entry = pending.get(message.id);
    if (!entry) return;
    if (message.type === 'progress') return entry.onProgress?.(message.progress);
    pending.delete(message.id);
    if (message.type === 'result') entry.resolve(message.value);
    else entry.reject(Object.assign(new Error(message.error.message), message.error));
  };
  const worker = { postMessage: (message) => queueMicrotask(() => receive(message)), onmessage: null };
  const savedFetch = globalThis.fetch;
  globalThis.self = worker;
  globalThis.fetch = async () => new Response(readFileSync(defaultTable));
  await import('../../web/src/compute/worker.js');

  const send = (type, args = {}, { onProgress } = {}) => {
    const id = nextId++;
    const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject, onProgress }));
    worker.onmessage({ data: { id, type, args } });
    return [id, promise];
  };
  return {
    send,
    call: (type, args, options) => send(type, args, options)[1],
    control: (id, type) => worker.onmessage({ data: { id, type } }),
    restore() {
      globalThis.fetch = savedFetch;
      delete globalThis.self;
    },
  };
}
