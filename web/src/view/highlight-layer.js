// Markers for the marked points: query inputs, results, the selected point,
// word-group members, the hovered point and the keyboard focus.
//
// A role is drawn as a ring around a fill, and the fill is the point's own
// colour (its word group, its "Colour by" value): a word that is both a
// result and a group member shows both. See highlights.js for who gets
// which marker.
//
// A second, small THREE.Points drawn after everything with depth testing
// off: a highlighted word must stay visible even when it sits behind the
// rest of the cloud, which the depth-tested main cloud cannot promise.
// Markers have a constant pixel size (no attenuation) so they read the same
// at any zoom. Implements the layer interface (see points-layer.js).

import * as THREE from 'three';
import { hexToRgb01 } from './palette.js';

const VERTEX_SHADER = /* glsl */ `
  attribute float size;       // diameter in CSS px
  attribute vec3 ringColor;
  attribute vec3 shape;       // x: ring's inner radius (0..1 of the radius; >= 1: no ring), y: 1 = gap inside the ring, z: 1 = hollow
  uniform float uPixelRatio;
  varying vec3 vColor;
  varying vec3 vRingColor;
  varying vec3 vShape;
  varying float vDiameter;

  void main() {
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
    vDiameter = size * uPixelRatio;
    gl_PointSize = vDiameter;
    vColor = color;
    vRingColor = ringColor;
    vShape = shape;
  }
`;

const FRAGMENT_SHADER = /* glsl */ `
  uniform vec3 uOutline;
  uniform vec3 uGap;
  varying vec3 vColor;
  varying vec3 vRingColor;
  varying vec3 vShape;
  varying float vDiameter;

  // 0 inside radius 'edge', 1 outside, blended over one device pixel.
  float outside(float r, float edge, float pixel) {
    return smoothstep(edge - 0.5 * pixel, edge + 0.5 * pixel, r);
  }

  void main() {
    float r = length(gl_PointCoord * 2.0 - 1.0);
    float pixel = 2.0 / max(vDiameter, 1.0);
    vec3 col = vColor;
    float alpha = 1.0;
    float inner = vShape.x;
    if (inner < 1.0) {
      // fill | (gap) | ring | outline, from the centre out
      if (vShape.y > 0.5) col = mix(col, uGap, outside(r, inner - 0.18, pixel));
      col = mix(col, vRingColor, outside(r, inner, pixel));
      if (vShape.z > 0.5) alpha = outside(r, inner, pixel);
    }
    // A ~1.5 px dark (light, in the dark theme) outline separates the marker
    // from whatever it is drawn over, including points of the same hue.
    col = mix(col, uOutline, outside(r, 1.0 - 3.0 * pixel, pixel));
    alpha *= 1.0 - outside(r, 1.0 - 0.5 * pixel, pixel);
    if (alpha <= 0.01) discard;
    gl_FragColor = vec4(col, alpha);
  }
`;

export class HighlightLayer {
  constructor({ outline, background }) {
    this.material = new THREE.ShaderMaterial({
      vertexShader: VERTEX_SHADER,
      fragmentShader: FRAGMENT_SHADER,
      vertexColors: true,
      transparent: true,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        uPixelRatio: { value: 1 },
        uOutline: { value: new THREE.Vector3(...hexToRgb01(outline)) },
        uGap: { value: new THREE.Vector3(...hexToRgb01(background)) },
      },
    });
    this.geometry = new THREE.BufferGeometry();
    this.points = new THREE.Points(this.geometry, this.material);
    this.points.frustumCulled = false;
    this.points.renderOrder = 10; // after the cloud and the arrows
    /** Markers in draw order (last on top); see setMarkers. */
    this._markers = [];
    this._world = null;
    this._rebuild();
  }

  setScene(scene) {
    scene.add(this.points);
  }

  /**
   * Sets the markers, already in draw order (last is drawn on top):
   * [{ index, fill: [r,g,b], ring: [r,g,b] | null, ringInner: 0..1,
   *    gap: bool, hollow: bool, size: CSS px }] (colours sRGB 0..1).
   */
  setMarkers(markers) {
    this._markers = markers;
    this._rebuild();
  }

  /** The markers as last set (read-only; tests read colours from here). */
  get markers() {
    return this._markers;
  }

  onPointPositionsChanged(worldPositions) {
    this._world = worldPositions;
    this._copyPositions();
  }

  onRender(/* camera */) {}

  onResize(width, height, pixelRatio = 1) {
    this.material.uniforms.uPixelRatio.value = pixelRatio;
  }

  dispose() {
    this.points.removeFromParent();
    this.geometry.dispose();
    this.material.dispose();
  }

  _rebuild() {
    const m = this._markers.length;
    this.geometry.dispose(); // marker count changes rarely; new buffers each time is fine
    const color = new Float32Array(m * 3);
    const ringColor = new Float32Array(m * 3);
    const shape = new Float32Array(m * 3);
    const size = new Float32Array(m);
    this._markers.forEach((marker, k) => {
      color.set(marker.fill, 3 * k);
      if (marker.ring) ringColor.set(marker.ring, 3 * k);
      shape[3 * k] = marker.ring ? marker.ringInner : 1;
      shape[3 * k + 1] = marker.gap ? 1 : 0;
      shape[3 * k + 2] = marker.hollow ? 1 : 0;
      size[k] = marker.size;
    });
    this.geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(m * 3), 3));
    this.geometry.setAttribute('color', new THREE.BufferAttribute(color, 3));
    this.geometry.setAttribute('ringColor', new THREE.BufferAttribute(ringColor, 3));
    this.geometry.setAttribute('shape', new THREE.BufferAttribute(shape, 3));
    this.geometry.setAttribute('size', new THREE.BufferAttribute(size, 1));
    this._copyPositions();
  }

  _copyPositions() {
    const attr = this.geometry.attributes.position;
    if (!attr || !this._world) return;
    const out = attr.array;
    const world = this._world;
    this._markers.forEach((marker, k) => {
      const i = marker.index;
      out[3 * k] = world[3 * i];
      out[3 * k + 1] = world[3 * i + 1];
      out[3 * k + 2] = world[3 * i + 2];
    });
    attr.needsUpdate = true;
  }
}
