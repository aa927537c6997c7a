// The faithfulness readout's own logic, without a browser: the variance
// text, the shares of a layout that reports none, the split of a word's
// true neighbours into near and far on screen, the recall colours, the
// edges layer's checks, and how a new layout cancels and drops the
// measurement of the old one (a fake client stands in for the worker).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaithfulnessPanel, coordinateVariances, layoutNeighbours, sharesFromPca, splitNeighbours, varianceReadout } from '../../web/src/ui/faithfulness-panel.js';
import { NEIGHBOUR_RECALL, PlotAdapter, recallColours } from '../../web/src/ui/plot-adapter.js';
import { SEQUENTIAL, hexToRgb01, sequentialColor } from '../../web/src/view/palette.js';
import { NeighbourEdgesLayer } from '../../web/src/view/neighbour-edges-layer.js';
import { screenNeighbours } from './faithfulness-reference.js';

/** A seeded uniform generator (mulberry32), so the layouts are the same every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('varianceReadout', () => {
  it('lists each axis and the total for PCA, and only the shown axes in 2D', () => {
    const out = varianceReadout({ proj: 'pca', explained: [0.081, 0.034, 0.029] });
    expect(out.text).toBe('x 8.1 %, y 3.4 %, z 2.9 % — 14.4 % of the variance.');
    expect(out.total).toBeCloseTo(0.144, 9);
    expect(varianceReadout({ proj: 'pca', dims: 2, explained: [0.081, 0.034, 0.029] }).text).toBe('x 8.1 %, y 3.4 % — 11.5 % of the variance.');
    expect(varianceReadout({ proj: 'pca-table', explained: [0.05, 0.03, 0.02] }).text).toMatch(/— 10.0 % of the whole table's variance/);
  });

  it('says named axes are chosen by words, gives no total (they may overlap) and names what the residual PCA carries', () => {
    const two = varianceReadout({ proj: 'axes', named: 2, explained: [0.012, 0.008, 0.061] });
    expect(two.total).toBeNull();
    expect(two.text).toBe("x and y are chosen by words, not to keep variance: x carries 1.2 %, y carries 0.8 % of these words' variance. z, PCA of what the named axes leave, carries 6.1 %.");
    const three = varianceReadout({ proj: 'axes', named: 3, explained: [0.01, 0.02, 0.03] });
    expect(three.text).not.toMatch(/PCA of what/);
    // Axes that fell back to PCA read as PCA.
    expect(varianceReadout({ proj: 'axes', named: 0, explained: [0.1, 0.05, 0.02] }).text).toMatch(/of the variance\.$/);
  });

  it('has nothing to say for t-SNE, UMAP or missing shares', () => {
    expect(varianceReadout({ proj: 'tsne', explained: [0.1, 0.1, 0.1] })).toBeNull();
    expect(varianceReadout({ proj: 'umap', explained: null })).toBeNull();
    expect(varianceReadout({ proj: 'analogy', explained: [] })).toBeNull();
    expect(varianceReadout({ proj: 'pca', explained: [NaN, 0, 0] })).toBeNull();
  });
});

describe('shares of a layout that reports none', () => {
  it('reads the total variance off a PCA of the same points', () => {
    // Points with variances 4, 1, 0.25 along x, y, z and 0.5 along a fourth
    // direction that the view leaves out: total 5.75.
    const next = random(7);
    const n = 4000;
    const full = [];
    for (let i = 0; i < n; i++) full.push([2, 1, 0.5, Math.SQRT1_2].map((s) => s * Math.sqrt(12) * (next() - 0.5)));
    const variances = [0, 1, 2, 3].map((c) => coordinateVariances(Float32Array.from(full.flatMap((p) => p)), 4, 4)[c]);
    const total = variances.reduce((a, b) => a + b, 0);
    // A PCA that kept x, y, z (explained = their variance over the total)...
    const pca = { coordinates: Float32Array.from(full.flatMap((p) => p.slice(0, 3))), explained: variances.slice(0, 3).map((v) => v / total) };
    // ...and a plane view that shows y, then x, then z.
    const shown = Float32Array.from(full.flatMap((p) => [p[1], p[0], p[2]]));
    const shares = sharesFromPca(shown, 3, 3, pca);
    expect(shares[0]).toBeCloseTo(variances[1] / total, 9);
    expect(shares[1]).toBeCloseTo(variances[0] / total, 9);
    expect(shares[2]).toBeCloseTo(variances[2] / total, 9);
  });
});

describe('neighbours on screen', () => {
  it('ranks layout neighbours as the reference does, ties to the smaller row', () => {
    const next = random(3);
    const positions = Float32Array.from({ length: 300 }, () => Math.round(next() * 4)); // many ties
    for (const row of [0, 17, 99]) expect(layoutNeighbours(positions, 3, 3, row, 10)).toEqual(screenNeighbours(positions, 3, row, 10));
    // Only the first `dims` coordinates count: z is ignored in 2D.
    const flat = Float32Array.from([0, 0, 0, 1, 0, 0, 0, 2, 9, 3, 0, -9]);
    expect(layoutNeighbours(flat, 3, 2, 0, 3)).toEqual([1, 2, 3]);
  });

  it('splits true neighbours into near and far on screen, and lists close-looking strangers', () => {
    // Six points on a line; true neighbours (k = 2) of point 0 are 5 and 1.
    const positions = Float32Array.from([0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0]);
    const neighbors = Uint32Array.from([5, 1, 0, 2, 1, 3, 2, 4, 3, 5, 4, 0]);
    const report = { k: 2, neighbors, positions, stride: 2, dims: 2 };
    expect(splitNeighbours(report, 0)).toEqual({ near: [1], far: [5], lookalikes: [2] });
    expect(splitNeighbours(report, 2)).toEqual({ near: [1, 3], far: [], lookalikes: [] });
  });
});

describe('recall colours', () => {
  it('runs from the first to the last colour of the scale, and greys a missing value', () => {
    expect(sequentialColor(0)).toEqual(hexToRgb01(SEQUENTIAL[0]));
    expect(sequentialColor(1)).toEqual(hexToRgb01(SEQUENTIAL.at(-1)));
    expect(sequentialColor(2)).toEqual(sequentialColor(1));
    const colours = recallColours(Float32Array.from([0, 0.5, 1]));
    expect(Array.from(colours.slice(6))).toEqual(hexToRgb01(SEQUENTIAL.at(-1)).map(Math.fround));
    expect(sequentialColor(NaN)).toEqual(hexToRgb01('#999999'));
    // Ordered in lightness, so the scale reads without hue: luminance rises along it.
    const luminance = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
    for (let i = 1; i <= 20; i++) expect(luminance(sequentialColor(i / 20))).toBeGreaterThan(luminance(sequentialColor((i - 1) / 20)));
  });
});

describe('NeighbourEdgesLayer', () => {
  it('keeps valid indices only, and draws a solid and a dashed set', () => {
    const layer = new NeighbourEdgesLayer();
    layer.onPointPositionsChanged(Float32Array.from({ length: 15 }, (_, i) => i));
    layer.setEdges({ from: 0, near: [1, 2, 99, -1, 0], far: [3, 1.5] }, 5);
    expect(layer.edges).toEqual({ from: 0, near: [1, 2], far: [3] });
    expect(layer.near.visible).toBe(true);
    expect(layer.far.visible).toBe(true);
    expect(layer.near.geometry.attributes.instanceStart.count).toBe(2);
    expect(layer.far.material.dashed).toBe(true);
    layer.setEdges({ from: 7, near: [1] }, 5);
    expect(layer.edges).toBeNull();
    expect(layer.near.visible).toBe(false);
    layer.dispose();
  });
});

describe('FaithfulnessPanel', () => {
  let calls;
  const client = {
    call(type, args, { signal, onProgress } = {}) {
      return new Promise((resolve, reject) => {
        const call = { type, args, resolve, reject, onProgress, signal };
        signal?.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { code: 'CANCELLED' })));
        calls.push(call);
      });
    },
  };
  beforeEach(() => {
    calls = [];
    globalThis.document = { getElementById: () => null };
  });
  afterEach(() => delete globalThis.document);

  const layout = (n, proj = 'tsne') => ({ proj, dims: 3, ids: Array.from({ length: n }, (_, i) => 100 + i), positions: new Float32Array(3 * n), explained: null });
  const answer = (n) => ({ k: 10, neighborRecall: new Float32Array(n).fill(0.5), meanNeighborRecall: 0.5, trustworthiness: 0.9, neighbors: new Uint32Array(10 * n) });

  it('measures a finished layout, and a new layout aborts the run and drops its answer', { timeout: 5000 }, async () => {
    let changes = 0;
    const panel = new FaithfulnessPanel({ client, onChange: () => changes++ });
    const first = panel.layoutFinished(layout(50));
    expect(calls).toHaveLength(1);
    expect(calls[0].type).toBe('faithfulness');
    expect(calls[0].args).toMatchObject({ k: 10, dims: 3 });
    expect(calls[0].args.positions).toHaveLength(150);
    panel.layoutStarted('pca');
    expect(calls[0].signal.aborted).toBe(true);
    await first;
    expect(panel.report).toBeNull();

    // PCA with no shares asks for the total variance first (a PCA of the same points).
    const second = panel.layoutFinished(layout(60, 'pca'));
    expect(calls.slice(1).map((c) => c.type)).toEqual(['project', 'faithfulness']);
    calls[2].resolve(answer(60));
    await second;
    expect(panel.report.proj).toBe('pca');
    expect(changes).toBe(1);
    const pointSet = { count: 60, ids: layout(60).ids, labels: [] };
    expect(panel.recallFor(pointSet)).toHaveLength(60);
    // Other points (or another order) get no recall from this report.
    expect(panel.recallFor({ ...pointSet, ids: [...pointSet.ids].reverse() })).toBeNull();
  });

  it('does not ask for too few points or when disabled, and sends a 2D layout as n x 2', { timeout: 5000 }, async () => {
    await new FaithfulnessPanel({ client, enabled: false }).layoutFinished(layout(50));
    expect(calls).toHaveLength(0);
    const panel = new FaithfulnessPanel({ client });
    await panel.layoutFinished(layout(20));
    expect(calls).toHaveLength(0);
    const flat = { ...layout(30), dims: 2, positions: Float32Array.from({ length: 90 }, (_, i) => i) };
    const run = panel.layoutFinished(flat);
    expect(Array.from(calls[0].args.positions.slice(0, 4))).toEqual([0, 1, 3, 4]);
    calls[0].resolve(answer(30));
    await run;
  });

  it('colours grey until the recall of the shown layout is in', () => {
    const adapter = new PlotAdapter(null, null, { recallFor: () => null });
    const colours = adapter.colours({ pointSet: { count: 2 }, groups: [], column: null, colourBy: NEIGHBOUR_RECALL });
    expect(Array.from(colours)).toEqual([...hexToRgb01('#b8b8b8'), ...hexToRgb01('#b8b8b8')].map(Math.fround));
    const measured = new PlotAdapter(null, null, { recallFor: () => Float32Array.from([0, 1]) });
    expect(Array.from(measured.colours({ pointSet: { count: 2 }, groups: [], column: null, colourBy: NEIGHBOUR_RECALL }))).toEqual(Array.from(recallColours([0, 1])));
  });
});
