// The 3D view in the built page (Chromium, software WebGL, strict CSP):
// word-group colours survive result markers, labels never overlap and the
// answer's label sits by its dot, and the view works from the keyboard.
// Figures are printed; the assertions are about behaviour.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORD_GROUPS } from '../../web/src/ui/presets.js';
import { repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const artifacts = join(repoRoot, 'tests', 'artifacts');
const ANALOGY_WITH_GROUPS = `${SUB_PATH}index.html?q=king%20-%20man%20%2B%20woman&group=all`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page, waits for the first answer and for the projection tween to end. */
async function openSettled(path, options) {
  const page = await openPage(path, options);
  await waitReady(page);
  await page.evaluate(() => window.explorerApp.settled?.());
  await page.waitForTimeout(1200);
  return page;
}

/** Point indices of words in the page (the page's own lookup, old or new). */
function indicesOf(page, words) {
  return page.evaluate((list) => {
    const app = window.explorerApp;
    const find = (w) => (app.pointIndex ? app.pointIndex(w) : app.indexOfWord?.get(w));
    return list.map((w) => find(w) ?? null);
  }, words);
}

/** Waits until the view has rendered twice (labels are placed in onRender). */
const nextFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** The labels shown in the plot: text and rect relative to the plot, overlapping pairs. */
function shownLabels(page) {
  return page.evaluate(() => {
    const plot = window.explorerApp.plot;
    const base = plot.container.getBoundingClientRect();
    const pills = [...plot.labelsLayer.root.querySelectorAll('span')].filter((s) => s.offsetParent !== null);
    const labels = pills.map((s) => {
      const r = s.getBoundingClientRect();
      return { text: s.textContent, x0: r.left - base.left, y0: r.top - base.top, x1: r.right - base.left, y1: r.bottom - base.top, weight: getComputedStyle(s).fontWeight };
    });
    let pairs = 0;
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i];
        const b = labels[j];
        if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) pairs++;
      }
    }
    return { labels, pairs };
  });
}

/** Distance in px from a point to the nearest edge of a label box (0 inside). */
const boxDistance = (p, b) => Math.hypot(Math.max(b.x0 - p.x, 0, p.x - b.x1), Math.max(b.y0 - p.y, 0, p.y - b.y1));

