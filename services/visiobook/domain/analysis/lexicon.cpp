// The shipped word lists of the analysis (see lexicon.hpp). Each list is a string of words
// separated by spaces, read once into a hash set; phrases are separated by '|'.
#include "visiobook/domain/analysis/lexicon.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/analysis/internal.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

using WordSet = std::unordered_set<std::string>;

constexpr std::size_t kMinStem = 3;

WordSet words_of(std::initializer_list<std::string_view> texts) {
  WordSet out;
  for (const std::string_view text : texts) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t end = std::min(text.find(' ', pos), text.size());
      if (end > pos) {
        out.emplace(text.substr(pos, end - pos));
      }
      pos = end + 1;
    }
  }
  return out;
}

bool in(const WordSet& set, std::string_view word) {
  return set.count(std::string(word)) != 0;
}

// ---- Function words ----------------------------------------------------------------------

constexpr std::string_view kEnglishFunction =
    "a about above across after afterwards again against all almost along already also although "
    "always am among an and another any anybody anyhow anyone anything anyway anywhere are "
    "around as at away back be became because become been before behind being below beside "
    "besides between beyond both but by can cannot could did do does doing done down during "
    "each either else enough even ever every everybody everyone everything everywhere except "
    "few first for from further had has have having he her here hers herself him himself his "
    "how however i if in indeed instead into is it its itself just last least less let like "
    "many may me meanwhile might mine more moreover most much must my myself neither never "
    "nevertheless next no nobody none nor not nothing now nowhere of off often on once one only "
    "onto or other others otherwise our ours ourselves out over own perhaps quite rather really "
    "said same say says shall she should since so some somebody someone something sometimes "
    "somewhat somewhere still such than that the their theirs them themselves then there "
    "thereupon these they this those though through throughout thus till to together too toward "
    "towards under until up upon us very was we well were what whatever when whenever where "
    "wherever whether which while who whoever whole whom whose why will with within without "
    "would yet you your yours yourself yourselves two three four five six seven eight nine ten "
    "i'm i'll i've i'd don't didn't can't won't isn't wasn't couldn't wouldn't shan't that's "
    "it's you're we're they're there's let's here's";

constexpr std::string_view kEnglishNameStop =
    "oh ah well yes alas hush hm hmm o ay nay hallo hello goodbye dear please sure certainly "
    "exactly poor come look see go get now why what chapter end god lord heaven heavens majesty "
    "highness lordship sir madam ma'am mister miss mrs mr dr ok okay off begin begins stop "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december christmas easter english french "
    "latin greek whoever everybody nobody somebody anybody soon fancy ahem ugh pooh bah nonsense "
    "true indeed only still just later suddenly presently afterwards finally meanwhile "
    "besides instantly immediately luckily unfortunately certainly surely slowly quickly";

constexpr std::string_view kFrenchFunction =
    "le la les l' un une des du de d' et ou mais donc or ni car que qu' qui quoi dont où ce cet "
    "cette ces c' se s' sa son ses sur sous dans en par pour avec sans chez vers entre il ils "
    "elle elles je j' tu nous vous on me m' te t' lui leur leurs y ne n' pas plus moins très "
    "bien tout tous toute toutes mon ma mes ton ta tes notre nos votre vos au aux est était "
    "étaient sont été être avoir avait avaient a ai as ont eut eût fut fût furent comme si aussi "
    "alors puis quand lorsque lorsqu' jusqu' puisqu' quoiqu' après avant encore déjà jamais "
    "toujours même mêmes autre autres quel quelle quels quelles celui celle ceux celles cela ça "
    "ceci là ici enfin peut-être rien personne chaque point aucun aucune cependant pourtant "
    "ainsi donc depuis pendant parce quelque quelques tant tel telle tels telles trop peu "
    "beaucoup assez moi toi soi eux fait faire dit sera serait seraient suis es sommes êtes "
    "avons avez ayant étant voilà voici oui non deux trois quatre cinq six sept huit neuf dix";

constexpr std::string_view kFrenchNameStop =
    "ah oh hé eh bah hélas ô adieu bon bonjour bonsoir merci pardon tiens allons voyons mon "
    "dieu ciel seigneur monseigneur sire chapitre fin lundi mardi mercredi jeudi vendredi "
    "samedi dimanche janvier février mars avril mai juin juillet août septembre octobre "
    "novembre décembre noël pâques français française anglais italien italienne latin "
    "madame monsieur mademoiselle messieurs mesdames vraiment quoi comment pourquoi combien "
    "grâce silence allez venez écoutez voyez regardez tenez mais hein ouf chut soudain "
    "bientôt ensuite tantôt aussitôt plus-tard maintenant heureusement malheureusement";

