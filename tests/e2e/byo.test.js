// Bring-your-own embeddings and the evaluation lab, in the built page in
// Chromium: every format through the file input, bad files, markup in
// labels, the built-in analogy benchmark, cancel, and the page's parse
// throughput (printed, not asserted: it depends on the machine).
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingExplorer } from '../../wasm/js/explorer.js';
import { repoRoot } from '../js/paths.js';
import { launchBrowser, pageOpener, resultWords, waitReady } from './browser.js';
import { SUB_PATH, startServer } from './server.js';

const fixtures = join(repoRoot, 'tests', 'fixtures', 'formats');
const fixture = (name) => join(fixtures, name);
// The fixtures' four clusters of ten (tests/fixtures/formats/README.md).
const ANIMALS = ['cat', 'dog', 'horse', 'cow', 'sheep', 'mouse', 'lion', 'tiger', 'wolf', 'rabbit'];
const XSS_LABEL = '<img src=x onerror="window.__xss=1">';

let server;
let browser;
let scratch;
const problems = [];
const openPage = pageOpener(() => browser, () => server.origin, problems);

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'byo-e2e-'));
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function openExplorer() {
  const page = await openPage(`${SUB_PATH}index.html?word=frog`);
  await waitReady(page);
  return page;
}

const loadsDone = (page) => page.evaluate(() => Number(document.body.dataset.tableLoads ?? 0));

/** Chooses the files, presses Load, and waits for the report (or the error). */
async function loadThroughInput(page, { table, vocab = [], metadata = [], format = '', keepFloats = false }) {
  const before = await loadsDone(page);
  await page.setInputFiles('#vocab-file', vocab);
  await page.setInputFiles('#metadata-file', metadata);
  await page.selectOption('#table-format', format);
  await page.setInputFiles('#table-file', table);
  if (keepFloats) await page.check('#keep-floats');
  else await page.uncheck('#keep-floats');
  // The safetensors picker is filled from the header before Load (or the header is refused).
  if (/\.safetensors$/.test(table)) {
    await page.waitForFunction(() => document.querySelector('#tensor option') || !document.querySelector('#load-error').hidden);
  }
  await page.click('#load-table');
  await page.waitForFunction(
    (n) => Number(document.body.dataset.tableLoads ?? 0) > n || !document.querySelector('#load-error').hidden,
    before,
    { timeout: 120_000 },
  );
  const error = await page.locator('#load-error:not([hidden])').count();
  if (error) return { error: await page.locator('#load-error').textContent() };
  const figures = Object.fromEntries(
    await page.locator('#load-report-figures tr').evaluateAll((rows) => rows.map((r) => [r.dataset.figure, r.querySelector('td').textContent])),
  );
  return { figures };
}

async function neighbours(page, word) {
  await page.fill('#search', word);
  await page.click('#search-form button[type="submit"]');
  await page.waitForFunction(
    (w) =>
      document.querySelector('#results-caption')?.textContent === `nearest to ${w}` ||
      (!document.querySelector('#message').hidden && document.querySelector('#message').textContent.includes(w)),
    word,
  );
  return page.locator('#results li').evaluateAll((items) => items.map((li) => ({ token: li.dataset.word, shown: li.querySelector('.word').textContent })));
}

const CASES = [
  { name: 'GloVe text', table: 'words.txt', format: 'text', words: 40 },
  { name: 'fastText .vec', table: 'words.vec', format: 'text', words: 40 },
  { name: 'word2vec binary', table: 'words.bin', format: 'word2vec-bin', words: 40 },
  { name: 'Projector TSV + metadata', table: 'vectors.tsv', metadata: ['metadata.tsv'], format: 'tsv', words: 41 },
  { name: 'npy float32 + vocab.txt', table: 'table.npy', vocab: ['vocab.txt'], format: 'npy', words: 40 },
  { name: 'npy float16 + vocab.txt', table: 'table-f16.npy', vocab: ['vocab.txt'], format: 'npy', words: 40 },
  { name: 'safetensors F32 + tokenizer.json', table: 'model.safetensors', vocab: ['tokenizer.json'], format: 'safetensors', words: 44 },
  { name: 'safetensors BF16 + tokenizer.json', table: 'model-bf16.safetensors', vocab: ['tokenizer.json'], format: 'safetensors', words: 44 },
  { name: 'own .emb', table: 'table.emb', format: 'embq', words: 40 },
];

