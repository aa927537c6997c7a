// Named axes: the shipped presets (data/axis-presets.txt), the axes text a
// link carries, the core's pair rule against a float32 reference written
// here, and the CLI's `project` command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { coreAxis, cosineTicks, parseAxisPresets, parseNamedAxes } from '../../wasm/js/axis-presets.js';
import { viewParams } from '../../web/src/ui/url-state.js';
import { DEFAULT_VIEW, normalizeView } from '../../web/src/ui/view-state.js';
import { runCli } from './helpers.js';
import { defaultTable, repoRoot } from './paths.js';

const presets = parseAxisPresets(readFileSync(join(repoRoot, 'data', 'axis-presets.txt'), 'utf8'));
let explorer;

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

/** The unit vector of a word, from its dequantized raw vector (float32 math from here on). */
function unit(word) {
  const v = Float32Array.from(explorer.lookup(word).vector);
  const n = Math.fround(Math.hypot(...v));
  return v.map((x) => Math.fround(x / n));
}
const dot = (a, b) => a.reduce((sum, x, i) => Math.fround(sum + Math.fround(x * b[i])), 0);
const normalised = (v) => {
  const n = Math.sqrt(dot(v, v));
  return v.map((x) => Math.fround(x / n));
};

/** float32 reference: the mean of the normalised pair differences, normalised. */
function pairDirection(pairs) {
  const sum = new Float32Array(unit(pairs[0][0]).length);
  for (const [from, to] of pairs) {
    const u = unit(from), w = unit(to);
    normalised(w.map((x, k) => x - u[k])).forEach((x, k) => (sum[k] += x));
  }
  return normalised(sum);
}

