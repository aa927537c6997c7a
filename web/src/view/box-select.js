// Box selection on the 3D view: Shift+drag (or any drag while box mode is
// on, the way for touch screens) draws a rectangle, and the points drawn
// inside it are selected. Plain drags still orbit: the press is taken in
// the capture phase, before OrbitControls and the click-to-select of
// pointer-input.js see it, only when it starts a box.
import * as THREE from 'three';

const MIN_BOX_PX = 4; // a smaller box was a click

/**
 * Indices of the points drawn inside `box` ({ left, top, right, bottom } in
 * CSS px relative to the canvas), in front of the camera. Uses the same
 * projection as ScatterPlot.screenPosition.
 */
export function indicesInBox(plot, box) {
  const canvas = plot.renderer.domElement;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (!plot.count || !width || !height) return [];
  const camera = plot.camera;
  camera.updateMatrixWorld();
  const toClip = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
  const world = plot.positions.world;
  const p = new THREE.Vector3();
  const inside = [];
  for (let i = 0; i < plot.count; i++) {
    p.set(world[3 * i], world[3 * i + 1], world[3 * i + 2]).applyMatrix4(toClip);
    if (p.z < -1 || p.z > 1) continue;
    const x = ((p.x + 1) / 2) * width;
    const y = ((1 - p.y) / 2) * height;
    if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) inside.push(i);
  }
  return inside;
}

export class BoxSelect {
  /** plot: the ScatterPlot; onSelect(indices, box) after a box is drawn. */
  constructor(plot, { onSelect }) {
    this.plot = plot;
    this.onSelect = onSelect;
    this.armed = false; // box mode: a plain drag draws a box
    this.drag = null;
    this.rectangle = document.createElement('div');
    this.rectangle.className = 'box-select-rectangle';
    this.rectangle.setAttribute('aria-hidden', 'true');
    Object.assign(this.rectangle.style, { position: 'absolute', display: 'none', pointerEvents: 'none', zIndex: '3' });
    plot.container.appendChild(this.rectangle);
    this.handlers = {
      pointerdown: (e) => this.#down(e),
      pointermove: (e) => this.#move(e),
      pointerup: (e) => this.#up(e),
      pointercancel: () => this.#finish(null),
    };
    for (const [type, fn] of Object.entries(this.handlers)) plot.container.addEventListener(type, fn, { capture: true });
  }

  /** Box mode on or off (a plain drag draws a box instead of orbiting). */
  setArmed(on) {
    this.armed = Boolean(on);
    this.plot.renderer.domElement.style.cursor = this.armed ? 'crosshair' : '';
  }

  dispose() {
    for (const [type, fn] of Object.entries(this.handlers)) this.plot.container.removeEventListener(type, fn, { capture: true });
    this.rectangle.remove();
  }

  #down(event) {
    if (event.button !== 0 || !(event.shiftKey || this.armed) || event.target !== this.plot.renderer.domElement) return;
    event.stopPropagation();
    event.preventDefault();
    this.plot.container.setPointerCapture?.(event.pointerId);
    this.drag = { id: event.pointerId, x: event.clientX, y: event.clientY, toX: event.clientX, toY: event.clientY };
    this.#draw();
  }

  #move(event) {
    if (!this.drag || event.pointerId !== this.drag.id) return;
    event.stopPropagation();
    this.drag.toX = event.clientX;
    this.drag.toY = event.clientY;
    this.#draw();
  }

  #up(event) {
    if (!this.drag || event.pointerId !== this.drag.id) return;
    event.stopPropagation();
    this.drag.toX = event.clientX;
    this.drag.toY = event.clientY;
    this.#finish(this.drag);
  }

  #finish(drag) {
    this.drag = null;
    this.rectangle.style.display = 'none';
    if (!drag) return;
    const canvas = this.plot.renderer.domElement.getBoundingClientRect();
    const box = {
      left: Math.min(drag.x, drag.toX) - canvas.left,
      right: Math.max(drag.x, drag.toX) - canvas.left,
      top: Math.min(drag.y, drag.toY) - canvas.top,
      bottom: Math.max(drag.y, drag.toY) - canvas.top,
    };
    if (box.right - box.left < MIN_BOX_PX && box.bottom - box.top < MIN_BOX_PX) return;
    this.onSelect(indicesInBox(this.plot, box), box);
  }

  #draw() {
    const { x, y, toX, toY } = this.drag;
    const container = this.plot.container.getBoundingClientRect();
    Object.assign(this.rectangle.style, {
      display: 'block',
      left: `${Math.min(x, toX) - container.left}px`,
      top: `${Math.min(y, toY) - container.top}px`,
      width: `${Math.abs(toX - x)}px`,
      height: `${Math.abs(toY - y)}px`,
    });
  }
}
