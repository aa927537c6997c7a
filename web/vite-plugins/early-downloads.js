// Vite plugin for what a page downloads first.
//
// `import url from './file.wasm?gzip-url'` is the URL of a gzip copy of
// the file, which the build writes beside the other assets. Static hosts
// seldom compress a .wasm file (nor the table, see wasm/js/embq-stream.js),
// so the page ships the core module zipped (0.9 MB becomes 0.35 MB) and the
// worker unzips it as it arrives (web/src/compute/files.js, createCore).
// The reader tells gzip by its magic number, so the dev server's plain file
// works too.
//
// A page can start such downloads before its scripts run, which on a slow
// laptop is a second after the HTML arrived (the first layout comes first):
//   <link rel="prefetch" data-gzip-href="file">  the gzip copy of `file`
//   <link rel="prefetch" data-chunk-href="module.js">  the chunk that holds
//                                                       `module` (a dynamic import)
//   <link rel="prefetch" data-worker-href="worker.js">  the worker built from
//                                                       `worker.js` (new Worker(new URL(...)))
// become links with the built file's href, which the browser keeps in its
// HTTP cache for the worker's fetch or the import. The dev server drops them.
import { readFileSync } from 'node:fs';
import { basename, dirname, posix, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const QUERY = '?gzip-url';
const EARLY_LINK = /<link\b[^>]*\bdata-(gzip|chunk|worker)-href="([^"]+)"[^>]*>/g;

export function earlyDownloads() {
  let building = false;
  /** @type {Map<string, string>} source file -> reference of its emitted gzip copy */
  const copies = new Map();
  /**
   * @param {{ emitFile: (file: object) => string }} context
   * @param {string} file
   */
  const emitCopy = (context, file) => {
    if (!copies.has(file)) {
      const source = gzipSync(readFileSync(file), { level: 9 });
      copies.set(file, context.emitFile({ type: 'asset', name: `${basename(file)}.gz`, source }));
    }
    return /** @type {string} */ (copies.get(file));
  };
  return {
    name: 'early-downloads',
    enforce: /** @type {const} */ ('pre'),
    /** @param {{ command: string }} config */
    configResolved(config) {
      building = config.command === 'build';
    },
    buildStart() {
      copies.clear();
    },
    /**
     * @this {{ resolve: (source: string, importer?: string, options?: object) => Promise<{ id: string } | null> }}
     * @param {string} source
     * @param {string | undefined} importer
     */
    async resolveId(source, importer) {
      if (!source.endsWith(QUERY)) return null;
      const file = await this.resolve(source.slice(0, -QUERY.length), importer, { skipSelf: true });
      if (!file) throw new Error(`${source}: no such file (imported by ${importer})`);
      return `${file.id}${QUERY}`;
    },
    /**
     * @this {{ emitFile: (file: object) => string, addWatchFile: (id: string) => void }}
     * @param {string} id
     */
    load(id) {
      if (!id.endsWith(QUERY)) return null;
      const file = id.slice(0, -QUERY.length);
      // The dev server serves the file itself, unzipped.
      if (!building) return `export { default } from ${JSON.stringify(`${file}?url`)};`;
      this.addWatchFile(file);
      return `export default import.meta.ROLLUP_FILE_URL_${emitCopy(this, file)};`;
    },
    transformIndexHtml: {
      order: /** @type {const} */ ('post'),
      /**
       * @this {{ emitFile: (file: object) => string, getFileName: (reference: string) => string }}
       * @param {string} html
       * @param {{ filename: string, path: string, bundle?: Record<string, { type: string, moduleIds?: string[] }> }} context
       *   the page's file, its path in the site, and (when building) what the build wrote
       */
      handler(html, { filename, path, bundle }) {
        return html.replace(EARLY_LINK, (link, kind, href) => {
          if (!building || !bundle) return '';
          const file = resolve(dirname(filename), href);
          let built;
          if (kind === 'gzip') built = this.getFileName(emitCopy(this, file));
          // A worker is built on its own and lands here as an asset named after its module (worker-[hash].js).
          else if (kind === 'worker') built = Object.keys(bundle).find((name) => bundle[name].type === 'asset' && posix.basename(name).startsWith(`${basename(file, '.js')}-`));
          else built = Object.keys(bundle).find((name) => bundle[name].type === 'chunk' && bundle[name].moduleIds?.includes(file));
          if (!built) throw new Error(`${filename}: data-${kind}-href="${href}": this build wrote no file from ${file}`);
          // Relative, as the page's other URLs are (base './').
          const url = posix.relative(posix.dirname(path), `/${built}`);
          return link.replace(/\bdata-(gzip|chunk|worker)-href="[^"]+"/, `href="./${url}"`);
        });
      },
    },
  };
}
