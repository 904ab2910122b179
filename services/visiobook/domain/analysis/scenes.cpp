// Scene segmentation. Hard breaks at chapter starts and at scene breaks ("* * *"); soft breaks
// inside a chapter, once the running scene has min_scene_words, at a paragraph that opens with a
// time or place marker: "cast" when its characters are mostly new to the scene, "time" for a time
// marker, "place" for a place other than the scene's last one. Scenes shorter than
// min_scene_words then join a neighbour in their chapter, and stretches longer than
// max_scene_words are cut at the best paragraph boundary ("length"): the one with a marker or a
// cast change, as late as the limit allows. One pass each, linear in paragraphs.
#include <algorithm>
#include <string>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

constexpr std::size_t kCastWindow = 3;  // paragraphs read ahead for a paragraph's cast
constexpr double kLowOverlap = 0.34;

// The characters of paragraphs [from, to) as a sorted set.
std::vector<std::size_t> cast_of(const std::vector<ParaFeatures>& f, std::size_t from,
                                 std::size_t to) {
  std::vector<std::size_t> out;
  for (std::size_t p = from; p < to; ++p) {
    out.insert(out.end(), f[p].characters.begin(), f[p].characters.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double overlap(const std::vector<std::size_t>& incoming, const std::vector<std::size_t>& running) {
  std::size_t shared = 0;
  for (const std::size_t c : incoming) {
    shared += std::binary_search(running.begin(), running.end(), c) ? 1 : 0;
  }
  return static_cast<double>(shared) / static_cast<double>(incoming.size());
}

// Soft segmentation of the paragraphs [a, b) of one chapter.
std::vector<SceneRange> soft_segments(const Doc& doc, const std::vector<ParaFeatures>& f,
                                      std::size_t a, std::size_t b, const Options& options) {
  std::vector<SceneRange> out;
  SceneRange cur{doc.paras[a].chapter, a, a, 0, "chapter"};
  std::vector<std::size_t> running;  // sorted cast of the running scene
  std::string place;
  for (std::size_t p = a; p < b; ++p) {
    std::string reason;
    if (p > a && f[p].after_break) {
      reason = "break";
    } else if (p > a && cur.words >= options.min_scene_words &&
               (f[p].opens_with_time || !f[p].opening_place.empty())) {
      const auto incoming = cast_of(f, p, std::min(b, p + kCastWindow));
      if (!incoming.empty() && !running.empty() && overlap(incoming, running) < kLowOverlap) {
        reason = "cast";
      } else if (f[p].opens_with_time) {
        reason = "time";
      } else if (!place.empty() && f[p].opening_place != place) {
        reason = "place";
      }
    }
    if (!reason.empty()) {
      out.push_back(cur);
      cur = {doc.paras[p].chapter, p, p, 0, reason};
      running.clear();
      place.clear();
    }
    cur.last = p;
    cur.words += f[p].words;
    for (const std::size_t c : f[p].characters) {
      const auto it = std::lower_bound(running.begin(), running.end(), c);
      if (it == running.end() || *it != c) {
        running.insert(it, c);
      }
    }
    if (!f[p].last_place.empty()) {
      place = f[p].last_place;
    }
  }
  out.push_back(cur);
  return out;
}

// Short scenes join their neighbour in the chapter: the one before, or the next one when the
// short scene opens the chapter.
std::vector<SceneRange> merge_short(const std::vector<SceneRange>& in, const Options& options) {
  std::vector<SceneRange> out;
  for (const SceneRange& s : in) {
    if (!out.empty() && out.back().chapter == s.chapter &&
        (s.words < options.min_scene_words || out.back().words < options.min_scene_words)) {
      out.back().last = s.last;
      out.back().words += s.words;
      continue;
    }
    out.push_back(s);
  }
  return out;
}

// How good a cut before paragraph p is: a marker, a change of cast.
double boundary_signal(const std::vector<ParaFeatures>& f, std::size_t p, std::size_t first,
                       std::size_t last) {
  double score = 0;
  if (f[p].opens_with_time || !f[p].opening_place.empty()) {
    score += 2;
  }
  const auto before = cast_of(f, std::max(first, p >= kCastWindow ? p - kCastWindow : 0), p);
  const auto after = cast_of(f, p, std::min(last + 1, p + kCastWindow));
  if (!after.empty() && !before.empty() && overlap(after, before) < kLowOverlap) {
    score += 1;
  }
  return score;
}

void split_long(const SceneRange& s, const std::vector<ParaFeatures>& f, const Options& options,
                std::vector<SceneRange>& out) {
  const std::size_t max_words = std::max<std::size_t>(options.max_scene_words, 1);
  SceneRange piece = s;
  while (piece.words > max_words && piece.first < piece.last) {
    std::size_t best = kNone;
    double best_score = -1;
    std::size_t fallback = piece.first + 1;
    std::size_t acc = 0;
    for (std::size_t p = piece.first + 1; p <= piece.last; ++p) {
      acc += f[p - 1].words;
      if (acc > max_words) {
        break;
      }
      fallback = p;
      const std::size_t rest = piece.words - acc;
      if (acc < options.min_scene_words || rest < options.min_scene_words) {
        continue;
      }
      const double score = boundary_signal(f, p, piece.first, piece.last) +
                           static_cast<double>(acc) / static_cast<double>(max_words);
      if (score > best_score) {
        best_score = score;
        best = p;
      }
    }
    const std::size_t cut = best != kNone ? best : fallback;
    SceneRange head = piece;
    head.last = cut - 1;
    head.words = 0;
    for (std::size_t p = head.first; p <= head.last; ++p) {
      head.words += f[p].words;
    }
    out.push_back(head);
    piece.first = cut;
    piece.words -= head.words;
    piece.reason = "length";
  }
  out.push_back(piece);
}

}  // namespace

std::vector<SceneRange> segment_scenes(const Doc& doc, const std::vector<ParaFeatures>& features,
                                       const Options& options) {
  std::vector<SceneRange> soft;
  std::size_t a = 0;
  while (a < doc.paras.size()) {
    std::size_t b = a;
    std::size_t words = 0;
    while (b < doc.paras.size() && doc.paras[b].chapter == doc.paras[a].chapter) {
      words += features[b].words;
      ++b;
    }
    if (words > 0) {
      const auto segments = soft_segments(doc, features, a, b, options);
      soft.insert(soft.end(), segments.begin(), segments.end());
    }
    a = b;
  }
  std::vector<SceneRange> out;
  for (const SceneRange& s : merge_short(soft, options)) {
    split_long(s, features, options, out);
  }
  return out;
}

}  // namespace atelier::visiobook::analysis::detail
