#!/usr/bin/env node
// Page benchmark (issue 11, section 5): the built site, served without
// compression, in Debian's Chromium under CDP network and CPU throttling.
//
//   npm run --silent bench:page                          all scenarios, 3 runs each
//   npm run --silent bench:page -- --runs 1 --scenario first-visit --scenario five-embeds
//   npm run --silent bench:page -- --dist dist/other     bench another build (not rebuilt)
//   npm run --silent bench:page -- --cache-control "public, max-age=600"
//   npm run --silent bench:page -- --no-shared-worker --scenario five-embeds   the fallback (no SharedWorker)
//   npm run --silent bench:page -- --trace --runs 1 --scenario five-embeds   each frame's changes, timed, on stderr
//
// One JSON line per scenario on stdout, progress on stderr. Each figure is
// the median, min and max over --runs fresh browser contexts. Times are ms
// from the top document's navigation start (performance.timeOrigin):
//   feedbackMs   first contentful paint (the page's header and its
//                "Loading…" status); on the five-embed page, the last of
//                the five iframes' first contentful paints
//   answerMs     the first item of the Results list is the answer the CLI
//                gives for the same query (all five iframes on that page)
//   fullTableMs  the status line names the whole table ("50,000 words")
//                and the page has set body[data-ready] (all five iframes)
// On the five-embed page, widgets gives each widget's own answer time (its
// expected word, median, min, max): a query whose answer is a rarer word
// cannot be right before that word's block has arrived.
// transferredBytes is CDP's encodedDataLength summed over the page, its
// same-process frames and its dedicated workers; servedBytes is what the
// server wrote for the visit, whoever asked (see page-bench-server.js).
// memory, read once the table is complete (page-bench-probe.js): the
// renderer processes' private memory (the only figure that includes the
// wasm memory), the page's JS heap (CDP Performance.getMetrics), the
// dedicated workers' JS heaps and ArrayBuffers (Runtime.getHeapUsage), and
// performance.measureUserAgentSpecificMemory, or null and why.
// --cpu slowdown reaches the page's main thread only: Chromium refuses
// Emulation.setCPUThrottlingRate for workers, so the compute worker runs at
// the machine's speed. The second visits first load the page unthrottled
// in the same browser context, wait until its service worker is active,
// close it, then measure a new tab. The shared worker of the five embeds
// and the service worker are reached from the browser target
// (BrowserWorkers): they get the same network conditions, their bytes are
// in workerTransferredBytes (and in transferredBytes) and the shared
// worker's heap in memory.sharedWorker*.
//
// lesson-10k and lesson-10k-emb are the first visit with data= pointing
// at the 10,000-word table, as EMBS (.embs.gz, streamed) and as EMBQ
// (.emb); npm run data -- --words 10000 writes both to data/, and the
// server serves them at /tables/. phone-orbit and draw-50k (page-bench-view.js)
// print lines of their own: the 3D view's frame time while a finger
// orbits 5,000 points at 390x844, and the time to draw all 50,000 words.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../tests/e2e/browser.js';
import { BrowserWorkers, Instrument, RawCdp, frameOutcome, frameTimes, installProbe, readProbe, rendererPrivateBytes } from './page-bench-probe.js';
import { DEFAULT_CACHE_CONTROL, FIVE_EMBED_QUERIES, FIVE_EMBEDS_PATH, startBenchServer } from './page-bench-server.js';
import { draw50k, orbitByTouch } from './page-bench-view.js';

