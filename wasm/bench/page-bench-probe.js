// What the page benchmark watches and how it throttles, in one place.
//
// installProbe runs in every frame before the page's own scripts (Playwright
// injects it through CDP, so the strict CSP does not apply to it). A
// MutationObserver notes, with a timestamp, every change of the three
// things the figures are read from. Timestamps are performance.timeOrigin +
// performance.now(), so the times of different frames (the five-embed page)
// compare on one clock. The DOM time is taken, not the paint after it: the
// next frame follows within one vsync, well under the figures' precision.
//
// Instrument drives CDP for one page: network and CPU throttling, and the
// bytes and memory of the page and of its dedicated workers, reached by
// auto-attach. Playwright's CDPSession cannot talk to flattened child
// sessions, so the children are attached the older way (flatten: false) and
// talked to through Target.sendMessageToTarget.
import { readFileSync } from 'node:fs';

/** Runs in the page. The page is being restructured: every selector lives here, each with a fallback. */
export function installProbe() {
  const text = (node) => (node?.textContent ?? '').trim();
  const read = () => {
    const list = document.querySelector('ol[aria-label="Results"]') ?? document.getElementById('results');
    const first = list?.querySelector('li');
    // The word of the first result: its .word cell, else the first token of the row.
    const firstWord = first ? text(first.querySelector('.word')) || text(first).split(/\s+/)[0] : '';
    const status = text(document.getElementById('load-text') ?? document.querySelector('[role="status"]'));
    // A query's error (unknown word, a failing core) shows here, not in the status line.
    const alert = text(document.querySelector('[role="alert"]:not([hidden])'));
    return { firstWord, status, alert, ready: document.body?.dataset.ready === 'true' };
  };
  const log = [];
  let last = '';
  const note = () => {
    const state = read();
    const key = JSON.stringify(state);
    if (key === last) return;
    last = key;
    log.push({ at: performance.timeOrigin + performance.now(), ...state });
  };
  // Only data-ready among attributes: three.js restyles its canvas every
  // frame, and each callback is work on the (throttled) main thread.
  new MutationObserver(note).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['data-ready'],
  });
  const firstContentfulPaint = () => {
    const entry = performance.getEntriesByName('first-contentful-paint')[0];
    return entry ? performance.timeOrigin + entry.startTime : null;
  };
  window.__pageBench = { log, firstContentfulPaint, timeOrigin: performance.timeOrigin };
}

/** Reads the probe of one frame: its change log, its first contentful paint and its time origin. */
export const readProbe = (frame) => frame.evaluate(() => window.__pageBench && { log: window.__pageBench.log, fcp: window.__pageBench.firstContentfulPaint(), timeOrigin: window.__pageBench.timeOrigin });

/** Is this frame's table complete and its page ready, or did loading fail? Read from the probe's latest state. */
export function frameOutcome(probe, fullStatus) {
  const last = probe?.log.at(-1);
  if (!last) return { done: false };
  if (/could not|failed|error/i.test(last.status)) return { done: true, failed: last.status };
  return { done: last.ready && last.status.includes(fullStatus) };
}

/** Times (epoch ms) read from a frame's log: first correct answer and full table. */
export function frameTimes(probe, expectedWord, fullStatus) {
  const answer = probe.log.find((s) => s.firstWord === expectedWord);
  const full = probe.log.find((s) => s.ready && s.status.includes(fullStatus));
  return { fcpAt: probe.fcp, answerAt: answer?.at ?? null, fullAt: full?.at ?? null };
}

/**
 * Private memory (Private_Clean + Private_Dirty in /proc/PID/smaps_rollup)
 * of every Chromium renderer process. The JS heap figures leave out the
 * wasm memory that holds the table (V8 reserves it outside the ArrayBuffer
 * count), and the renderer process holds it all: the page, its same-origin
 * iframes and their dedicated workers. Read while the measured page is the
 * only one open; an idle spare renderer, if Chromium keeps one, adds a few
 * MB. Linux only: null elsewhere, or when /proc cannot be read.
 */
export async function rendererPrivateBytes(browserSession) {
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  let total = 0;
  for (const { type, id } of processInfo) {
    if (type !== 'renderer') continue;
    let rollup;
    try {
      rollup = readFileSync(`/proc/${id}/smaps_rollup`, 'utf8');
    } catch {
      return null;
    }
    for (const field of ['Private_Clean', 'Private_Dirty']) total += Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
  }
  return total;
}

const bytesPerSecond = (mbit) => (mbit * 1e6) / 8;

