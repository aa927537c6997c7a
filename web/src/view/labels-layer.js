// Text labels for the highlighted points, as DOM elements over the canvas.
//
// DOM rather than sprites/CSS2DRenderer: crisp system text at any pixel
// ratio, and boxes we can measure. Placement is label-placement.js (pure):
// each label hugs its own point or is culled (the hover tooltip and the
// keyboard focus still name culled words). Words always go in with
// textContent, never as HTML, and every style is set through the CSSOM
// (element.style), which a Content-Security-Policy without 'unsafe-inline'
// allows.
//
// Implements the layer interface (see points-layer.js); labels are re-placed
// in onRender, which the scatter plot calls only when the camera, the
// positions or the labels changed.

import * as THREE from 'three';
import { placeLabels } from './label-placement.js';

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
    this.root.dataset.layer = 'labels';
    this.root.setAttribute('aria-hidden', 'true'); // the page lists the same words as text; the keyboard focus announces them
    container.appendChild(this.root);
    /** index -> { el, pill, text, color, half, w, h, measured, x, y, shown } */
    this._labels = new Map();
    this._order = [];
    this._obstacles = []; // [{ index, half }] marked points labels keep clear of
    this._previous = new Map(); // index -> candidate name, for stable placement while orbiting
    this._world = null;
    this._width = 0;
    this._height = 0;
    this._v = new THREE.Vector3();
    /** Optional () => [{ x0, y0, x1, y1 }]: screen boxes of other text, drawn earlier in the frame, that labels keep clear of. */
    this.reservedBoxes = null;
    /** Indices whose label did not fit at the last placement. */
    this.culled = new Set();
  }

  setScene(/* scene */) {} // a DOM layer: nothing in the three.js scene

  /**
   * The labels to show, in priority order (earlier ones are placed first,
   * the first is never culled): [{ index, text, color: '#rrggbb' accent,
   * markerSize: CSS px diameter of the point's marker, strong: bold }]. obstacles:
   * [{ index, markerSize }], every marked point, labelled or not. Elements
   * are reused per index, so re-highlighting does not flicker.
   */
  setLabels(items, obstacles = items) {
    const keep = new Set();
    this._order = [];
    for (const { index, text, color, markerSize = DEFAULT_MARKER_PX, strong = false } of items) {
      if (keep.has(index)) continue; // one label per point; the first (highest priority) wins
      keep.add(index);
      let label = this._labels.get(index);
      if (!label) {
        label = this._create(index);
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
      if (label.strong !== strong) {
        label.pill.style.fontWeight = strong ? '700' : '500';
        label.strong = strong;
        label.measured = false;
      }
      label.half = markerSize / 2;
      this._order.push(index);
    }
    for (const [index, label] of this._labels) {
      if (!keep.has(index)) {
        label.el.remove();
        this._labels.delete(index);
        this._previous.delete(index);
      }
    }
    this._obstacles = obstacles.map(({ index, markerSize = DEFAULT_MARKER_PX }) => ({ index, half: markerSize / 2 }));
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

  _create(index) {
    const el = document.createElement('div');
    Object.assign(el.style, { position: 'absolute', left: '0', top: '0', willChange: 'transform', whiteSpace: 'nowrap' });
    el.dataset.index = String(index);
    const pill = document.createElement('span');
    Object.assign(pill.style, {
      display: 'block', // the box measured is exactly the pill (no inline line box below it)
      boxSizing: 'border-box',
      font: '500 12px/1.25 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
      color: this._theme.labelText,
      background: this._theme.labelBackground,
      border: `1px solid ${this._theme.labelBorder}`,
      borderRadius: '8px',
      padding: '1px 6px 1px 5px',
      boxShadow: '0 1px 2px rgba(0, 0, 0, 0.15)',
    });
    el.appendChild(pill);
    this.root.appendChild(el);
    return { el, pill, text: null, color: null, strong: false, half: DEFAULT_MARKER_PX / 2, w: 0, h: 0, measured: false, x: NaN, y: NaN, shown: true };
  }

  /** Screen position (CSS px) of point `index`, and whether it is in front of the camera. */
  _project(index, camera) {
    const world = this._world;
    const v = this._v.set(world[3 * index], world[3 * index + 1], world[3 * index + 2]).project(camera);
    const visible = Number.isFinite(v.x) && v.z > -1 && v.z < 1;
    return { x: (v.x + 1) * 0.5 * this._width, y: (1 - v.y) * 0.5 * this._height, visible };
  }

  _place(camera) {
    const items = [];
    for (const index of this._order) {
      const label = this._labels.get(index);
      const p = this._project(index, camera);
      items.push({ id: index, x: p.x, y: p.y, w: label.w, h: label.h, radius: label.half, visible: p.visible && label.measured });
    }
    const obstacles = [];
    for (const { index, half } of this._obstacles) {
      const p = this._project(index, camera);
      if (p.visible) obstacles.push({ id: index, x: p.x, y: p.y, radius: half });
    }
    const reserved = this.reservedBoxes?.() ?? [];
    const placements = placeLabels(items, { width: this._width, height: this._height, obstacles, reserved, previous: this._previous });
    this.culled.clear();
    for (const placement of placements) {
      const label = this._labels.get(placement.id);
      this._show(label, placement.shown);
      if (!placement.shown) {
        this.culled.add(placement.id);
        this._previous.delete(placement.id);
        continue;
      }
      this._previous.set(placement.id, placement.candidate);
      const x = Math.round(placement.x0);
      const y = Math.round(placement.y0);
      if (x !== label.x || y !== label.y) {
        label.el.style.transform = `translate(${x}px, ${y}px)`;
        label.x = x;
        label.y = y;
      }
    }
  }

  _show(label, shown) {
    if (label.shown === shown) return;
    label.el.style.display = shown ? '' : 'none';
    label.shown = shown;
  }
}
