// A static server for the browser tests: the built page (dist/web) at the
// root and again under a sub-path, every response with the strict CSP,
// plus two host pages that embed the widget the two supported ways.
import { createServer } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { repoRoot } from '../js/paths.js';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
export const SUB_PATH = '/course/unit-3/explorer/';

const hostPages = {
  // One script tag and the element, as a course author would write it.
  '/host/element.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course page</title>
<script type="module" src="${SUB_PATH}embedding-explorer.js"></script></head>
<body><h1>Unit 3: word vectors</h1><p>Try the analogy below.</p>
<embedding-explorer query="king - man + woman" width="900" height="460"></embedding-explorer></body></html>`,
  '/host/iframe.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course page</title></head>
<body><h1>Unit 3</h1><iframe id="widget" title="explorer" width="900" height="460"
src="${SUB_PATH}embed.html?q=paris%20-%20france%20%2B%20italy"></iframe></body></html>`,
};

// EXPLORER_DIST points the tests at another build of the page (helpers
// working side by side build into their own folders).
export const distDir = process.env.EXPLORER_DIST ? join(repoRoot, process.env.EXPLORER_DIST) : join(repoRoot, 'dist', 'web');

export async function startServer() {
  const serve = sirv(distDir, { dev: false, etag: true, gzip: false });
  const server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    const url = new URL(req.url, 'http://localhost');
    if (hostPages[url.pathname]) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(hostPages[url.pathname]);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // The host pages have no icon; answer so the browser logs no 404.
      res.statusCode = 204;
      res.end();
      return;
    }
    if (url.pathname.startsWith(SUB_PATH)) req.url = '/' + req.url.slice(SUB_PATH.length);
    serve(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}
