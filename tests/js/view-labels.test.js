// Unit tests for the view's label placement and highlight rules (pure: no
// DOM, no WebGL). The browser side is tests/e2e/view.test.js.

import { describe, expect, it } from 'vitest';
import { placeLabels, boxesOverlap, distanceToBox, LABEL_GAP_PX, LABEL_MARGIN_PX } from '../../web/src/view/label-placement.js';
import { composeHighlights, normaliseHighlights, priorityOrder, stepOrder, describePoint, MARKER_SIZES } from '../../web/src/view/highlights.js';
import { ROLE_COLORS, THEMES, hexToRgb01, categoricalColors } from '../../web/src/view/palette.js';

function rng(seed) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** n labels around a crowded centre, like 89 word-group members in one PCA view. */
function crowd(n, { width = 640, height = 520, spread = 140, seed = 7 } = {}) {
  const random = rng(seed);
  return Array.from({ length: n }, (_, id) => ({
    id,
    x: width / 2 + spread * (random() + random() - 1),
    y: height / 2 + spread * (random() + random() - 1),
    w: 30 + Math.floor(random() * 60),
    h: 17,
    radius: 5 + Math.floor(random() * 3),
  }));
}

const obstaclesOf = (items) => items.map(({ id, x, y, radius }) => ({ id, x, y, radius }));

function checkPlacement(items, placements, { width, height }) {
  const shown = placements.filter((p) => p.shown);
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) expect(boxesOverlap(shown[i], shown[j]), `${shown[i].id} / ${shown[j].id}`).toBe(false);
  }
  for (const p of shown) {
    const item = items.find((it) => it.id === p.id);
    // Every shown label hugs its own point: within the marker radius plus the gap.
    expect(distanceToBox(item.x, item.y, p)).toBeLessThanOrEqual(item.radius + LABEL_GAP_PX + 0.5);
    expect(p.x0).toBeGreaterThanOrEqual(0);
    expect(p.y0).toBeGreaterThanOrEqual(0);
    expect(p.x1).toBeLessThanOrEqual(width);
    expect(p.y1).toBeLessThanOrEqual(height);
  }
  return shown;
}

describe('placeLabels', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`places 89 crowded labels without overlap, each next to its point (seed ${seed})`, () => {
      const view = { width: 640, height: 520 };
      const items = crowd(89, { ...view, seed });
      const placements = placeLabels(items, { ...view, obstacles: obstaclesOf(items) });
      expect(placements.map((p) => p.id)).toEqual(items.map((it) => it.id));
      const shown = checkPlacement(items, placements, view);
      expect(placements[0].shown).toBe(true);
      // Shown labels cover no other marked point (the first may, when it has no free slot).
      for (const p of shown.slice(1)) {
        for (const o of items) if (o.id !== p.id) expect(distanceToBox(o.x, o.y, p)).toBeGreaterThanOrEqual(o.radius);
      }
      console.log(`seed ${seed}: ${shown.length} of 89 labels shown, ${89 - shown.length} culled (shown on hover)`);
      expect(shown.length).toBeGreaterThan(15);
    });
  }

  it('always shows the top-priority label by its point, even when every slot covers a point', () => {
    const view = { width: 400, height: 300 };
    const top = { id: 'queen', x: 200, y: 150, w: 44, h: 17, radius: 6.5 };
    // A dense ring of marked points all around the answer.
    const ring = [];
    for (let k = 0; k < 48; k++) {
      const a = (2 * Math.PI * k) / 48;
      for (const d of [14, 24, 34]) ring.push({ id: `p${k}-${d}`, x: 200 + d * 1.6 * Math.cos(a), y: 150 + d * Math.sin(a), radius: 5 });
    }
    const placements = placeLabels([top, ...ring.map((o) => ({ ...o, w: 40, h: 17 }))], { ...view, obstacles: [...ring, { ...top }] });
    expect(placements[0].shown).toBe(true);
    expect(distanceToBox(top.x, top.y, placements[0])).toBeLessThanOrEqual(top.radius + LABEL_GAP_PX + 0.5);
    checkPlacement([top, ...ring.map((o) => ({ ...o, w: 40, h: 17 }))], placements, view);
  });

  it('moves the label to the side that fits at the edge of the view', () => {
    const view = { width: 300, height: 200 };
    const [p] = placeLabels([{ id: 0, x: 290, y: 100, w: 50, h: 17, radius: 6 }], view);
    expect(p.shown).toBe(true);
    expect(p.candidate).toBe('left');
    expect(p.x1).toBeLessThanOrEqual(290);
  });

  it('culls a lower-priority label with no free slot instead of moving it away', () => {
    const view = { width: 300, height: 200 };
    const items = [
      { id: 'a', x: 150, y: 100, w: 60, h: 17, radius: 6 },
      { id: 'b', x: 151, y: 101, w: 60, h: 17, radius: 6 },
      { id: 'c', x: 150, y: 99, w: 60, h: 17, radius: 6 },
    ];
    const placements = placeLabels(items, view);
    checkPlacement(items, placements, view);
    expect(placements[0].shown).toBe(true);
    expect(placements.filter((p) => !p.shown).length).toBeGreaterThan(0);
  });

  it('gives no label to a point behind the camera and keeps the previous slot when it is free', () => {
    const view = { width: 300, height: 200 };
    const items = [
      { id: 0, x: 100, y: 100, w: 40, h: 17, radius: 6, visible: false },
      { id: 1, x: 150, y: 100, w: 40, h: 17, radius: 6 },
    ];
    const placements = placeLabels(items, { ...view, previous: new Map([[1, 'bottom-left']]) });
    expect(placements[0].shown).toBe(false);
    expect(placements[1].candidate).toBe('bottom-left');
  });

  it("keeps labels off the axes' names (reserved text), and culls a later label that has only such slots", () => {
    const view = { width: 400, height: 300 };
    const items = [
      { id: 0, x: 200, y: 150, w: 40, h: 17, radius: 6 },
      { id: 1, x: 100, y: 100, w: 40, h: 17, radius: 6 },
    ];
    const free = placeLabels(items, view);
    expect(free.map((p) => p.candidate)).toEqual(['right', 'right']);
    // An axis name to the right of the first point, and text all round the second.
    const axisName = { x0: 205, y0: 130, x1: 300, y1: 170 };
    const around = { x0: 40, y0: 60, x1: 160, y1: 140 };
    const placed = placeLabels(items, { ...view, reserved: [axisName, around] });
    expect(placed[0].shown).toBe(true);
    expect(placed[0].candidate).not.toBe('right');
    expect(boxesOverlap(placed[0], axisName, LABEL_MARGIN_PX)).toBe(false);
    expect(placed[1].shown).toBe(false);
    // The first label stays by its point even when reserved text surrounds it.
    const boxed = placeLabels([items[1]], { ...view, reserved: [around] });
    expect(boxed[0].shown).toBe(true);
  });

  it('keeps the margin between labels', () => {
    expect(boxesOverlap({ x0: 0, y0: 0, x1: 10, y1: 10 }, { x0: 10 + LABEL_MARGIN_PX - 0.5, y0: 0, x1: 20, y1: 10 }, LABEL_MARGIN_PX)).toBe(true);
    expect(boxesOverlap({ x0: 0, y0: 0, x1: 10, y1: 10 }, { x0: 10 + LABEL_MARGIN_PX + 0.5, y0: 0, x1: 20, y1: 10 }, LABEL_MARGIN_PX)).toBe(false);
  });
});

