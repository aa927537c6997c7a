// Places the point set in 3D: PCA of the points, PCA of the whole table,
// custom axes, or t-SNE (progressive, with Pause). The page calls layout()
// only when the points, the space or the projection change, so a query
// that only changes the highlights never restarts t-SNE.
import { Superseded } from '../compute/client.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { axesForPlot, namedAxes } from './axis-presets.js';
import { coreAxis } from '../../../wasm/js/axis-presets.js';
import { analogyLayout } from './analogy-view.js';

const TSNE_ITERATIONS = 1000;

export class ProjectionController {
  /**
   * plot: the ScatterPlot; onPlaced(): after points were (re)placed, so the
   * page can redraw highlights; onError(error): a projection failed;
   * elements: { controls, pause, status } of the t-SNE toolbar (optional).
   */
  constructor({ client, plot, onPlaced, onError, elements = {} }) {
    this.client = client;
    this.plot = plot;
    this.onPlaced = onPlaced;
    this.onError = onError;
    this.elements = elements;
    this.token = 0;
    this.tsneRunning = false;
    this.paused = false;
    elements.pause?.addEventListener('click', () => this.#togglePause());
  }

  /**
   * Lays out `pointSet` with `proj` ('pca', 'pca-table', 'axes', 'tsne',
   * 'analogy': the plane of `query`'s a, b, c; see analogy-view.js).
   * fresh: the ids changed, so the points are set anew rather than moved.
   */
  async layout({ pointSet, labels, colours, proj, axes, fresh, query = null }) {
    const token = ++this.token;
    this.#stopTsne();
    if (proj !== 'axes') this.plot.setAxes(null);
    this.plot.setMarker(null);
    if (!pointSet.count) return;
    if (proj === 'tsne') return this.#runTsne(token, { pointSet, labels, colours });
    const args = { ids: pointSet.ids, method: proj };
    let named = [];
    if (proj === 'axes') {
      try {
        named = namedAxes(axes);
      } catch (error) {
        this.onError(new Error(`Axes: ${error.message}; showing PCA.`));
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
    this.plot.setAxes(named.length ? axesForPlot(named, out.coordinates) : null);
    this.plot.setMarker(marker); // before the points: the fit includes it
    if (fresh || this.plot.count !== pointSet.count) {
      this.plot.setPoints({ positions: out.coordinates, labels, colors: colours });
    } else {
      this.plot.animateTo(out.coordinates);
    }
    this.onPlaced();
  }

  async #runTsne(token, { pointSet, labels, colours }) {
    this.tsneRunning = true;
    this.paused = false;
    this.#showTsne({ running: true, text: 'starting' });
    let first = true;
    let run;
    try {
      run = await this.client.call(
        Request.tsne,
        { ids: pointSet.ids, seed: 1, iterations: TSNE_ITERATIONS, frameEvery: 10 },
        {
          channel: 'tsne',
          onProgress: ({ iteration, positions }) => {
            if (token !== this.token || !positions) return;
            if (first) {
              this.plot.setPoints({ positions, labels, colors: colours });
              this.onPlaced();
              first = false;
            } else {
              this.plot.setPositions(positions);
            }
            this.#showTsne({ running: true, text: `iteration ${iteration} of ${TSNE_ITERATIONS}` });
          },
        },
      );
    } catch (error) {
      if (token !== this.token || error instanceof Superseded || error?.code === ErrorCode.CANCELLED) return;
      this.#showTsne({ running: false, text: '' });
      this.onError(error);
      return;
    } finally {
      if (token === this.token) this.tsneRunning = false;
    }
    if (token !== this.token || run?.stopped) return;
    this.plot.refit();
    this.#showTsne({ running: false, text: `done: ${TSNE_ITERATIONS} iterations` });
  }

  #stopTsne() {
    if (this.tsneRunning) this.client.tsneControl('stop');
    this.tsneRunning = false;
    this.#showTsne(null);
  }

  #togglePause() {
    if (!this.tsneRunning) return;
    this.paused = !this.paused;
    this.client.tsneControl(this.paused ? 'pause' : 'resume');
    this.elements.pause.textContent = this.paused ? 'Resume' : 'Pause';
  }

  /** null hides the t-SNE toolbar; Pause shows only while a run is going. */
  #showTsne(status) {
    const { controls, pause, status: text } = this.elements;
    if (controls) controls.hidden = status === null;
    if (pause) {
      pause.hidden = !status?.running;
      pause.textContent = this.paused ? 'Resume' : 'Pause';
    }
    if (text) text.textContent = status?.text ?? '';
  }
}
