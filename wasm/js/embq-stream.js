// EMBS: the EMBQ table laid out for the wire. An EMBQ file puts every
// row's norm first and the vocabulary last, so nothing in it is usable
// before the whole file has arrived. EMBS carries the same rows in blocks,
// most frequent words first, each block with its own norms, codes and
// words, so a page can answer from the rows that have arrived. It also
// compresses better: codes are stored one dimension at a time (each
// dimension has its own spread, which a deflate block's Huffman table
// learns), norms as byte planes (the exponent bytes of similar floats
// repeat), and the scales are not stored at all, since they follow from
// the codes. Decoding gives back the EMBQ file byte for byte (its CRC is in
// the EMBS header), so a table streamed in answers exactly as the file did.
//
// EMBS version 1, little-endian:
//   0  char[4]  magic "EMBS"
//   4  u16      version (1)            6  u16  header bytes (64)
//   8  u32      rows                   12 u32  dims
//   16 u32      blocks                 20 u32  CRC-32 of the EMBQ file it rebuilds
//   24 u32      EMBQ vocabulary bytes  28 u32  reserved (0)
//   32 char[32] table name, NUL padded (as in EMBQ)
// then `blocks` blocks, each:
//   u32 n (rows in the block, > 0)     u32 w (bytes of its words)
//   u8[4][n]      norms as byte planes: byte k of every norm, for k = 0..3
//   i8[dims][n]   codes, dimension-major: dimension 0 of all n rows, then 1, ...
//   u8[w]         the n words, UTF-8, joined by '\n'
// A row's scale is fround(1 / sqrt(sum of its squared codes)), 0 for a zero
// row: exactly what the quantizer stores (table.cpp, quantizeRowInto).
import { ErrorCode, ExplorerError } from './errors.js';

export const EMBS_MAGIC = 'EMBS';
const EMBQ_MAGIC = 'EMBQ';
const HEADER_BYTES = 64;
const BLOCK_HEADER_BYTES = 8;
// The core's TableLimits (wasm/core/table/include/explorer/table.h): checked
// before anything is allocated, so a hostile header cannot claim 4 GB.
const MAX_DIMS = 4096;
const MAX_ROWS = 4_000_000;
const MAX_CODE_BYTES = 2 ** 30;

/**
 * The block sizes the data build writes: a small first block, so the most
 * frequent words (those of nearly every first query) answer early, then
 * blocks that grow, so the page rebuilds its table only a few times.
 */
export const DEFAULT_BLOCK_ROWS = Object.freeze([3000, 7000, 10000, 15000]);

/** @param {string} message */
const badData = (message) => new ExplorerError(message, { code: ErrorCode.BAD_DATA });

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (the one EMBQ uses), continuing from `crc`. */
/**
 * @param {Uint8Array} bytes
 * @param {number} [crc]
 */
