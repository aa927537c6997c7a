// A marked point that is not a word: the computed point b − a + c of an
// analogy, drawn as a hollow diamond with its own label ("b − a + c") and
// dashed edges to the words it completes the parallelogram with (b and c),
// so a, b, b − a + c and c read as the four corners.
//
// Its position is given in raw projection coordinates and mapped to the
// world with the fit the points are drawn under (getFit), like the axes,
// so refits carry it with the cloud; the edges' word ends follow the
// points' world positions. The label is DOM text over the canvas
// (textContent, CSSOM styles: CSP-safe). Implements the layer interface
// (see points-layer.js).

import * as THREE from 'three';
import { LineSegments2 } from 'three/addons/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/addons/lines/LineSegmentsGeometry.js';
import { LineMaterial } from 'three/addons/lines/LineMaterial.js';
import { TEXT_COLORS } from './palette.js';

const MARKER_PX = 9; // half-diagonal of the diamond, in CSS px
const EDGE_WIDTH_PX = 1.5;

export class MarkerLayer {
  /** container: the plot element; theme: palette.THEMES entry; getFit(): the { cx, cy, cz, scale } the points are drawn under. */
  constructor(container, theme, getFit) {
    this._theme = theme;
    this._getFit = getFit;
    this.group = new THREE.Group();
    this.group.renderOrder = 6;
    this.group.visible = false;
    const color = new THREE.Color(TEXT_COLORS.vermillion);
    this._color = color;
    // A diamond outline that always faces the camera (rebuilt in onRender).
    this.outline = new LineSegments2(
      new LineSegmentsGeometry(),
      new LineMaterial({ linewidth: 2.5, color, worldUnits: false, depthTest: false, depthWrite: false, transparent: true }),
    );
    this.outline.frustumCulled = false;
    this.edges = new LineSegments2(
      new LineSegmentsGeometry(),
      new LineMaterial({ linewidth: EDGE_WIDTH_PX, color, dashed: true, dashSize: 0.03, gapSize: 0.02, worldUnits: false, depthTest: false, depthWrite: false, transparent: true, opacity: 0.9 }),
    );
    this.edges.frustumCulled = false;
    this.group.add(this.outline, this.edges);

    this.label = document.createElement('div');
    this.label.dataset.layer = 'marker';
    Object.assign(this.label.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      whiteSpace: 'nowrap',
      pointerEvents: 'none',
      font: '600 12px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      color: `#${color.getHexString()}`,
      background: theme.labelBackground,
      borderRadius: '6px',
      padding: '1px 5px',
      display: 'none',
    });
    container.appendChild(this.label);

    this._marker = null;
    this._world = null;
    this._at = new THREE.Vector3();
    this._width = 1;
    this._height = 1;
    this._v = new THREE.Vector3();
  }

  setScene(scene) {
    scene.add(this.group);
  }

  /**
   * marker: { position: [x, y, z] in raw projection coordinates, label,
   * links: point indices joined to it by dashed edges, edges: [[i, j]]
   * dashed edges between points (a–c, the parallelogram's fourth side) } or null to hide.
   */
  setMarker(marker) {
    const ok = marker && Array.isArray(marker.position) && marker.position.length === 3 && marker.position.every(Number.isFinite);
    this._marker = ok ? { position: marker.position, label: String(marker.label ?? ''), links: (marker.links ?? []).filter(Number.isInteger), edges: (marker.edges ?? []).filter((e) => Array.isArray(e) && e.every(Number.isInteger)) } : null;
    this.group.visible = Boolean(this._marker);
    this.label.textContent = this._marker?.label ?? '';
    this.label.style.display = this._marker ? '' : 'none';
    this._rebuild();
  }

  /** The marker's world position (for tests and picking), or null. */
  get worldPosition() {
    return this._marker ? this._at.clone() : null;
  }

  onPointPositionsChanged(world) {
    this._world = world;
    this._rebuild();
  }

  onRender(camera) {
    if (!this._marker) return;
    const p = this._v.copy(this._at).project(camera);
    const visible = Number.isFinite(p.x) && p.z > -1 && p.z < 1;
    this.label.style.display = visible ? '' : 'none';
    if (visible) {
      const px = (p.x + 1) * 0.5 * this._width;
      const y = Math.round((1 - p.y) * 0.5 * this._height);
      // Right of the diamond, or left of it where the label would leave the plot.
      const width = this.label.offsetWidth;
      const right = px + MARKER_PX + 4 + width <= this._width;
      const x = Math.round(right ? px + MARKER_PX + 4 : Math.max(0, px - MARKER_PX - 4 - width));
      this.label.style.transform = `translate(${x}px, ${y}px) translate(0, -50%)`;
    }
    // The diamond in the camera's screen plane, MARKER_PX at the marker's depth.
    const distance = camera.position.distanceTo(this._at);
    const perPixel = (2 * Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2) * distance) / this._height;
    const r = MARKER_PX * perPixel;
    const up = new THREE.Vector3(0, 1, 0).applyQuaternion(camera.quaternion).multiplyScalar(r);
    const right = new THREE.Vector3(1, 0, 0).applyQuaternion(camera.quaternion).multiplyScalar(r);
    const c = this._at;
    const corners = [c.clone().add(up), c.clone().add(right), c.clone().sub(up), c.clone().sub(right)];
    const positions = [];
    for (let i = 0; i < 4; i++) positions.push(...corners[i].toArray(), ...corners[(i + 1) % 4].toArray());
    this.outline.geometry.setPositions(positions);
  }

  onResize(width, height) {
    this._width = Math.max(width, 1);
    this._height = Math.max(height, 1);
    this.outline.material.resolution.set(width, height);
    this.edges.material.resolution.set(width, height);
  }

  dispose() {
    this.label.remove();
    this.outline.geometry.dispose();
    this.outline.material.dispose();
    this.edges.geometry.dispose();
    this.edges.material.dispose();
  }

  _rebuild() {
    if (!this._marker) return;
    const { cx, cy, cz, scale } = this._getFit();
    const [x, y, z] = this._marker.position;
    this._at.set((x - cx) * scale, (y - cy) * scale, (z - cz) * scale);
    const positions = [];
    const world = this._world;
    for (const index of this._marker.links) {
      if (!world || index < 0 || 3 * index + 2 >= world.length) continue;
      positions.push(world[3 * index], world[3 * index + 1], world[3 * index + 2], ...this._at.toArray());
    }
    const inside = (i) => world && i >= 0 && 3 * i + 2 < world.length;
    for (const [i, j] of this._marker.edges) {
      if (inside(i) && inside(j)) positions.push(world[3 * i], world[3 * i + 1], world[3 * i + 2], world[3 * j], world[3 * j + 1], world[3 * j + 2]);
    }
    this.edges.visible = positions.length > 0;
    if (!positions.length) return;
    this.edges.geometry.dispose();
    const geometry = new LineSegmentsGeometry();
    geometry.setPositions(positions);
    this.edges.geometry = geometry;
    this.edges.computeLineDistances();
  }
}