// Node 20 has WebSocket (for RawCdp) behind a flag; Node 22 has it on.
if (typeof WebSocket === 'undefined') {
  const child = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const repo = resolve(fileURLToPath(import.meta.url), '../../..');
const DEFAULT_QUERY = 'king - man + woman';
const MAIN_PAGE = `/index.html?q=${encodeURIComponent(DEFAULT_QUERY)}`;
const CLASSROOM = { downMbit: 10, rttMs: 40 };
const VIEWPORT = { width: 1400, height: 900 };
// Tall enough that all five lazy iframes are in view and load at once, as
// if a learner scrolled through the page right away.
const TALL_VIEWPORT = { width: 1400, height: 2800 };
const VISIT_TIMEOUT_MS = 180_000;
const OFFLINE_TIMEOUT_MS = 30_000;
const POLL_MS = 250;

// npm run data -- --words 10000 writes both: the EMBQ file and its wire layout (EMBS, gzip).
const LESSON_TABLES = ['glove-6b-100d-10k.embs.gz', 'glove-6b-100d-10k.emb'];
const lessonPath = (file) => `/index.html?data=tables/${file}&q=${encodeURIComponent(DEFAULT_QUERY)}`;
const SW_TIMEOUT_MS = 30_000;

const SCENARIOS = {
  'first-visit': { link: CLASSROOM, cpuSlowdown: 4, path: MAIN_PAGE },
  // The answers come from the EMBQ file (the CLI reads it); the page loads the file data= names.
  'lesson-10k': { link: CLASSROOM, cpuSlowdown: 4, path: lessonPath(LESSON_TABLES[0]), table: 'data/glove-6b-100d-10k.emb', serves: LESSON_TABLES[0] },
  'lesson-10k-emb': { link: CLASSROOM, cpuSlowdown: 4, path: lessonPath(LESSON_TABLES[1]), table: 'data/glove-6b-100d-10k.emb', serves: LESSON_TABLES[1] },
  'fast-link': { link: { downMbit: 20, rttMs: 40 }, cpuSlowdown: 1, path: MAIN_PAGE },
  'slow-link': { link: { downMbit: 5, rttMs: 100 }, cpuSlowdown: 1, path: MAIN_PAGE },
  'second-visit': { link: CLASSROOM, cpuSlowdown: 4, path: MAIN_PAGE, warmUp: true },
  'offline-second-visit': { link: { ...CLASSROOM, offline: true }, cpuSlowdown: 4, path: MAIN_PAGE, warmUp: true, timeoutMs: OFFLINE_TIMEOUT_MS },
  'five-embeds': { link: CLASSROOM, cpuSlowdown: 4, path: FIVE_EMBEDS_PATH, embeds: 5, viewport: TALL_VIEWPORT },
  'phone-orbit': { view: orbitByTouch, cpuSlowdown: 4, path: MAIN_PAGE },
  'draw-50k': { view: draw50k, cpuSlowdown: 4, path: MAIN_PAGE, words: 50_000 },
};

/** Bad options, a missing build or a CLI that cannot answer: one line that names the problem, no stack. */
function fail(message) {
  process.stderr.write(`bench:page: ${message}\n`);
  process.exit(1);
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    scenario: { type: 'string', multiple: true },
    dist: { type: 'string' },
    'cache-control': { type: 'string', default: DEFAULT_CACHE_CONTROL },
    // As on Chrome for Android, which has no SharedWorker: the embeds fall back to a worker each.
    'no-shared-worker': { type: 'boolean', default: false },
    // Each frame's changes (first result, status line) with their times, on stderr: where a visit's time went.
    trace: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a whole number of at least 1; "${args.runs}" is not`);
const chosen = args.scenario ?? Object.keys(SCENARIOS);
for (const name of chosen) {
  if (!SCENARIOS[name]) fail(`unknown --scenario "${name}"; the scenarios are ${Object.keys(SCENARIOS).join(', ')}`);
}
const progress = (line) => process.stderr.write(`[bench:page] ${line}\n`);

// ---- the build --------------------------------------------------------------

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** The default build is rebuilt when missing or older than anything it is built from; a --dist build is taken as it is. */
function siteDir() {
  if (args.dist) {
    const dir = resolve(repo, args.dist);
    if (!existsSync(join(dir, 'index.html'))) fail(`--dist ${args.dist}: no index.html there; build it with npx vite build --outDir ${args.dist}`);
    return dir;
  }
  const dir = join(repo, 'dist', 'web');
  const built = existsSync(join(dir, 'index.html')) ? statSync(join(dir, 'index.html')).mtimeMs : 0;
  const sources = ['web', 'wasm/js', 'wasm/dist', 'vite.config.js', 'data/glove-6b-100d-50k.emb', 'data/glove-6b-100d-50k.embs.gz'].map((p) => newestMtime(join(repo, p)));
  if (built < Math.max(...sources)) {
    progress(built ? 'dist/web is older than its sources: building' : 'dist/web is missing: building');
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
    if (build.status !== 0) fail(`npx vite build failed (exit ${build.status})`);
  }
  return dir;
}

// ---- what a correct answer is, from the core through the CLI --------------

const expectedCache = new Map();
const fullTableCache = new Map();

function cli(argv, table) {
  const data = table ? ['--data', join(repo, table)] : [];
  const run = spawnSync(process.execPath, [join(repo, 'wasm/js/cli.js'), ...argv, ...data, '--json'], { cwd: repo, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node wasm/js/cli.js ${argv.join(' ')} failed: ${run.stderr.trim() || run.stdout.trim()}`);
  return JSON.parse(run.stdout);
}

