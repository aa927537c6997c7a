// Where each text label goes, in screen space. Pure (no DOM, no three.js)
// so it is unit-tested in Node (tests/js/view-labels.test.js).
//
// Greedy, in priority order: each label tries a few candidate positions
// hugging its own point (right, left, then the four corners, then above and
// below) and takes the first one that stays in view, overlaps no label
// already placed or reserved text (the axes' names) and covers no marked point. A label with no free candidate
// is culled rather than pushed away: a label far from its dot, joined by a
// leader line that crosses other points, reads as belonging to the wrong
// point. The caller shows culled words on hover.
//
// The first label is never culled while its point is in view: when every
// candidate is blocked it takes the one in view that covers the fewest
// points, so the most important word (the answer) always sits by its dot.

/** Default clearances in CSS px. */
export const LABEL_GAP_PX = 3; // from the marker's rim to the label's near edge
export const LABEL_MARGIN_PX = 2; // kept free between two labels

/**
 * Candidate offsets: [name, fn(x, y, r, w, h, gap) -> [x0, y0]] for the
 * label's top-left corner around a point at (x, y) with marker radius r.
 * Diagonals tuck the label's corner against the rim (r * 0.7 is where a
 * 45-degree line leaves the disc), so every candidate is within r + gap.
 */
const CANDIDATES = [
  ['right', (x, y, r, w, h, g) => [x + r + g, y - h / 2]],
  ['left', (x, y, r, w, h, g) => [x - r - g - w, y - h / 2]],
  ['top-right', (x, y, r, w, h, g) => [x + 0.7 * r, y - 0.7 * r - g - h]],
  ['bottom-right', (x, y, r, w, h, g) => [x + 0.7 * r, y + 0.7 * r + g]],
  ['top-left', (x, y, r, w, h, g) => [x - 0.7 * r - w, y - 0.7 * r - g - h]],
  ['bottom-left', (x, y, r, w, h, g) => [x - 0.7 * r - w, y + 0.7 * r + g]],
  ['top', (x, y, r, w, h, g) => [x - w / 2, y - r - g - h]],
  ['bottom', (x, y, r, w, h, g) => [x - w / 2, y + r + g]],
];
export const CANDIDATE_NAMES = Object.freeze(CANDIDATES.map(([name]) => name));

/**
 * items: [{ id, x, y, w, h, radius, visible? }] in priority order, highest
 *   first: anchor (x, y) in CSS px, label size w x h, marker radius.
 *   visible === false (behind the camera) means no label.
 * options: width, height of the view; obstacles: [{ id, x, y, radius }],
 *   the marked points labels must not cover (an item's own point is
 *   skipped by id); reserved: [{ x0, y0, x1, y1 }] screen boxes other
 *   text already holds (the axes' names and ticks), which labels keep
 *   clear of; previous: Map id -> candidate name from the last
 *   placement, tried first so labels do not hop between frames.
 * Returns one entry per item, same order:
 *   { id, shown, candidate, x0, y0, x1, y1 } (boxes only when shown).
 */
export function placeLabels(items, { width, height, obstacles = [], reserved = [], previous = null, gap = LABEL_GAP_PX, margin = LABEL_MARGIN_PX } = {}) {
  const placed = [];
  const out = [];
  items.forEach((item, rank) => {
    const hidden = { id: item.id, shown: false, candidate: null };
    if (item.visible === false || !Number.isFinite(item.x) || !Number.isFinite(item.y)) {
      out.push(hidden);
      return;
    }
    const order = candidateOrder(previous?.get(item.id));
    let best = null;
    for (const k of order) {
      const [name, at] = CANDIDATES[k];
      const [x0, y0] = at(item.x, item.y, item.radius, item.w, item.h, gap);
      const box = { x0, y0, x1: x0 + item.w, y1: y0 + item.h };
      if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height) continue;
      if (placed.some((other) => boxesOverlap(other, box, margin))) continue;
      // Reserved text blocks a label like a point does: the first label may still sit over it when nothing else is free.
      const overText = reserved.reduce((count, r) => count + (boxesOverlap(r, box, margin) ? 1 : 0), 0);
      const covered = overText + obstacles.reduce((count, o) => count + (o.id !== item.id && circleHitsBox(o, box) ? 1 : 0), 0);
      if (covered === 0) {
        best = { name, box, covered };
        break;
      }
      // Only the first label may cover points; the rest are culled instead.
      if (rank === 0 && (!best || covered < best.covered)) best = { name, box, covered };
    }
    if (!best) {
      out.push(hidden);
      return;
    }
    placed.push(best.box);
    out.push({ id: item.id, shown: true, candidate: best.name, ...best.box });
  });
  return out;
}

/** Candidate indices, the previous choice first. */
function candidateOrder(previousName) {
  const order = CANDIDATES.map((_, k) => k);
  const k = CANDIDATE_NAMES.indexOf(previousName);
  if (k > 0) {
    order.splice(k, 1);
    order.unshift(k);
  }
  return order;
}

/** Boxes { x0, y0, x1, y1 } closer than `margin` px (touching counts). */
export function boxesOverlap(a, b, margin = 0) {
  return a.x0 < b.x1 + margin && b.x0 < a.x1 + margin && a.y0 < b.y1 + margin && b.y0 < a.y1 + margin;
}

/** Whether a disc { x, y, radius } reaches into the box. */
function circleHitsBox(c, box) {
  const dx = Math.max(box.x0 - c.x, 0, c.x - box.x1);
  const dy = Math.max(box.y0 - c.y, 0, c.y - box.y1);
  return dx * dx + dy * dy < c.radius * c.radius;
}

/** Distance in px from point (x, y) to the nearest point of a box (0 inside). */
export function distanceToBox(x, y, box) {
  return Math.hypot(Math.max(box.x0 - x, 0, x - box.x1), Math.max(box.y0 - y, 0, y - box.y1));
}
