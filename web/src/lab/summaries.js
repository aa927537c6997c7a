// Pure helpers of the evaluation lab: counting a questions-words file and
// turning worker results into rows the panels print. No DOM, no compute.
import { t } from '../i18n/strings.js';

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

export const percent = (x) => (Number.isFinite(x) ? t.percent(x) : '–');
export const fixed = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** Bars for the per-section chart: accuracy over the questions answered. */
export function sectionBars(result) {
  return result.sections.map((s) => ({
    label: s.name,
    fraction: s.count ? s.correct / s.count : 0,
    text: s.count ? `${percent(s.correct / s.count)} (${s.correct}/${s.count})` : t.labNoQuestionsInVocabulary,
  }));
}

export function totalLine(result) {
  const { correct, count, accuracy } = result.total;
  const skipped = result.skipped ? t.labSkipped(result.skipped) : '';
  return t.labTotalLine(percent(accuracy), correct, count, skipped);
}

export const SPACE_LABELS = { raw: t.spaceRaw, centered: t.spaceCentred, whitened: t.labWhitened, 'abtt:3': t.spaceAbtt(3) };