/** The first word the CLI answers for a page's URL parameters (q, word, or a b c), with the page's default k and space, on `table` (default: the default table). */
function expectedWord(search, table) {
  const params = new URLSearchParams(search);
  let argv;
  if (params.get('q')) argv = ['expr', params.get('q')];
  // A one-word expression ranks by cosine to that word and leaves the word
  // out, as its neighbour list does; expr is the command this bench relies on.
  else if (params.get('word')) argv = ['expr', params.get('word')];
  else if (params.get('a')) argv = ['analogy', params.get('a'), params.get('b'), params.get('c')];
  else throw new Error(`no query in "${search}" to compute an expected answer for`);
  const key = [...argv, table ?? ''].join('\u0000');
  if (!expectedCache.has(key)) expectedCache.set(key, cli(argv, table).results[0].word);
  return expectedCache.get(key);
}

/** "50,000 words": how the status line names the whole table (default: the default table). */
function fullTableStatus(table) {
  const key = table ?? 'default';
  if (!fullTableCache.has(key)) fullTableCache.set(key, `${cli(['info'], table).words.toLocaleString('en')} words`);
  return fullTableCache.get(key);
}

// ---- one visit --------------------------------------------------------------

/** The frames whose answers count: the top page, or the five embed iframes. */
function watchedFrames(page, scenario) {
  if (!scenario.embeds) return [page.mainFrame()];
  return page.frames().filter((f) => f !== page.mainFrame() && new URL(f.url(), 'http://x').pathname.endsWith('/embed.html'));
}

