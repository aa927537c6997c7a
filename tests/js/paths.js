// Where the tests find the built module, the data and the shared check files.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultTable = join(repoRoot, 'data', 'glove-6b-100d-50k.emb');
export const fixtures = join(repoRoot, 'tests', 'fixtures');

/**
 * questions-words.txt is a check file kept outside the project (never
 * committed): ../shared/data beside the checkout, or QUESTIONS_WORDS.
 */
export function questionsWordsPath() {
  const candidates = [process.env.QUESTIONS_WORDS, join(repoRoot, '..', 'shared', 'data', 'questions-words.txt')];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    throw new Error(
      'questions-words.txt not found: put the shared check files beside the checkout (../shared/data) or set QUESTIONS_WORDS',
    );
  }
  return found;
}
