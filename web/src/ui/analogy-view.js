// The analogy, in numbers, beside the 3D view: where the computed point
// b − a + c lies (its norm, the nearest word with nothing excluded and the
// cosine between them), how parallel the offsets a→b and c→d are in the
// full space against the angle between them in the projection on screen
// (so a learner sees when the picture exaggerates), which inputs "include
// inputs" would let back in and at what rank, and, for a relation of the
// built-in analogy set, each pair's offset cosine to the mean offset.
// All figures come from the worker; this file only asks and writes text.
import { Superseded } from '../compute/client.js';
import { Request } from '../compute/protocol.js';
import { BUILTIN_ANALOGIES } from '../lab/builtin-analogies.js';
import { renderBarChart } from './bar-chart.js';
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';
import { queryOf } from './view-state.js';

/** Degrees between two offsets given as cosine. */
export const degreesOf = (cosine) => (Math.acos(Math.max(-1, Math.min(1, cosine))) * 180) / Math.PI;

/**
 * Angle in degrees between the offsets from→to and otherFrom→otherTo in a
 * projection's coordinates (n x 3, by point index), or null.
 */
export function projectedAngle(coordinates, [from, to, otherFrom, otherTo]) {
  if ([from, to, otherFrom, otherTo].some((i) => i === undefined || 3 * i + 2 >= coordinates.length)) return null;
  const offset = (i, j) => [0, 1, 2].map((k) => coordinates[3 * j + k] - coordinates[3 * i + k]);
  const u = offset(from, to);
  const v = offset(otherFrom, otherTo);
  const dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const norms = Math.hypot(...u) * Math.hypot(...v);
  return norms > 0 ? degreesOf(dot / norms) : null;
}

const f3 = (x) => x.toFixed(3);

export class AnalogyView {
  constructor({ client }) {
    this.client = client;
    this.figuresKey = null;
    this.figures = null; // { geometry, skipped } of the current query
    this.angle = null;
    this.populateRelations();
    $('offset-run')?.addEventListener('click', () => this.showOffsets());
  }

  populateRelations() {
    const select = $('offset-relation');
    if (!select) return;
    const names = [...BUILTIN_ANALOGIES.matchAll(/^:\s*(\S+)/gm)].map((m) => m[1]);
    select.replaceChildren(...names.map((name) => el('option', { value: name }, name)));
    if (names.includes('gender')) select.value = 'gender';
  }

  /**
   * After every placement and decoration: the state, the point set and the
   * plot's coordinates (raw, as the projection gave them).
   */
  async update({ state, pointSet, coordinates }) {
    const panel = $('analogy-panel');
    if (!panel) return;
    const query = state.answer?.query;
    const arrows = query?.arrows ?? [];
    const kind = queryOf(state)?.kind;
    panel.hidden = !(arrows.length === 2 && (kind === 'analogy' || kind === 'expression'));
    if (panel.hidden) return;
    // The latest placement: figures that arrive later are drawn against it.
    this.latest = { state, pointSet, coordinates, arrows };
    const key = JSON.stringify([state.answer.key, state.inputs]);
    if (key !== this.figuresKey) {
      this.figuresKey = key;
      this.figures = null;
      for (const id of ['analogy-point', 'analogy-nearest', 'analogy-offsets', 'analogy-skipped']) $(id).textContent = '';
      let figures;
      try {
        figures = await this.#figures(state, query);
      } catch (error) {
        if (error instanceof Superseded || key !== this.figuresKey) return;
        $('analogy-point').textContent = error?.message ?? String(error);
        return;
      }
      if (key !== this.figuresKey) return;
      this.figures = figures;
    }
    if (!this.figures) return; // still coming; they are drawn when they arrive
    const latest = this.latest;
    // The offsets compared end at the expected word when one is given (the preset's "running").
    const [[a, b], [c, d]] = latest.arrows;
    const corners = this.figures.geometry.corners?.ids ?? [a, b, c, d];
    const index = (id) => latest.pointSet.indexOf(id);
    this.angle = latest.coordinates ? projectedAngle(latest.coordinates, corners.map(index)) : null;
    this.#render(latest.state);
  }

