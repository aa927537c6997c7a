// The service worker that keeps the explorer working offline after one
// visit. The build (build-service-worker.js) writes it to sw.js beside
// index.html, with the build's file list and version prepended as
// self.OFFLINE_BUILD, so it is scoped to the site's own folder and runs
// under the site's strict CSP (no inline script, no eval, same-origin
// fetches only).
//
// Every build gets its own cache, named after a hash of its files. A new
// build installs into a new cache, all or nothing, while the old version
// keeps serving the pages that have it open; once none does, the new one
// activates and deletes every older cache. A page therefore never gets a
// module of one build beside a table of another.
//
// The first install (no older cache) downloads nothing: the first visit's
// own downloads must not share the link with a second copy of them. It
// activates at once and takes the open pages over (clients.claim), and
// the page asks it to fill the cache ('fill') once its table is complete.
// Until then a build file it has not cached comes from the network; a
// script or style sheet comes as the build's gzip copy (.gz beside it),
// unzipped here, since plain static hosts send .js uncompressed.
//
// Tables are the exception to "every file": a page started with data= on
// a lesson table must not download the 5 MB default table in the
// background. So the cache holds the build's tables only where an older
// cache held the same table (the same name before the hash), and the
// tables a page asks to keep ('fill' with their URLs).
/* global self, caches, fetch, URL, Response */
const { version, assets } = /** @type {{ version: string, assets: { path: string, immutable: boolean, table: boolean, gzip?: string }[] }} */ (self.OFFLINE_BUILD);
const CACHE_PREFIX = 'embedding-explorer:';
const CACHE = `${CACHE_PREFIX}${version}`;
const scope = new URL(self.registration.scope);
const urlOf = (path) => new URL(path, scope).href;
const precached = new Set(assets.map((a) => urlOf(a.path)));
/** A build file's URL -> the URL of its gzip copy, for scripts and style sheets. */
const zipped = new Map(assets.filter((a) => a.gzip).map((a) => [urlOf(a.path), urlOf(a.gzip)]));
const CONTENT_TYPES = { js: 'text/javascript', css: 'text/css' };

/**
 * A build file from the network: its gzip copy where the build wrote one,
 * unzipped (a host may send a .gz file with Content-Encoding, and the
 * browser has then unzipped it: the magic number tells), with the plain
 * file's type; the plain file where the copy is missing or broken (a host
 * that was given only some of the files). `init`: the fetch's options.
 */
async function download(url, init = {}) {
  const gzip = zipped.get(url);
  if (gzip) {
    try {
      const response = await fetch(gzip, init);
      if (response.ok) {
        const bytes = new Uint8Array(await response.arrayBuffer());
        const body = bytes[0] === 0x1f && bytes[1] === 0x8b ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer() : bytes;
        const type = CONTENT_TYPES[/** @type {'js' | 'css'} */ (url.split('.').pop())] ?? 'application/octet-stream';
        return new Response(body, { status: 200, headers: { 'Content-Type': type } });
      }
    } catch {
      // the plain file below; offline, that fails too and says so
    }
  }
  return fetch(url, init);
}

/** The precached URL a request is answered from: the page ignores its query (?q=...), the folder is its index.html. */
function precachedKey(url) {
  const bare = `${url.origin}${url.pathname}`;
  const key = bare === scope.href ? urlOf('index.html') : bare;
  return precached.has(key) ? key : null;
}

/** A hashed file's name without its hash: the same table in another build. */
const unhashed = (path) => path.replace(/-[\w-]{8}(\.[^./]+)$/, '$1');

/** The names of the other builds' caches. */
const olderCaches = async () => (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE);

/**
 * Puts the build's files (and `extra` URLs) that `cache` lacks into it: a
 * content-hashed file that an older build cached is this very file and is
 * copied; the rest is downloaded. Tables only where an older cache held the
 * same one, or when asked for in `extra`.
 * @param {Cache} cache
 * @param {URL[]} [extra]
 */
