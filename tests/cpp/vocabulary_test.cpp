// Vocabulary: exact and case-insensitive lookup, suggestions, completion
// and validation of the entries.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "explorer/vocabulary.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::throwsError;

// Ids are frequency ranks: a smaller id is a more frequent word.
Vocabulary sampleVocabulary() {
  return Vocabulary({
      "the",         // 0
      "Paris",       // 1
      "paris",       // 2
      "king",        // 3
      "queen",       // 4
      "école",       // 5
      "αθηνα",       // 6
      "москва",      // 7
      "kingdom",     // 8
      "kings",       // 9
      "ωμεγα",       // 10
      "Kingston",    // 11
      "well-known",  // 12
      "€uro",        // 13
  });
}

TEST(FoldCase, LowersAsciiLatin1GreekAndCyrillicCapitals) {
  EXPECT_EQ(foldCase("Hello, WORLD 42"), "hello, world 42");
  EXPECT_EQ(foldCase("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ"), "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþ");
  EXPECT_EQ(foldCase("×ß"), "×ß");  // U+00D7 is a sign, not a letter; ß has no capital here
  EXPECT_EQ(foldCase("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"), "αβγδεζηθικλμνξοπρστυφχψω");
  EXPECT_EQ(foldCase("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"), "абвгдежзийклмнопрстуфхцчшщъыьэюя");
  // Lower-case and other scripts pass through; a 3- or 4-byte character
  // before a capital must not disturb it.
  EXPECT_EQ(foldCase("école αθηνα москва"), "école αθηνα москва");
  EXPECT_EQ(foldCase("€A日本Ä😀Ω"), "€a日本ä😀ω");
}

// Regression test: found by this suite and fixed in the core.
TEST(FoldCase, LowersCyrillicCapitalsU0400ToU040F) {
  EXPECT_EQ(foldCase("ЁЛКА"), "ёлка");
  EXPECT_EQ(foldCase("ЄІЇЎ"), "єіїў");
}

// Regression test: found by this suite and fixed in the core.
TEST(FoldCase, LowersGreekCapitalsWithAccents) {
  EXPECT_EQ(foldCase("ΆΈΉΊΌΎΏ"), "άέήίόύώ");
  EXPECT_EQ(foldCase("ΪΫ"), "ϊϋ");
}

TEST(Vocabulary, FindsExactAndCaseInsensitiveMatches) {
  const Vocabulary vocabulary = sampleVocabulary();
  ASSERT_EQ(vocabulary.size(), 14u);
  EXPECT_EQ(vocabulary.find("king"), 3u);
  EXPECT_EQ(vocabulary.find("KING"), 3u);
  EXPECT_EQ(vocabulary.find("ÉCOLE"), 5u);
  EXPECT_EQ(vocabulary.find("École"), 5u);
  EXPECT_EQ(vocabulary.find("ΑΘΗΝΑ"), 6u);
  EXPECT_EQ(vocabulary.find("ΩΜΕΓΑ"), 10u);  // Ω and Μ take different UTF-8 branches
  EXPECT_EQ(vocabulary.find("МОСКВА"), 7u);  // so do М (U+041C) and С (U+0421)
  EXPECT_EQ(vocabulary.find("€URO"), 13u);
  EXPECT_FALSE(vocabulary.find("unicorn").has_value());
  EXPECT_FALSE(vocabulary.find("").has_value());
}

TEST(Vocabulary, CaseTiesGoToTheMostFrequentSpelling) {
  const Vocabulary vocabulary = sampleVocabulary();
  EXPECT_EQ(vocabulary.find("paris"), 2u);  // an exact match wins over frequency
  EXPECT_EQ(vocabulary.find("Paris"), 1u);
  EXPECT_EQ(vocabulary.find("PARIS"), 1u);  // folds to both; id 1 is more frequent
  EXPECT_EQ(vocabulary.find("pArIs"), 1u);
}