export function crc32(bytes, crc = 0) {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * The sections of an EMBQ v1 file.
 * @param {Uint8Array} embq
 */
function readEmbq(embq) {
  const view = new DataView(embq.buffer, embq.byteOffset, embq.byteLength);
  if (embq.length < HEADER_BYTES || String.fromCharCode(...embq.subarray(0, 4)) !== EMBQ_MAGIC) throw badData('not an EMBQ file (wrong magic number)');
  const rows = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  const vocabularyBytes = view.getUint32(16, true);
  const codesAt = HEADER_BYTES + rows * 8;
  if (codesAt + rows * dims + vocabularyBytes !== embq.length) throw badData('EMBQ file size does not match its header');
  return {
    rows,
    dims,
    vocabularyBytes,
    crc: view.getUint32(24, true),
    name: embq.subarray(32, 64),
    norms: embq.subarray(HEADER_BYTES, HEADER_BYTES + rows * 4),
    codes: embq.subarray(codesAt, codesAt + rows * dims),
    vocabulary: embq.subarray(codesAt + rows * dims),
  };
}

/**
 * Lays an EMBQ file out as EMBS (uncompressed; the data build gzips it).
 * @param {Uint8Array} embq
 * @param {{ blockRows?: readonly number[] }} [options] block sizes; the last repeats
 * @returns {Uint8Array}
 */
export function encodeStreamTable(embq, { blockRows = DEFAULT_BLOCK_ROWS } = {}) {
  const table = readEmbq(embq);
  const { rows, dims } = table;
  const sizes = [];
  for (let at = 0, i = 0; at < rows; i++) {
    const n = Math.min(blockRows[Math.min(i, blockRows.length - 1)], rows - at);
    if (!(n > 0)) throw new ExplorerError('block sizes must be positive', { code: ErrorCode.BAD_ARGUMENT });
    sizes.push(n);
    at += n;
  }
  // Word boundaries: the vocabulary is the words joined by '\n'.
  const wordEnds = [];
  for (let i = 0; i < table.vocabulary.length; i++) if (table.vocabulary[i] === 10) wordEnds.push(i);
  wordEnds.push(table.vocabulary.length);
  if (wordEnds.length !== rows) throw badData(`EMBQ file has ${wordEnds.length} words for ${rows} rows`);

  const out = new Uint8Array(HEADER_BYTES + sizes.length * BLOCK_HEADER_BYTES + rows * (4 + dims) + table.vocabulary.length - (sizes.length - 1));
  const view = new DataView(out.buffer);
  out.set([...EMBS_MAGIC].map((c) => c.charCodeAt(0)), 0);
  view.setUint16(4, 1, true);
  view.setUint16(6, HEADER_BYTES, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, dims, true);
  view.setUint32(16, sizes.length, true);
  view.setUint32(20, table.crc, true);
  view.setUint32(24, table.vocabularyBytes, true);
  out.set(table.name, 32);
  let at = HEADER_BYTES;
  let first = 0;
  for (const n of sizes) {
    const wordsFrom = first === 0 ? 0 : wordEnds[first - 1] + 1;
    const words = table.vocabulary.subarray(wordsFrom, wordEnds[first + n - 1]);
    view.setUint32(at, n, true);
    view.setUint32(at + 4, words.length, true);
    at += BLOCK_HEADER_BYTES;
    for (let k = 0; k < 4; k++) for (let r = 0; r < n; r++) out[at++] = table.norms[(first + r) * 4 + k];
    for (let d = 0; d < dims; d++) for (let r = 0; r < n; r++) out[at++] = table.codes[(first + r) * dims + d];
    out.set(words, at);
    at += words.length;
    first += n;
  }
  if (at !== out.length) throw new Error(`EMBS encoder wrote ${at} of ${out.length} bytes`);
  return out;
}

/**
 * Rebuilds the table from EMBS bytes as they arrive, in any chunk sizes.
 * push() returns how many rows are complete so far; embq() gives an EMBQ
 * file of those rows, which the core loads like any other (all-or-nothing).
 * Once every block is in, embq() is the original file, byte for byte.
 */
export class StreamTableDecoder {
  /** @param {{ fileName?: string }} [options] names the file in errors */
  constructor({ fileName = 'table' } = {}) {
    this.fileName = fileName;
    /** rows decoded so far */
    this.rows = 0;
    /** rows the header announces (0 until it has arrived) */
    this.totalRows = 0;
    this.dims = 0;
    this.blocksRead = 0;
    /** @type {Uint8Array[]} bytes received and not yet decoded */
    this.pendingChunks = [];
    this.pendingBytes = 0;
    /** bytes the next step (the header, a block's header, a block) needs */
    this.needed = HEADER_BYTES;
    this.received = 0;
    /** @type {{ rows: number, dims: number, blocks: number, crc: number, vocabularyBytes: number, name: Uint8Array } | null} */
    this.header = null;
    // Sized from the header once it arrives.
    this.norms = new Uint8Array(0);
    this.scales = new Uint8Array(0);
    this.scaleView = new DataView(this.scales.buffer);
    this.codes = new Uint8Array(0);
    this.vocabulary = new Uint8Array(0);
    this.vocabularyAt = 0;
  }

  /** The header; only called once it has arrived. */
  get #head() {
    if (!this.header) throw new Error('EMBS header used before it arrived');
    return this.header;
  }

  /** The size of the whole (uncompressed) stream, once the header has arrived; 0 before. */
  get expectedBytes() {
    const h = this.header;
    return h ? HEADER_BYTES + h.blocks * BLOCK_HEADER_BYTES + h.rows * (4 + h.dims) + h.vocabularyBytes - (h.blocks - 1) : 0;
  }

  get complete() {
    return this.header !== null && this.blocksRead === this.header.blocks;
  }

  /**
   * @param {Uint8Array} chunk
   * @returns {number} rows decoded so far
   */
  push(chunk) {
    if (this.complete && chunk.length) this.#fail(this.received, 'data after the last block');
    this.received += chunk.length;
    if (chunk.length) this.pendingChunks.push(chunk);
    this.pendingBytes += chunk.length;
    // Chunks are joined only once a whole header or block is there, so a
    // block arriving in many small chunks is copied once, not once a chunk.
    while (!this.complete && this.pendingBytes >= this.needed) {
      const bytes = this.#joinPending();
      const at = this.received - bytes.length;
      if (!this.header) {
        this.#readHeader(bytes.subarray(0, HEADER_BYTES));
        this.#keep(bytes.subarray(HEADER_BYTES));
        this.needed = BLOCK_HEADER_BYTES;
        continue;
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const n = view.getUint32(0, true);
      const wordBytes = view.getUint32(4, true);
      if (n === 0 || n > this.totalRows - this.rows) this.#fail(at, `block ${this.blocksRead + 1} claims ${n} rows; ${this.totalRows - this.rows} remain`);
      if (this.vocabularyAt + wordBytes + (this.rows ? 1 : 0) > this.#head.vocabularyBytes) this.#fail(at + 4, `block ${this.blocksRead + 1} has more word bytes than the header states`);
      const size = BLOCK_HEADER_BYTES + n * (4 + this.dims) + wordBytes;
      if (bytes.length < size) {
        this.needed = size;
        continue;
      }
      this.#readBlock(bytes.subarray(BLOCK_HEADER_BYTES, size), n, wordBytes, at);
      // Copied out, so the chunks the tail came from can go.
      this.#keep(bytes.slice(size));
      this.needed = BLOCK_HEADER_BYTES;
    }
    if (this.complete && this.pendingBytes) this.#fail(this.received - this.pendingBytes, 'data after the last block');
    return this.rows;
  }

  #joinPending() {
    if (this.pendingChunks.length !== 1) {
      const joined = new Uint8Array(this.pendingBytes);
      let at = 0;
      for (const c of this.pendingChunks) {
        joined.set(c, at);
        at += c.length;
      }
      this.pendingChunks = [joined];
    }
    return this.pendingChunks[0];
  }

  /** @param {Uint8Array} rest */
  #keep(rest) {
    this.pendingChunks = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
  }

  /** Checks that the stream ended where the header said it would. */
  finish() {
    if (!this.header) this.#fail(this.received, `the stream ended after ${this.received} bytes, inside the 64-byte header`);
    if (!this.complete) this.#fail(this.received, `the stream ended after ${this.rows.toLocaleString('en')} of ${this.totalRows.toLocaleString('en')} rows`);
  }

  /**
   * An EMBQ file of the rows decoded so far.
   * @returns {Uint8Array}
   */
  embq() {
    const n = this.rows;
    const dims = this.dims;
    const vocabularyBytes = this.vocabularyAt;
    const out = new Uint8Array(HEADER_BYTES + n * 8 + n * dims + vocabularyBytes);
    const view = new DataView(out.buffer);
    out.set([...EMBQ_MAGIC].map((c) => c.charCodeAt(0)), 0);
    view.setUint16(4, 1, true);
    view.setUint16(6, HEADER_BYTES, true);
    view.setUint32(8, n, true);
    view.setUint32(12, dims, true);
    view.setUint32(16, vocabularyBytes, true);
    out.set(this.#head.name, 32);
    out.set(this.norms.subarray(0, n * 4), HEADER_BYTES);
    out.set(this.scales.subarray(0, n * 4), HEADER_BYTES + n * 4);
    out.set(this.codes.subarray(0, n * dims), HEADER_BYTES + n * 8);
    out.set(this.vocabulary.subarray(0, vocabularyBytes), HEADER_BYTES + n * 8 + n * dims);
    // The whole table's CRC comes with the header (the core checks it, and
    // with it every byte decoded); a prefix gets its own.
    const crc = this.complete ? this.#head.crc : crc32(out.subarray(HEADER_BYTES));
    view.setUint32(24, crc, true);
    return out;
  }

  /** @param {Uint8Array} bytes */
  #readHeader(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    if (String.fromCharCode(...bytes.subarray(0, 4)) !== EMBS_MAGIC) this.#fail(0, 'not an EMBS file (wrong magic number)');
    const version = view.getUint16(4, true);
    if (version !== 1) this.#fail(4, `EMBS version ${version} is not supported (expected 1)`);
    if (view.getUint16(6, true) !== HEADER_BYTES) this.#fail(6, `header bytes ${view.getUint16(6, true)}, expected ${HEADER_BYTES}`);
    const rows = view.getUint32(8, true);
    const dims = view.getUint32(12, true);
    const blocks = view.getUint32(16, true);
    const vocabularyBytes = view.getUint32(24, true);
    if (rows === 0 || dims === 0) this.#fail(8, `a table of ${rows} x ${dims} has nothing in it`);
    if (dims > MAX_DIMS || rows > MAX_ROWS || rows * dims > MAX_CODE_BYTES) this.#fail(8, `a table of ${rows} x ${dims} is beyond the size limit`);
    if (blocks === 0 || blocks > rows) this.#fail(16, `${blocks} blocks for ${rows} rows`);
    // Words are at least one byte, joined by one byte each.
    if (vocabularyBytes < 2 * rows - 1 || vocabularyBytes > rows * 1024) this.#fail(24, `${vocabularyBytes} vocabulary bytes for ${rows} words`);
    this.header = { rows, dims, blocks, crc: view.getUint32(20, true), vocabularyBytes, name: bytes.slice(32, 64) };
    this.totalRows = rows;
    this.dims = dims;
    this.norms = new Uint8Array(rows * 4);
    this.scales = new Uint8Array(rows * 4);
    this.scaleView = new DataView(this.scales.buffer);
    this.codes = new Uint8Array(rows * dims);
    this.vocabulary = new Uint8Array(vocabularyBytes);
    this.vocabularyAt = 0;
  }

  /**
   * @param {Uint8Array} block the block after its 8-byte header
   * @param {number} n
   * @param {number} wordBytes
   * @param {number} blockAt the block's offset in the stream, for errors
   */
  #readBlock(block, n, wordBytes, blockAt) {
    const dims = this.dims;
    const first = this.rows;
    let at = 0;
    for (let k = 0; k < 4; k++) for (let r = 0; r < n; r++) this.norms[(first + r) * 4 + k] = block[at++];
    const codes = this.codes;
    for (let d = 0; d < dims; d++) for (let r = 0, to = first * dims + d; r < n; r++, to += dims) codes[to] = block[at++];
    const words = block.subarray(at, at + wordBytes);
    let separators = 0;
    for (let i = 0; i < words.length; i++) if (words[i] === 10) separators++;
    if (separators !== n - 1) this.#fail(blockAt, `block ${this.blocksRead + 1} has ${separators + 1} words for ${n} rows`);
    if (first > 0) this.vocabulary[this.vocabularyAt++] = 10;
    this.vocabulary.set(words, this.vocabularyAt);
    this.vocabularyAt += words.length;
    for (let r = first; r < first + n; r++) {
      let squares = 0;
      for (let d = 0, i = r * dims; d < dims; d++, i++) {
        const c = (codes[i] << 24) >> 24;
        squares += c * c;
      }
      this.scaleView.setFloat32(r * 4, squares ? Math.fround(1 / Math.sqrt(squares)) : 0, true);
    }
    this.rows += n;
    this.blocksRead++;
    if (this.complete && this.vocabularyAt !== this.#head.vocabularyBytes) {
      this.#fail(blockAt, `the words add up to ${this.vocabularyAt} bytes; the header states ${this.#head.vocabularyBytes}`);
    }
  }

  /**
   * @param {number} at byte offset in the (decompressed) stream
   * @param {string} message
   * @returns {never}
   */
  #fail(at, message) {
    throw badData(`${this.fileName}: byte ${at}: ${message}`);
  }
}

/** Is this the start of an EMBS stream? */
export const isStreamTable = (/** @type {Uint8Array} */ head) => head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === EMBS_MAGIC;
/** Is this the start of a gzip stream (RFC 1952)? */
export const isGzip = (/** @type {Uint8Array} */ head) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
