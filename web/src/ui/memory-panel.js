// Embedding-table memory: vocabulary x dimensions x bytes, tied against
// untied input/output embeddings. Every figure is computed here.
import { el, formatBytes } from './dom.js';
import { MODEL_PRESETS } from './presets.js';
import { t } from '../i18n/strings.js';

export function tableBytes({ vocab, dims, bytesPerValue }) {
  return vocab * dims * bytesPerValue;
}

export function setupMemoryPanel({ model, vocab, dims, bytes, figures }) {
  model.replaceChildren(
    ...MODEL_PRESETS.map((preset, i) => el('option', { value: String(i) }, t.presetTied(preset.name, preset.tied))),
    el('option', { value: 'custom' }, t.custom),
  );
  const update = () => {
    const v = Math.max(0, Number(vocab.value) || 0);
    const d = Math.max(0, Number(dims.value) || 0);
    const b = Number(bytes.value);
    const one = tableBytes({ vocab: v, dims: d, bytesPerValue: b });
    const preset = MODEL_PRESETS[Number(model.value)];
    figures.replaceChildren(
      el('tr', {}, el('th', { scope: 'row' }, t.valuesInOneTable), el('td', {}, (v * d).toLocaleString('en'))),
      el('tr', {}, el('th', { scope: 'row' }, t.oneTableTied), el('td', {}, formatBytes(one))),
      el('tr', {}, el('th', { scope: 'row' }, t.untiedTables), el('td', {}, formatBytes(2 * one))),
      el('tr', {}, el('th', { scope: 'row' }, t.thisModel), el('td', {}, preset ? t.modelBytes(preset.tied, formatBytes(preset.tied ? one : 2 * one)) : '–')),
    );
  };
  model.addEventListener('change', () => {
    const preset = MODEL_PRESETS[Number(model.value)];
    if (preset) {
      vocab.value = String(preset.vocab);
      dims.value = String(preset.dims);
    }
    update();
  });
  for (const input of [vocab, dims]) {
    input.addEventListener('input', () => {
      model.value = 'custom';
      update();
    });
  }
  bytes.addEventListener('change', update);
  model.value = '0';
  model.dispatchEvent(new Event('change'));
}
