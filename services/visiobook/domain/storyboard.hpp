// The storyboard: which shots the video shows, in order, and what each one says and draws, planned
// from the book's analysis and the project's settings. Pure: the media adapters draw and speak it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/book.hpp"
#include "visiobook/domain/project.hpp"

namespace atelier::visiobook::domain {

enum class Setting { kInterior, kStreet, kCountryside, kForest, kSea, kMountain, kUnknown };
enum class TimeOfDay { kDay, kNight, kDusk };
std::string_view setting_name(Setting s);
std::string_view time_of_day_name(TimeOfDay t);

struct Colour {
  double r = 0, g = 0, b = 0;  // 0..1
};

struct ShotFigure {
  std::string character_id;
  std::string name;
  Colour colour;  // the character's, the same in every shot
  bool speaking = false;
};

struct Shot {
  std::size_t scene = 0;  // index of the analysis scene it shows
  std::size_t chapter = 0;
  std::string title;      // "Chapitre 2 — scène 3" / "Chapter 2 — scene 3"
  std::string caption;    // a sentence of the scene, at most ~160 characters
  std::string narration;  // what the narrator says over the shot
  Setting setting = Setting::kUnknown;
  TimeOfDay time = TimeOfDay::kDay;
  Colour primary;  // mood palette, from the scene's tone
  Colour secondary;
  std::vector<ShotFigure> figures;  // at most four, most present first
  std::string notes;                // place, cast, tone: for the printed storyboard
  std::size_t narration_words = 0;
};

struct ChapterMark {
  std::string title;
  std::size_t first_shot = 0;
};

struct Storyboard {
  std::vector<Shot> shots;
  std::vector<ChapterMark> chapters;
  std::size_t narration_words = 0;
};

// One shot per scene, or fewer when the book has more scenes than the target length holds (about
// one shot per 8 seconds at the pace's speed): consecutive scenes are then grouped and the group's
// longest scene is shown. Narration is the scene's summary, cut to what the length allows.
Storyboard plan_storyboard(const Book& book, const analysis::Analysis& analysis,
                           const Settings& settings);

// The colour a character keeps in every panel: from a fixed palette, by rank.
Colour character_colour(std::size_t rank);

}  // namespace atelier::visiobook::domain
