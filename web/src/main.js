// Entry of the full page. It starts the worker, which fetches the module
// and the table at once (boot.js, a few kB), and shows the first answer;
// the app, whose 3D view (three.js) is most of its bytes, is fetched once
// the first rows answer, so it does not slow them down, and by then
// through the service worker, zipped (offline/register.js).
import { startCompute } from './compute/client.js';
import { loadDefaultTable, showFirstAnswer } from './ui/boot.js';
import { applyPageOptions } from './lesson/embed-options.js';
import { startOffline, whenControlled } from './offline/register.js';

// theme=, hide=, lock=, caption= (lesson/embed-options.js) from the first paint.
applyPageOptions();

const APP_WAITS_FOR_OFFLINE_MS = 600;
// data= names another table: the app loads that one instead.
const client = startCompute();
const load = new URLSearchParams(location.search).has('data') ? null : loadDefaultTable(client);
// The service worker once the worker's downloads are under way (offline/register.js).
if (load) load.listen(() => startOffline());
let app = null;
if (load) showFirstAnswer(load, () => !app?.answered);

(load ? load.firstRows : Promise.resolve())
  .then(() => {
    if (!load) startOffline();
    // Through the service worker the app comes zipped (a quarter of its bytes): worth a short wait for it.
    return whenControlled(APP_WAITS_FOR_OFFLINE_MS);
  })
  .then(() => import('./ui/app.js'))
  .then(({ ExplorerApp }) => {
    app = new ExplorerApp({ early: { client, load } });
    // Exposed for debugging and for the browser tests' timing probes.
    window.explorerApp = app;
    app.start();
  });
