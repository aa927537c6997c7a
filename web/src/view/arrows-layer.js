// Arrows between points (the analogy parallelogram: a→b and c→d).
//
// Shafts are one LineSegments2 (screen-space width, so they read as lines
// and not hairlines; plain GL lines are always 1 px wide) and heads are
// cones. Both are rebuilt from the current world positions in onRender, so
// arrows follow points through tweens and t-SNE frames. Sizes are given in
// CSS pixels and converted with the camera's world-units-per-pixel at each
// end, so an arrow looks the same at any zoom and stops short of the
// markers it joins. Implements the layer interface (see points-layer.js).

import * as THREE from 'three';
import { LineSegments2 } from 'three/addons/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/addons/lines/LineSegmentsGeometry.js';
import { LineMaterial } from 'three/addons/lines/LineMaterial.js';

const SHAFT_WIDTH_PX = 2.5;
const HEAD_LENGTH_PX = 14;
const HEAD_RADIUS_PX = 5;
const END_GAP_PX = 2; // clearance between an arrow end and the marker's rim

const _Y = new THREE.Vector3(0, 1, 0);

export class ArrowsLayer {
  /**
   * markerRadiusPx(index): radius in CSS px of the point's marker, so the
   * arrow ends at its rim rather than on top of it.
   */
  constructor({ markerRadiusPx = () => 4 } = {}) {
    this._markerRadiusPx = markerRadiusPx;
    this.group = new THREE.Group();
    this.group.renderOrder = 5;
    // Arrows are annotations: drawn over the cloud (no depth test) so the
    // parallelogram stays whole when a point sits behind others.
    this.material = new LineMaterial({
      linewidth: SHAFT_WIDTH_PX,
      vertexColors: true,
      worldUnits: false,
      depthTest: false,
      depthWrite: false,
      // Transparent objects are drawn after opaque ones and sorted by
      // renderOrder; an opaque arrow would be drawn first and painted over
      // by the (transparent) cloud.
      transparent: true,
    });
    this.lines = new LineSegments2(new LineSegmentsGeometry(), this.material);
    this.lines.frustumCulled = false;
    this.lines.renderOrder = 5;
    this.group.add(this.lines);
    // Unit cone with its tip at the origin and its base at y = -1: a head is
    // placed with position = tip, +y along the arrow, scale = (r, length, r).
    this.headGeometry = new THREE.ConeGeometry(1, 1, 18, 1).translate(0, -0.5, 0);
    this._arrows = [];
    this._heads = [];
    this._world = null;
    this._height = 1;
    this._a = new THREE.Vector3();
    this._b = new THREE.Vector3();
    this._u = new THREE.Vector3();
  }

  setScene(scene) {
    scene.add(this.group);
  }

  /** [{ from, to, color: '#rrggbb' }] with valid indices (the scatter plot checks them). */
  setArrows(arrows) {
    this._arrows = arrows.map((a) => ({ from: a.from, to: a.to, color: new THREE.Color(a.color) }));
    const m = this._arrows.length;
    // LineSegmentsGeometry allocates its interleaved buffers in setPositions;
    // do that once per arrow set and update the array in place per frame.
    this.lines.geometry.dispose();
    const geometry = new LineSegmentsGeometry();
    geometry.setPositions(new Float32Array(m * 6));
    const colors = new Float32Array(m * 6);
    this._arrows.forEach((a, k) => {
      // LineMaterial converts to the output colour space, so it takes the
      // linear components that THREE.Color stores.
      colors.set([a.color.r, a.color.g, a.color.b, a.color.r, a.color.g, a.color.b], 6 * k);
    });
    geometry.setColors(colors);
    this.lines.geometry = geometry;
    this.lines.visible = m > 0;

    for (const head of this._heads) {
      head.removeFromParent();
      head.material.dispose();
    }
    this._heads = this._arrows.map((a) => {
      const head = new THREE.Mesh(
        this.headGeometry,
        new THREE.MeshBasicMaterial({ color: a.color, depthTest: false, depthWrite: false, transparent: true }),
      );
      head.renderOrder = 6;
      head.frustumCulled = false;
      this.group.add(head);
      return head;
    });
  }

  onPointPositionsChanged(worldPositions) {
    this._world = worldPositions;
  }

  onRender(camera) {
    if (this._arrows.length === 0 || !this._world) return;
    const world = this._world;
    const array = this.lines.geometry.attributes.instanceStart.data.array;
    // World units per CSS pixel at distance 1 from the camera.
    const perPixelAt1 = (2 * Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2)) / this._height;
    const { _a: a, _b: b, _u: u } = this;
    this._arrows.forEach((arrow, k) => {
      a.fromArray(world, 3 * arrow.from);
      b.fromArray(world, 3 * arrow.to);
      u.subVectors(b, a);
      const length = u.length();
      const head = this._heads[k];
      if (!(length > 1e-9) || !Number.isFinite(length)) {
        array.fill(0, 6 * k, 6 * k + 6); // a zero-length segment draws nothing
        head.visible = false;
        return;
      }
      u.divideScalar(length);
      const pxA = perPixelAt1 * Math.max(a.distanceTo(camera.position), 1e-6);
      const pxB = perPixelAt1 * Math.max(b.distanceTo(camera.position), 1e-6);
      let startGap = (this._markerRadiusPx(arrow.from) + END_GAP_PX) * pxA;
      let endGap = (this._markerRadiusPx(arrow.to) + END_GAP_PX) * pxB;
      let headLength = HEAD_LENGTH_PX * pxB;
      let headRadius = HEAD_RADIUS_PX * pxB;
      // Points close together on screen: shrink gaps and head to fit, keeping
      // a visible bit of shaft.
      const needed = startGap + endGap + headLength;
      if (needed > 0.9 * length) {
        const f = (0.9 * length) / needed;
        startGap *= f;
        endGap *= f;
        headLength *= f;
        headRadius *= f;
      }
      const tip = b.addScaledVector(u, -endGap); // b is reused as the tip
      head.position.copy(tip);
      head.quaternion.setFromUnitVectors(_Y, u);
      head.scale.set(headRadius, headLength, headRadius);
      head.visible = true;
      array[6 * k] = a.x + u.x * startGap;
      array[6 * k + 1] = a.y + u.y * startGap;
      array[6 * k + 2] = a.z + u.z * startGap;
      // The shaft ends inside the cone (half its length) so no seam shows.
      array[6 * k + 3] = tip.x - u.x * headLength * 0.5;
      array[6 * k + 4] = tip.y - u.y * headLength * 0.5;
      array[6 * k + 5] = tip.z - u.z * headLength * 0.5;
    });
    this.lines.geometry.attributes.instanceStart.data.needsUpdate = true;
  }

  onResize(width, height) {
    this._height = Math.max(height, 1);
  }

  dispose() {
    this.group.removeFromParent();
    this.lines.geometry.dispose();
    this.material.dispose();
    for (const head of this._heads) head.material.dispose();
    this.headGeometry.dispose();
    this._heads = [];
  }
}
