// A space as the page names it to a learner: the worker's spec
// ("centered~he:she,man:woman@pc") is exact but unreadable, and every list
// and heading that says which space produced it uses this one name.
import { t } from '../i18n/strings.js';

/** A word of a neutralised layer, whose syntax characters the core writes as %XX. */
function unescapeWord(word) {
  try {
    return decodeURIComponent(word);
  } catch {
    return word;
  }
}

/** A space spec ("centered", "whitened:50", "raw~he:she,man:woman@pc") as the page names it. */
export function spaceName(spec) {
  const [base, ...layers] = String(spec).split('~');
  const [kind, number] = base.split(':');
  const names = { raw: t.spaceRaw, centered: t.spaceCentred, zca: t.spaceZca };
  let name = names[kind] ?? base;
  if (kind === 'whitened') name = number ? t.spaceWhitenedTop(number) : t.spaceWhitenedPca;
  if (kind === 'abtt') name = t.spaceAbtt(number);
  const neutralised = layers.map((layer) => {
    const [pairs, method] = layer.split('@');
    const words = pairs.split(',').map((pair) => pair.split(':').map(unescapeWord).join('–')).join(', ');
    return t.spaceNeutralisedPair(words, method === 'pc');
  });
  return neutralised.length ? t.spaceWithNeutralised(name, neutralised) : t.spaceNamed(name);
}

