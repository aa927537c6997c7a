// The controls, both ways: what the learner does becomes an action (a
// change to the store), and the store's state is drawn back into the
// fields, menus and radios, so they always show what ran. Typing changes
// nothing until a form is sent.
import { Request } from '../compute/protocol.js';
import { $, el } from './dom.js';
import { QUERY_PRESETS, WORD_GROUPS } from './presets.js';
import { AxesPanel } from './axes-panel.js';
import { t } from '../i18n/strings.js';

// The parameter fields of t-SNE and UMAP: element id, view key.
const LAYOUT_PARAMETERS = [
  ['perplexity', 'perplexity'],
  ['neighbors', 'neighbors'],
  ['min-dist', 'mindist'],
];

function lastToken(text) {
  const parts = text.split(/[\s+\-*]+/);
  return parts[parts.length - 1] ?? '';
}

export class Controls {
  constructor({ actions, client }) {
    this.actions = actions;
    this.client = client;
    this.#bind();
  }

  #bind() {
    const on = (id, event, handler) => $(id)?.addEventListener(event, handler);
    const submit = (id, handler) =>
      on(id, 'submit', (e) => {
        e.preventDefault();
        handler();
      });
    const { actions } = this;
    submit('expression-form', () => actions.expression($('expression').value));
    submit('analogy-form', () => actions.analogy($('analogy-a').value, $('analogy-b').value, $('analogy-c').value));
    submit('search-form', () => actions.neighbors($('search').value));
    for (const id of ['expression', 'analogy-a', 'analogy-b', 'analogy-c', 'search']) on(id, 'input', (e) => this.#complete(e.target.value));
    // Settings take effect at once, like the menus.
    on('k', 'change', () => actions.setting('k', $('k').value));
    on('metric', 'change', () => actions.setting('metric', $('metric').value));
    on('point-count', 'change', () => actions.setting('n', $('point-count').value));
    on('space', 'change', () => actions.setting('space', $('space').value));
    on('dims', 'change', () => actions.setting('dims', $('dims').value));
    // A layout's own parameters restart it with the new value, like Points.
    for (const [id, key] of LAYOUT_PARAMETERS) on(id, 'change', () => actions.setting(key, $(id).value));
    // Named axes with none chosen yet start from the form (gender and royalty), not an empty view.
    on('projection', 'change', () =>
      $('projection').value === 'axes' && !this.axesPanel.current ? actions.axes(this.axesPanel.read()) : actions.setting('proj', $('projection').value),
    );
    document.querySelectorAll('input[name="method"]').forEach((radio) =>
      radio.addEventListener('change', () => radio.checked && actions.setting('method', radio.value)),
    );
    on('include-inputs', 'change', () => actions.setting('inputs', $('include-inputs').checked));
    this.axesPanel = new AxesPanel();
    submit('axes-form', () => actions.axes(this.axesPanel.read()));
    on('colour-by', 'change', () => actions.colourBy($('colour-by').value));
    const presets = $('presets');
    if (presets) {
      for (const preset of QUERY_PRESETS) {
        presets.append(el('button', { type: 'button', onclick: () => actions.preset(preset.analogy, preset.expected) }, preset.label));
      }
      presets.append(el('button', { type: 'button', onclick: () => actions.group('all') }, t.wordGroups));
      for (const group of WORD_GROUPS) {
        presets.append(el('button', { type: 'button', class: 'small', onclick: () => actions.group(group.name) }, group.name));
      }
    }
  }

  async #complete(text) {
    const prefix = lastToken(text);
    if (!prefix || prefix.length > 40) return;
    let words;
    try {
      words = await this.client.call(Request.complete, { prefix, limit: 8 }, { channel: 'complete' });
    } catch {
      return; // superseded by the next keystroke, or no table yet: no suggestions
    }
    $('vocabulary-suggestions').replaceChildren(...words.map((w) => el('option', { value: text.slice(0, text.length - prefix.length) + w })));
  }

  /**
   * Draws the state into the controls. Query fields are written only when
   * their state changed (all of them when `previous` is null), so an
   * unrelated change never overwrites what is being typed.
   */
  render(state, previous = null) {
    const changed = (...keys) => !previous || keys.some((key) => state[key] !== previous[key]);
    const set = (id, value) => {
      const node = $(id);
      if (node && value !== undefined && node.value !== String(value)) node.value = String(value);
    };
    // A query's fields show it while it is what ran; once another query replaced it they are cleared, so
    // an expression field never shows "king - man + woman" over the neighbours of dog (a lesson step, an embed).
    const replaced = (key) => previous?.[key] !== undefined && state[key] === undefined;
    if (changed('q')) set('expression', state.q ?? (replaced('q') ? '' : undefined));
    if (changed('a', 'b', 'c')) {
      for (const key of ['a', 'b', 'c']) set(`analogy-${key}`, state[key] ?? (replaced(key) ? '' : undefined));
    }
    if (changed('word', 'sel')) set('search', state.sel ?? state.word ?? (replaced('sel') || replaced('word') ? '' : undefined));
    // Settings always show the value in use, also when a value the learner
    // chose was corrected (k = 5000 shows 1000; perplexity 500 shows 50).
    set('k', state.k);
    set('metric', state.metric);
    set('point-count', state.n);
    set('dims', state.dims);
    for (const [id, key] of LAYOUT_PARAMETERS) set(id, state[key]);
    if ($('tsne-params')) $('tsne-params').hidden = state.proj !== 'tsne';
    if ($('umap-params')) $('umap-params').hidden = state.proj !== 'umap';
    this.#showSpace(state.space);
    set('projection', state.proj);
    document.querySelectorAll('input[name="method"]').forEach((radio) => (radio.checked = radio.value === state.method));
    if ($('include-inputs')) $('include-inputs').checked = state.inputs;
    if (changed('axes', 'proj')) this.axesPanel.render(state.axes, { proj: state.proj, fill: changed('axes') });
    if ($('axes-form')) $('axes-form').hidden = state.proj !== 'axes';
    if (changed('colourBy')) set('colour-by', state.colourBy);
  }

  /** A space from a link that the menu lacks (whitened:20, abtt:5) gets its own entry. */
  #showSpace(space) {
    const menu = $('space');
    if (!menu) return;
    if (![...menu.options].some((option) => option.value === space)) menu.append(el('option', { value: space }, space));
    menu.value = space;
  }
}
