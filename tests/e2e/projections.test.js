// Issue 8 §4 in the built page (Chromium, strict CSP), through the UI:
// UMAP in the projection menu, drawn while it runs, with Pause/Resume and
// cancel; n_neighbors, min_dist and t-SNE perplexity as fields that restart
// the layout and live in the URL; the 2D/3D switch (2D: every z is 0 and
// rotation is off); notes that name a bad value from a link; UMAP keeps
// the word groups together in the page; and how long t-SNE and UMAP of
// 5,000 and 20,000 points take here (printed, not asserted).
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUPS, group as groupOf, words as groupWords } from '../js/word-groups.js';
import { launchBrowser, pageOpener, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

let server;
let browser;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(search) {
  const page = await openPage(`${SUB_PATH}index.html${search}`);
  await waitReady(page);
  await page.evaluate(() => window.explorerApp.settled());
  // Every layout request the page sends from now on, without its ids.
  await page.evaluate(() => {
    const client = window.explorerApp.client;
    const call = client.call.bind(client);
    window.__layouts = [];
    client.call = (type, args, ...rest) => {
      if (type === 'tsne' || type === 'umap') window.__layouts.push({ type, count: args.ids.length, ...args, ids: undefined });
      return call(type, args, ...rest);
    };
  });
  return page;
}

const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);
const status = (page) => page.locator('#tsne-status').textContent();
const message = (page) => page.locator('#message').textContent();
const layoutCalls = (page) => page.evaluate(() => window.__layouts);
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The step count in the status ("epoch 35 of 500" -> 35), or null. */
const stepOf = (text) => {
  const match = /^(?:epoch|iteration) (\d+) of (\d+)/.exec(text);
  return match ? Number(match[1]) : null;
};

/** The raw positions the plot holds (n*3) and its camera state. */
const plotState = (page) =>
  page.evaluate(() => {
    const plot = window.explorerApp.plot;
    const { camera, controls } = plot.rig;
    const direction = camera.position.clone().sub(controls.target).normalize();
    return {
      raw: Array.from(plot.positions.raw),
      world: Array.from(plot.positions.world),
      direction: [direction.x, direction.y, direction.z],
      target: [controls.target.x, controls.target.y, controls.target.z],
      distance: camera.position.distanceTo(controls.target),
      rotate: controls.enableRotate,
    };
  });

const zs = (positions) => positions.filter((_, i) => i % 3 === 2);

/** Drags across the middle of the plot and returns the camera's direction before and after. */
async function dragAcrossPlot(page) {
  const box = await page.locator('#plot').boundingBox();
  const before = (await plotState(page)).direction;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++) await page.mouse.move(x + step * 20, y + step * 8);
  await page.mouse.up();
  await wait(400); // damping settles
  const after = await plotState(page);
  return { before, after: after.direction, target: after.target };
}

const angleBetween = (a, b) => (Math.acos(Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])) * 180) / Math.PI;

/** Mean share of each group word's k nearest drawn neighbours (among the group words) from its own group. */
function sameGroupShare(raw, indexOf, k) {
  const points = groupWords.map((w, i) => ({ at: indexOf[i], group: groupOf[i] })).filter((p) => p.at !== null);
  let share = 0;
  for (const p of points) {
    const order = points
      .filter((q) => q !== p)
      .map((q) => [Math.hypot(...[0, 1, 2].map((c) => raw[3 * p.at + c] - raw[3 * q.at + c])), q.group])
      .sort((a, b) => a[0] - b[0]);
    share += order.slice(0, k).filter(([, g]) => g === p.group).length / k;
  }
  return { share: share / points.length, count: points.length };
}

