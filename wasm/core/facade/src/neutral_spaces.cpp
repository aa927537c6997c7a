// Explorer::spaceFor for specs with neutralised directions.
//
// Spec text: BASE~PAIRS[@pc][~PAIRS[@pc]...], e.g.
//   centered~he:she,man:woman      the gender direction (mean of the pair
//                                  differences) projected out of "centered"
//   raw~he:she@pc~rich:poor         two layers, the first by principal component
// Each layer's direction is built from its pairs in the space below it.
// Chosen for links: "~", ":", ",", "@" may all stand unescaped in a URL
// query (RFC 3986: "~" is unreserved, the others are sub-delims or allowed
// pchars), so a hand-written ?space=raw~he:she works as typed, while "+"
// would read as a space and "|" is not allowed at all. The canonical form
// spells each word as the vocabulary does, so "Raw~He:She" and
// "raw~he:she" share one cached space.
#include <string>

#include "explorer/direction.h"
#include "explorer/errors.h"
#include "explorer/explorer.h"

namespace explorer {

std::shared_ptr<const Space> Explorer::neutralisedSpaceFor(const std::string& text) {
  const size_t tilde = text.rfind('~');
  const std::string baseText = text.substr(0, tilde);
  if (baseText.empty()) {
    fail(ErrorCode::BadArgument, "space \"" + text + "\" names no space before \"~\" (e.g. raw~he:she)");
  }
  std::shared_ptr<const Space> base = spaceFor(baseText);
  NeutralLayer layer = NeutralLayer::parse(text.substr(tilde + 1));
  const Vocabulary& vocabulary = table().vocabulary();
  std::vector<WordPair> pairs;
  for (auto& [from, to] : layer.pairs) {
    pairs.push_back({vocabulary.require(from), vocabulary.require(to)});
    from = vocabulary.word(pairs.back().from);
    to = vocabulary.word(pairs.back().to);
  }
  const std::string canonicalLayer = layer.toString();
  const std::string key = base->spec().toString() + canonicalLayer;
  if (auto it = spaces_.find(key); it != spaces_.end()) return it->second;
  const PairDirection direction = pairDirection(*table_, *base, pairs, layer.method);
  auto built = std::make_shared<const Space>(*table_, *base, direction.direction, canonicalLayer);
  remember(key, built);
  return built;
}

}  // namespace explorer
