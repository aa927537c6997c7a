// Named axes: a line through the projection's origin along x, y and z, each
// named at both ends ("← man", "woman →") and ticked in the projection's own
// units (cosines, for the named-axes projection), so a learner can read how
// far along "man → woman" a word sits.
//
// The axes live in raw projection coordinates: the origin is raw (0, 0, 0)
// and a tick at 0.1 is raw 0.1 along its axis. They are mapped to the world
// with the fit the points are drawn under (getFit), and rebuilt whenever
// the points move, so refits and tweens carry the axes with the cloud.
//
// Lines are one LineSegments2 (screen-space width); names and tick values
// are DOM text over the canvas, placed in onRender like labels-layer.js:
// textContent only, styles through the CSSOM (CSP-safe). Implements the
// layer interface (see points-layer.js).

import * as THREE from 'three';
import { LineSegments2 } from 'three/addons/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/addons/lines/LineSegmentsGeometry.js';
import { LineMaterial } from 'three/addons/lines/LineMaterial.js';
import { TEXT_COLORS } from './palette.js';

const AXIS_COLORS = [TEXT_COLORS.reddishPurple, TEXT_COLORS.bluishGreen, '#5f5f5f'];
const RESIDUAL_COLOR = '#767676'; // 4.5:1 on white: tick values stay readable
const LINE_WIDTH_PX = 1.5;
const TICK_WORLD = 0.02; // half-length of a tick mark, in world units (the cloud has radius 1)
const OVERHANG = 0.06; // the line runs this far (world units) past the outer ticks

/** "0.1", "−0.2", "0": tick text with a true minus sign. */
export function tickText(value) {
  const text = Math.abs(value) < 1e-9 ? '0' : String(Math.round(value * 100) / 100);
  return text.replace('-', '−');
}

export class AxesLayer {
  /** container: the plot element; theme: palette.THEMES entry; getFit(): the { cx, cy, cz, scale } the points are drawn under. */
  constructor(container, theme, getFit) {
    this._theme = theme;
    this._getFit = getFit;
    this.group = new THREE.Group();
    this.group.renderOrder = 1;
    this.material = new LineMaterial({ linewidth: LINE_WIDTH_PX, vertexColors: true, worldUnits: false, transparent: true, opacity: 0.85, depthWrite: false });
    this.lines = new LineSegments2(new LineSegmentsGeometry(), this.material);
    this.lines.frustumCulled = false;
    this.lines.visible = false;
    this.group.add(this.lines);

    this.root = document.createElement('div');
    Object.assign(this.root.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%', overflow: 'hidden', pointerEvents: 'none', userSelect: 'none' });
    this.root.dataset.layer = 'axes';
    this.root.setAttribute('aria-hidden', 'true'); // the page names the axes in text beside the plot
    container.appendChild(this.root);

    this._axes = [];
    this._anchors = []; // [{ el, world: Vector3, dx, dy, shift, w, h }] DOM texts and the world points they sit at
    /** Screen boxes (CSS px) of the texts drawn in the last frame: word labels keep clear of them. */
    this.textBoxes = [];
    this._width = 0;
    this._height = 0;
    this._v = new THREE.Vector3();
  }

  setScene(scene) {
    scene.add(this.group);
  }

  /**
   * axes: up to three entries for x, y, z, each { name, fromLabel, toLabel,
   * ticks: number[] } or null (that axis is not drawn); null or [] hides all.
   */
  setAxes(axes) {
    this._axes = (axes ?? []).slice(0, 3).map((axis) =>
      axis
        ? {
            name: String(axis.name ?? ''),
            fromLabel: String(axis.fromLabel ?? ''),
            toLabel: String(axis.toLabel ?? ''),
            ticks: cleanTicks(axis.ticks),
            named: axis.named !== false,
          }
        : null,
    );
    this.root.replaceChildren();
    this._anchors = [];
    this._axes.forEach((axis, i) => {
      if (!axis) return;
      // Axes the data chose (PCA of the residual) are grey: only word axes get a colour and named ends.
      const color = axis.named ? AXIS_COLORS[i] : RESIDUAL_COLOR;
      axis.color = color;
      const end = (role, text, bold) => this._anchor({ axis: i, role, text, color, bold });
      axis.fromEnd = axis.fromLabel ? end('from', `← ${axis.fromLabel}`, true) : null;
      axis.toEnd = axis.toLabel ? end('to', `${axis.toLabel} →`, true) : null;
      if (axis.name) axis.title = end('name', axis.name, false);
      // The origin's "0" is written once, on y (or on the first axis drawn), not three times over each other.
      const zeroOn = this._axes[1] ? 1 : this._axes.findIndex(Boolean);
      axis.tickLabels = axis.ticks.map((t) => (t === 0 && i !== zeroOn ? { el: null } : end('tick', tickText(t), false)));
    });
    this._rebuild();
  }

  onPointPositionsChanged() {
    this._rebuild();
  }

  onRender(camera) {
    this.textBoxes.length = 0;
    if (!this._anchors.length) return;
    for (const anchor of this._anchors) {
      if (!anchor.world || !anchor.el) continue;
      const p = this._v.copy(anchor.world).project(camera);
      const visible = Number.isFinite(p.x) && p.z > -1 && p.z < 1;
      anchor.el.style.display = visible ? '' : 'none';
      if (!visible) continue;
      const x = Math.round((p.x + 1) * 0.5 * this._width + anchor.dx);
      const y = Math.round((1 - p.y) * 0.5 * this._height + anchor.dy);
      anchor.el.style.transform = `translate(${x}px, ${y}px) translate(${anchor.shift})`;
      if (!anchor.w) [anchor.w, anchor.h] = [anchor.el.offsetWidth, anchor.el.offsetHeight];
      const [sx, sy] = anchor.shift.split(',').map((part, k) => shiftPx(part, k ? anchor.h : anchor.w));
      this.textBoxes.push({ x0: x + sx, y0: y + sy, x1: x + sx + anchor.w, y1: y + sy + anchor.h });
    }
  }

  onResize(width, height) {
    this._width = width;
    this._height = height; // LineSegments2 sets the material's resolution itself before each render
  }

  dispose() {
    this.root.remove();
    this.lines.geometry.dispose();
    this.material.dispose();
  }

  _anchor({ axis, role, text, color, bold }) {
    const el = document.createElement('div');
    el.dataset.axis = 'xyz'[axis];
    el.dataset.role = role;
    el.textContent = text;
    const tick = role === 'tick';
    Object.assign(el.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      whiteSpace: 'nowrap',
      font: `${bold ? 600 : tick ? 400 : 500} ${tick ? 10 : 12}px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`,
      color,
      background: tick ? 'transparent' : this._theme.labelBackground,
      borderRadius: '6px',
      padding: tick ? '0' : '1px 5px',
    });
    if (role === 'name') el.style.fontStyle = 'italic';
    this.root.appendChild(el);
    const anchor = { el, world: null, dx: 0, dy: 0, shift: '-50%, -50%', w: 0, h: 0 };
    this._anchors.push(anchor);
    return anchor;
  }

