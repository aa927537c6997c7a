// The stage under the scatter plot: renderer and canvas, scene, camera rig,
// the on-demand animation loop, resize, frame timing and teardown. The
// scatter plot (scatter-plot.js) extends it with the data, the layers and
// the interaction; the loop calls back into it through the hooks below.
//
// Rendering is on demand: the loop runs every animation frame but only
// renders when something changed (data, camera, tween, size), so an idle
// page costs nothing on the GPU.

import * as THREE from 'three';
import { THEMES } from './palette.js';
import { CameraRig } from './camera-rig.js';
import { FrameStats } from './frame-stats.js';
import { createRenderer } from './renderer.js';

export class PlotStage {
  /** See ScatterPlot for the options; subclasses call _start() once their layers exist. */
  constructor(container, { theme = 'light', antialias = 'auto', maxPixelRatio = 2 } = {}) {
    if (!(container instanceof HTMLElement)) throw new TypeError('ScatterPlot needs a container element');
    this.container = container;
    this._theme = THEMES[theme] ?? THEMES.light;
    this._maxPixelRatio = maxPixelRatio;
    this._disposed = false;
    this._listeners = [];
    this.layers = [];
    if (getComputedStyle(container).position === 'static') container.style.position = 'relative';

    this.renderer = createRenderer(antialias);
    this.renderer.setClearColor(new THREE.Color(this._theme.background), 1);
    const canvas = this.renderer.domElement;
    // Out of the layout flow: the canvas follows the container's size and
    // never props it open (a canvas sized in px would stop a flex item from
    // shrinking).
    Object.assign(canvas.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%', display: 'block', outline: 'none' });
    canvas.setAttribute('aria-hidden', 'true'); // the keyboard focus and the page's lists carry the words as text
    container.appendChild(canvas);

    this.scene = new THREE.Scene();
    this.rig = new CameraRig(canvas, () => this._invalidate());
    this.camera = this.rig.camera;
    this.controls = this.rig.controls;
    this.stats = new FrameStats();
    this._reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)') ?? null;
    this._listen(canvas, 'webglcontextrestored', () => this._invalidate());

    this._width = 0;
    this._height = 0;
    this._viewInitialised = false;
    this._needsRender = true;
    this._lastTickStamp = -1;
    this._lastTickRendered = false;
  }

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
    this.rig.resetView(this._width, this._height);
  }

  /** Recent intervals between rendered frames in ms, oldest first (Float64Array). */
  frameTimes() {
    return this.stats.intervals();
  }

  /** Recent main-thread time per rendered frame in ms (layers + render submit), oldest first. */
  frameWorkTimes() {
    return this.stats.workTimes();
  }

  /** Forgets the recorded frame times (start of a benchmark window). */
  resetFrameTimes() {
    this.stats.reset();
  }

  /** Whether the drawing buffer has MSAA (see the antialias option). */
  get antialiased() {
    return this.renderer.getContextAttributes()?.antialias === true;
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
    this.rig.setAspect(width, height);
    for (const layer of this.layers) layer.onResize(width, height, pixelRatio);
    if (!this._viewInitialised) {
      this._viewInitialised = true;
      this.resetView();
    }
    this._invalidate();
  }

  /** Stops the loop, removes the canvas, frees GPU resources. Idempotent. */
  dispose() {
    if (this._disposed) return;
    this._disposed = true;
    this.renderer.setAnimationLoop(null);
    this._resizeObserver?.disconnect();
    for (const [target, type, fn] of this._listeners) target.removeEventListener(type, fn);
    this._listeners = [];
    this.rig.dispose();
    for (const layer of this.layers) layer.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss(); // browsers cap live WebGL contexts (~16)
    this.renderer.domElement.remove();
  }

  // ---------------------------------------------------------------- for subclasses

  /** Sizes the view and starts the loop. */
  _start() {
    this._resizeObserver = new ResizeObserver(() => this.resize());
    this._resizeObserver.observe(this.container);
    this.resize();
    this.renderer.setAnimationLoop((time) => this._frame(time));
  }

  /** Adds a listener that dispose() removes. */
  _listen(target, type, fn) {
    target.addEventListener(type, fn);
    this._listeners.push([target, type, fn]);
  }

  _invalidate() {
    this._needsRender = true;
  }

  /** A duration in ms, or 0 under prefers-reduced-motion. */
  _duration(ms) {
    return this._reducedMotion?.matches ? 0 : Math.max(0, ms);
  }

  /** Hook: advance tweens; called first in each frame. */
  _beforeFrame(/* now */) {}

  /** Hook: after the camera update, before rendering (hover picking). */
  _afterCameraUpdate(/* now, { rendered, cameraMoved } */) {}

  _frame(time) {
    const start = performance.now();
    const dt = this._lastTickStamp >= 0 ? Math.min((time - this._lastTickStamp) / 1000, 0.1) : 1 / 60;
    this._beforeFrame(start);
    // update() moves the camera for damping/auto-rotate/pan and invalidates
    // when it did; dt keeps auto-rotate frame-rate independent.
    const cameraMoved = this.rig.update(dt, start);
    const rendered = this._needsRender;
    this._afterCameraUpdate(start, { rendered, cameraMoved });
    if (this._needsRender) {
      this._needsRender = false;
      this.camera.updateMatrixWorld(); // layers project with matrixWorldInverse before render() would update it
      for (const layer of this.layers) layer.onRender(this.camera);
      this.renderer.render(this.scene, this.camera);
      this.stats.record(time, performance.now() - start, this._lastTickRendered);
    }
    this._lastTickStamp = time;
    this._lastTickRendered = rendered;
  }
}
