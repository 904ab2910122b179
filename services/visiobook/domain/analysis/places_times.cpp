// Places and time markers. Places here are the French patterns a place noun opens ("rue
// Saint-Honoré", "hôtel de Lanty"); names after locative prepositions ("à Paris", "in London")
// are told from characters in characters.cpp. Time markers are the shipped phrases ("le
// lendemain", "the next morning", "minuit"), dates ("12 mars 1830", "March 12, 1830") and years.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"
#include "visiobook/domain/analysis/lexicon.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

constexpr int kMinYear = 1000;
constexpr int kMaxYear = 2099;
constexpr int kMaxDay = 31;

int number_of(const Token& t, std::size_t max_digits) {
  if (!t.numeric || t.lower.size() > max_digits) {
    return -1;
  }
  int value = 0;
  for (const char c : t.lower) {
    if (c < '0' || c > '9') {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

bool is_year(const Token& t) {
  const int v = number_of(t, 4);
  return t.lower.size() == 4 && v >= kMinYear && v <= kMaxYear;
}

bool is_day(const Token& t) {
  const int v = number_of(t, 2);
  return v >= 1 && v <= kMaxDay;
}

bool month_at(const Para& para, std::size_t i, Language language) {
  if (i >= para.tokens.size() || !is_month(para.tokens[i].lower, language)) {
    return false;
  }
  // English "may" and "march" are verbs too: a month is written with a capital there.
  return language == Language::kFrench || para.tokens[i].capitalised;
}

// The end (exclusive token index) of a date or year starting at i, or i when there is none.
std::size_t date_end(const Para& para, std::size_t i, Language language) {
  const auto& tk = para.tokens;
  const auto same = [&](std::size_t j) {
    return j < tk.size() && tk[j].sentence == tk[i].sentence;
  };
  std::size_t j = i;
  if (is_day(tk[i]) && same(i + 1) && month_at(para, i + 1, language)) {
    j = i + 2;  // 12 mars, 12 March
  } else if (month_at(para, i, language) && same(i + 1) && is_day(tk[i + 1])) {
    j = i + 2;  // March 12
  } else if (month_at(para, i, language) && same(i + 1) && is_year(tk[i + 1])) {
    return i + 2;  // March 1830
  } else if (is_year(tk[i])) {
    return i + 1;
  } else {
    return i;
  }
  if (same(j) && is_year(tk[j])) {
    ++j;
  }
  return j;
}

bool capitalised_name_part(const Token& t, Language language) {
  return t.capitalised && !t.all_caps && !t.numeric && !t.elided &&
         !is_name_stop_word(t.lower, language);
}

}  // namespace

bool is_locative_context(const Para& para, std::size_t first_token, Language language) {
  if (first_token == 0) {
    return false;
  }
  std::size_t i = first_token - 1;
  const std::size_t sentence = para.tokens[first_token].sentence;
  if (is_article(para.tokens[i].lower, language) && i > 0) {
    --i;
  }
  return para.tokens[i].sentence == sentence && !para.tokens[i].capitalised &&
         is_locative(para.tokens[i].lower, language);
}

PlaceTimeResult find_places_and_times(const Doc& doc) {
  PlaceTimeResult out;
  const Language language = doc.language;
  const auto& phrases = time_phrases(language);
  std::unordered_map<std::string, std::vector<std::size_t>> by_first;
  for (std::size_t k = 0; k < phrases.size(); ++k) {
    by_first[phrases[k].front()].push_back(k);  // longest first, as phrases are sorted
  }
  std::unordered_map<std::string, std::size_t> marker_index;
  const auto add_time = [&](std::size_t para, std::size_t first, std::size_t last) {
    const Para& p = doc.paras[para];
    const std::string_view text = p.slice(p.tokens[first].begin, p.tokens[last - 1].end);
    const std::string key = to_lower(text);
    auto [it, added] = marker_index.emplace(key, out.markers.size());
    if (added) {
      out.markers.emplace_back(text);
    }
    out.times.push_back({para, first, last, it->second});
  };

  for (std::size_t pi = 0; pi < doc.paras.size(); ++pi) {
    const Para& para = doc.paras[pi];
    const auto& tk = para.tokens;
    for (std::size_t i = 0; i < tk.size();) {
      // Time phrases.
      std::size_t matched = 0;
      if (const auto it = by_first.find(tk[i].lower); it != by_first.end()) {
        for (const std::size_t k : it->second) {
          const auto& phrase = phrases[k];
          if (i + phrase.size() > tk.size()) {
            continue;
          }
          bool ok = true;
          for (std::size_t j = 0; j < phrase.size() && ok; ++j) {
            ok = tk[i + j].lower == phrase[j] && tk[i + j].sentence == tk[i].sentence;
          }
          if (ok) {
            matched = phrase.size();
            break;
          }
        }
      }
      if (matched == 0) {
        matched = date_end(para, i, language) - i;
      }
      if (matched > 0) {
        add_time(pi, i, i + matched);
        i += matched;
        continue;
      }
      // French place patterns: a place noun, particles, then a capitalised name.
      if (language == Language::kFrench && !tk[i].capitalised &&
          is_place_head(tk[i].lower, language)) {
        std::size_t j = i + 1;
        while (j < tk.size() && j < i + 3 && adjacent(para, j - 1) &&
               (is_particle(tk[j].lower, language) || is_article(tk[j].lower, language))) {
          ++j;
        }
        std::size_t end = j;
        while (end < tk.size() && adjacent(para, end - 1) &&
               capitalised_name_part(tk[end], language)) {
          ++end;
        }
        if (end > j) {
          out.place_patterns.push_back({pi, i, end, out.pattern_names.size()});
          out.pattern_names.emplace_back(para.slice(tk[i].begin, tk[end - 1].end));
          i = end;
          continue;
        }
      }
      ++i;
    }
  }
  return out;
}

}  // namespace atelier::visiobook::analysis::detail
