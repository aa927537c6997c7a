// The page benchmark's view scenarios (issue 11, section 6): a phone and a
// slow laptop. Each loads the built page at full network speed (the link
// is not what they measure), waits until it is answering, then slows the
// page's main thread (CDP CPU throttling) and measures:
//   orbitByTouch  at 390×844 (a phone, touch, DPR 3), the 3D view's frame
//                 intervals and per-frame main-thread work while a finger
//                 orbits the 5,000 drawn points (CDP Input.dispatchTouchEvent)
//   draw50k       on a desktop viewport, the time to lay out and draw all
//                 50,000 words of the default table: the worker's PCA
//                 projection, then setPoints to the end of the next frame
// WebGL runs in SwiftShader (the machine has no GPU for headless Chromium),
// so these are CPU figures: a real phone's GPU draws faster, its CPU is
// slower still.

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1400, height: 900 } };
const READY_TIMEOUT_MS = 120_000;
const TOUCH_MOVES = 90;
const TOUCH_STEP_MS = 16;

async function openAnswering(browser, url, contextOptions) {
  // No service worker: these scenarios measure drawing, not caching.
  const context = await browser.newContext({ ...contextOptions, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && window.explorerApp?.plot?.count > 0, null, { timeout: READY_TIMEOUT_MS });
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}

/** Median, 95th percentile, max and count of a list of ms. */
export function spread(values) {
  const xs = [...values].sort((a, b) => a - b);
  if (!xs.length) return null;
  const at = (q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  const round = (v) => Math.round(v * 10) / 10;
  return { frames: xs.length, median: round(at(0.5)), p95: round(at(0.95)), max: round(xs.at(-1)) };
}

/** A finger drags across the plot's middle, left to right and back, one move per ~16 ms. */
export async function orbitByTouch(browser, origin, { path, cpuSlowdown }) {
  const { context, page, cdp } = await openAnswering(browser, `${origin}${path}`, PHONE);
  try {
    await page.locator('#plot').scrollIntoViewIfNeeded();
    const box = await page.locator('#plot').boundingBox();
    const y = box.y + box.height / 2;
    const x0 = box.x + box.width * 0.3;
    const span = box.width * 0.4;
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    const before = await page.evaluate(() => {
      const plot = window.explorerApp.plot;
      plot.resetFrameTimes();
      return plot.camera.position.toArray();
    });
    const touch = (type, x) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1 }] });
    const started = Date.now();
    await touch('touchStart', x0);
    for (let i = 1; i <= TOUCH_MOVES; i++) {
      const phase = i / TOUCH_MOVES;
      await touch('touchMove', x0 + span * (phase < 0.5 ? phase * 2 : 2 - phase * 2));
      await new Promise((resolve) => setTimeout(resolve, TOUCH_STEP_MS));
    }
    await touch('touchEnd', x0);
    const gestureMs = Date.now() - started;
    const after = await page.evaluate(() => {
      const plot = window.explorerApp.plot;
      return { intervals: Array.from(plot.frameTimes()), work: Array.from(plot.frameWorkTimes()), points: plot.count, camera: plot.camera.position.toArray() };
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    // The camera turned about the cloud: the drag reached OrbitControls as a touch orbit.
    const moved = Math.hypot(...after.camera.map((v, i) => v - before[i])) > 1e-3 * Math.hypot(...before);
    return {
      viewport: `${PHONE.viewport.width}x${PHONE.viewport.height}`,
      points: after.points,
      gestureMs,
      orbited: moved,
      frameIntervalMs: spread(after.intervals),
      frameWorkMs: spread(after.work),
    };
  } finally {
    await context.close();
  }
}

/** Lays out and draws every word of the table, timed in the page. */
export async function draw50k(browser, origin, { path, cpuSlowdown, words }) {
  const { context, page, cdp } = await openAnswering(browser, `${origin}${path}`, DESKTOP);
  try {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    const timing = await page.evaluate(async (count) => {
      const { client, plot } = window.explorerApp;
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      const t0 = performance.now();
      const top = await client.call('topWords', { count });
      const t1 = performance.now();
      const out = await client.call('project', { ids: top.ids, method: 'pca' });
      const t2 = performance.now();
      plot.setPoints({ positions: out.coordinates, labels: top.labels });
      const t3 = performance.now();
      await frame();
      await frame(); // the first frame that shows them has been submitted
      const t4 = performance.now();
      return { points: plot.count, wordsMs: t1 - t0, projectMs: t2 - t1, setPointsMs: t3 - t2, firstFrameMs: t4 - t3, totalMs: t4 - t0 };
    }, words);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const round = (v) => Math.round(v);
    return {
      viewport: `${DESKTOP.viewport.width}x${DESKTOP.viewport.height}`,
      points: timing.points,
      drawMs: round(timing.setPointsMs + timing.firstFrameMs),
      projectMs: round(timing.projectMs),
      totalMs: round(timing.totalMs),
      parts: Object.fromEntries(Object.entries(timing).filter(([k]) => k.endsWith('Ms')).map(([k, v]) => [k, round(v)])),
    };
  } finally {
    await context.close();
  }
}
