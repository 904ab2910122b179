// clean_paragraph(): each cleaning rule, and text that the rules must leave alone.
#include <gtest/gtest.h>

#include <string>

#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook::ingest {
namespace {

using domain::Language;

constexpr std::string_view kNnbsp = "\xE2\x80\xAF";  // U+202F narrow no-break space

std::string en(std::string_view text) {
  return clean_paragraph(text, Language::kEnglish);
}

std::string fr(std::string_view text) {
  return clean_paragraph(text, Language::kFrench);
}

TEST(IngestClean, JoinsAWordHyphenatedAtALineEndBeforeALowerCaseLine) {
  EXPECT_EQ(fr("Il y avait beau-\ncoup de monde."), "Il y avait beaucoup de monde.");
  EXPECT_EQ(en("a beau-\n   tiful day"), "a beautiful day");
}

TEST(IngestClean, KeepsTheHyphenWhenTheNextLineStartsWithACapital) {
  EXPECT_EQ(fr("Jean-\nPierre arriva."), "Jean-Pierre arriva.");
}

TEST(IngestClean, DocumentedLimitACompoundBrokenBeforeALowerCaseWordLosesItsHyphen) {
  // No dictionary: "rabbit-" + "hole" reads as a typesetter's break.
  EXPECT_EQ(en("down a large rabbit-\nhole under the hedge"),
            "down a large rabbithole under the hedge");
}

TEST(IngestClean, LeavesHyphensInsideALineAndDashesAfterASpaceAlone) {
  EXPECT_EQ(en("a large rabbit-hole under the hedge"), "a large rabbit-hole under the hedge");
  EXPECT_EQ(en("and then -\nnothing"), "and then - nothing");
}

TEST(IngestClean, RemovesSoftHyphensAndJoinsAtThem) {
  EXPECT_EQ(en("extra\xC2\xAD\nordinary and in\xC2\xAD"
               "credible"),
            "extraordinary and incredible");
}

TEST(IngestClean, SpellsOutLigaturesButKeepsOe) {
  EXPECT_EQ(fr("\xEF\xAC\x81n \xEF\xAC\x82ot e\xEF\xAC\x80"
               "et o\xEF\xAC\x83"
               "ce ba\xEF\xAC\x84"
               "e \xC5\x93uvre"),
            "fin flot effet office baffle \xC5\x93uvre");
}

TEST(IngestClean, DropsAPageNumberLineInsideAParagraph) {
  EXPECT_EQ(en("the end of the\n12\nline"), "the end of the line");
  EXPECT_EQ(en("the end of the\n\xE2\x80\x94 13 \xE2\x80\x94\nline"), "the end of the line");
}

TEST(IngestClean, KeepsAParagraphThatIsOnlyANumber) {
  EXPECT_EQ(en("1984"), "1984");
}

TEST(IngestClean, CollapsesWhiteSpaceAndTrims) {
  EXPECT_EQ(en("  one \t two\n\n three  \r\n"), "one two three");
}

TEST(IngestClean, RemovesZeroWidthAndControlCharacters) {
  EXPECT_EQ(en("zero\xE2\x80\x8Bwidth\x01 mark\xEF\xBB\xBF"), "zerowidth mark");
}

TEST(IngestClean, EnglishStraightQuotesBecomeCurlyByPosition) {
  EXPECT_EQ(en("\"I can't,\" said Alice. 'Why not?'"),
            "\xE2\x80\x9CI can\xE2\x80\x99t,\xE2\x80\x9D said Alice. "
            "\xE2\x80\x98Why not?\xE2\x80\x99");
}

TEST(IngestClean, EnglishKeepsCurlyQuotesAsInTheSource) {
  const std::string text =
      "\xE2\x80\x98"
      "Curiouser and curiouser!\xE2\x80\x99 cried Alice.";
  EXPECT_EQ(en(text), text);
}

TEST(IngestClean, FrenchStraightQuotesBecomeGuillemetsWithNarrowNoBreakSpaces) {
  EXPECT_EQ(fr("Il dit \"bonjour\" et partit."), "Il dit \xC2\xAB" + std::string(kNnbsp) +
                                                     "bonjour" + std::string(kNnbsp) +
                                                     "\xC2\xBB et partit.");
}

TEST(IngestClean, FrenchGuillemetsGetNarrowNoBreakSpacesInPlaceOfAnySpace) {
  const std::string expected =
      "\xC2\xAB" + std::string(kNnbsp) + "Ah" + std::string(kNnbsp) + "\xC2\xBB";
  EXPECT_EQ(fr("\xC2\xAB Ah \xC2\xBB"), expected);
  EXPECT_EQ(fr("\xC2\xAB"
               "Ah"
               "\xC2\xBB"),
            expected);
  EXPECT_EQ(fr("\xC2\xAB\xC2\xA0"
               "Ah\xC2\xA0\xC2\xBB"),
            expected);
}

TEST(IngestClean, FrenchStraightApostropheBecomesTypographic) {
  EXPECT_EQ(fr("l'homme qu'il vit"), "l\xE2\x80\x99homme qu\xE2\x80\x99il vit");
}

TEST(IngestClean, FrenchDialogueHyphenOrEnDashBecomesAnEmDash) {
  EXPECT_EQ(fr("- Ah ! dit-il."), "\xE2\x80\x94 Ah ! dit-il.");
  EXPECT_EQ(fr("\xE2\x80\x93 Oui."), "\xE2\x80\x94 Oui.");
  EXPECT_EQ(fr("\xE2\x80\x94Non."), "\xE2\x80\x94 Non.");
}

TEST(IngestClean, DialogueDashRuleIsFrenchOnlyAndSkipsNumbers) {
  EXPECT_EQ(en("- an item"), "- an item");
  EXPECT_EQ(fr("-5 degr\xC3\xA9s dehors."), "-5 degr\xC3\xA9s dehors.");
}

TEST(IngestClean, LeavesCleanFrenchProseUnchanged) {
  const std::string text =
      "\xE2\x80\x94 Vous me demandez, fr\xC3\xA8re, si j\xE2\x80\x99"
      "ai aim\xC3\xA9 ; oui. "
      "C\xE2\x80\x99"
      "est une histoire singuli\xC3\xA8re, \xC5\x93uvre de soixante-six ans\xE2\x80\xA6";
  EXPECT_EQ(fr(text), text);
}

TEST(IngestClean, EmptyAndBlankTextCleanToEmpty) {
  EXPECT_EQ(en(""), "");
  EXPECT_EQ(fr(" \n\t "), "");
}

}  // namespace
}  // namespace atelier::visiobook::ingest
