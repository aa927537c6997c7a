// Markers for the highlighted points: query inputs, results, the selected
// point (with a ring) and the hovered point.
//
// A second, small THREE.Points drawn after everything with depth testing
// off: a highlighted word must stay visible even when it sits behind the
// rest of the cloud, which the depth-tested main cloud cannot promise.
// Markers have a constant pixel size (no attenuation) so they read the same
// at any zoom. Implements the layer interface (see points-layer.js).

import * as THREE from 'three';
import { hexToRgb01 } from './palette.js';

const VERTEX_SHADER = /* glsl */ `
  attribute float size;   // diameter in CSS px
  attribute float ring;   // 1 = draw the selection ring
  uniform float uPixelRatio;
  varying vec3 vColor;
  varying float vDiameter;
  varying float vRing;

  void main() {
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
    vDiameter = size * uPixelRatio;
    gl_PointSize = vDiameter;
    vColor = color;
    vRing = ring;
  }
`;

const FRAGMENT_SHADER = /* glsl */ `
  uniform vec3 uOutline;
  uniform vec3 uGap;
  uniform vec3 uRing;
  varying vec3 vColor;
  varying float vDiameter;
  varying float vRing;

  // 0 inside radius 'edge', 1 outside, blended over one device pixel.
  float outside(float r, float edge, float pixel) {
    return smoothstep(edge - 0.5 * pixel, edge + 0.5 * pixel, r);
  }

  void main() {
    float r = length(gl_PointCoord * 2.0 - 1.0);
    float pixel = 2.0 / max(vDiameter, 1.0);
    vec3 col = vColor;
    if (vRing > 0.5) {
      // fill | gap | ring | outline, from the centre out
      col = mix(col, uGap, outside(r, 0.45, pixel));
      col = mix(col, uRing, outside(r, 0.6, pixel));
    }
    // A ~1.5 px dark (light, in the dark theme) outline separates the marker
    // from whatever it is drawn over, including points of the same hue.
    col = mix(col, uOutline, outside(r, 1.0 - 3.0 * pixel, pixel));
    float alpha = 1.0 - outside(r, 1.0 - 0.5 * pixel, pixel);
    if (alpha <= 0.01) discard;
    gl_FragColor = vec4(col, alpha);
  }
`;

/** Marker diameters in CSS px, by role. */
export const MARKER_SIZES = Object.freeze({ result: 11, input: 13, selected: 22, hover: 13 });

export class HighlightLayer {
  constructor({ outline, background, ringColor }) {
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
        uRing: { value: new THREE.Vector3(...hexToRgb01(ringColor)) },
      },
    });
    this.geometry = new THREE.BufferGeometry();
    this.points = new THREE.Points(this.geometry, this.material);
    this.points.frustumCulled = false;
    this.points.renderOrder = 10; // after the cloud and the arrows
    /** [{ index, rgb: [r,g,b], size, ring }] in draw order (last on top). */
    this._markers = [];
    this._world = null;
    this._rebuild();
  }

  setScene(scene) {
    scene.add(this.points);
  }

  /**
   * Sets the markers, already in draw order (last is drawn on top):
   * [{ index, rgb: [r,g,b] sRGB 0..1, size: CSS px, ring: bool }].
   */
  setMarkers(markers) {
    this._markers = markers;
    this._rebuild();
  }

  /** Diameter in CSS px of the marker drawn for `index`, or 0 if none (for picking). */
  markerSize(index) {
    let size = 0;
    for (const m of this._markers) if (m.index === index && m.size > size) size = m.size;
    return size;
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
    const size = new Float32Array(m);
    const ring = new Float32Array(m);
    this._markers.forEach((marker, k) => {
      color.set(marker.rgb, 3 * k);
      size[k] = marker.size;
      ring[k] = marker.ring ? 1 : 0;
    });
    this.geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(m * 3), 3));
    this.geometry.setAttribute('color', new THREE.BufferAttribute(color, 3));
    this.geometry.setAttribute('size', new THREE.BufferAttribute(size, 1));
    this.geometry.setAttribute('ring', new THREE.BufferAttribute(ring, 1));
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
