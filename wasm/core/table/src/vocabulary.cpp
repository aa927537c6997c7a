#include "explorer/vocabulary.h"

#include <algorithm>
#include <numeric>

#include "explorer/errors.h"

namespace explorer {

// Strict UTF-8: no overlong forms, no UTF-16 surrogates, nothing above
// U+10FFFF (the ranges of RFC 3629, section 4).
bool isValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra;
    unsigned char secondMin = 0x80, secondMax = 0xBF;
    if (c < 0x80) extra = 0;
    else if (c >= 0xC2 && c <= 0xDF) extra = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) secondMin = 0xA0;  // overlong below U+0800
      if (c == 0xED) secondMax = 0x9F;  // U+D800..U+DFFF are surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) secondMin = 0x90;  // overlong below U+10000
      if (c == 0xF4) secondMax = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (i + extra >= s.size() && extra > 0) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      const unsigned char lo = k == 1 ? secondMin : 0x80, hi = k == 1 ? secondMax : 0xBF;
      if (next < lo || next > hi) return false;
    }
    i += extra + 1;
  }
  return true;
}

namespace {

// Restricted Damerau-Levenshtein distance with an early exit: we only care
// whether two words are within `limit` edits.
size_t editDistance(std::string_view a, std::string_view b, size_t limit) {
  const size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), 0);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    size_t rowMin = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      rowMin = std::min(rowMin, cur[j]);
    }
    if (rowMin > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace

std::string foldCase(std::string_view word) {
  std::string out(word);
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (i + 1 < out.size()) {
      auto c2 = static_cast<unsigned char>(out[i + 1]);
      // U+00C0..U+00DE (except U+00D7, the multiplication sign): C3 80..9E
      if (c == 0xC3 && c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97) {
        out[i + 1] = static_cast<char>(c2 + 0x20);
      } else if (c == 0xCE && c2 >= 0x91 && c2 <= 0xAB && c2 != 0xA2) {
        // Greek capitals U+0391..U+03AB -> U+03B1..U+03CB
        if (c2 <= 0x9F) {
          out[i + 1] = static_cast<char>(c2 + 0x20);
        } else {
          out[i] = static_cast<char>(0xCF);
          out[i + 1] = static_cast<char>(c2 - 0x20);
        }
      } else if (c == 0xCE && c2 >= 0x86 && c2 <= 0x8F && c2 != 0x87 && c2 != 0x8B && c2 != 0x8D) {
        // Greek capitals with tonos: U+0386 -> U+03AC, U+0388..U+038A ->
        // U+03AD..U+03AF, U+038C -> U+03CC, U+038E..U+038F -> U+03CD..U+03CE
        if (c2 == 0x86) {
          out[i + 1] = static_cast<char>(0xAC);
        } else if (c2 <= 0x8A) {
          out[i + 1] = static_cast<char>(c2 + 0x25);
        } else {
          out[i] = static_cast<char>(0xCF);
          out[i + 1] = static_cast<char>(c2 == 0x8C ? 0x8C : c2 - 0x01);
        }
      } else if (c == 0xD0 && c2 >= 0x80 && c2 <= 0x8F) {
        // Cyrillic capitals U+0400..U+040F -> U+0450..U+045F
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(c2 + 0x10);
      } else if (c == 0xD0 && c2 >= 0x90 && c2 <= 0xAF) {
        // Cyrillic capitals U+0410..U+042F -> U+0430..U+044F
        if (c2 <= 0x9F) {
          out[i + 1] = static_cast<char>(c2 + 0x20);
        } else {
          out[i] = static_cast<char>(0xD1);
          out[i + 1] = static_cast<char>(c2 - 0x20);
        }
      }
      if (c >= 0xC0) ++i;  // skip the continuation byte we just handled
    }
  }
  return out;
}

