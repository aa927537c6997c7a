// Places the point set: PCA of the points, PCA of the whole table, named
// axes and the analogy view at once; t-SNE and UMAP step by step in the
// worker, drawn while they run, with Pause. Every projection comes in 3D or
// in 2D (dims 2: the plane z = 0, seen straight on, rotation off). The page
// calls layout() only when the points, the space or the layout options
// change, so a query that only changes the highlights never restarts a run.
import { Superseded } from '../compute/client.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { axesForPlot, namedAxes } from './axis-presets.js';
import { coreAxis } from '../../../wasm/js/axis-presets.js';
import { analogyLayout } from './analogy-view.js';
import { LONG_LAYOUT_POINTS } from './view-state.js';
import { t } from '../i18n/strings.js';

const TSNE_ITERATIONS = 1000;

// The progressive layouts differ only in their request, its arguments and
// how a frame counts its steps; one path (#runProgressive) runs both.
// seconds(n): the time a run takes on a quiet 2-core machine (the README's
// figures; tests/e2e/projections.test.js prints the page's), for the
// notice before a long run.
const PROGRESSIVE_LAYOUTS = {
  tsne: {
    name: 't-SNE',
    request: Request.tsne,
    unit: t.layoutIteration,
    units: t.layoutIterations,
    args: ({ dims, perplexity = 30 }) => ({ perplexity, dims, seed: 1, iterations: TSNE_ITERATIONS, frameEvery: 10 }),
    steps: (frame) => ({ done: frame.iteration, total: frame.iterations }),
    // The neighbour search is quadratic, the iterations about n log n.
    seconds: (n) => 1.6 * (n / 1e4) ** 2 + 13 * (n / 1e4) ** 1.1,
  },
  umap: {
    name: 'UMAP',
    request: Request.umap,
    unit: t.layoutEpoch,
    units: t.layoutEpochs,
    // n_neighbors counts the point itself, so a small set caps it at its size.
    args: ({ dims, neighbors = 15, minDist = 0.1 }, count) => ({ neighbors: Math.min(neighbors, count), minDist, dims, seed: 0, frameEvery: 5 }),
    steps: (frame) => ({ done: frame.epoch, total: frame.epochs }),
    // The core runs 500 epochs below 10,000 points and 200 from there on; the k-NN graph is quadratic but fast.
    seconds: (n) => (n < 1e4 ? 500 : 200) * n * 2e-6 + 0.3 * (n / 1e4) ** 2,
  },
};

/** "about 40 s", "about 2 min" */
function aboutTime(seconds) {
  return seconds < 90 ? t.aboutSeconds(Math.max(5, Math.round(seconds / 5) * 5)) : t.aboutMinutes(Math.round(seconds / 60));
}

/** n*3 positions for the plot from a layout of `dims` coordinates per point; 2D puts every z at 0. */
export function planePositions(positions, count, dims) {
  const stride = positions.length / count;
  if (dims === 3 && stride === 3) return positions;
  const out = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    out[3 * i] = positions[i * stride];
    out[3 * i + 1] = positions[i * stride + 1];
    if (dims === 3) out[3 * i + 2] = positions[i * stride + 2];
  }
  return out;
}

