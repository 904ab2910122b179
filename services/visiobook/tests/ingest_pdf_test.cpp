// PDF and page ingestion: PDFs drawn here with cairo (known text, a running header and a page
// number footer on every page, a paragraph split across pages, an empty page) read through
// poppler, page furniture removal and re-flow in read_pages, and the inputs that must fail.
#include <cairo-pdf.h>
#include <cairo.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook::ingest {
namespace {

using domain::Language;

constexpr double kPageWidth = 595;
constexpr double kPageHeight = 842;
constexpr double kMargin = 72;
constexpr double kIndent = 30;
constexpr double kLineHeight = 16;

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// A PDF of `pages`: each line drawn at the left margin, indented when it starts with two spaces;
// an empty string leaves a blank line. Non-empty pages get a running header and a "— n —" footer.
std::string make_pdf(const std::vector<std::vector<std::string>>& pages) {
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append_to_string, &out, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "The Little Book of Storms");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, "Edward Bulwer-Lytton");
  cairo_t* cr = cairo_create(surface);
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 11);
  int number = 0;
  for (const auto& page : pages) {
    ++number;
    if (!page.empty()) {
      cairo_move_to(cr, kMargin, 40);
      cairo_show_text(cr, "The Little Book of Storms");
      const std::string footer = "\xE2\x80\x94 " + std::to_string(number) + " \xE2\x80\x94";
      cairo_move_to(cr, kPageWidth / 2 - 15, kPageHeight - 40);
      cairo_show_text(cr, footer.c_str());
    }
    double y = 90;
    for (const auto& line : page) {
      if (!line.empty()) {
        const bool indented = line.starts_with("  ");
        cairo_move_to(cr, kMargin + (indented ? kIndent : 0), y);
        cairo_show_text(cr, line.c_str() + (indented ? 2 : 0));
      }
      y += kLineHeight;
    }
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  return out;
}

const std::vector<std::vector<std::string>> kStormPages = {
    {
        "CHAPTER I. The Storm",
        "",
        "  It was a dark and stormy night; the rain fell in torrents,",
        "except at occasional intervals, when it was checked by a",
        "violent gust of wind which swept up the streets.",
        "  Then the wind rose and the sight of the trees was beau-",
        "tiful and terrible to see, for the branches were bending",
    },
    {
        "under the weight of the storm all through the long night.",
        "  In the morning everything was calm again.",
        "* * *",
        "  Later that week they left the house for good.",
    },
    {},
};

std::string storm_pdf() {
  static const std::string pdf = make_pdf(kStormPages);
  return pdf;
}

std::string error_of(const Result<domain::Book>& book) {
  EXPECT_FALSE(book.ok());
  if (book.ok()) {
    return {};
  }
  EXPECT_EQ(book.error().code, ErrorCode::kInvalid);
  return book.error().message;
}

std::string error_of(const Result<std::vector<std::string>>& pages) {
  EXPECT_FALSE(pages.ok());
  if (pages.ok()) {
    return {};
  }
  EXPECT_EQ(pages.error().code, ErrorCode::kInvalid);
  return pages.error().message;
}

// A well-formed PDF whose page tree has no page.
std::string pdf_without_pages() {
  std::string pdf = "%PDF-1.4\n";
  const std::size_t catalog = pdf.size();
  pdf += "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
  const std::size_t tree = pdf.size();
  pdf += "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n";
  const std::size_t xref = pdf.size();
  const auto offset = [](std::size_t at) {
    std::string digits = std::to_string(at);
    return std::string(10 - digits.size(), '0') + digits + " 00000 n \n";
  };
  pdf += "xref\n0 3\n0000000000 65535 f \n" + offset(catalog) + offset(tree);
  pdf += "trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST(IngestPdf, DetectsAPdfFromItsBytes) {
  EXPECT_EQ(detect_format(storm_pdf()), SourceFormat::kPdf);
}

TEST(IngestPdf, PdfPagesReturnsTheTextOfEachPage) {
  const auto pages = pdf_pages(storm_pdf());
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  ASSERT_EQ(pages->size(), 3u);
  EXPECT_NE((*pages)[0].find("CHAPTER I. The Storm"), std::string::npos) << (*pages)[0];
  EXPECT_NE((*pages)[0].find("The Little Book of Storms"), std::string::npos);
  EXPECT_NE((*pages)[0].find("violent gust of wind which swept up the streets."),
            std::string::npos);
  EXPECT_NE((*pages)[1].find("under the weight of the storm"), std::string::npos) << (*pages)[1];
}

TEST(IngestPdf, PageWithoutTextIsAnEmptyString) {
  const auto pages = pdf_pages(storm_pdf());
  ASSERT_TRUE(pages.ok()) << pages.error().message;
  ASSERT_EQ(pages->size(), 3u);
  EXPECT_EQ((*pages)[2], "");
}

TEST(IngestPdf, ReadPdfDropsHeadersAndPageNumbersAndReflowsAcrossPages) {
  const auto book = read_pdf(storm_pdf());
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ(book->language, Language::kEnglish);
  ASSERT_EQ(book->chapters.size(), 1u);
  EXPECT_EQ(book->chapters[0].title, "CHAPTER I. The Storm");
  const auto& p = book->chapters[0].paragraphs;
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].text,
            "It was a dark and stormy night; the rain fell in torrents, except at occasional "
            "intervals, when it was checked by a violent gust of wind which swept up the streets.");
  EXPECT_EQ(p[1].text,
            "Then the wind rose and the sight of the trees was beautiful and terrible to see, for "
            "the branches were bending under the weight of the storm all through the long night.");
  EXPECT_EQ(p[2].text, "In the morning everything was calm again.");
  EXPECT_EQ(p[3].text, "Later that week they left the house for good.");
  EXPECT_FALSE(p[2].after_break);
  EXPECT_TRUE(p[3].after_break);
}