Vocabulary::Vocabulary(std::vector<std::string> words) : words_(std::move(words)) {
  exact_.reserve(words_.size());
  folded_.reserve(words_.size());
  foldedWords_.reserve(words_.size());
  for (uint32_t id = 0; id < words_.size(); ++id) {
    const std::string& w = words_[id];
    if (w.empty()) fail(ErrorCode::BadData, "vocabulary entry " + std::to_string(id) + " is empty");
    if (w.find('\n') != std::string::npos || w.find('\r') != std::string::npos) {
      fail(ErrorCode::BadData, "vocabulary entry " + std::to_string(id) + " contains a line break");
    }
    if (!isValidUtf8(w)) fail(ErrorCode::BadData, "vocabulary entry " + std::to_string(id) + " is not valid UTF-8");
    if (!exact_.emplace(w, id).second) {
      throw Error(ErrorCode::DuplicateWord,
                  "vocabulary lists \"" + w + "\" twice (entries " + std::to_string(exact_[w]) +
                      " and " + std::to_string(id) + ")",
                  w);
    }
    foldedWords_.push_back(foldCase(w));
    folded_.emplace(foldedWords_.back(), id);  // keeps the first, most frequent
  }
  sortedByFolded_.resize(words_.size());
  std::iota(sortedByFolded_.begin(), sortedByFolded_.end(), 0);
  std::sort(sortedByFolded_.begin(), sortedByFolded_.end(), [&](uint32_t a, uint32_t b) {
    return foldedWords_[a] < foldedWords_[b] || (foldedWords_[a] == foldedWords_[b] && a < b);
  });
}

std::optional<uint32_t> Vocabulary::find(std::string_view word) const {
  if (auto it = exact_.find(std::string(word)); it != exact_.end()) return it->second;
  if (auto it = folded_.find(foldCase(word)); it != folded_.end()) return it->second;
  return std::nullopt;
}

uint32_t Vocabulary::require(std::string_view word) const {
  if (word.empty()) fail(ErrorCode::EmptyInput, "empty word");
  if (auto id = find(word)) return *id;
  // Long inputs get no suggestions: the edit-distance scan is only cheap
  // for word-sized strings.
  std::vector<std::string> suggestions = word.size() <= 64 ? suggest(word, 5) : std::vector<std::string>{};
  std::string shown(word.substr(0, 80));
  if (word.size() > 80) shown += "...";
  std::string message = "unknown word \"" + shown + "\"";
  if (!suggestions.empty()) {
    message += " (did you mean";
    for (size_t i = 0; i < suggestions.size(); ++i) message += (i ? ", " : " ") + suggestions[i];
    message += "?)";
  }
  throw Error(ErrorCode::UnknownWord, message, std::string(word), std::move(suggestions));
}

std::vector<uint32_t> Vocabulary::complete(std::string_view prefix, size_t limit) const {
  std::vector<uint32_t> ids;
  if (prefix.empty() || limit == 0) return ids;
  const std::string key = foldCase(prefix);
  auto lo = std::lower_bound(sortedByFolded_.begin(), sortedByFolded_.end(), key,
                             [&](uint32_t id, const std::string& k) { return foldedWords_[id] < k; });
  for (auto it = lo; it != sortedByFolded_.end(); ++it) {
    if (foldedWords_[*it].compare(0, key.size(), key) != 0) break;
    ids.push_back(*it);
  }
  const size_t keep = std::min(limit, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + keep, ids.end());
  ids.resize(keep);
  return ids;
}

std::vector<std::string> Vocabulary::suggest(std::string_view word, size_t limit) const {
  // Scanning only the most frequent words keeps this cheap (a few ms) and
  // suggests words a learner is likely to have meant.
  constexpr size_t kScan = 50000;
  const size_t maxEdits = word.size() <= 4 ? 1 : 2;
  const std::string key = foldCase(word);
  std::vector<std::pair<size_t, uint32_t>> found;  // (distance, id)
  const size_t scan = std::min(kScan, words_.size());
  for (uint32_t id = 0; id < scan; ++id) {
    const size_t d = editDistance(key, foldedWords_[id], maxEdits);
    if (d <= maxEdits) found.emplace_back(d, id);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < found.size() && out.size() < limit; ++i) out.push_back(words_[found[i].second]);
  return out;
}

}  // namespace explorer