describe('the shipped axis presets', () => {
  it('are the seven the issue names, each with >= 15 pairs, every word in the 50k table', () => {
    expect(presets.map((p) => p.name)).toEqual(['gender', 'age', 'royalty', 'number', 'tense', 'capital', 'plural']);
    const missing = [];
    for (const preset of presets) {
      expect(preset.pairs.length, preset.name).toBeGreaterThanOrEqual(15);
      for (const word of preset.pairs.flat()) if (explorer.find(word) < 0) missing.push(`${preset.name}: ${word}`);
    }
    expect(missing).toEqual([]);
  });

  it('run the way their labels say: every preset puts its own "to" words above its "from" words', () => {
    for (const preset of presets) {
      const axis = parseNamedAxes(preset.name, presets)[0];
      const words = [...new Set(preset.pairs.flat())];
      const { coordinates } = explorer.project(words, { method: 'axes', axes: [coreAxis(axis)] });
      const x = new Map(words.map((w, i) => [w, coordinates[i * 3]]));
      const agree = preset.pairs.filter(([from, to]) => x.get(to) > x.get(from)).length;
      console.log(`${preset.name}: ${agree}/${preset.pairs.length} pairs run from "${preset.fromLabel}" to "${preset.toLabel}"`);
      expect(agree / preset.pairs.length, preset.name).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe('axes text', () => {
  it('reads presets, pairs and word sets', () => {
    const [gender, pairs, sets] = parseNamedAxes('gender|man:king;woman:queen|man,boy:woman,girl', presets);
    expect(gender).toMatchObject({ name: 'gender', fromLabel: 'male', toLabel: 'female', pairs: true });
    expect(gender.from.length).toBe(gender.to.length);
    expect(pairs).toMatchObject({ from: ['man', 'woman'], to: ['king', 'queen'], pairs: true });
    expect(sets).toMatchObject({ from: ['man', 'boy'], to: ['woman', 'girl'], pairs: false });
    expect(parseNamedAxes('capital', presets)[0].name).toBe('capital–country');
  });

  it('names what is wrong', () => {
    expect(() => parseNamedAxes('gendre', presets)).toThrow(/unknown axis preset "gendre".*gender, age/);
    expect(() => parseNamedAxes('gender|age|tense|plural', presets)).toThrow(/at most 3 axes, got 4/);
    expect(() => parseNamedAxes('man:woman;king', presets)).toThrow(/"king" is not a word pair/);
    expect(() => parseNamedAxes('man:', presets)).toThrow(/needs words at both ends/);
    expect(() => parseNamedAxes('gender||age', presets)).toThrow(/empty/);
    expect(() => parseAxisPresets(': broken\nman woman')).toThrow(/line 1.*NAME FROM-LABEL TO-LABEL/);
    expect(() => parseAxisPresets(': a x y\nman woman king')).toThrow(/line 2: expected two words/);
  });

  it('ticks every 0.1 over a typical range, always through 0', () => {
    expect(cosineTicks(-0.31, 0.42)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4]);
    expect(cosineTicks(0.12, 0.3)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(cosineTicks(-0.9, 0.95)).toEqual([-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8]);
  });
});

describe('axes in a link', () => {
  it('alone, selects the axes view; beside another projection, the link says which', () => {
    expect(normalizeView({ axes: 'gender|royalty' }).view).toMatchObject({ proj: 'axes', axes: 'gender|royalty' });
    expect(normalizeView({ axes: 'gender', proj: 'tsne' }).view.proj).toBe('tsne');
    // A change from the page keeps the projection it had.
    expect(normalizeView({ axes: 'age' }, { ...DEFAULT_VIEW, proj: 'pca' }).view.proj).toBe('pca');
    const link = viewParams({ ...DEFAULT_VIEW, proj: 'pca', axes: 'gender' });
    expect(Object.fromEntries(link)).toEqual({ proj: 'pca', axes: 'gender' });
    expect(normalizeView(Object.fromEntries(link)).view.proj).toBe('pca');
    expect(Object.fromEntries(viewParams({ ...DEFAULT_VIEW }))).toEqual({});
  });
});

describe('an axis from pairs in the core', () => {
  const words = ['king', 'queen', 'man', 'woman', 'boy', 'girl', 'paris', 'apple', 'she', 'he'];

  it('is the mean of the normalised pair differences, in cosine units (float32 reference)', () => {
    const axis = parseNamedAxes('gender', presets)[0];
    const direction = pairDirection(axis.from.map((f, i) => [f, axis.to[i]]));
    const { coordinates } = explorer.project(words, { method: 'axes', axes: [coreAxis(axis)] });
    let worst = 0;
    words.forEach((w, i) => (worst = Math.max(worst, Math.abs(coordinates[i * 3] - dot(unit(w), direction)))));
    console.log(`gender axis vs float32 reference: max |error| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });

  it('differs from the two-set rule (which weighs long offsets more)', () => {
    const axis = parseNamedAxes('capital', presets)[0];
    const asPairs = explorer.project(words, { method: 'axes', axes: [coreAxis(axis)] }).coordinates;
    const asSets = explorer.project(words, { method: 'axes', axes: [{ ...coreAxis(axis), pairs: false }] }).coordinates;
    const gap = Math.max(...words.map((_, i) => Math.abs(asPairs[i * 3] - asSets[i * 3])));
    expect(gap).toBeGreaterThan(1e-3);
  });
});

describe('cli project', () => {
  it('prints each word along the axes in cosine units; one pair man:woman separates them by |u_woman - u_man|', async () => {
    const out = await runCli('project', 'man', 'woman', 'king', 'queen', '--axes', 'man:woman|royalty', '--json');
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.units).toBe('cosine');
    expect(result.axes.map((a) => a.name)).toEqual(['man → woman', 'royalty', 'residual PCA 1']);
    // Each axis's share of the four words' variance (the core's test checks the formula against float32).
    for (const axis of result.axes) {
      expect(axis.explained).toBeGreaterThan(0);
      expect(axis.explained).toBeLessThanOrEqual(1);
    }
    const x = Object.fromEntries(result.words.map((w) => [w.word, w.coordinates[0]]));
    const y = Object.fromEntries(result.words.map((w) => [w.word, w.coordinates[1]]));
    // (u_w - u_m) . (u_w - u_m) / |u_w - u_m| = sqrt(2 - 2 cos(man, woman))
    expect(x.woman - x.man).toBeCloseTo(Math.sqrt(2 - 2 * explorer.similarity('man', 'woman')), 3);
    expect(y.king).toBeGreaterThan(y.man);
    expect(y.queen).toBeGreaterThan(y.woman);
  });

  it('takes --words N frequent words and comma-separated presets as text', async () => {
    const out = await runCli('project', '--axes', 'gender,royalty', '--words', '12');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/x: gender \(male → female\), [\d.]+ % of the words' variance; y: royalty \(common → royal\), [\d.]+ % of the words' variance; z: residual PCA 1, [\d.]+ % of the words' variance$/);
    expect(lines).toHaveLength(2 + 12);
    expect(lines[2].split(/\s+/)[0]).toBe('the');
  });

  it('names a bad axis or a missing --axes', async () => {
    const bad = await runCli('project', 'king', 'queen', '--axes', 'gendre');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--axes: unknown axis preset "gendre"/);
    const none = await runCli('project', 'king', 'queen');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/project needs --axes/);
  });
});