describe('composeHighlights', () => {
  const n = 8;
  const words = ['man', 'king', 'woman', 'queen', 'paris', 'rome', 'cat', 'dog'];
  // Two word groups coloured by the page: 4, 5 (capitals) and 6, 7 (animals); the rest uncoloured.
  const groupColours = categoricalColors([-1, -1, -1, -1, 0, 0, 1, 1], '#b8b8b8');

  it('keeps a word group colour inside the result ring', () => {
    const h = normaliseHighlights({ results: [3, 5, 7], inputs: [0, 1, 2], labelled: [4, 5, 6, 7] }, n);
    const { markers } = composeHighlights(h, { words, colors: groupColours, ownColors: true, theme: THEMES.light });
    const byIndex = new Map(markers.map((m) => [m.index, m]));
    // rome (5) and dog (7) are results and group members: own fill, orange ring, and their fills differ.
    expect(byIndex.get(5).fill).toEqual(Array.from(groupColours.slice(15, 18)));
    expect(byIndex.get(7).fill).toEqual(Array.from(groupColours.slice(21, 24)));
    expect(byIndex.get(5).fill).not.toEqual(byIndex.get(7).fill);
    expect(byIndex.get(5).ring).toEqual(hexToRgb01(ROLE_COLORS.result));
    // Group members that are not results keep their colour with no ring.
    expect(byIndex.get(4).ring).toBeNull();
    expect(byIndex.get(4).fill).toEqual(Array.from(groupColours.slice(12, 15)));
    // One marker per point.
    expect(markers.length).toBe(new Set(markers.map((m) => m.index)).size);
  });

  it('fills with the role colour when the page did not colour the points', () => {
    const plain = new Float32Array(n * 3).fill(0.5);
    const h = normaliseHighlights({ results: [3], inputs: [0] }, n);
    const { markers } = composeHighlights(h, { words, colors: plain, ownColors: false, theme: THEMES.light });
    expect(markers.find((m) => m.index === 3).fill).toEqual(hexToRgb01(ROLE_COLORS.result));
    expect(markers.find((m) => m.index === 0).fill).toEqual(hexToRgb01(ROLE_COLORS.input));
  });

  it('orders labels focus, selected, answer, inputs, other results, labelled', () => {
    const h = normaliseHighlights({ results: [3, 5, 99, -1], inputs: [0, 1, 2], selected: 7, labelled: [4, 6] }, n);
    expect(h.results).toEqual([3, 5]);
    expect(priorityOrder(h)).toEqual([7, 3, 0, 1, 2, 5, 4, 6]);
    expect(priorityOrder(h, 6)).toEqual([6, 7, 3, 0, 1, 2, 5, 4]);
    const { labels } = composeHighlights(h, { words, colors: groupColours, ownColors: true, theme: THEMES.light, focused: 6 });
    expect(labels.map((l) => l.text)).toEqual(['cat', 'dog', 'queen', 'man', 'king', 'woman', 'rome', 'paris']);
    expect(labels[1].markerSize).toBe(MARKER_SIZES.selected);
  });

  it('steps through the marked points first, then every other point once', () => {
    const h = normaliseHighlights({ results: [5], inputs: [2] }, n);
    const order = stepOrder(h, n);
    expect(order.slice(0, 2)).toEqual([5, 2]);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('describes a focused point for the live region', () => {
    const h = normaliseHighlights({ results: [3, 5], inputs: [0, 1, 2] }, n);
    expect(describePoint(h, 3, words, 5000)).toBe('queen, result 1 of 2, point 4 of 5,000');
    expect(describePoint(h, 1, words, 8)).toBe('king, input 2 of 3, point 2 of 8');
  });
});
