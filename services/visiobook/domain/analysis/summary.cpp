// Extractive summaries. Each sentence is a TF-IDF vector of its content words (IDF over the
// book's sentences); a scene's sentences are scored by cosine similarity to the scene's centroid,
// plus a little for opening the scene and for naming the scene's main characters, less for very
// short or very long sentences. The best ones are kept verbatim, in reading order. The book's
// summary picks, the same way, among the scenes' summary sentences against the book's centroid.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"
#include "visiobook/domain/analysis/lexicon.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

constexpr std::size_t kMinContentBytes = 3;
constexpr std::size_t kShortSentence = 5;
constexpr std::size_t kLongSentence = 70;
constexpr double kOpeningBonus = 0.1;
constexpr double kNameBonus = 0.05;
constexpr double kShortPenalty = 0.5;
constexpr double kLongPenalty = 0.2;
constexpr std::size_t kMinBookSentences = 3;
constexpr std::size_t kMaxBookSentences = 5;
constexpr std::size_t kScenesPerBookSentence = 6;

using Vector = std::vector<std::pair<std::size_t, double>>;  // term id, weight
using Centroid = std::unordered_map<std::size_t, double>;

struct Sentence {
  std::size_t para = 0;
  Span span;
  std::size_t words = 0;
  std::size_t names = 0;
  Vector terms;
  double norm = 0;
};

double cosine(const Sentence& s, const Centroid& c, double c_norm) {
  if (s.norm <= 0 || c_norm <= 0) {
    return 0;
  }
  double dot = 0;
  for (const auto& [term, w] : s.terms) {
    const auto it = c.find(term);
    if (it != c.end()) {
      dot += w * it->second;
    }
  }
  return dot / (s.norm * c_norm);
}

double norm_of(const Centroid& c) {
  double sum = 0;
  for (const auto& [term, w] : c) {
    sum += w * w;
  }
  return std::sqrt(sum);
}

void add_to(Centroid& c, const Sentence& s) {
  for (const auto& [term, w] : s.terms) {
    c[term] += w;
  }
}

// The k best of the candidate sentences by score, in reading order.
std::vector<std::size_t> best(const std::vector<std::size_t>& candidates,
                              const std::vector<double>& scores, std::size_t k) {
  std::vector<std::size_t> order(candidates.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  order.resize(std::min(k, order.size()));
  std::vector<std::size_t> out;
  for (const std::size_t i : order) {
    out.push_back(candidates[i]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> summarise(const Doc& doc, const std::vector<SceneRange>& ranges,
                                   const std::vector<Mention>& mentions, std::vector<Scene>& scenes,
                                   const Options& options) {
  // Sentences and their term counts.
  std::unordered_map<std::string, std::size_t> vocabulary;
  std::vector<Sentence> sentences;
  std::vector<std::size_t> first_sentence(doc.paras.size() + 1, 0);
  std::vector<std::size_t> df;
  std::size_t mi = 0;
  for (std::size_t pi = 0; pi < doc.paras.size(); ++pi) {
    const Para& para = doc.paras[pi];
    first_sentence[pi] = sentences.size();
    const std::size_t base = sentences.size();
    for (const Span& span : para.sentences) {
      Sentence s;
      s.para = pi;
      s.span = span;
      sentences.push_back(std::move(s));
    }
    if (para.sentences.empty()) {
      continue;
    }
    std::vector<std::unordered_map<std::size_t, double>> counts(para.sentences.size());
    for (const Token& t : para.tokens) {
      Sentence& s = sentences[base + t.sentence];
      ++s.words;
      if (t.numeric || t.elided || t.lower.size() < kMinContentBytes ||
          is_function_word(t.lower, doc.language)) {
        continue;
      }
      const auto [it, added] = vocabulary.emplace(t.lower, vocabulary.size());
      if (added) {
        df.push_back(0);
      }
      counts[t.sentence][it->second] += 1;
    }
    for (std::size_t k = 0; k < counts.size(); ++k) {
      for (const auto& [term, n] : counts[k]) {
        ++df[term];
        sentences[base + k].terms.emplace_back(term, n);
      }
      std::sort(sentences[base + k].terms.begin(), sentences[base + k].terms.end());
    }
    for (; mi < mentions.size() && mentions[mi].para == pi; ++mi) {
      ++sentences[base + para.tokens[mentions[mi].first].sentence].names;
    }
  }
  first_sentence[doc.paras.size()] = sentences.size();
  const double n = static_cast<double>(std::max<std::size_t>(sentences.size(), 1));
  for (Sentence& s : sentences) {
    double sum = 0;
    for (auto& [term, w] : s.terms) {
      w *= std::log(n / (1.0 + static_cast<double>(df[term]))) + 1.0;
      sum += w * w;
    }
    s.norm = std::sqrt(sum);
  }
  const auto base_score = [&](const Sentence& s) {
    double score = kNameBonus * static_cast<double>(std::min<std::size_t>(s.names, 2));
    if (s.words < kShortSentence) {
      score -= kShortPenalty;
    }
    if (s.words > kLongSentence) {
      score -= kLongPenalty;
    }
    return score;
  };
  const auto text_of = [&](std::size_t i) {
    const Sentence& s = sentences[i];
    return std::string(doc.paras[s.para].slice(s.span.begin, s.span.end));
  };

  // Scenes.
  Centroid book;
  std::vector<std::size_t> chosen;
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    const std::size_t from = first_sentence[ranges[k].first];
    const std::size_t to = first_sentence[ranges[k].last + 1];
    Centroid centroid;
    std::vector<std::size_t> candidates;
    for (std::size_t i = from; i < to; ++i) {
      add_to(centroid, sentences[i]);
      candidates.push_back(i);
    }
    for (const auto& [term, w] : centroid) {
      book[term] += w;
    }
    const double c_norm = norm_of(centroid);
    std::vector<double> scores;
    for (const std::size_t i : candidates) {
      scores.push_back(cosine(sentences[i], centroid, c_norm) + base_score(sentences[i]) +
                       (i == from ? kOpeningBonus : 0.0));
    }
    for (const std::size_t i : best(candidates, scores, options.summary_sentences)) {
      scenes[k].summary.push_back(text_of(i));
      chosen.push_back(i);
    }
  }

  // The book.
  const double b_norm = norm_of(book);
  std::vector<double> scores;
  for (const std::size_t i : chosen) {
    scores.push_back(cosine(sentences[i], book, b_norm) + base_score(sentences[i]));
  }
  const std::size_t wanted =
      std::clamp(ranges.size() / kScenesPerBookSentence, kMinBookSentences, kMaxBookSentences);
  std::vector<std::string> out;
  for (const std::size_t i : best(chosen, scores, wanted)) {
    out.push_back(text_of(i));
  }
  return out;
}

}  // namespace atelier::visiobook::analysis::detail
