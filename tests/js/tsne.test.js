// t-SNE through the wrapper, on the real .wasm and the real 50k table:
// word groups come out as clusters, runs are seeded, sessions free their
// memory, and bad input comes back as ExplorerError.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer, ExplorerError } from '../../wasm/js/explorer.js';
import { defaultTable } from './paths.js';

// Obvious groups, every word checked to be in the 50k table (ambiguous
// words such as "orange" kept in one group only).
const GROUPS = {
  numbers:
    'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion',
  countries:
    'france germany italy spain portugal poland sweden norway finland denmark netherlands belgium austria switzerland greece turkey russia ukraine china japan india pakistan indonesia vietnam thailand egypt nigeria kenya brazil argentina chile peru mexico canada australia',
  animals:
    'dog cat horse cow pig sheep goat rabbit mouse rat deer wolf fox bear lion tiger elephant giraffe zebra monkey gorilla camel donkey squirrel hamster kangaroo leopard cheetah rhinoceros otter beaver raccoon hedgehog moose',
  colours: 'red blue green yellow purple pink brown gray grey violet crimson scarlet turquoise beige maroon magenta indigo lavender teal',
  months:
    'january february march april june july august september october november december monday tuesday wednesday thursday friday saturday sunday',
  family:
    'mother father sister brother son daughter aunt uncle cousin grandmother grandfather wife husband niece nephew grandson granddaughter stepmother stepfather mom dad grandparents parents siblings',
  body: 'arm leg foot finger toe knee elbow shoulder neck chest stomach ear eye nose mouth lip tongue tooth teeth chin cheek forehead wrist ankle hip thumb spine',
  sports:
    'football soccer basketball baseball tennis golf hockey rugby cricket volleyball swimming cycling boxing wrestling skiing rowing badminton softball lacrosse handball snowboarding fencing archery gymnastics',
  fruits:
    'apple banana orange grape lemon lime cherry strawberry peach pear plum mango pineapple watermelon melon apricot raspberry blueberry coconut kiwi papaya fig pomegranate grapefruit avocado cranberry',
  elements:
    'hydrogen helium lithium carbon nitrogen oxygen neon sodium magnesium aluminum silicon phosphorus sulfur chlorine potassium calcium iron copper zinc silver platinum uranium titanium nickel cobalt',
};
const words = [];
const group = [];
for (const [name, text] of Object.entries(GROUPS)) {
  for (const w of text.split(' ')) {
    words.push(w);
    group.push(name);
  }
}

let explorer;

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  explorer.load(readFileSync(defaultTable));
});

// Mean share of each word's k nearest embedded neighbours in its group.
function sameGroupShare(positions, k) {
  const n = positions.length / 3;
  let share = 0;
  for (let i = 0; i < n; i++) {
    const order = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = positions[3 * i] - positions[3 * j];
      const dy = positions[3 * i + 1] - positions[3 * j + 1];
      const dz = positions[3 * i + 2] - positions[3 * j + 2];
      order.push([dx * dx + dy * dy + dz * dz, j]);
    }
    order.sort((a, b) => a[0] - b[0]);
    share += order.slice(0, k).filter(([, j]) => group[j] === group[i]).length / k;
  }
  return share / n;
}

describe('t-SNE', () => {
  it('clusters word groups', () => {
    const started = performance.now();
    const session = explorer.tsne(words, { seed: 7 });
    try {
      expect(session.size).toBe(words.length);
      expect(session.words).toEqual(words);
      const { iteration, positions } = session.step(1000);
      const seconds = (performance.now() - started) / 1000;
      expect(iteration).toBe(1000);
      expect(session.iteration).toBe(1000);
      expect(positions).toBeInstanceOf(Float32Array);
      expect(positions.length).toBe(3 * words.length);
      expect(positions.every(Number.isFinite)).toBe(true);
      const share = sameGroupShare(positions, 3);
      const counts = Object.values(GROUPS).map((t) => t.split(' ').length);
      const chance = counts.reduce((s, c) => s + (c / words.length) * ((c - 1) / (words.length - 1)), 0);
      console.log(
        `t-SNE of ${words.length} words in ${counts.length} groups, 1,000 iterations in ${seconds.toFixed(2)} s: ` +
          `same-group share of 3 nearest ${share.toFixed(3)} (chance ${chance.toFixed(3)}), KL ${session.klDivergence().toFixed(3)}`,
      );
      expect(share).toBeGreaterThan(0.7);
      expect(share).toBeGreaterThan(5 * chance);
    } finally {
      session.dispose();
    }
  });

  it('is seeded and progressive', () => {
    const some = words.slice(0, 120);
    const a = explorer.tsne(some, { seed: 3 });
    const b = explorer.tsne(some, { seed: 3 });
    const c = explorer.tsne(some, { seed: 4 });
    try {
      const one = a.step(200).positions;
      b.step(50);
      const two = b.step(150);
      expect(two.iteration).toBe(200);
      expect(Array.from(two.positions)).toEqual(Array.from(one));
      expect(Array.from(c.step(200).positions)).not.toEqual(Array.from(one));
      // Zero iterations: the current layout again.
      expect(Array.from(a.step(0).positions)).toEqual(Array.from(one));
    } finally {
      a.dispose();
      b.dispose();
      c.dispose();
    }
  });

  it('frees its memory on dispose, errors included', () => {
    const warm = explorer.tsne(words.slice(0, 50));
    warm.step(10);
    warm.dispose();
    const before = explorer.heapInUse();
    for (let round = 0; round < 3; round++) {
      const session = explorer.tsne(words, { seed: round });
      session.step(20);
      session.klDivergence();
      session.dispose();
      expect(() => explorer.tsne(['one'])).toThrow(ExplorerError);
      expect(() => explorer.tsne(['one', 'two'], { theta: 2 })).toThrow(ExplorerError);
    }
    expect(explorer.heapInUse()).toBe(before);
  });

  it('reports bad input as ExplorerError', () => {
    const code = (fn) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ExplorerError);
        return error.code;
      }
      return 'no error';
    };
    expect(code(() => explorer.tsne(['one', 'twoo']))).toBe('UNKNOWN_WORD');
    expect(code(() => explorer.tsne(['one']))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne([]))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(Array.from({ length: 10001 }, (_, i) => i)))).toBe('TOO_LARGE');
    expect(code(() => explorer.tsne(['one', 'two'], { perplexity: 0 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(['one', 'two'], { seed: -1 }))).toBe('BAD_ARGUMENT');
    expect(code(() => explorer.tsne(['one', 'two'], { theta: Number.NaN }))).toBe('BAD_ARGUMENT');
    const session = explorer.tsne(['one', 'two', 'three']);
    expect(code(() => session.step(-1))).toBe('BAD_ARGUMENT');
    session.dispose();
    expect(code(() => session.step(1))).toBe('BAD_ARGUMENT');
    session.dispose(); // twice is harmless
  });
});