export class ProjectionController {
  /**
   * plot: the ScatterPlot; onPlaced(): after points were (re)placed, so the
   * page can redraw highlights; onError(error): a projection failed;
   * onLayout({ proj, dims, ids, positions, explained }): once per finished
   * layout (PCA, axes and the analogy view when placed, with the variance
   * shares `explained` where the projection has them, else null; PCA adds
   * componentsExplained, the shares of the top 10, and components; t-SNE and
   * UMAP when they end, not when stopped early); positions are n*3 as
   * drawn (every z 0 in 2D); elements: { controls, pause, status } of the
   * layout toolbar (optional).
   */
  constructor({ client, plot, onPlaced, onError, onLayout = null, elements = {} }) {
    this.client = client;
    this.plot = plot;
    this.onPlaced = onPlaced;
    this.onError = onError;
    this.onLayout = onLayout;
    this.elements = elements;
    this.token = 0;
    this.running = false;
    this.paused = false;
    elements.pause?.addEventListener('click', () => this.#togglePause());
  }

  /**
   * Lays out `pointSet` with `proj` ('pca', 'pca-table', 'axes', 'tsne',
   * 'umap', 'analogy': the plane of `query`'s a, b, c; see analogy-view.js)
   * in `dims` (2 or 3) dimensions; perplexity (t-SNE), neighbors and
   * minDist (UMAP) go to the core. fresh: the ids changed, so the points
   * are set anew rather than moved. Resolves when the points are placed
   * (a progressive layout: when it ends or stops).
   */
  async layout({ pointSet, labels, colours, proj, axes, fresh, query = null, dims = 3, perplexity, neighbors, minDist, components }) {
    const token = ++this.token;
    this.#stopRunning();
    if (proj !== 'axes') this.plot.setAxes(null);
    this.plot.setMarker(null);
    if (!pointSet.count) return;
    const ids = [...pointSet.ids];
    const kind = PROGRESSIVE_LAYOUTS[proj];
    if (kind) return this.#runProgressive(token, kind, { ids, labels, colours, proj, dims, options: { dims, perplexity, neighbors, minDist } });
    const args = { ids: pointSet.ids, method: proj };
    if (components) args.components = components; // PCA: the principal components on x, y and z
    let named = [];
    if (proj === 'axes') {
      try {
        named = namedAxes(axes);
      } catch (error) {
        this.onError(new Error(t.axesFailed(error.message)));
      }
      args.axes = named.map(coreAxis);
      if (!args.axes.length) args.method = 'pca';
    }
    // The analogy view without a query to draw is PCA.
    if (proj === 'analogy') args.method = 'pca';
    let out;
    let marker = null;
    try {
      if (proj === 'analogy' && query) ({ out, marker } = await analogyLayout(this.client, pointSet, query));
      else out = await this.client.call(Request.project, args, { channel: 'project' });
    } catch (error) {
      if (!(error instanceof Superseded)) this.onError(error);
      return;
    }
    if (token !== this.token) return;
    const positions = planePositions(out.coordinates, ids.length, dims);
    if (marker && dims === 2) marker = { ...marker, position: [marker.position[0], marker.position[1], 0] };
    this.#setFlat(dims === 2);
    // A named third axis has no depth to stand on in 2D.
    this.plot.setAxes(named.length ? axesForPlot(named.slice(0, dims), positions) : null);
    this.plot.setMarker(marker); // before the points: the fit includes it
    if (fresh || this.plot.count !== pointSet.count) {
      this.plot.setPoints({ positions, labels, colors: colours });
    } else {
      this.plot.animateTo(positions);
    }
    this.onPlaced();
    this.onLayout?.({ proj, dims, ids, positions, explained: out.explained ?? null, componentsExplained: out.componentsExplained ?? null, components: args.components ?? null });
  }

  /** t-SNE or UMAP: frames drawn as they come, the status counting the steps. */
  async #runProgressive(token, kind, { ids, labels, colours, proj, dims, options }) {
    this.running = true;
    this.paused = false;
    const count = ids.length;
    const args = { ids, ...kind.args(options, count) };
    // A long run says beforehand how long it takes, and keeps saying it.
    const estimate = count > LONG_LAYOUT_POINTS ? t.layoutEstimate(count, aboutTime(kind.seconds(count))) : '';
    const capped = args.neighbors !== undefined && args.neighbors < (options.neighbors ?? 15) ? t.neighboursCapped(args.neighbors) : '';
    this.#showStatus({ running: true, text: t.findingNeighbours(kind.name, estimate) });
    let first = true;
    let last = null;
    let steps = { done: 0, total: 0 };
    let result;
    try {
      result = await this.client.call(kind.request, args, {
        channel: 'layout',
        onProgress: (frame) => {
          if (token !== this.token || !frame.positions) return;
          last = planePositions(frame.positions, count, dims);
          if (first) {
            this.#setFlat(dims === 2);
            this.plot.setPoints({ positions: last, labels, colors: colours });
            this.onPlaced();
            first = false;
          } else {
            this.plot.setPositions(last);
          }
          steps = kind.steps(frame);
          this.#showStatus({ running: true, text: t.layoutStep(kind.unit, steps.done, steps.total, capped, estimate) });
        },
      });
    } catch (error) {
      if (token !== this.token || error instanceof Superseded || error?.code === ErrorCode.CANCELLED) return;
      this.#showStatus({ running: false, text: '' });
      this.onError(error);
      return;
    } finally {
      if (token === this.token) this.running = false;
    }
    if (token !== this.token || result?.stopped || !last) return;
    this.plot.refit();
    this.#showStatus({ running: false, text: t.layoutDone(steps.total, kind.units, capped) });
    this.onLayout?.({ proj, dims, ids, positions: last, explained: null });
  }

  /** 2D: the camera faces the plane and rotation is off; back to the 3D view when it changes. */
  #setFlat(flat) {
    if (this.plot.rig.setFlat(flat)) this.plot.resetView();
  }

  #stopRunning() {
    if (this.running) this.client.tsneControl('stop');
    this.running = false;
    this.#showStatus(null);
  }

  #togglePause() {
    if (!this.running) return;
    this.paused = !this.paused;
    this.client.tsneControl(this.paused ? 'pause' : 'resume');
    this.elements.pause.textContent = this.paused ? t.resume : t.pause;
  }

  /** null hides the layout toolbar; Pause shows only while a run is going. */
  #showStatus(status) {
    const { controls, pause, status: text } = this.elements;
    if (controls) controls.hidden = status === null;
    if (pause) {
      pause.hidden = !status?.running;
      pause.textContent = this.paused ? t.resume : t.pause;
    }
    if (text) text.textContent = status?.text ?? '';
  }
}