describe('UMAP in the page', () => {
  it('runs from the menu, draws while it runs, pauses, resumes, restarts on new parameters and stops for another projection', async () => {
    const page = await open('?n=5000&word=frog');
    expect(await page.locator('#umap-params').isHidden()).toBe(true);
    const pcaPositions = (await plotState(page)).raw;
    await page.selectOption('#projection', 'umap');
    expect(params(page).proj).toBe('umap');
    expect(await page.locator('#umap-params').isVisible()).toBe(true);
    expect(await page.locator('#tsne-params').isHidden()).toBe(true);
    // Frames arrive: the status counts epochs and the points move.
    await page.waitForFunction(() => /^epoch \d+ of 500/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 60_000 });
    const early = stepOf(await status(page));
    const earlyPositions = (await plotState(page)).raw;
    expect(earlyPositions).not.toEqual(pcaPositions);
    await page.waitForFunction((seen) => {
      const match = /^epoch (\d+)/.exec(document.querySelector('#tsne-status').textContent);
      return match && Number(match[1]) >= seen + 10;
    }, early);
    expect((await plotState(page)).raw).not.toEqual(earlyPositions);

    // Pause holds the layout still; Resume goes on from the same epoch.
    await page.click('#tsne-pause');
    expect(await page.locator('#tsne-pause').textContent()).toBe('Resume');
    await wait(300); // frames already on their way
    const pausedStatus = await status(page);
    const pausedPositions = (await plotState(page)).raw;
    await wait(800);
    expect(await status(page)).toBe(pausedStatus);
    expect((await plotState(page)).raw).toEqual(pausedPositions);
    await page.click('#tsne-pause');
    expect(await page.locator('#tsne-pause').textContent()).toBe('Pause');
    await page.waitForFunction((seen) => {
      const match = /^(?:epoch (\d+)|done)/.exec(document.querySelector('#tsne-status').textContent);
      return match && (match[1] === undefined || Number(match[1]) > seen);
    }, stepOf(pausedStatus));

    // New n_neighbors and min_dist: the run restarts with them, and the URL keeps them.
    await page.fill('#neighbors', '30');
    await page.dispatchEvent('#neighbors', 'change');
    await page.fill('#min-dist', '0.5');
    await page.dispatchEvent('#min-dist', 'change');
    expect(params(page)).toMatchObject({ proj: 'umap', neighbors: '30', mindist: '0.5' });
    await page.waitForFunction(() => document.querySelector('#tsne-status').textContent.startsWith('done'), null, { timeout: 120_000 });
    const calls = await layoutCalls(page);
    expect(calls.at(-1)).toMatchObject({ type: 'umap', neighbors: 30, minDist: 0.5, dims: 3 });
    expect(calls.map((c) => c.neighbors)).toContain(30);
    expect(await page.locator('#tsne-pause').isHidden()).toBe(true);
    expect(await status(page)).toBe('done: 500 epochs');

    // Reloading the link gives the same values in the fields.
    await page.reload();
    await waitReady(page);
    expect(await page.inputValue('#projection')).toBe('umap');
    expect(await page.inputValue('#neighbors')).toBe('30');
    expect(await page.inputValue('#min-dist')).toBe('0.5');

    // Another projection stops the run: the toolbar goes and the points stay where PCA put them.
    await page.waitForFunction(() => /^epoch \d+/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 60_000 });
    await page.selectOption('#projection', 'pca');
    await page.evaluate(() => window.explorerApp.settled());
    await wait(800);
    expect(await page.locator('#tsne-controls').isHidden()).toBe(true);
    const placed = (await plotState(page)).raw;
    await wait(600);
    expect((await plotState(page)).raw).toEqual(placed);
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);

  it('keeps the word groups together in the page', async () => {
    const page = await open(`?words=${groupWords.join(',')}&group=all&proj=umap&dims=2`);
    await page.waitForFunction(() => document.querySelector('#tsne-status').textContent.startsWith('done'), null, { timeout: 120_000 });
    const indexOf = await page.evaluate((list) => list.map((w) => window.explorerApp.pointIndex(w) ?? null), groupWords);
    const { raw } = await plotState(page);
    const { share, count } = sameGroupShare(raw, indexOf, 3);
    const groups = Object.keys(GROUPS).length;
    console.log(`UMAP 2D in the page, ${count} words in ${groups} groups: same-group share of 3 nearest ${share.toFixed(3)} (chance about ${(1 / groups).toFixed(2)})`);
    expect(count).toBe(groupWords.length);
    expect(zs(raw).every((z) => z === 0)).toBe(true);
    expect(share).toBeGreaterThan(0.7);
    await page.close();
  }, 180_000);
});

