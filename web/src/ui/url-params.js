// Every piece of view state that a link or an embed can carry, in one
// list: the URL parameter, the <embedding-explorer> attribute that sets
// it, and what it means. The page's URL sync, "Copy embed code" and the
// custom element all read this list, so a parameter added here reaches
// all three.
//
// `analogy` is the element's one compound attribute: "man king woman"
// sets a, b and c.
//
// `means` documents each parameter for the code's readers (and the tests);
// the page never shows it, so it is not among the translated strings, and
// this file stays free of them: the course-page element imports it, and its
// script carries only the element's own few strings.
export const URL_PARAMS = Object.freeze([
  { param: 'q', attribute: 'query', means: 'an expression, e.g. "king - man + woman"' },
  { param: 'a', attribute: null, means: 'analogy A (with b and c; the element takes analogy="a b c")' },
  { param: 'b', attribute: null, means: 'analogy B' },
  { param: 'c', attribute: null, means: 'analogy C' },
  { param: 'method', attribute: 'method', means: '3cosadd or 3cosmul' },
  { param: 'metric', attribute: 'metric', means: 'neighbours and expressions: cosine (the default) or euclidean (distance between the full-length vectors in the space)' },
  { param: 'inputs', attribute: 'include-inputs', means: '1 keeps the analogy inputs in the results' },
  { param: 'expected', attribute: 'expected', means: 'a word whose rank is reported' },
  { param: 'word', attribute: 'word', means: 'list the neighbours of this word' },
  { param: 'sel', attribute: 'selection', means: 'the selected point (its neighbours are listed)' },
  { param: 'space', attribute: 'space', means: 'raw, centered, whitened, whitened:K, zca, abtt:D' },
  { param: 'proj', attribute: 'projection', means: 'pca, pca-table, axes, tsne, umap or analogy' },
  { param: 'dims', attribute: 'dims', means: '2 lays every projection out in a plane, seen straight on (rotation off); 3 (the default) in space' },
  { param: 'perplexity', attribute: 'perplexity', means: 't-SNE perplexity, 5..50 (default 30)' },
  { param: 'neighbors', attribute: 'neighbors', means: 'UMAP n_neighbors, 2..100 (default 15)' },
  { param: 'mindist', attribute: 'min-dist', means: 'UMAP min_dist, 0..1 (default 0.1)' },
  { param: 'axes', attribute: 'axes', means: 'up to 3 named axes: presets "gender|royalty" (gender, age, royalty, number, tense, capital, plural), pairs "man:woman;king:queen", word sets "man,boy:woman,girl"; alone, it selects projection=axes' },
  { param: 'pcs', attribute: 'components', means: 'PCA views: the principal components on x, y and z, any three of 1..10 (default 1,2,3); a 2D view uses the first two' },
  { param: 'group', attribute: 'group', means: 'a word group, or "all"' },
  { param: 'k', attribute: 'k', means: 'results per query, 1..1000' },
  { param: 'n', attribute: 'points', means: 'frequent words drawn, 100..20000' },
  { param: 'words', attribute: 'words', means: 'draw only these words, "cat,dog,frog" (with beside=1, beside the n most frequent)' },
  { param: 'data', attribute: 'data', means: 'a table on the explorer\'s own site to start with instead of the default, relative to the page: .emb, .embs.gz, .vec/.txt, .bin or .tsv (e.g. tables/glove-6b-100d-10k.embs.gz from npm run data -- --words 10000)' },
  { param: 'beside', attribute: 'with-frequent', means: '1 draws the word list beside the n most frequent words' },
  { param: 'nav', attribute: null, means: 'the full page\'s neighbour navigator game, "start:target" (e.g. son:aunt); it opens and starts' },
  { param: 'navseed', attribute: null, means: 'a seeded navigator puzzle whose best path has 4 hops (full page; nav wins over it)' },
]);

export const PARAM_KEYS = Object.freeze(URL_PARAMS.map((p) => p.param));

// How the page is shown rather than what it shows (issue 10: lessons and
// embed options, docs/lessons.md): the same URL parameter / element
// attribute pairs, but no part of the view, so the URL sync keeps them as
// they are (url-state.js) and "Copy embed code" leaves them out. `title`'s
// attribute is "heading": the element's own title attribute is the host
// page's tooltip.
export const PAGE_OPTIONS = Object.freeze([
  { param: 'lesson', attribute: 'lesson', means: 'a lesson: a built-in one by name (cosine, analogies, anisotropy, word-groups, memory) or a .json file on the explorer\'s own site, relative to the page' },
  { param: 'step', attribute: 'step', means: 'the lesson\'s step to open, 1-based (the page keeps it in step as the learner moves)' },
  { param: 'hide', attribute: 'hide', means: 'control groups hidden, e.g. "query,space" (groups: query, method, metric, space, projection, k, points, words, panels)' },
  { param: 'lock', attribute: 'lock', means: 'control groups shown but disabled, e.g. "query,k"' },
  { param: 'readonly', attribute: 'readonly', means: '1 locks every control' },
  { param: 'caption', attribute: 'caption', means: 'a caption above the results, in the lesson caption markup (*emphasis*, **strong**, `code`)' },
  { param: 'title', attribute: 'heading', means: 'a title shown above the caption' },
  { param: 'openfull', attribute: 'open-full', means: '0 hides "Open in the full explorer"' },
  { param: 'theme', attribute: 'theme', means: 'light or dark (default: the reader\'s prefers-color-scheme)' },
]);
