// The page: one store holds its state (store.js, view-state.js); the URL
// (url-state.js), the controls (controls.js), the results (results-view.js)
// and the 3D view (plot-adapter.js, projection-controller.js) are drawn from
// it. What the learner does becomes a change to the store (actions.js), and
// every change is reconciled here, in order: the space, the answer
// (query-controller.js), the points (point-set.js), then the layout and the
// decorations. No computation happens here; the worker (web/src/compute)
// runs the wasm core.
import { Superseded } from '../compute/client.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { ScatterPlot } from '../view/scatter-plot.js';
import { createActions } from './actions.js';
import { DEFAULT_QUERY, startComputeFor, startTable } from './boot.js';
import { AnalogyView } from './analogy-view.js';
import { namedAxes } from './axis-presets.js';
import { WordListControls } from './word-list.js';
import { Controls } from './controls.js';
import { $ } from './dom.js';
import { setupEmbedCode } from './embed-code.js';
import { LoadStatus, setupPanels } from './page-panels.js';
import { FaithfulnessPanel } from './faithfulness-panel.js';
import { NEIGHBOUR_RECALL, PlotAdapter } from './plot-adapter.js';
import { PointSet } from './point-set.js';
import { ProjectionController } from './projection-controller.js';
import { QueryController, answerIds, answerLabels } from './query-controller.js';
import { ResultsView } from './results-view.js';
import { PcaPicker } from './pca-picker.js';
import { SelectionTools } from './selection-tools.js';
import { setupSearchFeatures } from './search-panel.js';
import { setupTeachingPanels } from './teaching-panels.js';
import { startLessons } from '../lesson/lesson-loader.js';
import { shownTheme } from '../lesson/embed-options.js';
import { createStore } from './store.js';
import { fillOffline } from '../offline/register.js';
import { t } from '../i18n/strings.js';
import { readUrlView, syncUrl } from './url-state.js';
import { PROGRESSIVE, TSNE_MAX_POINTS, activeGroups, answerKey, hasQuery, initialState, layoutOptions, normalizeView, queryOf } from './view-state.js';

const DEFAULT_SPACE = 'raw'; // every table starts in it

