// "What this view keeps" in the built page (issue 8, section 3), driven
// through the UI: PCA's variance per axis and in total, as the worker
// computes it; neighbour preservation and trustworthiness after a t-SNE
// layout, checked against an exact float32 computation written here over
// the table's own vectors; colouring by each point's recall; and the
// selected word's edges to its true 10 nearest neighbours, split into near
// and far on screen.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { sequentialColor } from '../../web/src/view/palette.js';
import { fullNeighbours, referenceFaithfulness, screenNeighbours, unitRows } from '../js/faithfulness-reference.js';
import { defaultTable, repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
let server;
let browser;
let ex;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  ex = await EmbeddingExplorer.create();
  ex.load(readFileSync(defaultTable));
});

afterAll(async () => {
  ex?.dispose();
  await browser?.close();
  await server?.close();
});

async function open(search) {
  const page = await openPage(`${SUB_PATH}index.html${search}`);
  await waitReady(page);
  return page;
}

const settled = (page) => page.evaluate(() => window.explorerApp.settled());
const readout = (page) => page.evaluate(() => ({
  variance: document.querySelector('#faithfulness-variance').textContent,
  neighbours: document.querySelector('#faithfulness-neighbours').textContent,
  selected: document.querySelector('#faithfulness-selected').textContent,
  state: document.querySelector('#faithfulness').dataset.state,
}));
const measured = (page, timeout = 120_000) =>
  page.waitForFunction(() => document.querySelector('#faithfulness')?.dataset.state === 'done' && window.explorerApp.faithfulness.report, null, { timeout });

/** The shown ids and their layout (n x 3) as the plot holds them. */
const shownLayout = (page) =>
  page.evaluate(() => {
    const app = window.explorerApp;
    return { ids: [...app.pointSet.ids], positions: Array.from(app.plot.positions.raw), words: app.pointWords };
  });

/** "Neighbour preservation 0.123, trustworthiness 0.876" -> numbers. */
function figures(text) {
  const m = text.match(/Neighbour preservation (\d\.\d{3}), trustworthiness (\d\.\d{3}) \(k = 10, ([\d,]+) words\)/);
  expect(m, text).not.toBeNull();
  return { recall: Number(m[1]), trustworthiness: Number(m[2]), words: Number(m[3].replace(/,/g, '')) };
}

function checkAgainstReference(shown, fig, pageRecall) {
  const { units, dims } = unitRows(ex, shown.ids);
  const started = performance.now();
  const ref = referenceFaithfulness(units, dims, Float32Array.from(shown.positions), 3, 10);
  console.log(
    `${shown.ids.length} words: page recall ${fig.recall}, trustworthiness ${fig.trustworthiness}; ` +
      `reference ${ref.mean.toFixed(4)}, ${ref.trustworthiness.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(1)} s in JS)`,
  );
  expect(fig.words).toBe(shown.ids.length);
  for (const x of [fig.recall, fig.trustworthiness]) {
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(1);
  }
  // The page rounds to 3 decimals; float32 near-ties may flip a neighbour or two.
  expect(Math.abs(fig.recall - ref.mean)).toBeLessThan(0.003);
  expect(Math.abs(fig.trustworthiness - ref.trustworthiness)).toBeLessThan(0.002);
  const agree = pageRecall.filter((r, i) => Math.abs(r - ref.recall[i]) < 1e-6).length;
  expect(agree / pageRecall.length).toBeGreaterThan(0.99);
  return { units, dims };
}

