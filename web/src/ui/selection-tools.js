// The selection panel: words chosen with a box on the view (Shift+drag, or
// any drag in box mode), listed with their count; "Isolate" draws only
// them (or, with nothing boxed, the highlighted words of the answer) and
// lays them out again with the current projection; "Show all" goes back.
// In the view, I isolates and A shows all, for the keyboard.
import { BoxSelect } from '../view/box-select.js';
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';
import { PROJECTIONS } from './view-state.js';

// The list names this many words; the count says how many there are.
const LISTED_WORDS = 200;

export class SelectionTools {
  /**
   * plot: the ScatterPlot; pointSet(): the page's PointSet; highlighted():
   * ids the answer marks (isolated when nothing is boxed); projection():
   * the projection in use, for the status; onIsolate(ids | null): draw only
   * these ids (null: all) and lay out again; onMarksChanged(): the boxed
   * words changed (the page marks them). Does nothing without #selection-panel.
   */
  constructor({ plot, pointSet, highlighted, projection, onIsolate, onMarksChanged }) {
    this.panel = $('selection-panel');
    if (!this.panel) return;
    Object.assign(this, { plot, pointSet, highlighted, projection, onIsolate, onMarksChanged });
    this.selectedIds = [];
    this.isolatedIds = null;
    this.box = new BoxSelect(plot, { onSelect: (indices) => this.#boxed(indices) });
    this.modeButton = $('selection-box-mode');
    this.modeButton.addEventListener('click', () => this.setBoxMode(this.modeButton.getAttribute('aria-pressed') !== 'true'));
    $('selection-isolate').addEventListener('click', () => this.isolate());
    $('selection-show-all').addEventListener('click', () => this.showAll());
    $('selection-clear').addEventListener('click', () => this.#setSelection([]));
    plot.container.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'i' || event.key === 'I') this.isolate();
      else if (event.key === 'a' || event.key === 'A') this.showAll();
      else return;
      event.preventDefault();
    });
    this.#render();
  }

  /** Box mode: a plain drag (mouse or touch) draws a box instead of turning the view. */
  setBoxMode(on) {
    if (!this.panel) return;
    this.box.setArmed(on);
    this.modeButton.setAttribute('aria-pressed', String(Boolean(on)));
  }

  /** Draws only the boxed words, or with none boxed the highlighted ones. */
  isolate() {
    if (!this.panel) return;
    const drawn = new Set(this.pointSet().ids);
    const boxed = this.selectedIds.filter((id) => drawn.has(id));
    const ids = boxed.length ? boxed : this.highlighted().filter((id) => drawn.has(id));
    if (!ids.length) {
      this.#status(t.nothingToIsolate);
      return;
    }
    this.isolatedIds = [...new Set(ids)];
    if (!boxed.length) this.selectedIds = this.isolatedIds;
    this.onIsolate(this.isolatedIds);
    this.#render();
  }

  showAll() {
    if (!this.panel || !this.isolatedIds) return;
    this.isolatedIds = null;
    this.onIsolate(null);
    this.#render();
  }

  /** A new table: its ids name other words. */
  tableChanged() {
    if (!this.panel) return;
    this.selectedIds = [];
    this.isolatedIds = null;
    this.#render();
  }

  /** The ids boxed now (the page marks them on the view). */
  get marked() {
    return this.selectedIds ?? [];
  }

  /** The page laid the points out again: the status names the projection. */
  placed() {
    if (this.panel) this.#render();
  }

  #boxed(indices) {
    const ids = this.pointSet().ids;
    this.#setSelection(indices.map((i) => ids[i]).filter((id) => id !== undefined));
  }

  #setSelection(ids) {
    this.selectedIds = ids;
    this.#render();
    this.onMarksChanged?.();
  }

  #render() {
    const set = this.pointSet();
    const words = this.selectedIds.map((id) => set.displayOf.get(id) ?? set.wordOf.get(id) ?? `#${id}`);
    $('selection-words').replaceChildren(...words.slice(0, LISTED_WORDS).map((word) => el('li', {}, word)));
    const count = words.length;
    this.panel.dataset.selected = String(count);
    this.panel.dataset.isolated = String(this.isolatedIds !== null);
    $('selection-count').textContent =
      count === 0 ? t.noWordsSelected : t.wordsSelected(count, LISTED_WORDS);
    $('selection-show-all').hidden = this.isolatedIds === null;
    $('selection-clear').disabled = count === 0;
    const proj = PROJECTIONS[this.projection()] ?? this.projection();
    this.#status(
      this.isolatedIds === null
        ? t.showingAll(set.count)
        : t.isolated(this.isolatedIds.length, proj),
    );
  }

  #status(text) {
    $('selection-status').textContent = text;
  }
}
