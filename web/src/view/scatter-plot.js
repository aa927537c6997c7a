// The 3D scatter plot: the public class. It holds the data and the
// highlights and delegates by responsibility (as the TensorBoard projector
// separates its scatter plot from its layers):
//
//   plot-stage.js         renderer, scene, animation loop, resize, frame timing
//   position-animator.js  raw positions -> fitted world positions, tweens
//   camera-rig.js         camera, OrbitControls, keyboard orbit/zoom, pan into view
//   pointer-input.js      picking, hover tooltip, click to select
//   keyboard-nav.js       focusable widget, keys, live region
//   highlights.js         who gets which marker and label (pure)
//   points-layer.js, arrows-layer.js, highlight-layer.js, labels-layer.js
//                         what is drawn, behind one layer interface:
//                         setScene, onPointPositionsChanged, onRender, onResize, dispose
//
// CSP: everything here is created with createElement/textContent and styled
// through the CSSOM; no HTML strings, no <style> injection, no eval.

import * as THREE from 'three';
import { PointsLayer } from './points-layer.js';
import { HighlightLayer } from './highlight-layer.js';
import { LabelsLayer } from './labels-layer.js';
import { ArrowsLayer } from './arrows-layer.js';
import { AxesLayer } from './axes-layer.js';
import { MarkerLayer } from './marker-layer.js';
import { NeighbourEdgesLayer } from './neighbour-edges-layer.js';
import { ROLE_COLORS } from './palette.js';
import { PlotStage } from './plot-stage.js';
import { PositionAnimator } from './position-animator.js';
import { PointerInput } from './pointer-input.js';
import { KeyboardNav } from './keyboard-nav.js';
import { normaliseHighlights, composeHighlights, stepOrder, describePoint } from './highlights.js';

export { MARKER_SIZES } from './highlights.js';

const DIM_AMOUNT = 0.4; // how far unmarked points fade toward the background when some are marked
const FOCUS_PAN_MS = 400;

export class ScatterPlot extends PlotStage {
  /**
   * container: an element sized by CSS; the canvas fills it. It becomes a
   * focusable widget (see keyboard-nav.js).
   * options: onHover(index|null) when the point under the cursor changes;
   *   onSelect(index|null) on a click (null on empty space; drags are not
   *   clicks) or Enter on the focused point; onFocus(index|null) when the
   *   keyboard focus moves; theme 'light'|'dark'; pointSize: base diameter
   *   in CSS px (default: chosen from n); antialias: true | false | 'auto'
   *   (see renderer.js); maxPixelRatio (default 2).
   */
  constructor(container, { onHover = null, onSelect = null, onFocus = null, theme = 'light', pointSize = null, antialias = 'auto', maxPixelRatio = 2 } = {}) {
    super(container, { theme, antialias, maxPixelRatio });
    this._onHover = onHover;
    this._onSelect = onSelect;
    this._onFocus = onFocus;
    this.positions = new PositionAnimator((ms) => this._duration(ms));

    this.pointsLayer = new PointsLayer({ background: this._theme.background, defaultColor: this._theme.point });
    if (pointSize != null) this.pointsLayer.setPointSize(pointSize);
    this.arrowsLayer = new ArrowsLayer({ markerRadiusPx: (i) => Math.max(this.markerSize(i), this.pointsLayer.pointSize) / 2 });
    this.highlightLayer = new HighlightLayer({ outline: this._theme.outline, background: this._theme.background });
    this.labelsLayer = new LabelsLayer(container, this._theme);
    this.axesLayer = new AxesLayer(container, this._theme, () => this.positions.shownFit);
    this.labelsLayer.reservedBoxes = () => this.axesLayer.textBoxes; // the axes render first in a frame
    this.markerLayer = new MarkerLayer(container, this._theme, () => this.positions.shownFit);
    this.edgesLayer = new NeighbourEdgesLayer();
    /** Drawn in this order (renderOrder also enforces it). */
    this.layers = [this.axesLayer, this.pointsLayer, this.edgesLayer, this.arrowsLayer, this.highlightLayer, this.labelsLayer, this.markerLayer];
    for (const layer of this.layers) layer.setScene(this.scene);

    const listen = (target, type, fn) => this._listen(target, type, fn);
    this.pointer = new PointerInput(this, listen, this._theme);
    this.keyboard = new KeyboardNav(this, listen);

    this._labels = [];
    this._ownColors = false;
    this._highlights = normaliseHighlights({}, 0);
    this._sizeOf = new Map();
    this._hoverIndex = null;
    this._focusIndex = null;
    this._start();
  }

