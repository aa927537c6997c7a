// Entry of the full page. It starts the worker, which fetches the module
// and the table at once (boot.js, a few kB), and shows the first answer;
// the app, whose 3D view (three.js) is most of its bytes, is fetched once
// the first rows answer, so it does not slow them down, and by then
// through the service worker, zipped (offline/register.js).
import { startCompute } from './compute/client.js';
import { loadDefaultTable, showFirstAnswer } from './ui/boot.js';
import { applyPageOptions } from './lesson/embed-options.js';
import { appMayLoad } from './offline/register.js';

// theme=, hide=, lock=, caption= (lesson/embed-options.js) from the first paint.
applyPageOptions();

// data= names another table: the app loads that one instead.
const client = startCompute();
const load = new URLSearchParams(location.search).has('data') ? null : loadDefaultTable(client);
let app = null;
if (load) showFirstAnswer(load, () => !app?.answered);

// The service worker starts beside the table's download, and the app comes through it (offline/register.js).
appMayLoad(load)
  .then(() => import('./ui/app.js'))
  .then(({ ExplorerApp }) => {
    app = new ExplorerApp({ early: { client, load } });
    // Exposed for debugging and for the browser tests' timing probes.
    window.explorerApp = app;
    app.start();
  });
