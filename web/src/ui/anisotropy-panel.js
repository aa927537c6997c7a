// Anisotropy panel: mean random-pair cosine raw beside transformed, a
// histogram of pair cosines and the eigenvalue spectrum, drawn on canvas.
import { el } from './dom.js';
import { t } from '../i18n/strings.js';

const RAW = '#0072B2'; // Okabe-Ito blue
const TRANSFORMED = '#D55E00'; // Okabe-Ito vermillion

function histogram(values, bins, lo, hi) {
  const counts = new Float64Array(bins);
  for (const v of values) {
    const at = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[at]++;
  }
  for (let i = 0; i < bins; i++) counts[i] /= values.length || 1;
  return counts;
}

function drawHistogram(canvas, raw, transformed) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const bins = 60;
  const [lo, hi] = [-0.6, 0.9];
  const a = histogram(raw, bins, lo, hi);
  const b = histogram(transformed, bins, lo, hi);
  const top = Math.max(...a, ...b) || 1;
  const plotH = height - 18;
  for (const [counts, colour] of [[a, RAW], [b, TRANSFORMED]]) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i < bins; i++) {
      const x = ((i + 0.5) / bins) * width;
      const y = plotH - (counts[i] / top) * (plotH - 4);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  for (const tick of [-0.5, 0, 0.5]) {
    const x = ((tick - lo) / (hi - lo)) * width;
    ctx.fillRect(x, plotH, 1, 4);
    ctx.fillText(String(tick), x - 8, height - 2);
  }
}

function drawSpectrum(canvas, raw, transformed) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const n = Math.max(raw.length, transformed.length);
  const top = Math.max(...raw, ...transformed) || 1;
  const barW = width / n / 2;
  for (let i = 0; i < n; i++) {
    const x = (i / n) * width;
    ctx.fillStyle = RAW;
    ctx.fillRect(x, height - (raw[i] / top) * (height - 4), barW, (raw[i] / top) * (height - 4));
    ctx.fillStyle = TRANSFORMED;
    ctx.fillRect(x + barW, height - ((transformed[i] ?? 0) / top) * (height - 4), barW, ((transformed[i] ?? 0) / top) * (height - 4));
  }
}

export function renderAnisotropy({ raw, transformed, space }, { figures, histogramCanvas, spectrumCanvas, spaceName }) {
  spaceName.textContent = space;
  const rows = [
    [t.anisotropyMeanPairCosine, (s) => s.meanPairCosine.toFixed(4)],
    [t.anisotropyPairCosineStd, (s) => s.pairCosineStd.toFixed(4)],
    [t.anisotropyVarianceTop1, (s) => t.percent(s.varianceTop1)],
    [t.anisotropyVarianceTop10, (s) => t.percent(s.varianceTop10)],
    [t.anisotropyMeanVectorNorm, (s) => s.meanVectorNorm.toFixed(3)],
  ];
  figures.replaceChildren(
    ...rows.map(([name, format]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, format(raw.stats)), el('td', {}, format(transformed.stats)))),
    el('tr', { class: 'legend-row' }, el('th', { scope: 'row' }, t.colour), el('td', { class: 'swatch-raw' }, t.blue), el('td', { class: 'swatch-transformed' }, t.orange)),
  );
  drawHistogram(histogramCanvas, raw.cosines, transformed.cosines);
  drawSpectrum(spectrumCanvas, raw.spectrum, transformed.spectrum);
}