describe('what this view keeps', () => {
  it('PCA shows each axis its share of the variance and their total, as the worker computes them, then neighbour figures', async () => {
    const page = await open('?q=king+-+man+%2B+woman&n=1000');
    await measured(page);
    const { variance, neighbours } = await readout(page);
    const m = variance.match(/^x (\d+\.\d) %, y (\d+\.\d) %, z (\d+\.\d) % — (\d+\.\d) % of the variance\.$/);
    expect(m, variance).not.toBeNull();
    const [x, y, z, total] = m.slice(1).map(Number);
    expect(Math.abs(x + y + z - total)).toBeLessThanOrEqual(0.15); // each rounded to 0.1
    const explained = await page.evaluate(async () => {
      const app = window.explorerApp;
      const out = await app.client.call('project', { ids: app.pointSet.ids, method: 'pca' });
      return Array.from(out.explained);
    });
    expect([x, y, z]).toEqual(explained.slice(0, 3).map((share) => Number((share * 100).toFixed(1))));
    expect(total).toBe(Number((explained.slice(0, 3).reduce((a, b) => a + b, 0) * 100).toFixed(1)));
    console.log(`PCA of 1,000 words: ${variance} ${neighbours.split('.').slice(0, 3).join('.')}`);
    // The neighbour figures describe this very layout.
    const shown = await shownLayout(page);
    const recall = await page.evaluate(() => Array.from(window.explorerApp.faithfulness.report.recall));
    checkAgainstReference(shown, figures(neighbours), recall);
    expect(problems).toEqual([]);
  });

  it('t-SNE: recall and trustworthiness after the layout, colour by recall, and the selected word\'s true neighbours as edges', async () => {
    const page = await open('?q=king+-+man+%2B+woman');
    await page.fill('#point-count', '500');
    await page.dispatchEvent('#point-count', 'change');
    await settled(page);
    await page.selectOption('#projection', 'tsne');
    // While t-SNE runs, no figures of the PCA that came before.
    await page.waitForFunction(() => /^iteration/.test(document.querySelector('#tsne-status').textContent), null, { timeout: 60_000 });
    expect((await readout(page)).neighbours).toMatch(/come when the layout finishes/);
    await page.waitForFunction(() => document.querySelector('#tsne-status').textContent.startsWith('done'), null, { timeout: 180_000 });
    await measured(page);
    const { variance, neighbours } = await readout(page);
    expect(variance).toBe(''); // t-SNE has no axes to share variance among
    expect(neighbours).toMatch(/trustworthiness near 1 means/);
    const shown = await shownLayout(page);
    expect(await page.evaluate(() => window.explorerApp.faithfulness.report.proj)).toBe('tsne');
    const recall = await page.evaluate(() => Array.from(window.explorerApp.faithfulness.report.recall));
    checkAgainstReference(shown, figures(neighbours), recall);

    // Colour by recall: each point takes its own recall's colour on the sequential scale.
    const coloursBefore = await page.evaluate(() => Array.from(window.explorerApp.plot.pointsLayer.colors));
    await page.selectOption('#colour-by', ':neighbour-recall');
    await settled(page);
    const colours = await page.evaluate(() => Array.from(window.explorerApp.plot.pointsLayer.colors));
    expect(colours).not.toEqual(coloursBefore);
    recall.forEach((r, i) => {
      const want = sequentialColor(r);
      for (let c = 0; c < 3; c++) expect(colours[3 * i + c]).toBeCloseTo(want[c], 5);
    });
    const legend = await page.locator('#legend').textContent();
    expect(legend).toMatch(/^neighbour recall:0\s*1$/);
    expect(await page.locator('#legend .legend-scale').count()).toBe(1);

    // Click a word: exactly 10 edges, to its true 10 nearest in the full space.
    const index = shown.words.indexOf('city');
    expect(index).toBeGreaterThanOrEqual(0);
    // Where the word is once the view holds still (the camera eases to fit a new layout), and a click there selects it.
    const box = await page.locator('#plot canvas').boundingBox();
    await expect
      .poll(async () => {
        const at = await page.evaluate((i) => window.explorerApp.plot.screenPosition(i), index);
        await page.waitForTimeout(250);
        const still = await page.evaluate((i) => window.explorerApp.plot.screenPosition(i), index);
        if (!at || !still || Math.hypot(at.x - still.x, at.y - still.y) > 0.5) return null;
        await page.mouse.click(box.x + still.x, box.y + still.y);
        await settled(page);
        return page.evaluate(() => window.explorerApp.store.get().sel ?? null);
      }, { timeout: 30_000 })
      .not.toBeNull();
    // The word's neighbours join the points, so t-SNE lays them out again; the edges come with its figures.
    await page.waitForFunction(
      () => {
        const app = window.explorerApp;
        return document.querySelector('#tsne-status').textContent.startsWith('done') && app.faithfulness.reportFor(app.pointSet) && app.plot.edgesLayer.edges;
      },
      null,
      { timeout: 180_000 },
    );
    const selected = await page.evaluate(() => window.explorerApp.store.get().sel);
    const now = await shownLayout(page);
    const row = now.words.indexOf(selected);
    expect(row).toBeGreaterThanOrEqual(0);
    const edges = await page.evaluate(() => window.explorerApp.plot.edgesLayer.edges);
    expect(edges.from).toBe(row);
    expect(edges.near.length + edges.far.length).toBe(10);
    const rows = unitRows(ex, now.ids);
    const truth = fullNeighbours(rows.units, rows.dims, row, 10);
    expect(new Set([...edges.near, ...edges.far].map((j) => now.words[j]))).toEqual(new Set(truth.map((j) => now.words[j])));
    const onScreen = new Set(screenNeighbours(Float32Array.from(now.positions), 3, row, 10));
    expect(edges.near.every((j) => onScreen.has(j))).toBe(true);
    expect(edges.far.some((j) => onScreen.has(j))).toBe(false);
    const rowRecall = await page.evaluate((i) => window.explorerApp.faithfulness.report.recall[i], row);
    expect(edges.near.length / 10).toBeCloseTo(rowRecall, 6);
    // Recoloured by the new layout's recall, without being asked again.
    const recoloured = await page.evaluate((i) => Array.from(window.explorerApp.plot.pointsLayer.colors.slice(3 * i, 3 * i + 3)), row);
    sequentialColor(rowRecall).forEach((c, k) => expect(recoloured[k]).toBeCloseTo(c, 5));
    const text = (await readout(page)).selected;
    console.log(text);
    await page.screenshot({ path: join(artifacts, 'faithfulness-tsne-recall.png') });
    expect(text).toContain(`${selected}: of its 10 nearest neighbours in the full space`);
    expect(text).toContain(`${edges.near.length} ${edges.near.length === 1 ? 'is' : 'are'} near it on screen too`);
    expect(problems).toEqual([]);
  });

  it('a new layout cancels the measurement of the old one, and the figures belong to the new one', async () => {
    const page = await open('?q=king+-+man+%2B+woman&n=5000');
    await page.waitForFunction(() => document.querySelector('#faithfulness')?.dataset.state === 'running', null, { timeout: 60_000 });
    // Record what the page sends the worker from here on.
    await page.evaluate(() => {
      const worker = window.explorerApp.client.worker;
      const post = worker.postMessage.bind(worker);
      window.sentToWorker = [];
      worker.postMessage = (message, transfer) => {
        window.sentToWorker.push({ id: message.id, type: message.type });
        return post(message, transfer);
      };
    });
    await page.selectOption('#projection', 'pca-table');
    await measured(page);
    // The PCA's measurement was stopped (abort), not left to run to its end.
    const sent = await page.evaluate(() => window.sentToWorker);
    const aborted = sent.filter((m) => m.type === 'abort');
    expect(aborted).toHaveLength(1);
    const measurements = sent.filter((m) => m.type === 'faithfulness');
    expect(measurements).toHaveLength(1); // the new layout's
    expect(aborted[0].id).toBeLessThan(measurements[0].id);
    const report = await page.evaluate(() => {
      const r = window.explorerApp.faithfulness.report;
      return { proj: r.proj, positions: Array.from(r.positions.slice(0, 30)), seconds: r.seconds };
    });
    console.log(`measuring 5,002 words took ${report.seconds.toFixed(2)} s in the worker`);
    expect(report.proj).toBe('pca-table');
    const shown = await page.evaluate(() => Array.from(window.explorerApp.plot.positions.raw.slice(0, 30)));
    report.positions.forEach((v, i) => expect(v).toBeCloseTo(shown[i], 5));
    const { variance, neighbours } = await readout(page);
    console.log(`PCA of the whole table, 5,000 words: ${variance} ${neighbours.split('.').slice(0, 3).join('.')}`);
    expect(variance).toMatch(/ of the whole table's variance/);
    expect(problems).toEqual([]);
  });
});
