#include "visiobook/domain/storyboard.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

namespace atelier::visiobook::domain {

namespace {

constexpr double kSecondsPerShot = 8.0;
constexpr std::size_t kMaxShots = 400;
constexpr std::size_t kMaxCaptionBytes = 160;
constexpr std::size_t kMaxFigures = 4;
constexpr std::size_t kWordsPerPart = 250;
constexpr std::size_t kMaxPartsPerScene = 4;

// Words that tell what kind of place a scene is in, French and English, lower case.
struct SettingWords {
  Setting setting;
  std::array<std::string_view, 14> words;
};
constexpr std::array<SettingWords, 6> kSettingWords = {{
    {Setting::kSea,
     {"sea", "ship", "shore", "beach", "harbour", "island", "boat", "mer", "navire", "bateau",
      "plage", "port", "île", "ocean"}},
    {Setting::kForest,
     {"forest", "wood", "woods", "trees", "forêt", "bois", "arbres", "jungle", "", "", "", "", "",
      ""}},
    {Setting::kMountain,
     {"mountain", "mountains", "peak", "cliff", "snow", "montagne", "rocher", "falaise", "neige",
      "glacier", "", "", "", ""}},
    {Setting::kStreet,
     {"street", "streets", "town", "city", "road", "square", "rue", "ville", "boulevard", "place",
      "faubourg", "london", "paris", "rome"}},
    {Setting::kInterior,
     {"room", "house", "hall", "kitchen", "parlour", "salon", "chambre", "maison", "hôtel",
      "église", "church", "palais", "bedroom", "table"}},
    {Setting::kCountryside,
     {"field", "garden", "meadow", "river", "bank", "hill", "valley", "camp", "jardin", "campagne",
      "prairie", "rivière", "colline", "village"}},
}};

constexpr std::array<std::string_view, 12> kNightWords = {
    "night",    "midnight", "dark",      "moon",  "nuit",    "minuit",
    "ténèbres", "lune",     "obscurité", "stars", "étoiles", "lamp"};
constexpr std::array<std::string_view, 8> kDuskWords = {
    "evening", "dusk", "sunset", "twilight", "soir", "soirée", "crépuscule", "couchant"};

// Lower-case ASCII letters; other bytes (UTF-8 accents) kept as they are.
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Counts of whole-word occurrences of each word of `words` in `text` (lower case).
template <std::size_t N>
std::size_t hits(const std::string& text, const std::array<std::string_view, N>& words) {
  std::size_t n = 0;
  for (std::string_view w : words) {
    if (w.empty()) {
      continue;
    }
    for (std::size_t at = text.find(w); at != std::string::npos; at = text.find(w, at + 1)) {
      const bool start_ok = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
      const std::size_t end = at + w.size();
      const bool end_ok =
          end >= text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
      n += (start_ok && end_ok) ? 1 : 0;
    }
  }
  return n;
}

// Paragraphs first..last of a chapter, one per line.
std::string paragraphs_text(const Book& book, std::size_t chapter, std::size_t first,
                            std::size_t last) {
  std::string text;
  if (chapter >= book.chapters.size()) {
    return text;
  }
  const auto& paragraphs = book.chapters[chapter].paragraphs;
  for (std::size_t p = first; p <= last && p < paragraphs.size(); ++p) {
    text += paragraphs[p].text;
    text += '\n';
  }
  return text;
}

std::string scene_text(const Book& book, const analysis::Scene& scene) {
  return paragraphs_text(book, scene.chapter, scene.first_paragraph, scene.last_paragraph);
}

Setting setting_of(const std::string& lowered_text, const std::string& place) {
  const std::string where = lower(place);
  Setting best = Setting::kUnknown;
  std::size_t best_hits = 0;
  for (const auto& sw : kSettingWords) {
    // The named place counts more than the words around it.
    const std::size_t n = hits(lowered_text, sw.words) + 4 * hits(where, sw.words);
    if (n > best_hits) {
      best = sw.setting;
      best_hits = n;
    }
  }
  return best;
}

TimeOfDay time_of(const std::string& lowered_text, const std::string& marker) {
  const std::string m = lower(marker);
  const std::size_t night = hits(lowered_text, kNightWords) + 4 * hits(m, kNightWords);
  const std::size_t dusk = hits(lowered_text, kDuskWords) + 4 * hits(m, kDuskWords);
  if (night >= 3 && night >= dusk) {
    return TimeOfDay::kNight;
  }
  if (dusk >= 2) {
    return TimeOfDay::kDusk;
  }
  return TimeOfDay::kDay;
}

// The mood palette: a hue per dominant emotion, lighter when the valence is bright.
std::pair<Colour, Colour> palette_of(const analysis::Tone& tone) {
  static const std::map<analysis::Emotion, Colour> kHues = {
      {analysis::Emotion::kJoy, {0.98, 0.78, 0.30}},
      {analysis::Emotion::kTrust, {0.45, 0.72, 0.55}},
      {analysis::Emotion::kAnticipation, {0.95, 0.58, 0.25}},
      {analysis::Emotion::kSurprise, {0.55, 0.45, 0.85}},
      {analysis::Emotion::kSadness, {0.35, 0.45, 0.70}},
      {analysis::Emotion::kFear, {0.25, 0.30, 0.40}},
      {analysis::Emotion::kAnger, {0.80, 0.22, 0.18}},
      {analysis::Emotion::kDisgust, {0.45, 0.50, 0.25}},
  };
  Colour primary{0.60, 0.62, 0.66};  // a neutral grey-blue when the lexicon said nothing
  if (!tone.emotions.empty()) {
    primary = kHues.at(tone.dominant);
  }
  const double light = 0.5 + 0.35 * std::clamp(tone.valence, -1.0, 1.0);  // 0.15 .. 0.85
  auto mix = [](double c, double toward, double t) { return c + (toward - c) * t; };
  Colour secondary{mix(primary.r, 1.0, light), mix(primary.g, 1.0, light),
                   mix(primary.b, 1.0, light)};
  return {primary, secondary};
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    n += (!space && !in_word) ? 1 : 0;
    in_word = !space;
  }
  return n;
}

// At most `max_bytes`, cut at a word boundary, never inside a UTF-8 sequence, with an ellipsis.
std::string shorten(const std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) {
    return s;
  }
  std::size_t cut = s.rfind(' ', max_bytes);
  if (cut == std::string::npos || cut < max_bytes / 2) {
    cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
      --cut;
    }
  }
  return s.substr(0, cut) + "…";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) {
      out += sep;
    }
    out += p;
  }
  return out;
}