// ---- Titles, particles, pronouns ----------------------------------------------------------

struct TitleRow {
  std::string_view word;
  Gender gender;
  bool address;
};

constexpr TitleRow kEnglishTitles[] = {
    {"mr", Gender::kMale, true},
    {"mrs", Gender::kFemale, true},
    {"ms", Gender::kFemale, true},
    {"miss", Gender::kFemale, true},
    {"sir", Gender::kMale, true},
    {"madam", Gender::kFemale, true},
    {"lady", Gender::kFemale, false},
    {"lord", Gender::kMale, false},
    {"dr", Gender::kUnknown, true},
    {"doctor", Gender::kUnknown, false},
    {"captain", Gender::kUnknown, false},
    {"colonel", Gender::kUnknown, false},
    {"general", Gender::kUnknown, false},
    {"judge", Gender::kUnknown, false},
    {"professor", Gender::kUnknown, false},
    {"uncle", Gender::kMale, false},
    {"aunt", Gender::kFemale, false},
    {"father", Gender::kMale, false},
    {"mother", Gender::kFemale, false},
    {"st", Gender::kUnknown, true},
};

constexpr TitleRow kFrenchTitles[] = {
    {"m", Gender::kMale, true},
    {"mm", Gender::kMale, true},
    {"mme", Gender::kFemale, true},
    {"mlle", Gender::kFemale, true},
    {"monsieur", Gender::kMale, true},
    {"madame", Gender::kFemale, true},
    {"mademoiselle", Gender::kFemale, true},
    {"comte", Gender::kMale, false},
    {"comtesse", Gender::kFemale, false},
    {"marquis", Gender::kMale, false},
    {"marquise", Gender::kFemale, false},
    {"baron", Gender::kMale, false},
    {"baronne", Gender::kFemale, false},
    {"duc", Gender::kMale, false},
    {"duchesse", Gender::kFemale, false},
    {"prince", Gender::kMale, false},
    {"princesse", Gender::kFemale, false},
    {"vicomte", Gender::kMale, false},
    {"vicomtesse", Gender::kFemale, false},
    {"maréchal", Gender::kMale, false},
    {"abbé", Gender::kMale, false},
    {"docteur", Gender::kUnknown, false},
    {"capitaine", Gender::kUnknown, false},
    {"signor", Gender::kMale, false},
    {"signora", Gender::kFemale, false},
    {"cardinal", Gender::kMale, false},
    {"père", Gender::kMale, false},
    {"mère", Gender::kFemale, false},
};

// ---- Time and place -------------------------------------------------------------------------

constexpr std::string_view kEnglishTimes =
    "that night|that evening|that morning|that day|that afternoon|the next morning|the next "
    "day|the next night|the next evening|next morning|next day|the following day|the following "
    "morning|the following night|the day after|the night before|at dawn|at daybreak|at "
    "sunrise|at sunset|at nightfall|at dusk|at night|at noon|at midnight|midnight|in the "
    "morning|in the evening|in the afternoon|in the night|one day|one morning|one evening|one "
    "night|the same day|the same night|tomorrow|yesterday|a year later|a week later|years "
    "later|days later|a few days later|some days later|later that day|last night|this "
    "morning|tonight|in the spring|in the summer|in the autumn|in the fall|in the winter|all "
    "night|all day|the next year|next year|last year|that winter|that summer";

constexpr std::string_view kFrenchTimes =
    "le lendemain|le lendemain matin|le lendemain soir|le surlendemain|la veille|la veille au "
    "soir|minuit|à minuit|midi|à midi|à l'aube|dès l'aube|à l'aurore|au point du jour|au lever "
    "du soleil|au coucher du soleil|au matin|le matin|ce matin|ce matin-là|le soir|ce soir|ce "
    "soir-là|un soir|un matin|un jour|une nuit|cette nuit|cette nuit-là|la nuit|ce jour-là|le "
    "jour suivant|le jour même|l'année suivante|l'année d'après|quelques jours après|quelques "
    "jours plus tard|deux jours après|trois jours après|huit jours après|le mois suivant|l'hiver "
    "suivant|au printemps|en été|en automne|en hiver|à la tombée de la nuit|hier|demain|hier "
    "soir|la nuit suivante|vers minuit|vers le soir";

