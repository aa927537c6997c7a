// Entry of the embed page: the same app with minimal chrome, configured by
// the same URL parameters as the full page. Inside an <embedding-explorer>
// element it also tells the element how it is doing (see
// element/embed-messages.js): the element cannot look into a cross-origin
// iframe, and without word from here it shows its fallback.
import { EMBED_MESSAGE_TYPE } from './element/embed-messages.js';
import { ExplorerApp } from './ui/app.js';

function tellHost(state, message) {
  if (window.parent === window) return;
  window.parent.postMessage({ type: EMBED_MESSAGE_TYPE, state, ...(message ? { message } : {}) }, '*');
}

/**
 * Watches the page's own signals rather than the app's internals: the body's
 * data-ready (set once the first answer and the points are shown) and the
 * load status's `failed` class (set with the reason when the table fails).
 */
function reportProgress() {
  const status = document.getElementById('load-status');
  let reported = '';
  const check = () => {
    if (status?.classList.contains('failed') && reported !== 'failed') {
      reported = 'failed';
      tellHost('failed', document.getElementById('load-text')?.textContent ?? '');
    } else if (document.body.dataset.ready === 'true' && !reported) {
      reported = 'ready';
      tellHost('ready');
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
  if (status) observer.observe(status, { attributes: true, attributeFilter: ['class'] });
  check();
}

tellHost('starting');
reportProgress();
const app = new ExplorerApp({ embed: true });
window.explorerApp = app;
app.start();
