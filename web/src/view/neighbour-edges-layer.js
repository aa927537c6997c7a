// Edges from one point (the selected word) to its true nearest neighbours
// in the full space: the faithfulness overlay. A neighbour the projection
// also puts near the point on screen gets a solid edge; one it puts far
// away gets a dashed edge in another hue, so a learner sees which
// neighbours the picture tears apart (and, by the missing edges, which
// close-looking points are not neighbours at all).
//
// Edges join point indices and follow the points' world positions through
// tweens and t-SNE/UMAP frames. Drawn over the cloud and under the markers
// (no depth test), like the arrows. Implements the layer interface (see
// points-layer.js).

import * as THREE from 'three';
import { LineSegments2 } from 'three/addons/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/addons/lines/LineSegmentsGeometry.js';
import { LineMaterial } from 'three/addons/lines/LineMaterial.js';
import { NEIGHBOUR_EDGE_COLORS } from './palette.js';

const NEAR_WIDTH_PX = 2;
const FAR_WIDTH_PX = 2;

function edgeLines(color, width, dashed) {
  const material = new LineMaterial({
    linewidth: width,
    color: new THREE.Color(color),
    worldUnits: false,
    dashed,
    dashSize: 0.04,
    gapSize: 0.03,
    depthTest: false,
    depthWrite: false,
    transparent: true,
    opacity: 0.9,
  });
  const lines = new LineSegments2(new LineSegmentsGeometry(), material);
  lines.frustumCulled = false;
  lines.renderOrder = 4;
  lines.visible = false;
  return lines;
}

export class NeighbourEdgesLayer {
  constructor() {
    this.group = new THREE.Group();
    this.group.renderOrder = 4;
    this.near = edgeLines(NEIGHBOUR_EDGE_COLORS.near, NEAR_WIDTH_PX, false);
    this.far = edgeLines(NEIGHBOUR_EDGE_COLORS.far, FAR_WIDTH_PX, true);
    this.group.add(this.near, this.far);
    this._edges = null;
    this._world = null;
  }

  setScene(scene) {
    scene.add(this.group);
  }

  /**
   * edges: { from, near: [indices], far: [indices] } or null to hide;
   * count: the number of points (indices outside 0..count-1 are dropped).
   */
  setEdges(edges, count) {
    const valid = (i) => Number.isInteger(i) && i >= 0 && i < count;
    if (!edges || !valid(edges.from)) {
      this._edges = null;
    } else {
      const keep = (list) => (Array.isArray(list) ? list.filter((i) => valid(i) && i !== edges.from) : []);
      this._edges = { from: edges.from, near: keep(edges.near), far: keep(edges.far) };
    }
    this._rebuild();
  }

  /** The edges drawn: { from, near, far } (copies), or null. */
  get edges() {
    return this._edges ? { from: this._edges.from, near: [...this._edges.near], far: [...this._edges.far] } : null;
  }

  onPointPositionsChanged(world) {
    this._world = world;
    this._rebuild();
  }

  onRender() {}

  onResize(width, height) {
    this.near.material.resolution.set(width, height);
    this.far.material.resolution.set(width, height);
  }

  dispose() {
    this.group.removeFromParent();
    for (const lines of [this.near, this.far]) {
      lines.geometry.dispose();
      lines.material.dispose();
    }
  }

  _rebuild() {
    const world = this._world;
    const edges = this._edges;
    for (const [lines, targets] of [[this.near, edges?.near], [this.far, edges?.far]]) {
      const inside = (i) => world && 3 * i + 2 < world.length;
      const ends = edges && inside(edges.from) ? (targets ?? []).filter(inside) : [];
      lines.visible = ends.length > 0;
      if (!ends.length) continue;
      const positions = new Float32Array(ends.length * 6);
      const f = 3 * edges.from;
      ends.forEach((to, k) => {
        positions.set([world[f], world[f + 1], world[f + 2], world[3 * to], world[3 * to + 1], world[3 * to + 2]], 6 * k);
      });
      // A fresh geometry per change: LineSegmentsGeometry sizes its buffers
      // in setPositions, and the dashes need the new segment lengths.
      lines.geometry.dispose();
      const geometry = new LineSegmentsGeometry();
      geometry.setPositions(positions);
      lines.geometry = geometry;
      if (lines.material.dashed) lines.computeLineDistances();
    }
  }
}
