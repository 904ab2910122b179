// The storyboard's plan: one shot per scene within the target length, narration cut to the pace,
// settings and time of day read from the scene, characters keeping their colours.
#include "visiobook/domain/storyboard.hpp"

#include <gtest/gtest.h>

namespace atelier::visiobook::domain {
namespace {

// A book of `scenes` one-paragraph chapters, and an analysis with one scene per chapter.
struct Fixture {
  Book book;
  analysis::Analysis analysis;
};

Fixture fixture(size_t scenes, const std::string& paragraph, size_t words_per_scene = 300) {
  Fixture f;
  f.analysis.language = Language::kEnglish;
  f.analysis.characters = {{"c1", "Alice", {}, 40, 5, "female"},
                           {"c2", "White Rabbit", {"Rabbit"}, 12, 2, "male"}};
  for (size_t i = 0; i < scenes; ++i) {
    f.book.chapters.push_back({"Chapter " + std::to_string(i + 1), {{paragraph, false}}});
    analysis::Scene s;
    s.index = i;
    s.chapter = i;
    s.cast = {"c1", "c2"};
    s.summary = {"Alice ran after the Rabbit across the field.",
                 "She fell for a long time down the well, thinking of her cat Dinah and wondering "
                 "where she would land."};
    s.words = words_per_scene;
    f.analysis.scenes.push_back(s);
  }
  f.analysis.dialogue.push_back({{0, 0, 0}, "Oh dear!", "c2"});
  return f;
}

TEST(Storyboard, OneShotPerSceneWhenTheLengthAllows) {
  auto f = fixture(3, "Alice sat on the bank of the river in the garden.");
  Settings settings;
  settings.target_minutes = 5;
  const Storyboard board = plan_storyboard(f.book, f.analysis, settings);
  ASSERT_EQ(board.shots.size(), 3u);
  EXPECT_EQ(board.chapters.size(), 3u);
  EXPECT_EQ(board.chapters[1].first_shot, 1u);
  EXPECT_EQ(board.chapters[0].title, "Chapter 1");
  for (size_t i = 0; i < board.shots.size(); ++i) {
    EXPECT_EQ(board.shots[i].scene, i);
    EXPECT_EQ(board.shots[i].setting, Setting::kCountryside);
    EXPECT_EQ(board.shots[i].time, TimeOfDay::kDay);
    EXPECT_EQ(board.shots[i].caption, "Alice ran after the Rabbit across the field.");
  }
  // The Rabbit speaks in the first scene only; colours follow the characters' ranks.
  ASSERT_EQ(board.shots[0].figures.size(), 2u);
  EXPECT_TRUE(board.shots[0].figures[1].speaking);
  EXPECT_FALSE(board.shots[1].figures[1].speaking);
  EXPECT_EQ(board.shots[2].figures[0].colour.r, character_colour(0).r);
  EXPECT_EQ(board.shots[2].figures[1].colour.b, character_colour(1).b);
}

TEST(Storyboard, ManyScenesAreGroupedToFitTheTargetLength) {
  auto f = fixture(40, "It was night, and the moon shone on the dark sea by the ship.");
  Settings settings;
  settings.target_minutes = 1;  // about one shot per 8 seconds: 7 shots
  const Storyboard board = plan_storyboard(f.book, f.analysis, settings);
  ASSERT_EQ(board.shots.size(), 7u);
  for (size_t i = 1; i < board.shots.size(); ++i) {
    EXPECT_LT(board.shots[i - 1].scene, board.shots[i].scene);  // reading order
  }
  EXPECT_EQ(board.shots[0].setting, Setting::kSea);
  EXPECT_EQ(board.shots[0].time, TimeOfDay::kNight);
}

TEST(Storyboard, NarrationIsCutToThePace) {
  auto f = fixture(2, "A room in the house.");
  Settings slow;
  slow.target_minutes = 1;
  slow.pacing = Pacing::kSlow;
  const Storyboard board = plan_storyboard(f.book, f.analysis, slow);
  ASSERT_EQ(board.shots.size(), 2u);
  // 140 words a minute over 2 shots: both sentences fit.
  EXPECT_EQ(board.shots[0].narration,
            f.analysis.scenes[0].summary[0] + " " + f.analysis.scenes[0].summary[1]);
  f = fixture(7, "A room in the house.");
  const Storyboard tight = plan_storyboard(f.book, f.analysis, slow);
  ASSERT_EQ(tight.shots.size(), 7u);
  // 140 words over 7 shots: 20 words each, so only the first sentence is said.
  EXPECT_EQ(tight.shots[0].narration, f.analysis.scenes[0].summary[0]);
  EXPECT_EQ(tight.narration_words, 7u * 8u);  // "Alice ran after the Rabbit across the field."
}

TEST(Storyboard, FrenchTitlesAndLongCaptionsShortenedOnAWord) {
  auto f = fixture(1, "Dans le salon de l'hôtel, à minuit.");
  f.analysis.language = Language::kFrench;
  f.analysis.scenes[0].summary = {std::string(100, 'a') + " " + std::string(100, 'b')};
  const Storyboard board = plan_storyboard(f.book, f.analysis, Settings{});
  ASSERT_EQ(board.shots.size(), 1u);
  EXPECT_EQ(board.shots[0].title, "Chapitre 1 — scène 1");
  EXPECT_EQ(board.shots[0].caption, std::string(100, 'a') + "…");
  EXPECT_EQ(board.shots[0].setting, Setting::kInterior);
  EXPECT_NE(board.shots[0].notes.find("Personnages : Alice, White Rabbit"), std::string::npos);
}

TEST(Storyboard, ALongSceneIsShownInSeveralShotsWhenTheLengthAllows) {
  Fixture f;
  f.analysis.language = Language::kEnglish;
  Chapter chapter{"Chapter 1", {}};
  for (int p = 0; p < 8; ++p) {
    std::string text = "Paragraph " + std::to_string(p) + " begins here. ";
    for (int w = 0; w < 37; ++w) {
      text += "It rained all day. ";
    }
    chapter.paragraphs.push_back({text, false});
  }
  f.book.chapters.push_back(chapter);
  analysis::Scene scene;
  scene.index = 0;
  scene.first_paragraph = 0;
  scene.last_paragraph = 7;
  scene.words = 8 * 152;
  scene.summary = {"Paragraph 5 begins here."};
  f.analysis.scenes.push_back(scene);
  Settings settings;
  settings.target_minutes = 5;
  const Storyboard board = plan_storyboard(f.book, f.analysis, settings);
  // 1216 words: four parts (at most four, about 250 words each) of two paragraphs.
  ASSERT_EQ(board.shots.size(), 4u);
  EXPECT_EQ(board.shots[0].title, "Chapter 1 — scene 1 · 1/4");
  EXPECT_EQ(board.shots[3].title, "Chapter 1 — scene 1 · 4/4");
  // A part says the summary sentence it holds, or else its own first sentence.
  EXPECT_EQ(board.shots[0].narration, "Paragraph 0 begins here.");
  EXPECT_EQ(board.shots[1].narration, "Paragraph 2 begins here.");
  EXPECT_EQ(board.shots[2].narration, "Paragraph 5 begins here.");
  EXPECT_EQ(board.shots[3].narration, "Paragraph 6 begins here.");
  ASSERT_EQ(board.chapters.size(), 1u);

  settings.target_minutes = 1;  // room for 7 shots: still four, the scene's limit
  EXPECT_EQ(plan_storyboard(f.book, f.analysis, settings).shots.size(), 4u);
}

TEST(Storyboard, NoSceneNoShot) {
  Fixture f;
  EXPECT_TRUE(plan_storyboard(f.book, f.analysis, Settings{}).shots.empty());
}

}  // namespace
}  // namespace atelier::visiobook::domain
