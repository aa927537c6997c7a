// The view's layout options (issue 8 §4): dims, t-SNE perplexity, UMAP
// n_neighbors and min_dist are validated with notes that name the value,
// reach the layout only for their own projection, and 2D positions put
// every z at 0 (PCA: its first two coordinates; UMAP: its n*2 output).
import { describe, expect, it } from 'vitest';
import { planePositions } from '../../web/src/ui/projection-controller.js';
import { toSearch } from '../../web/src/ui/url-state.js';
import { DEFAULT_VIEW, PROJECTIONS, layoutOptions, normalizeView } from '../../web/src/ui/view-state.js';

describe('layout options in the view', () => {
  it('keeps good values and leaves the defaults out of the URL', () => {
    const { view, notes } = normalizeView({ proj: 'umap', dims: '2', neighbors: '30', mindist: '0.25', perplexity: '12' });
    expect(notes).toEqual([]);
    expect(view).toMatchObject({ proj: 'umap', dims: 2, neighbors: 30, mindist: 0.25, perplexity: 12 });
    expect(toSearch(view)).toBe('?proj=umap&dims=2&perplexity=12&neighbors=30&mindist=0.25');
    expect(toSearch(normalizeView({}).view)).toBe('');
    expect(PROJECTIONS.umap).toBe('UMAP');
  });

  it('names a bad value and says which value is used', () => {
    const { view, notes } = normalizeView({ perplexity: '2', neighbors: 'many', mindist: '1.5', dims: '1' });
    expect(view).toMatchObject({ perplexity: 5, neighbors: 15, mindist: 1, dims: 3 });
    expect(notes).toEqual([
      't-SNE perplexity must be from 5 to 50; 2 is out of range, so 5 is used.',
      'UMAP n_neighbors must be a number from 2 to 100; "many" is not one, so 15 is used.',
      'UMAP min_dist must be from 0 to 1; 1.5 is out of range, so 1 is used.',
      'A view has 2 or 3 dimensions; "1" is neither, so 3 is used.',
    ]);
    expect(normalizeView({ neighbors: '7.5' }).notes).toEqual(['UMAP n_neighbors must be a whole number; 7.5 is not, so 8 is used.']);
  });

  it('gives each projection only its own parameters, so another one does not restart it', () => {
    const view = { ...DEFAULT_VIEW, dims: 2, perplexity: 12, neighbors: 30, mindist: 0.5 };
    expect(layoutOptions({ ...view, proj: 'pca' })).toEqual({ proj: 'pca', dims: 2, components: [0, 1, 2] });
    expect(layoutOptions({ ...view, proj: 'pca-table', pcs: '1,5,8' })).toEqual({ proj: 'pca-table', dims: 2, components: [0, 4, 7] });
    expect(layoutOptions({ ...view, proj: 'tsne' })).toEqual({ proj: 'tsne', dims: 2, perplexity: 12 });
    expect(layoutOptions({ ...view, proj: 'umap' })).toEqual({ proj: 'umap', dims: 2, neighbors: 30, minDist: 0.5 });
  });
});

describe('planePositions', () => {
  const pca = Float32Array.from([1, 2, 3, 4, 5, 6]);
  it('keeps 3D as it is and puts 2D on the first two coordinates with z = 0', () => {
    expect(planePositions(pca, 2, 3)).toBe(pca);
    expect(Array.from(planePositions(pca, 2, 2))).toEqual([1, 2, 0, 4, 5, 0]);
    expect(Array.from(pca)).toEqual([1, 2, 3, 4, 5, 6]); // the input is not changed
  });
  it('spreads a layout of two coordinates per point (UMAP 2D) into the plane', () => {
    expect(Array.from(planePositions(Float32Array.from([1, 2, 3, 4]), 2, 2))).toEqual([1, 2, 0, 3, 4, 0]);
  });
});