constexpr std::string_view kEnglishMonths =
    "january february march april may june july august september october november december";
constexpr std::string_view kFrenchMonths =
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre";

constexpr std::string_view kEnglishLocatives =
    "in at to from into near towards toward across through reached reach visited leaving left";
constexpr std::string_view kFrenchLocatives = "à au aux en dans vers depuis";

constexpr std::string_view kEnglishPlaceHeads =
    "street road lane square avenue hall castle abbey bridge park mount lake fort cape river "
    "valley bay island islands sound creek pass";
constexpr std::string_view kFrenchPlaceHeads =
    "rue boulevard avenue place quai faubourg hôtel palais château église pont chaussée impasse "
    "île forêt lac mont";

constexpr std::string_view kEnglishKnownPlaces =
    "paris london rome naples venice florence italy france england spain madrid vienna berlin "
    "america europe russia egypt versailles scotland ireland germany india africa china japan "
    "australia zealand canada california alaska klondike yukon dawson seattle skaguay "
    "wonderland";
constexpr std::string_view kFrenchKnownPlaces =
    "paris londres rome naples venise florence italie france angleterre espagne madrid vienne "
    "berlin amérique europe russie égypte versailles lyon marseille bordeaux écosse irlande "
    "allemagne inde afrique chine japon nanterre sorrente";

// Setting nouns: each group's first word is the canonical one.
constexpr std::string_view kEnglishSettings[] = {
    "forest woods wood forests",
    "sea ocean seas shore beach",
    "church chapel cathedral",
    "garden gardens",
    "ship boat deck",
    "castle palace",
    "street road roads streets",
    "room hall parlour parlor kitchen bedroom",
    "house cottage",
    "river stream brook",
    "mountain mountains hill hills",
    "field fields meadow",
    "court courtroom",
    "camp tent",
    "town city village",
    "trail path",
    "cave cavern",
    "cemetery graveyard",
    "ballroom",
};
constexpr std::string_view kFrenchSettings[] = {
    "forêt forêts bois",
    "mer océan rivage plage",
    "église chapelle cathédrale",
    "jardin jardins parc",
    "navire bateau vaisseau",
    "château palais",
    "rue rues boulevard",
    "salon chambre boudoir salle cuisine",
    "maison hôtel logis",
    "rivière fleuve ruisseau",
    "montagne montagnes colline",
    "champ champs prairie",
    "ville village",
    "atelier",
    "théâtre opéra loge",
    "presbytère cure",
    "cimetière tombeau",
    "bal",
};

// ---- Tagged lexicons --------------------------------------------------------------------------

int tag(Emotion e) {
  return static_cast<int>(e);
}

const std::vector<std::vector<std::string>>& parse_phrases(
    std::string_view text, Language language, std::vector<std::vector<std::string>>& out) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('|', pos), text.size());
    std::vector<std::string> phrase;
    for (const Token& t : tokenize(text.substr(pos, end - pos), language)) {
      phrase.push_back(t.lower);
    }
    if (!phrase.empty()) {
      out.push_back(std::move(phrase));
    }
    pos = end + 1;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() > tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

const std::vector<std::string_view>& abbreviations(Language language) {
  static const std::vector<std::string_view> kEnglish = {
      "Mr.",  "Mrs.", "Ms.", "Dr.", "St.", "Prof.", "Capt.", "Col.", "Gen.", "Lt.",
      "Sgt.", "Rev.", "Jr.", "Sr.", "Mt.", "No.",   "vs.",   "e.g.", "i.e."};
  static const std::vector<std::string_view> kFrench = {
      "M.",   "MM.",  "Mme.", "Mmes.", "Mlle.", "Mlles.", "Dr.",  "St.",
      "Ste.", "Mgr.", "Me.",  "Cie.",  "cf.",   "p.",     "vol.", "chap."};
  return language == Language::kFrench ? kFrench : kEnglish;
}

