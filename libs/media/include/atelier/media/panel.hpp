// Storyboard panels drawn with cairo from a description: background by kind of place and time of
// day, a palette, labelled figures, a caption. No business rules: the caller decides what to draw.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"

namespace atelier::media {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..1
};

enum class PanelStyle { kSketch, kComic, kNoir };
enum class Setting { kInterior, kStreet, kCountryside, kForest, kSea, kMountain, kUnknown };
enum class TimeOfDay { kDay, kNight, kDusk };

struct Figure {
  std::string label;  // shown under the figure ("Alice")
  Rgb colour;         // the character's colour, the same in every panel
  double height = 1;  // relative: 1 for an adult, smaller for a child or an animal
  bool speaking = false;
};

struct PanelSpec {
  int width = 1280;
  int height = 720;
  PanelStyle style = PanelStyle::kSketch;
  Setting setting = Setting::kUnknown;
  TimeOfDay time = TimeOfDay::kDay;
  Rgb primary;  // mood palette
  Rgb secondary;
  std::vector<Figure> figures;  // drawn left to right
  std::string title;            // small heading ("Chapitre 2 — scène 3"), may be empty
  std::string caption;          // drawn in a band at the bottom, wrapped; may be empty
  uint32_t seed = 0;            // makes the background's details repeatable
};

// A frame of pixels: BGRA (cairo's ARGB32 on little-endian), stride = width * 4.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> bgra;
};

Result<Image> render_panel(const PanelSpec& spec);
Result<std::string> encode_png(const Image& image);  // the PNG file's bytes

// A printable storyboard: A4 landscape pages, `per_page` panels each with its caption and notes.
struct StoryboardPage {
  std::string heading;
};
struct StoryboardEntry {
  const Image* image = nullptr;
  std::string caption;
  std::string notes;  // scene notes: place, cast, tone
};
Result<std::string> storyboard_pdf(const std::string& title,
                                   const std::vector<StoryboardEntry>& entries,
                                   int per_page = 4);  // the PDF file's bytes

}  // namespace atelier::media
