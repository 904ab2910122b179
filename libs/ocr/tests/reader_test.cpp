// Known text drawn at 300 dpi and read back: recognition quality (character error rate), PDF text
// layers read exactly, word boxes where the words were drawn, progress page by page.
#include "atelier/ocr/reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "samples.hpp"

namespace atelier::ocr {
namespace {

using samples::character_error_rate;
using samples::Sheet;
using samples::text_of;

// Bound on the character error rate of clean 300 dpi renders of a common serif font. Tesseract's
// LSTM models read such text almost perfectly (every run of these tests has measured 0 %, the
// accents, the euro sign and the apostrophes included); 3 % leaves room for a couple of misread
// characters per paragraph after a model update without letting a real regression (a wrong
// language, a lost line: 30 % and more) through.
constexpr double kMaxCleanCer = 0.03;

// How far, in pixels at 300 dpi (0.85 mm), a recognised word's box may lie from where the word
// was inked: Tesseract's boxes are ink boxes too, give or take antialiasing and the accents.
constexpr double kBoxTolerance = 10;

class ReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ReaderOptions options;
    options.workers = 1;
    auto created = ReaderPool::create(options);
    ASSERT_TRUE(created.ok()) << created.error().message;
    pool_ = std::move(created).value().release();
  }
  static void TearDownTestSuite() {
    delete pool_;
    pool_ = nullptr;
  }

  static std::vector<Page> read(const std::vector<std::byte>& bytes, std::string_view type,
                                std::vector<Progress>* progress = nullptr) {
    ProgressFn fn;
    if (progress != nullptr) {
      fn = [progress](const Progress& p) { progress->push_back(p); };
    }
    auto pages = pool_->read(bytes, type, fn);
    EXPECT_TRUE(pages.ok()) << pages.error().message;
    return pages.ok() ? std::move(pages).value() : std::vector<Page>{};
  }

  static double cer(const Sheet& sheet, const Page& page) {
    const double rate = character_error_rate(text_of(sheet), page.text);
    std::cout << "[ CER      ] " << ::testing::UnitTest::GetInstance()->current_test_info()->name()
              << " page " << page.number << ": " << rate * 100 << " % (confidence "
              << page.confidence << ")\n";
    if (rate > 0) {
      std::cout << page.text << "\n";
    }
    return rate;
  }

  static const Word* find_word(const Page& page, std::string_view text) {
    const auto it = std::find_if(page.words.begin(), page.words.end(),
                                 [&](const Word& w) { return w.text.find(text) == 0; });
    return it == page.words.end() ? nullptr : &*it;
  }

  static void expect_words_inside(const Page& page) {
    ASSERT_FALSE(page.words.empty());
    for (const auto& w : page.words) {
      EXPECT_GE(w.left, 0) << w.text;
      EXPECT_GE(w.top, 0) << w.text;
      EXPECT_GT(w.width, 0) << w.text;
      EXPECT_GT(w.height, 0) << w.text;
      EXPECT_LE(w.left + w.width, page.width) << w.text;
      EXPECT_LE(w.top + w.height, page.height) << w.text;
    }
  }

  // Recognised words: Tesseract's box is the ink box, as locate() measures it.
  static void expect_drawn_at(const Page& page, const Sheet& sheet, std::string_view text) {
    const Word* word = find_word(page, text);
    ASSERT_NE(word, nullptr) << text;
    const auto drawn = samples::locate(sheet, text);
    ASSERT_TRUE(drawn.has_value());
    EXPECT_NEAR(word->left, drawn->left, kBoxTolerance) << text;
    EXPECT_NEAR(word->top, drawn->top, kBoxTolerance) << text;
    EXPECT_NEAR(word->width, drawn->width, kBoxTolerance) << text;
    EXPECT_NEAR(word->height, drawn->height, kBoxTolerance) << text;
  }

  // Text-layer words: the box spans the font's whole line height (ascender to descender), so it
  // holds the ink box rather than matching it.
  static void expect_set_around(const Page& page, const Sheet& sheet, std::string_view text) {
    const Word* word = find_word(page, text);
    ASSERT_NE(word, nullptr) << text;
    const auto drawn = samples::locate(sheet, text);
    ASSERT_TRUE(drawn.has_value());
    EXPECT_NEAR(word->left, drawn->left, kBoxTolerance) << text;
    EXPECT_NEAR(word->width, drawn->width, kBoxTolerance) << text;
    EXPECT_LE(word->top, drawn->top + kBoxTolerance) << text;
    EXPECT_GE(word->top + word->height, drawn->top + drawn->height - kBoxTolerance) << text;
    EXPECT_LE(word->height, 2 * sheet.font_pt * 300 / 72) << text;
  }

