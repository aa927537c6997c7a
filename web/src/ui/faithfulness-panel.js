// "What this view keeps", beside the 3D view: how much of the words'
// variance each shown axis carries (PCA, named axes, the analogy view) and,
// for every projection once its layout is finished, how well it keeps
// neighbours: the mean share of each word's 10 nearest neighbours in the
// full space that are also among its 10 nearest on screen, and the
// trustworthiness (k = 10). The worker's `faithfulness` request computes
// them; a new layout cancels a run that has not finished.
//
// The report also feeds the overlay (plot-adapter.js): the colour of each
// point by its own recall, and for the selected word the edges to its true
// neighbours, split into those the projection keeps near and those it puts
// far away.
import { ErrorCode, Request } from '../compute/protocol.js';
import { NEIGHBOUR_EDGE_COLORS } from '../view/palette.js';
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';

export const NEIGHBOURS = 10;
const AXES = ['x', 'y', 'z'];
const percent = t.percent;

/**
 * The text for the variance each shown axis carries. explained: share per
 * axis (x, y, z); dims: 2 or 3; proj: the projection. Returns
 * { text, shares, total } (total null where the shares may overlap), or
 * null when there is nothing to say (t-SNE, UMAP, no shares).
 */
export function varianceReadout({ proj, dims = 3, explained, named = 0, components = null }) {
  if (proj === 'tsne' || proj === 'umap') return null;
  const shares = Array.from(explained ?? []).slice(0, dims);
  if (!shares.length || !shares.every(Number.isFinite)) return null;
  // PCA on picked components (pca-picker.js) names them: "y (PC5) 3.8 %".
  const picked = components && components.some((c, i) => c !== i) ? components : null;
  const listed = shares.map((share, i) => t.varianceListItem(AXES[i], picked ? picked[i] + 1 : 0, percent(share))).join(', ');
  const sum = shares.reduce((a, b) => a + b, 0);
  if (proj === 'axes' && named > 0) {
    // Axes chosen by words need not be orthogonal, so their shares may overlap: no total.
    const byWords = Math.min(named, dims);
    const wordAxes = AXES.slice(0, byWords).join(t.axisAnd);
    const rest = shares.slice(byWords);
    const carried = shares.slice(0, Math.max(byWords, 1)).map((share, i) => t.axisCarries(AXES[i], percent(share)));
    let text = t.varianceAxesByWords(wordAxes, byWords, carried);
    if (byWords > 0 && rest.length) {
      const names = AXES.slice(byWords, dims).join(t.axisAnd);
      text += t.varianceRestByPca(names, rest.length, rest.map(percent).join(t.axisAnd));
    }
    return { text, shares, total: null };
  }
  // Whole-table PCA: the core's shares are of the table's variance, which the shown words need not follow.
  const of = proj === 'pca-table' ? t.ofWholeTableVariance : t.ofTheVariance;
  return { text: t.varianceTotal(listed, percent(sum), of), shares, total: sum };
}

/** Variance (1/n) of each of the first `dims` coordinates of n x stride positions. */
export function coordinateVariances(positions, stride, dims) {
  const n = positions.length / stride;
  const out = [];
  for (let c = 0; c < dims; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += positions[i * stride + c];
    mean /= n;
    let s = 0;
    for (let i = 0; i < n; i++) s += (positions[i * stride + c] - mean) ** 2;
    out.push(s / n);
  }
  return out;
}

/**
 * Each axis's share of the points' variance for a layout whose axes are
 * orthonormal directions but which reports no shares (the analogy plane):
 * the total variance is read off a PCA of the same points, whose
 * coordinate variances are its eigenvalues and whose shares are those over
 * the total.
 */
export function sharesFromPca(positions, stride, dims, pca) {
  const pcaVariances = coordinateVariances(pca.coordinates, 3, 3);
  const explained = Array.from(pca.explained).slice(0, 3).reduce((a, b) => a + b, 0);
  const total = pcaVariances.reduce((a, b) => a + b, 0) / explained;
  if (!(total > 0) || !Number.isFinite(total)) return null;
  return coordinateVariances(positions, stride, dims).map((v) => v / total);
}