  // ---------------------------------------------------------------- data

  /**
   * Replaces the point set. positions: Float32Array n*3 at any scale (copied,
   * then fitted into the view); labels: string[n] (hover/label text);
   * colors: Float32Array n*3 in 0..1 or null for the theme's grey-blue.
   * Clears highlights, arrows, hover and focus: their indices belonged to the old set.
   */
  setPoints({ positions, labels = [], colors = null }) {
    if (this._disposed) return;
    const n = checkPositions(positions);
    if (colors && colors.length !== n * 3) throw new RangeError(`colors has ${colors.length} values, expected ${n * 3} (n*3)`);
    this.positions.reset(positions);
    this._labels = labels;
    this._ownColors = colors !== null;
    this.pointsLayer.setData(this.positions.world, colors);
    this._highlights = normaliseHighlights({}, n);
    this._hoverIndex = null;
    this.pointer.showTooltip(null);
    this._focusIndex = null;
    this.arrowsLayer.setArrows([]);
    this.edgesLayer.setEdges(null);
    this._applyHighlights();
    this._positionsChanged();
  }

  /**
   * Tweens from the current positions to new ones (same n), eased, refitting
   * the view to the new positions on the way (pass { refit: false } to keep
   * the current fit). Resolves when the tween ends or is superseded.
   * Honours prefers-reduced-motion (jumps instead).
   */
  animateTo(positions, durationMs = 700, { refit = true } = {}) {
    if (this._disposed) return Promise.resolve();
    this._checkSameCount(positions);
    const done = this.positions.animateTo(positions, durationMs, refit);
    this._invalidate();
    return done;
  }

  /**
   * Immediate update (same n), for t-SNE frames: no tween, no refit, except
   * when the cloud has grown past 1.6x or shrunk below 0.4x the fitted size;
   * then the view refits smoothly (see position-animator.js).
   */
  setPositions(positions) {
    if (this._disposed) return;
    this._checkSameCount(positions);
    if (this.positions.setPositions(positions)) this._positionsChanged();
    this._invalidate();
  }

  /** Recomputes the fit from the current positions and animates to it. Resolves at the end. */
  refit(durationMs = 500) {
    if (this._disposed) return Promise.resolve();
    const done = this.positions.refit(durationMs);
    this._invalidate();
    return done;
  }

  /** Per-point colours: Float32Array n*3 in 0..1, or null for the theme's default. Marker fills follow them. */
  setColors(colors) {
    if (this._disposed) return;
    this.pointsLayer.setColors(colors);
    this._ownColors = colors !== null && colors !== undefined;
    this._applyHighlights();
    this._invalidate();
  }

  /** Per-point size multipliers: Float32Array n (1 = normal), or null for all 1. */
  setSizes(sizes) {
    if (this._disposed) return;
    this.pointsLayer.setSizes(sizes);
    this._invalidate();
  }

  /** Base point diameter in CSS px, or null for the default chosen from n. */
  setPointSize(px) {
    if (this._disposed) return;
    this.pointsLayer.setPointSize(px);
    this._invalidate();
  }

  /**
   * Marked points: results and inputs (index arrays, results in rank
   * order), one selected index, and labelled (e.g. word-group members:
   * marked in their own colour and named when there is room). Each gets a
   * marker (a role ring around the point's own colour) and a label, placed
   * by priority (see highlights.js); the rest of the cloud dims. Invalid
   * indices are ignored. The view never changes these by itself (a click
   * only calls onSelect): the page owns the selection.
   */
  setHighlights({ results = [], selected = null, inputs = [], labelled = [] } = {}) {
    if (this._disposed) return;
    this._highlights = normaliseHighlights({ results, inputs, selected, labelled }, this.count);
    this._applyHighlights();
    this._invalidate();
  }

