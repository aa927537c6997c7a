// The page: wires the controls, the results list, the panels and the 3D
// view to the compute worker. No computation happens here; every query is
// a message to the worker (web/src/compute), which runs the wasm core.
import tableUrl from '../../../data/glove-6b-100d-50k.emb?url';
import wasmUrl from '../../../wasm/dist/explorer_core.wasm?url';
import { ComputeError, Superseded, startCompute } from '../compute/client.js';
import { Request } from '../compute/protocol.js';
import { ScatterPlot } from '../view/scatter-plot.js';
import { renderAnisotropy } from './anisotropy-panel.js';
import { $, el, formatBytes } from './dom.js';
import { LabPanel } from './lab-panel.js';
import { LoadPanel } from './load-panel.js';
import { setupMemoryPanel } from './memory-panel.js';
import { QUERY_PRESETS, WORD_GROUPS } from './presets.js';
import { formatAxes, parseAxes, readUrlState, writeUrlState } from './url-state.js';

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
const GROUP_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];
const DEFAULT_QUERY = { q: 'king - man + woman' };
const MAX_INPUT = 200; // longer text is not a word or an expression
const OTHER_COLOUR = '#999999';
const UNCOLOURED = 0.72; // grey of points outside any group or value

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

function lastToken(text) {
  const parts = text.split(/[\s+\-*]+/);
  return parts[parts.length - 1] ?? '';
}

export class ExplorerApp {
  constructor({ embed = false } = {}) {
    this.embed = embed;
    this.client = startCompute();
    this.state = { k: 10, space: 'raw', proj: 'pca', n: 5000, method: '3cosadd', ...readUrlState() };
    this.baseIds = [];
    this.baseWords = [];
    this.pointIds = [];
    this.pointWords = [];
    this.indexOfId = new Map();
    this.lastResult = null; // { ids of results, inputs, analogy? }
    this.groupIds = [];
    this.displayOf = new Map(); // token -> readable form (subword vocabularies), from the worker
    this.colourBy = ''; // metadata column colouring the points
    this.columnValues = null; // that column's value for each point
    this.timing = { opened: performance.now() };
    this.projectionToken = 0;
    this.plot = new ScatterPlot($('plot'), {
      onHover: () => {},
      onSelect: (index) => this.#selectPoint(index),
    });
    this.#bindControls();
  }

  // ---- start-up --------------------------------------------------------------

  async start() {
    try {
      const info = await this.client.call(
        Request.load,
        { tableUrl: new URL(tableUrl, location.href).href, wasmUrl: new URL(wasmUrl, location.href).href },
        { onProgress: ({ loaded, total }) => this.#showLoadProgress(loaded, total) },
      );
      this.info = info;
      this.#showLoaded(info);
    } catch (error) {
      this.#showLoadFailure(error);
      return;
    }
    if (this.state.space !== 'raw') await this.#call(Request.setSpace, { space: this.state.space });
    // Answer first (the learner is waiting for it), then draw the points.
    const hasQuery = this.state.q || this.state.a || this.state.word || this.state.sel;
    if (!hasQuery && !this.state.group) Object.assign(this.state, DEFAULT_QUERY);
    this.#restoreControls();
    await this.#runStateQuery();
    this.timing.firstAnswer = performance.now() - this.timing.opened;
    document.body.dataset.firstAnswerMs = this.timing.firstAnswer.toFixed(0);
    await this.#loadBasePoints();
    if (this.state.group) this.#showGroup(this.state.group);
    if (!this.embed) this.#refreshAnisotropy();
    document.body.dataset.ready = 'true';
  }

  #showLoadProgress(loaded, total) {
    const progress = $('load-progress');
    const text = $('load-text');
    if (total) {
      progress.max = total;
      progress.value = loaded;
      text.textContent = `Loading embeddings: ${formatBytes(loaded)} of ${formatBytes(total)}`;
    } else {
      progress.removeAttribute('value');
      text.textContent = `Loading embeddings: ${formatBytes(loaded)}`;
    }
  }