export class Instrument {
  #cdp;
  #conditions;
  #children = new Map(); // sessionId -> target type
  #pending = new Map(); // message id -> resolve
  #nextId = 1;
  transferredBytes = 0;
  childErrors = new Set();

  static async attach(context, page, { link, cpuSlowdown }) {
    const instrument = new Instrument(await context.newCDPSession(page), link);
    await instrument.#start(cpuSlowdown);
    return instrument;
  }

  constructor(cdp, link) {
    this.#cdp = cdp;
    this.#conditions = Instrument.conditions(link);
  }

  static conditions({ downMbit, rttMs, offline = false }) {
    // CDP's latency is added to each request's time to response headers, which is what an RTT costs; upload is not a target, so it mirrors download.
    return { offline, latency: rttMs, downloadThroughput: bytesPerSecond(downMbit), uploadThroughput: bytesPerSecond(downMbit) };
  }

  async #start(cpuSlowdown) {
    const cdp = this.#cdp;
    cdp.on('Network.loadingFinished', (e) => {
      this.transferredBytes += e.encodedDataLength;
    });
    cdp.on('Target.attachedToTarget', (e) => this.#onChild(e).catch((error) => this.childErrors.add(error.message)));
    cdp.on('Target.detachedFromTarget', (e) => this.#children.delete(e.sessionId));
    cdp.on('Target.receivedMessageFromTarget', (e) => this.#onChildMessage(JSON.parse(e.message)));
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', this.#conditions);
    // Applies to the renderer's main thread, which same-origin iframes share.
    // Chromium refuses it for workers ("only supported for pages"), so the
    // compute worker runs at the machine's full speed.
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    await cdp.send('Performance.enable');
    // Workers wait for us before running, so none of their requests go unthrottled or uncounted.
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  }

  async #onChild({ sessionId, targetInfo }) {
    this.#children.set(sessionId, targetInfo.type);
    try {
      await this.#childCall(sessionId, 'Network.enable');
      // A dedicated worker's fetches follow its page's conditions today;
      // setting them on the worker too keeps that true if Chromium changes.
      await this.#childCall(sessionId, 'Network.emulateNetworkConditions', this.#conditions).catch(() => {});
    } finally {
      await this.#childCall(sessionId, 'Runtime.runIfWaitingForDebugger');
    }
  }

  #onChildMessage(message) {
    if (message.id !== undefined) {
      const settle = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      return settle?.(message);
    }
    if (message.method === 'Network.loadingFinished') this.transferredBytes += message.params.encodedDataLength;
  }

  #childCall(sessionId, method, params = {}) {
    const id = this.#nextId++;
    const reply = new Promise((resolve, reject) => {
      this.#pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
    });
    this.#cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => {});
    return reply;
  }

  /** Cuts or restores the network for the page and its workers. */
  async setLink(link) {
    this.#conditions = Instrument.conditions(link);
    await this.#cdp.send('Network.emulateNetworkConditions', this.#conditions);
    for (const sessionId of this.#children.keys()) {
      await this.#childCall(sessionId, 'Network.emulateNetworkConditions', this.#conditions).catch(() => {});
    }
  }

  /**
   * JS heap in use after a full garbage collection (without one the figure
   * swings by whatever garbage start-up left). The page's figure covers its
   * main thread and same-origin iframes (one isolate); each dedicated
   * worker is asked on its own, and backingStorageSize there counts the
   * ArrayBuffers, the wasm memory that holds the table among them.
   */
  async memory() {
    await this.#cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    const metrics = await this.#cdp.send('Performance.getMetrics');
    const pageJsHeapUsedBytes = metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
    let workerJsHeapUsedBytes = 0;
    let workerBackingStoreBytes = 0;
    let workers = 0;
    for (const [sessionId, type] of this.#children) {
      if (type !== 'worker') continue;
      await this.#childCall(sessionId, 'HeapProfiler.collectGarbage').catch(() => {});
      const usage = await this.#childCall(sessionId, 'Runtime.getHeapUsage').catch((error) => {
        this.childErrors.add(error.message);
        return null;
      });
      if (!usage) continue;
      workers += 1;
      workerJsHeapUsedBytes += usage.usedSize;
      workerBackingStoreBytes += usage.backingStorageSize ?? 0;
    }
    return { pageJsHeapUsedBytes, workers, workerJsHeapUsedBytes, workerBackingStoreBytes };
  }

  /**
   * performance.measureUserAgentSpecificMemory covers every frame and worker
   * of the page, but only a cross-origin isolated page has it (COOP + COEP
   * headers, which a plain static host does not send). Returns bytes, or
   * null and why.
   */
  static async userAgentSpecificMemory(page) {
    return page.evaluate(async () => {
      if (!self.crossOriginIsolated) return { bytes: null, why: 'the page is not cross-origin isolated (no COOP/COEP headers from a plain static host)' };
      if (!performance.measureUserAgentSpecificMemory) return { bytes: null, why: 'this browser has no performance.measureUserAgentSpecificMemory' };
      const result = await performance.measureUserAgentSpecificMemory();
      return { bytes: result.bytes, why: null };
    });
  }
}

