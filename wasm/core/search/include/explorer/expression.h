// Parsing of word-arithmetic expressions such as "king - man + woman" or
// "0.5*paris + 0.5*rome".
//
// Grammar: [sign] term { sign term }, term = [number ['*']] word.
// '+' and '-' are operators when they stand alone or lead a token
// ("king -man"); inside a token they belong to the word, so "well-known"
// stays one word. A token that is not a word of the vocabulary but contains
// '+' or '-' (e.g. "king-man+woman") is split at them.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace explorer {

struct ExpressionTerm {
  std::string word;
  double weight;
};

// `isWord` tells whether a token is in the vocabulary; it only decides how
// to split tokens that contain '+' or '-'. Throws EmptyInput or BadArgument
// naming the offending token.
std::vector<ExpressionTerm> parseExpression(const std::string& text,
                                            const std::function<bool(const std::string&)>& isWord);

}  // namespace explorer