  /** World positions of the lines, ticks and texts under the current fit. */
  _rebuild() {
    const drawn = this._axes.filter(Boolean);
    this.lines.visible = drawn.length > 0;
    if (!drawn.length) return;
    const { cx, cy, cz, scale } = this._getFit();
    const origin = [-cx * scale, -cy * scale, -cz * scale];
    const at = (i, value) => {
      const p = origin.slice();
      p[i] += value * scale;
      return p;
    };
    const positions = [];
    const colors = [];
    const push = (a, b, color) => {
      positions.push(...a, ...b);
      colors.push(color.r, color.g, color.b, color.r, color.g, color.b);
    };
    this._axes.forEach((axis, i) => {
      if (!axis) return;
      const color = new THREE.Color(axis.color);
      const lo = Math.min(0, ...axis.ticks) * scale - OVERHANG;
      const hi = Math.max(0, ...axis.ticks) * scale + OVERHANG;
      const start = at(i, lo / scale), end = at(i, hi / scale);
      push(start, end, color);
      // Ticks cross the line along the next axis, so they read from the default camera.
      const across = i === 1 ? 0 : 1;
      axis.ticks.forEach((t, k) => {
        const p = at(i, t);
        const a = p.slice(), b = p.slice();
        a[across] -= TICK_WORLD;
        b[across] += TICK_WORLD;
        push(a, b, color);
        const label = axis.tickLabels[k];
        label.world = new THREE.Vector3(...b);
        [label.dx, label.dy, label.shift] = i === 1 ? [6, 0, '0, -50%'] : [0, 8, '-50%, 0'];
      });
      // Ends sit just beyond the line's ends, outward along the axis on screen (set in the shift).
      if (axis.fromEnd) {
        axis.fromEnd.world = new THREE.Vector3(...start);
        [axis.fromEnd.shift, axis.fromEnd.dx] = i === 1 ? ['-50%, 4px', 0] : ['-100%, -50%', -4];
      }
      if (axis.toEnd) {
        axis.toEnd.world = new THREE.Vector3(...end);
        [axis.toEnd.shift, axis.toEnd.dx] = i === 1 ? ['-50%, -100%', 0] : ['0, -50%', 4];
      }
      if (axis.title) {
        axis.title.world = new THREE.Vector3(...end);
        [axis.title.dx, axis.title.dy, axis.title.shift] = i === 1 ? [0, -22, '-50%, -100%'] : [4, -18, '0, -50%'];
      }
    });
    this.lines.geometry.dispose();
    const geometry = new LineSegmentsGeometry();
    geometry.setPositions(new Float32Array(positions));
    geometry.setColors(new Float32Array(colors));
    this.lines.geometry = geometry;
  }
}

/** One part of a CSS translate ("-50%", "4px", "0") in px, for a box `size` px long. */
function shiftPx(part, size) {
  const text = part.trim();
  const value = parseFloat(text) || 0;
  return text.endsWith('%') ? (value / 100) * size : value;
}

function cleanTicks(ticks) {
  return Array.isArray(ticks) ? ticks.filter((t) => Number.isFinite(t)).slice(0, 41) : [];
}
