// The evaluation lab's built-in analogy set (data/analogies-builtin.txt):
// the page runs it on the default table, so every question must be
// answerable there, and the issue asks for >= 200 questions in >= 8 sections.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { defaultTable, repoRoot } from './paths.js';

const text = readFileSync(join(repoRoot, 'data', 'analogies-builtin.txt'), 'utf8');
let explorer;

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

describe('the built-in analogy set', () => {
  it('has >= 200 questions in >= 8 sections, every word in the 50k table', async () => {
    const result = await explorer.evaluateAnalogies(text);
    console.log(`built-in set, 3CosAdd on the 50k table: ${result.total.correct}/${result.total.count}`);
    expect(result.total.count).toBeGreaterThanOrEqual(200);
    expect(result.sections.length).toBeGreaterThanOrEqual(8);
    expect(result.sections.every((s) => s.count >= 20)).toBe(true);
    expect(result.skipped).toBe(0);
    expect(result.invalidLines).toBe(0);
  });

  it('asks no question twice', () => {
    const questions = text.split('\n').filter((line) => line && !line.startsWith(': '));
    expect(new Set(questions).size).toBe(questions.length);
  });
});
