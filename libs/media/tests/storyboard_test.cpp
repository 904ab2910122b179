// Storyboard PDFs: a PDF, as many pages as the panels need, headings with the title and the page
// number, captions as text, and bad arguments refused.
#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <memory>
#include <string>

#include "atelier/media/panel.hpp"

namespace atelier::media {
namespace {

Image small_panel(uint32_t seed) {
  PanelSpec spec;
  spec.width = 320;
  spec.height = 180;
  spec.setting = Setting::kCountryside;
  spec.seed = seed;
  auto image = render_panel(spec);
  EXPECT_TRUE(image.ok());
  return image.ok() ? std::move(image).value() : Image{};
}

std::unique_ptr<poppler::document> load(const std::string& pdf) {
  std::vector<char> data(pdf.begin(), pdf.end());
  return std::unique_ptr<poppler::document>(poppler::document::load_from_data(&data));
}

std::string page_text(poppler::document& doc, int index) {
  std::unique_ptr<poppler::page> page(doc.create_page(index));
  const auto bytes = page->text().to_utf8();
  return {bytes.begin(), bytes.end()};
}

std::string without_spaces(std::string text) {
  std::erase(text, ' ');
  return text;
}

TEST(Storyboard, IsAPdfWithOnePageForEveryFourPanels) {
  const Image panel = small_panel(1);
  for (const int n : {1, 4, 5, 8, 9}) {
    std::vector<StoryboardEntry> entries;
    for (int i = 0; i < n; ++i) {
      entries.push_back({&panel, "Plan " + std::to_string(i + 1), "Forêt, nuit"});
    }
    auto pdf = storyboard_pdf("Le Petit Prince", entries, 4);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
    auto doc = load(*pdf);
    ASSERT_NE(doc, nullptr);
    EXPECT_EQ(doc->pages(), (n + 3) / 4) << n << " panels";
  }
}

TEST(Storyboard, PagesAreLandscapeA4WithHeadingCaptionsAndNotes) {
  const Image a = small_panel(1);
  const Image b = small_panel(2);
  std::vector<StoryboardEntry> entries = {
      {&a, "Élodie arrive au château", "Extérieur, crépuscule ; Élodie"},
      {&b, "Le dragon s'éveille", "Grotte ; dragon"},
      {nullptr, "Plan à dessiner", ""}};
  auto pdf = storyboard_pdf("Contes d'été", entries, 2);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  auto doc = load(*pdf);
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->pages(), 2);
  std::unique_ptr<poppler::page> first(doc->create_page(0));
  const auto rect = first->page_rect();
  EXPECT_NEAR(rect.width(), 841.89, 1);
  EXPECT_NEAR(rect.height(), 595.28, 1);
  const std::string one = page_text(*doc, 0);
  EXPECT_NE(one.find("Contes d'été"), std::string::npos) << one;
  EXPECT_NE(without_spaces(one).find("1/2"), std::string::npos) << one;
  EXPECT_NE(one.find("Élodie arrive au château"), std::string::npos) << one;
  EXPECT_NE(one.find("Grotte"), std::string::npos) << one;
  const std::string two = page_text(*doc, 1);
  EXPECT_NE(without_spaces(two).find("2/2"), std::string::npos) << two;
  EXPECT_NE(two.find("Plan à dessiner"), std::string::npos) << two;
}

TEST(Storyboard, BadArgumentsAreInvalid) {
  const Image panel = small_panel(1);
  const std::vector<StoryboardEntry> one = {{&panel, "x", ""}};
  EXPECT_EQ(storyboard_pdf("t", one, 0).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(storyboard_pdf("t", one, 13).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(storyboard_pdf("t", {}, 4).error().code, ErrorCode::kInvalid);
  Image broken = panel;
  broken.bgra.pop_back();
  EXPECT_EQ(storyboard_pdf("t", {{&broken, "x", ""}}, 4).error().code, ErrorCode::kInvalid);
}

}  // namespace
}  // namespace atelier::media
