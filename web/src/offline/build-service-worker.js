// Writes sw.js into a built site (run by vite.config.js after the page and
// the element script are built): service-worker.js with the list of every
// file the build emitted and a version that is a hash of their names and
// contents, so any change to any file makes a new cache. The list is read
// from the output folder, so whatever the build adds (another table, a
// split-off chunk) is cached too.
//
// Beside every content-hashed script and style sheet it writes a gzip copy
// (app-[hash].js.gz): the worker fetches those instead when it downloads
// them (service-worker.js), since a plain static host sends .js
// uncompressed. The copies are not in the list; their plain files are.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative, sep } from 'node:path';

export const SERVICE_WORKER_FILE = 'sw.js';
const TEMPLATE = new URL('./service-worker.js', import.meta.url);
// Vite names every file under assets/ by a hash of its content.
const HASHED_FOLDER = 'assets/';
// Embedding tables: cached only for a browser that used them (see service-worker.js).
const TABLE_FILE = /\.embs?(-[\w-]+)?(\.gz)?$/;
// What the worker fetches zipped: the build's scripts and style sheets.
const ZIPPABLE = /^assets\/.+\.(js|css)$/;

function filesUnder(dir, root = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

/**
 * @param {string} outDir the built site
 * @returns {{ version: string, assets: { path: string, immutable: boolean, table: boolean, bytes: number, gzip?: string }[] }}
 */
export function writeServiceWorker(outDir) {
  // Run again on a built site (a test does), it finds its own copies: they are not files of the site.
  const all = filesUnder(outDir).filter((path, _, list) => !(path.endsWith('.gz') && ZIPPABLE.test(path.slice(0, -3)) && list.includes(path.slice(0, -3))));
  // The worker fetches the gzipped module; the plain .wasm is emitted only because the Emscripten glue names it.
  const zippedModule = all.some((path) => /\.wasm-[\w-]+\.gz$/.test(path));
  const paths = all
    .filter((path) => path !== SERVICE_WORKER_FILE && !path.endsWith('.map'))
    .filter((path) => !(zippedModule && path.endsWith('.wasm')))
    .sort();
  const buildHash = createHash('sha256');
  const assets = paths.map((path) => {
    const bytes = readFileSync(join(outDir, path));
    buildHash.update(`${path}\0${createHash('sha256').update(bytes).digest('hex')}\n`);
    const gzip = ZIPPABLE.test(path) ? `${path}.gz` : undefined;
    if (gzip && !existsSync(join(outDir, gzip))) writeFileSync(join(outDir, gzip), gzipSync(bytes, { level: 9 }));
    return { path, immutable: path.startsWith(HASHED_FOLDER), table: TABLE_FILE.test(path), bytes: bytes.length, ...(gzip ? { gzip } : {}) };
  });
  const version = buildHash.digest('hex').slice(0, 16);
  const build = { version, assets: assets.map(({ bytes, ...entry }) => entry) };
  const source = `self.OFFLINE_BUILD = ${JSON.stringify(build)};\n${readFileSync(TEMPLATE, 'utf8')}`;
  writeFileSync(join(outDir, SERVICE_WORKER_FILE), source);
  return { version, assets };
}
