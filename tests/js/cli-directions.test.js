// Issue 9's CLI commands as a user runs them: direction, --neutralise on
// the query commands, contributions, odd-one-out's to-others column and
// the navigator's path, each printing real numbers from the 50k table.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli } from './helpers.js';

describe('cli: directions', () => {
  it('direction ranks a --list along a preset and reports consistency', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-dir-'));
    const list = join(dir, 'occupations.txt');
    writeFileSync(list, 'nurse engineer\nlibrarian, carpenter\nnotaword123\n');
    const { code, stdout, stderr } = await cli('direction', 'he:she,man:woman,his:her', '--list', list, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.consistency).toBeGreaterThan(0);
    expect(out.consistency).toBeLessThanOrEqual(1);
    expect(out.pairs.map((p) => p.from)).toEqual(['he', 'man', 'his']);
    expect(out.listed.map((r) => r.word).sort()).toEqual(['carpenter', 'engineer', 'librarian', 'nurse']);
    expect(out.missing).toEqual(['notaword123']);
    const at = (w) => out.listed.find((r) => r.word === w).score;
    expect(at('nurse')).toBeGreaterThan(at('carpenter'));
    const text = (await cli('direction', 'gender', '-k', '5', '--words', '20000')).stdout;
    expect(text).toMatch(/consistency 0\.\d{4}/);
    expect(text).toMatch(/most "woman" of the 20000 most frequent words:/);
    console.log(text);
  });

  it('--neutralise prints an analogy before and after, with the words that moved', async () => {
    const { code, stdout } = await cli('analogy', 'man', 'king', 'woman', '--neutralise', 'gender', '--space', 'centered', '--json', '-k', '5');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.before.space).toBe('centered');
    expect(out.after.space).toMatch(/^centered~man:woman,he:she,/);
    expect(out.before.results[0].word).toBe('queen');
    const before = out.before.results.map((r) => r.word), after = out.after.results.map((r) => r.word);
    expect(out.entered).toEqual(after.filter((w) => !before.includes(w)));
    expect(out.left).toEqual(before.filter((w) => !after.includes(w)));
    const text = (await cli('neighbors', 'nurse', '--neutralise', 'he:she', '-k', '5')).stdout;
    expect(text).toMatch(/entered the top 5:/);
    console.log(text);
    // A neutralised space is also a plain --space for any command.
    const sim = JSON.parse((await cli('similarity', 'he', 'she', '--space', 'raw~he:she', '--json')).stdout);
    expect(sim.score).toBeGreaterThan(0.95);
  });

  it('contributions add up to the cosine that similarity prints', async () => {
    const out = JSON.parse((await cli('contributions', 'cat', 'dog', '--json')).stdout);
    const sim = JSON.parse((await cli('similarity', 'cat', 'dog', '--json')).stdout);
    expect(out.cosine).toBeCloseTo(sim.score, 5);
    expect(out.bars.length).toBe(100);
    expect(out.bars.reduce((s, b) => s + b.product, 0)).toBeCloseTo(out.cosine, 5);
    expect(out.bars[99].share).toBeCloseTo(1, 5);
    const text = (await cli('contributions', 'king - man + woman', 'queen', '-k', '5')).stdout;
    expect(text).toMatch(/^cos\("king - man \+ woman", "queen"\) = 0\.\d{4}/);
    console.log(text);
  });

  it('odd-one-out shows the cosine to all and to the others', async () => {
    const out = JSON.parse((await cli('odd-one-out', 'breakfast', 'lunch', 'dinner', 'car', '--json')).stdout);
    expect(out.odd).toBe('car');
    expect(out.results[0]).toEqual({ word: 'car', score: expect.any(Number), toOthers: expect.any(Number) });
    expect(out.results[0].toOthers).toBeLessThan(out.results[1].toOthers);
  });

  it('path prints the navigator path, and --pick a seeded puzzle that long', async () => {
    const { code, stdout } = await cli('path', 'king', 'car', '--words', '3000', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.path[0]).toBe('king');
    expect(out.path.at(-1)).toBe('car');
    expect(out.hops).toBe(out.path.length - 1);
    const picked = JSON.parse((await cli('path', '--pick', '3', '--seed', '11', '--words', '3000', '--json')).stdout);
    expect(picked.hops).toBe(3);
    console.log((await cli('path', 'king', 'car', '--words', '3000')).stdout);
  });

  it('misuse exits 2 naming the problem', async () => {
    expect((await cli('direction')).code).toBe(2);
    expect((await cli('direction', 'nosuchpreset')).stderr).toMatch(/unknown preset "nosuchpreset"/);
    expect((await cli('stats', '--neutralise', 'gender')).stderr).toMatch(/--neutralise is for neighbors, analogy and expr/);
    expect((await cli('path', 'cat')).code).toBe(2);
    const unknown = await cli('neighbors', 'cat', '--space', 'raw~he:zzqxq');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown word "zzqxq"/);
  });
});
