// Panels: the requested size, the same pixels for the same spec, a different picture for each
// kind of place, exact greys in noir, PNG bytes cairo reads back, accented captions inked into
// the caption band, and sizes out of range refused.
#include "atelier/media/panel.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

namespace atelier::media {
namespace {

PanelSpec scene_spec() {
  PanelSpec spec;
  spec.width = 640;
  spec.height = 360;
  spec.style = PanelStyle::kComic;
  spec.setting = Setting::kStreet;
  spec.time = TimeOfDay::kDusk;
  spec.primary = {0.8, 0.3, 0.2};
  spec.secondary = {0.2, 0.3, 0.7};
  spec.figures = {{"Alice", {0.8, 0.2, 0.3}, 1.0, true}, {"Le chat", {0.3, 0.3, 0.3}, 0.4, false}};
  spec.title = "Chapitre 2 — scène 3";
  spec.caption = "Alice retrouve son chat devant la boulangerie.";
  spec.seed = 42;
  return spec;
}

Image render(const PanelSpec& spec) {
  auto image = render_panel(spec);
  EXPECT_TRUE(image.ok()) << image.error().message;
  return image.ok() ? std::move(image).value() : Image{};
}

// Pixels of the rows [top, bottom) that differ from `ref` (BGR) by more than `tolerance`, away
// from the left and right edges (the comic frame).
int pixels_unlike(const Image& image, int top, int bottom, const uint8_t* ref, int tolerance) {
  constexpr int kEdge = 8;
  int n = 0;
  for (int y = top; y < bottom; ++y) {
    for (int x = kEdge; x < image.width - kEdge; ++x) {
      const uint8_t* p = &image.bgra[(static_cast<size_t>(y) * image.width + x) * 4];
      if (std::abs(p[0] - ref[0]) + std::abs(p[1] - ref[1]) + std::abs(p[2] - ref[2]) > tolerance) {
        ++n;
      }
    }
  }
  return n;
}

TEST(Panel, RendersTheRequestedSize) {
  PanelSpec spec = scene_spec();
  spec.width = 321;
  spec.height = 217;
  const Image image = render(spec);
  EXPECT_EQ(image.width, 321);
  EXPECT_EQ(image.height, 217);
  EXPECT_EQ(image.bgra.size(), 321u * 217u * 4u);
}

TEST(Panel, TheSameSpecTwiceGivesIdenticalBytes) {
  for (const auto style : {PanelStyle::kSketch, PanelStyle::kComic, PanelStyle::kNoir}) {
    PanelSpec spec = scene_spec();
    spec.style = style;
    EXPECT_EQ(render(spec).bgra, render(spec).bgra) << static_cast<int>(style);
  }
}

TEST(Panel, EverySettingDrawsADifferentPicture) {
  const std::vector<Setting> settings = {
      Setting::kInterior, Setting::kStreet,   Setting::kCountryside, Setting::kForest,
      Setting::kSea,      Setting::kMountain, Setting::kUnknown};
  std::vector<std::vector<uint8_t>> images;
  for (const auto setting : settings) {
    PanelSpec spec = scene_spec();
    spec.setting = setting;
    images.push_back(render(spec).bgra);
  }
  for (size_t i = 0; i < images.size(); ++i) {
    for (size_t j = i + 1; j < images.size(); ++j) {
      EXPECT_NE(images[i], images[j]) << "settings " << i << " and " << j;
    }
  }
}

TEST(Panel, TimeOfDayAndSeedChangeThePicture) {
  PanelSpec spec = scene_spec();
  const auto base = render(spec).bgra;
  spec.time = TimeOfDay::kNight;
  EXPECT_NE(render(spec).bgra, base);
  spec = scene_spec();
  spec.seed = 43;
  EXPECT_NE(render(spec).bgra, base);
}

TEST(Panel, NoirIsGreyscale) {
  PanelSpec spec = scene_spec();
  spec.style = PanelStyle::kNoir;
  spec.setting = Setting::kForest;
  const Image image = render(spec);
  int non_black = 0;
  for (size_t i = 0; i < image.bgra.size(); i += 4) {
    ASSERT_EQ(image.bgra[i], image.bgra[i + 1]) << "pixel " << i / 4;
    ASSERT_EQ(image.bgra[i + 1], image.bgra[i + 2]) << "pixel " << i / 4;
    non_black += image.bgra[i] > 40 ? 1 : 0;
  }
  EXPECT_GT(non_black, image.width * image.height / 10);  // a picture, not a black frame
}

TEST(Panel, PngStartsWithTheSignatureAndReadsBackAtTheSameSize) {
  const Image image = render(scene_spec());
  auto png = encode_png(image);
  ASSERT_TRUE(png.ok()) << png.error().message;
  ASSERT_GT(png->size(), 8u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

  struct Reader {
    const std::string* bytes;
    size_t at = 0;
  } reader{&png.value()};
  const auto read = [](void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->at + length > r->bytes->size()) {
      return CAIRO_STATUS_READ_ERROR;
    }
    std::copy_n(r->bytes->data() + r->at, length, reinterpret_cast<char*>(data));
    r->at += length;
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(read, &reader);
  ASSERT_EQ(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
  EXPECT_EQ(cairo_image_surface_get_width(surface), image.width);
  EXPECT_EQ(cairo_image_surface_get_height(surface), image.height);
  cairo_surface_destroy(surface);
}

TEST(Panel, EncodePngRefusesAnInconsistentImage) {
  Image image;
  image.width = 10;
  image.height = 10;
  image.bgra.resize(10);
  EXPECT_FALSE(encode_png(image).ok());
}

TEST(Panel, AFrenchCaptionWithAccentsInksTheCaptionBand) {
  for (const auto style : {PanelStyle::kSketch, PanelStyle::kComic, PanelStyle::kNoir}) {
    PanelSpec spec = scene_spec();
    spec.style = style;
    spec.caption = "    ";  // the band without text
    const Image blank = render(spec);
    spec.caption = "Élodie s'arrête, ça déçoit : « où êtes-vous ? » — à bientôt, Noël !";
    const Image accented = render(spec);
    spec.caption = "Elodie s'arrete, ca decoit : « ou etes-vous ? » — a bientot, Noel !";
    const Image plain = render(spec);

    // The band's rows below its top rule and above the comic frame, and its colour.
    const int band_top = spec.height - spec.height * 17 / 100 + 4;
    const int band_bottom = spec.height - 8;
    const uint8_t* background =
        &blank.bgra[(static_cast<size_t>(band_bottom) * spec.width + spec.width / 2) * 4];
    EXPECT_EQ(pixels_unlike(blank, band_top, band_bottom, background, 12), 0);
    EXPECT_GT(pixels_unlike(accented, band_top, band_bottom, background, 60), 500)
        << "style " << static_cast<int>(style);
    // The accents themselves are drawn: the picture differs from the same words without them.
    EXPECT_NE(accented.bgra, plain.bgra);
  }
}

TEST(Panel, ALongCaptionStaysInsideTheBand) {
  PanelSpec spec = scene_spec();
  spec.caption = std::string(2000, 'x') + " fin";
  const Image image = render(spec);
  EXPECT_EQ(image.width, spec.width);
}

TEST(Panel, SizesOutOfRangeAreInvalid) {
  for (const auto& [w, h] :
       std::vector<std::pair<int, int>>{{0, 100}, {100, 0}, {8193, 100}, {100, 8193}, {-5, 100}}) {
    PanelSpec spec = scene_spec();
    spec.width = w;
    spec.height = h;
    const auto image = render_panel(spec);
    ASSERT_FALSE(image.ok()) << w << "x" << h;
    EXPECT_EQ(image.error().code, ErrorCode::kInvalid);
  }
}

TEST(Panel, Renders720pInReasonableTime) {
  PanelSpec spec = scene_spec();
  spec.width = 1280;
  spec.height = 720;
  spec.setting = Setting::kForest;
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRuns = 5;
  for (int i = 0; i < kRuns; ++i) {
    spec.seed = static_cast<uint32_t>(i);
    ASSERT_TRUE(render_panel(spec).ok());
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
      kRuns;
  std::cout << "[ TIMING   ] render_panel 1280x720: " << ms << " ms\n";
  EXPECT_LT(ms, 2000);
}

}  // namespace
}  // namespace atelier::media
