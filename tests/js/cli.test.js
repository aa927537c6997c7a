// The CLI as a user runs it: a child process, stdout holding only output.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli } from './helpers.js';
import { fixtures } from './paths.js';

describe('cli', () => {
  it('analogy man king woman prints queen first', async () => {
    const { code, stdout, stderr } = await cli('analogy', 'man', 'king', 'woman');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toMatch(/^\s+1\. queen\s+0\.\d{4}$/);
    expect(stdout.trim().split('\n').length).toBe(10);
  });

  it('expr --json gives {"results":[{word, score}]} with k results', async () => {
    const { stdout } = await cli('expr', 'king - man + woman', '--json', '-k', '3');
    const out = JSON.parse(stdout);
    expect(out.results.length).toBe(3);
    expect(out.results[0]).toEqual({ word: 'queen', score: expect.any(Number) });
    expect(Object.keys(out.results[0])).toEqual(['word', 'score']);
  });

  it('neighbors, similarity and odd-one-out answer', async () => {
    const n = JSON.parse((await cli('neighbors', 'frog', '--json', '-k', '5')).stdout);
    expect(n.results.map((r) => r.word)).not.toContain('frog');
    expect(n.results.length).toBe(5);
    const s = JSON.parse((await cli('similarity', 'cat', 'dog', '--json')).stdout);
    expect(s.score).toBeGreaterThan(0.5);
    const o = JSON.parse((await cli('odd-one-out', 'breakfast', 'lunch', 'dinner', 'car', '--json')).stdout);
    expect(o.odd).toBe('car');
  });

  it('3cosmul and spaces are selectable', async () => {
    const out = JSON.parse((await cli('analogy', 'man', 'king', 'woman', '--method', '3cosmul', '--space', 'abtt:2', '--json')).stdout);
    expect(out.results[0].word).toBe('queen');
  });

  it('stats --json is a flat object of figures', async () => {
    const stats = JSON.parse((await cli('stats', '--json', '--space', 'centered')).stdout);
    expect(stats.words).toBe(50000);
    expect(stats.space).toBe('centered');
    for (const value of Object.values(stats)) expect(['number', 'string']).toContain(typeof value);
    expect(Math.abs(stats.meanPairCosine)).toBeLessThan(0.01);
  });

  it('unknown words exit non-zero naming the word', async () => {
    const { code, stdout, stderr } = await cli('analogy', 'man', 'kingg', 'woman');
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unknown word "kingg"/);
    expect(stderr).toMatch(/king/);
  });

  it('usage errors exit 2', async () => {
    expect((await cli('analogy', 'man')).code).toBe(2);
    expect((await cli('fly')).code).toBe(2);
    expect((await cli('neighbors', 'king', '-k', 'x')).code).toBe(2);
    const bad = await cli('neighbors', 'king', '--data', '/nonexistent.emb');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nonexistent\.emb/);
  });

  it('eval-analogies reports sections, totals and writes predictions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const predictions = join(dir, 'out.tsv');
    const file = join(fixtures, 'analogies-small.txt');
    const { stdout } = await cli('eval-analogies', file, '--json', '--predictions', predictions);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['total', 'sections', 'seconds']));
    // 5 questions are in the vocabulary; one has unknown words.
    expect(out.total.count).toBe(5);
    expect(out.sections.map((s) => s.name)).toEqual(['capitals', 'family']);
    expect(out.sections[0].count + out.sections[1].count).toBe(5);
    expect(out.total.accuracy).toBeCloseTo(out.total.correct / 5, 10);
    const lines = readFileSync(predictions, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(lines.length).toBe(5);
    expect(lines[0].slice(0, 5)).toEqual(['capitals', 'athens', 'greece', 'paris', 'france']);
    expect(lines.every((l) => l.length === 6)).toBe(true);
  });

  it('eval-pairs reports correlations and the OOV count', async () => {
    const out = JSON.parse((await cli('eval-pairs', join(fixtures, 'pairs-small.txt'), '--json')).stdout);
    expect(out.pairs).toBe(10);
    expect(out.oov).toBe(1);
    // Hand-made scores: related pairs high, unrelated low; GloVe agrees.
    expect(out.spearman).toBeGreaterThan(0.5);
    expect(out.pearson).toBeGreaterThan(0.5);
  });

  it('analogy --compare gives the other method and its rank of --expected', async () => {
    const out = JSON.parse((await cli('analogy', 'man', 'king', 'woman', '--compare', '--expected', 'queen', '-k', '3', '--json')).stdout);
    expect(out.results[0].word).toBe('queen');
    expect(out.expected).toMatchObject({ word: 'queen', rank: 1 });
    expect(out.other.method).toBe('3cosmul');
    expect(out.other.results.map((r) => r.word)).toEqual(
      JSON.parse((await cli('analogy', 'man', 'king', 'woman', '--method', '3cosmul', '-k', '3', '--json')).stdout).results.map((r) => r.word),
    );
    expect(out.other.expected).toMatchObject({ word: 'queen', rank: expect.any(Number) });
    const text = (await cli('analogy', 'man', 'king', 'woman', '--compare', '-k', '2')).stdout;
    expect(text).toMatch(/^3cosadd:\n\s+1\. queen/);
    expect(text).toMatch(/\n3cosmul:\n\s+1\. queen/);
  });

  it('neighbours is an alias of neighbors', async () => {
    const a = await cli('neighbours', 'frog', '-k', '4');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe((await cli('neighbors', 'frog', '-k', '4')).stdout);
  });

  it('eval-analogies --spaces scores each space; raw matches the plain run', async () => {
    const file = join(fixtures, 'analogies-small.txt');
    const rows = JSON.parse((await cli('eval-analogies', file, '--spaces', 'raw,centered,whitened,abtt:3', '--json')).stdout);
    expect(rows.map((r) => r.space)).toEqual(['raw', 'centered', 'whitened', 'abtt:3']);
    const plainRun = JSON.parse((await cli('eval-analogies', file, '--json')).stdout);
    expect(rows[0].total).toEqual(plainRun.total);
    for (const row of rows) expect(row.total.count).toBe(5);
    const text = (await cli('eval-analogies', file, '--spaces', 'raw,abtt:3')).stdout.trim().split('\n');
    expect(text[0]).toMatch(/^space\s+accuracy/);
    expect(text.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['raw', 'abtt:3']);
  });

  it('eval-pairs --spaces and eval-analogies --space use the space named', async () => {
    const pairs = join(fixtures, 'pairs-small.txt');
    const rows = JSON.parse((await cli('eval-pairs', pairs, '--spaces', 'raw,whitened', '--json')).stdout);
    expect(rows.map((r) => r.space)).toEqual(['raw', 'whitened']);
    expect(rows[0].spearman).toBeCloseTo(JSON.parse((await cli('eval-pairs', pairs, '--json')).stdout).spearman, 10);
    const whitened = JSON.parse((await cli('eval-pairs', pairs, '--space', 'whitened', '--json')).stdout);
    expect(whitened.spearman).toBeCloseTo(rows[1].spearman, 10);
    const analogies = JSON.parse((await cli('eval-analogies', join(fixtures, 'analogies-small.txt'), '--space', 'abtt:3', '--json')).stdout);
    expect(analogies.space).toBe('abtt:3');
  });

  it('stats --space S --compare puts the raw space beside S', async () => {
    const out = JSON.parse((await cli('stats', '--space', 'whitened', '--compare', '--json')).stdout);
    expect(Object.keys(out)).toEqual(['raw', 'whitened']);
    expect(out.raw.space).toBe('raw');
    expect(out.raw.meanPairCosine).toBeGreaterThan(0.02);
    expect(Math.abs(out.whitened.meanPairCosine)).toBeLessThan(0.25 * out.raw.meanPairCosine);
    const text = (await cli('stats', '--space', 'abtt:3', '--compare')).stdout;
    expect(text.split('\n')[0]).toMatch(/raw\s+abtt:3/);
    expect(text).toMatch(/meanPairCosine/);
  });

  it('misused new options exit 2 naming the option', async () => {
    const spaces = await cli('neighbors', 'king', '--spaces', 'raw,centered');
    expect(spaces.code).toBe(2);
    expect(spaces.stderr).toMatch(/--spaces is for eval-analogies/);
    expect((await cli('eval-analogies', join(fixtures, 'analogies-small.txt'), '--spaces', 'raw,,centered')).code).toBe(2);
    expect((await cli('expr', 'king', '--compare')).code).toBe(2);
    const method = await cli('analogy', 'man', 'king', 'woman', '--method', 'cosine');
    expect(method.code).toBe(2);
    expect(method.stderr).toMatch(/--method must be 3cosadd or 3cosmul/);
    const badSpace = await cli('eval-analogies', join(fixtures, 'analogies-small.txt'), '--spaces', 'raw,sideways');
    expect(badSpace.code).toBe(1);
    expect(badSpace.stderr).toMatch(/sideways/);
  });
});

