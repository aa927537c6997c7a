// The evaluation lab: the analogy benchmark (built-in set or a loaded
// questions-words file) with progress, per-section bars and Cancel; word-pair
// similarity; both across spaces; and the quantization lab for a table
// loaded with its floats kept. All numbers come from the worker.
import { BUILTIN_ANALOGIES, GOOGLE_ANALOGIES_URL } from '../lab/builtin-analogies.js';
import { SPACE_LABELS, countQuestions, fixed, percent, sectionBars, totalLine } from '../lab/summaries.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { renderBarChart } from './bar-chart.js';
import { $, el, formatBytes } from './dom.js';

const SPACES = ['raw', 'centered', 'whitened', 'abtt:3'];

export class LabPanel {
  constructor({ client }) {
    this.client = client;
    this.analogyFile = null; // { name, text }
    this.pairsFile = null;
    this.controller = null;
    this.floatsKept = false;
    const builtin = countQuestions(BUILTIN_ANALOGIES);
    $('lab-builtin-option').textContent = `built-in (${builtin.questions} questions, ${builtin.sections} sections)`;
    this.#bind();
  }

  #bind() {
    $('lab-analogy-file').addEventListener('change', async (e) => {
      this.analogyFile = await readText(e.target.files[0]);
      if (this.analogyFile) {
        const { questions, sections } = countQuestions(this.analogyFile.text);
        $('lab-analogy-file-info').textContent = `${this.analogyFile.name}: ${questions} questions, ${sections} sections`;
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
      ? `${name} was loaded with its floats kept: compare float32 with int8.`
      : 'Load a float table with "keep floats for the quantization lab" ticked to compare float32 with int8.';
    for (const id of ['lab-sections', 'lab-pairs-figures', 'lab-spaces-figures', 'lab-quantization-figures']) $(id).replaceChildren();
    $('lab-total').textContent = '';
    $('lab-progress-text').textContent = '';
    $('lab-progress-row').hidden = true;
  }

  async #analogyText() {
    const source = $('lab-analogy-source').value;
    if (source === 'file') {
      if (!this.analogyFile) throw new Error('Choose a questions-words file first (": section" lines, then "a b c d").');
      return this.analogyFile;
    }
    if (source === 'google') {
      // 600 kB that most learners never ask for: fetched on first use, not bundled.
      this.googleText ??= fetch(GOOGLE_ANALOGIES_URL).then((response) => {
        if (!response.ok) throw new Error(`Could not fetch the Google analogy test set: HTTP ${response.status}`);
        return response.text();
      });
      try {
        return { name: 'the Google analogy test set', text: await this.googleText };
      } catch (error) {
        this.googleText = undefined; // a failed fetch may be retried
        throw error;
      }
    }
    return { name: 'the built-in set', text: BUILTIN_ANALOGIES };
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
      if (error?.code === ErrorCode.CANCELLED) $('lab-progress-text').textContent = `${label}: cancelled`;
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
    return this.#run(`Analogies from ${source.name}`, async (signal) => {
      const result = await this.client.call(
        Request.evaluateAnalogies,
        { text: source.text, method },
        {
          signal,
          onProgress: ({ done, total }) => this.#progress(done, total, `Analogies from ${source.name}: ${done} of ${total} questions`),
        },
      );
      renderBarChart($('lab-sections'), sectionBars(result));
      $('lab-total').textContent = `${totalLine(result)} — ${method}, ${result.seconds.toFixed(2)} s`;
      $('lab-progress-text').textContent = `Analogies from ${source.name}: done`;
      return result;
    });
  }

  async runPairs() {
    if (!this.pairsFile) return this.#showError(new Error('Choose a "word1 word2 score" file first.'));
    const { name, text } = this.pairsFile;
    return this.#run(`Word pairs from ${name}`, async () => {
      const r = await this.client.call(Request.evaluatePairs, { text });
      $('lab-pairs-figures').replaceChildren(
        figureRow('Spearman', fixed(r.spearman)),
        figureRow('Pearson', fixed(r.pearson)),
        figureRow('pairs scored', String(r.pairs)),
        figureRow('out of vocabulary', String(r.oov)),
      );
      $('lab-progress-text').textContent = `Word pairs from ${name}: done`;
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
    const label = 'Across spaces';
    return this.#run(label, async (signal) => {
      const rows = await this.client.call(
        Request.acrossSpaces,
        { analogies: analogies.text, pairs: this.pairsFile?.text, spaces: SPACES, method },
        {
          signal,
          onProgress: ({ space, index, spaces, done, total }) =>
            this.#progress(index * (total || 1) + done, spaces * (total || 1), `${label}: ${SPACE_LABELS[space] ?? space} (${index + 1} of ${spaces})`),
        },
      );
      const header = el(
        'tr',
        {},
        el('th', {}, 'space'),
        el('th', {}, `analogies (${analogies.name})`),
        this.pairsFile ? el('th', {}, 'Spearman') : null,
        this.pairsFile ? el('th', {}, 'Pearson') : null,
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
      $('lab-progress-text').textContent = `${label}: done (your space was restored)`;
      return rows;
    });
  }

  async runQuantization() {
    const questions = this.analogyFile && $('lab-analogy-source').value === 'file' ? this.analogyFile.text : BUILTIN_ANALOGIES;
    return this.#run('Quantization lab', async (signal) => {
      const r = await this.client.call(
        Request.quantizationLab,
        { questions, sample: 200, seed: 1 },
        { signal, onProgress: ({ done, total }) => this.#progress(done, total, `Quantization lab: ${done} of ${total}`) },
      );
      const kinds = ['float32', 'int8', 'int4'].filter((k) => r[k]);
      const cell = (kind, fn) => el('td', {}, fn(r[kind]));
      const row = (label, fn) => el('tr', {}, el('th', {}, label), kinds.map((k) => cell(k, fn)));
      $('lab-quantization-figures').replaceChildren(
        el('thead', {}, el('tr', {}, el('th', {}, ''), kinds.map((k) => el('th', {}, k)))),
        el(
          'tbody',
          {},
          row('recall@10 vs float32', (x) => fixed(x.recallAt10)),
          row('analogy accuracy', (x) => `${percent(x.analogyAccuracy)} of ${x.analogyQuestions}`),
          row('memory', (x) => formatBytes(x.bytes)),
          row('query latency', (x) => `${fixed(x.queryMs, 3)} ms`),
        ),
      );
      $('lab-progress-text').textContent = 'Quantization lab: done';
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