  /** New text for the points' labels (same n): e.g. a metadata column's values instead of the words ("Label by"). */
  setLabels(labels) {
    if (this._disposed || labels === this._labels) return;
    this._labels = labels;
    this._applyHighlights();
    this._invalidate();
  }

  /**
   * Arrows between points: [{ from, to, color? '#rrggbb' }] (default the
   * palette's arrow colour). They follow the points through tweens.
   */
  setArrows(arrows = []) {
    if (this._disposed) return;
    const valid = (i) => Number.isInteger(i) && i >= 0 && i < this.count;
    const list = arrows
      .filter((a) => a && valid(a.from) && valid(a.to))
      .map((a) => ({ from: a.from, to: a.to, color: isHexColor(a.color) ? a.color : ROLE_COLORS.arrow }));
    this.arrowsLayer.setArrows(list);
    this.arrowsLayer.onPointPositionsChanged(this.positions.world);
    this._invalidate();
  }

  /** A point's true neighbours: { from, near: [indices], far: [indices] } (solid, dashed) or null; see neighbour-edges-layer.js. */
  setNeighbourEdges(edges) {
    if (this._disposed) return;
    this.edgesLayer.setEdges(edges, this.count);
    this._invalidate();
  }

  /** Named axes through the raw origin, x, y, z: [{ name, fromLabel, toLabel, ticks }] (entries may be null) or null. */
  setAxes(axes) {
    if (this._disposed) return;
    this.axesLayer.setAxes(axes);
    this._invalidate();
  }

  /**
   * A marked point that is not a word (the computed point b − a + c):
   * { position: [x, y, z] raw, label, links: [point indices] } or null.
   */
  setMarker(marker) {
    if (this._disposed) return;
    // The marker is fitted with the points (from the next setPoints, animateTo or refit).
    this.positions.fitAlso = marker?.position ? Float32Array.from(marker.position) : null;
    this.markerLayer.setMarker(marker);
    this.markerLayer.onPointPositionsChanged(this.positions.world);
    this._invalidate();
  }

  // ---------------------------------------------------------------- focus and view

  /**
   * Moves the keyboard focus to point `index` (null clears it): a ring
   * marks it, its label comes first, the camera pans if it is out of view,
   * and the live region names it. For "find this result in the 3D view".
   * Does not move the DOM focus; call container.focus() for that.
   */
  focusPoint(index) {
    if (this._disposed) return;
    const valid = Number.isInteger(index) && index >= 0 && index < this.count;
    const next = valid ? index : null;
    if (next !== null) {
      const w = this.positions.world;
      this.rig.bringIntoView(new THREE.Vector3(w[3 * next], w[3 * next + 1], w[3 * next + 2]), this._duration(FOCUS_PAN_MS));
      this.keyboard.announce(describePoint(this._highlights, next, this._labels, this.count));
    } else if (this._focusIndex !== null) {
      this.keyboard.announce('No word focused');
    }
    if (next === this._focusIndex) return;
    this._focusIndex = next;
    this._applyHighlights();
    this._invalidate();
    this._onFocus?.(next);
  }

  /** Moves the focus `delta` steps through the marked points, then the rest (wraps). */
  stepFocus(delta) {
    const n = this.count;
    if (n === 0) return;
    const order = stepOrder(this._highlights, n);
    const at = this._focusIndex === null ? -1 : order.indexOf(this._focusIndex);
    const k = at < 0 ? (delta > 0 ? 0 : n - 1) : (((at + delta) % n) + n) % n;
    this.focusPoint(order[k]);
  }

  /** Index of the keyboard-focused point, or null. */
  get focused() {
    return this._focusIndex;
  }

  /** Stops the loop, removes the canvas, labels, tooltip and key help, frees GPU resources. Idempotent. */
  dispose() {
    if (this._disposed) return;
    this.positions.finish();
    this.pointer.dispose();
    this.keyboard.dispose();
    super.dispose();
  }

