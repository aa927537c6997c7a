// Writes sw.js into a built site (run by vite.config.js after the page and
// the element script are built): service-worker.js with the list of every
// file the build emitted and a version that is a hash of their names and
// contents, so any change to any file makes a new cache. The list is read
// from the output folder, so whatever the build adds (another table, a
// split-off chunk) is cached too.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const SERVICE_WORKER_FILE = 'sw.js';
const TEMPLATE = new URL('./service-worker.js', import.meta.url);
// Vite names every file under assets/ by a hash of its content.
const HASHED_FOLDER = 'assets/';
// Embedding tables: cached only for a browser that used them (see service-worker.js).
const TABLE_FILE = /\.embs?(-[\w-]+)?(\.gz)?$/;

function filesUnder(dir, root = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

/**
 * @param {string} outDir the built site
 * @returns {{ version: string, assets: { path: string, immutable: boolean, table: boolean, bytes: number }[] }}
 */
export function writeServiceWorker(outDir) {
  const all = filesUnder(outDir);
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
    return { path, immutable: path.startsWith(HASHED_FOLDER), table: TABLE_FILE.test(path), bytes: bytes.length };
  });
  const version = buildHash.digest('hex').slice(0, 16);
  const build = { version, assets: assets.map(({ path, immutable, table }) => ({ path, immutable, table })) };
  const source = `self.OFFLINE_BUILD = ${JSON.stringify(build)};\n${readFileSync(TEMPLATE, 'utf8')}`;
  writeFileSync(join(outDir, SERVICE_WORKER_FILE), source);
  return { version, assets };
}
