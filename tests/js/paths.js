// Where the tests find the built module, the data and the shared check files.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultTable = join(repoRoot, 'data', 'glove-6b-100d-50k.emb');
export const fixtures = join(repoRoot, 'tests', 'fixtures');

/** The Google analogy test set, shipped in data/ (Apache-2.0, see data/README.md). */
export function questionsWordsPath() {
  const path = join(repoRoot, 'data', 'questions-words.txt');
  if (!existsSync(path)) throw new Error(`${path} is missing: it is part of the checkout (data/README.md)`);
  return path;
}