async function waitForOutcome(page, scenario, fullStatus, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = watchedFrames(page, scenario);
    const probes = await Promise.all(frames.map((f) => readProbe(f).catch(() => null)));
    const outcomes = probes.map((p) => frameOutcome(p, fullStatus));
    const failed = outcomes.find((o) => o.failed)?.failed;
    const allDone = frames.length === (scenario.embeds ?? 1) && outcomes.every((o) => o.done);
    if (failed || allDone) return { frames, probes, failed: failed ?? null };
    if (Date.now() > deadline) {
      const states = probes.map((p) => p?.log.at(-1)?.status || '(no status)').join(' | ');
      return { frames, probes, failed: `not complete after ${timeoutMs / 1000} s: ${frames.length} frame(s), status ${states}` };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Loads the page at full speed and waits until it is complete, so caches (and any service worker) are warm. */
async function warmUp(context, server, scenario, fullStatus) {
  const page = await context.newPage();
  await page.addInitScript(installProbe);
  await page.goto(`${server.origin}${scenario.path}`);
  const { failed } = await waitForOutcome(page, scenario, fullStatus, VISIT_TIMEOUT_MS);
  if (failed) throw new Error(`warm-up visit failed: ${failed}`);
  // The page's service worker fills its cache once the table is in and the page then sets <html data-offline="ready">;
  // the second visit is the worker's. (A build from before that signal: its worker active, and a moment for its cache.)
  const filled = await page
    .evaluate(
      (ms) =>
        new Promise((resolve) => {
          const deadline = Date.now() + ms;
          const check = () => {
            if (document.documentElement.dataset.offline === 'ready') return resolve('filled');
            if (Date.now() > deadline) return navigator.serviceWorker.getRegistration().then((r) => resolve(r?.active ? 'active' : 'none'));
            setTimeout(check, 100);
          };
          check();
        }),
      SW_TIMEOUT_MS,
    )
    .catch(() => 'none');
  if (filled === 'none') progress('  warm-up: no service worker became active; the second visit relies on the HTTP cache');
  else if (filled === 'active') {
    progress('  warm-up: the page never said its offline cache was full (an older build?); waiting a moment');
    await page.waitForTimeout(1000);
  }
  await page.close();
}

/** --trace: every change each watched frame's probe saw, in ms from the top page's navigation. */
function traceFrames(frames, probes, navigationStart) {
  frames.forEach((frame, i) => {
    const url = new URL(frame.url());
    progress(`  ${url.pathname.split('/').pop()}${decodeURIComponent(url.search)}`);
    for (const entry of probes[i]?.log ?? []) {
      const ms = String(Math.round(entry.at - navigationStart)).padStart(6);
      progress(`  ${ms} ms  first "${entry.firstWord}"  ${entry.ready ? 'ready  ' : ''}${entry.status.slice(0, 90)}${entry.alert ? `  alert: ${entry.alert}` : ''}`);
    }
  });
}

function describeMiss(frame, probe, expected) {
  const url = new URL(frame.url());
  const last = probe.log.at(-1) ?? {};
  const alert = last.alert ? ` and the alert "${last.alert}"` : '';
  return `${url.pathname.split('/').pop()}${url.search} showed "${last.firstWord ?? ''}" first${alert}; the CLI answers "${expected}"`;
}

async function measuredVisit(context, server, browserSession, scenario, fullStatus) {
  const page = await context.newPage();
  await page.addInitScript(installProbe);
  const instrument = await Instrument.attach(context, page, scenario);
  const workers = await BrowserWorkers.attach(rawCdp, scenario.link);
  const servedBefore = server.servedBytes();
  const result = { error: null };
  try {
    await page.goto(`${server.origin}${scenario.path}`, { waitUntil: 'commit', timeout: scenario.timeoutMs ?? VISIT_TIMEOUT_MS });
  } catch (error) {
    result.error = error.message.split('\n')[0];
  }
  if (!result.error) {
    const { frames, probes, failed } = await waitForOutcome(page, scenario, fullStatus, scenario.timeoutMs ?? VISIT_TIMEOUT_MS);
    result.error = failed;
    const top = await readProbe(page.mainFrame()).catch(() => null);
    const navigationStart = top?.timeOrigin;
    const expected = frames.map((f) => expectedWord(new URL(f.url()).search, scenario.table));
    const times = frames.map((f, i) => (probes[i] ? frameTimes(probes[i], expected[i], fullStatus) : {}));
    // A page that finished without the expected answer is a finding, not a timeout: say what it showed.
    const wrong = frames.map((f, i) => (probes[i] && !times[i].answerAt ? describeMiss(f, probes[i], expected[i]) : null)).filter(Boolean);
    if (!result.error && wrong.length) result.error = wrong.join('; ');
    // The slowest frame decides: the page is answering when every widget is.
    const latest = (key) => {
      const values = times.map((t) => t[key]);
      return navigationStart && values.length && values.every((v) => typeof v === 'number') ? Math.max(...values) - navigationStart : null;
    };
    if (args.trace && navigationStart) traceFrames(frames, probes, navigationStart);
    // Each widget's own answer on the five-embed page: a query whose answer is a rarer word waits for its block.
    if (scenario.embeds && navigationStart) {
      result.widgets = frames.map((f, i) => ({
        widget: decodeURIComponent(new URL(f.url()).search),
        expected: expected[i],
        answerMs: typeof times[i].answerAt === 'number' ? times[i].answerAt - navigationStart : null,
      }));
    }
    result.feedbackMs = latest('fcpAt');
    result.answerMs = latest('answerAt');
    result.fullTableMs = latest('fullAt');
    result.memory = await instrument.memory().catch(() => null);
    if (result.memory) result.memory.rendererPrivateBytes = await rendererPrivateBytes(browserSession).catch(() => null);
    const shared = await workers.memory().catch(() => null);
    if (result.memory && shared) {
      Object.assign(result.memory, { sharedWorkers: shared.sharedWorkers, sharedWorkerJsHeapUsedBytes: shared.jsHeapUsedBytes, sharedWorkerBackingStoreBytes: shared.backingStoreBytes });
    }
    result.uaMemory = await Instrument.userAgentSpecificMemory(page).catch((error) => ({ bytes: null, why: error.message }));
  }
  await workers.detach();
  result.workerTransferredBytes = workers.transferredBytes;
  result.transferredBytes = instrument.transferredBytes + workers.transferredBytes;
  result.servedBytes = server.servedBytes() - servedBefore;
  for (const message of [...instrument.childErrors, ...workers.errors]) progress(`  worker session: ${message}`);
  await page.close();
  return result;
}

// ---- scenarios and the JSON lines ----------------------------------------------

function stat(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!xs.length) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median: Math.round(median), min: Math.round(xs[0]), max: Math.round(xs.at(-1)) };
}

