// The page benchmark's static server: the built site as a plain static host
// would serve it. Issue 11 sets its targets for a host that does not
// compress (many do not compress application/octet-stream), so nothing is
// compressed here: sirv serves precompressed .gz/.br files only when asked,
// and it is not asked. Every response carries the strict CSP the page must
// live under, so the benchmark measures the page that ships.
//
// It also counts the bytes it writes to its sockets. CDP reports transfers
// per target, and some targets (shared and service workers) or some bodies
// (a dedicated worker's own script) are missed; the server sees every byte
// whoever asked, so its count is the cross-check.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import sirv from 'sirv';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

// Without a Cache-Control header Chromium guesses freshness from
// Last-Modified (a tenth of the file's age), so a second visit would be
// faster or slower depending on how long ago the site was built. no-cache
// (revalidate every time, 304 when unchanged) is what a plain host that
// knows nothing about the site does, and makes the figure repeatable.
export const DEFAULT_CACHE_CONTROL = 'no-cache';

export const FIVE_EMBEDS_PATH = '/bench/five-embeds.html';

/**
 * A course page with five widgets, each asking something else. Every
 * answer is computed by the CLI during the run (page-bench.js), so only the
 * questions are written here.
 */
export const FIVE_EMBED_QUERIES = [
  { attribute: 'query', value: 'king - man + woman' },
  { attribute: 'query', value: 'paris - france + italy' },
  { attribute: 'word', value: 'frog' },
  { attribute: 'analogy', value: 'good better bad' },
  { attribute: 'query', value: 'walking - walk + swim' },
];

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function fiveEmbedsPage() {
  const widgets = FIVE_EMBED_QUERIES.map(
    ({ attribute, value }, i) =>
      `<h2>Widget ${i + 1}</h2>\n<embedding-explorer ${attribute}="${escapeHtml(value)}" height="460"></embedding-explorer>`,
  ).join('\n');
  // The classic element script from the site's root, as the README tells
  // course authors to include it.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Five widgets</title>
<script src="../embedding-explorer.js"></script></head>
<body><h1>Unit 3: five questions</h1>
${widgets}
</body></html>`;
}

/**
 * Serves `distDir` on 127.0.0.1 with a random port, and `tables` (URL path
 * -> file: lesson tables an author would put beside the site for data=).
 * Returns its origin, servedBytes() (everything written to sockets so far,
 * headers included) and close().
 */
export async function startBenchServer(distDir, { cacheControl = DEFAULT_CACHE_CONTROL, tables = {} } = {}) {
  const serve = sirv(distDir, { dev: false, etag: true, gzip: false, brotli: false });
  const hostPage = fiveEmbedsPage();
  const server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Cache-Control', cacheControl);
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === FIVE_EMBEDS_PATH) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return res.end(hostPage);
    }
    if (Object.hasOwn(tables, pathname)) {
      const { size } = statSync(tables[pathname]);
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Length', String(size));
      return createReadStream(tables[pathname]).pipe(res);
    }
    if (pathname === '/') req.url = '/index.html';
    serve(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });

  // Keep-alive sockets live across visits, so bytes are read per socket:
  // the ones still open plus what closed ones wrote before they closed.
  const openSockets = new Set();
  let closedSocketBytes = 0;
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => {
      openSockets.delete(socket);
      closedSocketBytes += socket.bytesWritten;
    });
  });
  const servedBytes = () => [...openSockets].reduce((sum, s) => sum + s.bytesWritten, closedSocketBytes);

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    servedBytes,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
