// One way to run any query kind. The view says what is asked (an
// expression, an analogy or a word's neighbours, and maybe a selected
// point); answer(view) asks the worker and returns one shape for all of
// them, which the results view and the plot adapter draw.
import { Superseded } from '../compute/client.js';
import { ErrorCode, Request } from '../compute/protocol.js';
import { METHODS, answerKey, queryOf } from './view-state.js';
import { t } from '../i18n/strings.js';

/** Longer text is not a word or an expression. */
export const MAX_INPUT = 200;

/** The fields of a query, named as the controls name them. */
function fieldsOf(query) {
  if (query.kind === 'expression') return [[t.fieldExpression, query.text, t.whatExpression]];
  if (query.kind === 'analogy') return [[t.fieldA, query.a, t.whatWord], [t.fieldB, query.b, t.whatWord], [t.fieldC, query.c, t.whatWord]];
  return [[t.fieldWord, query.word, t.whatWord]];
}

/** What is wrong with a query's text before it is sent, or null. */
export function inputProblem(query) {
  for (const [name, value, what] of fieldsOf(query)) {
    if (!value?.trim()) return t.pleaseFillIn(name);
    if (value.length > MAX_INPUT) return t.inputTooLong(name, value.length, what, MAX_INPUT);
  }
  return null;
}

/**
 * For "b - a + c" the parallelogram a->b and c->d, like an analogy; term
 * ids come in the order the expression names them.
 */
function expressionArrows(terms, termIds, top) {
  const neg = terms.map((term, i) => [term, termIds[i]]).filter(([term]) => term.weight < 0);
  const pos = terms.map((term, i) => [term, termIds[i]]).filter(([term]) => term.weight > 0);
  if (terms.length !== 3 || neg.length !== 1 || pos.length !== 2 || top === undefined) return [];
  return [[neg[0][1], pos[0][1]], [pos[1][1], top]];
}

export class QueryController {
  constructor(client) {
    this.client = client;
  }

  /**
   * The answer for a view: { key, query, selection, error }. query and
   * selection are outcomes (see #outcome); error is the first failure, with
   * `origin` ('query' or 'selection') so a suggestion can replace the right
   * word. Resolves to null if a newer view superseded this one.
   */
  async answer(view) {
    const key = answerKey(view);
    const query = queryOf(view);
    const asks = [
      query ? this.#run(query, view.k, 'query') : null,
      view.sel ? this.#run({ kind: 'neighbors', word: view.sel, metric: view.metric }, view.k, 'selection') : null,
    ];
    const [mine, selection] = await Promise.all(asks.map((ask) => ask?.catch((error) => ({ error }))));
    if ([mine, selection].some((x) => x?.error instanceof Superseded)) return null;
    const failed = [[mine, 'query'], [selection, 'selection']].find(([x]) => x?.error);
    if (failed) return { key, query: null, selection: null, error: { ...describe(failed[0].error), origin: failed[1] } };
    if (mine?.expected) await this.#findExpected(mine);
    return { key, query: mine ?? null, selection: selection ?? null, error: null };
  }

  /** The expected word of an analogy is drawn too: the analogy view compares the offsets against it. */
  async #findExpected(outcome) {
    const { word } = outcome.expected;
    const [id] = await this.client.call(Request.wordIds, { words: [word] }).catch(() => []);
    if (id >= 0) Object.assign(outcome, { expectedId: id, inputLabels: [...(outcome.inputLabels ?? []), { id, word }] });
  }

  async #run(query, k, channel) {
    const problem = inputProblem(query);
    if (problem) throw Object.assign(new Error(problem), { code: ErrorCode.BAD_ARGUMENT });
    const out = await this.client.call(Request.query, { ...query, k }, { channel });
    return outcome(query, out);
  }
}

/** The outcomes of an answer (the query's, a selected word's). */
const outcomesOf = (answer) => [answer?.query, answer?.selection].filter(Boolean);

/** Every word an answer names, with its id: the inputs are drawn without the frequent words that would name them. */
export function answerLabels(answer) {
  return outcomesOf(answer).flatMap((o) => [...o.results, ...(o.other?.results ?? []), ...(o.inputLabels ?? [])]);
}

/** The ids of every point an answer needs drawn: results, inputs, the expected word, the other method's results. */
export function answerIds(answer) {
  return outcomesOf(answer).flatMap((o) => [
    ...o.results.map((r) => r.id),
    ...o.inputIds,
    ...(o.expectedId >= 0 ? [o.expectedId] : []),
    ...(o.other?.results.map((r) => r.id) ?? []),
  ]);
}

/** The worker's answer in the one shape the page draws; every word as an id. */
function outcome(query, out) {
    const results = out.results.map(({ id, word, display, score }) => ({ id, word, display: display ?? word, score }));
    const top = results[0]?.id;
    // partial: { rows, totalRows } while the default table streams in; the answer is asked again once it is complete.
    // metric and space: what produced the list, which the results view names (never assumed from the view state).
    const metric = out.metric ?? 'cosine';
    const scoreKind = metric === 'euclidean' ? 'Euclidean distance' : 'cosine';
    const base = { kind: query.kind, results, scoreKind, metric, space: out.space ?? null, expected: null, other: null, arrows: [], partial: out.partial ?? null };
    if (query.kind === 'analogy') {
      const method = METHODS[query.method];
      const inputIds = out.inputs;
      return {
        ...base,
        caption: t.captionAnalogy(query.a, query.b, query.c, method),
        scoreKind: query.method === '3cosmul' ? '3CosMul score' : 'cosine',
        expected: out.expected ?? null,
        other: out.other ? { ...out.other, results: out.other.results.map((r) => ({ ...r, display: r.display ?? r.word })) } : null,
        inputIds,
        inputLabels: [query.a, query.b, query.c].map((word, i) => ({ id: inputIds[i], word })),
        arrows: top === undefined ? [] : [[inputIds[0], inputIds[1]], [inputIds[2], top]],
      };
    }
    if (query.kind === 'expression') {
      const termIds = out.terms.map((term) => term.id);
      return { ...base, caption: t.captionExpression(query.text), inputIds: out.inputs, inputLabels: out.terms, arrows: expressionArrows(out.terms, termIds, top) };
    }
    return { ...base, caption: t.captionNeighbours(query.word), inputIds: out.inputs, inputLabels: [{ id: out.inputs[0], word: query.word }], selectedId: out.inputs[0] };
}

/** A worker error as plain fields; the suggestions are offered as buttons, so the message does not list them too. */
function describe(error) {
  const suggestions = error?.suggestions ?? [];
  let message = error?.message ?? String(error);
  // The core ends the message with " (did you mean …?)"; cut from there, whatever the suggestions contain (":)").
  if (suggestions.length) message = message.replace(/\s*\(did you mean [\s\S]*$/, '');
  if (error?.code === ErrorCode.ZERO_QUERY && !/zero/i.test(message)) message = t.queryVectorZero(message);
  return { message, code: error?.code, word: error?.word, suggestions };
}
