// data=: the table a page or an embed starts with, when an author points
// it at a lighter one for a lesson (npm run data -- --words 10000). The
// table must come from the explorer's own site: the page's CSP
// (connect-src 'self') and CORS would block another origin's file anyway,
// and a clear message beats a network error. Any format the load panel
// reads without a companion file works; a table that fails to load leaves
// a note, and the page goes on with the default table.
import { Request } from '../compute/protocol.js';
import { t } from '../i18n/strings.js';

// These need a vocabulary file beside them, which a URL parameter cannot bring.
const NEEDS_VOCABULARY = /\.(npy|safetensors)$/i;
// The wire layout npm run data writes beside each .emb: it streams in as
// the default table does (the worker's load), answering from its first rows.
const STREAM_TABLE = /\.embs(\.gz)?$/i;

/**
 * Where data= points, or why it cannot be used.
 * @param {string | undefined} data the parameter, relative to the page
 * @param {string} [base] the page's URL
 * @returns {null | { url: string, name: string } | { error: string }}
 */
export function tableSource(data, base = location.href) {
  if (!data) return null;
  let url;
  try {
    url = new URL(data, base);
  } catch {
    return { error: t.dataNotUrl(data) };
  }
  const own = new URL(base).origin;
  if (url.origin !== own) return { error: t.dataOtherOrigin(data, own, url.origin) };
  const name = decodeURIComponent(url.pathname.split('/').pop() ?? '') || data;
  if (NEEDS_VOCABULARY.test(name)) {
    return { error: t.dataNeedsVocabulary(data) };
  }
  return { url: url.href, name };
}

/**
 * Loads the data= table, if the page has one. Resolves to { info, name, url },
 * or to null when there is none or it failed (onNote is then told why, and
 * the caller loads the default table).
 * @param {import('../compute/client.js').ComputeClient} client
 * @param {string | undefined} data
 * @param {{ wasmUrl: string, onProgress: (progress: { loaded: number, total: number }) => void, onNote: (text: string) => void }} options
 */
export async function loadDataTable(client, data, { wasmUrl, onProgress, onNote }) {
  const source = tableSource(data);
  if (!source) return null;
  if ('error' in source) {
    onNote(t.showingDefaultTable(source.error));
    return null;
  }
  try {
    const request = STREAM_TABLE.test(source.name) ? Request.load : Request.loadUrl;
    const info = await client.call(request, { tableUrl: source.url, wasmUrl }, { onProgress });
    return { info, name: source.name, url: source.url };
  } catch (error) {
    onNote(t.dataFailed(data, error.message));
    return null;
  }
}