describe('loading a table of each format through the file input', () => {
  it('reports the quantization and answers from the loaded table', async () => {
    const page = await openExplorer();
    for (const c of CASES) {
      const out = await loadThroughInput(page, {
        table: fixture(c.table),
        vocab: (c.vocab ?? []).map(fixture),
        metadata: (c.metadata ?? []).map(fixture),
      });
      expect(out.error, c.name).toBeUndefined();
      const f = out.figures;
      console.log(`${c.name}: ${f.words} words, ${f.dimensions} dims, recall@10 ${f['recall@10, int8 vs float32']}`);
      expect(f.file, c.name).toContain(`${c.table} (${c.format})`);
      expect(f.words, c.name).toBe(String(c.words));
      expect(f.dimensions, c.name).toBe('16');
      expect(f['float32 bytes'], c.name).toMatch(/\d/);
      expect(f['duplicates dropped'], c.name).toBe('0');
      if (c.format !== 'embq') expect(f['recall@10, int8 vs float32'], c.name).toMatch(/^(0\.\d+|1\.000) over \d+ seeded queries$/);
      expect(await page.locator('#load-text').textContent()).toMatch(new RegExp(`^${c.words} words × 16 dimensions`));
      const results = await neighbours(page, 'cat');
      expect(results.length, c.name).toBe(10);
      // Nine other animals first (the TSV's markup label sits in the animal
      // cluster): the table answering is the loaded one.
      expect(results.slice(0, 9).map((r) => r.token).every((w) => ANIMALS.includes(w) || w === XSS_LABEL), c.name).toBe(true);
    }
    await page.close();
  }, 240_000);

  it('shows subword tokens readably while queries use the tokens as they are', async () => {
    const page = await openExplorer();
    const out = await loadThroughInput(page, { table: fixture('gpt2-like.safetensors'), vocab: [fixture('vocab-gpt2.txt')] });
    expect(out.error).toBeUndefined();
    expect(out.figures.words).toBe('44');
    expect(await page.inputValue('#tensor')).toBe('wte.weight');
    const results = await neighbours(page, 'Ġcat');
    expect(results[0].token.startsWith('Ġ')).toBe(true);
    expect(results[0].shown).not.toContain('Ġ');
    expect(results[0].shown).toContain(results[0].token.slice(1));
    // Point labels and hover text use the readable form too.
    const labels = await page.evaluate(() => window.explorerApp.plot._labels);
    expect(labels).toContain('·cat');
    expect(labels).not.toContain('Ġcat');
    // Presets for GloVe words now name unknown words inline; the page keeps answering.
    await page.getByRole('button', { name: 'king − man + woman' }).click();
    await page.waitForSelector('#message:not([hidden])');
    expect(await page.locator('#message').textContent()).toMatch(/unknown word/);
    expect((await neighbours(page, 'Ġdog')).length).toBe(10);
    await page.close();
  });

  it('draws the words of a group that the loaded table has, and names the rest', async () => {
    const page = await openExplorer();
    await loadThroughInput(page, { table: fixture('words.txt') });
    await page.getByRole('button', { name: 'animals', exact: true }).click();
    await page.waitForFunction(() => /left out of the group/.test(document.getElementById('message').textContent));
    const message = await page.locator('#message').textContent();
    for (const missing of ['elephant', 'monkey', 'bear']) expect(message).toContain(missing);
    expect(message).not.toContain('lion');
    await page.waitForFunction(() => window.explorerApp.pointWords.includes('lion'));
    expect(await page.locator('#legend').textContent()).toContain('animals');
    await page.close();
  });

  it('saves the loaded table as .emb and loads it back', async () => {
    const page = await openExplorer();
    await loadThroughInput(page, { table: fixture('words.bin') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-table')]);
    expect(download.suggestedFilename()).toBe('words.emb');
    const saved = join(scratch, 'words.emb');
    await download.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 4).toString('latin1')).toBe('EMBQ');
    const again = await loadThroughInput(page, { table: saved });
    expect(again.figures.words).toBe('40');
    expect(again.figures.file).toContain('(embq)');
    expect((await neighbours(page, 'cat')).slice(0, 9).every((r) => ANIMALS.includes(r.token))).toBe(true);
    await page.close();
  });
});

