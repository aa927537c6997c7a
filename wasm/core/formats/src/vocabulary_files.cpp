// Vocabulary companions for tables that carry no words (.npy, safetensors):
// vocab.txt (BERT, one token per line) and tokenizer.json (Hugging Face
// tokenizers, model.vocab). Tokens are kept exactly as written, "##ing" and
// "Ġthe" included: analogy and search work on the tokens as they are, and
// only the page's display makes them readable.
#include <fast_float/fast_float.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string_view>

#include "explorer/errors.h"
#include "explorer/formats/formats.h"
#include "explorer/vocabulary.h"

namespace explorer::formats {

namespace {

[[noreturn]] void badData(const std::string& fileName, const std::string& problem) {
  fail(ErrorCode::BadData, fileName + ": " + problem);
}

// Offset of the first byte that does not start a valid UTF-8 character,
// or npos. Walks one character at a time with the strict validator, so
// the rules stay those of vocabulary.cpp.
size_t firstInvalidUtf8(std::string_view text) {
  if (isValidUtf8(text)) return std::string_view::npos;
  size_t i = 0;
  while (i < text.size()) {
    size_t length = 1;
    while (length <= 4 && !(i + length <= text.size() && isValidUtf8(text.substr(i, length)))) ++length;
    if (length > 4) return i;
    i += length;
  }
  return std::string_view::npos;
}

void requireUtf8(const std::string& fileName, std::string_view text) {
  const size_t bad = firstInvalidUtf8(text);
  if (bad != std::string_view::npos) {
    const size_t line = 1 + std::count(text.begin(), text.begin() + bad, '\n');
    badData(fileName, "line " + std::to_string(line) + " (byte " + std::to_string(bad) + "): invalid UTF-8");
  }
}

bool isNumber(std::string_view text) {
  double value;
  const auto [end, error] = fast_float::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

std::vector<std::string> parseVocabText(const std::string& fileName, std::string_view text) {
  std::vector<std::string> tokens;
  size_t start = 0, line = 1;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view token = text.substr(start, end - start);
    if (!token.empty() && token.back() == '\r') token.remove_suffix(1);
    // Frequency lists ("token<TAB>count") and SentencePiece .vocab files
    // ("token<TAB>score") are vocabularies too; a token itself never ends
    // in a tab followed by a number.
    const size_t tab = token.rfind('\t');
    if (tab != std::string_view::npos && isNumber(token.substr(tab + 1))) token = token.substr(0, tab);
    // BERT's vocab.txt has no empty lines; one would shift every later
    // token onto the wrong row, so it is an error, not something to skip.
    if (token.empty()) badData(fileName, "line " + std::to_string(line) + ": empty token");
    tokens.emplace_back(token);
    start = end + 1;
    ++line;
  }
  return tokens;
}

// tokenizer.json: model.vocab maps token -> id (WordPiece, BPE, WordLevel)
// or is a list of [token, score] pairs in id order (Unigram);
// added_tokens may extend the table past the model's vocabulary.
std::vector<std::string> parseTokenizerJson(const std::string& fileName, std::string_view text) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    badData(fileName, "byte " + std::to_string(e.byte) + ": invalid JSON (" + e.what() + ")");
  } catch (const nlohmann::json::exception& e) {  // e.g. a number too large (found by fuzzing)
    badData(fileName, std::string("invalid JSON (") + e.what() + ")");
  }
  if (!root.is_object() || !root.contains("model") || !root["model"].is_object() ||
      !root["model"].contains("vocab")) {
    badData(fileName, "not a tokenizer.json: no \"model\": {\"vocab\": ...} object");
  }
  std::map<uint64_t, std::string> byId;
  auto place = [&](uint64_t id, const std::string& token) {
    const auto [at, inserted] = byId.emplace(id, token);
    if (!inserted && at->second != token) {
      badData(fileName, "tokens \"" + at->second + "\" and \"" + token + "\" both have id " + std::to_string(id));
    }
  };
  const nlohmann::json& vocab = root["model"]["vocab"];
  if (vocab.is_object()) {
    for (const auto& [token, id] : vocab.items()) {
      if (!id.is_number_unsigned()) badData(fileName, "model.vocab: token \"" + token + "\" has no valid id");
      place(id.get<uint64_t>(), token);
    }
  } else if (vocab.is_array()) {
    for (size_t id = 0; id < vocab.size(); ++id) {
      const nlohmann::json& entry = vocab[id];
      if (!entry.is_array() || entry.empty() || !entry[0].is_string()) {
        badData(fileName, "model.vocab: entry " + std::to_string(id) + " is not [token, score]");
      }
      place(id, entry[0].get<std::string>());
    }
  } else {
    badData(fileName, "model.vocab is neither an object nor a list");
  }
  const uint64_t modelSize = byId.size();
  if (root.contains("added_tokens") && root["added_tokens"].is_array()) {
    for (const nlohmann::json& added : root["added_tokens"]) {
      if (!added.is_object() || !added.contains("id") || !added["id"].is_number_unsigned() ||
          !added.contains("content") || !added["content"].is_string()) {
        badData(fileName, "added_tokens: an entry lacks a numeric \"id\" or a string \"content\"");
      }
      // Special tokens usually repeat ids the model already has ([CLS] in
      // BERT); only ids past the model's table add rows.
      const uint64_t id = added["id"].get<uint64_t>();
      if (id >= modelSize) place(id, added["content"].get<std::string>());
    }
  }
  std::vector<std::string> tokens;
  tokens.reserve(byId.size());
  for (const auto& [id, token] : byId) {
    if (id != tokens.size()) {
      badData(fileName, "no token has id " + std::to_string(tokens.size()) + " (ids must run from 0 to " +
                            std::to_string(byId.size() - 1) + " without gaps)");
    }
    tokens.push_back(token);
  }
  return tokens;
}

bool endsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<std::string> parseVocabulary(const std::string& fileName, const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  requireUtf8(fileName, text);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte-order mark is not part of a token
  // The name decides first: "{" is a real BERT token and could open a vocab.txt.
  const size_t firstNonSpace = text.find_first_not_of(" \t\r\n");
  const bool json = endsWith(fileName, ".json") ||
                    (!endsWith(fileName, ".txt") && firstNonSpace != std::string_view::npos && text[firstNonSpace] == '{');
  std::vector<std::string> tokens = json ? parseTokenizerJson(fileName, text) : parseVocabText(fileName, text);
  if (tokens.empty()) fail(ErrorCode::EmptyInput, fileName + ": the vocabulary is empty");
  return tokens;
}

}  // namespace explorer::formats
