// The worker's loadUrl request: a table an author points a page or an
// embed at with data= (a lighter table for a lesson), fetched from the
// site and read by the core's streaming loader, so every format the load
// panel reads without a companion file works, not only .emb.
import { EmbeddingExplorer, MAX_INPUT_BYTES } from '../../../wasm/js/explorer.js';
import { ErrorCode } from '../../../wasm/js/errors.js';
import { createCore } from './files.js';
import { failure } from './jobs.js';
import { Mode } from './protocol.js';

/** @typedef {{ columns: string[], values: string[][] } | null} TableMetadata */

/** The file name in a URL, for messages and format detection. */
const fileNameOf = (/** @type {string} */ url) => decodeURIComponent(new URL(url).pathname.split('/').pop() || 'table');

/**
 * @param {{ current: () => EmbeddingExplorer | null, adopt: (core: EmbeddingExplorer, metadata: TableMetadata) => void }} table
 *   current(): the worker's explorer, if any; adopt(): makes `core`, with its new table, the worker's
 * @returns {import('./jobs.js').Handler<'loadUrl'>}
 */
export function urlTableHandler({ current, adopt }) {
  return {
    // Queued: nothing can be answered before the first table is in.
    mode: Mode.queued,
    async run({ tableUrl, wasmUrl, format }, { signal, progress }) {
      const fileName = fileNameOf(tableUrl);
      const previous = current();
      // The module and the table download side by side.
      const fetching = fetch(tableUrl, { signal });
      fetching.catch(() => {}); // awaited below; a failed start must not leave it unhandled
      const core = previous ?? (await createCore(wasmUrl, signal));
      try {
        const response = await fetching.catch((/** @type {Error} */ error) => {
          throw failure(ErrorCode.BAD_DATA, `cannot fetch ${fileName}: ${error.message}`);
        });
        if (!response.ok) {
          throw failure(ErrorCode.BAD_DATA, `cannot load ${fileName}: HTTP ${response.status}${response.status === 404 ? ' (no such file on this site)' : ''}`);
        }
        const total = Number(response.headers.get('content-length')) || 0;
        if (total > MAX_INPUT_BYTES) {
          throw failure(ErrorCode.TOO_LARGE, `${fileName}: ${total.toLocaleString('en')} bytes is more than the ${MAX_INPUT_BYTES.toLocaleString('en')}-byte limit`);
        }
        const body = response.body ?? new Blob([await response.arrayBuffer()]).stream();
        const out = await core.loadTableStream(
          body,
          { fileName, format: format || undefined, totalBytes: total || undefined },
          { signal, onProgress: ({ loaded }) => progress({ loaded, total }) },
        );
        adopt(core, out.metadata);
        return out.info;
      } catch (error) {
        // A core made for this table alone goes with it; an older one keeps its table.
        if (core !== previous) core.dispose();
        throw error;
      }
    },
  };
}