bool is_function_word(std::string_view lower, Language language) {
  static const WordSet kEnglish = words_of({kEnglishFunction});
  static const WordSet kFrench = words_of({kFrenchFunction});
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

bool is_name_stop_word(std::string_view lower, Language language) {
  static const WordSet kEnglish = words_of({kEnglishFunction, kEnglishNameStop});
  static const WordSet kFrench = words_of({kFrenchFunction, kFrenchNameStop});
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

TitleInfo title_info(std::string_view lower, bool period_after, Language language) {
  TitleInfo info;
  if (language == Language::kFrench) {
    for (const TitleRow& row : kFrenchTitles) {
      if (row.word == lower) {
        if ((lower == "m" || lower == "mm") && !period_after) {
          return info;
        }
        info = {true, row.gender, row.address};
      }
    }
    return info;
  }
  for (const TitleRow& row : kEnglishTitles) {
    if (row.word == lower) {
      info = {true, row.gender, row.address};
    }
  }
  return info;
}

Gender noun_gender(std::string_view lower, Language language) {
  static const WordSet kEnglishMale =
      words_of({"king duke prince lord knave father brother son uncle emperor mr sir"});
  static const WordSet kEnglishFemale =
      words_of({"queen duchess princess lady mother sister daughter aunt empress mrs miss madam"});
  static const WordSet kFrenchMale = words_of({"roi prince comte duc marquis baron père frère"});
  static const WordSet kFrenchFemale =
      words_of({"reine princesse comtesse duchesse marquise baronne mère sœur"});
  const bool fr = language == Language::kFrench;
  if (in(fr ? kFrenchMale : kEnglishMale, lower)) {
    return Gender::kMale;
  }
  if (in(fr ? kFrenchFemale : kEnglishFemale, lower)) {
    return Gender::kFemale;
  }
  return Gender::kUnknown;
}

Gender pronoun_gender(std::string_view lower, Language language) {
  if (language == Language::kFrench) {
    if (lower == "il") {
      return Gender::kMale;
    }
    if (lower == "elle") {
      return Gender::kFemale;
    }
    return Gender::kUnknown;
  }
  if (lower == "he" || lower == "him" || lower == "his" || lower == "himself") {
    return Gender::kMale;
  }
  if (lower == "she" || lower == "her" || lower == "hers" || lower == "herself") {
    return Gender::kFemale;
  }
  if (lower == "it" || lower == "its" || lower == "itself") {
    return Gender::kNeuter;
  }
  return Gender::kUnknown;
}

bool is_particle(std::string_view lower, Language language) {
  if (language == Language::kFrench) {
    return lower == "de" || lower == "du" || lower == "des" || lower == "d'";
  }
  return lower == "of";
}

bool is_article(std::string_view lower, Language language) {
  if (language == Language::kFrench) {
    return lower == "le" || lower == "la" || lower == "les" || lower == "l'";
  }
  return lower == "the";
}

bool is_locative(std::string_view lower, Language language) {
  static const WordSet kEnglish = words_of({kEnglishLocatives});
  static const WordSet kFrench = words_of({kFrenchLocatives});
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

bool is_speech_verb(std::string_view lower, Language language) {
  static const WordSet kEnglish = words_of(
      {"said say says cried replied asked answered shouted exclaimed whispered muttered "
       "thought remarked continued added began repeated screamed shrieked called roared growled "
       "sighed interrupted observed inquired enquired pleaded panted sobbed yelled murmured "
       "explained suggested declared insisted grumbled retorted returned persisted sang "
       "said, replies asks cries"});
  static const WordSet kFrench = words_of(
      {"dit disait répondit répondait reprit reprenait répliqua demanda demandait écria cria "
       "criait ajouta murmura murmurait continua fit exclama hurla balbutia soupira interrompit "
       "poursuivit observa insista lança gronda chuchota riposta objecta pensa dirent "
       "répondirent s'écria s'exclama dis répondis repris demandai ajoutai"});
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

bool is_negator(std::string_view lower, Language language) {
  static const WordSet kEnglish =
      words_of({"not no never nor neither without hardly nobody nothing cannot barely scarcely"});
  static const WordSet kFrench =
      words_of({"ne n' pas jamais point sans guère nullement aucun aucune rien"});
  if (language == Language::kEnglish && ends_with(lower, "n't")) {
    return true;
  }
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

bool is_month(std::string_view lower, Language language) {
  static const WordSet kEnglish = words_of({kEnglishMonths});
  static const WordSet kFrench = words_of({kFrenchMonths});
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

bool is_known_place(std::string_view lower, Language language) {
  static const WordSet kEnglish = words_of({kEnglishKnownPlaces});
  static const WordSet kFrench = words_of({kFrenchKnownPlaces});
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

bool is_place_head(std::string_view lower, Language language) {
  static const WordSet kEnglish = words_of({kEnglishPlaceHeads});
  static const WordSet kFrench = words_of({kFrenchPlaceHeads});
  return in(language == Language::kFrench ? kFrench : kEnglish, lower);
}

const std::vector<std::vector<std::string>>& time_phrases(Language language) {
  static std::vector<std::vector<std::string>> english_store;
  static std::vector<std::vector<std::string>> french_store;
  static const auto& kEnglish = parse_phrases(kEnglishTimes, Language::kEnglish, english_store);
  static const auto& kFrench = parse_phrases(kFrenchTimes, Language::kFrench, french_store);
  return language == Language::kFrench ? kFrench : kEnglish;
}

std::string_view setting_of(std::string_view lower, Language language) {
  using Map = std::unordered_map<std::string, std::string>;
  const auto build = [](const auto& groups) {
    Map map;
    for (const std::string_view group : groups) {
      const std::string canonical(group.substr(0, group.find(' ')));
      for (const auto& w : words_of({group})) {
        map.emplace(w, canonical);
      }
    }
    return map;
  };
  static const Map kEnglish = build(kEnglishSettings);
  static const Map kFrench = build(kFrenchSettings);
  const Map& map = language == Language::kFrench ? kFrench : kEnglish;
  const auto it = map.find(std::string(lower));
  return it == map.end() ? std::string_view() : std::string_view(it->second);
}

// ---- TaggedLexicon ------------------------------------------------------------------------

TaggedLexicon::TaggedLexicon(Language language,
                             std::initializer_list<std::pair<int, std::string_view>> rows)
    : language_(language) {
  for (const auto& [row_tag, text] : rows) {
    for (const auto& w : words_of({text})) {
      if (w.size() > 1 && w.back() == '*') {
        const std::string stem = w.substr(0, w.size() - 1);
        stems_.emplace(stem, row_tag);
        longest_stem_ = std::max(longest_stem_, stem.size());
      } else {
        forms_.emplace(w, row_tag);
      }
    }
  }
}

int TaggedLexicon::find_form(const std::string& form) const {
  const auto it = forms_.find(form);
  return it == forms_.end() ? -1 : it->second;
}

int TaggedLexicon::find(std::string_view lower) const {
  const std::string word(lower);
  if (const int t = find_form(word); t >= 0) {
    return t;
  }
  // Inflected forms of whole-form entries.
  const auto strip = [&](std::string_view tail, std::string_view add) -> int {
    if (!ends_with(word, tail) || word.size() - tail.size() < kMinStem) {
      return -1;
    }
    return find_form(word.substr(0, word.size() - tail.size()) + std::string(add));
  };
  static constexpr std::pair<std::string_view, std::string_view> kEnglishTails[] = {
      {"s", ""},   {"es", ""},   {"ies", "y"}, {"ed", ""},   {"ed", "e"}, {"d", ""},
      {"ing", ""}, {"ing", "e"}, {"ly", ""},   {"ily", "y"}, {"ied", "y"}};
  static constexpr std::pair<std::string_view, std::string_view> kFrenchTails[] = {
      {"s", ""},        {"x", ""},      {"e", ""},      {"es", ""},     {"euse", "eux"},
      {"euses", "eux"}, {"ive", "if"},  {"ives", "if"}, {"ée", "é"},    {"ées", "é"},
      {"ère", "er"},    {"ères", "er"}, {"elle", "el"}, {"enne", "en"}, {"ment", ""}};
  if (language_ == Language::kFrench) {
    for (const auto& [tail, add] : kFrenchTails) {
      if (const int t = strip(tail, add); t >= 0) {
        return t;
      }
    }
  } else {
    for (const auto& [tail, add] : kEnglishTails) {
      if (const int t = strip(tail, add); t >= 0) {
        return t;
      }
    }
    // Doubled consonants: "sobbed", "grinning".
    for (const std::string_view tail : {std::string_view("ed"), std::string_view("ing")}) {
      if (ends_with(word, tail) && word.size() > tail.size() + 3) {
        const std::string base = word.substr(0, word.size() - tail.size());
        if (base[base.size() - 1] == base[base.size() - 2]) {
          if (const int t = find_form(base.substr(0, base.size() - 1)); t >= 0) {
            return t;
          }
        }
      }
    }
  }
  for (std::size_t n = std::min(longest_stem_, word.size()); n >= kMinStem; --n) {
    const auto it = stems_.find(word.substr(0, n));
    if (it != stems_.end()) {
      return it->second;
    }
  }
  return -1;
}

const TaggedLexicon& emotion_lexicon(Language language) {
  static const TaggedLexicon kEnglish(
      Language::kEnglish,
      {
          {tag(Emotion::kJoy),
           "happy happiness joy joyful joyous glad gladly delight* pleased pleasure pleasant "
           "cheerful cheer merry merrily laugh* smile smiling smiled giggl* grin enjoy* fun "
           "delicious lovely wonderful beautiful bright jolly bliss* rejoic* triumph* celebrat* "
           "thrill* proud amus* charming sweet content contented glee* gay"},
          {tag(Emotion::kSadness),
           "sad sadly sadness sorrow* grief griev* weep* wept tears tearful mourn* melanchol* "
           "lonely loneliness miserable misery unhappy despair* gloom* sigh* sob wretched "
           "lament* heartbroken pitiful forlorn dismal dreary sorry hopeless* lost grieved "
           "depress* woe"},
          {tag(Emotion::kFear),
           "fear fearful feared afraid terror terrified terrify* terrible frighten* fright "
           "scare* dread* horror horrified panic* trembl* shudder* alarm* anxious* anxiety "
           "nervous* timid* scream* shriek* danger dangerous peril* ghastly awful dismay* "
           "uneasy"},
          {tag(Emotion::kAnger),
           "anger angry angrily furious* fury rage raging wrath* hate hated hatred indignant* "
           "indignation exasperat* irritat* annoy* snarl* growl* shout* roar* scowl* temper "
           "resent* savage* fierce* vex* outrag* bitter* cross crossly sulk* snapped"},
          {tag(Emotion::kSurprise),
           "surpris* astonish* amaz* startl* suddenly sudden shock* stun* unexpected* marvel* "
           "bewilder* astound* gasp* wonder wondered curious curiosity strange "
           "queer"},
          {tag(Emotion::kDisgust),
           "disgust* nasty filth* foul vile loath* revolt* sicken* dirty stink* stench rotten "
           "ugly hideous repuls* gross contempt* scorn* despis* abhor* offended offend*"},
          {tag(Emotion::kTrust),
           "trust* faith* loyal* honest* friend* kindly kindness gentle* safe safely safety "
           "rely reliable confiden* believ* true faithful love loved loving devot* tender* "
           "protect* comfort* respect* grateful"},
          {tag(Emotion::kAnticipation),
           "hope hoped hoping hopeful expect* eager* await* anticipat* longing longed wish* "
           "plan* prepar* intend* yearn* impatien* ready waiting wait"},
      });
  static const TaggedLexicon kFrench(
      Language::kFrench,
      {
          {tag(Emotion::kJoy),
           "joie joyeux joyeusement heureux heureusement bonheur content gai gaie gaieté gaîté "
           "rire rit riait riant rirent sourire sourit souriait souriant délicieux ravi ravie "
           "enchant* allégresse plaisir* charmant charme ivresse jubil* triomph* fête radieux "
           "délice* bienheureux béatitude exalt* extase"},
          {tag(Emotion::kSadness),
           "triste tristesse chagrin* pleur* larme* mélancoli* douleur* douloureux malheur* "
           "malheureux désespoir désespér* deuil soupir* sanglot* afflig* peine navré morne "
           "abattu regret* funèbre lugubre accablé"},
          {tag(Emotion::kFear),
           "peur effroi effray* terreur terrifi* terrible épouvant* horreur horrible crainte "
           "craign* craindre frisson* trembl* angoiss* inquiet* inquiét* alarm* panique "
           "affreux frémi* danger* péril* glac*"},
          {tag(Emotion::kAnger),
           "colère furieux fureur rage enrag* courrou* irrit* indign* haine haï haïr fâch* "
           "exaspér* brutal* menaç* gronda* insult* vengeance veng* outrag* emport* furibond"},
          {tag(Emotion::kSurprise),
           "surpri* étonn* stupéf* stupeur ébahi* soudain soudainement inattendu étrange "
           "bizarre singulier merveill* prodig* ébloui* sursaut* saisi"},
          {tag(Emotion::kDisgust),
           "dégoût* répugn* immonde ignoble infâme sale saleté puant puanteur pourri hideux "
           "laid laideur mépris* abject odieux vil vile honte honteux"},
          {tag(Emotion::kTrust),
           "confiance confi* fidèle fidélité loyal* honnête ami amie amis amitié sûr sûre "
           "sincère dévou* tendre tendresse protég* croire crut croyait foi aimer aim* amour* "
           "bonté respect*"},
          {tag(Emotion::kAnticipation),
           "espoir espér* attend* attente impatien* désir* souhait* projet* prépar* bientôt "
           "avenir guett*"},
      });
  return language == Language::kFrench ? kFrench : kEnglish;
}

const std::vector<std::string_view>& genre_names() {
  static const std::vector<std::string_view> kNames = {"adventure", "mystery", "romance",
                                                       "fantastic", "animal story"};
  return kNames;
}

const TaggedLexicon& genre_lexicon(Language language) {
  static const TaggedLexicon kEnglish(
      Language::kEnglish,
      {
          {0,
           "ship ships voyage* sail* treasure* pirate* island* expedition* journey* explor* "
           "adventur* trail* sled* gold wilderness camp* canoe* raft* frontier"},
          {1,
           "detective* crime* criminal* clue* murder* suspect* inspector* mystery mysterious "
           "secret* investigat* police* thief thieves"},
          {2,
           "love lover* kiss* marry married marriage wedding bride* passion* beloved darling "
           "romance romantic sweetheart"},
          {3,
           "magic* ghost* vampire* witch* fairy fairies spell* enchant* phantom* spectre* "
           "specter* monster* dream* wonderland sorcer* supernatural"},
          {4,
           "dog dogs wolf wolves horse* cat cats rabbit* mouse mice bird* beast* animal* puppy "
           "puppies husky huskies pig turtle lizard caterpillar"},
      });
  static const TaggedLexicon kFrench(
      Language::kFrench,
      {
          {0,
           "navire* voyage* trésor* pirate* île îles expédition* aventur* explor* bateau* "
           "vaisseau* naufrag*"},
          {1,
           "détective* crime* criminel* indice* meurtre* suspect* inspecteur* mystère* "
           "mystérieu* policier* enquête* assassin* énigm* secret*"},
          {2,
           "amour* amant* amoureu* baiser* passion* mariage* épous* fiancé* aimer aimait aimé "
           "aimée adorer adorait"},
          {3,
           "magie* magique* fantôme* vampire* sorci* fée fées spectre* démon* diable* "
           "surnaturel* morte revenant* enchant* sortilège* rêve*"},
          {4, "chien* loup* cheval chevaux chat chats lapin* oiseau* bête* animal animaux"},
      });
  return language == Language::kFrench ? kFrench : kEnglish;
}

const std::vector<std::string_view>& flag_names() {
  static const std::vector<std::string_view> kNames = {"violence", "death", "alcohol", "weapons"};
  return kNames;
}

const TaggedLexicon& flag_lexicon(Language language) {
  static const TaggedLexicon kEnglish(
      Language::kEnglish,
      {
          {0,
           "kill kills killed killing murder* blood bloody bleed* fight* fought struck strike* "
           "beat beaten beating club clubbed wound* stab* slaughter* attack* violen* brutal* "
           "execut* behead* torture* fang*"},
          {1,
           "dead death deaths die died dies dying corpse* grave graves graveyard funeral* "
           "buried burial tomb*"},
          {2,
           "wine* whisky whiskey beer* gin brandy rum drunk* liquor* ale tavern* saloon* "
           "intoxicat*"},
          {3,
           "gun guns pistol* rifle* revolver* sword* knife knives dagger* axe axes spear* "
           "arrow* bayonet* cannon* weapon*"},
      });
  static const TaggedLexicon kFrench(
      Language::kFrench,
      {
          {0,
           "tuer tua tué tuée tuait meurtre* sang sanglant* frapp* coups blessur* battre battu* "
           "combat* égorg* violen* massacr* poignard* assassin* brutal*"},
          {1,
           "mort morte morts mourir mourut meurt mourant* cadavre* tombe tombeau* funèbre* "
           "enterr* cercueil* défunt* trépas* linceul* cimetière*"},
          {2, "vin vins ivre* bière* eau-de-vie cognac liqueur* champagne* cabaret* taverne*"},
          {3,
           "épée* poignard* fusil* couteau* pistolet* sabre* arme armes canon* stylet* "
           "baïonnette*"},
      });
  return language == Language::kFrench ? kFrench : kEnglish;
}

}  // namespace atelier::visiobook::analysis::detail