TEST(Vocabulary, RequireThrowsUnknownWordWithSuggestions) {
  const Vocabulary vocabulary = sampleVocabulary();
  EXPECT_EQ(vocabulary.require("Queen"), 4u);
  try {
    vocabulary.require("kingg");
    FAIL() << "an unknown word was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::UnknownWord);
    EXPECT_EQ(error.word(), "kingg");
    // One edit away: king (id 3) and kings (id 9), the more frequent first.
    ASSERT_GE(error.suggestions().size(), 2u);
    EXPECT_EQ(error.suggestions()[0], "king");
    EXPECT_EQ(error.suggestions()[1], "kings");
    const std::string message = error.what();
    EXPECT_NE(message.find("unknown word \"kingg\""), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean king"), std::string::npos) << message;
  }
  try {
    vocabulary.require("KINGG");
    FAIL() << "an unknown word was accepted";
  } catch (const Error& error) {
    ASSERT_FALSE(error.suggestions().empty());
    EXPECT_EQ(error.suggestions()[0], "king");  // suggestions compare folded forms
  }
  try {
    vocabulary.require("qeen");  // a deletion: short words allow one edit
    FAIL() << "an unknown word was accepted";
  } catch (const Error& error) {
    ASSERT_FALSE(error.suggestions().empty());
    EXPECT_EQ(error.suggestions()[0], "queen");
  }
  try {
    vocabulary.require("zzzzzzzz");
    FAIL() << "an unknown word was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::UnknownWord);
    EXPECT_TRUE(error.suggestions().empty());
  }
  EXPECT_TRUE(throwsError([&] { vocabulary.require(""); }, ErrorCode::EmptyInput, "empty word"));
}

TEST(Vocabulary, CompleteReturnsPrefixMatchesByFrequency) {
  const Vocabulary vocabulary = sampleVocabulary();
  EXPECT_EQ(vocabulary.complete("kin", 10), (std::vector<uint32_t>{3, 8, 9, 11}));
  EXPECT_EQ(vocabulary.complete("KIN", 10), (std::vector<uint32_t>{3, 8, 9, 11}));
  EXPECT_EQ(vocabulary.complete("kin", 2), (std::vector<uint32_t>{3, 8}));
  EXPECT_EQ(vocabulary.complete("kings", 10), (std::vector<uint32_t>{9, 11}));
  EXPECT_EQ(vocabulary.complete("PAR", 10), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(vocabulary.complete("ÉC", 10), (std::vector<uint32_t>{5}));
  EXPECT_EQ(vocabulary.complete("Мос", 10), (std::vector<uint32_t>{7}));
  EXPECT_TRUE(vocabulary.complete("zebra", 10).empty());
  EXPECT_TRUE(vocabulary.complete("", 10).empty());
  EXPECT_TRUE(vocabulary.complete("kin", 0).empty());
}

TEST(Vocabulary, CompleteKeepsTheMostFrequentOfManyMatches) {
  // 300 words "a0".."a299" inserted in a scrambled frequency order: the
  // limit must keep the smallest ids, not the alphabetically first.
  std::vector<std::string> words;
  for (int i = 0; i < 300; ++i) words.push_back("a" + std::to_string((i * 7919) % 300));
  const Vocabulary vocabulary(words);
  const std::vector<uint32_t> ids = vocabulary.complete("a", 5);
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 1, 2, 3, 4}));
}

TEST(Vocabulary, RejectsBadEntries) {
  EXPECT_TRUE(throwsError([] { Vocabulary({"a", "", "c"}); }, ErrorCode::BadData, "entry 1 is empty"));
  EXPECT_TRUE(throwsError([] { Vocabulary({"a", "b\nc"}); }, ErrorCode::BadData, "entry 1 contains a line break"));
  EXPECT_TRUE(throwsError([] { Vocabulary({"a\r"}); }, ErrorCode::BadData, "line break"));
  try {
    Vocabulary({"a", "b", "a"});
    FAIL() << "a duplicate was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::DuplicateWord);
    EXPECT_EQ(error.word(), "a");
    EXPECT_NE(std::string(error.what()).find("entries 0 and 2"), std::string::npos) << error.what();
  }
  // Spellings that differ only in case are distinct words.
  EXPECT_NO_THROW(Vocabulary({"Apple", "apple", "APPLE"}));
}

TEST(Vocabulary, RejectsInvalidUtf8) {
  const std::vector<std::string> invalid = {
      "\xFF",              // never valid
      "\x80",              // a lone continuation byte
      "caf\xC3",           // truncated 2-byte sequence at the end
      "\xC3(",             // lead byte without continuation
      "\xC0\x80",          // overlong NUL
      "a\xE2\x82",         // truncated 3-byte sequence
      "\xF5\x80\x80\x80",  // lead byte beyond U+10FFFF
  };
  for (const std::string& word : invalid) {
    EXPECT_TRUE(throwsError([&] { Vocabulary({"ok", word}); }, ErrorCode::BadData, "entry 1 is not valid UTF-8"))
        << "entry bytes of length " << word.size();
  }
  EXPECT_NO_THROW(Vocabulary({"é", "€", "😀", "日本"}));
}

// Regression test: found by this suite and fixed in the core.
TEST(Vocabulary, RejectsSurrogatesOverlongsAndOutOfRangeCodePoints) {
  for (const std::string& word : {std::string("\xED\xA0\x80"), std::string("\xE0\x80\x80"),
                                  std::string("\xF0\x80\x80\x80"), std::string("\xF4\x90\x80\x80")}) {
    EXPECT_TRUE(throwsError([&] { Vocabulary({"ok", word}); }, ErrorCode::BadData, "not valid UTF-8"));
  }
}

}  // namespace
}  // namespace explorer
