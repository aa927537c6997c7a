// The built-in analogy set (data/analogies-builtin.txt): ten sections of
// facts and word forms the team wrote for the evaluation lab, every word in
// the default 50k GloVe table, so the lab works before any file is loaded.
import text from '../../../data/analogies-builtin.txt?raw';

export const BUILTIN_ANALOGIES = text;

// The Google analogy test set (data/questions-words.txt, Mikolov et al.
// 2013, Apache-2.0): 19,544 questions, emitted as a file beside the page.
export { default as GOOGLE_ANALOGIES_URL } from '../../../data/questions-words.txt?url';
