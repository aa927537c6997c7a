// The 3D scatter plot: owns the three.js renderer, camera, OrbitControls,
// raycaster, the animation loop and the fit of raw positions into the view.
// What is drawn is split into layers with one interface (as in the
// TensorBoard projector): setScene, onPointPositionsChanged, onRender,
// onResize, dispose.
//
//   points-layer.js     the cloud (one THREE.Points, per-point colour/size)
//   arrows-layer.js     arrows between points
//   highlight-layer.js  markers for inputs/results/selected/hovered, on top
//   labels-layer.js     DOM text labels for the highlighted points
//
// Data flow: callers pass raw projection output. ScatterPlot keeps a copy
// (`raw`), the fit (centre, scale) and `world` = (raw - centre) * scale, the
// one Float32Array every layer reads (the points layer uploads it as its
// position attribute). Tweens write `world` in place each frame.
//
// Rendering is on demand: the loop runs every animation frame but only
// renders when something changed (data, camera, tween, size), so an idle
// page costs nothing on the GPU.
//
// CSP: everything here is created with createElement/textContent and styled
// through the CSSOM; no HTML strings, no <style> injection, no eval.

import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { PointsLayer } from './points-layer.js';
import { HighlightLayer, MARKER_SIZES } from './highlight-layer.js';
import { LabelsLayer } from './labels-layer.js';
import { ArrowsLayer } from './arrows-layer.js';
import { THEMES, ROLE_COLORS, hexToRgb01 } from './palette.js';
import { FIT_RADIUS, computeFit, applyFit, lerpFit, radiusUnderFit, easeInOutCubic, easeOutCubic, identityFit } from './fit.js';

const FOV_DEG = 45;
// Default camera direction: slightly above and to the side, so a 3D cloud
// reads as 3D on first sight (straight on, PCA's z axis would be invisible).
const DEFAULT_VIEW_DIR = new THREE.Vector3(0.42, 0.3, 1).normalize();
// t-SNE frames (setPositions) refit only when the cloud has grown past this
// radius or shrunk below the next one (the fit puts it at FIT_RADIUS). The
// wide band is the hysteresis that keeps the view still between refits.
const REFIT_GROW = 1.6 * FIT_RADIUS;
const REFIT_SHRINK = 0.4 * FIT_RADIUS;
const AUTO_REFIT_MS = 450;
const CLICK_SLOP_PX = 5; // a pointerdown/up farther apart than this was a drag
const HOVER_REPICK_MS = 80; // re-pick under a still cursor while the camera moves
const FRAME_HISTORY = 600;
const DIM_AMOUNT = 0.4; // how far non-highlighted points fade toward the background when some are highlighted

