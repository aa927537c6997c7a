// Entry of the full page.
import { ExplorerApp } from './ui/app.js';

const app = new ExplorerApp();
// Exposed for debugging and for the browser tests' timing probes.
window.explorerApp = app;
app.start();