// A run of a scene's paragraphs shown in one shot.
struct Part {
  std::size_t scene = 0;  // index in the analysis' scenes
  std::size_t first = 0;  // paragraphs of the chapter, inclusive
  std::size_t last = 0;
  std::size_t number = 0;  // of `count` parts of the scene
  std::size_t count = 1;
};

// Cuts `scene` into `count` runs of paragraphs of about the same number of words.
void split_scene(const Book& book, const analysis::Scene& scene, std::size_t count,
                 std::vector<Part>& out) {
  std::vector<std::size_t> words;
  std::size_t total = 0;
  for (std::size_t p = scene.first_paragraph; p <= scene.last_paragraph; ++p) {
    const bool exists =
        scene.chapter < book.chapters.size() && p < book.chapters[scene.chapter].paragraphs.size();
    words.push_back(exists ? std::max<std::size_t>(
                                 1, word_count(book.chapters[scene.chapter].paragraphs[p].text))
                           : 1);
    total += words.back();
  }
  count = std::clamp<std::size_t>(count, 1, words.size());
  std::size_t first = scene.first_paragraph;
  std::size_t seen = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    seen += words[i];
    const std::size_t number =
        out.empty() || out.back().scene != scene.index ? 0 : out.back().number + 1;
    const std::size_t paragraph = scene.first_paragraph + i;
    const std::size_t left_paragraphs = words.size() - i - 1;
    const std::size_t left_parts = count - number - 1;
    const bool last = i + 1 == words.size();
    if (last || left_paragraphs == left_parts ||
        (left_parts > 0 && seen * count >= total * (number + 1))) {
      out.push_back(Part{scene.index, first, paragraph, number, count});
      first = paragraph + 1;
      if (number + 1 == count) {
        out.back().last = scene.last_paragraph;
        break;
      }
    }
  }
}

}  // namespace

