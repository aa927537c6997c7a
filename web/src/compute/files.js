// Reading what the page hands the worker: the default table over fetch,
// with byte progress, and the learner's own files in slices.
import { ErrorCode, ExplorerError } from '../../../wasm/js/errors.js';

// Files are read in slices this big: few enough calls into wasm that the
// per-call cost vanishes, small enough that the text, floats and codes of
// one slice are all that is held beside the table being built.
const READ_SLICE_BYTES = 4 * 1024 * 1024;
const SAFETENSORS_HEADER_LIMIT = 100 * 1024 * 1024;

/**
 * The file in slices, as the core's streaming loader wants it. The next
 * slice is read while the core parses this one (the browser reads files on
 * another thread), so at most two slices are held.
 * @param {File} file
 * @param {AbortSignal} signal
 */
export async function* fileSlices(file, signal) {
  const read = (/** @type {number} */ at) => {
    const pending = file.slice(at, at + READ_SLICE_BYTES).arrayBuffer();
    pending.catch(() => {}); // a prefetch nobody awaits (cancelled) must not reject unhandled
    return pending;
  };
  let next = file.size > 0 ? read(0) : null;
  for (let at = 0; at < file.size; at += READ_SLICE_BYTES) {
    const current = /** @type {ArrayBuffer} */ (await next);
    if (signal.aborted) throw signal.reason;
    next = at + READ_SLICE_BYTES < file.size ? read(at + READ_SLICE_BYTES) : null;
    yield new Uint8Array(current);
  }
}

/** @param {File | undefined} file */
export async function readCompanion(file) {
  return file ? { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
}

/**
 * @param {string | URL} url
 * @param {(progress: import('./protocol.js').ByteProgress) => void} onProgress
 */
export async function fetchWithProgress(url, onProgress) {
  const response = await fetch(url);
  if (!response.ok) throw new ExplorerError(`cannot load ${url}: HTTP ${response.status}`, { code: ErrorCode.BAD_DATA });
  const total = Number(response.headers.get('content-length')) || 0;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress({ loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * The bytes listTensors needs from a safetensors file: an 8-byte
 * little-endian length and that much JSON, read alone (a GPT-2 checkpoint
 * is hundreds of MB after them).
 * @param {File} file
 */
export async function safetensorsHead(file) {
  const prefix = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  let length = 0;
  if (prefix.length === 8) length = Number(new DataView(prefix.buffer).getBigUint64(0, true));
  return length > 0 && length <= SAFETENSORS_HEADER_LIMIT ? new Uint8Array(await file.slice(0, 8 + length).arrayBuffer()) : prefix;
}