/** RGB (0..255) of the plot's pixels at the given plot-relative points, from a screenshot. */
async function pixelsAt(page, points) {
  const png = await page.locator('#plot').screenshot();
  const decoder = await browser.newPage();
  try {
    return await decoder.evaluate(
      async ({ base64, points }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${base64}`;
        await image.decode();
        const canvas = new OffscreenCanvas(image.width, image.height);
        const ctx = canvas.getContext('2d');
        ctx.drawImage(image, 0, 0);
        return points.map(({ x, y }) => Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)));
      },
      { base64: png.toString('base64'), points },
    );
  } finally {
    await decoder.close();
  }
}

describe('the 3D view in the page', () => {
  it('keeps each word group colour visible when the group words are also results', async () => {
    const page = await openSettled(ANALOGY_WITH_GROUPS);
    const groupWords = WORD_GROUPS.flatMap((g) => g.words);
    const groupIndices = (await indicesOf(page, groupWords)).filter((i) => i !== null);
    expect(groupIndices.length).toBeGreaterThan(60);
    // The worst case of the defect: every group word is also a result, so
    // each carries a result marker. Its own colour must show inside it.
    const samples = await page.evaluate((indices) => {
      const plot = window.explorerApp.plot;
      plot.setHighlights({ results: indices });
      const c = plot.pointsLayer.colors;
      return indices.map((i) => ({ index: i, own: [0, 1, 2].map((k) => Math.round(255 * c[3 * i + k])), at: plot.screenPosition(i) }));
    }, groupIndices);
    await nextFrames(page);
    const pixels = await pixelsAt(page, samples.map((s) => s.at));
    const near = (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) < 60;
    const matching = samples.filter((s, k) => near(pixels[k], s.own));
    const ownColours = new Set(samples.map((s) => s.own.join(',')));
    const coloursSeen = new Set(matching.map((s) => s.own.join(',')));
    console.log(
      `group words drawn in their own colour inside a result marker: ${matching.length} of ${samples.length}; ` +
        `${coloursSeen.size} of ${ownColours.size} group colours seen`,
    );
    expect(ownColours.size).toBeGreaterThanOrEqual(7);
    expect(matching.length / samples.length).toBeGreaterThan(0.7);
    expect(coloursSeen.size).toBe(ownColours.size);
    await page.close();
  });

  it('shows labels without overlap, the answer bold and next to its dot', async () => {
    const page = await openSettled(ANALOGY_WITH_GROUPS);
    const [queen] = await indicesOf(page, ['queen']);
    expect(queen).not.toBeNull();

    const measure = async (what) => {
      await nextFrames(page);
      const { labels, pairs } = await shownLabels(page);
      const dot = await page.evaluate((i) => window.explorerApp.plot.screenPosition(i), queen);
      const answer = labels.find((l) => l.text === 'queen');
      const distance = answer ? boxDistance(dot, answer) : Infinity;
      console.log(`${what}: ${labels.length} labels shown, ${pairs} overlapping pairs, "queen" label ${distance.toFixed(1)} px from its dot`);
      expect(pairs).toBe(0);
      expect(answer, 'the answer is labelled').toBeTruthy();
      expect(distance).toBeLessThanOrEqual(24);
      return answer;
    };
    await measure('as the page draws it');
    // Every group word named where there is room, as the issue found it (89 labels).
    const groupIndices = (await indicesOf(page, WORD_GROUPS.flatMap((g) => g.words))).filter((i) => i !== null);
    const words = ['queen', 'monarch', 'throne', 'daughter', 'princess', 'prince', 'elizabeth', 'wife', 'mother', 'sister'];
    const results = (await indicesOf(page, words)).filter((i) => i !== null);
    const inputs = (await indicesOf(page, ['king', 'man', 'woman'])).filter((i) => i !== null);
    await page.evaluate(({ results, inputs, groupIndices }) => window.explorerApp.plot.setHighlights({ results, inputs, labelled: groupIndices }), { results, inputs, groupIndices });
    const answer = await measure(`results, inputs and all ${groupIndices.length} group words`);
    expect(Number(answer.weight)).toBeGreaterThanOrEqual(700);
    // Orbit: still no overlap and the answer still by its dot.
    await page.evaluate(() => window.explorerApp.plot.rig.orbit(0.6, 0.2));
    await measure('after an orbit');
    const culled = await page.evaluate(() => window.explorerApp.plot.culledLabels.length);
    console.log(`labels culled for lack of room (named on hover and focus): ${culled}`);
    await page.close();
  });

  it('can be reached and used from the keyboard', async () => {
    const page = await openSettled(`${SUB_PATH}index.html?q=king%20-%20man%20%2B%20woman`);
    const plotAttributes = await page.evaluate(() => {
      const c = document.getElementById('plot');
      return { tabindex: c.getAttribute('tabindex'), role: c.getAttribute('role'), label: c.getAttribute('aria-label'), description: document.getElementById(c.getAttribute('aria-describedby'))?.textContent };
    });
    expect(plotAttributes.tabindex).toBe('0');
    expect(plotAttributes.role).toBe('application');
    expect(plotAttributes.label).toBeTruthy();
    expect(plotAttributes.description).toMatch(/Arrow keys orbit/);

    // Reach it with Tab (at most 60 stops) and see a focus outline.
    let focused = false;
    for (let k = 0; k < 60 && !focused; k++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id === 'plot');
    }
    expect(focused, 'Tab reaches the 3D view').toBe(true);
    expect(await page.evaluate(() => document.getElementById('plot').style.outlineStyle)).toBe('solid');

    const camera = () => page.evaluate(() => {
      const plot = window.explorerApp.plot;
      return { position: plot.camera.position.toArray(), distance: plot.rig.distance };
    });
    const before = await camera();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    const orbited = await camera();
    const moved = Math.hypot(...orbited.position.map((v, k) => v - before.position[k]));
    expect(moved).toBeGreaterThan(0.1);
    expect(Math.abs(orbited.distance - before.distance)).toBeLessThan(1e-3); // orbit keeps the distance
    await page.keyboard.press('+');
    await page.keyboard.press('PageUp');
    const zoomedIn = await camera();
    expect(zoomedIn.distance).toBeLessThan(orbited.distance * 0.8);
    await page.keyboard.press('-');
    expect((await camera()).distance).toBeGreaterThan(zoomedIn.distance);

    // Step: the answer first, then the inputs; the live region names each.
    const live = () => page.locator('#plot [data-role="view-announcer"]').textContent();
    await page.keyboard.press(']');
    await expect.poll(live).toMatch(/^queen, result 1 of \d+/);
    await page.keyboard.press('n');
    const second = await live();
    expect(second).toMatch(/input/);
    await page.keyboard.press('p');
    await expect.poll(live).toMatch(/^queen/);
    console.log(`live region after stepping: "${await live()}"`);

    // Enter selects the focused point through onSelect, as a click would.
    const selected = await page.evaluate(() => {
      const plot = window.explorerApp.plot;
      const original = plot._onSelect;
      const calls = [];
      plot._onSelect = (index) => calls.push(index);
      document.getElementById('plot').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      plot._onSelect = original;
      return { calls, focused: plot.focused };
    });
    expect(selected.calls).toEqual([selected.focused]);
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => window.explorerApp.plot.focused)).toBeNull();

    // focusPoint brings a point that is out of view back into view.
    const inView = await page.evaluate(async () => {
      const plot = window.explorerApp.plot;
      for (let k = 0; k < 12; k++) plot.rig.zoom(0.7);
      // The point farthest from the centre of the view.
      let far = 0;
      let best = -1;
      for (let i = 0; i < plot.count; i++) {
        const p = plot.screenPosition(i);
        const d = p ? Math.hypot(p.x - plot._width / 2, p.y - plot._height / 2) : Infinity;
        if (d > best) [best, far] = [d, i];
      }
      const was = plot.screenPosition(far);
      plot.focusPoint(far);
      await new Promise((r) => setTimeout(r, 900));
      const now = plot.screenPosition(far);
      const inside = (p) => p && p.x > 0 && p.y > 0 && p.x < plot._width && p.y < plot._height;
      return { wasInside: !!inside(was), nowInside: !!inside(now), focused: plot.focused === far };
    });
    expect(inView).toEqual({ wasInside: false, nowInside: true, focused: true });

    // axe-core on the 3D view: no serious or critical violation.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run('#plot', { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    console.log(`axe-core on #plot: ${violations.length ? JSON.stringify(violations) : 'no violations'}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.close();
  });

  it('takes screenshots of the word groups and the default analogy, wide and narrow', async () => {
    for (const [name, path] of [
      ['groups', `${SUB_PATH}index.html?group=all`],
      ['analogy-groups', ANALOGY_WITH_GROUPS],
      ['analogy', `${SUB_PATH}index.html`],
    ]) {
      for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
        const page = await openSettled(path, { viewport });
        await page.locator('#plot').scrollIntoViewIfNeeded();
        await nextFrames(page);
        const file = join(artifacts, `view-${name}-${viewport.width}x${viewport.height}.png`);
        await page.screenshot({ path: file });
        await page.locator('#plot').screenshot({ path: file.replace('.png', '-plot.png') });
        const { labels, pairs } = await shownLabels(page);
        console.log(`${name} at ${viewport.width}x${viewport.height}: ${labels.length} labels, ${pairs} overlapping pairs`);
        expect(pairs).toBe(0);
        await page.close();
      }
    }
  });

  it('logged no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
