// analyse(): reads the book once into sentences and tokens, then runs the passes in order:
// places and time markers, characters, dialogue, per-paragraph features and lexicon hits,
// scenes (place, time, cast, tone, flags), summaries and the book's classification.
#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/analysis/internal.hpp"
#include "visiobook/domain/analysis/lexicon.hpp"

namespace atelier::visiobook::analysis {
namespace {

using detail::Doc;
using detail::Mention;
using detail::ParaFeatures;
using detail::ParaHits;

// A marker within this many words of a paragraph's start opens it.
constexpr std::size_t kOpeningTokens = 8;

bool opens(const Doc& doc, const Mention& m) {
  const auto& tk = doc.paras[m.para].tokens;
  return m.first < kOpeningTokens && tk[m.first].sentence == 0;
}

// Mentions grouped by paragraph: for each paragraph, [begin, end) into the sorted mentions.
std::vector<std::pair<std::size_t, std::size_t>> by_para(const std::vector<Mention>& mentions,
                                                         std::size_t paras) {
  std::vector<std::pair<std::size_t, std::size_t>> out(paras, {0, 0});
  std::size_t i = 0;
  for (std::size_t p = 0; p < paras; ++p) {
    while (i < mentions.size() && mentions[i].para < p) {
      ++i;
    }
    out[p].first = i;
    while (i < mentions.size() && mentions[i].para == p) {
      ++i;
    }
    out[p].second = i;
  }
  return out;
}

// A setting noun after a locative in the paragraph's opening words: "in the garden".
std::string opening_setting(const detail::Para& para, domain::Language language) {
  for (std::size_t i = 0; i < para.tokens.size() && i < kOpeningTokens; ++i) {
    if (para.tokens[i].sentence != 0) {
      break;
    }
    const auto setting = detail::setting_of(para.tokens[i].lower, language);
    if (!setting.empty() && detail::is_locative_context(para, i, language)) {
      return std::string(setting);
    }
  }
  return "";
}

// The key with the highest count; ties go to the smaller key, so the choice is stable.
template <typename Key>
Key most_counted(const std::map<Key, std::size_t>& counts) {
  Key best{};
  std::size_t n = 0;
  for (const auto& [key, c] : counts) {
    if (c > n) {
      best = key;
      n = c;
    }
  }
  return best;
}

}  // namespace

const char* emotion_name(Emotion e) {
  switch (e) {
    case Emotion::kJoy:
      return "joy";
    case Emotion::kSadness:
      return "sadness";
    case Emotion::kFear:
      return "fear";
    case Emotion::kAnger:
      return "anger";
    case Emotion::kSurprise:
      return "surprise";
    case Emotion::kDisgust:
      return "disgust";
    case Emotion::kTrust:
      return "trust";
    case Emotion::kAnticipation:
      return "anticipation";
  }
  return "";
}

Analysis analyse(const domain::Book& book, const Options& options) {
  Analysis out;
  out.language = book.language;
  const Doc doc = detail::read_book(book);
  const std::size_t n = doc.paras.size();
  for (const auto& para : doc.paras) {
    out.sentences += para.sentences.size();
    out.words += para.tokens.size();
  }
  if (out.words == 0) {
    return out;
  }

  const detail::PlaceTimeResult place_times = detail::find_places_and_times(doc);
  detail::CharacterResult cast = detail::find_characters(doc, place_times, options);
  out.characters = std::move(cast.characters);
  out.places = cast.places;
  out.time_markers = place_times.markers;
  out.dialogue = detail::find_dialogue(doc, cast.mentions, out.characters);

  // Per-paragraph features and lexicon hits.
  std::vector<ParaFeatures> features(n);
  std::vector<ParaHits> hits(n);
  const auto char_index = by_para(cast.mentions, n);
  const auto place_index = by_para(cast.place_mentions, n);
  const auto time_index = by_para(place_times.times, n);
  for (std::size_t p = 0; p < n; ++p) {
    const auto& para = doc.paras[p];
    ParaFeatures& f = features[p];
    f.words = para.tokens.size();
    f.after_break = book.chapters[para.chapter].paragraphs[para.paragraph].after_break;
    for (std::size_t i = char_index[p].first; i < char_index[p].second; ++i) {
      f.characters.push_back(cast.mentions[i].target);
    }
    for (std::size_t i = place_index[p].first; i < place_index[p].second; ++i) {
      const Mention& m = cast.place_mentions[i];
      f.last_place = out.places[m.target].name;
      if (f.opening_place.empty() && opens(doc, m)) {
        f.opening_place = f.last_place;
      }
    }
    if (f.opening_place.empty()) {
      f.opening_place = opening_setting(para, doc.language);
    }
    for (std::size_t i = time_index[p].first; i < time_index[p].second; ++i) {
      f.opens_with_time = f.opens_with_time || opens(doc, place_times.times[i]);
    }
    hits[p] = detail::lexicon_hits(para, doc.language);
  }

  // Scenes.
  const auto ranges = detail::segment_scenes(doc, features, options);
  std::vector<std::size_t> genre_hits(detail::genre_names().size(), 0);
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    const auto& r = ranges[k];
    Scene scene;
    scene.index = k;
    scene.chapter = r.chapter;
    scene.first_paragraph = doc.paras[r.first].paragraph;
    scene.last_paragraph = doc.paras[r.last].paragraph;
    scene.break_reason = r.reason;
    scene.words = r.words;
    std::map<std::string, std::size_t> places;
    std::map<std::string, std::size_t> settings;
    std::map<std::size_t, std::size_t> presence;
    std::array<double, detail::kEmotionCount> emotions{};
    std::vector<std::size_t> flags(detail::flag_names().size(), 0);
    for (std::size_t p = r.first; p <= r.last; ++p) {
      for (std::size_t i = place_index[p].first; i < place_index[p].second; ++i) {
        ++places[out.places[cast.place_mentions[i].target].name];
      }
      for (std::size_t i = time_index[p].first;
           i < time_index[p].second && scene.time_marker.empty(); ++i) {
        const Mention& m = place_times.times[i];
        const auto& para = doc.paras[p];
        scene.time_marker =
            std::string(para.slice(para.tokens[m.first].begin, para.tokens[m.last - 1].end));
      }
      for (const std::size_t c : features[p].characters) {
        ++presence[c];
      }
      for (std::size_t e = 0; e < detail::kEmotionCount; ++e) {
        emotions[e] += hits[p].emotions[e];
      }
      for (std::size_t f = 0; f < flags.size(); ++f) {
        flags[f] += hits[p].flags[f];
      }
      for (std::size_t g = 0; g < genre_hits.size(); ++g) {
        genre_hits[g] += hits[p].genres[g];
      }
      for (const auto& s : hits[p].settings) {
        ++settings[s];
      }
    }
    scene.place = most_counted(places);
    scene.setting = most_counted(settings);
    std::vector<std::pair<std::size_t, std::size_t>> ranked(presence.begin(), presence.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (const auto& [c, count] : ranked) {
      scene.cast.push_back(out.characters[c].id);
    }
    scene.tone = detail::tone_of(emotions, scene.words);
    scene.flags = detail::flags_of(flags, scene.words);
    out.scenes.push_back(std::move(scene));
  }
  out.summary = detail::summarise(doc, ranges, cast.mentions, out.scenes, options);

  // Classification.
  out.classification.genre_hints = detail::genres_of(genre_hits, out.words);
  for (const auto& name : detail::flag_names()) {
    const bool any = std::any_of(out.scenes.begin(), out.scenes.end(), [&](const Scene& s) {
      return std::find(s.flags.begin(), s.flags.end(), name) != s.flags.end();
    });
    if (any) {
      out.classification.flags.emplace_back(name);
    }
  }
  return out;
}

}  // namespace atelier::visiobook::analysis
