// The byte-level helpers: the spaces OCR emits, accent folding, and safety on broken UTF-8.
#include "documents/domain/text_scan.hpp"

#include <gtest/gtest.h>

#include <string>

namespace atelier::documents::domain::text {
namespace {

TEST(TextScan, RecognisesEverySpaceKindForwardAndBackward) {
  const std::string s = "a \xC2\xA0\xE2\x80\xAF\xE2\x80\x89\xE2\x80\x87\tb";
  EXPECT_EQ(space_at(s, 1), 1u);
  EXPECT_EQ(space_at(s, 2), 2u);
  EXPECT_EQ(space_at(s, 4), 3u);
  EXPECT_EQ(space_at(s, 7), 3u);
  EXPECT_EQ(space_at(s, 10), 3u);
  EXPECT_EQ(space_at(s, 13), 0u);  // a tab is a blank, not a space inside a number
  EXPECT_EQ(blank_at(s, 13), 1u);
  EXPECT_EQ(skip_blanks(s, 1), 14u);
  EXPECT_EQ(space_before(s, 4), 2u);
  EXPECT_EQ(space_before(s, 7), 3u);
  EXPECT_EQ(space_before(s, 2), 1u);
  EXPECT_EQ(space_at(s, 100), 0u);
}

TEST(TextScan, FoldsAccentedWordsToAscii) {
  std::string word;
  const std::string s = "Février AOÛT Décembre cœur fe\xCC\x81vrier";
  size_t end = fold_word(s, 0, word);
  EXPECT_EQ(word, "fevrier");
  EXPECT_EQ(s[end], ' ');
  end = fold_word(s, end + 1, word);
  EXPECT_EQ(word, "aout");
  end = fold_word(s, end + 1, word);
  EXPECT_EQ(word, "decembre");
  end = fold_word(s, end + 1, word);
  EXPECT_EQ(word, "cour");  // œ folds to a single o: enough to match words, not to spell them
  end = fold_word(s, end + 1, word);
  EXPECT_EQ(word, "fevrier");
  EXPECT_EQ(end, s.size());
}

TEST(TextScan, WordBoundariesSeeAccentedLetters) {
  const std::string s = "é12 €12";
  EXPECT_TRUE(word_char_before(s, 2));
  EXPECT_FALSE(word_char_before(s, 8));  // after '€', a symbol
  EXPECT_TRUE(letter_before(s, 2));
}

TEST(TextScan, TruncatedSequencesAreNeitherSpacesNorLetters) {
  const std::string s = "a\xC2";
  EXPECT_EQ(space_at(s, 1), 0u);
  EXPECT_EQ(letter_at(s, 1), 0u);
  const std::string t = "\xE2\x80";
  EXPECT_EQ(space_at(t, 0), 0u);
  EXPECT_EQ(space_before(t, 2), 0u);
  std::string word;
  EXPECT_EQ(fold_word("\xC3", 0, word), 0u);
  EXPECT_EQ(line_start("ab\ncd", 4), 3u);
}

}  // namespace
}  // namespace atelier::documents::domain::text
