// Builds the static site from web/ into dist/web with relative URLs, so it
// works from any static host and any sub-path.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const web = resolve(import.meta.dirname, 'web');

export default defineConfig({
  root: web,
  base: './',
  // The page itself is the only public surface; nothing is copied verbatim.
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    // The module and the table are fetched at run time; keep them as files.
    assetsInlineLimit: 0,
    // three.js is most of the app chunk (~630 kB, ~160 kB gzipped).
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: {
        index: resolve(web, 'index.html'),
        embed: resolve(web, 'embed.html'),
        // The custom element gets a stable name: course pages load it with
        // one <script type="module" src=".../embedding-explorer.js">.
        element: resolve(web, 'src/element/embedding-explorer.js'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'element' ? 'embedding-explorer.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  worker: { format: 'es' },
  // `npm start` serves the built page with the strict policy course sites
  // use, so what works locally works embedded.
  preview: {
    headers: { 'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" },
  },
  server: { fs: { allow: [import.meta.dirname] } },
});
