// Live figures beside a lesson step's caption (issue 10 §2-3): every number
// is computed on the table that is loaded, by the core, when the step is
// shown; a lesson file holds only the question. A figure whose words the
// table lacks says so instead of a number, and a figure that fails shows
// its error in its own place: one bad figure never hides the others.
// computeFigure is also the true value of a predict-number exercise.
import { Request } from '../compute/protocol.js';
import { t } from '../i18n/strings.js';
import { el } from '../ui/dom.js';
import { parsePairs } from './exercise-format.js';
import { spaceName } from '../ui/space-names.js';

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
// "−0.003": the minus sign, not a hyphen, as the rest of the page writes it.
// A value that rounds to zero has no sign ("0.000", not "−0.000").
const signed = (value, digits) => {
  const text = fixed(value, digits);
  return Number(text) === 0 ? text.replace(/^-/, '') : text.replace(/^-/, '−');
};

/** 1 -> "1st", 22 -> "22nd", 13 -> "13th". */
export function ordinal(n) {
  return t.ordinal(n);
}

const spaceOf = (figure, readState) => figure.space ?? readState?.()?.space ?? 'raw';

/**
 * The embedding table's memory from its shape: page arithmetic, not the core.
 * @param {{ rows: number, dims: number, bytes: number, tied?: boolean, totalParams?: number }} figure
 * @param {number} [totalParams] the learner's own total (the editable field), else the figure's
 */
export function memoryFigure(figure, totalParams = figure.totalParams) {
  const matrices = figure.tied === false ? 2 : 1; // untied: the output matrix is a second copy of the shape
  const params = figure.rows * figure.dims * matrices;
  const bytes = params * figure.bytes;
  const share = totalParams ? params / totalParams : null;
  return { params, bytes, megabytes: bytes / 1e6, mebibytes: bytes / 2 ** 20, share, matrices };
}

/**
 * One figure's value, computed live. Resolves to { value, text, label, note, missing, detail }; `value`
 * is null (and `missing` names the words) when the table lacks a word. Rejects when the core fails.
 * @param {Record<string, any>} figure a figure checked by checkFigure
 * @param {{ client: import('../compute/client.js').ComputeClient, readState?: () => Record<string, any>, totalParams?: number }} context
 */
export async function computeFigure(figure, { client, readState, totalParams }) {
  const digits = figure.digits ?? 3;
  const result = (value, text, label, note, detail = {}) => ({ kind: figure.kind, value, text, label: figure.label ?? label, note, missing: [], detail });
  const lacking = (label, missing, detail = {}) => ({ ...result(null, t.figureNotInTable(missing), label, t.figureComputedOnTable), missing, detail });
  switch (figure.kind) {
    case 'cosine': {
      const [first, second] = figure.words;
      const label = t.figureCosineLabel(first, second);
      const out = await client.call(Request.lessonMeasure, { measure: 'cosines', target: first, words: [second], space: spaceOf(figure, readState) });
      if (out.missing.length) return lacking(label, out.missing);
      const value = out.cosines[0].cosine;
      return result(value, signed(value, digits), label, t.figureComputedIn(spaceName(out.space)), out);
    }
    case 'norm': {
      const label = t.figureNormLabel(figure.word);
      const [id] = await client.call(Request.wordIds, { words: [figure.word] });
      if (id < 0) return lacking(label, [figure.word]);
      const info = await client.call(Request.pointInfo, { word: figure.word });
      return result(info.norm, fixed(info.norm, digits), label, t.figureNormNote(info.word, ordinal(info.row)), info);
    }
    case 'mean-pair-cosine': {
      const out = await client.call(Request.anisotropy, { space: figure.space, sample: figure.sample });
      const stats = out.transformed.stats;
      return result(
        stats.meanPairCosine,
        signed(stats.meanPairCosine, digits),
        t.figureMeanPairCosineLabel(spaceName(stats.space)),
        t.figureMeanPairCosineNote(stats.pairsSampled, figure.sample),
        stats,
      );
    }
    case 'rank': {
      const [a, b, c] = figure.analogy;
      const method = t.methodName[figure.method === '3cosmul' ? '3cosmul' : '3cosadd'];
      const label = t.figureRankLabel(figure.word, a, b, c, method);
      const out = await client.call(Request.lessonMeasure, { measure: 'rank', word: figure.word, a, b, c, method: figure.method, inputs: figure.inputs, space: spaceOf(figure, readState) });
      if (out.missing.length || out.rank === null) return lacking(label, out.missing);
      return result(out.rank, ordinal(out.rank), label, t.figureRankNote(spaceName(out.space), Boolean(figure.inputs), out.first ? out.first.display : undefined), out);
    }
    case 'offset-consistency': {
      const { pairs } = parsePairs(figure.pairs);
      const label = t.figureOffsetsLabel(pairs.length);
      const out = await client.call(Request.lessonMeasure, { measure: 'offsets', pairs, space: spaceOf(figure, readState) });
      if (out.consistency === null) return lacking(label, out.missing, out);
      const leftOut = out.leftOut.map((pair) => pair.join(':'));
      return {
        ...result(out.consistency, signed(out.consistency, digits), label, t.figureOffsetsNote(spaceName(out.space), leftOut), out),
        missing: out.missing,
      };
    }
    case 'table-memory': {
      const out = await client.call(Request.lessonMeasure, { measure: 'table' });
      if (out.measure !== 'table') throw new Error('the worker answered another measure');
      const codes = out.words * out.dims;
      return result(
        out.memoryBytes / 1e6,
        t.figureMegabytes(fixed(out.memoryBytes / 1e6, 2), fixed(out.memoryBytes / 2 ** 20, 2)),
        t.figureTableMemoryLabel,
        t.figureTableMemoryNote(out.words, out.dims, fixed((codes * 4) / 1e6, 1)),
        out,
      );
    }
    case 'synthetic-cone': {
      const out = await client.call(Request.syntheticCone, { rows: figure.rows, dims: figure.dims, shared: figure.shared, seed: figure.seed });
      const recipe = t.figureConeRecipe(out.rows, out.dims, out.shared, out.seed);
      if (figure.measure === 'neighbours-changed') {
        const changed = out.neighboursChanged[figure.space];
        return result(changed, t.figureCountOf(changed, out.checkedRows), t.figureConeChangesLabel(figure.space), recipe, out);
      }
      const value = out.meanPairCosine[figure.space];
      return result(value, signed(value, digits), t.figureConeCosineLabel(spaceName(figure.space)), recipe, out);
    }
    case 'memory': {
      const total = totalParams ?? figure.totalParams;
      const m = memoryFigure(figure, total);
      const values = { MB: m.megabytes, MiB: m.mebibytes, bytes: m.bytes, share: m.share };
      return result(
        values[figure.unit ?? 'MB'],
        t.figureMemoryText(fixed(m.megabytes, 1), fixed(m.mebibytes, 1), m.share === null ? undefined : fixed(m.share * 100, 2), total),
        t.figureMemoryLabel,
        t.figureMemoryNote(figure.rows, figure.dims, figure.bytes, figure.tied === false),
        m,
      );
    }
    case 'sqrt-scale': {
      const value = Math.sqrt(figure.dims);
      return result(value, fixed(value, Number.isInteger(value) ? 0 : digits), t.figureSqrtLabel(figure.dims), t.figureSqrtNote, {});
    }
    default:
      throw new Error(`unknown figure kind "${figure.kind}"`);
  }
}