/**
 * A view scenario, --runs times: the line of the run with the median
 * headline figure (frame interval, or draw time), with every run's
 * headline beside it.
 */
async function viewScenario(name, scenario) {
  const results = [];
  const headline = (r) => r.frameIntervalMs?.median ?? r.drawMs ?? null;
  for (let run = 1; run <= runs; run++) {
    try {
      results.push(await scenario.view(browser, server.origin, scenario));
    } catch (error) {
      results.push({ error: error.message.split('\n')[0] });
    }
    const r = results.at(-1);
    progress(`${name} ${run}/${runs}: ${r.error ? `error: ${r.error}` : `${headline(r)} ms`}`);
  }
  const measured = results.filter((r) => !r.error).sort((a, b) => headline(a) - headline(b));
  const median = measured[measured.length >> 1] ?? {};
  return {
    scenario: name,
    cpu: { slowdown: scenario.cpuSlowdown, scope: 'page main thread; WebGL in SwiftShader (software)' },
    runs: results.length,
    ...median,
    everyRun: results.map((r) => headline(r)),
    errors: [...new Set(results.map((r) => r.error).filter(Boolean))],
  };
}

function summarize(name, scenario, results) {
  const pick = (fn) => stat(results.map((r) => fn(r)));
  const ua = results.find((r) => r.uaMemory)?.uaMemory ?? { bytes: null, why: 'the page never loaded' };
  return {
    scenario: name,
    link: scenario.link,
    cpu: { slowdown: scenario.cpuSlowdown, scope: 'page main thread (Chromium does not throttle workers)' },
    runs: results.length,
    answeredRuns: results.filter((r) => typeof r.answerMs === 'number').length,
    feedbackMs: pick((r) => r.feedbackMs),
    answerMs: pick((r) => r.answerMs),
    fullTableMs: pick((r) => r.fullTableMs),
    transferredBytes: pick((r) => r.transferredBytes),
    workerTransferredBytes: pick((r) => r.workerTransferredBytes),
    servedBytes: pick((r) => r.servedBytes),
    memory: {
      rendererPrivateBytes: pick((r) => r.memory?.rendererPrivateBytes),
      pageJsHeapUsedBytes: pick((r) => r.memory?.pageJsHeapUsedBytes),
      workers: pick((r) => r.memory?.workers),
      workerJsHeapUsedBytes: pick((r) => r.memory?.workerJsHeapUsedBytes),
      workerBackingStoreBytes: pick((r) => r.memory?.workerBackingStoreBytes),
      sharedWorkers: pick((r) => r.memory?.sharedWorkers),
      sharedWorkerJsHeapUsedBytes: pick((r) => r.memory?.sharedWorkerJsHeapUsedBytes),
      sharedWorkerBackingStoreBytes: pick((r) => r.memory?.sharedWorkerBackingStoreBytes),
      userAgentSpecificBytes: pick((r) => r.uaMemory?.bytes),
      userAgentSpecificWhyNot: ua.why,
    },
    ...(scenario.embeds ? { widgets: widgetAnswers(results) } : {}),
    errors: [...new Set(results.map((r) => r.error).filter(Boolean))],
  };
}

