// Analysis of small hand-written passages: sentence splitting with abbreviations, names with
// titles and elisions, dialogue speakers, places and time markers, emotion and negation,
// scene breaks, content classification, and empty books.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::analysis {
namespace {

using domain::Book;
using domain::Language;

// One chapter, one paragraph per string.
Book book_of(Language language, const std::vector<std::string>& paragraphs) {
  Book book;
  book.language = language;
  book.chapters.emplace_back();
  for (const auto& p : paragraphs) {
    book.chapters.back().paragraphs.push_back({p, false});
  }
  return book;
}

Options every_name() {
  Options o;
  o.min_mentions = 1;
  return o;
}

const Character* character(const Analysis& a, const std::string& name) {
  for (const auto& c : a.characters) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

std::string speaker_name(const Analysis& a, const DialogueLine& line) {
  for (const auto& c : a.characters) {
    if (c.id == line.character_id) {
      return c.name;
    }
  }
  return "";
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool has_place(const Analysis& a, const std::string& name) {
  return std::any_of(a.places.begin(), a.places.end(),
                     [&](const Place& p) { return p.name == name; });
}

// ---- Sentences -----------------------------------------------------------------------------

TEST(AnalysisSentences, FrenchTitlesEndNoSentence) {
  const auto s = split_sentences("M. Dupont arriva. Mme Martin aussi.", Language::kFrench);
  ASSERT_EQ(s.size(), 2U);
  EXPECT_EQ(s[0], "M. Dupont arriva.");
  EXPECT_EQ(s[1], "Mme Martin aussi.");
}

TEST(AnalysisSentences, EnglishTitlesEndNoSentence) {
  const auto s = split_sentences("Mr. Holmes smiled. He spoke.", Language::kEnglish);
  ASSERT_EQ(s.size(), 2U);
  EXPECT_EQ(s[0], "Mr. Holmes smiled.");
  EXPECT_EQ(s[1], "He spoke.");
  EXPECT_EQ(
      split_sentences("Dr. Watson and Mrs. Hudson came in. They sat.", Language::kEnglish).size(),
      2U);
}

TEST(AnalysisSentences, EllipsisBreaksOnlyBeforeACapital) {
  EXPECT_EQ(split_sentences("He waited... Then he left.", Language::kEnglish).size(), 2U);
  EXPECT_EQ(split_sentences("He waited... and then he left.", Language::kEnglish).size(), 1U);
  EXPECT_EQ(split_sentences("Il attendit… Puis il partit.", Language::kFrench).size(), 2U);
}

TEST(AnalysisSentences, QuotationFollowedByNarrationStaysOneSentence) {
  const auto en = split_sentences("‘I shall be late!’ thought Alice. She ran.", Language::kEnglish);
  ASSERT_EQ(en.size(), 2U);
  EXPECT_EQ(en[0], "‘I shall be late!’ thought Alice.");
  const auto fr =
      split_sentences("— Zambinella ! s’écria Sarrasine. Il se tut.", Language::kFrench);
  ASSERT_EQ(fr.size(), 2U);
  EXPECT_EQ(fr[0], "— Zambinella ! s’écria Sarrasine.");
  EXPECT_EQ(split_sentences("« Venez ! » dit-elle. Il obéit.", Language::kFrench).size(), 2U);
}

TEST(AnalysisSentences, EmptyTextHasNoSentence) {
  EXPECT_TRUE(split_sentences("", Language::kEnglish).empty());
  EXPECT_TRUE(split_sentences("   ", Language::kFrench).empty());
}

// ---- Characters ----------------------------------------------------------------------------

TEST(AnalysisCharacters, TitleFirstNameAndFullNameMergeIntoOne) {
  const Book book = book_of(Language::kFrench, {"Emma Bovary entra dans le salon.",
                                                "Mme Bovary regarda le jardin. Emma sourit.",
                                                "Plus tard, Emma partit avec Charles."});
  const Analysis a = analyse(book, every_name());
  const Character* emma = character(a, "Emma Bovary");
  ASSERT_NE(emma, nullptr);
  EXPECT_EQ(emma->mentions, 4U);
  EXPECT_TRUE(has(emma->aliases, "Emma"));
  EXPECT_TRUE(has(emma->aliases, "Mme Bovary"));
  EXPECT_EQ(emma->gender, "female");
  EXPECT_EQ(a.characters.front().id, "c1");
  EXPECT_EQ(a.characters.front().name, "Emma Bovary");
  EXPECT_NE(character(a, "Charles"), nullptr);
}

TEST(AnalysisCharacters, ElidedArticleIsNoPartOfTheName) {
  const Book book =
      book_of(Language::kFrench, {"Le jeune d’Artagnan arriva à Paris.",
                                  "Tout le monde regardait d’Artagnan. On parlait de d’Artagnan."});
  const Analysis a = analyse(book);
  ASSERT_FALSE(a.characters.empty());
  EXPECT_EQ(a.characters.front().name, "Artagnan");
  EXPECT_EQ(a.characters.front().mentions, 3U);
  EXPECT_EQ(character(a, "Paris"), nullptr);
  EXPECT_TRUE(has_place(a, "Paris"));
}

TEST(AnalysisCharacters, MinMentionsAndMaxCharactersLimitTheList) {
  const Book book = book_of(Language::kEnglish, {"Tom met Ann. Tom smiled at Ann and at Bob.",
                                                 "Later Tom left, and Ann stayed with Tom."});
  Options o;
  o.min_mentions = 3;
  const Analysis a = analyse(book, o);
  ASSERT_EQ(a.characters.size(), 2U);
  EXPECT_EQ(a.characters[0].name, "Tom");
  EXPECT_EQ(a.characters[0].mentions, 4U);
  EXPECT_EQ(a.characters[1].name, "Ann");
  o.max_characters = 1;
  EXPECT_EQ(analyse(book, o).characters.size(), 1U);
}

// ---- Dialogue ------------------------------------------------------------------------------

TEST(AnalysisDialogue, EnglishSpeakersFromTheIncise) {
  const Book book =
      book_of(Language::kEnglish,
              {"Alice was walking with the Hatter in the garden.",
               "‘What a lovely day,’ said Alice.", "‘It is always six o’clock,’ the Hatter said.",
               "Somebody shouted from far away: ‘Off with their heads!’",
               "‘Who said that?’ cried the Queen."});
  const Analysis a = analyse(book, every_name());
  ASSERT_EQ(a.dialogue.size(), 4U);
  EXPECT_EQ(a.dialogue[0].text, "What a lovely day,");
  EXPECT_EQ(speaker_name(a, a.dialogue[0]), "Alice");
  EXPECT_EQ(speaker_name(a, a.dialogue[1]), "Hatter");
  EXPECT_EQ(a.dialogue[2].character_id, "");
  EXPECT_EQ(speaker_name(a, a.dialogue[3]), "Queen");
  EXPECT_EQ(a.dialogue[1].at.paragraph, 2U);
  EXPECT_EQ(character(a, "Alice")->lines_spoken, 1U);
}

TEST(AnalysisDialogue, FrenchSpeakersFromNamesPronounsAndAlternation) {
  const Book book = book_of(
      Language::kFrench,
      {"— Qui va là ?", "Sarrasine entra chez Mme de Lanty.", "« Je vous aime », dit Sarrasine.",
       "— Vous êtes fou, répondit-elle en riant.", "— Je suis sérieux."});
  const Analysis a = analyse(book, every_name());
  ASSERT_EQ(a.dialogue.size(), 4U);
  EXPECT_EQ(a.dialogue[0].character_id, "");  // nobody is named yet
  EXPECT_EQ(a.dialogue[1].text, "Je vous aime");
  EXPECT_EQ(speaker_name(a, a.dialogue[1]), "Sarrasine");
  EXPECT_EQ(speaker_name(a, a.dialogue[2]), "Mme de Lanty");
  EXPECT_EQ(speaker_name(a, a.dialogue[3]), "Sarrasine");  // the two of them alternate
}

TEST(AnalysisDialogue, PronounWithoutAClearAntecedentStaysEmpty) {
  const Book book =
      book_of(Language::kFrench, {"Pierre et Marie entrèrent.", "— Il fait froid, dit-il."});
  const Analysis a = analyse(book, every_name());
  ASSERT_EQ(a.dialogue.size(), 1U);
  EXPECT_EQ(a.dialogue[0].character_id, "");
}

// ---- Places and time -----------------------------------------------------------------------

TEST(AnalysisPlacesTimes, FrenchPlaceAfterPrepositionAndTimeMarker) {
  const Analysis a = analyse(book_of(Language::kFrench, {"Il arriva à Paris le lendemain."}));
  EXPECT_TRUE(has_place(a, "Paris"));
  EXPECT_TRUE(has(a.time_markers, "le lendemain"));
  ASSERT_EQ(a.scenes.size(), 1U);
  EXPECT_EQ(a.scenes[0].place, "Paris");
  EXPECT_EQ(a.scenes[0].time_marker, "le lendemain");
  EXPECT_TRUE(a.characters.empty());
}

TEST(AnalysisPlacesTimes, EnglishPlaceAfterPrepositionAndTimeMarker) {
  const Analysis a =
      analyse(book_of(Language::kEnglish, {"He arrived in London the next morning."}));
  EXPECT_TRUE(has_place(a, "London"));
  EXPECT_TRUE(has(a.time_markers, "the next morning"));
  EXPECT_EQ(a.scenes.at(0).place, "London");
  EXPECT_EQ(a.scenes.at(0).time_marker, "the next morning");
}

TEST(AnalysisPlacesTimes, StreetsBuildingsDatesAndSettings) {
  const Analysis fr = analyse(book_of(
      Language::kFrench, {"Le 12 mars 1830, il habitait rue Saint-Honoré, près de l’hôtel de "
                          "Lanty. Le soir, il entra dans le jardin."}));
  EXPECT_TRUE(has_place(fr, "rue Saint-Honoré"));
  EXPECT_TRUE(has_place(fr, "hôtel de Lanty"));
  EXPECT_TRUE(has(fr.time_markers, "12 mars 1830"));
  EXPECT_TRUE(has(fr.time_markers, "Le soir"));
  EXPECT_EQ(fr.scenes.at(0).setting, "jardin");
  const Analysis en = analyse(book_of(
      Language::kEnglish, {"They met at the Elysée-Bourbon at midnight, and walked in the woods "
                           "at dawn."}));
  EXPECT_TRUE(has_place(en, "Elysée-Bourbon"));
  EXPECT_TRUE(has(en.time_markers, "at midnight"));
  EXPECT_TRUE(has(en.time_markers, "at dawn"));
  EXPECT_EQ(en.scenes.at(0).setting, "forest");
}

// ---- Emotion -------------------------------------------------------------------------------

Tone tone_of(Language language, const std::string& text) {
  const Analysis a = analyse(book_of(language, {text}));
  EXPECT_EQ(a.scenes.size(), 1U);
  return a.scenes.empty() ? Tone{} : a.scenes[0].tone;
}

TEST(AnalysisEmotion, JoyfulAndFearfulPassagesInEnglish) {
  const Tone joy = tone_of(Language::kEnglish,
                           "Alice laughed with delight. She was so happy and glad, and the whole "
                           "garden seemed merry and bright. What a wonderful, lovely day!");
  EXPECT_EQ(joy.dominant, Emotion::kJoy);
  EXPECT_GT(joy.valence, 0.5);
  const Tone fear = tone_of(Language::kEnglish,
                            "He trembled with fear. The dark forest was full of terror and "
                            "danger; a scream made him shudder, and he was terrified and afraid.");
  EXPECT_EQ(fear.dominant, Emotion::kFear);
  EXPECT_LT(fear.valence, -0.5);
  EXPECT_GT(fear.arousal, joy.arousal);
  double sum = 0;
  for (const auto& [e, share] : fear.emotions) {
    sum += share;
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_STREQ(emotion_name(fear.dominant), "fear");
}

TEST(AnalysisEmotion, JoyfulAndFearfulPassagesInFrench) {
  const Tone joy = tone_of(Language::kFrench,
                           "Elle riait de joie. Quel bonheur ! Elle était heureuse, gaie et ravie "
                           "; le jardin était charmant et délicieux.");
  EXPECT_EQ(joy.dominant, Emotion::kJoy);
  EXPECT_GT(joy.valence, 0.5);
  const Tone fear = tone_of(Language::kFrench,
                            "Il tremblait de peur. Une terreur affreuse le prit ; il était "
                            "effrayé, épouvanté, plein d’horreur et d’angoisse.");
  EXPECT_EQ(fear.dominant, Emotion::kFear);
  EXPECT_LT(fear.valence, -0.5);
}

TEST(AnalysisEmotion, NegationFlipsTheEmotion) {
  const Tone happy = tone_of(Language::kEnglish, "I am happy.");
  EXPECT_EQ(happy.dominant, Emotion::kJoy);
  EXPECT_GT(happy.valence, 0);
  const Tone not_happy = tone_of(Language::kEnglish, "I am not happy.");
  EXPECT_EQ(not_happy.dominant, Emotion::kSadness);
  EXPECT_LT(not_happy.valence, 0);
  const Tone pas_heureux = tone_of(Language::kFrench, "Il n’était pas heureux.");
  EXPECT_EQ(pas_heureux.dominant, Emotion::kSadness);
  EXPECT_LT(pas_heureux.valence, 0);
}

TEST(AnalysisEmotion, TextWithoutEmotionWordsHasNoTone) {
  const Tone none = tone_of(Language::kEnglish, "The table stood in the middle of the room.");
  EXPECT_TRUE(none.emotions.empty());
  EXPECT_EQ(none.valence, 0);
  EXPECT_EQ(none.arousal, 0);
}

// ---- Scenes --------------------------------------------------------------------------------

std::string words(std::size_t n) {
  std::string out = "Then Tom";
  for (std::size_t i = 2; i < n; ++i) {
    out += " walked";
  }
  return out + ".";
}

TEST(AnalysisScenes, BreaksAtSceneBreaksTimeMarkersAndLength) {
  Book book =
      book_of(Language::kEnglish, {words(40), words(40), "The next morning, Tom " + words(30),
                                   words(40), words(40), words(40), words(40), words(40)});
  book.chapters[0].paragraphs[3].after_break = true;
  Options o;
  o.min_scene_words = 30;
  o.max_scene_words = 90;
  const Analysis a = analyse(book, o);
  ASSERT_GE(a.scenes.size(), 4U);
  EXPECT_EQ(a.scenes[0].break_reason, "chapter");
  EXPECT_EQ(a.scenes[0].last_paragraph, 1U);
  EXPECT_EQ(a.scenes[1].break_reason, "time");
  EXPECT_EQ(a.scenes[1].first_paragraph, 2U);
  EXPECT_EQ(a.scenes[1].time_marker, "The next morning");
  EXPECT_EQ(a.scenes[2].break_reason, "break");
  EXPECT_EQ(a.scenes[2].first_paragraph, 3U);
  EXPECT_EQ(a.scenes.back().last_paragraph, 7U);
  for (std::size_t i = 3; i < a.scenes.size(); ++i) {
    EXPECT_EQ(a.scenes[i].break_reason, "length");
  }
  for (const Scene& s : a.scenes) {
    EXPECT_LE(s.words, o.max_scene_words);
  }
}

TEST(AnalysisScenes, ShortScenesMergeIntoTheirNeighbour) {
  Book book = book_of(Language::kEnglish, {words(50), words(5), words(50)});
  book.chapters[0].paragraphs[1].after_break = true;
  book.chapters[0].paragraphs[2].after_break = true;
  Options o;
  o.min_scene_words = 20;
  const Analysis a = analyse(book, o);
  ASSERT_EQ(a.scenes.size(), 2U);
  EXPECT_EQ(a.scenes[0].last_paragraph, 1U);
  EXPECT_EQ(a.scenes[0].words, 55U);
  EXPECT_EQ(a.scenes[1].break_reason, "break");
  EXPECT_EQ(a.scenes[1].first_paragraph, 2U);
  EXPECT_EQ(a.scenes[0].cast, std::vector<std::string>{"c1"});
}

TEST(AnalysisScenes, EveryChapterStartsAScene) {
  Book book = book_of(Language::kEnglish, {words(10)});
  book.chapters.push_back({"Two", {{words(10), false}}});
  const Analysis a = analyse(book);
  ASSERT_EQ(a.scenes.size(), 2U);
  EXPECT_EQ(a.scenes[1].chapter, 1U);
  EXPECT_EQ(a.scenes[1].break_reason, "chapter");
  EXPECT_EQ(a.scenes[1].summary, std::vector<std::string>{words(10)});
}

// ---- Classification ------------------------------------------------------------------------

TEST(AnalysisClassification, GenreHintsAndSensitiveFlags) {
  const Analysis a = analyse(book_of(
      Language::kEnglish,
      {"The pirate ship sailed to the island. The pirates wanted the treasure, and the captain "
       "drew his sword and his pistol. Blood ran on the deck when they fought, and two men were "
       "killed. The voyage went on, and the island kept its treasure."}));
  EXPECT_EQ(a.classification.genre_hints.at(0), "adventure");
  EXPECT_TRUE(has(a.classification.flags, "violence"));
  EXPECT_TRUE(has(a.classification.flags, "weapons"));
  EXPECT_FALSE(has(a.classification.flags, "alcohol"));
  EXPECT_EQ(a.classification.flags, a.scenes.at(0).flags);
}

TEST(AnalysisClassification, QuietTextHasNoFlags) {
  const Analysis a = analyse(book_of(
      Language::kFrench, {"Elle lisait au jardin. Le ciel était bleu et les oiseaux chantaient."}));
  EXPECT_TRUE(a.classification.flags.empty());
}

// ---- Empty books ---------------------------------------------------------------------------

TEST(AnalysisEmpty, BookWithoutTextGivesAnEmptyAnalysis) {
  for (const Book& book :
       {Book{}, book_of(Language::kFrench, {}), book_of(Language::kEnglish, {"", "   "})}) {
    const Analysis a = analyse(book);
    EXPECT_EQ(a.words, 0U);
    EXPECT_TRUE(a.characters.empty());
    EXPECT_TRUE(a.scenes.empty());
    EXPECT_TRUE(a.dialogue.empty());
    EXPECT_TRUE(a.summary.empty());
  }
}

}  // namespace
}  // namespace atelier::visiobook::analysis