std::string_view setting_name(Setting s) {
  switch (s) {
    case Setting::kInterior:
      return "interior";
    case Setting::kStreet:
      return "street";
    case Setting::kCountryside:
      return "countryside";
    case Setting::kForest:
      return "forest";
    case Setting::kSea:
      return "sea";
    case Setting::kMountain:
      return "mountain";
    case Setting::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view time_of_day_name(TimeOfDay t) {
  switch (t) {
    case TimeOfDay::kDay:
      return "day";
    case TimeOfDay::kNight:
      return "night";
    case TimeOfDay::kDusk:
      return "dusk";
  }
  return "day";
}

Colour character_colour(std::size_t rank) {
  static constexpr std::array<Colour, 10> kColours = {{{0.86, 0.24, 0.24},
                                                       {0.20, 0.45, 0.80},
                                                       {0.25, 0.65, 0.30},
                                                       {0.85, 0.55, 0.10},
                                                       {0.55, 0.30, 0.70},
                                                       {0.10, 0.60, 0.65},
                                                       {0.80, 0.35, 0.60},
                                                       {0.45, 0.35, 0.25},
                                                       {0.50, 0.55, 0.15},
                                                       {0.30, 0.30, 0.35}}};
  return kColours[rank % kColours.size()];
}

Storyboard plan_storyboard(const Book& book, const analysis::Analysis& analysis,
                           const Settings& settings) {
  Storyboard board;
  const auto& scenes = analysis.scenes;
  if (scenes.empty()) {
    return board;
  }
  const double target_seconds = settings.target_minutes * 60.0;
  const std::size_t max_shots = std::clamp<std::size_t>(
      static_cast<std::size_t>(target_seconds / kSecondsPerShot), 1, kMaxShots);

  // Groups of consecutive scenes, balanced by words, one shot each.
  std::size_t total_words = 0;
  for (const auto& s : scenes) {
    total_words += std::max<std::size_t>(s.words, 1);
  }
  const std::size_t groups = std::min(scenes.size(), max_shots);
  std::vector<std::size_t> chosen;  // the scene shown for each group
  {
    std::size_t group_words = 0;
    std::size_t group = 0;
    std::size_t best = 0;
    std::size_t best_words = 0;
    bool open = false;
    for (std::size_t i = 0; i < scenes.size(); ++i) {
      const std::size_t w = std::max<std::size_t>(scenes[i].words, 1);
      if (!open || w > best_words) {
        best = i;
        best_words = w;
      }
      open = true;
      group_words += w;
      const bool last = i + 1 == scenes.size();
      // Close the group when its share of the words is reached, keeping enough scenes for the
      // groups still to come.
      const std::size_t remaining_scenes = scenes.size() - i - 1;
      const std::size_t remaining_groups = groups - group - 1;
      const bool share_reached = group_words * groups >= total_words * (group + 1);
      if (last || remaining_scenes == remaining_groups || (share_reached && remaining_groups > 0)) {
        chosen.push_back(best);
        ++group;
        open = false;
        best_words = 0;
        if (group == groups) {
          break;
        }
      }
    }
  }

  // A scene that the length has room for is shown in several shots (parts of its paragraphs,
  // balanced by words) when it is long: a few hundred words a shot, at most four a scene.
  std::vector<Part> parts;
  {
    std::vector<std::size_t> counts(chosen.size(), 1);
    std::size_t spare = max_shots > chosen.size() ? max_shots - chosen.size() : 0;
    std::vector<std::size_t> by_length(chosen.size());
    for (std::size_t i = 0; i < by_length.size(); ++i) {
      by_length[i] = i;
    }
    std::stable_sort(by_length.begin(), by_length.end(), [&](std::size_t a, std::size_t b) {
      return scenes[chosen[a]].words > scenes[chosen[b]].words;
    });
    for (std::size_t i : by_length) {
      const analysis::Scene& scene = scenes[chosen[i]];
      const std::size_t paragraphs = scene.last_paragraph - scene.first_paragraph + 1;
      const std::size_t wanted =
          std::clamp<std::size_t>(scene.words / kWordsPerPart, 1, kMaxPartsPerScene);
      const std::size_t extra = std::min({wanted - 1, spare, paragraphs - 1});
      counts[i] += extra;
      spare -= extra;
    }
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      split_scene(book, scenes[chosen[i]], counts[i], parts);
    }
  }

  // The narration's budget in words, shared evenly: every shot gets about the same time.
  const double words_budget = target_seconds / 60.0 * words_per_minute(settings.pacing);
  const std::size_t words_per_shot =
      std::max<std::size_t>(12, static_cast<std::size_t>(words_budget / parts.size()));

  std::map<std::string, std::size_t> rank_of;  // character id -> rank in the analysis
  for (std::size_t i = 0; i < analysis.characters.size(); ++i) {
    rank_of[analysis.characters[i].id] = i;
  }
  const bool french = analysis.language == Language::kFrench;
  std::size_t last_chapter = static_cast<std::size_t>(-1);

  for (const Part& part : parts) {
    const analysis::Scene& scene = scenes[part.scene];
    Shot shot;
    shot.scene = scene.index;
    shot.chapter = scene.chapter;
    shot.title = (french ? "Chapitre " : "Chapter ") + std::to_string(scene.chapter + 1) +
                 (french ? " — scène " : " — scene ") + std::to_string(scene.index + 1);
    if (part.count > 1) {
      shot.title += " · " + std::to_string(part.number + 1) + "/" + std::to_string(part.count);
    }
    const std::string part_text = paragraphs_text(book, scene.chapter, part.first, part.last);
    const std::string whole_scene = scene_text(book, scene);
    const std::string scene_lowered = lower(whole_scene);
    shot.setting = setting_of(scene_lowered, scene.place);
    shot.time = time_of(scene_lowered, scene.time_marker);
    std::tie(shot.primary, shot.secondary) = palette_of(scene.tone);

    // What is said: the scene's summary (the sentences of it that lie in this part, when the
    // scene has several), else the part's first sentence; as many as fit the shot's words. An
    // abstractive summary (from a chat analyst) lies nowhere in the text: the first part says it.
    const bool abstractive =
        std::none_of(scene.summary.begin(), scene.summary.end(), [&](const std::string& sentence) {
          return whole_scene.find(sentence) != std::string::npos;
        });
    std::vector<std::string> candidates;
    for (const auto& sentence : scene.summary) {
      if (part.count == 1 ||
          (abstractive ? part.number == 0 : part_text.find(sentence) != std::string::npos)) {
        candidates.push_back(sentence);
      }
    }
    if (candidates.empty() && part.first < book.chapters[scene.chapter].paragraphs.size()) {
      auto first = analysis::split_sentences(
          book.chapters[scene.chapter].paragraphs[part.first].text, analysis.language);
      if (!first.empty()) {
        candidates.push_back(first.front());
      }
    }
    std::vector<std::string> said;
    std::size_t words = 0;
    for (const auto& sentence : candidates) {
      const std::size_t n = word_count(sentence);
      if (!said.empty() && words + n > words_per_shot) {
        break;
      }
      said.push_back(sentence);
      words += n;
    }
    shot.narration = join(said, " ");
    shot.narration_words = words;
    shot.caption = said.empty() ? std::string() : shorten(said.front(), kMaxCaptionBytes);

    std::vector<std::string> names;
    for (const auto& id : scene.cast) {
      if (shot.figures.size() == kMaxFigures) {
        break;
      }
      auto it = rank_of.find(id);
      if (it == rank_of.end()) {
        continue;
      }
      const auto& character = analysis.characters[it->second];
      ShotFigure f{id, character.name, character_colour(it->second), false};
      for (const auto& line : analysis.dialogue) {
        if (line.character_id == id && line.at.chapter == scene.chapter &&
            line.at.paragraph >= part.first && line.at.paragraph <= part.last) {
          f.speaking = true;
          break;
        }
      }
      names.push_back(character.name);
      shot.figures.push_back(std::move(f));
    }
    std::string mood = scene.tone.emotions.empty()
                           ? std::string(french ? "neutre" : "neutral")
                           : std::string(analysis::emotion_name(scene.tone.dominant));
    shot.notes = (french ? "Lieu : " : "Place: ") +
                 (scene.place.empty() ? std::string(setting_name(shot.setting)) : scene.place) +
                 (french ? " · Personnages : " : " · Cast: ") +
                 (names.empty() ? std::string("—") : join(names, ", ")) +
                 (french ? " · Ton : " : " · Tone: ") + mood;

    if (scene.chapter != last_chapter) {
      const std::string& title =
          scene.chapter < book.chapters.size() ? book.chapters[scene.chapter].title : std::string();
      board.chapters.push_back({title.empty() ? shot.title.substr(0, shot.title.find(" —")) : title,
                                board.shots.size()});
      last_chapter = scene.chapter;
    }
    board.narration_words += shot.narration_words;
    board.shots.push_back(std::move(shot));
  }
  return board;
}

}  // namespace atelier::visiobook::domain
