// Internal model shared by the analysis passes: the book read once into paragraphs, sentences and
// word tokens, and the passes' entry points. Not part of the public API; analyse() composes them.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::analysis::detail {

using domain::Language;

constexpr std::size_t kEmotionCount = 8;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// A half-open byte range of a paragraph.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Token {
  std::size_t begin = 0;  // byte offsets in the paragraph
  std::size_t end = 0;
  std::string lower;          // lower-cased, with ’ written '
  std::size_t sentence = 0;   // index into the paragraph's sentences
  bool capitalised = false;   // the first letter is upper or title case
  bool all_caps = false;      // two letters or more, all upper case ("VERY", "CHAPTER")
  bool initial = false;       // first word of a sentence or of a quotation
  bool numeric = false;       // starts with a digit
  bool elided = false;        // a French elided article or pronoun: "l’", "d’", "qu’"
  bool period_after = false;  // a '.' follows at once ("M.", "Mr.")
};

struct Para {
  std::size_t chapter = 0;
  std::size_t paragraph = 0;  // within the chapter
  std::string_view text;
  std::vector<Span> sentences;
  std::vector<Token> tokens;

  std::string_view slice(std::size_t begin, std::size_t end) const {
    return text.substr(begin, end - begin);
  }
  std::string_view word(const Token& t) const { return slice(t.begin, t.end); }
};

struct Doc {
  Language language = Language::kEnglish;
  std::vector<Para> paras;  // every paragraph of the book, in reading order
};

// A stretch of tokens of one paragraph [first, last) and what it names.
struct Mention {
  std::size_t para = 0;
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t target = 0;  // character index, place index or marker index, by context
};

// text.cpp
std::size_t decode_utf8(std::string_view s, std::size_t pos, char32_t& cp);
std::string to_lower(std::string_view s);
std::string trim(std::string_view s);
std::vector<Token> tokenize(std::string_view text, Language language);
bool is_opening_mark(char32_t cp);  // ‘ “ « " ( — –
// Only white space (and a period when allowed: "M. de Lanty") between tokens i and i + 1.
bool adjacent(const Para& para, std::size_t i, bool allow_period = false);

// sentences.cpp: sentence spans of one paragraph, trimmed, never empty.
class SentenceSplitter {
 public:
  explicit SentenceSplitter(Language language);
  ~SentenceSplitter();
  SentenceSplitter(const SentenceSplitter&) = delete;
  SentenceSplitter& operator=(const SentenceSplitter&) = delete;
  std::vector<Span> split(std::string_view text);

 private:
  struct Impl;
  Impl* impl_;
};

Doc read_book(const domain::Book& book);

// places_times.cpp
struct PlaceTimeResult {
  std::vector<Mention> place_patterns;     // "rue Saint-Honoré", "hôtel de Lanty": target unused
  std::vector<std::string> pattern_names;  // one per place_patterns entry
  std::vector<Mention> times;              // target: index into markers
  std::vector<std::string> markers;        // as first printed, distinct case-insensitively
};
PlaceTimeResult find_places_and_times(const Doc& doc);
bool is_locative_context(const Para& para, std::size_t first_token, Language language);

// characters.cpp
struct CharacterResult {
  std::vector<Character> characters;    // ranked, ids assigned
  std::vector<Mention> mentions;        // target: character index
  std::vector<Place> places;            // named places, most mentioned first
  std::vector<Mention> place_mentions;  // target: index into places
};
CharacterResult find_characters(const Doc& doc, const PlaceTimeResult& patterns,
                                const Options& options);

// dialogue.cpp: quoted lines with their speakers; updates lines_spoken.
std::vector<DialogueLine> find_dialogue(const Doc& doc, const std::vector<Mention>& mentions,
                                        std::vector<Character>& characters);

// tone.cpp: lexicon hits of one paragraph.
struct ParaHits {
  std::array<double, kEmotionCount> emotions{};
  std::vector<std::size_t> flags;     // per sensitive flag
  std::vector<std::size_t> genres;    // per genre
  std::vector<std::string> settings;  // setting nouns, canonical, in order
};
ParaHits lexicon_hits(const Para& para, Language language);
Tone tone_of(const std::array<double, kEmotionCount>& hits, std::size_t words);
std::vector<std::string> flags_of(const std::vector<std::size_t>& hits, std::size_t words);
std::vector<std::string> genres_of(const std::vector<std::size_t>& hits, std::size_t words);

// scenes.cpp: paragraph ranges, chapters, break reasons and word counts of the scenes; the
// caller fills in place, time, cast, tone and summary.
struct ParaFeatures {
  std::size_t words = 0;
  bool after_break = false;
  bool opens_with_time = false;
  std::string opening_place;            // a place named in the opening words, or ""
  std::string last_place;               // the last place the paragraph names, or ""
  std::vector<std::size_t> characters;  // character indices mentioned, with repeats
};
struct SceneRange {
  std::size_t chapter = 0;
  std::size_t first = 0;  // index into Doc::paras, inclusive
  std::size_t last = 0;   // inclusive
  std::size_t words = 0;
  std::string reason;
};
std::vector<SceneRange> segment_scenes(const Doc& doc, const std::vector<ParaFeatures>& features,
                                       const Options& options);

// summary.cpp: fills each scene's summary (scenes[i] spans ranges[i]) and returns the book's.
std::vector<std::string> summarise(const Doc& doc, const std::vector<SceneRange>& ranges,
                                   const std::vector<Mention>& mentions, std::vector<Scene>& scenes,
                                   const Options& options);

}  // namespace atelier::visiobook::analysis::detail