describe('drag and drop', () => {
  it('loads a table dropped on the page', async () => {
    const page = await openExplorer();
    const bytes = [...readFileSync(fixture('words.vec'))];
    const drop = await page.evaluateHandle((data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'words.vec'));
      return transfer;
    }, bytes);
    await page.dispatchEvent('main', 'dragover', { dataTransfer: drop });
    await page.dispatchEvent('main', 'drop', { dataTransfer: drop });
    await page.waitForFunction(() => document.body.dataset.table === 'words.vec');
    expect(await page.locator('#load-report-figures').textContent()).toContain('words.vec (text)');
    // The form shows the dropped file in the table input.
    expect(await page.evaluate(() => document.getElementById('table-file').files[0]?.name)).toBe('words.vec');
    expect((await neighbours(page, 'cat')).slice(0, 9).every((r) => ANIMALS.includes(r.token))).toBe(true);
    await page.close();
  });
});

describe('bad input', () => {
  it('names the file and the line, and the old table keeps answering', async () => {
    const page = await openExplorer();
    const good = await loadThroughInput(page, { table: fixture('words.txt') });
    expect(good.error).toBeUndefined();
    const bad = [
      ['bad-count.txt', {}, /bad-count\.txt.*line 5/],
      ['nan.txt', {}, /nan\.txt.*line 7/],
      ['truncated.bin', {}, /truncated\.bin/],
      ['bad-magic.npy', { vocab: [fixture('vocab.txt')] }, /bad-magic\.npy/],
      ['table.npy', { vocab: [fixture('vocab-mismatch.txt')] }, /vocab-mismatch\.txt|39|40/],
      ['inf.txt', {}, /inf\.txt.*line 8/],
      ['non-utf8.txt', {}, /non-utf8\.txt.*line 4/],
      ['truncated.emb', {}, /truncated\.emb/],
      ['3d.npy', { vocab: [fixture('vocab.txt')] }, /3d\.npy/],
      ['table.npy', { vocab: [fixture('empty-vocab.txt')] }, /empty-vocab\.txt|empty/],
      ['not-2d.safetensors', { vocab: [fixture('tokenizer.json')] }, /not-2d\.safetensors/],
      ['huge-header.safetensors', { vocab: [fixture('tokenizer.json')] }, /huge-header\.safetensors/],
      ['inconsistent.safetensors', { vocab: [fixture('tokenizer.json')] }, /inconsistent\.safetensors/],
    ];
    for (const [name, extra, pattern] of bad) {
      const out = await loadThroughInput(page, { table: fixture(name), ...extra });
      console.log(`${name}: ${out.error}`);
      expect(out.error, name).toMatch(pattern);
      expect(out.error, name).toMatch(/previous table is still loaded/);
      expect(await page.evaluate(() => document.body.dataset.table)).toBe('words.txt');
      expect((await neighbours(page, 'cat')).slice(0, 9).every((r) => ANIMALS.includes(r.token)), name).toBe(true);
    }
    await page.close();
  });

  it('refuses a file over the size limit before reading it', async () => {
    const page = await openExplorer();
    // Sparse: 1.1 GB long on disk without the blocks, and the page must not read it.
    const huge = join(scratch, 'huge.txt');
    const fd = openSync(huge, 'w');
    writeSync(fd, Buffer.from('x'), 0, 1, 1.1e9);
    closeSync(fd);
    const out = await loadThroughInput(page, { table: huge });
    expect(out.error).toMatch(/huge\.txt.*limit/);
    expect((await resultWords(page)).length).toBe(10);
    expect(await neighbours(page, 'frog')).toHaveLength(10);
    await page.close();
  });

  it('shows a label containing <img src=x onerror=...> as text', async () => {
    const page = await openExplorer();
    const out = await loadThroughInput(page, { table: fixture('vectors.tsv'), metadata: [fixture('metadata.tsv')] });
    expect(out.error).toBeUndefined();
    const results = await neighbours(page, 'cat');
    expect(results.map((r) => r.shown)).toContain(XSS_LABEL);
    // Colour by the metadata's group column: the legend lists the values as text.
    await page.selectOption('#colour-by', 'group');
    await page.waitForFunction(() => document.querySelector('#legend')?.textContent.includes('markup'));
    const legend = await page.locator('#legend').textContent();
    expect(legend).toContain('animal');
    // Hovering and labelling go through textContent too: select the label's point.
    await neighbours(page, XSS_LABEL);
    expect(await page.locator('#results-caption').textContent()).toBe(`nearest to ${XSS_LABEL}`);
    await page.waitForTimeout(300);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    await page.close();
  });
});

