// Emotion and tone, sensitive-content flags and genre hints, all counted from the shipped
// lexicons (lexicon.cpp). A negation in the three words before an emotion word flips it to its
// counterpart ("not happy" is sadness, "pas effrayé" is trust). Valence weighs the hits by
// polarity; arousal by how intense each emotion is, damped when emotion words are sparse.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"
#include "visiobook/domain/analysis/lexicon.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

constexpr std::size_t kNegationWindow = 3;
// Emotion words per word of text at which arousal is no longer damped.
constexpr double kFullArousalDensity = 0.05;
// A flag fires at this many hits, and at least one hit per this many words.
constexpr std::size_t kFlagMinHits = 2;
constexpr std::size_t kFlagWordsPerHit = 400;
// A genre is hinted at this many hits, and this many per thousand words.
constexpr std::size_t kGenreMinHits = 5;
constexpr double kGenrePerThousand = 1.5;

// Indexed by Emotion: joy, sadness, fear, anger, surprise, disgust, trust, anticipation.
constexpr std::array<double, kEmotionCount> kPolarity = {1.0, -1.0, -1.0, -1.0,
                                                         0.0, -1.0, 1.0,  0.5};
constexpr std::array<double, kEmotionCount> kIntensity = {0.7, 0.3, 0.85, 0.9, 0.8, 0.5, 0.25, 0.6};
constexpr std::array<Emotion, kEmotionCount> kNegated = {
    Emotion::kSadness,      Emotion::kJoy,   Emotion::kTrust, Emotion::kTrust,
    Emotion::kAnticipation, Emotion::kTrust, Emotion::kFear,  Emotion::kSurprise};

bool negated(const Para& para, std::size_t i, Language language) {
  const auto& tk = para.tokens;
  for (std::size_t back = 1; back <= kNegationWindow && back <= i; ++back) {
    const Token& t = tk[i - back];
    if (t.sentence != tk[i].sentence) {
      return false;
    }
    if (is_negator(t.lower, language)) {
      return true;
    }
  }
  return false;
}

}  // namespace

ParaHits lexicon_hits(const Para& para, Language language) {
  ParaHits hits;
  hits.flags.assign(flag_names().size(), 0);
  hits.genres.assign(genre_names().size(), 0);
  const TaggedLexicon& emotions = emotion_lexicon(language);
  const TaggedLexicon& flags = flag_lexicon(language);
  const TaggedLexicon& genres = genre_lexicon(language);
  for (std::size_t i = 0; i < para.tokens.size(); ++i) {
    const Token& t = para.tokens[i];
    if (t.numeric || t.elided || is_function_word(t.lower, language)) {
      continue;
    }
    if (const int e = emotions.find(t.lower); e >= 0) {
      const auto emotion = static_cast<std::size_t>(e);
      const std::size_t counted =
          negated(para, i, language) ? static_cast<std::size_t>(kNegated[emotion]) : emotion;
      hits.emotions[counted] += 1;
    }
    if (const int f = flags.find(t.lower); f >= 0) {
      ++hits.flags[static_cast<std::size_t>(f)];
    }
    if (const int g = genres.find(t.lower); g >= 0) {
      ++hits.genres[static_cast<std::size_t>(g)];
    }
    if (const auto setting = setting_of(t.lower, language); !setting.empty()) {
      hits.settings.emplace_back(setting);
    }
  }
  return hits;
}

Tone tone_of(const std::array<double, kEmotionCount>& hits, std::size_t words) {
  Tone tone;
  double total = 0;
  for (const double h : hits) {
    total += h;
  }
  if (total <= 0) {
    return tone;
  }
  double valence = 0;
  double intensity = 0;
  std::size_t best = 0;
  for (std::size_t e = 0; e < kEmotionCount; ++e) {
    if (hits[e] > 0) {
      tone.emotions[static_cast<Emotion>(e)] = hits[e] / total;
    }
    valence += kPolarity[e] * hits[e];
    intensity += kIntensity[e] * hits[e];
    if (hits[e] > hits[best]) {
      best = e;
    }
  }
  tone.dominant = static_cast<Emotion>(best);
  tone.valence = std::clamp(valence / total, -1.0, 1.0);
  const double density =
      words == 0 ? 1.0 : std::min(1.0, total / static_cast<double>(words) / kFullArousalDensity);
  tone.arousal = std::clamp(intensity / total * (0.5 + 0.5 * density), 0.0, 1.0);
  return tone;
}

std::vector<std::string> flags_of(const std::vector<std::size_t>& hits, std::size_t words) {
  std::vector<std::string> out;
  for (std::size_t f = 0; f < hits.size(); ++f) {
    if (hits[f] >= kFlagMinHits && hits[f] * kFlagWordsPerHit >= words) {
      out.emplace_back(flag_names()[f]);
    }
  }
  return out;
}

std::vector<std::string> genres_of(const std::vector<std::size_t>& hits, std::size_t words) {
  std::vector<std::pair<double, std::size_t>> scored;
  for (std::size_t g = 0; g < hits.size(); ++g) {
    const double per_thousand =
        words == 0 ? 0.0 : 1000.0 * static_cast<double>(hits[g]) / static_cast<double>(words);
    if (hits[g] >= kGenreMinHits && per_thousand >= kGenrePerThousand) {
      scored.emplace_back(per_thousand, g);
    }
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (const auto& [score, g] : scored) {
    out.emplace_back(genre_names()[g]);
  }
  return out;
}

}  // namespace atelier::visiobook::analysis::detail