/**
 * A CDP client of its own on the browser's debugging port (the browser is
 * launched with --remote-debugging-port). Playwright's CDP sessions cannot
 * send to flattened child sessions, and the browser target auto-attaches
 * only flattened; this one can. send(method, params, sessionId) -> result;
 * on(handler) receives every event ({ method, params, sessionId }).
 */
export class RawCdp {
  #socket;
  #pending = new Map();
  #nextId = 1;
  #handlers = new Set();

  static async connect(port) {
    const { webSocketDebuggerUrl } = await (await fetch(`http://127.0.0.1:${port}/json/version`)).json();
    const socket = new WebSocket(webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach the browser's debugging port ${port}`)), { once: true });
    });
    return new RawCdp(socket);
  }

  constructor(socket) {
    this.#socket = socket;
    socket.addEventListener('message', ({ data }) => {
      const message = JSON.parse(String(data));
      if (message.id === undefined) return this.#handlers.forEach((handler) => handler(message));
      const settle = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      settle?.(message);
    });
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
      this.#socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  on(handler) {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  close() {
    this.#socket.close();
  }
}

/**
 * The workers that are not a page's children: the SharedWorker the five
 * embeds share, and the service worker. CDP reaches them only from the
 * browser target, so a page's throttling and byte count miss them. This
 * auto-attaches to them (they wait for it before running), gives them the
 * visit's network conditions, counts their bytes and reads the shared
 * workers' heaps. detach() stops it.
 */
export class BrowserWorkers {
  #cdp;
  #conditions;
  #children = new Map(); // sessionId -> target type
  #stopListening;
  transferredBytes = 0;
  errors = new Set();

  /** @param {RawCdp} cdp */
  static async attach(cdp, link) {
    const workers = new BrowserWorkers(cdp, Instrument.conditions(link));
    await cdp.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
      filter: [{ type: 'shared_worker' }, { type: 'service_worker' }, { exclude: true }],
    });
    return workers;
  }

  constructor(cdp, conditions) {
    this.#cdp = cdp;
    this.#conditions = conditions;
    this.#stopListening = cdp.on((message) => this.#onEvent(message));
  }

  #onEvent({ method, params, sessionId }) {
    if (method === 'Target.attachedToTarget') this.#onChild(params).catch((error) => this.errors.add(error.message));
    else if (method === 'Target.detachedFromTarget') this.#children.delete(params.sessionId);
    else if (method === 'Network.loadingFinished' && this.#children.has(sessionId)) this.transferredBytes += params.encodedDataLength;
  }

  async #onChild({ sessionId, targetInfo }) {
    this.#children.set(sessionId, targetInfo.type);
    try {
      await this.#cdp.send('Network.enable', {}, sessionId);
      await this.#cdp.send('Network.emulateNetworkConditions', this.#conditions, sessionId).catch((error) => this.errors.add(error.message));
    } finally {
      await this.#cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
    }
  }

  /** JS heap in use and ArrayBuffers (the wasm memory among them) of the shared workers, after a GC. */
  async memory() {
    let sharedWorkers = 0;
    let jsHeapUsedBytes = 0;
    let backingStoreBytes = 0;
    for (const [sessionId, type] of this.#children) {
      if (type !== 'shared_worker') continue;
      await this.#cdp.send('HeapProfiler.collectGarbage', {}, sessionId).catch(() => {});
      const usage = await this.#cdp.send('Runtime.getHeapUsage', {}, sessionId).catch((error) => {
        this.errors.add(error.message);
        return null;
      });
      if (!usage) continue;
      sharedWorkers += 1;
      jsHeapUsedBytes += usage.usedSize;
      backingStoreBytes += usage.backingStorageSize ?? 0;
    }
    return { sharedWorkers, jsHeapUsedBytes, backingStoreBytes };
  }

  async detach() {
    await this.#cdp.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: true }).catch(() => {});
    for (const sessionId of this.#children.keys()) await this.#cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    this.#stopListening();
  }
}
