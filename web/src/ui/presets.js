// Presets from the course text, and the word groups shown in colour.
import { t } from '../i18n/strings.js';

/** Queries a learner can run with one click. */
export const QUERY_PRESETS = [
  { label: 'king − man + woman', analogy: ['man', 'king', 'woman'] },
  { label: 'paris − france + italy', analogy: ['france', 'paris', 'italy'] },
  // The course text expects "running"; the preset shows honestly where it
  // lands, with 3CosMul beside 3CosAdd.
  { label: 'swimming − swim + run', analogy: ['swim', 'swimming', 'run'], expected: 'running' },
];

/**
 * Word groups: capitals, animals, tech and verbs from the course text,
 * plus a few of our own. All are words of the 50k table.
 */
export const WORD_GROUPS = [
  { name: 'capitals', words: ['paris', 'london', 'berlin', 'rome', 'madrid', 'tokyo', 'moscow', 'beijing', 'athens', 'cairo', 'vienna', 'lisbon'] },
  { name: 'animals', words: ['dog', 'cat', 'horse', 'cow', 'lion', 'tiger', 'elephant', 'monkey', 'rabbit', 'wolf', 'bear', 'mouse'] },
  { name: 'tech', words: ['computer', 'software', 'internet', 'digital', 'server', 'laptop', 'browser', 'smartphone', 'database', 'algorithm', 'chip', 'google'] },
  { name: 'verbs', words: ['run', 'walk', 'swim', 'eat', 'drink', 'sleep', 'write', 'read', 'sing', 'jump', 'speak', 'think'] },
  { name: 'numbers', words: ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'] },
  { name: 'colours', words: ['red', 'blue', 'green', 'yellow', 'black', 'white', 'purple', 'orange', 'pink', 'brown'] },
  { name: 'family', words: ['mother', 'father', 'sister', 'brother', 'daughter', 'son', 'aunt', 'uncle', 'grandmother', 'grandfather'] },
];

/**
 * Embedding tables of the models in the course text. Vocabulary sizes and
 * widths are the models' published configurations; whether input and
 * output embeddings share weights ("tied") likewise.
 */
export const MODEL_PRESETS = [
  { name: 'BERT-base', vocab: 30522, dims: 768, tied: true },
  { name: 'GPT-2 small', vocab: 50257, dims: 768, tied: true },
  { name: 'LLaMA-2 7B', vocab: 32000, dims: 4096, tied: false },
  { name: 'LLaMA-3 8B', vocab: 128256, dims: 4096, tied: false },
  { name: t.thisTablePreset, vocab: 50000, dims: 100, tied: true },
];
