// The built-in analogy set (data/analogies-builtin.txt): ten sections of
// facts and word forms the team wrote for the evaluation lab, every word in
// the default 50k GloVe table, so the lab works before any file is loaded.
import text from '../../../data/analogies-builtin.txt?raw';

export const BUILTIN_ANALOGIES = text;