/** Each widget's answer time over the runs (they come in page order, so one widget is the same index in each run). */
function widgetAnswers(results) {
  const first = results.find((r) => r.widgets)?.widgets ?? [];
  return first.map(({ widget, expected }, i) => ({ widget, expected, answerMs: stat(results.map((r) => r.widgets?.[i]?.answerMs)) }));
}

const dir = siteDir();

// Every answer is computed before the first visit: a CLI that cannot
// answer fails the run at once, not after minutes of browsing.
let fullStatus;
try {
  fullStatus = fullTableStatus();
  expectedWord(new URL(MAIN_PAGE, 'http://x').search);
  for (const { attribute, value } of FIVE_EMBED_QUERIES) {
    const params = attribute === 'analogy' ? Object.fromEntries(value.split(/\s+/).map((w, i) => ['abc'[i], w])) : { [attribute === 'query' ? 'q' : attribute]: value };
    expectedWord(`?${new URLSearchParams(params)}`);
  }
} catch (error) {
  fail(error.message);
}
// The lesson tables are served from data/ at /tables/ when they have been built.
const tables = Object.fromEntries(LESSON_TABLES.filter((file) => existsSync(join(repo, 'data', file))).map((file) => [`/tables/${file}`, join(repo, 'data', file)]));
const server = await startBenchServer(dir, { cacheControl: args['cache-control'], tables });
// The browser's debugging port, for RawCdp (see page-bench-probe.js).
const debuggingPort = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_FLAGS, `--remote-debugging-port=${debuggingPort}`, ...(args['no-shared-worker'] ? ['--disable-blink-features=SharedWorker'] : [])] });
const browserSession = await browser.newBrowserCDPSession();
const rawCdp = await RawCdp.connect(debuggingPort);
progress(`serving ${dir} at ${server.origin} (no compression, Cache-Control: ${args['cache-control']})`);
try {
  for (const name of chosen) {
    const scenario = SCENARIOS[name];
    if (scenario.view) {
      process.stdout.write(`${JSON.stringify(await viewScenario(name, scenario))}\n`);
      continue;
    }
    const missing = scenario.table && [scenario.table, `data/${scenario.serves}`].find((file) => !existsSync(join(repo, file)));
    if (missing) {
      const why = `${missing} is missing: build it with npm run data -- --words 10000`;
      progress(`${name}: skipped, ${why}`);
      process.stdout.write(`${JSON.stringify({ scenario: name, runs: 0, errors: [why] })}\n`);
      continue;
    }
    const tableStatus = scenario.table ? fullTableStatus(scenario.table) : fullStatus;
    const results = [];
    for (let run = 1; run <= runs; run++) {
      const context = await browser.newContext({ viewport: scenario.viewport ?? VIEWPORT });
      try {
        if (scenario.warmUp) await warmUp(context, server, scenario, tableStatus);
        results.push(await measuredVisit(context, server, browserSession, scenario, tableStatus));
      } catch (error) {
        results.push({ error: error.message.split('\n')[0] });
      } finally {
        await context.close();
      }
      const r = results.at(-1);
      const ms = (v) => (typeof v === 'number' ? `${Math.round(v)} ms` : '-');
      progress(`${name} ${run}/${runs}: feedback ${ms(r.feedbackMs)}, answer ${ms(r.answerMs)}, full ${ms(r.fullTableMs)}, ${r.transferredBytes ?? '-'} B${r.error ? `, error: ${r.error}` : ''}`);
    }
    process.stdout.write(`${JSON.stringify(summarize(name, scenario, results))}\n`);
  }
} finally {
  rawCdp.close();
  await browser.close();
  await server.close();
}
