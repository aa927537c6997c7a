// Unit tests for the view's pure fit math (no DOM, no WebGL); the browser
// behaviour is checked by tests/e2e.

import { describe, expect, it } from 'vitest';
import { FIT_RADIUS, applyFit, computeFit, easeInOutCubic, easeOutCubic, lerpFit, maxRadius, radiusUnderFit } from '../../web/src/view/fit.js';

function randomCloud(n, scale, offset, seed = 1) {
  let s = seed;
  const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const out = new Float32Array(n * 3);
  for (let i = 0; i < out.length; i++) out[i] = offset + scale * (random() - 0.5);
  return out;
}

describe('computeFit / applyFit', () => {
  // Scales from t-SNE's first iterations to raw GloVe sums.
  for (const scale of [1e-4, 1, 50, 1e4]) {
    it(`puts every point inside radius ${FIT_RADIUS} at scale ${scale}`, () => {
      const raw = randomCloud(1000, scale, 3 * scale);
      const world = applyFit(raw, computeFit(raw));
      // float32 rounding of (raw - centre) * scale: 1e-5 relative is ample
      expect(Math.abs(maxRadius(world) - FIT_RADIUS)).toBeLessThan(1e-5);
    });
  }

  it('leaves a far outlier (a word UMAP put far off) outside, so the cloud still fills the sphere', () => {
    const raw = randomCloud(1000, 2, 0);
    const lone = Float32Array.from([...raw, 60, 60, 60]);
    const fit = computeFit(lone);
    const world = applyFit(lone, fit);
    expect(maxRadius(world.subarray(0, raw.length))).toBeCloseTo(FIT_RADIUS, 5);
    const outlier = Math.hypot(world[3000], world[3001], world[3002]);
    expect(outlier).toBeGreaterThan(10 * FIT_RADIUS);
    expect(Number.isFinite(outlier)).toBe(true);
    // Without the outlier nothing changes; a cloud with no far point keeps every point inside.
    expect(computeFit(raw)).toEqual(fit);
  });

  it('handles empty, single and identical points without NaN', () => {
    for (const raw of [new Float32Array(0), new Float32Array([5, 6, 7]), new Float32Array([1, 1, 1, 1, 1, 1])]) {
      const world = applyFit(raw, computeFit(raw));
      expect(world.every(Number.isFinite)).toBe(true);
      expect(maxRadius(world)).toBe(0);
    }
  });

  it('ignores non-finite rows when fitting', () => {
    const raw = new Float32Array([0, 0, 0, 2, 0, 0, NaN, 1, 1, Infinity, 0, 0]);
    const fit = computeFit(raw);
    expect(fit).toMatchObject({ cx: 1, cy: 0, cz: 0, scale: 1 });
    expect(radiusUnderFit(raw, fit)).toBe(1);
    expect(maxRadius(applyFit(raw, fit))).toBe(1);
  });

  it('radiusUnderFit equals maxRadius of the applied fit', () => {
    const raw = randomCloud(300, 10, 4);
    const fit = { cx: 1, cy: 2, cz: -3, scale: 0.07 };
    expect(radiusUnderFit(raw, fit)).toBeCloseTo(maxRadius(applyFit(raw, fit)), 5);
  });
});

describe('lerpFit', () => {
  it('ends exactly at both fits', () => {
    const a = { cx: 30, cy: 40, cz: 60, scale: 0.02 };
    const b = { cx: 0, cy: 0, cz: 0, scale: 1e4 };
    expect(lerpFit(a, b, 0)).toMatchObject(a);
    const end = lerpFit(a, b, 1);
    expect(end.scale).toBeCloseTo(b.scale, 6);
    expect(Math.abs(end.cx) + Math.abs(end.cy) + Math.abs(end.cz)).toBeLessThan(1e-9);
  });

  it('keeps the cloud near the view when scales differ by 10^5', () => {
    // Interpolating the raw centre linearly would put the cloud ~1e5 units away mid-way.
    const before = randomCloud(200, 100, 50);
    const after = randomCloud(200, 1e-3, 0, 7);
    const a = computeFit(before);
    const b = computeFit(after);
    for (let t = 0; t <= 1; t += 0.125) {
      const r = radiusUnderFit(after, lerpFit(a, b, t));
      expect(r).toBeLessThan(3); // |offset| <= ~1 plus the cloud itself, never further
    }
  });
});

describe('easing', () => {
  it('starts at 0, ends at 1, is monotone', () => {
    for (const ease of [easeInOutCubic, easeOutCubic]) {
      expect(ease(0)).toBe(0);
      expect(ease(1)).toBe(1);
      let previous = 0;
      for (let t = 0.01; t <= 1; t += 0.01) {
        expect(ease(t)).toBeGreaterThanOrEqual(previous);
        previous = ease(t);
      }
    }
  });
});