  #showLoaded(info) {
    $('load-progress').hidden = true;
    $('load-text').textContent = `${info.words.toLocaleString('en')} words × ${info.dims} dimensions (int8, ${formatBytes(info.memoryBytes)}, ${info.kernel})`;
    $('load-status').classList.add('done');
  }

  #showLoadFailure(error) {
    $('load-progress').hidden = true;
    $('load-text').textContent = `Could not load the embeddings: ${error.message}`;
    $('load-status').classList.add('failed');
  }

  /**
   * Switches the page to a table the user loaded (the worker has already
   * swapped it in): header, vocabulary, points, colouring, the current
   * query (an unknown word shows the usual inline error) and the panels.
   */
  async useTable({ info, name, columns = [], keepFloats = false }) {
    this.info = info;
    this.#showLoaded(info);
    $('tagline').textContent = `${name}, ${info.dims} dimensions, int8, computed in your browser`;
    this.displayOf = new Map();
    this.colourBy = '';
    this.columnValues = null;
    $('colour-by').replaceChildren(el('option', { value: '' }, 'nothing'), ...columns.map((c) => el('option', { value: c }, c)));
    $('colour-by-label').hidden = columns.length === 0;
    $('vocabulary-suggestions').replaceChildren();
    this.lab?.tableChanged({ keepFloats, name });
    // A new table starts raw; keep the learner's space.
    if (this.state.space !== 'raw') await this.#call(Request.setSpace, { space: this.state.space });
    $('results').replaceChildren();
    $('results-caption').textContent = '';
    this.#hideComparison();
    this.#clearError();
    this.lastResult = null;
    // Word groups are GloVe words; a table of BERT pieces may lack them.
    this.state.group = undefined;
    await this.#runStateQuery();
    await this.#loadBasePoints();
    this.#refreshAnisotropy();
    // For the browser tests: which table answers, and how many loads finished.
    document.body.dataset.table = name;
    document.body.dataset.tableLoads = String(Number(document.body.dataset.tableLoads ?? 0) + 1);
  }

  // ---- calls ---------------------------------------------------------------

  /** A worker call whose errors are shown inline; superseded calls resolve to undefined. */
  async #call(type, args, options) {
    try {
      return await this.client.call(type, args, options);
    } catch (error) {
      if (error instanceof Superseded || error?.code === 'CANCELLED') return undefined;
      this.#showError(error);
      return undefined;
    }
  }

  #showError(error) {
    const message = $('message');
    const parts = [error instanceof ComputeError || error?.message ? error.message : String(error)];
    message.replaceChildren(parts[0]);
    if (error?.suggestions?.length) {
      message.append(' Try: ');
      error.suggestions.forEach((word, i) => {
        if (i) message.append(', ');
        message.append(el('button', { type: 'button', class: 'link', onclick: () => this.#runNeighbors(word) }, word));
      });
    }
    message.hidden = false;
  }

  #clearError() {
    $('message').hidden = true;
    $('message').replaceChildren();
  }

  #validateWords(fields) {
    for (const [name, value] of fields) {
      if (!value.trim()) return `Please fill in ${name}.`;
      if (value.length > MAX_INPUT) return `${name} is too long (${value.length} characters; words are at most ${MAX_INPUT}).`;
    }
    return null;
  }

  // ---- queries -------------------------------------------------------------

  async #runStateQuery() {
    const s = this.state;
    if (s.a && s.b && s.c) return this.#runAnalogy(s.a, s.b, s.c, { method: s.method, includeInputs: s.inputs === '1', expected: s.expected });
    if (s.q) return this.#runExpression(s.q);
    if (s.word || s.sel) return this.#runNeighbors(s.word || s.sel, { select: Boolean(s.sel) });
    return undefined;
  }

  async #runExpression(text) {
    const problem = this.#validateWords([['the expression', text]]);
    if (problem) return this.#showError({ message: problem });
    Object.assign(this.state, { q: text, a: undefined, b: undefined, c: undefined, expected: undefined, word: undefined, sel: undefined });
    const k = this.#k();
    const out = await this.#call(Request.query, { kind: 'expression', text, k }, { channel: 'query' });
    if (!out) return undefined;
    this.#clearError();
    const inputs = out.terms.map((t) => t.word);
    this.#showResults(out.results, { caption: `for ${text}` });
    this.#hideComparison();
    this.lastResult = { results: out.results, inputWords: inputs, arrows: this.#expressionArrows(out) };
    this.#writeUrl();
    await this.#updatePointSet();
    return out;
  }

  #expressionArrows(out) {
    // For "b - a + c" draw the parallelogram a->b and c->d like an analogy.
    const terms = out.terms;
    const neg = terms.filter((t) => t.weight < 0);
    const pos = terms.filter((t) => t.weight > 0);
    if (terms.length === 3 && neg.length === 1 && pos.length === 2 && out.results[0]) {
      return [[neg[0].word, pos[0].word], [pos[1].word, out.results[0].word]];
    }
    return [];
  }

  async #runAnalogy(a, b, c, { method = '3cosadd', includeInputs = false, expected } = {}) {
    const problem = this.#validateWords([['A', a], ['B', b], ['C', c]]);
    if (problem) return this.#showError({ message: problem });
    Object.assign(this.state, { a, b, c, method, inputs: includeInputs ? '1' : undefined, expected, q: undefined, word: undefined, sel: undefined });
    const out = await this.#call(Request.query, { kind: 'analogy', a, b, c, k: this.#k(), method, includeInputs, expected }, { channel: 'query' });
    if (!out) return undefined;
    this.#clearError();
    const label = method === '3cosmul' ? '3CosMul' : '3CosAdd';
    this.#showResults(out.results, { caption: `${a} : ${b} :: ${c} : ? (${label})`, expected: out.expected });
    this.#showComparison(out.other, out.results);
    this.lastResult = {
      results: out.results,
      inputWords: [a, b, c],
      arrows: out.results[0] ? [[a, b], [c, out.results[0].word]] : [],
    };
    this.#writeUrl();
    await this.#updatePointSet();
    return out;
  }

  async #runNeighbors(word, { select = false } = {}) {
    const problem = this.#validateWords([['the word', word]]);
    if (problem) return this.#showError({ message: problem });
    Object.assign(this.state, { word: select ? undefined : word, sel: select ? word : undefined, q: undefined, a: undefined, b: undefined, c: undefined, expected: undefined });
    const out = await this.#call(Request.query, { kind: 'neighbors', word, k: this.#k() }, { channel: 'query' });
    if (!out) return undefined;
    this.#clearError();
    this.#showResults(out.results, { caption: `nearest to ${word}` });
    this.#hideComparison();
    this.lastResult = { results: out.results, inputWords: [word], arrows: [], selectedWord: word };
    this.#writeUrl();
    await this.#updatePointSet();
    return out;
  }

  #k() {
    const k = Math.round(Number(this.state.k) || 10);
    return Math.min(100, Math.max(1, k));
  }

  #showResults(results, { caption, expected } = {}) {
    const list = $('results');
    list.replaceChildren(
      ...results.map((r) =>
        el('li', { dataset: { word: r.word } }, el('span', { class: 'word' }, this.#display(r)), ' ', el('span', { class: 'score' }, r.score.toFixed(3))),
      ),
    );
    const captionNode = $('results-caption');
    if (captionNode) {
      captionNode.textContent = caption ?? '';
      if (expected) captionNode.textContent += ` — "${expected.word}" ranks ${expected.rank}`;
    }
  }

  /** The readable form of a result's token, remembered for point labels. */
  #display(result) {
    if (result.display !== undefined && result.display !== result.word) this.displayOf.set(result.word, result.display);
    return result.display ?? result.word;
  }

  #labels() {
    return this.pointWords.map((w) => this.displayOf.get(w) ?? w);
  }

  #showComparison(other, mine) {
    const box = $('comparison');
    if (!box || !other) return;
    const label = other.method === '3cosmul' ? '3CosMul' : '3CosAdd';
    $('comparison-heading').textContent = other.expected
      ? `${label} beside it: "${other.expected.word}" ranks ${other.expected.rank}`
      : `${label} beside it`;
    const mineWords = new Set(mine.map((r) => r.word));
    $('comparison-results').replaceChildren(
      ...other.results.map((r) =>
        el('li', { class: mineWords.has(r.word) ? '' : 'differs' }, el('span', { class: 'word' }, this.#display(r)), ' ', el('span', { class: 'score' }, r.score.toFixed(3))),
      ),
    );
    box.hidden = false;
  }

  #hideComparison() {
    if ($('comparison')) $('comparison').hidden = true;
  }

  // ---- points and projections ----------------------------------------------

  async #loadBasePoints() {
    const n = Math.min(20000, Math.max(100, Math.round(Number(this.state.n) || 5000)));
    const top = await this.#call(Request.topWords, { count: n });
    if (!top) return;
    this.baseIds = top.ids;
    this.baseWords = top.words;
    top.labels?.forEach((label, i) => label !== top.words[i] && this.displayOf.set(top.words[i], label));
    await this.#updatePointSet({ force: true });
  }

  /** Words to draw: the base set plus results, inputs, the selection and the group. */
  #wantedWords() {
    const words = [];
    const r = this.lastResult;
    if (r) {
      for (const x of r.results) words.push(x.word);
      words.push(...r.inputWords);
    }
    for (const group of this.#activeGroups()) words.push(...group.words.filter((w) => this.groupWordsKnown?.has(w) ?? true));
    return words;
  }

  #activeGroups() {
    if (!this.state.group) return [];
    return this.state.group === 'all' ? WORD_GROUPS : WORD_GROUPS.filter((g) => g.name === this.state.group);
  }

  async #updatePointSet({ force = false } = {}) {
    if (!this.baseIds.length) return;
    const ids = [...this.baseIds];
    const words = [...this.baseWords];
    const seen = new Set(words);
    for (const word of this.#wantedWords()) {
      if (seen.has(word)) continue;
      seen.add(word);
      words.push(word); // ids are resolved in the worker by word
      ids.push(word);
    }
    const changed = force || words.length !== this.pointWords.length || words.some((w, i) => w !== this.pointWords[i]);
    this.pointWords = words;
    this.pointIds = ids;
    this.indexOfWord = new Map(words.map((w, i) => [w, i]));
    if (changed && this.colourBy) await this.#fetchColumn();
    if (changed) await this.#project({ replace: true });
    else this.#decorate();
  }

  async #project({ replace = false } = {}) {
    const token = ++this.projectionToken;
    const method = this.state.proj;
    this.#stopTsne();
    $('axes-form') && ($('axes-form').hidden = method !== 'axes');
    if (method === 'tsne') return this.#runTsne(token, replace);
    const args = { ids: this.pointIds, method };
    if (method === 'axes') args.axes = this.#axes().filter((a) => a.from.length && a.to.length);
    if (method === 'axes' && !args.axes.length) args.method = 'pca';
    const out = await this.#call(Request.project, args, { channel: 'project' });
    if (!out || token !== this.projectionToken) return;
    this.#place(out.coordinates, replace);
  }

  #place(coordinates, replace) {
    if (replace || this.plot.count !== this.pointWords.length) {
      this.plot.setPoints({ positions: coordinates, labels: this.#labels(), colors: this.#colours() });
    } else {
      this.plot.animateTo(coordinates);
    }
    this.#decorate();
  }

  async #runTsne(token, replace) {
    const controls = $('tsne-controls');
    if (controls) controls.hidden = false;
    $('tsne-pause') && ($('tsne-pause').textContent = 'Pause');
    let first = true;
    const iterations = 1000;
    await this.#call(
      Request.tsne,
      { ids: this.pointIds, seed: 1, iterations, frameEvery: 10 },
      {
        channel: 'tsne',
        onProgress: ({ iteration, positions }) => {
          if (token !== this.projectionToken) return;
          if (first) {
            this.plot.setPoints({ positions, labels: this.#labels(), colors: this.#colours() });
            this.#decorate();
            first = false;
          } else {
            this.plot.setPositions(positions);
          }

          $('tsne-status') && ($('tsne-status').textContent = `iteration ${iteration} of ${iterations}`);
        },
      },
    );
    if (token === this.projectionToken) this.plot.refit();
  }

  #stopTsne() {
    this.client.tsneControl('stop');
    if ($('tsne-controls')) $('tsne-controls').hidden = true;
  }

  #axes() {
    if (this.state.axes) return parseAxes(this.state.axes);
    const read = (axis) => ({
      from: ($(`axis-${axis}-from`)?.value ?? '').split(',').map((w) => w.trim()).filter(Boolean),
      to: ($(`axis-${axis}-to`)?.value ?? '').split(',').map((w) => w.trim()).filter(Boolean),
    });
    return ['x', 'y', 'z'].map(read);
  }

  /** The most frequent values of the colouring column, each with its colour; the rest are "other". */
  #valueColours() {
    if (!this.colourBy || !this.columnValues) return [];
    const counts = new Map();
    for (const value of this.columnValues) counts.set(value, (counts.get(value) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, GROUP_COLOURS.length - 1);
    return top.map(([value], i) => ({ value, colour: GROUP_COLOURS[i] }));
  }

  async #fetchColumn() {
    const values = await this.#call(Request.pointColumn, { column: this.colourBy, ids: this.pointIds }, { channel: 'column' });
    this.columnValues = values && values.length === this.pointIds.length ? values : null;
  }

  #colours() {
    const valueColours = this.#valueColours();
    if (valueColours.length) {
      const colourOf = new Map(valueColours.map(({ value, colour }) => [value, hexToRgb(colour)]));
      const other = hexToRgb(OTHER_COLOUR);
      const colours = new Float32Array(this.pointWords.length * 3);
      this.columnValues.forEach((value, i) => colours.set(colourOf.get(value) ?? other, i * 3));
      return colours;
    }
    const groups = this.#activeGroups();
    if (!groups.length) return null;
    const colours = new Float32Array(this.pointWords.length * 3).fill(UNCOLOURED);
    groups.forEach((group, g) => {
      const rgb = hexToRgb(GROUP_COLOURS[g % GROUP_COLOURS.length]);
      for (const word of group.words) {
        const i = this.indexOfWord.get(word);
        if (i !== undefined) colours.set(rgb, i * 3);
      }
    });
    return colours;
  }

  #decorate() {
    const r = this.lastResult;
    const index = (w) => this.indexOfWord.get(w);
    const defined = (xs) => xs.filter((x) => x !== undefined);
    const groupIndices = this.#activeGroups().flatMap((g) => g.words.map(index));
    this.plot.setHighlights({
      results: defined([...(r ? r.results.map((x) => index(x.word)) : []), ...groupIndices]),
      inputs: defined(r ? r.inputWords.map(index) : []),
      selected: r?.selectedWord !== undefined ? index(r.selectedWord) ?? null : null,
    });
    this.plot.setArrows(
      (r?.arrows ?? [])
        .map(([from, to], i) => ({ from: index(from), to: index(to), color: i === 0 ? '#0072B2' : '#D55E00' }))
        .filter((a) => a.from !== undefined && a.to !== undefined),
    );
    this.#renderLegend();
  }

  #renderLegend() {
    const legend = $('legend');
    if (!legend) return;
    const item = (colour, text) => {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = colour;
      return el('span', { class: 'legend-item' }, swatch, text);
    };
    const valueColours = this.#valueColours();
    if (valueColours.length) {
      // Labels come from the user's metadata file: text nodes only.
      const shown = new Set(valueColours.map(({ value }) => value));
      legend.replaceChildren(
        el('span', { class: 'hint' }, `${this.colourBy}:`),
        ...valueColours.map(({ value, colour }) => item(colour, value === '' ? '(empty)' : value)),
        this.columnValues.some((value) => !shown.has(value)) ? item(OTHER_COLOUR, 'other') : null,
      );
      legend.hidden = false;
      return;
    }
    const groups = this.#activeGroups();
    legend.replaceChildren(...groups.map((group, g) => item(GROUP_COLOURS[g % GROUP_COLOURS.length], group.name)));
    legend.hidden = groups.length === 0;
  }

  #selectPoint(index) {
    if (index === null || index === undefined) return;
    const word = this.pointWords[index];
    if (word) this.#runNeighbors(word, { select: true });
  }

  // Word groups are GloVe words: on a table of your own only the words it
  // has are drawn, and the message says which were left out.
  async #showGroup(name) {
    const wanted = (name === 'all' ? WORD_GROUPS : WORD_GROUPS.filter((g) => g.name === name)).flatMap((g) => g.words);
    const known = await this.#call(Request.knownWords, { words: wanted });
    if (!known) return;
    if (!known.length) {
      this.#showError(new Error(`None of the words of the group "${name}" are in this table.`));
      return;
    }
    this.groupWordsKnown = new Set(known);
    const missing = wanted.filter((w) => !this.groupWordsKnown.has(w));
    if (missing.length) this.#showError(new Error(`Not in this table, left out of the group: ${missing.join(', ')}.`));
    this.state.group = name;
    this.#writeUrl();
    await this.#updatePointSet();
    this.plot.setColors(this.#colours());
    this.#decorate();
  }

  async #refreshAnisotropy() {
    if (!$('aniso-figures')) return;
    const space = this.state.space === 'raw' ? 'whitened' : this.state.space;
    const out = await this.#call(Request.anisotropy, { space }, { channel: 'anisotropy' });
    if (!out) return;
    renderAnisotropy(out, {
      figures: $('aniso-figures'),
      histogramCanvas: $('aniso-histogram'),
      spectrumCanvas: $('aniso-spectrum'),
      spaceName: $('aniso-space-name'),
    });
  }

  // ---- controls ------------------------------------------------------------

  #restoreControls() {
    const s = this.state;
    const set = (id, value) => $(id) && value !== undefined && ($(id).value = value);
    set('expression', s.q);
    set('analogy-a', s.a);
    set('analogy-b', s.b);
    set('analogy-c', s.c);
    set('search', s.word ?? s.sel);
    set('k', s.k);
    set('space', s.space);
    set('projection', s.proj);
    set('point-count', s.n);
    if ($('include-inputs')) $('include-inputs').checked = s.inputs === '1';
    for (const radio of document.querySelectorAll('input[name="method"]')) radio.checked = radio.value === (s.method ?? '3cosadd');
    if (s.axes) {
      parseAxes(s.axes).forEach((axis, i) => {
        const name = ['x', 'y', 'z'][i];
        set(`axis-${name}-from`, axis.from.join(', '));
        set(`axis-${name}-to`, axis.to.join(', '));
      });
    }
    if ($('axes-form')) $('axes-form').hidden = s.proj !== 'axes';
  }

  #writeUrl() {
    writeUrlState(this.state);
    const open = $('open-full');
    if (open) open.href = new URL(`./index.html${location.search}`, location.href).href;
  }

  #bindControls() {
    const on = (id, event, handler) => $(id)?.addEventListener(event, handler);
    on('expression-form', 'submit', (e) => {
      e.preventDefault();
      this.#runExpression($('expression').value);
    });
    on('analogy-form', 'submit', (e) => {
      e.preventDefault();
      const method = document.querySelector('input[name="method"]:checked')?.value ?? '3cosadd';
      this.#runAnalogy($('analogy-a').value.trim(), $('analogy-b').value.trim(), $('analogy-c').value.trim(), {
        method,
        includeInputs: $('include-inputs').checked,
      });
    });
    on('search-form', 'submit', (e) => {
      e.preventDefault();
      this.#runNeighbors($('search').value.trim());
    });
    for (const id of ['expression', 'analogy-a', 'analogy-b', 'analogy-c', 'search']) {
      on(id, 'input', (e) => this.#complete(e.target.value));
    }
    on('k', 'change', () => {
      this.state.k = $('k').value;
      this.#runStateQuery();
    });
    on('space', 'change', async () => {
      this.state.space = $('space').value;
      await this.#call(Request.setSpace, { space: this.state.space });
      this.#writeUrl();
      await this.#runStateQuery();
      await this.#project();
      this.#refreshAnisotropy();
    });
    on('projection', 'change', () => {
      this.state.proj = $('projection').value;
      this.#writeUrl();
      this.#project();
    });
    on('axes-form', 'submit', (e) => {
      e.preventDefault();
      this.state.axes = undefined;
      this.state.axes = formatAxes(this.#axes().filter((a) => a.from.length && a.to.length));
      this.#writeUrl();
      this.#project();
    });
    on('point-count', 'change', () => {
      this.state.n = $('point-count').value;
      this.#writeUrl();
      this.#loadBasePoints();
    });
    on('tsne-pause', 'click', () => {
      const button = $('tsne-pause');
      const pausing = button.textContent === 'Pause';
      this.client.tsneControl(pausing ? 'pause' : 'resume');
      button.textContent = pausing ? 'Resume' : 'Pause';
    });
    on('copy-embed', 'click', () => this.#copyEmbedCode());
    on('colour-by', 'change', async () => {
      this.colourBy = $('colour-by').value;
      this.columnValues = null;
      if (this.colourBy) await this.#fetchColumn();
      this.plot.setColors(this.#colours());
      this.#decorate();
    });
    if (!this.embed && $('load-panel')) {
      this.loadPanel = new LoadPanel({ client: this.client, onLoaded: (result) => this.useTable(result) });
      this.lab = new LabPanel({ client: this.client });
    }
    const presets = $('presets');
    if (presets) {
      for (const preset of QUERY_PRESETS) {
        presets.append(
          el('button', {
            type: 'button',
            onclick: () => {
              const [a, b, c] = preset.analogy;
              $('analogy-a').value = a;
              $('analogy-b').value = b;
              $('analogy-c').value = c;
              this.#runAnalogy(a, b, c, { method: '3cosadd', expected: preset.expected });
            },
          }, preset.label),
        );
      }
      presets.append(el('button', { type: 'button', onclick: () => this.#showGroup('all') }, 'word groups'));
      for (const group of WORD_GROUPS) {
        presets.append(el('button', { type: 'button', class: 'small', onclick: () => this.#showGroup(group.name) }, group.name));
      }
    }
    if (!this.embed) {
      setupMemoryPanel({
        model: $('memory-model'),
        vocab: $('memory-vocab'),
        dims: $('memory-dims'),
        bytes: $('memory-bytes'),
        figures: $('memory-figures'),
      });
    }
  }

  async #complete(text) {
    const prefix = lastToken(text);
    if (!prefix || prefix.length > 40) return;
    const words = await this.#call(Request.complete, { prefix, limit: 8 }, { channel: 'complete' });
    if (!words) return;
    $('vocabulary-suggestions').replaceChildren(...words.map((w) => el('option', { value: text.slice(0, text.length - prefix.length) + w })));
  }

  #copyEmbedCode() {
    const search = location.search;
    const embedUrl = new URL(`./embed.html${search}`, location.href).href;
    const elementUrl = new URL('./embedding-explorer.js', location.href).href;
    const query = this.state.q ?? (this.state.a ? `${this.state.b} - ${this.state.a} + ${this.state.c}` : '');
    const code =
      `<iframe src="${embedUrl}" width="720" height="420" style="border:0" title="Embedding Space Explorer" loading="lazy"></iframe>\n\n` +
      `<!-- or, with one script tag: -->\n<script type="module" src="${elementUrl}"></script>\n` +
      `<embedding-explorer query="${query.replace(/"/g, '&quot;')}"></embedding-explorer>`;
    let box = $('embed-code');
    if (!box) {
      box = el('textarea', { id: 'embed-code', class: 'embed-code', readonly: true, rows: 6, 'aria-label': 'Embed code' });
      $('copy-embed').after(box);
    }
    box.value = code;
    box.select();
    navigator.clipboard?.writeText(code).then(
      () => ($('copy-embed').textContent = 'Copied'),
      () => ($('copy-embed').textContent = 'Select and copy'),
    );
  }
}
