// The evaluation lab: the analogy benchmark (built-in set or a loaded
// questions-words file) with progress, per-section bars and Cancel; word-pair
// similarity; both across spaces; and the quantization lab for a table
// loaded with its floats kept. All numbers come from the worker.
import { BUILTIN_ANALOGIES, GOOGLE_ANALOGIES_URL } from '../lab/builtin-analogies.js';
import { SPACE_LABELS, countQuestions, fixed, percent, sectionBars, totalLine } from '../lab/summaries.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { renderBarChart } from './bar-chart.js';
import { $, el, formatBytes } from './dom.js';
import { t } from '../i18n/strings.js';

const SPACES = ['raw', 'centered', 'whitened', 'abtt:3'];

export class LabPanel {
  constructor({ client }) {
    this.client = client;
    this.analogyFile = null; // { name, text }
    this.pairsFile = null;
    this.controller = null;
    this.floatsKept = false;
    const builtin = countQuestions(BUILTIN_ANALOGIES);
    $('lab-builtin-option').textContent = t.labBuiltinOption(builtin.questions, builtin.sections);
    this.#bind();
  }

  #bind() {
    $('lab-analogy-file').addEventListener('change', async (e) => {
      this.analogyFile = await readText(e.target.files[0]);
      if (this.analogyFile) {
        const { questions, sections } = countQuestions(this.analogyFile.text);
        $('lab-analogy-file-info').textContent = t.labFileInfo(this.analogyFile.name, questions, sections);
        $('lab-analogy-source').value = 'file';
      } else {
        $('lab-analogy-file-info').textContent = '';
      }
    });
    $('lab-pairs-file').addEventListener('change', async (e) => (this.pairsFile = await readText(e.target.files[0])));
    $('lab-run-analogies').addEventListener('click', () => this.runAnalogies());
    $('lab-run-pairs').addEventListener('click', () => this.runPairs());
    $('lab-run-spaces').addEventListener('click', () => this.runAcrossSpaces());
    $('lab-run-quantization').addEventListener('click', () => this.runQuantization());
    $('lab-cancel').addEventListener('click', () => this.controller?.abort());
  }

  /** Called when a new table is in: old figures belong to the old table. */
  tableChanged({ keepFloats = false, name = '' } = {}) {
    this.controller?.abort();
    this.floatsKept = keepFloats;
    $('lab-run-quantization').disabled = !keepFloats;
    $('lab-quantization-hint').textContent = keepFloats
      ? t.labFloatsKept(name)
      : t.labNeedsFloats;
    for (const id of ['lab-sections', 'lab-pairs-figures', 'lab-spaces-figures', 'lab-quantization-figures']) $(id).replaceChildren();
    $('lab-total').textContent = '';
    $('lab-progress-text').textContent = '';
    $('lab-progress-row').hidden = true;
  }

  async #analogyText() {
    const source = $('lab-analogy-source').value;
    if (source === 'file') {
      if (!this.analogyFile) throw new Error(t.labChooseQuestionsFile);
      return this.analogyFile;
    }
    if (source === 'google') {
      // 600 kB that most learners never ask for: fetched on first use, not bundled.
      this.googleText ??= fetch(GOOGLE_ANALOGIES_URL).then((response) => {
        if (!response.ok) throw new Error(t.labGoogleFetchFailed(response.status));
        return response.text();
      });
      try {
        return { name: t.labGoogleSetName, text: await this.googleText };
      } catch (error) {
        this.googleText = undefined; // a failed fetch may be retried
        throw error;
      }
    }
    return { name: t.labBuiltinSetName, text: BUILTIN_ANALOGIES };
  }

  /** Runs `work(signal)` with the progress bar and Cancel; errors inline. */
  async #run(label, work) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.#clearError();
    $('lab-cancel').hidden = false;
    $('lab-progress-row').hidden = false;
    this.#progress(0, 1, label);
    try {
      return await work(controller.signal);
    } catch (error) {
      if (error?.code === ErrorCode.CANCELLED) $('lab-progress-text').textContent = t.labTaskCancelled(label);
      else this.#showError(error);
      return null;
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        $('lab-cancel').hidden = true;
        $('lab-progress').hidden = true;
      }
    }
  }

  #progress(done, total, text) {
    const bar = $('lab-progress');
    bar.hidden = false;
    bar.max = total || 1;
    bar.value = done;
    $('lab-progress-text').textContent = text;
  }

  async runAnalogies() {
    let source;
    try {
      source = await this.#analogyText();
    } catch (error) {
      return this.#showError(error);
    }
    const method = $('lab-method').value;
    const task = t.labAnalogiesFrom(source.name);
    return this.#run(task, async (signal) => {
      const result = await this.client.call(
        Request.evaluateAnalogies,
        { text: source.text, method },
        {
          signal,
          onProgress: ({ done, total }) => this.#progress(done, total, t.labQuestionsProgress(task, done, total)),
        },
      );
      renderBarChart($('lab-sections'), sectionBars(result));
      $('lab-total').textContent = t.labTotal(totalLine(result), method, result.seconds.toFixed(2));
      $('lab-progress-text').textContent = t.labTaskDone(task);
      return result;
    });
  }

  async runPairs() {
    if (!this.pairsFile) return this.#showError(new Error(t.labChoosePairsFile));
    const { name, text } = this.pairsFile;
    return this.#run(t.labWordPairsFrom(name), async () => {
      const r = await this.client.call(Request.evaluatePairs, { text });
      $('lab-pairs-figures').replaceChildren(
        figureRow(t.labSpearman, fixed(r.spearman)),
        figureRow(t.labPearson, fixed(r.pearson)),
        figureRow(t.labPairsScored, String(r.pairs)),
        figureRow(t.labOutOfVocabulary, String(r.oov)),
      );
      $('lab-progress-text').textContent = t.labTaskDone(t.labWordPairsFrom(name));
      return r;
    });
  }

  async runAcrossSpaces() {
    let analogies;
    try {
      analogies = await this.#analogyText();
    } catch (error) {
      return this.#showError(error);
    }
    const method = $('lab-method').value;
    const label = t.labAcrossSpaces;
    return this.#run(label, async (signal) => {
      const rows = await this.client.call(
        Request.acrossSpaces,
        { analogies: analogies.text, pairs: this.pairsFile?.text, spaces: SPACES, method },
        {
          signal,
          onProgress: ({ space, index, spaces, done, total }) =>
            this.#progress(index * (total || 1) + done, spaces * (total || 1), t.labSpaceProgress(label, SPACE_LABELS[space] ?? space, index + 1, spaces)),
        },
      );
      const header = el(
        'tr',
        {},
        el('th', {}, t.labSpaceColumn),
        el('th', {}, t.labAnalogiesColumn(analogies.name)),
        this.pairsFile ? el('th', {}, t.labSpearman) : null,
        this.pairsFile ? el('th', {}, t.labPearson) : null,
      );
      $('lab-spaces-figures').replaceChildren(
        el('thead', {}, header),
        el(
          'tbody',
          {},
          rows.map((row, i) =>
            el(
              'tr',
              { dataset: { space: SPACES[i] } },
              el('th', {}, SPACE_LABELS[SPACES[i]] ?? row.space),
              el('td', {}, percent(row.analogies.total.accuracy)),
              row.pairs ? el('td', {}, fixed(row.pairs.spearman)) : null,
              row.pairs ? el('td', {}, fixed(row.pairs.pearson)) : null,
            ),
          ),
        ),
      );
      $('lab-progress-text').textContent = t.labSpaceRestored(label);
      return rows;
    });
  }

  async runQuantization() {
    const questions = this.analogyFile && $('lab-analogy-source').value === 'file' ? this.analogyFile.text : BUILTIN_ANALOGIES;
    return this.#run(t.labQuantization, async (signal) => {
      const r = await this.client.call(
        Request.quantizationLab,
        { questions, sample: 200, seed: 1 },
        { signal, onProgress: ({ done, total }) => this.#progress(done, total, t.labCountProgress(t.labQuantization, done, total)) },
      );
      const kinds = ['float32', 'int8', 'int4'].filter((k) => r[k]);
      const cell = (kind, fn) => el('td', {}, fn(r[kind]));
      const row = (label, fn) => el('tr', {}, el('th', {}, label), kinds.map((k) => cell(k, fn)));
      $('lab-quantization-figures').replaceChildren(
        el('thead', {}, el('tr', {}, el('th', {}, ''), kinds.map((k) => el('th', {}, k)))),
        el(
          'tbody',
          {},
          row(t.labRecallVsFloat, (x) => fixed(x.recallAt10)),
          row(t.labAnalogyAccuracy, (x) => t.labAccuracyOf(percent(x.analogyAccuracy), x.analogyQuestions)),
          row(t.labMemory, (x) => formatBytes(x.bytes)),
          row(t.labQueryLatency, (x) => t.milliseconds(fixed(x.queryMs, 3))),
        ),
      );
      $('lab-progress-text').textContent = t.labTaskDone(t.labQuantization);
      return r;
    });
  }

  #showError(error) {
    const box = $('lab-error');
    box.textContent = error?.message ?? String(error);
    box.hidden = false;
  }

  #clearError() {
    $('lab-error').hidden = true;
    $('lab-error').textContent = '';
  }
}

function figureRow(label, value) {
  return el('tr', {}, el('th', {}, label), el('td', {}, value));
}

async function readText(file) {
  return file ? { name: file.name, text: await file.text() } : null;
}