describe('the evaluation lab', () => {
  it('runs the built-in analogy benchmark with per-section bars and a total', async () => {
    const page = await openExplorer();
    await page.click('#lab-run-analogies');
    await page.waitForFunction(() => document.querySelector('#lab-total')?.textContent.startsWith('Total:'), null, { timeout: 60_000 });
    const total = await page.locator('#lab-total').textContent();
    const bars = await page.locator('#lab-sections .bar-row').evaluateAll((rows) =>
      rows.map((r) => ({ label: r.querySelector('.bar-label').textContent, value: r.querySelector('.bar-value').textContent })),
    );
    console.log(`built-in analogies on the 50k table: ${total}`);
    console.log(bars.map((b) => `  ${b.label}: ${b.value}`).join('\n'));
    expect(bars.length).toBeGreaterThanOrEqual(8);
    expect(bars.map((b) => b.label)).toContain('capital-country');
    for (const bar of bars) expect(bar.value).toMatch(/^\d+\.\d % \(\d+\/\d+\)$/);
    const [, correct, count] = total.match(/\((\d+) of (\d+) correct/);
    expect(Number(count)).toBeGreaterThanOrEqual(200);
    expect(Number(correct) / Number(count)).toBeGreaterThan(0.5);

    // Word pairs and across spaces; the learner's space comes back.
    await page.selectOption('#space', 'centered');
    await page.setInputFiles('#lab-pairs-file', join(repoRoot, 'tests', 'fixtures', 'pairs-small.txt'));
    await page.click('#lab-run-pairs');
    await page.waitForFunction(() => document.querySelector('#lab-pairs-figures')?.textContent.includes('Spearman'));
    expect(await page.locator('#lab-pairs-figures').textContent()).toMatch(/Spearman0\.\d{3}/);
    const before = await neighbours(page, 'frog');
    await page.click('#lab-run-spaces');
    await page.waitForFunction(() => document.querySelectorAll('#lab-spaces-figures tbody tr').length === 4, null, { timeout: 120_000 });
    const spaces = await page
      .locator('#lab-spaces-figures tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.querySelector('th').textContent, ...[...r.querySelectorAll('td')].map((td) => td.textContent)]));
    console.log(`across spaces (space, analogies, Spearman, Pearson): ${spaces.map((r) => r.join(', ')).join(' | ')}`);
    for (const row of spaces) expect(row[1]).toMatch(/^\d+\.\d %$/);
    expect(spaces.map((row) => row[0])).toEqual(['raw', 'centred', 'whitened', 'all-but-the-top (D=3)']);
    // Still centred afterwards: the same neighbours as before the run.
    expect(await page.inputValue('#space')).toBe('centered');
    await neighbours(page, 'cat');
    expect(await neighbours(page, 'frog')).toEqual(before);
    await page.close();
  });

  it('runs a questions-words file the user loads, and cancels a run across spaces', async () => {
    const page = await openExplorer();
    await page.setInputFiles('#lab-analogy-file', join(repoRoot, 'tests', 'fixtures', 'analogies-small.txt'));
    await page.waitForFunction(() => document.querySelector('#lab-analogy-file-info').textContent.startsWith('analogies-small.txt'));
    expect(await page.inputValue('#lab-analogy-source')).toBe('file');
    await page.click('#lab-run-analogies');
    await page.waitForFunction(() => document.querySelector('#lab-total')?.textContent.startsWith('Total:'));
    const labels = await page.locator('#lab-sections .bar-label').allTextContents();
    expect(labels).toContain('capitals');
    expect(labels).not.toContain('capital-country');
    expect(await page.locator('#lab-total').textContent()).toMatch(/skipped/);

    // Ten copies of the built-in set: about a second per space, so the
    // cancel lands mid-run even on a busy machine.
    const builtin = readFileSync(join(repoRoot, 'data', 'analogies-builtin.txt'), 'utf8');
    const longer = join(scratch, 'ten-times.txt');
    writeFileSync(longer, builtin.repeat(10));
    await page.setInputFiles('#lab-analogy-file', longer);
    await page.waitForFunction(() => document.querySelector('#lab-analogy-file-info').textContent === 'ten-times.txt: 3120 questions, 100 sections');
    await page.selectOption('#space', 'whitened');
    const before = await neighbours(page, 'frog');
    // Cancel while it runs: as soon as the second space reports progress
    // (the whole run takes well under a second, too quick for a click).
    await page.evaluate(async () => {
      document.querySelector('#lab-run-spaces').click();
      const text = () => document.querySelector('#lab-progress-text').textContent;
      while (!text().includes('(2 of 4)')) await new Promise((resolve) => setTimeout(resolve, 0));
      document.querySelector('#lab-cancel').click();
    });
    await page.waitForFunction(() => document.querySelector('#lab-progress-text')?.textContent === 'Across spaces: cancelled');
    expect(await page.locator('#lab-spaces-figures tr').count()).toBe(0);
    // The worker put the learner's space back.
    await neighbours(page, 'cat');
    expect(await neighbours(page, 'frog')).toEqual(before);
    await page.close();
  });

  it('runs the quantization lab on a table loaded with its floats', async () => {
    // A float text table of the 5,000 most frequent GloVe words (from the
    // default table, so the built-in analogies have words to work on).
    const explorer = await EmbeddingExplorer.create();
    explorer.load(readFileSync(join(repoRoot, 'data', 'glove-6b-100d-50k.emb')));
    const lines = explorer.words.slice(0, 5000).map((word) => `${word} ${Array.from(explorer.lookup(word).vector, (x) => x.toFixed(5)).join(' ')}`);
    explorer.dispose();
    const table = join(scratch, 'glove-5k.txt');
    writeFileSync(table, `${lines.join('\n')}\n`);

    const page = await openExplorer();
    const out = await loadThroughInput(page, { table, keepFloats: true });
    expect(out.error).toBeUndefined();
    await page.click('#lab-run-quantization');
    await page.waitForFunction(() => document.querySelectorAll('#lab-quantization-figures tbody tr').length >= 4, null, { timeout: 120_000 });
    const rows = await page
      .locator('#lab-quantization-figures tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    console.log(`quantization lab on 5,000 GloVe words:\n${rows.map((r) => r.join(' | ')).join('\n')}`);
    const [header, recall, analogies, memory] = rows;
    expect(header.slice(1, 3)).toEqual(['float32', 'int8']);
    expect(recall[1]).toBe('1.000');
    expect(Number(recall[2])).toBeGreaterThan(0.9);
    expect(analogies[2]).toMatch(/^\d+\.\d % of [1-9]\d*$/);
    expect(memory[2]).not.toBe(memory[1]);
    await page.close();
  });
});

/** A word2vec text or binary table of about `megabytes`, seeded. */
function writeLargeTable(path, { megabytes, dims = 100, binary = false }) {
  const fd = openSync(path, 'w');
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296 - 0.5;
  };
  const rowBytes = binary ? dims * 4 + 12 : dims * 8 + 12;
  const rows = Math.floor((megabytes * 1e6) / rowBytes);
  writeSync(fd, `${rows} ${dims}\n`);
  const batch = [];
  for (let i = 0; i < rows; i++) {
    const word = `w${i}`;
    if (binary) {
      const values = new Float32Array(dims);
      for (let d = 0; d < dims; d++) values[d] = next();
      batch.push(Buffer.from(`${word} `), Buffer.from(values.buffer), Buffer.from('\n'));
    } else {
      let line = word;
      for (let d = 0; d < dims; d++) line += ` ${next().toFixed(4)}`;
      batch.push(Buffer.from(`${line}\n`));
    }
    if (batch.length > 3000 || i === rows - 1) {
      writeSync(fd, Buffer.concat(batch));
      batch.length = 0;
    }
  }
  closeSync(fd);
  return rows;
}

describe('large files, in the page', () => {
  it('cancels a load and the old table keeps answering', async () => {
    const page = await openExplorer();
    const big = join(scratch, 'cancel-me.txt');
    writeLargeTable(big, { megabytes: 40 });
    await page.setInputFiles('#vocab-file', []);
    await page.setInputFiles('#metadata-file', []);
    await page.selectOption('#table-format', '');
    await page.setInputFiles('#table-file', big);
    // Cancel mid-stream, as soon as the first slice is counted.
    const progressShown = await page.evaluate(async () => {
      document.querySelector('#load-table').click();
      const bar = document.querySelector('#table-progress');
      while (!(bar.value > 0)) await new Promise((resolve) => setTimeout(resolve, 0));
      const text = document.querySelector('#table-progress-text').textContent;
      document.querySelector('#cancel-load').click();
      return text;
    });
    expect(progressShown).toMatch(/^cancel-me\.txt: [\d.]+ MB of [\d.]+ MB$/);
    await page.waitForFunction(() => document.querySelector('#load-status-text')?.textContent.includes('cancelled'));
    expect(await page.locator('#load-status-text').textContent()).toMatch(/cancel-me\.txt was cancelled; the previous table is still loaded/);
    expect(await page.evaluate(() => document.body.dataset.tableLoads)).toBeUndefined();
    expect((await neighbours(page, 'frog')).map((r) => r.token)).toContain('toad');
    expect(await page.locator('#load-text').textContent()).toMatch(/^50,000 words/);
    await page.close();
  });

  it('prints parse-and-quantize throughput for text and binary files', async () => {
    const page = await openExplorer();
    for (const [name, binary, format] of [['large.txt', false, 'text'], ['large.bin', true, 'word2vec-bin']]) {
      const path = join(scratch, name);
      const rows = writeLargeTable(path, { megabytes: 40, binary });
      const out = await loadThroughInput(page, { table: path, format });
      expect(out.error, name).toBeUndefined();
      expect(out.figures.words).toBe(rows.toLocaleString('en'));
      console.log(`page parse + quantize, ${format}: ${out.figures['read and quantized']} (${rows} rows × 100; target ${binary ? 100 : 30} MB/s)`);
      rmSync(path);
    }
    await page.close();
  }, 300_000);
});

describe('console', () => {
  it('showed no console errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