describe('t-SNE perplexity', () => {
  it('is a field shown with t-SNE, restarts the run and lives in the URL', async () => {
    const page = await open('?n=1000&word=frog');
    await page.selectOption('#projection', 'tsne');
    expect(await page.locator('#tsne-params').isVisible()).toBe(true);
    expect(await page.locator('#umap-params').isHidden()).toBe(true);
    await page.fill('#perplexity', '12');
    await page.dispatchEvent('#perplexity', 'change');
    expect(params(page)).toMatchObject({ proj: 'tsne', perplexity: '12' });
    await page.waitForFunction(() => /^(iteration \d+ of 1000|done)/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 60_000 });
    expect((await layoutCalls(page)).at(-1)).toMatchObject({ type: 'tsne', perplexity: 12, dims: 3 });
    // Points other than those the URL asks for stop it too: the new run has the new count.
    await page.fill('#point-count', '800');
    await page.dispatchEvent('#point-count', 'change');
    await page.waitForFunction(() => document.querySelector('#tsne-status').textContent.startsWith('done'), null, { timeout: 120_000 });
    const calls = await layoutCalls(page);
    expect(calls.at(-1)).toMatchObject({ type: 'tsne', perplexity: 12 });
    expect(calls.at(-1).count).toBeLessThan(calls[0].count);
    expect(await status(page)).toBe('done: 1000 iterations');
    await page.close();
  }, 240_000);
});

describe('the 2D/3D switch', () => {
  it('flattens PCA onto its first two coordinates, faces the plane and turns rotation off', async () => {
    const page = await open('?n=1000&word=frog');
    const deep = await plotState(page);
    expect(deep.rotate).toBe(true);
    expect(zs(deep.raw).some((z) => z !== 0)).toBe(true);
    const turned = await dragAcrossPlot(page);
    expect(angleBetween(turned.before, turned.after)).toBeGreaterThan(5);

    await page.selectOption('#dims', '2');
    expect(params(page).dims).toBe('2');
    await page.evaluate(() => window.explorerApp.settled());
    await wait(1000); // the tween to the plane
    const flat = await plotState(page);
    expect(zs(flat.raw).every((z) => z === 0)).toBe(true);
    expect(zs(flat.world).every((z) => z === 0)).toBe(true);
    // x and y are PCA's first two coordinates, as in 3D.
    expect(flat.raw.filter((_, i) => i % 3 !== 2)).toEqual(deep.raw.filter((_, i) => i % 3 !== 2));
    expect(flat.rotate).toBe(false);
    expect(flat.direction[2]).toBeCloseTo(1, 6);
    const dragged = await dragAcrossPlot(page);
    expect(angleBetween(dragged.before, dragged.after)).toBeLessThan(1e-3);
    // A drag pans instead, in the plane, and the wheel still zooms.
    expect(Math.hypot(dragged.target[0], dragged.target[1])).toBeGreaterThan(0.05);
    expect(dragged.target[2]).toBeCloseTo(0, 6);
    const far = (await plotState(page)).distance;
    await page.mouse.wheel(0, -400);
    await wait(500);
    expect((await plotState(page)).distance).toBeLessThan(far * 0.95);
    // The arrow keys orbit in 3D; in 2D they leave the camera facing the plane.
    await page.locator('#plot').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await wait(300);
    expect((await plotState(page)).direction[2]).toBeCloseTo(1, 6);

    // Back to 3D: rotation and depth come back.
    await page.selectOption('#dims', '3');
    await page.evaluate(() => window.explorerApp.settled());
    await wait(1000);
    const again = await plotState(page);
    expect(again.rotate).toBe(true);
    expect(zs(again.raw).some((z) => z !== 0)).toBe(true);
    expect(params(page).dims).toBeUndefined();
    await page.close();
  }, 120_000);

  it('gives UMAP and t-SNE in the plane z = 0, the core laying them out in 2D', async () => {
    const page = await open('?n=1000&word=frog&dims=2');
    expect(await page.inputValue('#dims')).toBe('2');
    for (const [proj, unit] of [['umap', 'epochs'], ['tsne', 'iterations']]) {
      await page.selectOption('#projection', proj);
      await page.waitForFunction(() => /^(epoch|iteration) \d+/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 60_000 });
      const running = await plotState(page);
      expect(zs(running.raw).every((z) => z === 0)).toBe(true);
      expect(running.rotate).toBe(false);
      await page.waitForFunction(() => document.querySelector('#tsne-status').textContent.startsWith('done'), null, { timeout: 120_000 });
      expect(await status(page)).toBe(`done: ${proj === 'umap' ? 500 : 1000} ${unit}`);
      const done = await plotState(page);
      expect(zs(done.raw).every((z) => z === 0)).toBe(true);
      expect(done.raw.filter((_, i) => i % 3 !== 2).some((v) => Math.abs(v) > 1)).toBe(true);
      expect((await layoutCalls(page)).at(-1)).toMatchObject({ type: proj, dims: 2 });
      expect(params(page)).toMatchObject({ proj, dims: '2' });
    }
    await page.close();
  }, 240_000);
});

