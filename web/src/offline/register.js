// The service worker (sw.js, written by the build beside the page, scoped
// to the site's own folder) in two steps:
//
// startOffline(), from the page's first script once the compute worker's
// downloads are under way (a worker started while a service worker is
// active is that worker's, and its table would pass through it): registers
// it. On a first visit it installs without downloading anything and takes
// the page over, so the requests the page makes after its first answer
// (the app with the 3D view, lesson chunks) come through it, and it fetches
// them as the build's gzip copies: a plain static host sends .js
// uncompressed, and the app chunk is 0.79 MB plain, 0.21 MB zipped, all of
// it on the same link as the table. appMayLoad() does both for an entry
// script: it registers at the right moment and lets the app's import wait
// a moment for the worker to take the page over.
//
// fillOffline({ keep }), once the whole table is in: asks it to fill its
// cache with the rest of the build, then `keep` (the table the page loaded,
// the default one or a data= table; a lesson page never downloads the
// default). Those downloads come after the table's, never beside it, and
// mostly from the browser's HTTP cache. When the cache is full the page
// sets <html data-offline="ready">.
//
// A browser or a context without service workers (a dev server, a sandbox
// that refuses them) simply stays online.
const supported = () => !import.meta.env.DEV && 'serviceWorker' in navigator;

/** @type {Promise<ServiceWorkerRegistration | null> | null} */
let registering = null;

export function startOffline() {
  if (!supported()) return null;
  registering ??= navigator.serviceWorker.register(new URL('./sw.js', location.href), { scope: './' }).catch((error) => {
    console.info(`The explorer will not work offline here: ${error.message}`);
    return null;
  });
  return registering;
}

// Through the service worker the app comes zipped (a quarter of its bytes): worth a short wait for it.
const APP_WAITS_FOR_OFFLINE_MS = 600;

/**
 * For the page's entry script: registers the service worker once the
 * default table's download is under way (`load`, boot.js; at once for a
 * data= page, whose worker has started already), and resolves when the app
 * may be imported: once its first rows answer and the worker controls the
 * page, or a moment later without it (no worker, a slow one).
 * @param {{ firstRows: Promise<number>, listen: (listener: () => void) => void } | null} load
 */
export async function appMayLoad(load) {
  if (load) {
    load.listen(() => startOffline());
    await load.firstRows;
  }
  const started = startOffline();
  if (!started || navigator.serviceWorker.controller) return;
  await new Promise((resolve) => {
    setTimeout(resolve, APP_WAITS_FOR_OFFLINE_MS);
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(undefined), { once: true });
    started.then((registration) => registration || resolve(undefined)); // refused: nothing to wait for
  });
}

/**
 * Runs once the load status says the table is complete: fills the cache
 * with the build's files and the tables in `keep`.
 * @param {{ keep?: string[] }} [options]
 */
export function fillOffline({ keep = [] } = {}) {
  if (!supported()) return;
  whenTableComplete(async () => {
    if (!(await startOffline())) return;
    try {
      const registration = await navigator.serviceWorker.ready;
      const worker = registration.active;
      if (!worker) return;
      const { port1, port2 } = new MessageChannel();
      const answered = new Promise((resolve) => (port1.onmessage = ({ data }) => resolve(data)));
      worker.postMessage({ type: 'fill', urls: keep }, [port2]);
      const answer = /** @type {{ ok: boolean, message?: string }} */ (await answered);
      port1.close();
      if (answer.ok) document.documentElement.dataset.offline = 'ready';
      else console.info(`The explorer will not work offline yet: ${answer.message}`);
    } catch (error) {
      console.info(`The explorer will not work offline here: ${/** @type {Error} */ (error).message}`);
    }
  });
}

/** Runs `then` once the load status says the table is complete (class done), at once if it already does. */
function whenTableComplete(then) {
  const status = document.getElementById('load-status');
  if (!status || status.classList.contains('done')) return then();
  const observer = new MutationObserver(() => {
    if (!status.classList.contains('done')) return;
    observer.disconnect();
    then();
  });
  observer.observe(status, { attributes: true, attributeFilter: ['class'] });
}
