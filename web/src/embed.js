// Entry of the embed page: the same app with minimal chrome, configured by
// the same URL parameters as the full page.
import { ExplorerApp } from './ui/app.js';

const app = new ExplorerApp({ embed: true });
window.explorerApp = app;
app.start();
