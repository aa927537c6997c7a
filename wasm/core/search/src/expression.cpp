#include "explorer/expression.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "explorer/errors.h"

namespace explorer {

namespace {

bool parseNumber(const std::string& token, double& value) {
  if (token.empty()) return false;
  char* end = nullptr;
  value = std::strtod(token.c_str(), &end);
  return end == token.c_str() + token.size() && std::isfinite(value);
}

// Splits text into word, number, '+', '-' and '*' tokens.
std::vector<std::string> tokenize(const std::string& text, const std::function<bool(const std::string&)>& isWord) {
  std::vector<std::string> tokens;
  std::string current;
  auto flushWord = [&](std::string token) {
    // Leading signs are operators: "-man" means minus "man".
    while (token.size() > 1 && (token[0] == '+' || token[0] == '-') && !isWord(token)) {
      tokens.emplace_back(1, token[0]);
      token.erase(0, 1);
    }
    double number;
    if (token.empty()) return;
    if (isWord(token) || parseNumber(token, number) || token == "+" || token == "-") {
      tokens.push_back(token);
      return;
    }
    // Not a word: every '+' / '-' in it is an operator ("king-man+woman",
    // "king--man").
    std::string part;
    for (char c : token) {
      if (c == '+' || c == '-') {
        if (!part.empty()) tokens.push_back(part);
        tokens.emplace_back(1, c);
        part.clear();
      } else {
        part += c;
      }
    }
    if (!part.empty()) tokens.push_back(part);
  };
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '*') {
      if (!current.empty()) flushWord(current);
      current.clear();
      if (c == '*') tokens.emplace_back("*");
    } else {
      current += c;
    }
  }
  if (!current.empty()) flushWord(current);
  return tokens;
}

}  // namespace

std::vector<ExpressionTerm> parseExpression(const std::string& text,
                                            const std::function<bool(const std::string&)>& isWord) {
  const std::vector<std::string> tokens = tokenize(text, isWord);
  if (tokens.empty()) fail(ErrorCode::EmptyInput, "empty expression");
  std::vector<ExpressionTerm> terms;
  size_t i = 0;
  double sign = 1;
  bool expectTerm = true;
  while (i < tokens.size()) {
    const std::string& token = tokens[i];
    if (token == "+" || token == "-") {
      if (!expectTerm && !terms.empty()) {
        expectTerm = true;
        sign = 1;
      }
      if (token == "-") sign = -sign;
      ++i;
      continue;
    }
    if (!expectTerm) {
      fail(ErrorCode::BadArgument, "expected '+' or '-' before \"" + token + "\" in the expression");
    }
    double weight = 1, number;
    if (!isWord(token) && parseNumber(token, number)) {
      weight = number;
      ++i;
      if (i < tokens.size() && tokens[i] == "*") ++i;
      if (i >= tokens.size() || tokens[i] == "+" || tokens[i] == "-" || tokens[i] == "*") {
        fail(ErrorCode::BadArgument, "the number " + token + " in the expression multiplies no word");
      }
    } else if (token == "*") {
      fail(ErrorCode::BadArgument, "'*' must stand between a number and a word");
    }
    terms.push_back({tokens[i], sign * weight});
    ++i;
    sign = 1;
    expectTerm = false;
  }
  if (expectTerm) fail(ErrorCode::BadArgument, "the expression ends with an operator");
  return terms;
}

}  // namespace explorer
