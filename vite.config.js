// Builds the static site from web/ into dist/web with relative URLs, so it
// works from any static host and any sub-path, then the custom element as
// a classic script beside it (see classicElementScript below), then the
// service worker that keeps it working offline (sw.js, listing them all).
import { isAbsolute, resolve } from 'node:path';
import { build, defineConfig } from 'vite';
import { writeServiceWorker } from './web/src/offline/build-service-worker.js';
import { earlyDownloads } from './web/vite-plugins/early-downloads.js';

const repo = import.meta.dirname;
const web = resolve(repo, 'web');
const ELEMENT_ENTRY = resolve(web, 'src/element/embedding-explorer.js');
const ELEMENT_FILE = 'embedding-explorer.js';

/**
 * Course pages load the element with one <script src=".../embedding-explorer.js">
 * from another origin. A module script would be fetched in CORS mode and be
 * blocked unless the explorer's host sent Access-Control-Allow-Origin; a
 * classic script is not, so the element is built a second time, on its own,
 * as one IIFE with everything it imports inlined, into the same outDir
 * (which follows --outDir). It runs after the page's build so the page's
 * emptyOutDir cannot remove it, and `vite build` stays the one command.
 *
 * sw.js is written last, in the same hook (Rollup runs the closeBundle
 * hooks of different plugins in parallel): it lists every file in outDir,
 * the element script among them.
 */
function classicElementScript() {
  let outDir;
  let logLevel;
  return {
    name: 'classic-element-script',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      logLevel = config.logLevel;
    },
    async closeBundle() {
      await build({
        configFile: false,
        logLevel,
        publicDir: false,
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          lib: { entry: ELEMENT_ENTRY, formats: ['iife'], name: 'EmbeddingExplorerElement', fileName: () => ELEMENT_FILE },
        },
      });
      const { version, assets } = writeServiceWorker(outDir);
      if (logLevel !== 'silent' && logLevel !== 'error' && logLevel !== 'warn') {
        const mb = (list) => (list.reduce((sum, a) => sum + a.bytes, 0) / 1e6).toFixed(2);
        const tables = assets.filter((a) => a.table);
        console.log(`sw.js (version ${version}): ${assets.length - tables.length} files, ${mb(assets.filter((a) => !a.table))} MB, cached at install; ${tables.length} table(s), ${mb(tables)} MB, once a page has loaded them`);
      }
    },
  };
}

/**
 * Vite resolves a relative outDir against root (web/), so `--outDir dist/x`
 * would land in web/dist/x while the tests serve dist/x (EXPLORER_DIST).
 * Relative outDirs, from the command line too, are taken from the repository root.
 */
function outDirFromRepoRoot() {
  return {
    name: 'out-dir-from-repo-root',
    config(config) {
      const outDir = config.build?.outDir;
      if (outDir && !isAbsolute(outDir)) return { build: { outDir: resolve(repo, outDir) } };
    },
  };
}

export default defineConfig({
  root: web,
  base: './',
  // The page itself is the only public surface; nothing is copied verbatim.
  publicDir: false,
  plugins: [outDirFromRepoRoot(), earlyDownloads(), classicElementScript()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    // The module and the table are fetched at run time; keep them as files.
    assetsInlineLimit: 0,
    // three.js is most of the app chunk (~630 kB, ~160 kB gzipped); the panels and lessons add ~180 kB. The chunk
    // comes after the first answer (boot.js), so its size delays the 3D view, never the answer.
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      input: {
        index: resolve(web, 'index.html'),
        embed: resolve(web, 'embed.html'),
      },
    },
  },
  worker: { format: 'es' },
  // `npm start` serves the built page with the strict policy course sites
  // use, so what works locally works embedded.
  preview: {
    headers: { 'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" },
  },
  server: { fs: { allow: [repo] } },
});
