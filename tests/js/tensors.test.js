// Transformer token-embedding tables through the JS API: a BERT-like
// safetensors file (F16 "embeddings.word_embeddings.weight" beside a 1-D
// tensor, WordPiece tokenizer.json with "##" pieces) and a GPT-2-like one
// (BF16 "wte.weight", vocab.txt of byte-level "Ġ" tokens), generated here.
// Rows come in pairs (row 2k+1 is a small step from row 2k), so each
// token's nearest neighbour is known.
import { describe, expect, it, beforeAll } from 'vitest';
import { bfloat16Bits, float16Bits, safetensorsBytes, seededRandom } from '../fixtures/table-writers.mjs';
import { EmbeddingExplorer, ExplorerError } from '../../wasm/js/explorer.js';

const DIMS = 24;
const ROWS = 40;

function pairedRows(count, seed) {
  const next = seededRandom(seed);
  const values = new Float32Array(count * DIMS);
  for (let r = 0; r < count; r++) {
    for (let d = 0; d < DIMS; d++) {
      values[r * DIMS + d] = r % 2 ? values[(r - 1) * DIMS + d] + 0.15 * (next() - 0.5) : 2 * next() - 1;
    }
  }
  return values;
}

const bertTokens = Array.from({ length: ROWS }, (_, i) => (i % 4 === 1 ? `##piece${i}` : `tok${i}`));
const gptTokens = Array.from({ length: ROWS }, (_, i) => (i % 2 ? `Ġword${i}` : `word${i}`));

function tokenizerJson(tokens) {
  return JSON.stringify({
    version: '1.0',
    model: { type: 'WordPiece', unk_token: '[UNK]', vocab: Object.fromEntries(tokens.map((t, i) => [t, i])) },
  });
}

async function* chunks(bytes, size) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const rejectionOf = (fn) =>
  fn().then(
    () => null,
    (error) => error,
  );

let explorer;
let bert;
let gpt2;

beforeAll(async () => {
  explorer = await EmbeddingExplorer.create();
  bert = safetensorsBytes([
    { name: 'embeddings.word_embeddings.weight', dtype: 'F16', shape: [ROWS, DIMS], data: Uint16Array.from(pairedRows(ROWS, 1), float16Bits) },
    { name: 'embeddings.LayerNorm.bias', dtype: 'F32', shape: [DIMS], data: new Float32Array(DIMS) },
  ]);
  gpt2 = safetensorsBytes([
    { name: 'wte.weight', dtype: 'BF16', shape: [ROWS, DIMS], data: Uint16Array.from(pairedRows(ROWS, 4), bfloat16Bits) },
  ]);
});

const bertOptions = () => ({
  fileName: 'model.safetensors',
  tensor: 'embeddings.word_embeddings.weight',
  vocab: { fileName: 'tokenizer.json', bytes: new TextEncoder().encode(tokenizerJson(bertTokens)) },
});

describe('safetensors token-embedding tables', () => {
  it('lists the tensors from the first bytes', () => {
    const tensors = explorer.listTensors('model.safetensors', bert.subarray(0, 4096));
    expect(tensors).toEqual([
      { name: 'embeddings.word_embeddings.weight', dtype: 'F16', shape: [ROWS, DIMS] },
      { name: 'embeddings.LayerNorm.bias', dtype: 'F32', shape: [DIMS] },
    ]);
  });

  it('loads a BERT-like F16 tensor with a WordPiece tokenizer.json, tokens as they are', async () => {
    const { report } = await explorer.loadTableStream(chunks(bert, 333), bertOptions());
    expect(report).toMatchObject({ format: 'safetensors', words: ROWS, dims: DIMS, duplicates: 0 });
    expect(report.bytesBefore).toBe(ROWS * DIMS * 4);
    // "##piece1" is row 1, a small step from row 0 ("tok0").
    expect(explorer.neighbors('##piece1', { k: 1 }).results[0].word).toBe('tok0');
    expect(explorer.neighbors('tok2', { k: 1 }).results[0].word).toBe('tok3');
    expect(explorer.displayWord('##piece1')).toBe('\u2011piece1');
  });

  it('loads a GPT-2-like BF16 wte.weight with a vocab.txt of byte-level tokens', async () => {
    const { report } = await explorer.loadTableStream(chunks(gpt2, 1000), {
      fileName: 'gpt2.safetensors',
      vocab: { fileName: 'vocab.txt', bytes: new TextEncoder().encode(gptTokens.join('\n') + '\n') },
    });
    expect(report).toMatchObject({ format: 'safetensors', words: ROWS, dims: DIMS });
    expect(explorer.neighbors('word2', { k: 1 }).results[0].word).toBe('Ġword3');
    expect(explorer.displayWord('Ġword3')).toBe('·word3');
  });

  it('names the file and the problem, and keeps the previous table answering', async () => {
    await explorer.loadTableStream(chunks(bert, 4096), bertOptions());
    const cases = [
      [{ ...bertOptions(), tensor: 'embeddings.LayerNorm.bias' }, /not 2-D/],
      [{ ...bertOptions(), tensor: 'no.such.tensor' }, /no\.such\.tensor/],
      [
        { ...bertOptions(), vocab: { fileName: 'tokenizer.json', bytes: new TextEncoder().encode(tokenizerJson(bertTokens.slice(1))) } },
        /tokenizer\.json/,
      ],
    ];
    for (const [options, pattern] of cases) {
      const error = await rejectionOf(() => explorer.loadTableStream(chunks(bert, 4096), options));
      expect(error).toBeInstanceOf(ExplorerError);
      expect(error.code).toBe('BAD_DATA');
      expect(error.message).toMatch(/model\.safetensors|tokenizer\.json/);
      expect(error.message).toMatch(pattern);
      expect(explorer.neighbors('##piece1', { k: 1 }).results[0].word).toBe('tok0');
    }
    // A header length far beyond the file: refused before allocating.
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 200n * 1024n * 1024n, true);
    const error = await rejectionOf(() => explorer.loadTableStream(chunks(huge, 16), bertOptions()));
    expect(error?.code).toBe('BAD_DATA');
    expect(error.message).toMatch(/header/);
    expect(explorer.neighbors('tok2', { k: 1 }).results[0].word).toBe('tok3');
  });
});
