// Text labels for the highlighted points, as DOM elements over the canvas.
//
// DOM rather than sprites/CSS2DRenderer because we want (1) crisp, selectable
// system text at any pixel ratio, (2) labels that never overlap: a greedy
// placer tries a few slots beside each point and draws a thin leader line
// when the label had to move away. Words always go in with textContent,
// never as HTML, and every style is set through the CSSOM (element.style),
// which a Content-Security-Policy without 'unsafe-inline' allows.
//
// Implements the layer interface (see points-layer.js); the labels are
// re-placed in onRender, which the scatter plot calls only when the camera,
// the positions or the labels changed.

import * as THREE from 'three';

const GAP_PX = 4; // from the edge of the point's marker to the label's near edge
const MARGIN_PX = 2; // between two labels
// Vertical slots tried on each side, in label heights: beside the point
// first, then alternately above and below. Ten results in one tight
// cluster need about this many; farther slots would need long leaders.
const SLOTS = [0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5];
// Every labelled point is an obstacle the size of its marker, so a label
// never hides a highlighted point.
const DEFAULT_MARKER_PX = 12;

export class LabelsLayer {
  /** container: the plot's element; theme: one of palette.THEMES. */
  constructor(container, theme) {
    this._theme = theme;
    this.root = document.createElement('div');
    Object.assign(this.root.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      width: '100%',
      height: '100%',
      overflow: 'hidden',
      pointerEvents: 'none', // clicks and hovers go through to the canvas
      userSelect: 'none',
    });
    this.root.setAttribute('aria-hidden', 'true'); // the page lists the same words as text
    container.appendChild(this.root);
    /** index -> { el, pill, leader, text, color, w, h, measured, x, y, shown } */
    this._labels = new Map();
    this._order = [];
    this._world = null;
    this._width = 0;
    this._height = 0;
    this._v = new THREE.Vector3();
  }

  setScene(/* scene */) {} // a DOM layer: nothing in the three.js scene

  /**
   * The labels to show, in priority order (earlier ones get the best slot):
   * [{ index, text, color: '#rrggbb' accent, markerSize: CSS px diameter of
   * the point's marker }]. Elements are reused per
   * index, so re-highlighting does not flicker.
   */
  setLabels(items) {
    const keep = new Set();
    this._order = [];
    for (const { index, text, color, markerSize = DEFAULT_MARKER_PX } of items) {
      if (keep.has(index)) continue; // one label per point; the first (highest priority) wins
      keep.add(index);
      let label = this._labels.get(index);
      if (!label) {
        label = this._create();
        this._labels.set(index, label);
      }
      if (label.text !== text) {
        label.pill.textContent = text;
        label.text = text;
        label.measured = false;
      }
      if (label.color !== color) {
        label.pill.style.borderLeft = `3px solid ${color}`;
        label.color = color;
      }
      label.half = markerSize / 2;
      this._order.push(index);
    }
    for (const [index, label] of this._labels) {
      if (!keep.has(index)) {
        label.el.remove();
        label.leader.remove();
        this._labels.delete(index);
      }
    }
  }

  onPointPositionsChanged(worldPositions) {
    this._world = worldPositions;
  }

  onRender(camera) {
    if (!this._world || this._order.length === 0) return;
    // Measure new or changed labels once (one forced layout), not per frame.
    for (const index of this._order) {
      const label = this._labels.get(index);
      if (!label.measured) {
        label.w = label.el.offsetWidth;
        label.h = label.el.offsetHeight;
        label.measured = label.w > 0; // 0 while the container is hidden: retry later
      }
    }
    this._place(camera);
  }

  onResize(width, height) {
    this._width = width;
    this._height = height;
  }

  dispose() {
    this.root.remove();
    this._labels.clear();
    this._order = [];
  }

  _create() {
    const el = document.createElement('div');
    Object.assign(el.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      willChange: 'transform',
      whiteSpace: 'nowrap',
    });
    const pill = document.createElement('span');
    Object.assign(pill.style, {
      display: 'inline-block',
      font: '500 12px/1.25 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
      color: this._theme.labelText,
      background: this._theme.labelBackground,
      border: `1px solid ${this._theme.labelBorder}`,
      borderRadius: '8px',
      padding: '1px 6px 1px 5px',
      boxShadow: '0 1px 2px rgba(0, 0, 0, 0.15)',
    });
    el.appendChild(pill);
    const leader = document.createElement('div');
    Object.assign(leader.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      height: '1px',
      background: this._theme.leader,
      transformOrigin: '0 50%',
      display: 'none',
    });
    // Leaders first so that every label pill is painted above every line.
    this.root.prepend(leader);
    this.root.appendChild(el);
    return { el, pill, leader, text: null, color: null, w: 0, h: 0, measured: false, x: NaN, y: NaN, shown: true, leaderShown: false };
  }

  _place(camera) {
    const w = this._width;
    const h = this._height;
    const world = this._world;
    const v = this._v;
    const anchors = [];
    for (const index of this._order) {
      v.set(world[3 * index], world[3 * index + 1], world[3 * index + 2]).project(camera);
      // Behind the camera (or past the far plane) or not finite: no label.
      const visible = Number.isFinite(v.x) && v.z > -1 && v.z < 1;
      const half = this._labels.get(index).half;
      anchors.push({ index, visible, half, x: (v.x + 1) * 0.5 * w, y: (1 - v.y) * 0.5 * h });
    }
    const placed = anchors
      .filter((a) => a.visible)
      .map((a) => ({ x0: a.x - a.half, y0: a.y - a.half, x1: a.x + a.half, y1: a.y + a.half }));

    for (const anchor of anchors) {
      const label = this._labels.get(anchor.index);
      if (!anchor.visible || !label.measured) {
        this._show(label, false);
        continue;
      }
      const box = this._bestSlot(anchor, label.w, label.h, placed, w, h);
      placed.push(box);
      this._show(label, true);
      const x = Math.round(box.x0);
      const y = Math.round(box.y0);
      if (x !== label.x || y !== label.y) {
        label.el.style.transform = `translate(${x}px, ${y}px)`;
        label.x = x;
        label.y = y;
      }
      // A leader line when the label left its natural slot (level with the point).
      const ex = box.x0 >= anchor.x ? box.x0 : box.x1;
      const ey = (box.y0 + box.y1) / 2;
      const dx = ex - anchor.x;
      const dy = ey - anchor.y;
      const length = Math.hypot(dx, dy);
      const needLeader = Math.abs(dy) > label.h * 0.5;
      if (needLeader) {
        // From the rim of the marker, not its centre, to the label's near edge.
        const sx = anchor.x + (dx / length) * anchor.half;
        const sy = anchor.y + (dy / length) * anchor.half;
        label.leader.style.width = `${Math.max(0, length - anchor.half).toFixed(1)}px`;
        label.leader.style.transform = `translate(${sx.toFixed(1)}px, ${sy.toFixed(1)}px) rotate(${Math.atan2(dy, dx).toFixed(4)}rad)`;
      }
      if (needLeader !== label.leaderShown) {
        label.leader.style.display = needLeader ? '' : 'none';
        label.leaderShown = needLeader;
      }
    }
  }

  _bestSlot(anchor, lw, lh, placed, w, h) {
    let fallback = null;
    let fallbackOverlaps = Infinity;
    for (const side of [1, -1]) {
      for (const slot of SLOTS) {
        const x0 = side > 0 ? anchor.x + anchor.half + GAP_PX : anchor.x - anchor.half - GAP_PX - lw;
        const y0 = anchor.y - lh / 2 + slot * (lh + MARGIN_PX);
        const box = { x0, y0, x1: x0 + lw, y1: y0 + lh };
        const inside = box.x0 >= 0 && box.y0 >= 0 && box.x1 <= w && box.y1 <= h;
        if (!inside) continue;
        let count = 0;
        for (const p of placed) if (overlaps(p, box)) count++;
        if (count === 0) return box;
        if (count < fallbackOverlaps) {
          fallback = box;
          fallbackOverlaps = count;
        }
      }
    }
    // Crowded or at the edge: the slot in view that overlaps the fewest
    // others, else beside the point on the right, even if it is clipped.
    if (fallback) return fallback;
    const x0 = anchor.x + anchor.half + GAP_PX;
    const y0 = anchor.y - lh / 2;
    return { x0, y0, x1: x0 + lw, y1: y0 + lh };
  }

  _show(label, shown) {
    if (label.shown === shown) return;
    label.el.style.display = shown ? '' : 'none';
    if (!shown && label.leaderShown) {
      label.leader.style.display = 'none';
      label.leaderShown = false;
    }
    label.shown = shown;
  }
}

function overlaps(a, b) {
  return a.x0 < b.x1 + MARGIN_PX && b.x0 < a.x1 + MARGIN_PX && a.y0 < b.y1 + MARGIN_PX && b.y0 < a.y1 + MARGIN_PX;
}