describe('values from a link', () => {
  it('names a bad perplexity, n_neighbors, min_dist or dims and shows the value used', async () => {
    const page = await open('?proj=umap&n=500&neighbors=500&perplexity=abc&mindist=-1&dims=4&word=frog');
    const text = await message(page);
    expect(text).toMatch(/UMAP n_neighbors must be from 2 to 100; 500 is out of range, so 100 is used/);
    expect(text).toMatch(/t-SNE perplexity must be a number from 5 to 50; "abc" is not one, so 30 is used/);
    expect(text).toMatch(/UMAP min_dist must be from 0 to 1; -1 is out of range, so 0 is used/);
    expect(text).toMatch(/2 or 3 dimensions; "4" is neither, so 3 is used/);
    expect(await page.inputValue('#neighbors')).toBe('100');
    expect(await page.inputValue('#min-dist')).toBe('0');
    expect(await page.inputValue('#dims')).toBe('3');
    expect(params(page)).toMatchObject({ neighbors: '100', mindist: '0' });
    expect(params(page).perplexity).toBeUndefined();
    expect(params(page).dims).toBeUndefined();
    // The run goes ahead with the values used.
    await page.waitForFunction(() => document.querySelector('#tsne-status').textContent.startsWith('done'), null, { timeout: 120_000 });
    await page.close();
  }, 180_000);
});

describe('t-SNE and UMAP of many points', () => {
  it('says beforehand how long a run past 10,000 points takes; prints the times of 5,000 and 20,000', async () => {
    const page = await open('?n=20000&word=frog');
    const figures = [];
    for (const n of [5000, 20000]) {
      await page.fill('#point-count', String(n));
      await page.dispatchEvent('#point-count', 'change');
      await page.evaluate(() => window.explorerApp.settled());
      for (const proj of ['tsne', 'umap']) {
        const started = Date.now();
        await page.selectOption('#projection', proj);
        await page.waitForFunction(() => document.querySelector('#tsne-status').textContent !== '', null, { polling: 20 });
        const first = await status(page);
        if (n > 10000) expect(first).toMatch(/finding neighbours \(\d\d,\d{3} points: about \d+ (s|min) in all\)/);
        else expect(first).not.toMatch(/about/);
        await page.waitForFunction(() => /^(epoch|iteration) \d+/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 300_000 });
        const firstFrame = (Date.now() - started) / 1000;
        await page.waitForFunction(() => document.querySelector('#tsne-status').textContent.startsWith('done'), null, { timeout: 600_000, polling: 250 });
        const seconds = (Date.now() - started) / 1000;
        const count = (await layoutCalls(page)).at(-1).count;
        figures.push({ proj, count, firstFrame, seconds, estimate: first });
        console.log(`${proj === 'tsne' ? 't-SNE' : 'UMAP'} of ${count.toLocaleString('en')} points in the page: first frame after ${firstFrame.toFixed(1)} s, done in ${seconds.toFixed(1)} s; status at the start: "${first}"; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
        await page.selectOption('#projection', 'pca');
        await page.evaluate(() => window.explorerApp.settled());
      }
    }
    expect(figures).toHaveLength(4);
    expect(problems).toEqual([]);
    await page.close();
  }, 1_800_000);
});
