// The camera and how it moves: OrbitControls for the pointer, plus the
// keyboard's orbit and zoom steps, the default view of the fitted cloud,
// a short pan that brings a point into view (focusPoint), and the flat
// mode of 2D views (rotation off, the plane seen straight on).

import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { FIT_RADIUS, easeInOutCubic } from './fit.js';

export const FOV_DEG = 45;
// Default camera direction: slightly above and to the side, so a 3D cloud
// reads as 3D on first sight (straight on, PCA's z axis would be invisible).
const DEFAULT_VIEW_DIR = new THREE.Vector3(0.42, 0.3, 1).normalize();
// A 2D view lies in the plane z = 0: the camera looks straight down z.
const FLAT_VIEW_DIR = new THREE.Vector3(0, 0, 1);
// A point nearer the edge than this share of the half-width is "out of
// view" for bringIntoView (its label needs room beside it).
const VIEW_MARGIN = 0.8;
const POLAR_LIMIT = 0.01; // radians kept from the poles, where the orbit would flip

export class CameraRig {
  /** canvas: the element OrbitControls listens on; onChange: called whenever the camera moved. */
  constructor(canvas, onChange) {
    this.camera = new THREE.PerspectiveCamera(FOV_DEG, 1, 0.01, 100);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.minDistance = 0.1;
    this.controls.maxDistance = 20;
    this.controls.autoRotateSpeed = 1.5; // one turn in 40 s
    this.controls.addEventListener('change', onChange);
    this._onChange = onChange;
    this.flat = false;
    this._pan = null;
    this._offset = new THREE.Vector3();
    this._spherical = new THREE.Spherical();
  }

  setAspect(width, height) {
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
  }

  /** The camera back to the default view of the fitted cloud, for a view of width x height. */
  resetView(width, height) {
    this._pan = null;
    const aspect = width > 0 && height > 0 ? width / height : 1;
    // Distance at which the fitted sphere fills the narrower field of view,
    // with a little to spare, so it stays in view from every orbit angle.
    const vHalf = THREE.MathUtils.degToRad(FOV_DEG) / 2;
    const hHalf = Math.atan(Math.tan(vHalf) * aspect);
    const distance = (FIT_RADIUS * 1.05) / Math.sin(Math.min(vHalf, hHalf));
    // Spend what a drag left to the damping first: it would turn the reset
    // view away again (and a 2D view off its plane).
    this.controls.enableDamping = false;
    this.controls.update();
    this.controls.enableDamping = true;
    this.controls.target.set(0, 0, 0);
    this.camera.up.set(0, 1, 0);
    this.camera.position.copy(this.flat ? FLAT_VIEW_DIR : DEFAULT_VIEW_DIR).multiplyScalar(distance);
    this.camera.lookAt(0, 0, 0);
    this.controls.update();
    this._onChange();
  }

  /**
   * flat: the points lie in a plane and are seen straight on; rotation is
   * off (drag, keys and auto-rotate), and a drag pans instead. Pan and zoom
   * work in both modes. Returns whether the mode changed (the caller then
   * resets the view, which faces the plane in flat mode).
   */
  setFlat(flat) {
    const on = Boolean(flat);
    if (on === this.flat) return false;
    this.flat = on;
    const controls = this.controls;
    controls.enableRotate = !on;
    if (on) controls.autoRotate = false;
    controls.mouseButtons.LEFT = on ? THREE.MOUSE.PAN : THREE.MOUSE.ROTATE;
    controls.touches.ONE = on ? THREE.TOUCH.PAN : THREE.TOUCH.ROTATE;
    return true;
  }

  /** Turns the camera around the target: azimuth to the right, polar upwards, in radians (not in flat mode). */
  orbit(azimuth, polar) {
    if (this.flat) return;
    const s = this._spherical.setFromVector3(this._offset.subVectors(this.camera.position, this.controls.target));
    s.theta -= azimuth;
    s.phi = THREE.MathUtils.clamp(s.phi + polar, POLAR_LIMIT, Math.PI - POLAR_LIMIT);
    this._place(this._offset.setFromSpherical(s));
  }

  /** Moves the camera toward (factor < 1) or away from (factor > 1) the target, within the controls' limits. */
  zoom(factor) {
    const offset = this._offset.subVectors(this.camera.position, this.controls.target);
    const distance = THREE.MathUtils.clamp(offset.length() * factor, this.controls.minDistance, this.controls.maxDistance);
    this._place(offset.setLength(distance));
  }

  /** Distance from the camera to the orbit target. */
  get distance() {
    return this.camera.position.distanceTo(this.controls.target);
  }

  /**
   * If the world point is behind the camera or near the edge of the view,
   * pans (target and camera together, so the angle stays) until it is at
   * the centre; durationMs 0 jumps. Returns whether the camera will move.
   */
  bringIntoView(point, durationMs) {
    this.camera.updateMatrixWorld();
    const p = point.clone().project(this.camera);
    const inView = p.z > -1 && p.z < 1 && Math.abs(p.x) < VIEW_MARGIN && Math.abs(p.y) < VIEW_MARGIN;
    if (inView) return false;
    const shift = point.clone().sub(this.controls.target);
    this._pan = {
      fromTarget: this.controls.target.clone(),
      fromPosition: this.camera.position.clone(),
      shift,
      start: performance.now(),
      duration: Math.max(0, durationMs),
    };
    if (durationMs <= 0) this._stepPan(performance.now());
    this._onChange();
    return true;
  }

  /** Advances the pan and the controls (damping, auto-rotate); returns whether the camera moved. */
  update(dt, now) {
    const panned = this._pan ? this._stepPan(now) : false;
    return this.controls.update(dt) || panned;
  }

  /** World units per CSS pixel at distance 1 from the camera, for a view `height` px tall. */
  perPixelAt1(height) {
    return (2 * Math.tan(THREE.MathUtils.degToRad(this.camera.fov) / 2)) / height;
  }

  dispose() {
    this.controls.dispose();
  }

  _place(offset) {
    this._pan = null; // a key press wins over a running pan
    this.camera.position.copy(this.controls.target).add(offset);
    this.camera.lookAt(this.controls.target);
    this.controls.update();
    this._onChange();
  }

  _stepPan(now) {
    const pan = this._pan;
    const t = pan.duration > 0 ? Math.min(1, (now - pan.start) / pan.duration) : 1;
    const e = easeInOutCubic(t);
    this.controls.target.copy(pan.fromTarget).addScaledVector(pan.shift, e);
    this.camera.position.copy(pan.fromPosition).addScaledVector(pan.shift, e);
    if (t >= 1) this._pan = null;
    this._onChange();
    return true;
  }
}
