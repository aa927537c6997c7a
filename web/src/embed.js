// Entry of the embed page: the same app with minimal chrome, configured by
// the same URL parameters as the full page. Inside an <embedding-explorer>
// element it also tells the element how it is doing (see
// element/embed-messages.js): the element cannot look into a cross-origin
// iframe, and without word from here it shows its fallback.
//
// Like the full page (main.js) it starts the worker and the table's load
// first and answers into the results list from boot.js, a few kB; the app
// with its 3D view (three.js, most of the bytes and, on a slow laptop, most
// of the start's main-thread time) follows. Five embeds on a course page
// share one main thread, so each one's answer no longer waits for five
// parses of three.js.
import { EMBED_MESSAGE_TYPE } from './element/embed-messages.js';
import { applyPageOptions } from './lesson/embed-options.js';
import { listenForInlineLesson } from './lesson/inline-lesson.js';
import { appMayLoad } from './offline/register.js';
import { loadDefaultTable, showFirstAnswer, startComputeFor } from './ui/boot.js';
import { readUrlView } from './ui/url-state.js';
import { normalizeView } from './ui/view-state.js';

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

// Before 'starting': the element answers it with an inline lesson, and the theme and hidden controls show from the first paint.
applyPageOptions();
if (new URLSearchParams(location.search).get('lesson') === 'inline') listenForInlineLesson();
tellHost('starting');
reportProgress();
const { view } = normalizeView(readUrlView());
const client = startComputeFor(view, { embed: true });
// data= names another table: the app loads that one instead.
const load = view.data ? null : loadDefaultTable(client);
/** @type {{ answered?: boolean } | null} */
let app = null;
if (load) showFirstAnswer(load, () => !app?.answered);

// The service worker starts beside the table's download, and the app comes through it (offline/register.js).
appMayLoad(load)
  .then(() => import('./ui/app.js'))
  .then(({ ExplorerApp }) => {
    const explorer = new ExplorerApp({ embed: true, early: { client, load } });
    app = explorer;
    // Exposed for debugging and for the browser tests' timing probes.
    window.explorerApp = explorer;
    explorer.start();
  });
