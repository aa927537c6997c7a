// The point positions the layers draw, and how they change over time.
//
// Callers pass raw projection output. This keeps a copy (`raw`), the fit
// (centre, scale; see fit.js) and `world` = (raw - centre) * scale, the one
// Float32Array every layer reads. Tweens write `world` in place each frame:
// a 'positions' tween (projection switch) moves the points, a 'fit' tween
// (refit) moves the view around fixed raw positions.

import { FIT_RADIUS, computeFit, applyFit, lerpFit, radiusUnderFit, easeInOutCubic, easeOutCubic, identityFit } from './fit.js';

// t-SNE frames (setPositions) refit only when the cloud has grown past this
// radius or shrunk below the next one (the fit puts it at FIT_RADIUS). The
// wide band is the hysteresis that keeps the view still between refits.
const REFIT_GROW = 1.6 * FIT_RADIUS;
const REFIT_SHRINK = 0.4 * FIT_RADIUS;
const AUTO_REFIT_MS = 450;

export class PositionAnimator {
  /** duration(ms): the duration to use (0 under prefers-reduced-motion). */
  constructor(duration = (ms) => ms) {
    this._duration = duration;
    this.raw = new Float32Array(0);
    this.fitAlso = null; // see _fitOf
    this.world = new Float32Array(0);
    this.fit = identityFit();
    this._tween = null;
  }

  get count() {
    return this.world.length / 3;
  }

  get animating() {
    return this._tween !== null;
  }

  /** The fit on screen now: mid-refit, the tween's interpolated fit (layers drawn in raw units follow it). */
  get shownFit() {
    return this._tween?.kind === 'fit' ? this._tween.current : this.fit;
  }

  /**
   * The fit of the points and of `fitAlso` (raw positions drawn beside the
   * points, such as the analogy's computed point), so those stay in view.
   */
  _fitOf() {
    if (!this.fitAlso?.length) return computeFit(this.raw);
    const all = new Float32Array(this.raw.length + this.fitAlso.length);
    all.set(this.raw);
    all.set(this.fitAlso, this.raw.length);
    return computeFit(all);
  }

  /** A new point set (any n): copies and fits it, no tween. */
  reset(positions) {
    this.finish();
    this.raw = Float32Array.from(positions);
    this.fit = this._fitOf();
    this.world = applyFit(this.raw, this.fit);
  }

  /** Tweens to new positions (same n); see ScatterPlot.animateTo. */
  animateTo(positions, durationMs, refit) {
    // Mid-tween: start the new one from what is on screen now, not from
    // where the old one was heading (no jump).
    this.finish();
    this.raw.set(positions);
    return this._startPositionTween(refit ? this._fitOf() : this.fit, durationMs);
  }

  /**
   * A progressive frame (same n); see ScatterPlot.setPositions. Returns
   * whether world changed now (false while a refit tween will apply it).
   */
  setPositions(positions) {
    this.raw.set(positions);
    if (this._tween?.kind === 'positions') {
      // A progressive frame overtakes a projection tween: jump to the newest
      // frame under the fit that tween was heading for.
      const { resolve } = this._tween;
      this._tween = null;
      resolve();
    }
    // While a refit runs, this.fit is already its target.
    const r = radiusUnderFit(this.raw, this.fit);
    if (r > REFIT_GROW || (r > 0 && r < REFIT_SHRINK)) {
      this._startFitTween(this._fitOf(), AUTO_REFIT_MS, easeOutCubic);
    }
    if (this._tween?.kind === 'fit') return false; // the running refit applies the new raw next frame
    applyFit(this.raw, this.fit, this.world);
    return true;
  }

  /** Animates to the fit of the current positions; resolves at the end. */
  refit(durationMs) {
    const target = this._fitOf();
    // Mid-projection-tween: retarget that tween rather than stacking a second one.
    if (this._tween?.kind === 'positions') {
      this.finish();
      return this._startPositionTween(target, durationMs);
    }
    return this._startFitTween(target, durationMs);
  }

  /**
   * Stops the running tween where it is (world keeps what is on screen) and
   * resolves its promise. Callers then start a new tween from that state.
   */
  finish() {
    const tween = this._tween;
    if (!tween) return;
    this._tween = null;
    tween.resolve();
  }

  /** Advances the tween to time `now`; returns whether world changed. */
  step(now) {
    const tween = this._tween;
    if (!tween) return false;
    const t = tween.duration > 0 ? Math.min(1, (now - tween.start) / tween.duration) : 1;
    const e = tween.ease(t);
    if (tween.kind === 'positions') {
      const { from, to } = tween;
      const world = this.world;
      for (let i = 0; i < world.length; i++) world[i] = from[i] + (to[i] - from[i]) * e;
    } else {
      applyFit(this.raw, lerpFit(tween.from, tween.to, e, tween.current), this.world);
    }
    if (t >= 1) {
      this._tween = null;
      tween.resolve();
    }
    return true;
  }

  _startPositionTween(targetFit, durationMs) {
    const to = applyFit(this.raw, targetFit);
    this.fit = targetFit;
    return new Promise((resolve) => {
      this._tween = { kind: 'positions', from: this.world.slice(), to, ease: easeInOutCubic, start: performance.now(), duration: this._duration(durationMs), resolve };
    });
  }

  _startFitTween(targetFit, durationMs, ease = easeInOutCubic) {
    // Start from the fit on screen: mid-refit that is the running tween's
    // interpolated fit, not its target.
    const from = this._tween?.kind === 'fit' ? { ...this._tween.current } : { ...this.fit };
    this.finish();
    this.fit = targetFit;
    return new Promise((resolve) => {
      this._tween = { kind: 'fit', from, to: targetFit, current: { ...from }, ease, start: performance.now(), duration: this._duration(durationMs), resolve };
    });
  }
}