TEST(IngestPdf, ReadPdfTakesTitleAndAuthorFromTheDocumentInfo) {
  const auto book = read_pdf(storm_pdf());
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ(book->title, "The Little Book of Storms");
  EXPECT_EQ(book->author, "Edward Bulwer-Lytton");
}

TEST(IngestPages, DropsRepeatedHeadersAndFootersWhoseNumbersChange) {
  const std::vector<std::string> pages = {
      "Alice in Wonderland 12\nThe first page of the story ends without a full\nstop and",
      "13 Alice in Wonderland\ngoes on to the second page.\nPage 13",
      "Alice in Wonderland 14\nA third page stands alone here.\nPage 14",
  };
  const auto book = read_pages(pages);
  ASSERT_TRUE(book.ok()) << book.error().message;
  ASSERT_EQ(book->chapters.size(), 1u);
  const auto& p = book->chapters[0].paragraphs;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].text,
            "The first page of the story ends without a full stop and goes on to the second "
            "page.");
  EXPECT_EQ(p[1].text, "A third page stands alone here.");
}

TEST(IngestPages, RecognisesPageNumberForms) {
  const std::vector<std::string> pages = {
      "xii\nFront matter.\n- 3 -",
      "[4]\nAnother line of text that is long enough for this.\np. 4",
  };
  const auto book = read_pages(pages);
  ASSERT_TRUE(book.ok()) << book.error().message;
  const auto& p = book->chapters.at(0).paragraphs;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].text, "Front matter.");
  EXPECT_EQ(p[1].text, "Another line of text that is long enough for this.");
}

TEST(IngestPages, FrenchDialogueLinesStartParagraphsAndHeadingsStartChapters) {
  const std::vector<std::string> pages = {
      "CHAPITRE PREMIER\n\nIl \xC3\xA9tait une fois une reine qui vivait dans un grand\n"
      "ch\xC3\xA2teau avec le roi et les enfants de la ville.\n"
      "\xE2\x80\x94 Qui est l\xC3\xA0 ? demanda-t-elle \xC3\xA0 voix basse.\n"
      "\xE2\x80\x94 Moi, dit le roi.\n",
      "CHAPITRE II\n\nLe lendemain, elle partit pour la for\xC3\xAAt avec les enfants du roi.\n",
  };
  const auto book = read_pages(pages);
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ(book->language, Language::kFrench);
  ASSERT_EQ(book->chapters.size(), 2u);
  EXPECT_EQ(book->chapters[0].title, "CHAPITRE PREMIER");
  EXPECT_EQ(book->chapters[1].title, "CHAPITRE II");
  const auto& p = book->chapters[0].paragraphs;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].text, "\xE2\x80\x94 Qui est l\xC3\xA0 ? demanda-t-elle \xC3\xA0 voix basse.");
  EXPECT_EQ(p[2].text, "\xE2\x80\x94 Moi, dit le roi.");
}

TEST(IngestPages, PagesWithoutTextAreAnError) {
  EXPECT_EQ(error_of(read_pages({"", " \n\f"})),
            "the pages have no text (scanned pages need OCR first)");
  EXPECT_EQ(error_of(read_pages({})), "there are no pages");
}

TEST(IngestPages, TextAboveTheLimitIsRefusedNamingTheLimit) {
  Limits limits;
  limits.max_input_bytes = 10;
  const std::string message = error_of(read_pages({"more than ten bytes"}, limits));
  EXPECT_NE(message.find("max_input_bytes"), std::string::npos) << message;
}

TEST(IngestPdf, EmptyFileIsAnError) {
  EXPECT_EQ(error_of(pdf_pages("")), "the file is empty");
  EXPECT_EQ(error_of(read_pdf("")), "the file is empty");
}

TEST(IngestPdf, BytesThatAreNoPdfAreAnError) {
  EXPECT_EQ(error_of(pdf_pages("Just some text, no PDF header.")), "the file is not a PDF");
}

TEST(IngestPdf, DamagedPdfIsAnError) {
  const std::string message = error_of(pdf_pages("%PDF-1.4\nthis is not a PDF body at all\n"));
  EXPECT_TRUE(message == "the PDF is damaged or unreadable" || message == "the PDF has no pages")
      << message;
}

TEST(IngestPdf, PdfWithoutPagesIsAnError) {
  EXPECT_EQ(error_of(pdf_pages(pdf_without_pages())), "the PDF has no pages");
}

TEST(IngestPdf, PdfAboveTheLimitIsRefusedBeforeParsing) {
  Limits limits;
  limits.max_input_bytes = 512;
  const std::string message = error_of(pdf_pages(storm_pdf(), limits));
  EXPECT_NE(message.find("max_input_bytes"), std::string::npos) << message;
  EXPECT_NE(message.find("512 bytes"), std::string::npos) << message;
}

TEST(IngestPdf, ReadBookDispatchesAPdf) {
  const auto book = read_book(storm_pdf());
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ(book->chapters.at(0).title, "CHAPTER I. The Storm");
}

}  // namespace
}  // namespace atelier::visiobook::ingest
