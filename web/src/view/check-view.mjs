// Builds the view harness (demo.html) with Vite, serves it with the page's
// Content-Security-Policy as a real header, drives it in headless Debian
// Chromium (SwiftShader WebGL via --disable-gpu) with playwright-core, checks
// behaviour, takes screenshots and measures the orbit frame time.
//
//   node web/src/view/check-view.mjs [outDir=/tmp/view-check] [--keep-open]
//
// Prints one JSON object; exits 1 if a check failed. Assertions are about
// behaviour (labels are text, picking hits the right word, clicks vs drags,
// no console errors or CSP violations); the frame times are printed, not
// asserted, since they depend on the machine.

import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import sirv from 'sirv';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : '/tmp/view-check');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const BENCH_MS = 5000;

mkdirSync(outDir, { recursive: true });
const siteDir = path.join(outDir, 'site');
await build({
  root: here,
  base: './',
  configFile: false, // the harness must not pick up (or depend on) the page's Vite config
  cacheDir: path.join(outDir, 'vite-cache'), // not a node_modules/ folder inside src/view
  logLevel: 'warn',
  build: { outDir: siteDir, emptyOutDir: true, rollupOptions: { input: path.join(here, 'demo.html') } },
});

const serve = sirv(siteDir, { dev: true });
const server = http.createServer((req, res) => {
  res.setHeader('Content-Security-Policy', CSP);
  if (req.url === '/favicon.ico') {
    res.statusCode = 204; // no icon; keeps a 404 out of the console check
    res.end();
    return;
  }
  serve(req, res, () => {
    res.statusCode = 404;
    res.end('not found');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/demo.html`;

const profile = mkdtempSync(path.join(tmpdir(), 'view-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1200, height: 800 },
});

const problems = []; // console errors, page errors, CSP violations
const checks = [];
const report = { url, screenshots: {}, checks, problems };
const check = (name, ok, detail = undefined) => checks.push({ name, ok: !!ok, ...(detail !== undefined ? { detail } : {}) });

try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    // Chromium's software compositor (--disable-gpu) reads the WebGL canvas
    // back to compose the page and reports it as a "GPU stall due to
    // ReadPixels" driver message; the page itself never calls readPixels.
    if (m.type() === 'warning' && /GL Driver Message .*GPU stall due to ReadPixels/.test(m.text())) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__demo?.plot?.count > 0);
  await page.waitForTimeout(600);

  report.webgl = await page.evaluate(() => {
    const gl = window.__demo.plot.renderer.getContext();
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return { version: gl.getParameter(gl.VERSION), renderer: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : 'n/a' };
  });

  // Screen position (page px) of a point, from the plot's own camera.
  const screenOf = (index) =>
    page.evaluate((i) => {
      const plot = window.__demo.plot;
      plot.camera.updateMatrixWorld();
      const w = plot._world;
      const v = plot.camera.position.clone().set(w[3 * i], w[3 * i + 1], w[3 * i + 2]).project(plot.camera);
      const r = plot.renderer.domElement.getBoundingClientRect();
      return { x: r.left + ((v.x + 1) / 2) * r.width, y: r.top + ((1 - v.y) / 2) * r.height };
    }, index);
  const status = () => page.textContent('#status');

  // 1. The analogy view: labels, markers, arrows.
  // Labels hug their points or are culled (shown on hover): the analogy's
  // four words must be named, and no two shown labels may overlap.
  const labels = await page.evaluate(() => {
    const shown = [...window.__demo.plot.labelsLayer.root.querySelectorAll('span')].filter((s) => s.offsetParent);
    const rects = shown.map((s) => s.getBoundingClientRect());
    let overlaps = 0;
    rects.forEach((a, i) => rects.slice(i + 1).forEach((b) => (overlaps += a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom ? 1 : 0)));
    return { words: shown.map((s) => s.textContent), overlaps, culled: window.__demo.plot.culledLabels.length };
  });
  check('the analogy words are labelled and no labels overlap', ['man', 'king', 'woman', 'queen'].every((w) => labels.words.includes(w)) && labels.overlaps === 0, labels);
  report.screenshots.analogy = path.join(outDir, 'analogy.png');
  await page.screenshot({ path: report.screenshots.analogy });

  // 2. Labels are text: the word "<b>not bold</b>" shows literally.
  const markup = await page.evaluate(() => {
    const plot = window.__demo.plot;
    plot.setHighlights({ results: [10] });
    const root = plot.labelsLayer.root;
    return { text: root.textContent, bold: root.querySelectorAll('b').length };
  });
  check('labels go in as text, not HTML', markup.text.includes('<b>not bold</b>') && markup.bold === 0, markup);
  await page.evaluate(() => window.__demo.showAnalogy());
  await page.waitForTimeout(200);

  // 3. Hover: the tooltip shows the word under the cursor.
  const queen = await screenOf(3);
  await page.mouse.move(queen.x, queen.y);
  await page.waitForTimeout(250);
  const tooltip = await page.evaluate(() => ({ text: window.__demo.plot.pointer.tooltip.textContent, shown: window.__demo.plot.pointer.tooltip.style.display !== 'none', hovered: window.__demo.plot.hovered }));
  check('hover shows the word in a tooltip', tooltip.shown && tooltip.text === 'queen' && tooltip.hovered === 3, tooltip);
  report.screenshots.hover = path.join(outDir, 'hover.png');
  await page.screenshot({ path: report.screenshots.hover });

  // 4. Click selects; a click on empty space selects nothing; a drag is not a click.
  await page.mouse.click(queen.x, queen.y);
  await page.waitForTimeout(100);
  check('click on a point calls onSelect(index)', (await status()) === 'selected #3', await status());
  const box = await page.locator('#plot').boundingBox();
  await page.mouse.click(box.x + 8, box.y + box.height - 8);
  await page.waitForTimeout(100);
  check('click on empty space calls onSelect(null)', (await status()) === 'selected nothing', await status());
  await page.evaluate(() => (document.getElementById('status').textContent = 'before drag'));
  const p0 = await screenOf(0);
  await page.mouse.move(p0.x, p0.y);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(p0.x + 8 * k, p0.y + 3 * k);
  await page.mouse.up();
  await page.waitForTimeout(100);
  check('an orbit drag is not a click', !(await status()).startsWith('selected'), await status());

  // 5. animateTo: tweens to a layout 10x larger, refits, arrows and labels follow.
  await page.evaluate(() => window.__demo.showAnalogy());
  const tween = await page.evaluate(async () => {
    const { plot, makeLayout } = window.__demo;
    const target = makeLayout(plot.count, 7, 50);
    const t0 = performance.now();
    let mid = null;
    setTimeout(() => (mid = Array.from(plot._world.slice(0, 3))), 300);
    await plot.animateTo(target, 700);
    const w = plot._world;
    let r = 0;
    for (let i = 0; i < w.length; i += 3) r = Math.max(r, Math.hypot(w[i], w[i + 1], w[i + 2]));
    return { ms: performance.now() - t0, maxRadius: r, mid };
  });
  check('animateTo resolves after ~duration and refits to radius 1', tween.ms >= 650 && tween.ms < 2000 && Math.abs(tween.maxRadius - 1) < 1e-3, tween);
  await page.waitForTimeout(200);
  report.screenshots.animated = path.join(outDir, 'after-animateTo.png');
  await page.screenshot({ path: report.screenshots.animated });

  // 6. Progressive frames (t-SNE-like growth over 5 decades): the view
  //    refits a few times, never every frame, and ends with the cloud in view.
  const progressive = await page.evaluate(async () => {
    const { plot } = window.__demo;
    const radii = [];
    let refits = 0;
    const original = plot.positions._startFitTween.bind(plot.positions);
    plot.positions._startFitTween = (...args) => {
      refits++;
      return original(...args);
    };
    window.__demo.runProgressive();
    const t0 = performance.now();
    while (performance.now() - t0 < 3800) {
      await new Promise((r) => requestAnimationFrame(r));
      const w = plot._world;
      let r = 0;
      for (let i = 0; i < w.length; i += 3) r = Math.max(r, Math.hypot(w[i], w[i + 1], w[i + 2]));
      radii.push(r);
    }
    plot.positions._startFitTween = original;
    return { frames: radii.length, refits, finalRadius: radii.at(-1), maxSeen: Math.max(...radii) };
  });
  // Growth of 10^5 at 1.6x per refit needs ~25 refits (log 1e5 / log 1.6):
  // more would mean refitting every frame (jitter), fewer that the cloud
  // was allowed to leave the view.
  const expectedRefits = Math.log(1e5) / Math.log(1.6);
  check(
    'progressive frames refit only at 1.6x growth and stay in view',
    progressive.refits <= expectedRefits + 3 && progressive.refits < progressive.frames / 5 && progressive.maxSeen < 2.5 && progressive.finalRadius > 0.4 && progressive.finalRadius <= 1.6,
    progressive,
  );

  // 7. Frame time while auto-rotating (5,000 points, analogy highlighted; then 20,000).
  const bench = async (count) => {
    return page.evaluate(
      async ({ count, ms }) => {
        const { plot } = window.__demo;
        window.__demo.load(count);
        window.__demo.showAnalogy();
        plot.setAutoRotate(true);
        await new Promise((r) => setTimeout(r, 500)); // warm-up
        plot.resetFrameTimes();
        await new Promise((r) => setTimeout(r, ms));
        plot.setAutoRotate(false);
        const stats = (a) => {
          const s = Array.from(a).sort((x, y) => x - y);
          const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
          return { frames: s.length, mean: s.reduce((x, y) => x + y, 0) / s.length, median: q(0.5), p95: q(0.95), max: s.at(-1) };
        };
        return { points: plot.count, interval: stats(plot.frameTimes()), work: stats(plot.frameWorkTimes()) };
      },
      { count, ms: BENCH_MS },
    );
  };
  report.orbit5k = await bench(5000);
  report.screenshots.orbit5k = path.join(outDir, 'orbit-5k.png');
  await page.screenshot({ path: report.screenshots.orbit5k });
  report.orbit20k = await bench(20000);
  report.screenshots.orbit20k = path.join(outDir, 'orbit-20k.png');
  await page.screenshot({ path: report.screenshots.orbit20k });
  check('orbiting renders continuously', report.orbit5k.interval.frames > 20, report.orbit5k.interval.frames);
  report.antialiased = await page.evaluate(() => window.__demo.plot.antialiased);

  // The same at 20,000 with 4x MSAA forced on, for comparison with 'auto'.
  await page.goto(`${url}?aa=1`);
  await page.waitForFunction(() => window.__demo?.plot?.count > 0);
  report.orbit20kMsaa = { antialiased: await page.evaluate(() => window.__demo.plot.antialiased), ...(await bench(20000)) };

  // 8. Dark theme, then dispose removes everything.
  await page.check('#dark');
  await page.waitForTimeout(400);
  report.screenshots.dark = path.join(outDir, 'dark.png');
  await page.screenshot({ path: report.screenshots.dark });
  const disposed = await page.evaluate(() => {
    window.__demo.plot.dispose();
    window.__demo.plot.dispose(); // idempotent
    return document.getElementById('plot').childElementCount;
  });
  check('dispose removes canvas, labels and tooltip', disposed === 0, disposed);
  await page.waitForTimeout(200);
} catch (error) {
  check('harness ran to the end', false, String(error?.stack ?? error));
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

check('no console errors, warnings or CSP violations', problems.length === 0, problems);
console.log(JSON.stringify(report, null, 2));
process.exit(checks.every((c) => c.ok) ? 0 : 1);