export class ExplorerApp {
  /** early: { client, load } that main.js started before this module arrived (load: null for data=). */
  constructor({ embed = false, early = null } = {}) {
    this.early = early;
    const { view, notes } = normalizeView(readUrlView());
    this.client = early?.client ?? startComputeFor(view, { embed });
    this.store = createStore({ ...initialState(view), notes });
    this.pointSet = new PointSet();
    this.groups = []; // [{ name, ids }] of the word groups shown
    this.column = null; // { name, values } of the "Colour by" column, per point
    this.applied = this.#nothingApplied();
    this.plot = new ScatterPlot($('plot'), { onSelect: (index) => this.#selectPoint(index), theme: shownTheme() });
    this.faithfulness = new FaithfulnessPanel({ client: this.client, enabled: !embed, onChange: () => this.#redrawFaithfulness() });
    this.adapter = new PlotAdapter(this.plot, $('legend'), this.faithfulness);
    this.queries = new QueryController(this.client);
    this.actions = createActions(this.store);
    // "Why similar?" beside each result opens the similarity panel on the query and that result (full page only).
    const onCompare = embed || !$('similarity-panel') ? null : (result) => this.similarity.compareWithResult(this.store.get(), result);
    this.results = new ResultsView({ onSuggestion: this.actions.suggestion, onFind: (id) => this.#find(id), onCompare });
    this.controls = new Controls({ actions: this.actions, client: this.client });
    this.projection = new ProjectionController({
      client: this.client,
      plot: this.plot,
      onPlaced: () => this.adapter.decorate(this.#drawing()),
      onError: (error) => {
        this.faithfulness.layoutFailed();
        // An axis word that has not streamed in yet: the layout runs again when the table is complete.
        if (error?.code !== ErrorCode.NOT_READY) this.#note(error.message);
      },
      onLayout: (layout) => {
        this.faithfulness.layoutFinished({ ...layout, named: this.#namedAxisCount() });
        this.pcaPicker.layoutFinished(layout);
        this.selection.placed();
      },
      elements: { controls: $('tsne-controls'), pause: $('tsne-pause'), status: $('tsne-status') },
    });
    this.analogyView = new AnalogyView({ client: this.client });
    this.wordList = new WordListControls({ actions: this.actions });
    this.listIds = []; // ids of the learner's word list
    this.loadStatus = new LoadStatus();
    setupEmbedCode($('copy-embed'), () => this.store.get());
    if (!embed) this.panels = setupPanels({ client: this.client, onTable: (table) => this.useTable(table) });
    if (!embed) this.searching = setupSearchFeatures({ client: this.client, store: this.store, actions: this.actions, onMarksChanged: () => this.#redecorate() });
    if (!embed) Object.assign(this, setupTeachingPanels(this)); // similarity, directions, navigator, bookmarks, authoring
    this.lessonPlayer = startLessons(this, { embed }); // ?lesson=: the lesson bar (web/src/lesson)
    this.pcaPicker = new PcaPicker({ actions: this.actions });
    // Isolating changes the points drawn (PointSet.only): the next pass lays them out again.
    const onIsolate = (ids) => ((this.pointSet.only = ids && new Set(ids)), this.#schedule());
    this.selection = new SelectionTools({ plot: this.plot, pointSet: () => this.pointSet, highlighted: () => answerIds(this.store.get().answer), projection: () => this.store.get().proj, onIsolate, onMarksChanged: () => this.#redecorate() });
    this.store.subscribe((state, previous) => {
      this.controls.render(state, previous);
      this.pcaPicker.render(state);
      this.wordList.render(state);
      this.results.render(state);
      if (state.answer !== previous.answer) this.similarity?.answerChanged();
      this.#schedule();
    });
    syncUrl(this.store, { onChange: (search) => this.#linkFullPage(search), push: !embed });
    this.controls.render(this.store.get());
    this.pcaPicker.render(this.store.get());
    this.wordList.render(this.store.get());
    this.results.render(this.store.get());
    this.opened = performance.now();
  }

  // ---- start-up and tables ---------------------------------------------------

  async start() {
    try {
      this.table = await startTable(this.client, this.store.get().data, {
        early: this.early?.load,
        loadStatus: this.loadStatus,
        onNote: (text) => this.#note(text),
        onRows: (rows) => this.#moreRowsArrived(rows),
        onComplete: () => this.#tableCompleted(),
      });
    } catch (error) {
      this.loadStatus.failed(error);
      return;
    }
    const state = this.store.get();
    if (!hasQuery(state) && !state.group) this.store.set(DEFAULT_QUERY);
    this.started = true;
    await this.#settled();
    if (this.store.get().space === DEFAULT_SPACE) this.panels?.spaceChanged(DEFAULT_SPACE); // other spaces did it on the way
    this.#linkFullPage(location.search);
    // Ready: the whole table answers (the default one streams in after the first answer).
    await this.table.complete;
    this.navigator?.tableReady();
    document.body.dataset.ready = 'true';
    // The build's files and the table this page answers from are kept for offline use (a lesson page's, not the default one).
    fillOffline({ keep: [this.table.url] });
  }

  /** More of the frequent words have arrived than are drawn, and more are wanted: draw them now, not at the end. */
  #moreRowsArrived(rows) {
    const drawn = this.pointSet.baseIds.length;
    if (!this.started || this.applied.n === 'list' || drawn >= this.store.get().n || rows <= drawn) return;
    this.applied.n = null;
    this.#schedule();
  }

  /** The whole default table is in: what was answered from its first rows is asked again. */
  async #tableCompleted() {
    if (!this.started) return;
    // Words of a list or a group that had not arrived were left out: look them up again;
    // the frequent words too, if fewer had arrived than are drawn (a new layout).
    Object.assign(this.applied, { words: null, group: null });
    // Named axes are built from words that may not have arrived: lay them out again.
    if (this.store.get().proj === 'axes') this.applied.layoutKey = null;
    if (this.applied.n !== 'list' && this.pointSet.baseIds.length < this.store.get().n) this.applied.n = null;
    const { answer, notes } = this.store.get();
    // The partial answer stays on screen, under a key no view has, until the whole table's replaces it.
    this.store.set({ answer: answer && { ...answer, key: 'asked again on the whole table' }, notes: notes.filter((note) => !this.#missingWordNotes.has(note)) });
    await this.#settled();
  }

  /**
   * Switches to a table the user loaded (the worker has already swapped it
   * in): the points, colours and groups of the old table go; the query and
   * the space stay and are run again on the new table.
   */
  async useTable({ info, name, columns = [], keepFloats = false }) {
    this.loadStatus.loaded(info, name);
    this.panels?.tableChanged({ columns, keepFloats, name });
    this.navigator?.tableChanged();
    this.searching?.tableChanged(columns);
    this.pointSet.clear();
    this.selection.tableChanged();
    this.groups = [];
    this.listIds = [];
    this.column = null;
    this.applied = this.#nothingApplied();
    // Word groups are GloVe words; a table of BERT pieces may lack them.
    this.store.set({ group: undefined, colourBy: '', labelBy: '', answer: null, notes: [] });
    this.#schedule();
    await this.#settled();
    // For the browser tests: which table answers, and how many loads finished.
    document.body.dataset.table = name;
    document.body.dataset.tableLoads = String(Number(document.body.dataset.tableLoads ?? 0) + 1);
  }

  /** Marks a lesson step's words (ids) in the view, drawn and labelled as search matches are. */
  highlight(ids) {
    this.lessonIds = ids;
    this.#schedule();
  }

  /** Resolves once the view shows the current state (for the browser tests). */
  settled() {
    return this.#settled();
  }

  /** The words drawn, in point order (for the browser tests and debugging). */
  get pointWords() {
    return this.pointSet.ids.map((id) => this.pointSet.wordOf.get(id));
  }

  /** The point index of a word, or undefined. */
  pointIndex(word) {
    const index = this.pointWords.indexOf(word);
    return index < 0 ? undefined : index;
  }

  #nothingApplied() {
    return { space: DEFAULT_SPACE, n: null, words: '', group: null, colourKey: null, layoutKey: null, pointsVersion: 0, laidOutVersion: -1, table: (this.applied?.table ?? 0) + 1 };
  }

  // ---- reconciling the view with the state --------------------------------------

  /** Runs reconcile passes one at a time until the state stops changing. */
  #schedule() {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.#reconcile();
      } while (this.again);
      this.running = null;
    })();
  }

  async #settled() {
    this.#schedule();
    while (this.running) await this.running;
  }

  async #reconcile() {
    let state = this.store.get();
    const applied = this.applied;
    // A table loaded meanwhile replaces `applied`: what this pass fetched belongs to the old table.
    const stale = () => this.applied !== applied;
    if (state.space !== applied.space) {
      const space = await this.#ask(Request.setSpace, { space: state.space });
      if (stale()) return;
      if (space === undefined) return this.store.set({ space: applied.space }); // the note says why
      applied.space = state.space;
      this.panels?.spaceChanged(state.space);
    }
    const key = answerKey(state);
    if (state.answer?.key !== key) {
      const answer = hasQuery(state) ? await this.queries.answer(state) : { key, query: null, selection: null, error: null };
      if (!answer || stale() || answerKey(this.store.get()) !== key) return; // a newer state asks again
      this.pointSet.learnLabels(answerLabels(answer));
      this.store.set({ answer });
      this.answered = true; // the first-answer preview (boot.js) leaves the list to this app now
      document.body.dataset.firstAnswerMs ??= (performance.now() - this.opened).toFixed(0);
      state = this.store.get();
    }
    // A word list alone replaces the frequent words; with `beside` it joins them.
    const baseKey = state.words && !state.beside ? 'list' : state.n;
    if (baseKey !== applied.n) {
      const top = baseKey === 'list' ? { ids: [], words: [], labels: [] } : await this.#ask(Request.topWords, { count: state.n });
      if (!top || stale()) return;
      this.pointSet.setBase(top);
      applied.n = baseKey;
    }
    if ((state.words ?? '') !== applied.words) {
      await this.#showWordList(state);
      if (stale()) return;
      applied.words = state.words ?? '';
    }
    if (state.group !== applied.group) {
      await this.#showGroups(state);
      if (stale()) return;
      applied.group = state.group;
    }
    if (this.pointSet.update(this.#extraIds(state), { limit: state.proj === 'analogy' ? 0 : PROGRESSIVE.has(state.proj) ? TSNE_MAX_POINTS : Infinity, sticky: state.proj !== 'analogy' })) applied.pointsVersion++;
    const colourKey = JSON.stringify([state.colourBy, applied.pointsVersion, state.group, applied.table]);
    const coloursChanged = colourKey !== applied.colourKey;
    if (coloursChanged) {
      applied.colourKey = colourKey;
      await this.#fetchColumn(state.colourBy);
      if (stale()) return;
    }
    await this.searching?.update(state, this.pointSet, applied); // the search's marks, "Label by"'s labels
    if (stale()) return;
    const drawing = this.#drawing();
    const layoutKey = JSON.stringify([applied.pointsVersion, applied.table, state.space, layoutOptions(state), state.proj === 'axes' ? state.axes : null, state.proj === 'analogy' ? state.answer?.key : null]);
    if (layoutKey !== applied.layoutKey) {
      applied.layoutKey = layoutKey;
      this.faithfulness.layoutStarted(state.proj);
      const fresh = applied.laidOutVersion !== applied.pointsVersion;
      applied.laidOutVersion = applied.pointsVersion;
      const args = { pointSet: this.pointSet, labels: this.pointSet.labels, colours: this.adapter.colours(drawing), ...layoutOptions(state), axes: state.axes, fresh, query: state.answer?.query ? queryOf(state) : null };
      const placing = this.projection.layout(args);
      if (!PROGRESSIVE.has(state.proj)) await placing; // t-SNE and UMAP run on in the background
    } else {
      if (coloursChanged) this.plot.setColors(this.adapter.colours(drawing));
      this.adapter.decorate(drawing);
    }
    this.adapter.renderLegend(drawing);
    // The analogy's figures; the view shows only the query's words (limit 0 above).
    this.analogyView.update({ state: this.store.get(), pointSet: this.pointSet, coordinates: this.plot.positions.raw });
  }

  #drawing() {
    const { answer, colourBy } = this.store.get();
    const drawing = { pointSet: this.pointSet, answer, groups: this.groups, column: this.column, colourBy, ...this.searching?.drawing(this.pointSet) };
    return { ...drawing, matches: [...(drawing.matches ?? []), ...this.selection.marked, ...(this.lessonIds ?? [])] }; // boxed and lesson words are labelled too
  }

  /** A neighbour-recall report came in or went: recolour, redraw the edges and the legend (only while the plot shows these points). */
  /** Marks changed (a search, a box selection): redraw the decorations, only while the plot shows these points. */
  #redecorate() {
    if (this.plot.count === this.pointSet.count) this.adapter.decorate(this.#drawing());
  }

  #redrawFaithfulness() {
    if (this.plot.count !== this.pointSet.count) return;
    const drawing = this.#drawing();
    if (drawing.colourBy === NEIGHBOUR_RECALL) this.plot.setColors(this.adapter.colours(drawing));
    this.adapter.decorate(drawing);
    this.adapter.renderLegend(drawing);
  }

  #namedAxisCount() {
    try {
      return namedAxes(this.store.get().axes).length;
    } catch {
      return 0;
    }
  }

  /** Every point the answer and the groups need beyond the frequent words. */
  #extraIds(state) {
    return [...answerIds(state.answer), ...this.groups.flatMap((group) => group.ids), ...this.listIds, ...(this.lessonIds ?? [])];
  }

  // Word groups are GloVe words: on a table of your own only the words it
  // has are drawn, and a note says which were left out.
  async #showGroups(state) {
    const groups = activeGroups(state);
    const words = groups.flatMap((g) => g.words);
    const ids = words.length ? await this.#ask(Request.wordIds, { words }) : [];
    if (!ids) return;
    const idOf = new Map(words.map((word, i) => [word, ids[i]]));
    this.pointSet.learnLabels(words.map((word) => ({ id: idOf.get(word), word })));
    this.groups = groups.map((g) => ({ name: g.name, ids: g.words.map((w) => idOf.get(w)).filter((id) => id >= 0) }));
    const missing = words.filter((w) => !(idOf.get(w) >= 0));
    if (groups.length && missing.length === words.length) this.#note(t.noGroupWordsInTable(state.group), { missingWords: true });
    else if (missing.length) this.#note(t.groupWordsMissing(missing), { missingWords: true });
  }

  async #showWordList(state) {
    const words = state.words ? state.words.split(',') : [];
    const ids = words.length ? await this.#ask(Request.wordIds, { words }) : [];
    if (!ids) return;
    this.pointSet.learnLabels(words.map((word, i) => ({ id: ids[i], word })));
    this.listIds = ids.filter((id) => id >= 0);
    const missing = words.filter((_, i) => !(ids[i] >= 0));
    if (missing.length) this.#note(t.listWordsMissing(missing), { missingWords: true });
  }

  async #fetchColumn(name) {
    this.column = null;
    if (!name || name === NEIGHBOUR_RECALL) return;
    const values = await this.#ask(Request.pointColumn, { column: name, ids: this.pointSet.ids }, { channel: 'column' });
    if (values?.length === this.pointSet.count) this.column = { name, values };
  }

  /** A worker call whose failure becomes a note; resolves to undefined then. */
  async #ask(type, args, options) {
    try {
      return await this.client.call(type, args, options);
    } catch (error) {
      if (!(error instanceof Superseded) && error?.code !== ErrorCode.CANCELLED) this.#note(error?.message ?? String(error));
      return undefined;
    }
  }

  // The notes that name words the table lacked, known by identity rather than by their (translatable) wording.
  #missingWordNotes = new Set();

  #note(text, { missingWords = false } = {}) {
    if (missingWords) this.#missingWordNotes.add(text);
    const notes = this.store.get().notes;
    if (!notes.includes(text)) this.store.set({ notes: [...notes, text] });
  }

  // ---- the 3D view ------------------------------------------------------------

  #selectPoint(index) {
    if (index === null || index === undefined) return;
    this.actions.select(this.pointSet.wordOf.get(this.pointSet.ids[index]));
  }

  #find(id) {
    const index = this.pointSet.indexOf(id);
    if (index !== undefined) this.plot.focusPoint(index);
  }

  #linkFullPage(search) {
    const open = $('open-full');
    if (open) open.href = new URL(`./index.html${search}`, location.href).href;
  }
}
