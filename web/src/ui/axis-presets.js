// The shipped named axes (data/axis-presets.txt, bundled as text) and the
// page's reading of the `axes` state with them. The parser is shared with
// the CLI (wasm/js/axis-presets.js), so a link and the CLI read
// "gender|royalty" alike.
import presetText from '../../../data/axis-presets.txt?raw';
import { cosineTicks, parseAxisPresets, parseNamedAxes } from '../../../wasm/js/axis-presets.js';

export const AXIS_PRESETS = Object.freeze(parseAxisPresets(presetText));

/** The named axes of an axes text; throws an Error naming the problem. */
export function namedAxes(text) {
  return parseNamedAxes(text, AXIS_PRESETS);
}

/**
 * What the plot's axes layer draws for named axes placed at `coordinates`
 * (n*3, cosine units): the given axes with ticks over the words' range;
 * null for the axes filled by PCA of the residual.
 */
export function axesForPlot(axes, coordinates) {
  return [0, 1, 2].map((i) => {
    const axis = axes[i];
    if (!axis) return null;
    let lo = Infinity, hi = -Infinity;
    for (let k = i; k < coordinates.length; k += 3) {
      const v = coordinates[k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return { name: axis.name, fromLabel: axis.fromLabel, toLabel: axis.toLabel, ticks: Number.isFinite(lo) ? cosineTicks(lo, hi) : [0] };
  });
}
