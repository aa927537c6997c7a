// Checked by `npm run typecheck`, never run. The right calls must type-check
// and each wrong one must be an error: an unused @ts-expect-error fails the
// check, so this file proves the types catch wrong shapes.
import { ComputeClient } from '../../../web/src/compute/client.js';
import { Request } from '../../../web/src/compute/protocol.js';
import { EmbeddingExplorer, ErrorCode } from '../../../wasm/js/explorer.js';

export async function pageSide(client: ComputeClient) {
  const answer = await client.call(Request.query, { kind: 'analogy', a: 'man', b: 'king', c: 'woman', method: '3cosmul' });
  if ('other' in answer) answer.other.results.map((r) => r.display);
  const rows = await client.call(Request.acrossSpaces, { analogies: 'text', spaces: ['raw'] }, {
    onProgress: ({ space, index, done, total }) => `${space} ${index} ${done}/${total}`,
  });
  rows.map((row) => row.analogies?.total.accuracy);
  const ids: number[] = await client.call(Request.wordIds, { words: ['king'] });

  // @ts-expect-error an analogy needs c
  await client.call(Request.query, { kind: 'analogy', a: 'man', b: 'king' });
  // @ts-expect-error there is no such query kind
  await client.call(Request.query, { kind: 'synonyms', word: 'king' });
  // @ts-expect-error the method is 3cosadd or 3cosmul
  await client.call(Request.evaluateAnalogies, { text: '', method: 'cosine' });
  // @ts-expect-error complete answers words, not ids
  const wrong: number[] = await client.call(Request.complete, { prefix: 'ki' });
  // @ts-expect-error not a request
  await client.call('neighbours', { word: 'king' });
  // @ts-expect-error evaluation progress has no `loaded`
  await client.call(Request.evaluateAnalogies, { text: '' }, { onProgress: ({ loaded }) => loaded });
  return [ids, wrong];
}

export async function wrapperSide(explorer: EmbeddingExplorer) {
  const stats = explorer.stats({ space: 'whitened' });
  const cosine: number = stats.meanPairCosine;
  const out = explorer.analogy('man', 'king', 'woman', { compare: true, expected: 'queen' });
  const rank: number | undefined = out.other?.expected?.rank;
  const rows = await explorer.evaluateAcrossSpaces({ analogies: '', spaces: ['raw', 'abtt:3'] });
  const code: string = ErrorCode.CANCELLED;

  // @ts-expect-error snake_case keys are gone
  stats.mean_pair_cosine;
  // @ts-expect-error the API spells it neighbors
  explorer.neighbours('king');
  // @ts-expect-error k is a number
  explorer.neighbors('king', { k: '10' });
  // @ts-expect-error invalidLines, not invalid_lines
  explorer.evaluatePairs('').invalid_lines;
  // @ts-expect-error there is no ABORTED code
  ErrorCode.ABORTED;
  return [cosine, rank, rows, code];
}
