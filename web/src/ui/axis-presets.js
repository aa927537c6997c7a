// The shipped named axes (data/axis-presets.txt, bundled as text) and the
// page's reading of the `axes` state with them. The parser is shared with
// the CLI (wasm/js/axis-presets.js), so a link and the CLI read
// "gender|royalty" alike.
import presetText from '../../../data/axis-presets.txt?raw';
import { cosineTicks, parseAxisPresets, parseNamedAxes } from '../../../wasm/js/axis-presets.js';
import { t } from '../i18n/strings.js';

export const AXIS_PRESETS = Object.freeze(parseAxisPresets(presetText));

/** The named axes of an axes text; throws an Error naming the problem. */
export function namedAxes(text) {
  return parseNamedAxes(text, AXIS_PRESETS);
}

/**
 * What the plot's axes layer draws for named axes placed at `coordinates`
 * (n*3, cosine units): the given axes named at both ends, and the axes
 * filled by PCA of the residual as plain grey lines, so a learner sees
 * which directions were chosen by words and which by the data. Each is
 * ticked over the words' range; an axis on which every word sits at 0 (a
 * flat 2D view) is not drawn.
 */
export function axesForPlot(axes, coordinates) {
  let residual = 0;
  return [0, 1, 2].map((i) => {
    let lo = Infinity, hi = -Infinity;
    for (let k = i; k < coordinates.length; k += 3) {
      const v = coordinates[k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!Number.isFinite(lo)) return null;
    const axis = axes[i];
    if (!axis) {
      if (hi - lo < 1e-6) return null;
      residual += 1;
      return { name: t.restOfSpace(residual), fromLabel: '', toLabel: '', ticks: cosineTicks(lo, hi), named: false };
    }
    return { name: axis.name, fromLabel: axis.fromLabel, toLabel: axis.toLabel, ticks: cosineTicks(lo, hi), named: true };
  });
}