export class ScatterPlot {
  /**
   * container: an element sized by CSS; the canvas fills it.
   * options: onHover(index|null) when the point under the cursor changes;
   *   onSelect(index|null) on a click (null on empty space; drags are not
   *   clicks); theme 'light'|'dark'; pointSize: base diameter in CSS px
   *   (default: chosen from n); antialias: true | false | 'auto' (MSAA,
   *   which only the arrows need: points antialias in their shader and
   *   text is DOM; 'auto', the default, turns it off on software
   *   rasterizers such as SwiftShader, where 4x MSAA halves the frame rate
   *   at 20,000 points); maxPixelRatio (default 2).
   */
  constructor(container, { onHover = null, onSelect = null, theme = 'light', pointSize = null, antialias = 'auto', maxPixelRatio = 2 } = {}) {
    if (!(container instanceof HTMLElement)) throw new TypeError('ScatterPlot needs a container element');
    this.container = container;
    this._onHover = onHover;
    this._onSelect = onSelect;
    this._theme = THEMES[theme] ?? THEMES.light;
    this._maxPixelRatio = maxPixelRatio;
    if (getComputedStyle(container).position === 'static') container.style.position = 'relative';

    this.renderer = createRenderer(antialias);
    this.renderer.setClearColor(new THREE.Color(this._theme.background), 1);
    const canvas = this.renderer.domElement;
    // Out of the layout flow: the canvas follows the container's size and
    // never props it open (a canvas sized in px would stop a flex item from
    // shrinking).
    Object.assign(canvas.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%', display: 'block', outline: 'none' });
    canvas.setAttribute('aria-hidden', 'true'); // the page offers the same words as text
    container.appendChild(canvas);

    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(FOV_DEG, 1, 0.01, 100);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.minDistance = 0.1;
    this.controls.maxDistance = 20;
    this.controls.autoRotateSpeed = 1.5; // one turn in 40 s
    this.controls.addEventListener('change', () => this._invalidate());
    this.raycaster = new THREE.Raycaster();

    this.pointsLayer = new PointsLayer({ background: this._theme.background, defaultColor: this._theme.point });
    if (pointSize != null) this.pointsLayer.setPointSize(pointSize);
    this.arrowsLayer = new ArrowsLayer({ markerRadiusPx: (i) => this._markerRadiusPx(i) });
    this.highlightLayer = new HighlightLayer({ outline: this._theme.outline, background: this._theme.background, ringColor: ROLE_COLORS.selected });
    this.labelsLayer = new LabelsLayer(container, this._theme);
    /** Drawn in this order (renderOrder also enforces it). */
    this.layers = [this.pointsLayer, this.arrowsLayer, this.highlightLayer, this.labelsLayer];
    for (const layer of this.layers) layer.setScene(this.scene);

    this._tooltip = document.createElement('div');
    Object.assign(this._tooltip.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      pointerEvents: 'none',
      display: 'none',
      font: '500 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
      color: this._theme.tooltipText,
      background: this._theme.tooltipBackground,
      padding: '3px 8px',
      borderRadius: '6px',
      whiteSpace: 'nowrap',
      zIndex: '2',
      boxShadow: '0 2px 6px rgba(0, 0, 0, 0.25)',
    });
    this._tooltip.setAttribute('role', 'tooltip');
    container.appendChild(this._tooltip);

    // Data state (see the header comment).
    this._n = 0;
    this._labels = [];
    this._raw = new Float32Array(0);
    this._world = new Float32Array(0);
    this._fit = identityFit();
    this._tween = null;
    this._highlights = { results: [], selected: null, inputs: [] };
    this._hoverIndex = null;

    // Interaction state.
    this._pointer = { inside: false, x: 0, y: 0, dirty: false, lastPick: 0 };
    this._down = null;
    this._listeners = [];
    this._listen(canvas, 'pointermove', (e) => this._onPointerMove(e));
    this._listen(canvas, 'pointerdown', (e) => this._onPointerDown(e));
    this._listen(canvas, 'pointerup', (e) => this._onPointerUp(e));
    this._listen(canvas, 'pointerleave', () => this._onPointerLeave());
    this._listen(canvas, 'webglcontextrestored', () => this._invalidate());

    // Frame timing for the benchmark: intervals between consecutive rendered
    // frames (what the user sees) and the JS+submit time of each frame.
    this._intervals = new Float64Array(FRAME_HISTORY);
    this._work = new Float64Array(FRAME_HISTORY);
    this._timingCount = 0;
    this._lastRenderStamp = -1;
    this._lastTickStamp = -1;
    this._lastTickRendered = false;

    this._width = 0;
    this._height = 0;
    this._viewInitialised = false;
    this._needsRender = true;
    this._disposed = false;
    this._resizeObserver = new ResizeObserver(() => this.resize());
    this._resizeObserver.observe(container);
    this.resize();
    this._reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)') ?? null;

