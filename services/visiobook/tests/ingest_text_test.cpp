// Plain-text ingestion: the fixture books, encodings, format sniffing, headings, paragraphs, scene
// breaks, Gutenberg framing, language guess and limits.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook::ingest {
namespace {

using domain::Language;

std::string fixture(std::string_view name) {
  std::ifstream in(std::string(VISIOBOOK_TEST_BOOKS) + "/" + std::string(name), std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::size_t non_blank_lines(const std::string& text) {
  std::size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    n += line.find_first_not_of(" \t\r") != std::string::npos ? 1 : 0;
  }
  return n;
}

domain::Book read_ok(std::string_view text, const Limits& limits = {}) {
  auto book = read_text(text, limits);
  EXPECT_TRUE(book.ok()) << book.error().message;
  return book.ok() ? std::move(book).value() : domain::Book{};
}

std::vector<std::string> titles(const domain::Book& book) {
  std::vector<std::string> out;
  for (const auto& chapter : book.chapters) {
    out.push_back(chapter.title);
  }
  return out;
}

// --- Fixture books ---------------------------------------------------------------------------

TEST(IngestFixtures, AliceHasTwelveChaptersWithTheirTitles) {
  const domain::Book book = read_ok(fixture("alice_en.txt"));
  ASSERT_EQ(book.chapters.size(), 12u);
  EXPECT_EQ(book.chapters[0].title, "CHAPTER I. Down the Rabbit-Hole");
  EXPECT_EQ(book.chapters[6].title, "CHAPTER VII. A Mad Tea-Party");
  EXPECT_EQ(book.chapters[11].title, "CHAPTER XII. Alice\xE2\x80\x99s Evidence");
  EXPECT_EQ(book.language, Language::kEnglish);
  EXPECT_GT(book.paragraph_count(), 700u);
  EXPECT_LT(book.paragraph_count(), 900u);
  EXPECT_TRUE(book.chapters[0].paragraphs[0].text.starts_with(
      "Alice was beginning to get very tired of sitting by her sister on the bank, and of"));
  for (const auto& chapter : book.chapters) {
    for (const auto& p : chapter.paragraphs) {
      ASSERT_EQ(p.text.find('\n'), std::string::npos) << p.text;
    }
  }
}

TEST(IngestFixtures, AliceStarLinesMarkASceneBreakInChapterOne) {
  const domain::Book book = read_ok(fixture("alice_en.txt"));
  ASSERT_FALSE(book.chapters.empty());
  const auto& paragraphs = book.chapters[0].paragraphs;
  std::size_t breaks = 0;
  for (const auto& p : paragraphs) {
    if (p.after_break) {
      ++breaks;
      EXPECT_TRUE(p.text.starts_with("\xE2\x80\x98What a curious feeling!\xE2\x80\x99 said Alice"))
          << p.text;
    }
  }
  EXPECT_EQ(breaks, 1u);  // the stars before chapter II open no scene
  EXPECT_FALSE(book.chapters[1].paragraphs[0].after_break);
}

TEST(IngestFixtures, CallOfTheWildHasSevenChaptersWithTheirTitles) {
  const domain::Book book = read_ok(fixture("call_of_the_wild_en.txt"));
  ASSERT_EQ(book.chapters.size(), 7u);
  EXPECT_EQ(book.chapters[0].title, "Chapter I. Into the Primitive");
  EXPECT_EQ(book.chapters[3].title, "Chapter IV. Who Has Won to Mastership");
  EXPECT_EQ(book.chapters[6].title, "Chapter VII. The Sounding of the Call");
  EXPECT_EQ(book.language, Language::kEnglish);
  EXPECT_GT(book.paragraph_count(), 250u);
  EXPECT_LT(book.paragraph_count(), 450u);
  // "part of an hour." starts a line inside chapter IV: no part heading.
  EXPECT_GT(book.chapters[3].paragraphs.size(), 20u);
}

TEST(IngestFixtures, SarrasineReadsOneParagraphPerLongLine) {
  const std::string text = fixture("sarrasine_fr.txt");
  const domain::Book book = read_ok(text);
  EXPECT_EQ(book.language, Language::kFrench);
  EXPECT_EQ(book.title, "SARRASINE");
  ASSERT_EQ(book.chapters.size(), 1u);
  EXPECT_EQ(book.chapters[0].title, "");
  // Every non-blank line but the title line is a paragraph.
  EXPECT_EQ(book.paragraph_count(), non_blank_lines(text) - 1);
  EXPECT_EQ(book.chapters[0].paragraphs[0].text, "\xC3\x80 MONSIEUR CHARLES DE BERNARD DU GRAIL.");
  EXPECT_TRUE(book.chapters[0].paragraphs[1].text.starts_with("J\xE2\x80\x99\xC3\xA9tais plong"));
  EXPECT_TRUE(book.chapters[0].paragraphs[1].after_break);  // three blank lines before it
}

TEST(IngestFixtures, SarrasineDialogueKeepsItsEmDashes) {
  const domain::Book book = read_ok(fixture("sarrasine_fr.txt"));
  std::size_t dialogue = 0;
  for (const auto& p : book.chapters.at(0).paragraphs) {
    dialogue += p.text.starts_with("\xE2\x80\x94 ") ? 1 : 0;
  }
  EXPECT_GT(dialogue, 30u);
}

TEST(IngestFixtures, LaMorteAmoureuseReadsOneParagraphPerLine) {
  const std::string text = fixture("la_morte_amoureuse_fr.txt");
  const domain::Book book = read_ok(text);
  EXPECT_EQ(book.language, Language::kFrench);
  EXPECT_EQ(book.title, "LA MORTE AMOUREUSE");
  ASSERT_EQ(book.chapters.size(), 1u);
  EXPECT_EQ(book.paragraph_count(), non_blank_lines(text) - 1);
  EXPECT_TRUE(book.chapters[0].paragraphs[0].text.starts_with("Vous me demandez, fr\xC3\xA8re"));
}

// --- Encodings and formats -------------------------------------------------------------------

TEST(IngestEncoding, Latin1BytesBecomeUtf8) {
  EXPECT_EQ(to_utf8("caf\xE9 cr\xE8me \xE0 l'\xE9t\xE9"),
            "caf\xC3\xA9 cr\xC3\xA8me \xC3\xA0 l'\xC3\xA9t\xC3\xA9");
}

TEST(IngestEncoding, Utf8BomIsDropped) {
  EXPECT_EQ(to_utf8("\xEF\xBB\xBFhello \xC3\xA9"), "hello \xC3\xA9");
}

TEST(IngestEncoding, ValidUtf8IsKeptAsIs) {
  const std::string text = "\xE2\x80\x98Oh\xE2\x80\x99, \xC5\x93uvre \xF0\x9F\x93\x96";
  EXPECT_EQ(to_utf8(text), text);
}

TEST(IngestEncoding, Windows1252QuotesAndDashesBecomeUnicode) {
  EXPECT_EQ(to_utf8("it\x92s \x93quoted\x94 \x97 \x85"),
            "it\xE2\x80\x99s \xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x94 \xE2\x80\xA6");
}

TEST(IngestEncoding, ReadTextConvertsALatin1File) {
  const domain::Book book = read_ok(
      "CHAPITRE PREMIER\n\nIl \xE9tait une fois une f\xE9"
      "e dans la for\xEAt, et elle \xE9tait seule.\n");
  ASSERT_EQ(book.chapters.size(), 1u);
  EXPECT_EQ(book.chapters[0].paragraphs.at(0).text,
            "Il \xC3\xA9tait une fois une f\xC3\xA9"
            "e dans la for\xC3\xAAt, et elle "
            "\xC3\xA9tait seule.");
  EXPECT_EQ(book.language, Language::kFrench);
}

TEST(IngestFormat, DetectsEpubPdfAndText) {
  EXPECT_EQ(
      detect_format(std::string_view("PK\x03\x04\x14\x00\x00\x00mimetypeapplication/epub+zip", 38)),
      SourceFormat::kEpub);
  EXPECT_EQ(detect_format("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), SourceFormat::kPdf);
  EXPECT_EQ(detect_format("CHAPTER I.\n\nOnce upon a time"), SourceFormat::kPlainText);
  EXPECT_EQ(detect_format(""), SourceFormat::kPlainText);
}

// --- Headings and paragraphs -----------------------------------------------------------------

TEST(IngestText, RecognisesEnglishAndFrenchHeadingForms) {
  const domain::Book book = read_ok(
      "Chapter 12\n\nOne.\n\nCHAPITRE PREMIER\n\nDeux.\n\nChapitre III\n\nTrois.\n\n"
      "I.\n\nFour.\n\nII\n\nFive.\n\nChapter 3 \xE2\x80\x94 The Storm\n\nSix.\n\n"
      "PROLOGUE\n\nSeven.\n");
  EXPECT_EQ(titles(book),
            (std::vector<std::string>{"Chapter 12", "CHAPITRE PREMIER", "Chapitre III", "I.", "II",
                                      "Chapter 3 \xE2\x80\x94 The Storm", "PROLOGUE"}));
}

TEST(IngestText, SentencesThatStartLikeHeadingsStayParagraphs) {
  const domain::Book book = read_ok(
      "CHAPTER I.\n\nChapter 12 of the act was read aloud.\n\nPart of an hour went by.\n\n"
      "Book I thought lost.\n\nchapter 2\n");
  ASSERT_EQ(book.chapters.size(), 1u);
  EXPECT_EQ(book.chapters[0].paragraphs.size(), 4u);
}

TEST(IngestText, PartHeadingPrefixesTheChapterThatFollowsIt) {
  const domain::Book book =
      read_ok("PART ONE\n\nCHAPTER I. The Start\n\nText.\n\nCHAPTER II\n\nMore text.\n");
  EXPECT_EQ(titles(book),
            (std::vector<std::string>{"PART ONE \xE2\x80\x94 CHAPTER I. The Start", "CHAPTER II"}));
}

TEST(IngestText, HeadingsWithoutTextLikeATableOfContentsAreDropped) {
  const domain::Book book = read_ok(
      "CHAPTER I. Down\n\nCHAPTER II. Up\n\nCHAPTER I. Down\n\nText one.\n\n"
      "CHAPTER II. Up\n\nText two.\n");
  EXPECT_EQ(titles(book), (std::vector<std::string>{"CHAPTER I. Down", "CHAPTER II. Up"}));
}

TEST(IngestText, TextBeforeTheFirstHeadingIsAnUntitledChapter) {
  const domain::Book book = read_ok("A foreword of some kind.\n\nCHAPTER I\n\nThe story begins.\n");
  ASSERT_EQ(book.chapters.size(), 2u);
  EXPECT_EQ(book.chapters[0].title, "");
  EXPECT_EQ(book.chapters[0].paragraphs.at(0).text, "A foreword of some kind.");
  EXPECT_EQ(book.chapters[1].title, "CHAPTER I");
}

TEST(IngestText, NoUntitledChapterWhenTheBookStartsWithAHeading) {
  const domain::Book book = read_ok("\n\nCHAPTER I\n\nThe story begins.\n");
  ASSERT_EQ(book.chapters.size(), 1u);
  EXPECT_EQ(book.chapters[0].title, "CHAPTER I");
}

TEST(IngestText, HardWrappedLinesJoinIntoOneParagraph) {
  const domain::Book book = read_ok(
      "CHAPTER I\n\nIt was a bright cold day in April, and the\nclocks were striking "
      "thir-\nteen.\n\nSecond paragraph.\r\n");
  ASSERT_EQ(book.chapters.size(), 1u);
  ASSERT_EQ(book.chapters[0].paragraphs.size(), 2u);
  EXPECT_EQ(book.chapters[0].paragraphs[0].text,
            "It was a bright cold day in April, and the clocks were striking thirteen.");
}

TEST(IngestText, LongLinesWithoutBlankLinesAreOneParagraphEach) {
  const std::string a(200, 'a');
  const std::string b(180, 'b');
  const domain::Book book = read_ok("Le " + a + " fin.\nLa " + b + " fin.\n- Oui, dit-il.\n");
  ASSERT_EQ(book.chapters.size(), 1u);
  ASSERT_EQ(book.chapters[0].paragraphs.size(), 3u);
  EXPECT_EQ(book.language, Language::kFrench);
  EXPECT_EQ(book.chapters[0].paragraphs[2].text, "\xE2\x80\x94 Oui, dit-il.");
}

TEST(IngestText, ShortLinesWithoutAnyBlankLineAreOneParagraphEach) {
  const domain::Book book = read_ok("First line.\nSecond line.\nThird line.\n");
  EXPECT_EQ(book.paragraph_count(), 3u);
}

TEST(IngestText, SeparatorLinesAndBlankRunsMarkSceneBreaks) {
  const domain::Book book = read_ok(
      "CHAPTER I\n\nOne.\n\n* * *\n\nTwo.\n\n***\n\nThree.\n\n#\n\nFour.\n\n\n\nFive.\n\nSix.\n"
      "\nCHAPTER II\n\n\n\nSeven.\n");
  ASSERT_EQ(book.chapters.size(), 2u);
  const auto& p = book.chapters[0].paragraphs;
  ASSERT_EQ(p.size(), 6u);
  EXPECT_FALSE(p[0].after_break);
  EXPECT_TRUE(p[1].after_break);
  EXPECT_TRUE(p[2].after_break);
  EXPECT_TRUE(p[3].after_break);
  EXPECT_TRUE(p[4].after_break);
  EXPECT_FALSE(p[5].after_break);
  EXPECT_FALSE(book.chapters[1].paragraphs.at(0).after_break);  // a chapter start is no break
}

TEST(IngestText, FrenchParagraphsGetDialogueDashesAndGuillemets) {
  const domain::Book book = read_ok(
      "Chapitre 1\n\nIl \xC3\xA9tait une fois un homme qui dit \"non\" \xC3\xA0 la reine.\n\n"
      "- Pourquoi ? demanda-t-elle.\n");
  ASSERT_EQ(book.language, Language::kFrench);
  const auto& p = book.chapters.at(0).paragraphs;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NE(p[0].text.find("\xC2\xAB\xE2\x80\xAFnon\xE2\x80\xAF\xC2\xBB"), std::string::npos);
  EXPECT_EQ(p[1].text, "\xE2\x80\x94 Pourquoi ? demanda-t-elle.");
}

// --- Metadata ----------------------------------------------------------------------------------

TEST(IngestText, GutenbergHeaderGivesTitleAuthorAndLanguageAndIsNotText) {
  const domain::Book book = read_ok(
      "The Project Gutenberg eBook of Something\n\nTitle: Sarrasine\n\nAuthor: Honor\xC3\xA9 de "
      "Balzac\n\nLanguage: French\n\n*** START OF THE PROJECT GUTENBERG EBOOK SARRASINE ***\n\n"
      "CHAPTER I\n\nThe text is in English words but declared French.\n\n"
      "*** END OF THE PROJECT GUTENBERG EBOOK SARRASINE ***\n\nLicence text.\n");
  EXPECT_EQ(book.title, "Sarrasine");
  EXPECT_EQ(book.author, "Honor\xC3\xA9 de Balzac");
  EXPECT_EQ(book.language, Language::kFrench);
  ASSERT_EQ(book.chapters.size(), 1u);
  EXPECT_EQ(book.chapters[0].paragraphs.size(), 1u);
}

TEST(IngestText, LeadingHeaderLinesWithoutMarkersGiveTitleAndAuthor) {
  const domain::Book book = read_ok(
      "Title: Alice's Adventures in Wonderland\n        (the Millennium Fulcrum Edition)\n"
      "Author: Lewis Carroll\n\nCHAPTER I. Down the Rabbit-Hole\n\nAlice was beginning.\n");
  EXPECT_EQ(book.title,
            "Alice\xE2\x80\x99s Adventures in Wonderland (the Millennium Fulcrum Edition)");
  EXPECT_EQ(book.author, "Lewis Carroll");
  EXPECT_EQ(titles(book), (std::vector<std::string>{"CHAPTER I. Down the Rabbit-Hole"}));
}

TEST(IngestText, TitleAndAuthorStayEmptyWithoutHeader) {
  const domain::Book book = read_ok("CHAPTER I\n\nSome text.\n");
  EXPECT_EQ(book.title, "");
  EXPECT_EQ(book.author, "");
}

TEST(IngestLanguage, GuessesFrenchAndEnglishFromStopWords) {
  EXPECT_EQ(guess_language("Il \xC3\xA9tait une fois une reine qui vivait dans un ch\xC3\xA2teau "
                           "avec le roi et les enfants."),
            Language::kFrench);
  EXPECT_EQ(guess_language("Once upon a time there was a queen who lived in a castle with the "
                           "king and their children."),
            Language::kEnglish);
  EXPECT_EQ(guess_language("l\xE2\x80\x99homme qu\xE2\x80\x99il voit"), Language::kFrench);
  EXPECT_EQ(guess_language(""), Language::kEnglish);
}

// --- Errors and limits -----------------------------------------------------------------------

TEST(IngestText, EmptyFileIsAnError) {
  const auto book = read_text("");
  ASSERT_FALSE(book.ok());
  EXPECT_EQ(book.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(book.error().message, "the file is empty");
}

TEST(IngestText, BlankFileHasNoText) {
  const auto book = read_text(" \n\n\t\n");
  ASSERT_FALSE(book.ok());
  EXPECT_EQ(book.error().message, "the file has no text");
}

TEST(IngestText, InputAboveTheLimitIsRefusedNamingTheLimit) {
  Limits limits;
  limits.max_input_bytes = 16;
  const auto book = read_text("CHAPTER I\n\nThis text is longer than sixteen bytes.\n", limits);
  ASSERT_FALSE(book.ok());
  EXPECT_EQ(book.error().code, ErrorCode::kInvalid);
  EXPECT_NE(book.error().message.find("max_input_bytes"), std::string::npos);
  EXPECT_NE(book.error().message.find("16 bytes"), std::string::npos);
}

TEST(IngestText, TooManyParagraphsIsRefusedNamingTheLimit) {
  Limits limits;
  limits.max_paragraphs = 2;
  const auto book = read_text("One.\n\nTwo.\n\nThree.\n", limits);
  ASSERT_FALSE(book.ok());
  EXPECT_NE(book.error().message.find("max_paragraphs"), std::string::npos);
}

TEST(IngestText, ReadBookDispatchesTextAndReportsEmptyFiles) {
  const auto book = read_book("CHAPTER I\n\nSome text here.\n");
  ASSERT_TRUE(book.ok());
  EXPECT_EQ(book->chapters.at(0).title, "CHAPTER I");
  const auto empty = read_book("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "the file is empty");
}

}  // namespace
}  // namespace atelier::visiobook::ingest
