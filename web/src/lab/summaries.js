// Pure helpers of the evaluation lab: counting a questions-words file and
// turning worker results into rows the panels print. No DOM, no compute.

/** Sections and questions of a questions-words text, as the core will read it. */
export function countQuestions(text) {
  let sections = 0;
  let questions = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(': ')) sections++;
    else if (line.trim().split(/\s+/).length === 4) questions++;
  }
  return { sections, questions };
}

export const percent = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '–');
export const fixed = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** Bars for the per-section chart: accuracy over the questions answered. */
export function sectionBars(result) {
  return result.sections.map((s) => ({
    label: s.name,
    fraction: s.count ? s.correct / s.count : 0,
    text: s.count ? `${percent(s.correct / s.count)} (${s.correct}/${s.count})` : 'no questions in vocabulary',
  }));
}

export function totalLine(result) {
  const { correct, count, accuracy } = result.total;
  const skipped = result.skipped ? `; ${result.skipped} skipped (a word not in the vocabulary)` : '';
  return `Total: ${percent(accuracy)} (${correct} of ${count} correct${skipped})`;
}

export const SPACE_LABELS = { raw: 'raw', centered: 'centred', whitened: 'whitened', 'abtt:3': 'all-but-the-top (D=3)' };
