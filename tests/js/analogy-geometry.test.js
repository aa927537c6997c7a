// The analogy view's figures through the wrapper, on the real 50k table,
// against a float32 reference computed here from the table's own vectors
// (lookup(word).vector, normalised): the computed point, its nearest word
// with nothing excluded, the offsets' full-space cosine, the plane layout,
// and the offset consistency of a relation. The issue's figures
// (king−man vs queen−woman 0.760, swimming−swim vs running−run 0.136,
// king first at 0.837 with the inputs included) are checked too.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, ErrorCode } from '../../wasm/js/explorer.js';
import { relationPairs } from '../../wasm/js/relation-pairs.js';
import { catchError, runCli } from './helpers.js';
import { defaultTable, repoRoot } from './paths.js';

let explorer;
const builtin = readFileSync(`${repoRoot}/data/analogies-builtin.txt`, 'utf8');

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

const unit = (word) => {
  const v = Float32Array.from(explorer.lookup(word).vector);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const sub = (x, y) => x.map((v, i) => v - y[i]);
const dot = (x, y) => x.reduce((s, v, i) => s + v * y[i], 0);
const cos = (x, y) => dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
const offsetCosine = (a, b, c, d) => cos(sub(unit(b), unit(a)), sub(unit(d), unit(c)));

describe('analogyGeometry', () => {
  it('matches a float32 reference for king − man + woman, and gives the issue figures', () => {
    const g = explorer.analogyGeometry({ a: 'man', b: 'king', c: 'woman', words: ['man', 'king', 'woman', 'queen'] });
    const point = unit('king').map((v, i) => v - unit('man')[i] + unit('woman')[i]);
    for (let i = 0; i < point.length; i++) expect(g.point[i]).toBeCloseTo(point[i], 5);
    expect(g.pointNorm).toBeCloseTo(Math.hypot(...point), 5);
    expect(g.corners).toMatchObject({ a: 'man', b: 'king', c: 'woman', d: 'queen' });
    expect(g.offsetCosine).toBeCloseTo(offsetCosine('man', 'king', 'woman', 'queen'), 5);
    expect(g.offsetCosine.toFixed(3)).toBe('0.760');
    // Nothing excluded: king is nearest, at the cosine "include inputs" shows first.
    expect(g.nearest.word).toBe('king');
    expect(g.nearest.score).toBeCloseTo(cos(point, unit('king')), 3);
    expect(g.nearest.score.toFixed(3)).toBe('0.837');
    const included = explorer.analogy('man', 'king', 'woman', { includeInputs: true, k: 1 }).results[0];
    expect(included.word).toBe('king');
    expect(included.score).toBeCloseTo(g.nearest.score, 5);
    console.log(`king - man + woman: |point| ${g.pointNorm.toFixed(3)}, nearest ${g.nearest.word} ${g.nearest.score.toFixed(3)}, offsets cos ${g.offsetCosine.toFixed(3)}`);
  });

  it('lays out the plane of a, b, c true to shape, with the computed point on the fourth corner', () => {
    const words = ['man', 'king', 'woman', 'queen', 'monarch', 'prince'];
    const g = explorer.analogyGeometry({ a: 'man', b: 'king', c: 'woman', words });
    expect(g.layout).toBe('plane');
    expect(g.coordinates.length).toBe((words.length + 1) * 3);
    const at = (i) => Array.from(g.coordinates.slice(3 * i, 3 * i + 3));
    const [a, b, c] = [at(0), at(1), at(2)];
    const q = at(words.length);
    for (let k = 0; k < 3; k++) expect(q[k]).toBeCloseTo(b[k] - a[k] + c[k], 4);
    // The angle at a and the lengths of a→b, a→c are those of the full space.
    const ab = sub(unit('king'), unit('man'));
    const ac = sub(unit('woman'), unit('man'));
    expect(cos(sub(b, a), sub(c, a))).toBeCloseTo(cos(ab, ac), 4);
    expect(Math.hypot(...sub(b, a))).toBeCloseTo(Math.hypot(...ab), 4);
    expect(Math.hypot(...sub(c, a))).toBeCloseTo(Math.hypot(...ac), 4);
  });

  it('gives the swimming − swim + run and paris − france + italy offsets, from an expression too', () => {
    const swim = explorer.analogyGeometry({ a: 'swim', b: 'swimming', c: 'run', answer: 'running' });
    expect(swim.offsetCosine).toBeCloseTo(offsetCosine('swim', 'swimming', 'run', 'running'), 5);
    expect(swim.offsetCosine.toFixed(3)).toBe('0.136');
    const paris = explorer.analogyGeometry({ text: 'paris - france + italy' });
    expect(paris.corners).toMatchObject({ a: 'france', b: 'paris', c: 'italy', d: 'rome' });
    expect(paris.offsetCosine).toBeCloseTo(offsetCosine('france', 'paris', 'italy', 'rome'), 5);
    // An expression that is not b − a + c has a point but no offsets, and a PCA layout.
    const mean = explorer.analogyGeometry({ text: '0.5*paris + 0.5*rome', words: ['paris', 'rome', 'milan'] });
    expect(mean.corners).toBeNull();
    expect(mean.offsetCosine).toBeNull();
    expect(mean.layout).toBe('pca');
    expect(mean.pointNorm).toBeCloseTo(Math.hypot(...unit('paris').map((v, i) => 0.5 * v + 0.5 * unit('rome')[i])), 5);
  });

  it('refuses bad input with clear errors and keeps answering', () => {
    expect(catchError(() => explorer.analogyGeometry({ a: 'man', b: 'kingg', c: 'woman' })).code).toBe(ErrorCode.UNKNOWN_WORD);
    expect(catchError(() => explorer.analogyGeometry({ a: 'man', b: 'king' })).message).toMatch(/needs a, b and c/);
    expect(catchError(() => explorer.analogyGeometry({ text: 'king - king' })).code).toBe(ErrorCode.ZERO_QUERY);
    expect(catchError(() => explorer.analogyGeometry({ a: 'man', b: 'king', c: 'woman', layout: 'tsne' })).message).toMatch(/unknown layout "tsne"/);
    expect(explorer.analogyGeometry({ a: 'man', b: 'king', c: 'woman' }).corners.d).toBe('queen');
  });
});

describe('offset consistency', () => {
  it('each pair against the mean offset matches float32, for the gender section', () => {
    const report = explorer.relationOffsets(builtin, 'gender');
    const { pairs } = relationPairs(builtin, 'gender');
    expect(report.section).toBe('gender');
    expect(report.pairs.length + report.skipped.length).toBe(pairs.length);
    expect(report.pairs.length).toBeGreaterThan(10);
    const offsets = report.pairs.map((p) => sub(unit(p.to), unit(p.from)));
    const mean = offsets[0].map((_, k) => offsets.reduce((s, o) => s + o[k], 0) / offsets.length);
    report.pairs.forEach((p, i) => {
      expect(p.cosine).toBeCloseTo(cos(offsets[i], mean), 5);
      expect(p.length).toBeCloseTo(Math.hypot(...offsets[i]), 5);
    });
    expect(report.meanLength).toBeCloseTo(Math.hypot(...mean), 5);
    const sorted = [...report.pairs].sort((x, y) => y.cosine - x.cosine);
    console.log(`gender offsets to the mean: ${sorted.map((p) => `${p.to}-${p.from} ${p.cosine.toFixed(3)}`).join(', ')}`);
  });

  it('names the sections when one is unknown or ambiguous', () => {
    expect(catchError(() => explorer.relationOffsets(builtin, 'colours')).message).toMatch(/no section "colours".*gender/);
    expect(catchError(() => explorer.relationOffsets(builtin, 'ative')).message).toMatch(/matches comparative, superlative/);
    expect(explorer.relationOffsets(builtin, 'tense').section).toBe('past-tense');
    expect(catchError(() => explorer.offsetConsistency([['king', 'queen']])).message).toMatch(/at least two pairs/);
    expect(relationPairs(': r\nman king woman queen\nman king boy prince\n', 'r').pairs).toEqual([['man', 'king'], ['woman', 'queen'], ['boy', 'prince']]);
  });
});

describe('the CLI', () => {
  it('analogy --geometry and expr --geometry print the point, its nearest word and the offsets', async () => {
    const { code, stdout } = await runCli('analogy', 'man', 'king', 'woman', '--geometry');
    expect(code).toBe(0);
    expect(stdout).toMatch(/computed point\s+king - man \+ woman\n/);
    expect(stdout).toMatch(/nearest word\s+king \(cosine 0\.837, nothing excluded\)/);
    expect(stdout).toMatch(/man->king vs woman->queen: cosine 0\.760 \(40\.5 degrees apart\)/);
    // The second offset ends at --expected when given, else at the top answer.
    const json = JSON.parse((await runCli('analogy', 'swim', 'swimming', 'run', '--expected', 'running', '--geometry', '--json')).stdout);
    expect(json.offsets).toMatchObject({ first: 'swim->swimming', second: 'run->running' });
    expect(json.offsets.cosine.toFixed(3)).toBe('0.136');
    const expr = JSON.parse((await runCli('expr', 'paris - france + italy', '--geometry', '--json')).stdout);
    expect(expr.offsets.second).toBe('italy->rome');
    expect(expr.nearest.word).toBeTypeOf('string');
    console.log(stdout.trim());
  });

  it('offsets --section prints the sorted bars, and names a bad section', async () => {
    const { code, stdout } = await runCli('offsets', '--section', 'gender');
    expect(code).toBe(0);
    const values = stdout.trim().split('\n').slice(1).map((line) => Number(line.trim().split(/\s+/)[3]));
    expect(values.length).toBeGreaterThan(10);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    const bad = await runCli('offsets', '--section', 'colours');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no section "colours"/);
    expect((await runCli('offsets')).code).toBe(2);
    console.log(stdout.split('\n').slice(0, 4).join('\n'));
  });
});
