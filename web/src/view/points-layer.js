// The point cloud: one THREE.Points, one draw call for every word.
//
// Layer interface (shared with the other layers, as in the TensorBoard
// projector): setScene(scene), onPointPositionsChanged(worldPositions),
// onRender(camera), onResize(width, height, pixelRatio), dispose().
//
// Buffers are allocated once per point set and updated in place
// (needsUpdate = true): a t-SNE frame or a tween step costs one upload of
// n*3 floats, no allocation.

import * as THREE from 'three';
import { hexToRgb01 } from './palette.js';

// Colours here are sRGB-encoded numbers (straight from '#rrggbb') and the
// shader writes them out unconverted, so a point shows exactly the colour the
// palette names. (Built-in materials convert; this one deliberately does not.)
const VERTEX_SHADER = /* glsl */ `
  attribute float size;          // per-point diameter multiplier (1 = normal)
  uniform float uPointSize;      // base diameter in CSS pixels
  uniform float uPixelRatio;
  uniform float uRefDistance;    // camera depth at which a point is uPointSize wide
  uniform float uAttenuation;    // 0 = constant pixel size, 1 = full perspective
  uniform float uDim;            // 0..1, how far colours fade toward the background
  uniform vec3 uBackground;
  varying vec3 vColor;
  varying float vDiameter;

  void main() {
    vec4 mvPosition = modelViewMatrix * vec4(position, 1.0);
    gl_Position = projectionMatrix * mvPosition;
    // Modest attenuation: near points grow, far ones shrink, but only as the
    // square root (uAttenuation 0.5) of true perspective, so a zoomed-out
    // cloud of 20k points stays a cloud of dots and not a blur or dust.
    float depth = max(-mvPosition.z, 1e-3);
    float perspective = clamp(pow(uRefDistance / depth, uAttenuation), 0.35, 3.0);
    float diameter = uPointSize * size * perspective * uPixelRatio;
    vDiameter = diameter;
    // Below ~1 device pixel the sprite would flicker in and out; keep a floor
    // and let the fragment alpha carry the rest.
    gl_PointSize = max(diameter, 1.5);
    vColor = mix(color, uBackground, uDim);
  }
`;

const FRAGMENT_SHADER = /* glsl */ `
  varying vec3 vColor;
  varying float vDiameter;

  void main() {
    // r = 0 at the centre, 1 at the rim of the disc.
    float r = length(gl_PointCoord * 2.0 - 1.0);
    // One device pixel expressed in units of the radius: the rim fades over
    // it, which antialiases the disc without MSAA.
    float pixel = 2.0 / max(vDiameter, 1.0);
    float alpha = 1.0 - smoothstep(1.0 - pixel, 1.0, r);
    if (alpha <= 0.01) discard;
    gl_FragColor = vec4(vColor, alpha);
  }
`;

/** Default base diameter (CSS px) for n points: smaller as the cloud gets denser. */
export function defaultPointSize(n) {
  // ~7.5 px at 500 points, ~5 px at 5,000, ~3.7 px at 20,000.
  return Math.min(10, Math.max(3, 14 - 2.4 * Math.log10(Math.max(n, 1))));
}

export class PointsLayer {
  constructor({ background, defaultColor, attenuation = 0.5, refDistance = 3 }) {
    this._defaultRgb = hexToRgb01(defaultColor);
    this._customPointSize = null;
    this.material = new THREE.ShaderMaterial({
      vertexShader: VERTEX_SHADER,
      fragmentShader: FRAGMENT_SHADER,
      vertexColors: true,
      transparent: true, // the antialiased rim blends with what is behind it
      depthTest: true,
      depthWrite: true,
      uniforms: {
        uPointSize: { value: defaultPointSize(0) },
        uPixelRatio: { value: 1 },
        uRefDistance: { value: refDistance },
        uAttenuation: { value: attenuation },
        uDim: { value: 0 },
        uBackground: { value: new THREE.Vector3(...hexToRgb01(background)) },
      },
    });
    this.geometry = new THREE.BufferGeometry();
    /** The THREE.Points the scatter plot raycasts against. */
    this.points = new THREE.Points(this.geometry, this.material);
    // The cloud is fitted into the view, so culling would never skip it;
    // leaving it on would make three recompute the bounding sphere on every
    // frame after each position change.
    this.points.frustumCulled = false;
    this.points.renderOrder = 0;
    this._n = 0;
    this._boundsDirty = true;
    this._allocate(0);
  }

  /** Number of points in the current set. */
  get count() {
    return this._n;
  }

