// Analysis of a book, classical and deterministic: sentences, characters (aliases merged),
// dialogue speakers, places and time markers, scenes, extractive summaries, emotion and tone,
// content flags. Pure functions over a domain::Book; the same book gives the same analysis.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::analysis {

// Where something is in the book: chapter, paragraph within it, byte offset within the paragraph.
struct Position {
  std::size_t chapter = 0;
  std::size_t paragraph = 0;
  std::size_t offset = 0;
};

struct Character {
  std::string id;                    // stable within one analysis: "c1", "c2", ... by prominence
  std::string name;                  // the fullest common form: "Emma Bovary"
  std::vector<std::string> aliases;  // other forms merged into it: "Emma", "Mme Bovary"
  std::size_t mentions = 0;          // name and alias occurrences
  std::size_t lines_spoken = 0;      // dialogue lines attributed to it
  std::string gender;                // "female", "male" or "" when the text does not tell
};

struct Place {
  std::string name;  // "Longbourn", "la rue Saint-Honoré"
  std::size_t mentions = 0;
};

struct DialogueLine {
  Position at;
  std::string text;          // the quoted words
  std::string character_id;  // "" when the speaker cannot be told
};

enum class Emotion { kJoy, kSadness, kFear, kAnger, kSurprise, kDisgust, kTrust, kAnticipation };
const char* emotion_name(Emotion e);  // "joy", "sadness", ...

struct Tone {
  std::map<Emotion, double> emotions;  // share of lexicon hits per emotion, summing to 1 (or empty)
  double valence = 0;                  // -1 (dark) .. +1 (bright)
  double arousal = 0;                  // 0 (calm) .. 1 (intense)
  Emotion dominant = Emotion::kTrust;  // meaningful when emotions is not empty
};

struct Scene {
  std::size_t index = 0;  // 0-based, in reading order
  std::size_t chapter = 0;
  std::size_t first_paragraph = 0;   // within the chapter, inclusive
  std::size_t last_paragraph = 0;    // inclusive
  std::string place;                 // the most mentioned place in the scene, or ""
  std::string setting;               // the most frequent setting noun ("garden", "salon"), or ""
  std::string time_marker;           // "le lendemain", "that night", "12 mars 1830", or ""
  std::vector<std::string> cast;     // character ids, most present first
  std::vector<std::string> summary;  // 1-3 sentences taken from the scene, in reading order
  Tone tone;
  std::vector<std::string> flags;  // "violence", "death", "sensitive" ... when the lexicon fires
  std::string break_reason;        // "chapter", "break", "place", "time", "cast", "length"
  std::size_t words = 0;
};

struct Classification {
  std::vector<std::string> genre_hints;  // "adventure", "mystery", "romance", "fantastic", ...
  std::vector<std::string> flags;        // union of the scenes' flags
};

struct Analysis {
  domain::Language language = domain::Language::kEnglish;
  std::size_t sentences = 0;
  std::size_t words = 0;
  std::vector<Character> characters;  // by prominence, most mentioned first
  std::vector<Place> places;
  std::vector<std::string> time_markers;
  std::vector<DialogueLine> dialogue;
  std::vector<Scene> scenes;
  Classification classification;
  std::vector<std::string> summary;  // a few sentences for the whole book
};

struct Options {
  std::size_t max_characters = 40;     // keep the most mentioned
  std::size_t min_mentions = 3;        // a name seen fewer times is not a character
  std::size_t max_scene_words = 2500;  // a longer stretch is cut at the best paragraph break
  std::size_t min_scene_words = 120;   // shorter candidate scenes merge into the previous one
  std::size_t summary_sentences = 2;   // per scene
};

Analysis analyse(const domain::Book& book, const Options& options = {});

// Sentence splitting (ICU, with the language's abbreviations: "M.", "Mme", "Mr.", "Dr.").
std::vector<std::string> split_sentences(const std::string& text, domain::Language language);

}  // namespace atelier::visiobook::analysis
