// The pointer: picking, hover (tooltip and hover marker) and click-to-select.
// OrbitControls handles drags on the same canvas; a press that moved more
// than CLICK_SLOP_PX was a drag, not a click.

import * as THREE from 'three';
import { FIT_RADIUS } from './fit.js';
import { MARKER_SIZES } from './highlights.js';

const CLICK_SLOP_PX = 5;
const HOVER_REPICK_MS = 80; // re-pick under a still cursor while the camera moves

export class PointerInput {
  /**
   * plot: the ScatterPlot (camera rig, points layer, sizes, container);
   * listen(target, type, fn): registers a listener the plot removes on
   * dispose; theme: for the tooltip.
   */
  constructor(plot, listen, theme) {
    this._plot = plot;
    this.raycaster = new THREE.Raycaster();
    this.state = { inside: false, x: 0, y: 0, dirty: false, lastPick: 0 };
    this.down = null;
    this.tooltip = document.createElement('div');
    Object.assign(this.tooltip.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      pointerEvents: 'none',
      display: 'none',
      font: '500 13px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
      color: theme.tooltipText,
      background: theme.tooltipBackground,
      padding: '3px 8px',
      borderRadius: '6px',
      whiteSpace: 'nowrap',
      zIndex: '2',
      boxShadow: '0 2px 6px rgba(0, 0, 0, 0.25)',
    });
    this.tooltip.setAttribute('aria-hidden', 'true'); // the keyboard focus announces words through the live region
    plot.container.appendChild(this.tooltip);
    const canvas = plot.renderer.domElement;
    listen(canvas, 'pointermove', (e) => this._onMove(e));
    listen(canvas, 'pointerdown', (e) => this._onDown(e));
    listen(canvas, 'pointerup', (e) => this._onUp(e));
    listen(canvas, 'pointerleave', () => this._onLeave());
  }

  /**
   * The index under client point (x, y), or null. Raycaster on the cloud
   * with a threshold from the camera's world-units-per-pixel (the fit makes
   * world units the same for any data), then an exact test in pixels: a
   * point is hit if the cursor is within its drawn radius (markers are
   * bigger) plus 2 px. Among hits, marked points win (their markers are
   * drawn on top), then the point nearest the camera (what the eye sees).
   */
  pick(clientX, clientY) {
    const plot = this._plot;
    const height = plot.renderer.domElement.clientHeight;
    if (plot.count === 0 || height === 0) return null;
    const { camera, controls } = plot.rig;
    const rect = plot.renderer.domElement.getBoundingClientRect();
    const ndc = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    camera.updateMatrixWorld();
    this.raycaster.setFromCamera(ndc, camera);
    const perPixelAt1 = plot.rig.perPixelAt1(height);
    const farthest = camera.position.distanceTo(controls.target) + FIT_RADIUS * 2; // refits leave points up to 1.6 out
    const maxRadiusPx = Math.max(MARKER_SIZES.selected / 2, plot.pointsLayer.diameterAtDepth(0.1) / 2) + 2;
    this.raycaster.params.Points.threshold = maxRadiusPx * perPixelAt1 * farthest;
    plot.pointsLayer.prepareForRaycast();
    const hits = this.raycaster.intersectObject(plot.pointsLayer.points, false);
    let best = null;
    for (const hit of hits) {
      const perPixel = perPixelAt1 * Math.max(hit.distance, 1e-6);
      const marker = plot.markerSize(hit.index);
      const radiusPx = Math.max(marker, plot.pointsLayer.diameterAtDepth(hit.distance)) / 2 + 2;
      if (hit.distanceToRay / perPixel > radiusPx) continue;
      const rank = marker > 0 ? 0 : 1;
      if (!best || rank < best.rank || (rank === best.rank && hit.distance < best.distance)) {
        best = { index: hit.index, rank, distance: hit.distance };
      }
    }
    return best ? best.index : null;
  }

  /** Called each frame: re-picks under the cursor when the scene or the camera moved. */
  onFrame(now, { rendered, cameraMoved }) {
    const p = this.state;
    if (!p.inside || this.down) return;
    if (p.dirty || (rendered && cameraMoved && now - p.lastPick > HOVER_REPICK_MS)) this._hoverAtPointer(now);
  }

  /** The point under the cursor may have moved (positions changed). */
  markDirty() {
    this.state.dirty = this.state.inside;
  }

  /** Shows or hides the tooltip for a new hover index. */
  showTooltip(index, text) {
    if (index === null) {
      this.tooltip.style.display = 'none';
    } else {
      this.tooltip.textContent = text;
      this.tooltip.style.display = '';
      this._placeTooltip();
    }
    this._plot.renderer.domElement.style.cursor = index === null ? '' : 'pointer';
  }

  dispose() {
    this.tooltip.remove();
  }

  _hoverAtPointer(now) {
    this.state.dirty = false;
    this.state.lastPick = now;
    this._plot._setHover(this.pick(this.state.x, this.state.y));
    if (this._plot.hovered !== null) this._placeTooltip();
  }

  _placeTooltip() {
    const rect = this._plot.container.getBoundingClientRect();
    const tip = this.tooltip;
    const p = this.state;
    let x = p.x - rect.left + 14;
    let y = p.y - rect.top + 16;
    // Keep it inside the container: flip to the other side of the cursor.
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    if (x + w > rect.width) x = p.x - rect.left - 10 - w;
    if (y + h > rect.height) y = p.y - rect.top - 10 - h;
    tip.style.transform = `translate(${Math.round(Math.max(0, x))}px, ${Math.round(Math.max(0, y))}px)`;
  }

  _onMove(event) {
    const p = this.state;
    p.inside = true;
    p.x = event.clientX;
    p.y = event.clientY;
    if (this.down && Math.hypot(event.clientX - this.down.x, event.clientY - this.down.y) > CLICK_SLOP_PX) {
      this.down.dragged = true;
      this._plot._setHover(null); // no tooltip while orbiting
      return;
    }
    if (this.down) return;
    p.dirty = true; // picked in the next frame: at most one raycast per frame
    if (this._plot.hovered !== null) this._placeTooltip();
  }

  _onDown(event) {
    if (event.button !== 0) return;
    this.down = { x: event.clientX, y: event.clientY, dragged: false, id: event.pointerId };
  }

  _onUp(event) {
    const down = this.down;
    this.down = null;
    if (!down || event.pointerId !== down.id) return;
    if (down.dragged || Math.hypot(event.clientX - down.x, event.clientY - down.y) > CLICK_SLOP_PX) return;
    this._plot._select(this.pick(event.clientX, event.clientY));
    this.state.dirty = true;
  }

  _onLeave() {
    this.state.inside = false;
    this.state.dirty = false;
    if (!this.down) this._plot._setHover(null);
  }
}
