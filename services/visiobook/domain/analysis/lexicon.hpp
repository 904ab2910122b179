// The shipped word lists of the analysis, in English and French: words that are never names,
// titles, speech verbs, pronouns, negations, time phrases, setting nouns, and the tagged
// lexicons of emotion, genre and sensitive content. All written for Atelier as source data;
// none is copied from a licensed lexicon. Lookups take lower-cased words with ’ written '.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::analysis::detail {

using domain::Language;

enum class Gender { kUnknown, kMale, kFemale, kNeuter };

// Words with a trailing period that end no sentence: "M.", "Mr.", "Dr.", "St.".
const std::vector<std::string_view>& abbreviations(Language language);

// Function words, interjections, days, months, forms of address: a capitalised one is no name.
bool is_name_stop_word(std::string_view lower, Language language);
// Function words only: left out of the summary's word vectors.
bool is_function_word(std::string_view lower, Language language);

struct TitleInfo {
  bool found = false;
  Gender gender = Gender::kUnknown;
  bool address = false;  // "Sir", "Madame", "Mr." alone name nobody
};
// "m" and "mm" are titles only when written "M." / "MM.".
TitleInfo title_info(std::string_view lower, bool period_after, Language language);
// Nouns that are part of a name and tell its gender: "Queen", "King", "Duchess".
Gender noun_gender(std::string_view lower, Language language);
// Pronouns that tell a gender: he/she/it, il/elle.
Gender pronoun_gender(std::string_view lower, Language language);

bool is_particle(std::string_view lower, Language language);     // de, du, d', of
bool is_article(std::string_view lower, Language language);      // the, le, la, l'
bool is_locative(std::string_view lower, Language language);     // in, at, à, dans
bool is_speech_verb(std::string_view lower, Language language);  // said, cried, dit, répondit
bool is_negator(std::string_view lower, Language language);      // not, never, pas, jamais
bool is_month(std::string_view lower, Language language);
bool is_known_place(std::string_view lower, Language language);  // "paris", "london"
// Nouns that head a place name: "rue" before it in French, "Street" after it in English.
bool is_place_head(std::string_view lower, Language language);

// Time phrases as token sequences ("le", "lendemain"), longest first.
const std::vector<std::vector<std::string>>& time_phrases(Language language);

// The canonical setting noun ("forest") of a word ("woods"), or "".
std::string_view setting_of(std::string_view lower, Language language);

// A word list whose rows tag whole forms ("happy") or stems ("delight*" matches "delighted").
// Whole forms also match through simple suffixes: plural, French gender, English -ed/-ing.
class TaggedLexicon {
 public:
  TaggedLexicon(Language language, std::initializer_list<std::pair<int, std::string_view>> rows);
  int find(std::string_view lower) const;  // the tag, or -1

 private:
  int find_form(const std::string& form) const;

  Language language_;
  std::unordered_map<std::string, int> forms_;
  std::unordered_map<std::string, int> stems_;
  std::size_t longest_stem_ = 0;
};

// Tags are the Emotion enumerators' values.
const TaggedLexicon& emotion_lexicon(Language language);

const std::vector<std::string_view>& genre_names();  // "adventure", "mystery", ...
const TaggedLexicon& genre_lexicon(Language language);

const std::vector<std::string_view>& flag_names();  // "violence", "death", "alcohol", "weapons"
const TaggedLexicon& flag_lexicon(Language language);

}  // namespace atelier::visiobook::analysis::detail
