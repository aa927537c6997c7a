// Vocabulary: word <-> id, case-insensitive lookup, prefix completion and
// "did you mean" suggestions.
//
// Ids are row numbers of the table, which is in frequency order, so a smaller
// id means a more frequent word; ties between spellings that fold to the same
// key go to the most frequent one (as gensim's case-insensitive evaluation
// does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace explorer {

// Lower-cases ASCII and the Latin-1, Greek and Cyrillic capitals of UTF-8
// text. Full Unicode case folding needs tables far larger than this module;
// these ranges cover the vocabularies we ship and the usual user tables.
std::string foldCase(std::string_view word);
// Strict UTF-8 (RFC 3629): what every vocabulary entry must be.
bool isValidUtf8(std::string_view text);

class Vocabulary {
 public:
  Vocabulary() = default;
  // Throws BadData on empty words, words containing a line break or
  // invalid UTF-8, and DuplicateWord on exact duplicates.
  explicit Vocabulary(std::vector<std::string> words);

  size_t size() const { return words_.size(); }
  const std::string& word(uint32_t id) const { return words_[id]; }
  const std::vector<std::string>& words() const { return words_; }

  // Exact match first, then the most frequent word with the same folded form.
  std::optional<uint32_t> find(std::string_view word) const;
  // Like find, but throws UnknownWord (with suggestions) or EmptyInput.
  uint32_t require(std::string_view word) const;

  // Ids of words whose folded form starts with the folded prefix, most
  // frequent first.
  std::vector<uint32_t> complete(std::string_view prefix, size_t limit) const;
  // Frequent words within a small edit distance of `word`, closest first.
  std::vector<std::string> suggest(std::string_view word, size_t limit) const;

 private:
  std::vector<std::string> words_;
  std::unordered_map<std::string, uint32_t> exact_;
  std::unordered_map<std::string, uint32_t> folded_;
  // Ids sorted by folded spelling, for prefix ranges by binary search.
  std::vector<uint32_t> sortedByFolded_;
  std::vector<std::string> foldedWords_;
};

}  // namespace explorer
