// Five <embedding-explorer> widgets on one course page (issue 11, section
// 2): a course site at another origin, under its strict CSP, embeds five
// widgets that ask five questions. Their iframes share one SharedWorker, so
// the table and the module are downloaded once and held once. The
// explorer's server sends Cache-Control: no-store here, so the browser's
// HTTP cache cannot hide a second download: the server's own count is the
// figure. Service workers are blocked, so their cache cannot hide it either
// (offline.test.js tests them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { readFileSync } from 'node:fs';
import { defaultTable } from '../js/paths.js';
import { launchBrowser, resultWords } from './browser.js';
import { SUB_PATH, startCourseServer, startServer } from './server.js';

// The widgets' questions; each one's answer is computed by the core in Node.
const WIDGETS = [
  { attribute: 'query', value: 'king - man + woman', ask: (ex) => ex.expression('king - man + woman', { k: 1 }) },
  { attribute: 'query', value: 'paris - france + italy', ask: (ex) => ex.expression('paris - france + italy', { k: 1 }) },
  { attribute: 'word', value: 'frog', ask: (ex) => ex.neighbors('frog', { k: 1 }) },
  { attribute: 'analogy', value: 'man king woman', ask: (ex) => ex.analogy('man', 'king', 'woman', { k: 1 }) },
  { attribute: 'query', value: 'walking - walk + swim', ask: (ex) => ex.expression('walking - walk + swim', { k: 1 }) },
];

let explorer;
let course;
let browser;
const requests = [];
const problems = [];
let expected;

beforeAll(async () => {
  explorer = await startServer({ cacheControl: 'no-store', onRequest: (path) => requests.push(path) });
  course = await startCourseServer(explorer.origin);
  const script = `<script src="${explorer.origin}${SUB_PATH}embedding-explorer.js"></script>`;
  const widgets = WIDGETS.map(({ attribute, value }) => `<embedding-explorer ${attribute}="${value}" height="420"></embedding-explorer>`).join('\n');
  course.addPage('/unit-3/five-widgets.html', 'Unit 3: five questions', `${script}\n${widgets}`);
  browser = await launchBrowser();
  const core = await EmbeddingExplorer.create();
  core.load(readFileSync(defaultTable));
  expected = WIDGETS.map((w) => w.ask(core).results[0].word);
  core.dispose();
});

afterAll(async () => {
  await browser?.close();
  await course?.close();
  await explorer?.close();
});

describe('five widgets on one course page', () => {
  it('download the table and the module once, run one worker, and all five answer', async () => {
    // Tall enough that every lazy iframe is in view at once.
    const context = await browser.newContext({ viewport: { width: 1200, height: 2600 }, serviceWorkers: 'block' });
    const cdp = await browser.newBrowserCDPSession();
    try {
      const page = await context.newPage();
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`${course.origin}/unit-3/five-widgets.html`);
      await page.waitForFunction(() => [...document.querySelectorAll('embedding-explorer')].every((el) => el.dataset.state === 'ready'), null, { timeout: 90_000 });

      const frames = page.frames().filter((f) => f.url().includes('/embed.html'));
      expect(frames).toHaveLength(5);
      const answers = await Promise.all(frames.map(async (f) => (await resultWords(f.locator('body')))[0]));
      // Frames come in document order, as the widgets do.
      expect(answers).toEqual(expected);

      const count = (pattern) => requests.filter((p) => pattern.test(p)).length;
      // The default table and the module, whatever their encodings.
      expect(count(/\/assets\/glove-6b-100d-50k[\w.-]*$/)).toBe(1);
      expect(count(/\/assets\/explorer_core[\w.-]*$/)).toBe(1);
      expect(requests.filter((p) => /\/assets\/worker-[\w-]+\.js$/.test(p))).toHaveLength(1);
      const { targetInfos } = await cdp.send('Target.getTargets');
      expect(targetInfos.filter((t) => t.type === 'shared_worker')).toHaveLength(1);
      expect(targetInfos.filter((t) => t.type === 'worker')).toHaveLength(0);
      expect(problems).toEqual([]);
    } finally {
      await cdp.detach();
      await context.close();
    }
  }, 120_000);
});
