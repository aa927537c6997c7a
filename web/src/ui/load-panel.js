// "Your embeddings": choose or drop a table file (and its companions), stream
// it into the worker with a progress bar and Cancel, show the quantization
// report, and save the loaded table as .emb. The worker does the reading;
// this panel only collects files and prints what comes back, as text.
import { ErrorCode, Request } from '../compute/protocol.js';
import { $, downloadFile, el, formatBytes } from './dom.js';
import { t } from '../i18n/strings.js';

// Names of an embedding matrix in common checkpoints, preferred among the 2-D tensors.
const EMBEDDING_TENSOR = /word_embeddings|wte|embed_tokens|tok_embeddings|embedding/i;
const VOCABULARY_FILE = /(^|[-_.])vocab(ulary)?\.txt$|tokenizer\.json$/i;
const METADATA_FILE = /metadata\.tsv$/i;

function isSafetensors(file, format) {
  return format === 'safetensors' || (!format && /\.safetensors$/i.test(file?.name ?? ''));
}

// Puts a dropped file into its file input too, so the form shows what will
// load (setting .files fires no change event). Returns the file.
function showIn(inputId, file) {
  const transfer = new DataTransfer();
  transfer.items.add(file);
  $(inputId).files = transfer.files;
  return file;
}

export class LoadPanel {
  /**
   * client: the ComputeClient; onLoaded(result): called after the worker
   * swapped the new table in; dropTarget: where files may be dropped.
   */
  constructor({ client, onLoaded, dropTarget = document.body }) {
    this.client = client;
    this.onLoaded = onLoaded;
    this.files = { table: null, vocab: null, metadata: null };
    /** Counts Load presses, so a tensor listing that finishes after one does not overwrite its outcome. */
    this.loadsStarted = 0;
    this.controller = null;
    this.#bind(dropTarget);
  }

  #bind(dropTarget) {
    $('table-file').addEventListener('change', (e) => this.#setTable(e.target.files[0] ?? null));
    $('vocab-file').addEventListener('change', (e) => (this.files.vocab = e.target.files[0] ?? null));
    $('metadata-file').addEventListener('change', (e) => (this.files.metadata = e.target.files[0] ?? null));
    $('table-format').addEventListener('change', () => this.#listTensors());
    $('load-table').addEventListener('click', () => this.load());
    $('cancel-load').addEventListener('click', () => this.controller?.abort());
    $('save-table').addEventListener('click', () => this.#save());

    // Files dropped anywhere on the page: companions by their names, the
    // rest is the table.
    dropTarget.addEventListener('dragover', (e) => {
      if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      document.body.classList.add('dropping');
    });
    dropTarget.addEventListener('dragleave', (e) => {
      if (e.target === dropTarget || !dropTarget.contains(e.relatedTarget)) document.body.classList.remove('dropping');
    });
    dropTarget.addEventListener('drop', (e) => {
      if (!e.dataTransfer?.files?.length) return;
      e.preventDefault();
      document.body.classList.remove('dropping');
      this.#takeDropped([...e.dataTransfer.files]);
    });
  }

  #takeDropped(files) {
    let table = null;
    for (const file of files) {
      if (VOCABULARY_FILE.test(file.name)) this.files.vocab = showIn('vocab-file', file);
      else if (METADATA_FILE.test(file.name)) this.files.metadata = showIn('metadata-file', file);
      else table = showIn('table-file', file);
    }
    if (table) this.#setTable(table);
    const parts = [this.files.table, this.files.vocab, this.files.metadata].filter(Boolean).map((f) => f.name);
    // A dropped table that needs nothing else loads at once.
    const needsVocabulary = /\.(npy|safetensors)$/i.test(table?.name ?? '') && !this.files.vocab;
    const ready = table && !needsVocabulary;
    this.#status(t.dropped(parts, ready, needsVocabulary));
    if (ready) this.load();
  }

  #setTable(file) {
    this.files.table = file;
    this.#clearError();
    // The previous file's tensors must not stay selectable while this header is read.
    $('tensor').replaceChildren();
    $('tensor-row').hidden = true;
    this.#listTensors();
  }

