// Manual harness for the 3D view: random clustered points with made-up
// words, hover/select, an analogy parallelogram with arrows, animateTo and
// progressive (t-SNE-like) frames. Build/serve it with check-view.mjs or
// `npx vite web/src/view` and open /demo.html.

import { ScatterPlot } from './scatter-plot.js';
import { categoricalColors } from './palette.js';

const CLUSTERS = 7;
const SYLLABLES = ['ka', 'ri', 'mo', 'ten', 'sa', 'lu', 'vo', 'ne', 'dar', 'pi', 'gro', 'be', 'shi', 'ul', 'fa', 'zen'];
// Indices 0..3 are placed as an analogy parallelogram: man:king :: woman:queen.
const ANALOGY = ['man', 'king', 'woman', 'queen'];

/** Deterministic PRNG (mulberry32) so screenshots are reproducible. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n points in CLUSTERS Gaussian blobs at scale `scale`; cluster of point i is i % CLUSTERS. */
function makeLayout(n, seed, scale) {
  const random = rng(seed);
  const centres = Array.from({ length: CLUSTERS }, () => [gaussian(random), gaussian(random), gaussian(random)]);
  const positions = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = centres[i % CLUSTERS];
    for (let d = 0; d < 3; d++) positions[3 * i + d] = scale * (c[d] + 0.35 * gaussian(random));
  }
  if (n >= 4) {
    // man -> king is the same offset as woman -> queen.
    const base = [[0, 0, 0], [0.9, 0.5, 0.1], [0.1, -0.7, 0.3], [1.0, -0.2, 0.4]];
    base.forEach((p, k) => p.forEach((v, d) => (positions[3 * k + d] = scale * v)));
  }
  return positions;
}

function makeLabels(n, seed) {
  const random = rng(seed);
  const labels = [];
  for (let i = 0; i < n; i++) {
    if (i < ANALOGY.length) {
      labels.push(ANALOGY[i]);
      continue;
    }
    const parts = 1 + Math.floor(random() * 3);
    let w = '';
    for (let k = 0; k < parts; k++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    labels.push(w);
  }
  // One label with markup in it: it must show as text, never as HTML.
  if (n > 10) labels[10] = '<b>not bold</b>';
  return labels;
}

/** k nearest neighbours of point i by Euclidean distance in `positions` (brute force; a demo). */
function nearest(positions, i, k) {
  const n = positions.length / 3;
  const scored = [];
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const dx = positions[3 * j] - positions[3 * i];
    const dy = positions[3 * j + 1] - positions[3 * i + 1];
    const dz = positions[3 * j + 2] - positions[3 * i + 2];
    scored.push([dx * dx + dy * dy + dz * dz, j]);
  }
  scored.sort((a, b) => a[0] - b[0]);
  return scored.slice(0, k).map((s) => s[1]);
}

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const status = $('status');
let plot = null;
let n = 0;
let raw = null;
let seed = 1;
let progressive = 0;
let wide = false; // which scale the last animateTo went to // requestAnimationFrame id of the t-SNE-like run

function create(dark) {
  plot?.dispose();
  plot = new ScatterPlot($('plot'), {
    theme: dark ? 'dark' : 'light',
    // ?aa=1 / ?aa=0 force MSAA on/off (to compare frame times); default 'auto'.
    antialias: params.has('aa') ? params.get('aa') === '1' : 'auto',
    onHover: (i) => {
      $('hover').textContent = i === null ? '' : `hover #${i}`;
    },
    onSelect: (i) => {
      status.textContent = i === null ? 'selected nothing' : `selected #${i}`;
      plot.setHighlights(i === null ? {} : { selected: i, results: nearest(raw, i, 8) });
    },
  });
  window.__demo.plot = plot;
}

function load(count) {
  cancelAnimationFrame(progressive);
  n = count;
  raw = makeLayout(n, seed, 5);
  const categories = Int32Array.from({ length: n }, (_, i) => (i < ANALOGY.length ? -1 : i % CLUSTERS));
  plot.setPoints({ positions: raw, labels: makeLabels(n, seed), colors: categoricalColors(categories) });
}

function showAnalogy() {
  if (n < 4) return;
  plot.setHighlights({ inputs: [0, 1, 2], results: [3, ...nearest(raw, 3, 6)], selected: 3 });
  plot.setArrows([
    { from: 0, to: 1 },
    { from: 2, to: 3 },
    { from: 0, to: 2, color: '#999999' },
  ]);
}

/** Progressive frames like t-SNE: starts tiny (1e-4) and grows ~10^5 over ~3 s. */
function runProgressive() {
  cancelAnimationFrame(progressive);
  const target = makeLayout(n, seed + 100, 50);
  const frame = new Float32Array(n * 3);
  const start = performance.now();
  const step = () => {
    const t = Math.min(1, (performance.now() - start) / 3000);
    const s = Math.pow(10, -5 + 5 * t);
    for (let i = 0; i < frame.length; i++) frame[i] = target[i] * s;
    plot.setPositions(frame);
    raw = frame;
    if (t < 1) progressive = requestAnimationFrame(step);
  };
  step();
}

window.__demo = { plot: null, load, showAnalogy, runProgressive, makeLayout, nearest };

create(false);
load(Number($('count').value));
showAnalogy();

$('regenerate').addEventListener('click', () => {
  seed++;
  load(Number($('count').value));
});
$('animate').addEventListener('click', async () => {
  cancelAnimationFrame(progressive);
  seed++;
  // Alternate between scale 5 and 50 (PCA-like, t-SNE-like): the tween
  // also refits, so the cloud stays in view either way.
  wide = !wide;
  raw = makeLayout(n, seed, wide ? 50 : 5);
  await plot.animateTo(raw, 900);
  status.textContent = 'animateTo done';
});
$('grow').addEventListener('click', runProgressive);
$('refit').addEventListener('click', () => plot.refit());
$('analogy').addEventListener('click', showAnalogy);
$('clear').addEventListener('click', () => {
  plot.setHighlights({});
  plot.setArrows([]);
});
$('rotate').addEventListener('change', (e) => plot.setAutoRotate(e.target.checked));
$('dark').addEventListener('change', (e) => {
  create(e.target.checked);
  load(n);
  showAnalogy();
  plot.setAutoRotate($('rotate').checked);
});
