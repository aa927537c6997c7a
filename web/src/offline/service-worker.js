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
// Tables are the exception to "every file": a page started with data= on
// a lesson table must not download the 5 MB default table in the
// background. So the install caches the build's tables only where an
// older cache held the same table (the same name before the hash), and a
// page that has loaded a table asks the worker to keep it ('keep').
/* global self, caches, fetch, URL, Response */
const { version, assets } = /** @type {{ version: string, assets: { path: string, immutable: boolean, table: boolean }[] }} */ (self.OFFLINE_BUILD);
const CACHE_PREFIX = 'embedding-explorer:';
const CACHE = `${CACHE_PREFIX}${version}`;
const scope = new URL(self.registration.scope);
const urlOf = (path) => new URL(path, scope).href;
const precached = new Set(assets.map((a) => urlOf(a.path)));

/** The precached URL a request is answered from: the page ignores its query (?q=...), the folder is its index.html. */
function precachedKey(url) {
  const bare = `${url.origin}${url.pathname}`;
  const key = bare === scope.href ? urlOf('index.html') : bare;
  return precached.has(key) ? key : null;
}

/** A hashed file's name without its hash: the same table in another build. */
const unhashed = (path) => path.replace(/-[\w-]{8}(\.[^./]+)$/, '$1');

async function precache() {
  const cache = await caches.open(CACHE);
  const older = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE);
  const tablesHeld = new Set();
  for (const name of older) {
    for (const request of await (await caches.open(name)).keys()) tablesHeld.add(unhashed(new URL(request.url).pathname));
  }
  const wanted = assets.filter(({ path, table }) => !table || tablesHeld.has(unhashed(new URL(urlOf(path)).pathname)));
  try {
    await Promise.all(
      wanted.map(async ({ path, immutable }) => {
        const url = urlOf(path);
        // A content-hashed file that an older build cached is this very file: no second download.
        if (immutable) {
          for (const name of older) {
            const copy = await (await caches.open(name)).match(url);
            if (copy) return cache.put(url, copy);
          }
        }
        // Pages and the element script keep their names across builds: ask the server, not the HTTP cache.
        const response = await fetch(url, { cache: immutable ? 'default' : 'no-cache' });
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        await cache.put(url, response);
      }),
    );
  } catch (error) {
    // A half-filled cache is never used; drop it so the next try starts clean.
    await caches.delete(CACHE);
    throw error;
  }
}

self.addEventListener('install', (event) => event.waitUntil(precache()));

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)))),
  );
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
    const response = await fetch(request);
    if (!key && response.ok && response.type === 'basic') await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(request, { ignoreSearch: Boolean(key) });
    if (copy) return copy;
    throw error;
  }
}

// A page asks to keep the table it loaded (the build's default table, or a
// data= table beside the build), so it works offline with it too. It goes
// into this build's cache, and leaves with it.
self.addEventListener('message', (event) => {
  const { type, urls } = event.data ?? {};
  if (type !== 'keep' || !Array.isArray(urls)) return;
  // An older build's page may still ask: its hashed files are not this build's to keep.
  const olderBuild = (url) => url.href.startsWith(urlOf('assets/')) && !precached.has(url.href);
  const wanted = urls.map((url) => new URL(url, scope)).filter((url) => url.href.startsWith(scope.href) && !olderBuild(url));
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        wanted.map(async (url) => {
          if (await cache.match(url)) return;
          const response = await fetch(url);
          if (response.ok) await cache.put(url, response);
        }),
      ),
    ).catch(() => {}), // offline later without it: the page says the table is missing and shows the default
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href) || request.headers.has('range')) return;
  event.respondWith(respond(request));
});