  async #figures(state, query) {
    const asked = queryOf(state);
    const geometryQuery = asked.kind === 'analogy' ? { a: asked.a, b: asked.b, c: asked.c } : { text: asked.text };
    const answerId = asked.kind === 'analogy' && asked.expected ? asked.expected : query.arrows[1][1];
    const geometry = await this.client.call(Request.analogyGeometry, { ...geometryQuery, answer: answerId, words: [] }, { channel: 'analogy-figures' });
    // "Include inputs": the ranking with the inputs let in, to say which were skipped and where.
    const k = state.k + query.inputIds.length;
    const open = await this.client.call(Request.query, { ...asked, k, includeInputs: true }, { channel: 'analogy-inputs' });
    const inputs = new Set(query.inputIds);
    const ranked = open.results.map((r, i) => ({ word: r.display ?? r.word, id: r.id, rank: i + 1, score: r.score })).filter((r) => inputs.has(r.id));
    return { geometry, inputsRanked: ranked, looked: k, includeInputs: asked.kind === 'analogy' && Boolean(state.inputs), scoreKind: asked.method === '3cosmul' ? '3CosMul score' : 'cosine' };
  }

  #render(state) {
    const { geometry: g, inputsRanked, looked, includeInputs, scoreKind } = this.figures;
    const corners = g.corners;
    const point = g.terms.map((term, i) => `${term.weight < 0 ? '− ' : i ? '+ ' : ''}${Math.abs(term.weight) === 1 ? '' : `${Math.abs(term.weight)}·`}${term.word}`).join(' ');
    $('analogy-point').textContent = t.computedPoint(point, f3(g.pointNorm));
    $('analogy-nearest').textContent = g.nearest
      ? t.nearestToPoint(g.nearest.word, f3(g.nearest.score), degreesOf(g.nearest.score).toFixed(1))
      : '';
    const offsets = $('analogy-offsets');
    if (corners && g.offsetCosine !== null) {
      const full = degreesOf(g.offsetCosine);
      const projection = state.proj === 'analogy' ? t.theAnalogyView : t.thisProjection;
      let verdict = '';
      if (this.angle !== null) {
        const diff = this.angle - full;
        verdict = Math.abs(diff) < 5 ? t.pictureFaithful : diff > 0 ? t.pictureExaggerates(diff.toFixed(0)) : t.pictureFlattens((-diff).toFixed(0));
      }
      offsets.textContent =
        t.offsetsFull(corners.a, corners.b, corners.c, corners.d, f3(g.offsetCosine), full.toFixed(1)) +
        (this.angle === null ? '.' : t.offsetsOnScreen(this.angle.toFixed(1), projection, verdict));
      offsets.dataset.fullCosine = String(g.offsetCosine);
      offsets.dataset.screenDegrees = this.angle === null ? '' : String(this.angle);
    } else {
      offsets.textContent = '';
    }
    const skipped = $('analogy-skipped');
    if (includeInputs) {
      skipped.textContent = inputsRanked.length
        ? t.inputsIncluded(inputsRanked.map((r) => t.inputRanks(r.word, r.rank, f3(r.score))))
        : t.inputsIncludedNone(looked);
    } else {
      skipped.textContent = inputsRanked.length
        ? t.inputsSkipped(inputsRanked.map((r) => t.inputWouldRank(r.word, r.rank, t.scoreKindName[scoreKind] ?? scoreKind, f3(r.score))))
        : t.inputsSkippedNone(looked);
    }
  }

  async showOffsets() {
    const section = $('offset-relation').value;
    const summary = $('offset-summary');
    summary.textContent = t.computing;
    let report;
    try {
      report = await this.client.call(Request.relationOffsets, { text: BUILTIN_ANALOGIES, section }, { channel: 'offsets' });
    } catch (error) {
      if (error instanceof Superseded) return;
      summary.textContent = error?.message ?? String(error);
      return;
    }
    const sorted = [...report.pairs].sort((x, y) => y.cosine - x.cosine);
    renderBarChart(
      $('offset-chart'),
      sorted.map((p) => ({ label: `${p.to} − ${p.from}`, fraction: Math.max(0, p.cosine), text: f3(p.cosine) })),
    );
    const mean = sorted.reduce((sum, p) => sum + p.cosine, 0) / sorted.length;
    const left = report.skipped.length ? t.offsetsLeftOut(report.skipped.map((p) => p.join('–'))) : '';
    summary.textContent = t.offsetsSummary(report.section, sorted.length, f3(mean), left);
  }
}

/**
 * The analogy view's layout: the points in the plane through a, b and c
 * (PCA when the query is not "b − a + c"), and the computed point as a
 * marker joined to b and c. Returns { out: { coordinates, explained },
 * marker } for the projection controller.
 */
export async function analogyLayout(client, pointSet, query) {
  const asked =
    query.kind === 'analogy' ? { a: query.a, b: query.b, c: query.c } : { text: query.kind === 'expression' ? query.text : query.word };
  const g = await client.call(Request.analogyGeometry, { ...asked, words: pointSet.ids, layout: 'plane' }, { channel: 'project' });
  const n = pointSet.count;
  const coordinates = g.coordinates.slice(0, 3 * n);
  const position = Array.from(g.coordinates.slice(3 * n, 3 * n + 3));
  let marker = null;
  if (g.corners) {
    const [a, b, c] = g.corners.ids;
    const label = `${g.corners.b} − ${g.corners.a} + ${g.corners.c}`;
    const at = (id) => pointSet.indexOf(id);
    marker = { position, label, links: [at(b), at(c)].filter((i) => i !== undefined), edges: [[at(a), at(c)]].filter((e) => e.every((i) => i !== undefined)) };
  } else if (query.kind === 'expression') {
    marker = { position, label: query.text, links: [] };
  }
  return { out: { coordinates, explained: g.explained }, marker, geometry: g };
}
