// The parts of the full page around the explorer: the loading line in the
// header, and the panels (your own table, the evaluation lab, anisotropy,
// table memory). The embed page has only the loading line.
import { Request } from '../compute/protocol.js';
import { renderAnisotropy } from './anisotropy-panel.js';
import { $, el, formatBytes } from './dom.js';
import { t } from '../i18n/strings.js';
import { LabPanel } from './lab-panel.js';
import { LoadPanel } from './load-panel.js';
import { setupMemoryPanel } from './memory-panel.js';
import { NEIGHBOUR_RECALL } from './plot-adapter.js';

/** The header's progress bar and line: bytes while loading, then the table. */
export class LoadStatus {
  /** `says`: what to show instead of the bytes (the default table streaming in says what already answers). */
  progress(loaded, total, says) {
    const bar = $('load-progress');
    const text = $('load-text');
    if (total) {
      bar.max = total;
      bar.value = loaded;
      text.textContent = says ?? t.loadingEmbeddings(formatBytes(loaded), formatBytes(total));
    } else {
      bar.removeAttribute('value');
      text.textContent = says ?? t.loadingEmbeddingsSoFar(formatBytes(loaded));
    }
  }

  loaded(info, name) {
    // Its identity goes into exported bookmarks (bookmarks-panel.js); only the default table loads without a name.
    this.table = { name: name ?? 'glove-6b-100d-50k', rows: info.words, dims: info.dims };
    $('load-progress').hidden = true;
    $('load-text').textContent = t.tableLoaded(info.words, info.dims, formatBytes(info.memoryBytes), info.kernel);
    $('load-status').classList.add('done');
    if (name && $('tagline')) $('tagline').textContent = t.tagline(name, info.dims);
  }

  failed(error) {
    $('load-progress').hidden = true;
    $('load-text').textContent = t.cannotLoadEmbeddings(error.message);
    $('load-status').classList.add('failed');
  }
}

/**
 * The full page's panels. onTable(result) is called when a table of the
 * learner's own is in. Returns what the page tells them: a new table
 * (its metadata columns feed "Colour by"), a new space (anisotropy).
 */
export function setupPanels({ client, onTable }) {
  if (!$('load-panel')) return null;
  new LoadPanel({ client, onLoaded: onTable });
  const lab = new LabPanel({ client });
  setupMemoryPanel({ model: $('memory-model'), vocab: $('memory-vocab'), dims: $('memory-dims'), bytes: $('memory-bytes'), figures: $('memory-figures') });
  let space = 'raw';
  const refreshAnisotropy = async () => {
    // Raw beside the current space; in raw, beside whitened (the contrast is the point).
    const shown = space === 'raw' ? 'whitened' : space;
    let out;
    try {
      out = await client.call(Request.anisotropy, { space: shown }, { channel: 'anisotropy' });
    } catch {
      return; // superseded by a newer space; a failing space already has its note
    }
    renderAnisotropy(out, { figures: $('aniso-figures'), histogramCanvas: $('aniso-histogram'), spectrumCanvas: $('aniso-spectrum'), spaceName: $('aniso-space-name') });
  };
  return {
    spaceChanged(next) {
      space = next;
      refreshAnisotropy();
    },
    tableChanged({ columns, keepFloats, name }) {
      $('colour-by').replaceChildren(
        el('option', { value: '' }, t.colourByNothing),
        el('option', { value: NEIGHBOUR_RECALL }, t.colourByRecall),
        ...columns.map((c) => el('option', { value: c }, c)),
      );
      $('vocabulary-suggestions').replaceChildren();
      lab.tableChanged({ keepFloats, name });
      refreshAnisotropy();
    },
  };
}