  static inline ReaderPool* pool_ = nullptr;
};

TEST_F(ReaderTest, RecognisesAFrenchParagraphInAPng) {
  const Sheet sheet = samples::small_sheet(samples::french_lines());
  const auto pages = read(samples::png(sheet), "image/png");
  ASSERT_EQ(pages.size(), 1u);
  const Page& page = pages[0];
  EXPECT_EQ(page.number, 1);
  EXPECT_FALSE(page.from_text_layer);
  EXPECT_EQ(page.width, 2479);
  EXPECT_LE(cer(sheet, page), kMaxCleanCer);
  EXPECT_GT(page.confidence, 80);
  expect_words_inside(page);
  expect_drawn_at(page, sheet, "façade");
  expect_drawn_at(page, sheet, "réserves");
}

TEST_F(ReaderTest, RecognisesAnEnglishParagraphInAJpeg) {
  const Sheet sheet = samples::small_sheet(samples::english_lines());
  const auto pages = read(samples::jpeg(sheet), "image/jpeg");
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_LE(cer(sheet, pages[0]), kMaxCleanCer);
  expect_drawn_at(pages[0], sheet, "contractor");
}

TEST_F(ReaderTest, RecognisesEveryFrameOfATiffAndReportsEachPage) {
  const std::vector<Sheet> sheets = {samples::small_sheet(samples::french_lines()),
                                     samples::small_sheet(samples::english_lines())};
  std::vector<Progress> progress;
  const auto pages = read(samples::tiff(sheets), "image/tiff", &progress);
  ASSERT_EQ(pages.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(pages[i].number, static_cast<int>(i) + 1);
    EXPECT_LE(cer(sheets[i], pages[i]), kMaxCleanCer);
  }
  ASSERT_EQ(progress.size(), 3u);  // opened, then each page
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(progress[i].page, static_cast<int>(i));
    EXPECT_EQ(progress[i].page_count, 2);
  }
}

TEST_F(ReaderTest, ReadsAPdfTextLayerExactlyWithoutRecognition) {
  const std::vector<Sheet> sheets = {samples::small_sheet(samples::french_lines()),
                                     samples::small_sheet(samples::english_lines())};
  std::vector<Progress> progress;
  const auto pages = read(samples::text_pdf(sheets), "application/pdf", &progress);
  ASSERT_EQ(pages.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const Page& page = pages[i];
    EXPECT_TRUE(page.from_text_layer);
    EXPECT_EQ(page.text, text_of(sheets[i]));
    EXPECT_EQ(page.confidence, 100);
    EXPECT_EQ(page.width, 2479);  // 595 pt at 300 dpi
    expect_words_inside(page);
  }
  expect_set_around(pages[0], sheets[0], "façade");
  expect_set_around(pages[1], sheets[1], "contractor");
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_EQ(progress[0].page, 0);
  EXPECT_EQ(progress[0].page_count, 2);
  EXPECT_EQ(progress[2].page, 2);
  EXPECT_EQ(progress[2].page_count, 2);
}

TEST_F(ReaderTest, RendersAndRecognisesAPdfPageWithoutTextLayer) {
  const Sheet sheet = samples::small_sheet(samples::french_lines());
  const auto pages = read(samples::scanned_pdf({sheet}), "application/pdf");
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_FALSE(pages[0].from_text_layer);
  EXPECT_EQ(pages[0].width, 2479);
  EXPECT_LE(cer(sheet, pages[0]), kMaxCleanCer);
  expect_drawn_at(pages[0], sheet, "façade");
}

TEST_F(ReaderTest, RecognisesAFullA4Page) {
  const Sheet sheet = samples::a4_sheet();
  const auto pages = read(samples::png(sheet), "image/png");
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].height, 3508);
  EXPECT_LE(cer(sheet, pages[0]), kMaxCleanCer);
  // Paragraphs come back separated by a blank line.
  EXPECT_NE(pages[0].text.find("mois.\n\nThe contractor"), std::string::npos) << pages[0].text;
}

}  // namespace
}  // namespace atelier::ocr