/**
 * The k nearest rows to `row` in a layout (positions: n x stride, the first
 * `dims` coordinates used), by Euclidean distance, ties to the smaller row,
 * as the core ranks them.
 */
export function layoutNeighbours(positions, stride, dims, row, k) {
  const n = positions.length / stride;
  const d2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < dims; c++) {
      const delta = positions[j * stride + c] - positions[row * stride + c];
      s += delta * delta;
    }
    d2[j] = s;
  }
  const others = [];
  for (let j = 0; j < n; j++) if (j !== row) others.push(j);
  others.sort((a, b) => d2[a] - d2[b] || a - b);
  return others.slice(0, k);
}

/**
 * For one row of a report: its true neighbours split into those also near
 * on screen (`near`) and those far on screen (`far`), and the screen's
 * nearest that are not true neighbours (`lookalikes`). All as rows.
 */
export function splitNeighbours(report, row) {
  const { k, neighbors, positions, stride, dims } = report;
  const truth = Array.from(neighbors.subarray(row * k, row * k + k));
  const onScreen = new Set(layoutNeighbours(positions, stride, dims, row, k));
  const isTrue = new Set(truth);
  return {
    near: truth.filter((j) => onScreen.has(j)),
    far: truth.filter((j) => !onScreen.has(j)),
    lookalikes: [...onScreen].filter((j) => !isTrue.has(j)),
  };
}

export class FaithfulnessPanel {
  /**
   * onChange(): the report came in or was dropped; the page redraws the overlay.
   * enabled: false measures nothing (the embed has no readout, and a course
   * page's several embeds should not each spend seconds on figures nobody sees).
   */
  constructor({ client, onChange = () => {}, enabled = true }) {
    this.client = client;
    this.onChange = onChange;
    this.enabled = enabled;
    this.report = null; // { ids, rowOf, positions, stride, dims, k, recall, neighbors, mean, trustworthiness, proj, seconds }
    this.running = null; // AbortController of the run in flight
    this.token = 0;
  }

  /** A new layout is being placed: what was measured belongs to the old one. */
  layoutStarted(proj) {
    this.token++;
    this.running?.abort();
    this.running = null;
    const hadReport = this.report !== null;
    this.report = null;
    this.#show('faithfulness-variance', '');
    this.#show('faithfulness-neighbours', proj === 'tsne' || proj === 'umap' ? t.neighboursWhenLayoutDone : t.placingPoints);
    this.#show('faithfulness-selected', '');
    this.#setState('waiting');
    if (hadReport) this.onChange();
  }

  /** The layout failed (the page notes why): no figures will come for it. */
  layoutFailed() {
    if (this.running || this.report) return; // a note about the axes, say, while a measured layout stands
    this.#show('faithfulness-neighbours', '');
    this.#setState('failed');
  }

