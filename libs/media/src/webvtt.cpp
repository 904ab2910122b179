// WebVTT for a list of shots: cues back to back from 0, one per shot with a subtitle.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "atelier/media/video.hpp"

namespace atelier::media {

namespace {

// "hh:mm:ss.mmm" for a time in seconds.
std::string timestamp(double seconds) {
  const auto ms = static_cast<long long>(std::llround(std::max(0.0, seconds) * 1000));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60,
                ms / 1000 % 60, ms % 1000);
  return buffer;
}

// A cue's text may not hold a blank line (it would end the cue); '&', '<' and '>' are escaped.
std::string cue_text(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\r' || (c == '\n' && (out.empty() || out.back() == '\n'))) {
      continue;
    }
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  return out;
}

}  // namespace

std::string webvtt(const std::vector<Shot>& shots) {
  std::string out = "WEBVTT\n\n";
  double start = 0;
  for (const auto& shot : shots) {
    const double end = start + std::max(0.0, shot.seconds);
    const std::string text = cue_text(shot.subtitle);
    if (!text.empty()) {
      out += timestamp(start) + " --> " + timestamp(end) + "\n" + text + "\n\n";
    }
    start = end;
  }
  return out;
}

}  // namespace atelier::media
