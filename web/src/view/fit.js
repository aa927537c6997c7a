// Fitting raw projection output into the view.
//
// Projections come at any scale (PCA of unit vectors: ~±1; t-SNE: ~±50;
// t-SNE's first iterations: ~±1e-4). The view maps every point set into a
// sphere of radius 1 around the origin: world = (raw - centre) * scale. The
// camera, the orbit target, point sizes and the picking threshold are then
// all fixed in world units, whatever the data.
//
// Non-finite coordinates (a diverging t-SNE step) are ignored by the fit so
// that one NaN cannot collapse or blow up the whole view.

/** The radius of the sphere the data is fitted into, in world units. */
export const FIT_RADIUS = 1;

/** The identity fit: world = raw. */
export function identityFit() {
  return { cx: 0, cy: 0, cz: 0, scale: 1 };
}

// A point further than this many times the 99th-percentile distance from
// the centre is a far outlier (UMAP places a disconnected word or two far
// off): the fit leaves it outside the sphere rather than shrink the cloud
// to a dot around it.
const FAR_OUTLIER = 3;

/**
 * The fit for raw positions (Float32Array n*3): centre = middle of the
 * bounding box, scale = FIT_RADIUS / (largest distance from the centre).
 * The bounding-box middle (not the mean) keeps an outlier from pushing the
 * rest of the data off-centre; every point stays inside the sphere, except
 * far outliers (see FAR_OUTLIER), which are still drawn, further out.
 */
export function computeFit(positions) {
  const fit = boundingFit(positions, null);
  const n = Math.floor(positions.length / 3);
  if (n < 20 || fit.scale === 1) return fit;
  // Distances from the mean point: one pass, and one far point moves it by
  // only 1/n of its distance, so it still stands out against the rest.
  let mx = 0, my = 0, mz = 0, finiteCount = 0;
  for (let i = 0; i < n; i++) {
    const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
    mx += x;
    my += y;
    mz += z;
    finiteCount++;
  }
  [mx, my, mz] = [mx / finiteCount, my / finiteCount, mz / finiteCount];
  const distances = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const dx = positions[3 * i] - mx, dy = positions[3 * i + 1] - my, dz = positions[3 * i + 2] - mz;
    distances[i] = Math.sqrt(dx * dx + dy * dy + dz * dz);
  }
  const sorted = distances.slice().sort(); // NaN sorts last
  const finite = sorted.findIndex((d) => !Number.isFinite(d));
  const count = finite < 0 ? n : finite;
  const limit = FAR_OUTLIER * sorted[Math.floor(0.99 * (count - 1))];
  if (!(sorted[count - 1] > limit) || !(limit > 0)) return fit;
  return boundingFit(positions, (i) => distances[i] <= limit);
}

/** The bounding-box fit of the points `keep(i)` accepts (all when null). */
function boundingFit(positions, keep) {
  const n = Math.floor(positions.length / 3);
  let minX = Infinity, minY = Infinity, minZ = Infinity;
  let maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
    if (keep && !keep(i)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  if (minX > maxX) return identityFit(); // no finite point at all
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2, cz = (minZ + maxZ) / 2;
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    if (keep && !keep(i)) continue;
    const dx = positions[3 * i] - cx, dy = positions[3 * i + 1] - cy, dz = positions[3 * i + 2] - cz;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 > r2 && d2 < Infinity) r2 = d2; // NaN compares false; Infinity is excluded explicitly
  }
  const radius = Math.sqrt(r2);
  // A single point, or all points equal: nothing to scale, keep it centred.
  const scale = radius > 1e-30 ? FIT_RADIUS / radius : 1;
  return { cx, cy, cz, scale };
}

/** world = (raw - centre) * scale, written into `out` (allocated if absent). */
export function applyFit(raw, fit, out = new Float32Array(raw.length)) {
  const { cx, cy, cz, scale } = fit;
  for (let i = 0; i < raw.length; i += 3) {
    out[i] = (raw[i] - cx) * scale;
    out[i + 1] = (raw[i + 1] - cy) * scale;
    out[i + 2] = (raw[i + 2] - cz) * scale;
  }
  return out;
}

/**
 * Interpolates two fits at t in [0, 1]. The scale is interpolated
 * geometrically: a refit after t-SNE grows 100x then zooms at a steady
 * visual rate instead of doing nearly all of it in the first frames. The
 * centre is interpolated as a world-space offset (-centre * scale), not in
 * raw units: a raw centre halfway between two layouts, times a scale
 * already near the new one, would throw the cloud far out of view when the
 * two scales differ by orders of magnitude.
 */
export function lerpFit(a, b, t, out = identityFit()) {
  const scale = a.scale * Math.pow(b.scale / a.scale, t);
  const ox = -a.cx * a.scale + (-b.cx * b.scale + a.cx * a.scale) * t;
  const oy = -a.cy * a.scale + (-b.cy * b.scale + a.cy * a.scale) * t;
  const oz = -a.cz * a.scale + (-b.cz * b.scale + a.cz * a.scale) * t;
  out.cx = -ox / scale;
  out.cy = -oy / scale;
  out.cz = -oz / scale;
  out.scale = scale;
  return out;
}

/** Largest distance from the origin over finite world positions (0 if none). */
export function maxRadius(world) {
  let r2 = 0;
  for (let i = 0; i < world.length; i += 3) {
    const d2 = world[i] * world[i] + world[i + 1] * world[i + 1] + world[i + 2] * world[i + 2];
    if (d2 > r2 && d2 < Infinity) r2 = d2;
  }
  return Math.sqrt(r2);
}

/** Ease for tweens: smooth start and stop, C1-continuous (cubic in-out). */
export function easeInOutCubic(t) {
  return t < 0.5 ? 4 * t * t * t : 1 - Math.pow(-2 * t + 2, 3) / 2;
}

/** Ease for refits that may be retargeted mid-way: starts at full speed, so a restart does not stall. */
export function easeOutCubic(t) {
  return 1 - Math.pow(1 - t, 3);
}

/**
 * maxRadius(applyFit(raw, fit)) without writing anything. Non-finite rows
 * are skipped, as in computeFit: otherwise one Infinity would ask for a
 * refit on every frame, and the refit would never change anything.
 */
export function radiusUnderFit(raw, fit) {
  const { cx, cy, cz, scale } = fit;
  let r2 = 0;
  for (let i = 0; i < raw.length; i += 3) {
    const dx = raw[i] - cx, dy = raw[i + 1] - cy, dz = raw[i + 2] - cz;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 > r2 && d2 < Infinity) r2 = d2;
  }
  return Math.sqrt(r2) * scale;
}
