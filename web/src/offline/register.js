// Registers the service worker (sw.js, written by the build beside the
// page, scoped to the site's own folder) once the whole table is in, so
// its downloads never compete with the first visit's: they then come from
// the browser's HTTP cache. `keep`: the table the page loaded (the
// default one, or a data= table), which the worker caches on request
// rather than at install, so a lesson page never downloads the default.
// A browser or a context without service workers (a dev server, a sandbox
// that refuses them) simply stays online.
export function registerOffline({ keep = [] } = {}) {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  whenTableComplete(async () => {
    try {
      await navigator.serviceWorker.register(new URL('./sw.js', location.href), { scope: './' });
      if (!keep.length) return;
      const registration = await navigator.serviceWorker.ready;
      registration.active?.postMessage({ type: 'keep', urls: keep });
    } catch (error) {
      console.info(`The explorer will not work offline here: ${error.message}`);
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