    this.renderer.setAnimationLoop((time) => this._frame(time));
  }

  // ---------------------------------------------------------------- data

  /**
   * Replaces the point set. positions: Float32Array n*3 at any scale (copied,
   * then fitted into the view); labels: string[n] (hover/label text);
   * colors: Float32Array n*3 in 0..1 or null for the theme's grey-blue.
   * Clears highlights, arrows and hover: their indices belonged to the old set.
   */
  setPoints({ positions, labels = [], colors = null }) {
    if (this._disposed) return;
    const n = checkPositions(positions);
    if (colors && colors.length !== n * 3) throw new RangeError(`colors has ${colors.length} values, expected ${n * 3} (n*3)`);
    this._finishTween();
    this._n = n;
    this._labels = labels;
    this._raw = Float32Array.from(positions);
    this._fit = computeFit(this._raw);
    this._world = applyFit(this._raw, this._fit);
    this.pointsLayer.setData(this._world, colors);
    this._highlights = { results: [], selected: null, inputs: [] };
    this._applyHighlights();
    this.arrowsLayer.setArrows([]);
    this._setHover(null);
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
    // Mid-tween: start the new one from what is on screen now, not from
    // where the old one was heading (no jump).
    this._finishTween();
    this._raw.set(positions);
    const target = refit ? computeFit(this._raw) : this._fit;
    return this._startPositionTween(target, durationMs);
  }

  /**
   * Immediate update (same n): no tween, no refit, except when the cloud
   * has grown past 1.6x or shrunk below 0.4x the fitted size (t-SNE growing
   * from its tiny start); then the view refits smoothly, and stays put again
   * until the next such change. Frames that arrive during that refit are
   * measured against the fit it is heading for, and retarget it if they have
   * outgrown that too, so fast growth cannot run away from the view.
   */
  setPositions(positions) {
    if (this._disposed) return;
    this._checkSameCount(positions);
    this._raw.set(positions);
    if (this._tween?.kind === 'positions') {
      // A progressive frame overtakes a projection tween: jump to the newest
      // frame under the fit that tween was heading for.
      const { resolve } = this._tween;
      this._tween = null;
      resolve();
    }
    // While a refit runs, this._fit is already its target.
    const r = radiusUnderFit(this._raw, this._fit);
    if (r > REFIT_GROW || (r > 0 && r < REFIT_SHRINK)) {
      this._startFitTween(computeFit(this._raw), AUTO_REFIT_MS, easeOutCubic);
    }
    if (this._tween?.kind === 'fit') return; // the running refit applies the new raw next frame
    applyFit(this._raw, this._fit, this._world);
    this._positionsChanged();
  }

  /** Recomputes the fit from the current positions and animates to it. Resolves at the end. */
  refit(durationMs = 500) {
    if (this._disposed) return Promise.resolve();
    const target = computeFit(this._raw);
    // Mid-projection-tween: retarget that tween rather than stacking a second one.
    if (this._tween?.kind === 'positions') {
      this._finishTween();
      return this._startPositionTween(target, durationMs);
    }
    return this._startFitTween(target, durationMs);
  }

  /** Per-point colours: Float32Array n*3 in 0..1, or null for the theme's default. */
  setColors(colors) {
    if (this._disposed) return;
    this.pointsLayer.setColors(colors);
    this._applyHighlights(); // the hover marker uses the point's own colour
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
   * Highlights: results and inputs (index arrays) and one selected index.
   * They are drawn larger, on top, each with a text label; the selected
   * point gets a ring; the rest of the cloud dims. Invalid indices are
   * ignored. The view never changes these by itself (a click only calls
   * onSelect): the page owns the selection.
   */
  setHighlights({ results = [], selected = null, inputs = [] } = {}) {
    if (this._disposed) return;
    const valid = (i) => Number.isInteger(i) && i >= 0 && i < this._n;
    this._highlights = {
      results: [...results].filter(valid),
      inputs: [...inputs].filter(valid),
      selected: valid(selected) ? selected : null,
    };
    this._applyHighlights();
    this._invalidate();
  }

  /**
   * Arrows between points: [{ from, to, color? '#rrggbb' }] (default the
   * palette's arrow colour). They follow the points through tweens.
   */
  setArrows(arrows = []) {
    if (this._disposed) return;
    const valid = (i) => Number.isInteger(i) && i >= 0 && i < this._n;
    const list = arrows
      .filter((a) => a && valid(a.from) && valid(a.to))
      .map((a) => ({ from: a.from, to: a.to, color: isHexColor(a.color) ? a.color : ROLE_COLORS.arrow }));
    this.arrowsLayer.setArrows(list);
    this.arrowsLayer.onPointPositionsChanged(this._world);
    this._invalidate();
  }

  // ---------------------------------------------------------------- view

  /** Turns OrbitControls.autoRotate on or off (demos, the orbit benchmark). */
  setAutoRotate(on, speed = this.controls.autoRotateSpeed) {
    if (this._disposed) return;
    this.controls.autoRotate = !!on;
    this.controls.autoRotateSpeed = speed;
    this._invalidate();
  }

  /** Puts the camera back to the default view of the fitted cloud. */
  resetView() {
    if (this._disposed) return;
    const aspect = this._width > 0 && this._height > 0 ? this._width / this._height : 1;
    // Distance at which the fitted sphere fills the narrower field of view,
    // with a little to spare, so it stays in view from every orbit angle.
    const vHalf = THREE.MathUtils.degToRad(FOV_DEG) / 2;
    const hHalf = Math.atan(Math.tan(vHalf) * aspect);
    const distance = (FIT_RADIUS * 1.05) / Math.sin(Math.min(vHalf, hHalf));
    this.controls.target.set(0, 0, 0);
    this.camera.position.copy(DEFAULT_VIEW_DIR).multiplyScalar(distance);
    this.camera.lookAt(0, 0, 0);
    this.controls.update();
    this._invalidate();
  }

  /** Recent intervals between rendered frames in ms, oldest first (Float64Array). */
  frameTimes() {
    return this._history(this._intervals);
  }

  /** Recent main-thread time per rendered frame in ms (layers + render submit), oldest first. */
  frameWorkTimes() {
    return this._history(this._work);
  }

  /** Forgets the recorded frame times (start of a benchmark window). */
  resetFrameTimes() {
    this._timingCount = 0;
    this._lastRenderStamp = -1;
  }

  /** Re-reads the container size; also called by an internal ResizeObserver. */
  resize() {
    if (this._disposed) return;
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    if (width === 0 || height === 0) return; // hidden: keep the last size
    const pixelRatio = Math.min(window.devicePixelRatio || 1, this._maxPixelRatio);
    if (width === this._width && height === this._height && pixelRatio === this.renderer.getPixelRatio()) return;
    this._width = width;
    this._height = height;
    this.renderer.setPixelRatio(pixelRatio);
    this.renderer.setSize(width, height, false); // CSS size comes from the style set above
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    for (const layer of this.layers) layer.onResize(width, height, pixelRatio);
    if (!this._viewInitialised) {
      this._viewInitialised = true;
      this.resetView();
    }
    this._invalidate();
  }

  /** Stops the loop, removes the canvas, labels and tooltip, frees GPU resources. Idempotent. */
  dispose() {
    if (this._disposed) return;
    this._finishTween();
    this._disposed = true;
    this.renderer.setAnimationLoop(null);
    this._resizeObserver.disconnect();
    for (const [target, type, fn] of this._listeners) target.removeEventListener(type, fn);
    this._listeners = [];
    this.controls.dispose();
    for (const layer of this.layers) layer.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss(); // browsers cap live WebGL contexts (~16)
    this.renderer.domElement.remove();
    this._tooltip.remove();
  }

  /** Number of points in the current set. */
  get count() {
    return this._n;
  }

  /** Whether the drawing buffer has MSAA (see the antialias option). */
  get antialiased() {
    return this.renderer.getContextAttributes()?.antialias === true;
  }

  /** Index of the point under the cursor, or null. */
  get hovered() {
    return this._hoverIndex;
  }

  // ---------------------------------------------------------------- internals

  _listen(target, type, fn) {
    target.addEventListener(type, fn);
    this._listeners.push([target, type, fn]);
  }

  _invalidate() {
    this._needsRender = true;
  }

  _checkSameCount(positions) {
    const n = checkPositions(positions);
    if (n !== this._n) throw new RangeError(`expected ${this._n} points (same n as setPoints), got ${n}; call setPoints for a new set`);
  }

  _positionsChanged() {
    for (const layer of this.layers) layer.onPointPositionsChanged(this._world);
    this._pointer.dirty = this._pointer.inside; // what is under the cursor may have moved
    this._invalidate();
  }

  _duration(ms) {
    return this._reducedMotion?.matches ? 0 : Math.max(0, ms);
  }

  _startPositionTween(targetFit, durationMs) {
    const to = applyFit(this._raw, targetFit);
    this._fit = targetFit;
    return new Promise((resolve) => {
      this._tween = { kind: 'positions', from: this._world.slice(), to, ease: easeInOutCubic, start: performance.now(), duration: this._duration(durationMs), resolve };
      this._invalidate();
    });
  }

  _startFitTween(targetFit, durationMs, ease = easeInOutCubic) {
    // Start from the fit on screen: mid-refit that is the running tween's
    // interpolated fit, not its target.
    const from = this._tween?.kind === 'fit' ? { ...this._tween.current } : { ...this._fit };
    this._finishTween();
    this._fit = targetFit;
    return new Promise((resolve) => {
      this._tween = { kind: 'fit', from, to: targetFit, current: { ...from }, ease, start: performance.now(), duration: this._duration(durationMs), resolve };
      this._invalidate();
    });
  }

  /**
   * Stops the running tween where it is (world keeps what is on screen) and
   * resolves its promise. Callers then start a new tween from that state.
   */
  _finishTween() {
    const tween = this._tween;
    if (!tween) return;
    this._tween = null;
    tween.resolve();
  }

  _stepTween(now) {
    const tween = this._tween;
    const t = tween.duration > 0 ? Math.min(1, (now - tween.start) / tween.duration) : 1;
    const e = tween.ease(t);
    if (tween.kind === 'positions') {
      const { from, to } = tween;
      const world = this._world;
      for (let i = 0; i < world.length; i++) world[i] = from[i] + (to[i] - from[i]) * e;
    } else {
      applyFit(this._raw, lerpFit(tween.from, tween.to, e, tween.current), this._world);
    }
    this._positionsChanged();
    if (t >= 1) {
      this._tween = null;
      tween.resolve();
    }
  }

  _frame(time) {
    const start = performance.now();
    const dt = this._lastTickStamp >= 0 ? Math.min((time - this._lastTickStamp) / 1000, 0.1) : 1 / 60;
    if (this._tween) this._stepTween(start);
    // update() moves the camera for damping/auto-rotate and fires 'change'
    // (which invalidates) when it did; dt keeps auto-rotate frame-rate independent.
    const cameraMoved = this.controls.update(dt);
    const rendered = this._needsRender;
    if (rendered) {
      this._needsRender = false;
      if (this._pointer.inside && !this._down && (cameraMoved || this._pointer.dirty)) {
        if (this._pointer.dirty || start - this._pointer.lastPick > HOVER_REPICK_MS) this._hoverAtPointer(start);
      }
      this.camera.updateMatrixWorld(); // layers project with matrixWorldInverse before render() would update it
      for (const layer of this.layers) layer.onRender(this.camera);
      this.renderer.render(this.scene, this.camera);
      this._recordFrame(time, performance.now() - start);
    } else if (this._pointer.dirty && !this._down) {
      this._hoverAtPointer(start);
    }
    this._lastTickStamp = time;
    this._lastTickRendered = rendered;
  }

  _recordFrame(time, work) {
    // Only back-to-back rendered frames measure the frame rate; the first
    // frame after an idle stretch would otherwise record the idle time.
    if (this._lastTickRendered && this._lastRenderStamp >= 0) {
      const k = this._timingCount % FRAME_HISTORY;
      this._intervals[k] = time - this._lastRenderStamp;
      this._work[k] = work;
      this._timingCount++;
    }
    this._lastRenderStamp = time;
  }

  _history(ring) {
    const count = Math.min(this._timingCount, FRAME_HISTORY);
    const out = new Float64Array(count);
    const first = this._timingCount - count;
    for (let j = 0; j < count; j++) out[j] = ring[(first + j) % FRAME_HISTORY];
    return out;
  }

  // -- highlights

  _applyHighlights() {
    const { results, inputs, selected } = this._highlights;
    const label = (i) => String(this._labels[i] ?? '');
    const markers = [];
    const labels = [];
    const rgb = (hex) => hexToRgb01(hex);
    // Draw order: later markers are drawn on top, so the most important last.
    for (let k = results.length - 1; k >= 0; k--) {
      markers.push({ index: results[k], rgb: rgb(ROLE_COLORS.result), size: MARKER_SIZES.result, ring: false });
    }
    for (const i of inputs) markers.push({ index: i, rgb: rgb(ROLE_COLORS.input), size: MARKER_SIZES.input, ring: false });
    if (selected !== null) {
      // The ring says "selected"; the fill keeps the point's role colour.
      const fill = inputs.includes(selected) ? ROLE_COLORS.input : results.includes(selected) ? ROLE_COLORS.result : ROLE_COLORS.selected;
      markers.push({ index: selected, rgb: rgb(fill), size: MARKER_SIZES.selected, ring: true });
    }
    // The hovered point gets a marker in its own colour, unless it already
    // has a role marker (which, with the tooltip, marks it well enough).
    const hover = this._hoverIndex;
    if (hover !== null && hover < this._n && this._markerSize(hover) === 0) {
      const c = this.pointsLayer.colors;
      markers.push({ index: hover, rgb: [c[3 * hover], c[3 * hover + 1], c[3 * hover + 2]], size: MARKER_SIZES.hover, ring: false });
    }
    this.highlightLayer.setMarkers(markers);

    // Label priority: selected, inputs, then results in rank order.
    if (selected !== null) labels.push({ index: selected, text: label(selected), color: ROLE_COLORS.selected, markerSize: MARKER_SIZES.selected });
    for (const i of inputs) labels.push({ index: i, text: label(i), color: ROLE_COLORS.input, markerSize: MARKER_SIZES.input });
    for (const i of results) labels.push({ index: i, text: label(i), color: ROLE_COLORS.result, markerSize: MARKER_SIZES.result });
    this.labelsLayer.setLabels(labels);

    const any = selected !== null || inputs.length > 0 || results.length > 0;
    this.pointsLayer.setDim(any ? DIM_AMOUNT : 0);
    for (const layer of [this.highlightLayer, this.labelsLayer]) layer.onPointPositionsChanged(this._world);
  }

  /** Diameter in CSS px of the role marker drawn for index (0 if none; the hover marker aside). */
  _markerSize(index) {
    const { results, inputs, selected } = this._highlights;
    if (index === selected) return MARKER_SIZES.selected;
    if (inputs.includes(index)) return MARKER_SIZES.input;
    if (results.includes(index)) return MARKER_SIZES.result;
    return 0;
  }

  _markerRadiusPx(index) {
    return Math.max(this._markerSize(index), this.pointsLayer.pointSize) / 2;
  }

  /**
   * Where point `index` is drawn, in CSS pixels relative to the container's
   * top-left corner, or null if it is not in front of the camera. For
   * tooltips placed by the page and for tests that click a point.
   */
  screenPosition(index) {
    if (this._disposed || index === null || index === undefined || index < 0 || index >= this._n) return null;
    this.camera.updateMatrixWorld();
    const p = new THREE.Vector3(this._world[index * 3], this._world[index * 3 + 1], this._world[index * 3 + 2]).project(this.camera);
    if (p.z < -1 || p.z > 1) return null;
    const rect = this.renderer.domElement.getBoundingClientRect();
    return { x: ((p.x + 1) / 2) * rect.width, y: ((1 - p.y) / 2) * rect.height };
  }

  // -- picking

  /**
   * The index under client point (x, y), or null. Raycaster on the cloud
   * with a threshold from the camera's world-units-per-pixel (the fit makes
   * world units the same for any data), then an exact test in pixels: a
   * point is hit if the cursor is within its drawn radius (markers are
   * bigger) plus 2 px. Among hits, highlighted markers win (they are drawn
   * on top), then the point nearest the camera (what the eye sees).
   */
  pick(clientX, clientY) {
    if (this._disposed || this._n === 0 || this._height === 0) return null;
    const rect = this.renderer.domElement.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.camera.updateMatrixWorld();
    this.raycaster.setFromCamera(ndc, this.camera);
    const perPixelAt1 = (2 * Math.tan(THREE.MathUtils.degToRad(this.camera.fov) / 2)) / this._height;
    const targetDistance = this.camera.position.distanceTo(this.controls.target);
    const farthest = targetDistance + FIT_RADIUS * 2; // REFIT_GROW leaves points up to 1.6 out
    const maxRadiusPx = Math.max(MARKER_SIZES.selected / 2, this.pointsLayer.diameterAtDepth(0.1) / 2) + 2;
    this.raycaster.params.Points.threshold = maxRadiusPx * perPixelAt1 * farthest;
    this.pointsLayer.prepareForRaycast();
    const hits = this.raycaster.intersectObject(this.pointsLayer.points, false);
    let best = null;
    for (const hit of hits) {
      const perPixel = perPixelAt1 * Math.max(hit.distance, 1e-6);
      const distancePx = hit.distanceToRay / perPixel;
      const marker = this._markerSize(hit.index);
      const radiusPx = Math.max(marker, this.pointsLayer.diameterAtDepth(hit.distance)) / 2 + 2;
      if (distancePx > radiusPx) continue;
      const rank = marker > 0 ? 0 : 1;
      if (!best || rank < best.rank || (rank === best.rank && hit.distance < best.distance)) {
        best = { index: hit.index, rank, distance: hit.distance };
      }
    }
    return best ? best.index : null;
  }

  _hoverAtPointer(now) {
    this._pointer.dirty = false;
    this._pointer.lastPick = now;
    this._setHover(this.pick(this._pointer.x, this._pointer.y));
    if (this._hoverIndex !== null) this._placeTooltip();
  }

  _setHover(index) {
    if (index === this._hoverIndex) return;
    this._hoverIndex = index;
    if (index === null) {
      this._tooltip.style.display = 'none';
    } else {
      this._tooltip.textContent = String(this._labels[index] ?? `#${index}`);
      this._tooltip.style.display = '';
    }
    this.renderer.domElement.style.cursor = index === null ? '' : 'pointer';
    this._applyHighlights(); // the hover marker
    this._invalidate();
    this._onHover?.(index);
  }

  _placeTooltip() {
    const rect = this.container.getBoundingClientRect();
    const tip = this._tooltip;
    let x = this._pointer.x - rect.left + 14;
    let y = this._pointer.y - rect.top + 16;
    // Keep it inside the container: flip to the other side of the cursor.
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    if (x + w > rect.width) x = this._pointer.x - rect.left - 10 - w;
    if (y + h > rect.height) y = this._pointer.y - rect.top - 10 - h;
    tip.style.transform = `translate(${Math.round(Math.max(0, x))}px, ${Math.round(Math.max(0, y))}px)`;
  }

  _onPointerMove(event) {
    const p = this._pointer;
    p.inside = true;
    p.x = event.clientX;
    p.y = event.clientY;
    if (this._down && Math.hypot(event.clientX - this._down.x, event.clientY - this._down.y) > CLICK_SLOP_PX) {
      this._down.dragged = true;
      this._setHover(null); // no tooltip while orbiting
      return;
    }
    if (this._down) return;
    p.dirty = true; // picked in the next frame: at most one raycast per frame
    if (this._hoverIndex !== null) this._placeTooltip();
  }

  _onPointerDown(event) {
    if (event.button !== 0) return;
    this._down = { x: event.clientX, y: event.clientY, dragged: false, id: event.pointerId };
  }

  _onPointerUp(event) {
    const down = this._down;
    this._down = null;
    if (!down || event.pointerId !== down.id) return;
    if (down.dragged || Math.hypot(event.clientX - down.x, event.clientY - down.y) > CLICK_SLOP_PX) return;
    const index = this.pick(event.clientX, event.clientY);
    this._onSelect?.(index);
    this._pointer.dirty = true;
  }

  _onPointerLeave() {
    this._pointer.inside = false;
    this._pointer.dirty = false;
    if (!this._down) this._setHover(null);
  }
}

/** A WebGLRenderer; for antialias 'auto', one without MSAA if the context turns out to be software. */
function createRenderer(antialias) {
  const options = { powerPreference: 'high-performance' };
  const renderer = new THREE.WebGLRenderer({ ...options, antialias: antialias !== false });
  if (antialias !== 'auto' || !isSoftwareRenderer(renderer.getContext())) return renderer;
  renderer.dispose();
  renderer.forceContextLoss(); // release it now: browsers cap live contexts
  return new THREE.WebGLRenderer({ ...options, antialias: false });
}

/** True for CPU rasterizers (SwiftShader, llvmpipe, WARP), judged by the renderer string. */
function isSoftwareRenderer(gl) {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  // Firefox hides the extension but puts the (sanitised) name in RENDERER.
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
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