async function fill(cache, extra = []) {
  const older = await olderCaches();
  const tablesHeld = new Set();
  for (const name of older) {
    for (const request of await (await caches.open(name)).keys()) tablesHeld.add(unhashed(new URL(request.url).pathname));
  }
  const wanted = assets
    .filter(({ path, table }) => !table || tablesHeld.has(unhashed(new URL(urlOf(path)).pathname)))
    .map(({ path, immutable }) => ({ url: urlOf(path), immutable }));
  for (const url of extra) if (!wanted.some((w) => w.url === url.href)) wanted.push({ url: url.href, immutable: precached.has(url.href) });
  await Promise.all(
    wanted.map(async ({ url, immutable }) => {
      if (await cache.match(url)) return;
      if (immutable) {
        for (const name of older) {
          const copy = await (await caches.open(name)).match(url);
          if (copy) return cache.put(url, copy);
        }
      }
      // Pages and the element script keep their names across builds: ask the server, not the HTTP cache.
      const response = await download(url, { cache: immutable ? 'default' : 'no-cache' });
      if (!response.ok) throw new Error(`${new URL(url).pathname}: HTTP ${response.status}`);
      await cache.put(url, response);
    }),
  );
}

/** A new build over an older one: every file, before this version may take over. */
async function precache() {
  if (!(await olderCaches()).length) return; // a first visit: the page asks for the files once its table is in
  const cache = await caches.open(CACHE);
  try {
    await fill(cache);
  } catch (error) {
    // A half-filled cache is never used; drop it so the next try starts clean.
    await caches.delete(CACHE);
    throw error;
  }
}

self.addEventListener('install', (event) => event.waitUntil(precache()));

self.addEventListener('activate', (event) => {
  // claim(): the first visit's page is this version's from now on, so its later requests come zipped. A newer
  // version activates only once no page has the older one open, so it takes no page from under an older build.
  event.waitUntil(olderCaches().then((names) => Promise.all(names.map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

/**
 * The build's files come from its cache. Anything else in the folder (a
 * table an author added for data=) comes from the network, and a copy is
 * kept for when the network is gone.
 */
async function respond(request) {
  const cache = await caches.open(CACHE);
  const key = precachedKey(new URL(request.url));
  if (key) {
    const hit = await cache.match(key);
    if (hit) return hit;
  }
  try {
    // A build file not cached yet (a first visit, before 'fill'): its zipped copy where there is one.
    const response = key && zipped.has(key) ? await download(key) : await fetch(request);
    if (response.ok && (key ? zipped.has(key) : response.type === 'basic')) await cache.put(key ?? request, response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(request, { ignoreSearch: Boolean(key) });
    if (copy) return copy;
    throw error;
  }
}

// Once its table is complete, a page asks to fill this build's cache with
// the build's files and the tables it loaded (the build's default table, or
// a data= table beside the build), so it works offline with them; they go
// into this build's cache, and leave with it. The answer goes back on the
// message's port. ('keep', from pages of the build before: the same.)
self.addEventListener('message', (event) => {
  const { type, urls } = event.data ?? {};
  if ((type !== 'fill' && type !== 'keep') || !Array.isArray(urls)) return;
  // An older build's page may still ask: its hashed files are not this build's to keep.
  const olderBuild = (url) => url.href.startsWith(urlOf('assets/')) && !precached.has(url.href);
  const wanted = urls.map((url) => new URL(url, scope)).filter((url) => url.href.startsWith(scope.href) && !olderBuild(url));
  const reply = (message) => event.ports[0]?.postMessage(message);
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => fill(cache, wanted))
      .then(
        () => reply({ ok: true }),
        // Offline later without some file: the page says what is missing, and the next visit tries again.
        (error) => reply({ ok: false, message: error.message }),
      ),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href) || request.headers.has('range')) return;
  event.respondWith(respond(request));
});
