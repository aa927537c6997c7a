// Typed errors of the geometry core.
//
// Every failure a user can cause (an unknown word, a malformed file, a bad
// argument) is thrown as explorer::Error with a machine-readable code, so the
// binding layer can turn it into a JS Error with the same code instead of an
// abort or a bare exception pointer.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace explorer {

enum class ErrorCode {
  UnknownWord,    // a word that is not in the vocabulary
  EmptyInput,     // an empty word, list or expression
  DuplicateWord,  // the same word given twice where that makes no sense
  BadData,        // a data file that fails validation
  BadArgument,    // any other invalid argument (k, space name, syntax)
  TooLarge,       // sizes beyond the documented limits
  ZeroQuery,      // a query whose vector is zero (0*king, king - king): every row would score 0
};

const char* errorCodeName(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, std::string word = {},
        std::vector<std::string> suggestions = {})
      : std::runtime_error(message),
        code_(code),
        word_(std::move(word)),
        suggestions_(std::move(suggestions)) {}

  ErrorCode code() const { return code_; }
  // The offending word, when the error is about one word.
  const std::string& word() const { return word_; }
  // Close vocabulary matches for an unknown word, best first.
  const std::vector<std::string>& suggestions() const { return suggestions_; }

 private:
  ErrorCode code_;
  std::string word_;
  std::vector<std::string> suggestions_;
};

[[noreturn]] inline void fail(ErrorCode code, const std::string& message) {
  throw Error(code, message);
}

}  // namespace explorer
