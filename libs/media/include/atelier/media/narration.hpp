// Narration: text spoken by espeak-ng into 16-bit mono PCM, French or English voices, at a rate
// in words per minute. espeak-ng keeps global state, so one Narrator serialises its callers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"

namespace atelier::media {

struct Audio {
  int sample_rate = 22050;
  std::vector<int16_t> samples;  // mono
  double seconds() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

struct Voice {
  std::string language = "fr";  // "fr" or "en" (espeak-ng voice names: "fr", "en-gb", ...)
  std::string variant;          // "" or an espeak-ng variant ("m3", "f2")
  int words_per_minute = 160;   // 80..450
};

class Narrator {
 public:
  // An Error (kUnavailable) when espeak-ng or its data cannot be found.
  static Result<std::unique_ptr<Narrator>> open(const std::string& data_path = "");
  virtual ~Narrator() = default;
  virtual Result<Audio> speak(const std::string& text, const Voice& voice) = 0;
};

}  // namespace atelier::media