  /** The current point colours (Float32Array n*3, sRGB 0..1); read-only for callers. */
  get colors() {
    return this.geometry.attributes.color.array;
  }

  setScene(scene) {
    scene.add(this.points);
  }

  /**
   * Replaces the point set: n points, positions in world units (the
   * scatter plot's array; kept by reference and re-uploaded on change),
   * colours or null for the default colour.
   */
  setData(worldPositions, colors) {
    const n = worldPositions.length / 3;
    this._allocate(n, worldPositions);
    this._n = n;
    this.setColors(colors);
    this.setSizes(null);
    this.material.uniforms.uPointSize.value = this._customPointSize ?? defaultPointSize(n);
    this._boundsDirty = true;
  }

  /** Per-point colours (Float32Array n*3 in 0..1), or null for the theme's default. */
  setColors(colors) {
    const attr = this.geometry.attributes.color;
    const out = attr.array;
    if (colors) {
      if (colors.length !== out.length) {
        throw new RangeError(`colors has ${colors.length} values, expected ${out.length} (n*3)`);
      }
      out.set(colors);
    } else {
      const [r, g, b] = this._defaultRgb;
      for (let i = 0; i < out.length; i += 3) {
        out[i] = r;
        out[i + 1] = g;
        out[i + 2] = b;
      }
    }
    attr.needsUpdate = true;
  }

  /** Per-point size multipliers (Float32Array n, 1 = normal), or null for all 1. */
  setSizes(sizes) {
    const attr = this.geometry.attributes.size;
    if (sizes) {
      if (sizes.length !== attr.array.length) {
        throw new RangeError(`sizes has ${sizes.length} values, expected ${attr.array.length} (n)`);
      }
      attr.array.set(sizes);
    } else {
      attr.array.fill(1);
    }
    attr.needsUpdate = true;
  }

  /** Base point diameter in CSS px, or null to go back to the size chosen from n. */
  setPointSize(px) {
    this._customPointSize = px ?? null;
    this.material.uniforms.uPointSize.value = this._customPointSize ?? defaultPointSize(this._n);
  }

  /** Base point diameter in CSS px (before the per-point multiplier and attenuation). */
  get pointSize() {
    return this.material.uniforms.uPointSize.value;
  }

  /** Diameter in CSS px of a normal point at camera depth `depth` (mirrors the shader). */
  diameterAtDepth(depth) {
    const u = this.material.uniforms;
    const perspective = Math.min(3, Math.max(0.35, Math.pow(u.uRefDistance.value / Math.max(depth, 1e-3), u.uAttenuation.value)));
    return u.uPointSize.value * perspective;
  }

  /** 0..1: how far non-highlighted points fade toward the background. */
  setDim(amount) {
    this.material.uniforms.uDim.value = amount;
  }

  onPointPositionsChanged(worldPositions) {
    const attr = this.geometry.attributes.position;
    if (attr.array !== worldPositions) attr.array.set(worldPositions);
    attr.needsUpdate = true;
    this._boundsDirty = true;
  }

  /**
   * Called before raycasting. The bounding sphere is what Raycaster tests
   * first; ours is centred on the origin and ignores non-finite rows (three's
   * computeBoundingSphere would turn one NaN into a NaN sphere, which no ray
   * ever hits). Done lazily: an animation changes positions every frame, a
   * pick happens at most once per frame.
   */
  prepareForRaycast() {
    if (!this._boundsDirty) return;
    const p = this.geometry.attributes.position.array;
    let r2 = 0;
    for (let i = 0; i < p.length; i += 3) {
      const d2 = p[i] * p[i] + p[i + 1] * p[i + 1] + p[i + 2] * p[i + 2];
      if (d2 > r2 && d2 < Infinity) r2 = d2;
    }
    this.geometry.boundingSphere = new THREE.Sphere(new THREE.Vector3(), Math.sqrt(r2));
    this._boundsDirty = false;
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

  _allocate(n, worldPositions = new Float32Array(n * 3)) {
    // A new point set gets new attributes; dispose() first releases the GPU
    // buffers of the old ones (three keeps one per attribute object).
    this.geometry.dispose();
    this.geometry.setAttribute('position', new THREE.BufferAttribute(worldPositions, 3));
    this.geometry.setAttribute('color', new THREE.BufferAttribute(new Float32Array(n * 3), 3));
    this.geometry.setAttribute('size', new THREE.BufferAttribute(new Float32Array(n).fill(1), 1));
    this.geometry.boundingSphere = null;
  }
}