  /** Number of points in the current set. */
  get count() {
    return this.positions.count;
  }

  /** Index of the point under the cursor, or null. */
  get hovered() {
    return this._hoverIndex;
  }

  /** Marked points whose label did not fit at the last render (shown on hover and focus). */
  get culledLabels() {
    return [...this.labelsLayer.culled];
  }

  /** The fitted positions the layers draw (Float32Array n*3; read-only). */
  get _world() {
    return this.positions.world;
  }

  /** The index under client point (x, y), or null (see pointer-input.js). */
  pick(clientX, clientY) {
    if (this._disposed) return null;
    return this.pointer.pick(clientX, clientY);
  }

  /** Diameter in CSS px of the marker drawn for index (0 if unmarked; the hover and focus markers aside). */
  markerSize(index) {
    return this._sizeOf.get(index) ?? 0;
  }

  /**
   * Where point `index` is drawn, in CSS pixels relative to the container's
   * top-left corner, or null if it is not in front of the camera. For
   * tooltips placed by the page and for tests that click a point.
   */
  screenPosition(index) {
    if (this._disposed || !Number.isInteger(index) || index < 0 || index >= this.count) return null;
    this.camera.updateMatrixWorld();
    const w = this.positions.world;
    const p = new THREE.Vector3(w[index * 3], w[index * 3 + 1], w[index * 3 + 2]).project(this.camera);
    if (p.z < -1 || p.z > 1) return null;
    const rect = this.renderer.domElement.getBoundingClientRect();
    return { x: ((p.x + 1) / 2) * rect.width, y: ((1 - p.y) / 2) * rect.height };
  }

  // ---------------------------------------------------------------- internals

  _checkSameCount(positions) {
    const n = checkPositions(positions);
    if (n !== this.count) throw new RangeError(`expected ${this.count} points (same n as setPoints), got ${n}; call setPoints for a new set`);
  }

  _positionsChanged() {
    for (const layer of this.layers) layer.onPointPositionsChanged(this.positions.world);
    this.pointer.markDirty(); // what is under the cursor may have moved
    this._invalidate();
  }

  _select(index) {
    this._onSelect?.(index);
  }

  _setHover(index) {
    if (index === this._hoverIndex) return;
    this._hoverIndex = index;
    this.pointer.showTooltip(index, index === null ? '' : String(this._labels[index] ?? `#${index}`));
    this._applyHighlights(); // the hover marker
    this._invalidate();
    this._onHover?.(index);
  }

  _applyHighlights() {
    const { markers, labels, obstacles, sizeOf } = composeHighlights(this._highlights, {
      words: this._labels,
      colors: this.pointsLayer.colors,
      ownColors: this._ownColors,
      hovered: this._hoverIndex !== null && this._hoverIndex < this.count ? this._hoverIndex : null,
      focused: this._focusIndex,
      theme: this._theme,
    });
    this._sizeOf = sizeOf;
    this.highlightLayer.setMarkers(markers);
    this.labelsLayer.setLabels(labels, obstacles);
    const h = this._highlights;
    const any = h.selected !== null || h.inputs.length > 0 || h.results.length > 0 || h.labelled.length > 0;
    this.pointsLayer.setDim(any ? DIM_AMOUNT : 0);
    for (const layer of [this.highlightLayer, this.labelsLayer]) layer.onPointPositionsChanged(this.positions.world);
  }

  _beforeFrame(now) {
    if (this.positions.step(now)) this._positionsChanged();
  }

  _afterCameraUpdate(now, frame) {
    this.pointer.onFrame(now, frame);
  }
}

function checkPositions(positions) {
  if (!(positions instanceof Float32Array || positions instanceof Float64Array || Array.isArray(positions))) {
    throw new TypeError('positions must be a Float32Array of n*3 values');
  }
  if (positions.length % 3 !== 0) throw new RangeError(`positions has ${positions.length} values, not a multiple of 3`);
  return positions.length / 3;
}

function isHexColor(value) {
  return typeof value === 'string' && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value);
}
