// Static servers for the browser tests. startServer: the built page
// (dist/web) at the root and again under a sub-path, every response with
// the strict CSP and no Access-Control-Allow-Origin, plus two same-origin
// host pages that embed the widget. startCourseServer: a course site on a
// second port (another origin) with its own strict CSP, embedding the
// explorer the ways the README shows.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { repoRoot } from '../js/paths.js';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
export const SUB_PATH = '/course/unit-3/explorer/';
// On the explorer's server, a folder that holds the element's script and
// nothing else: an author who copied the script without the page.
export const MISPLACED_PATH = '/misplaced/';

const hostPages = {
  // The element from the same origin, loaded as a module as earlier
  // snippets did: the classic build must keep working that way too.
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

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

function sendHtml(res, html) {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(html);
}

/**
 * dir: another built site than distDir (the offline test serves a copy it
 * rebuilds); cacheControl: a Cache-Control header for every response (no-store
 * keeps the HTTP cache from hiding repeated downloads); onRequest(pathname):
 * told every request, as the server sees it.
 */
export function startServer({ dir = distDir, cacheControl, onRequest } = {}) {
  // A site other than the build is one a test changes: sirv's dev mode reads its files anew every time.
  const serve = sirv(dir, { dev: dir !== distDir, etag: true, gzip: false });
  return listen((req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    if (cacheControl) res.setHeader('Cache-Control', cacheControl);
    onRequest?.(new URL(req.url, 'http://localhost').pathname);
    const url = new URL(req.url, 'http://localhost');
    if (hostPages[url.pathname]) return sendHtml(res, hostPages[url.pathname]);
    if (url.pathname === '/favicon.ico') {
      // The host pages have no icon; answer so the browser logs no 404.
      res.statusCode = 204;
      return res.end();
    }
    if (url.pathname === `${MISPLACED_PATH}embedding-explorer.js`) {
      res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      return res.end(readFileSync(join(dir, 'embedding-explorer.js')));
    }
    if (url.pathname.startsWith(SUB_PATH)) req.url = '/' + req.url.slice(SUB_PATH.length);
    serve(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
}

/** The policy a strict course site sends, letting in the explorer's origin (or `frameSrc`) for scripts and frames. */
export function courseCsp(explorerOrigin, { frameSrc = explorerOrigin } = {}) {
  return `default-src 'self'; script-src 'self' ${explorerOrigin}; frame-src ${frameSrc}`;
}

const coursePage = (title, body, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${title}</title>${head}</head><body><main><h1>${title}</h1>${body}</main></body></html>`;

/**
 * A course site at another origin than `explorerOrigin`, every page sent with
 * courseCsp (no 'unsafe-inline', so no inline style or script either).
 * /blocked/ pages send a frame-src that leaves the explorer out.
 */
export async function startCourseServer(explorerOrigin) {
  const explorer = `${explorerOrigin}${SUB_PATH}`;
  const script = (base = explorer) => `<script src="${base}embedding-explorer.js"></script>`;
  const pages = {
    '/unit-3/element.html': coursePage('Unit 3: word vectors', `<p>Try the analogy below.</p>
<embedding-explorer analogy="man king woman"><a href="${explorer}index.html?a=man&amp;b=king&amp;c=woman">Open the Embedding Space Explorer</a></embedding-explorer>`, script()),
    // Far below the fold, so the lazy iframe has not started loading yet.
    '/unit-3/below-the-fold.html': coursePage('Unit 3: further down', `<p>Read this first.${'<br>'.repeat(300)}</p>
<embedding-explorer analogy="man king woman"></embedding-explorer>`, script()),
    '/unit-3/misplaced.html': coursePage('Unit 3: script without the explorer', `<embedding-explorer analogy="man king woman"></embedding-explorer>`, script(`${explorerOrigin}${MISPLACED_PATH}`)),
    '/blocked/element.html': coursePage('Unit 3: frames not allowed', `<embedding-explorer analogy="man king woman"></embedding-explorer>`, script()),
    '/unit-3/iframe.html': coursePage('Unit 3: the iframe snippet', `<iframe src="${explorer}embed.html?a=man&amp;b=king&amp;c=woman" title="Embedding Space Explorer" width="100%" height="460" frameborder="0" loading="lazy"></iframe>`),
  };
  const server = await listen((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    res.setHeader('Content-Security-Policy', courseCsp(explorerOrigin, url.pathname.startsWith('/blocked/') ? { frameSrc: "'self'" } : {}));
    if (pages[url.pathname]) return sendHtml(res, pages[url.pathname]);
    res.statusCode = url.pathname === '/favicon.ico' ? 204 : 404;
    res.end();
  });
  /** Serves `body` (pasted as an author would paste a snippet) at `path`. */
  const addPage = (path, title, body) => {
    pages[path] = coursePage(title, body);
  };
  return { ...server, addPage };
}