  async #listTensors() {
    const file = this.files.table;
    const row = $('tensor-row');
    const select = $('tensor');
    if (!file || !isSafetensors(file, $('table-format').value)) {
      row.hidden = true;
      select.replaceChildren();
      return;
    }
    const loadsBefore = this.loadsStarted;
    // A later file choice or a Load pressed meanwhile owns the panel: the load reports its own error.
    const stale = () => this.files.table !== file || this.loadsStarted !== loadsBefore;
    try {
      const tensors = await this.client.call(Request.listTensors, { file });
      if (stale()) return;
      const twoD = tensors.filter((tensor) => tensor.shape.length === 2);
      const preferred = twoD.find((tensor) => EMBEDDING_TENSOR.test(tensor.name)) ?? twoD[0];
      select.replaceChildren(
        ...tensors.map((tensor) =>
          el('option', { value: tensor.name, disabled: tensor.shape.length !== 2 }, t.tensorOption(tensor.name, tensor.dtype, tensor.shape)),
        ),
      );
      if (preferred) select.value = preferred.name;
      row.hidden = false;
    } catch (error) {
      if (stale()) return;
      row.hidden = true;
      this.#showError(error, file);
    }
  }

  /** Streams the chosen file into the worker; resolves when it is loaded, failed or cancelled. */
  async load() {
    const file = this.files.table;
    if (!file) return this.#showError({ message: t.chooseFileFirst });
    this.controller?.abort();
    this.loadsStarted += 1;
    const controller = new AbortController();
    this.controller = controller;
    this.#clearError();
    this.#busy(true);
    this.#progress(0, file.size, file.name);
    try {
      const result = await this.client.call(
        Request.loadFile,
        {
          file,
          format: $('table-format').value || undefined,
          vocabFile: this.files.vocab ?? undefined,
          metadataFile: this.files.metadata ?? undefined,
          tensor: isSafetensors(file, $('table-format').value) ? $('tensor').value || undefined : undefined,
          keepFloats: $('keep-floats').checked,
        },
        { signal: controller.signal, onProgress: ({ loaded, total }) => this.#progress(loaded, total, file.name) },
      );
      this.#showReport(result);
      await this.onLoaded(result);
      return result;
    } catch (error) {
      if (error?.code === ErrorCode.CANCELLED) this.#status(t.loadCancelled(file.name));
      else this.#showError(error, file);
      return null;
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.#busy(false);
      }
    }
  }

  #busy(on) {
    $('load-table').disabled = on;
    $('cancel-load').hidden = !on;
    $('table-progress-row').hidden = !on;
  }

  #progress(loaded, total, name) {
    const bar = $('table-progress');
    bar.max = total || 1;
    bar.value = loaded;
    $('table-progress-text').textContent = t.loadProgress(name, formatBytes(loaded), formatBytes(total));
  }

  #status(text) {
    $('load-status-text').textContent = text;
  }

  #showReport({ report, name, bytes, seconds, info }) {
    const mbPerSecond = seconds > 0 ? bytes / 1e6 / seconds : 0;
    const rows = [
      ['file', t.reportFile(name, report.format)],
      ['words', report.words.toLocaleString('en')],
      ['dimensions', String(report.dims)],
      ['float32 bytes', formatBytes(report.bytesBefore)],
      ['int8 bytes', t.reportSmaller(formatBytes(report.bytesAfter), (report.bytesBefore / Math.max(1, report.bytesAfter)).toFixed(1))],
      ['duplicates dropped', report.duplicates ? t.reportDuplicates(report.duplicates, report.firstDuplicate) : '0'],
      ['recall@10, int8 vs float32', report.recallQueries ? t.reportRecall(report.recallAt10.toFixed(3), report.recallQueries) : t.notMeasured],
      ['read and quantized', t.reportSpeed(formatBytes(bytes), seconds.toFixed(2), mbPerSecond.toFixed(1))],
    ];
    $('load-report-figures').replaceChildren(
      ...rows.map(([figure, value]) => el('tr', { dataset: { figure } }, el('th', {}, t.loadReportFigure[figure]), el('td', {}, value))),
    );
    $('load-report').hidden = false;
    $('save-table').hidden = false;
    this.#status(t.nowExploring(name, info.words, info.dims));
  }

  async #save() {
    try {
      const bytes = await this.client.call(Request.saveTable, {});
      const base = (this.files.table?.name ?? 'table').replace(/\.[^.]*$/, '');
      downloadFile(`${base}.emb`, new Blob([bytes], { type: 'application/octet-stream' }));
      this.#status(t.savedTable(`${base}.emb`, formatBytes(bytes.length)));
    } catch (error) {
      this.#showError(error);
    }
  }

  #showError(error, file) {
    const box = $('load-error');
    const message = error?.message ?? String(error);
    // The core names the file and the position; say it for errors from elsewhere too.
    const named = file && !message.includes(file.name) ? t.fileError(file.name, message) : message;
    box.replaceChildren(el('span', { class: 'error-text' }, named), ...(file ? [t.previousTableLoaded] : []));
    box.hidden = false;
  }

  #clearError() {
    $('load-error').hidden = true;
    $('load-error').textContent = '';
  }
}