  /**
   * A layout finished (the projection controller's onLayout): its variance
   * shares at once, then the neighbour figures from the worker.
   * named: how many axes were chosen by words (named axes).
   */
  async layoutFinished({ proj, dims = 3, ids, positions, explained, named = 0, components = null }) {
    const token = ++this.token;
    this.running?.abort();
    this.report = null;
    if (!this.enabled) return;
    this.#showVariance(token, { proj, dims, ids, positions, explained, named, components });
    this.#show('faithfulness-selected', '');
    const n = ids.length;
    if (n <= 2 * NEIGHBOURS) {
      this.#show('faithfulness-neighbours', t.neighboursNeedMore(2 * NEIGHBOURS, n));
      this.#setState('done');
      return;
    }
    const stride = positions.length / n;
    const layout = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) for (let c = 0; c < dims; c++) layout[i * dims + c] = positions[i * stride + c];
    const abort = new AbortController();
    this.running = abort;
    this.#setState('running');
    this.#show('faithfulness-neighbours', t.measuringNeighbours(NEIGHBOURS));
    let out;
    try {
      out = await this.client.call(
        Request.faithfulness,
        { ids: Array.from(ids), positions: layout, k: NEIGHBOURS, dims },
        {
          signal: abort.signal,
          onProgress: ({ done, total }) => {
            if (token === this.token) this.#show('faithfulness-neighbours', t.measuringProgress(done, total));
          },
        },
      );
    } catch (error) {
      if (token !== this.token || error?.code === ErrorCode.CANCELLED) return;
      this.running = null;
      this.#show('faithfulness-neighbours', t.cannotMeasure(error?.message ?? error));
      this.#setState('failed');
      return;
    }
    if (token !== this.token) return;
    this.running = null;
    this.report = {
      proj,
      ids: Array.from(ids),
      rowOf: new Map(Array.from(ids, (id, row) => [id, row])),
      positions: layout,
      stride: dims,
      dims,
      k: out.k,
      recall: out.neighborRecall,
      neighbors: out.neighbors,
      mean: out.meanNeighborRecall,
      trustworthiness: out.trustworthiness,
      seconds: out.seconds,
    };
    this.#show(
      'faithfulness-neighbours',
      t.neighbourFigures(out.meanNeighborRecall.toFixed(3), out.trustworthiness.toFixed(3), out.k, n, (out.meanNeighborRecall * out.k).toFixed(1)),
    );
    this.#setState('done');
    this.onChange();
  }

  /** The report when it belongs to exactly these points (same ids, same order), else null. */
  reportFor(pointSet) {
    const r = this.report;
    if (!r || r.ids.length !== pointSet.count) return null;
    const ids = pointSet.ids;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== r.ids[i]) return null;
    return r;
  }

  /** Each point's recall (0..1, by point index), or null while none is measured for these points. */
  recallFor(pointSet) {
    return this.reportFor(pointSet)?.recall ?? null;
  }

  /**
   * Edges for the selected word (by id): { from, near, far } point indices,
   * or null. Writes which neighbours the view tears apart under the figures.
   */
  edgesFor(selectedId, pointSet) {
    const r = this.reportFor(pointSet);
    const row = selectedId === undefined || selectedId === null ? undefined : r?.rowOf.get(selectedId);
    if (row === undefined) {
      this.#show('faithfulness-selected', r ? t.clickForNeighbours : '');
      return null;
    }
    const { near, far, lookalikes } = splitNeighbours(r, row);
    const word = (j) => pointSet.labels[j] ?? `#${r.ids[j]}`;
    const list = (rows) => (rows.length ? rows.map(word).join(', ') : t.noneWords);
    const key = (kind) => {
      const line = el('span', { class: `edge-key ${kind}`, 'aria-hidden': 'true' });
      line.style.borderTopColor = NEIGHBOUR_EDGE_COLORS[kind];
      return line;
    };
    $('faithfulness-selected')?.replaceChildren(
      t.selectedNeighbours(word(row), r.k),
      key('near'),
      t.neighboursNear(near.length, list(near)),
      key('far'),
      t.neighboursFar(far.length, list(far), list(lookalikes)),
    );
    return { from: row, near, far };
  }

  async #showVariance(token, { proj, dims, ids, positions, explained, named, components }) {
    let shares = explained;
    if (!explained?.length && proj !== 'tsne' && proj !== 'umap' && ids.length > 3) {
      this.#show('faithfulness-variance', '');
      try {
        const pca = await this.client.call(Request.project, { ids: Array.from(ids), method: 'pca' }, { channel: 'faithfulness-variance' });
        shares = sharesFromPca(positions, positions.length / ids.length, dims, pca);
      } catch {
        return; // a newer layout asked again; a failing PCA has failed the view already
      }
      if (token !== this.token) return;
    }
    this.#show('faithfulness-variance', varianceReadout({ proj, dims, explained: shares, named, components })?.text ?? '');
  }

  #show(id, text) {
    const node = $(id);
    if (node) node.textContent = text;
  }

  /** For the browser tests and screen readers' context: waiting | running | done | failed. */
  #setState(state) {
    const panel = $('faithfulness');
    if (panel) panel.dataset.state = state;
  }
}