/**
 * Draws the figures (each in its own item: label, value, note) and
 * resolves to their values in order (null for a missing word or an error).
 * @param {HTMLElement} container
 * @param {Record<string, any>[]} figures
 * @param {{ client: import('../compute/client.js').ComputeClient, readState?: () => Record<string, any> }} context
 * @returns {Promise<(number | null)[]>}
 */
export function renderFigures(container, figures, context) {
  const list = el('ul', { class: 'lesson-figures', 'aria-label': t.figuresListLabel });
  container.replaceChildren(list);
  return Promise.all(
    figures.map((figure) => {
      const item = el('li', { class: 'lesson-figure', dataset: { kind: figure.kind, state: 'computing' } }, el('span', { class: 'lesson-figure-label' }, figure.label ?? '…'), ': ', el('span', { class: 'lesson-figure-value' }, t.computing));
      list.append(item);
      // The editable total only where the figure is about the model's share (it has a total to start from).
      return figure.kind === 'memory' && figure.totalParams ? drawMemory(item, figure, context) : drawFigure(item, figure, context);
    }),
  );
}

async function drawFigure(item, figure, context, { totalParams, controls = [] } = {}) {
  try {
    const out = await computeFigure(figure, { ...context, totalParams });
    item.dataset.state = out.value === null ? 'missing' : 'done';
    item.dataset.value = out.value === null ? '' : String(out.value);
    if (out.missing.length) item.dataset.missing = out.missing.join(',');
    item.replaceChildren(
      el('span', { class: 'lesson-figure-label' }, out.label),
      ': ',
      el('strong', { class: 'lesson-figure-value' }, out.text),
      ...controls,
      el('span', { class: 'lesson-figure-note hint' }, t.figureNote(out.note)),
    );
    return out.value;
  } catch (error) {
    item.dataset.state = 'error';
    item.replaceChildren(el('span', { class: 'lesson-figure-label' }, figure.label ?? figure.kind), ': ', el('span', { class: 'lesson-figure-error' }, t.figureFailed(error.message)));
    return null;
  }
}

/** A memory figure with its editable "total parameters" field: the learner can type another model's total. */
function drawMemory(item, figure, context) {
  const input = el('input', { type: 'number', min: '1', step: '1', class: 'lesson-total-params', value: figure.totalParams ? String(figure.totalParams) : '' });
  const field = el('label', { class: 'lesson-figure-field' }, t.totalParamsLabel, input);
  const problem = el('span', { class: 'lesson-figure-error', role: 'status' });
  const draw = (totalParams) => drawFigure(item, figure, context, { totalParams, controls: [field, problem] });
  input.addEventListener('change', () => {
    const typed = input.value.trim();
    const total = Number(typed);
    if (typed && !(Number.isInteger(total) && total > 0)) {
      problem.textContent = t.totalParamsNotWhole(typed);
      return;
    }
    problem.textContent = '';
    draw(typed ? total : undefined).then(() => input.focus());
  });
  return draw(figure.totalParams);
}
