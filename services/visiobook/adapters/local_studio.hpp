// The pipeline's studio and page reader on this machine: panels and the printable storyboard
// drawn with cairo, narration spoken by espeak-ng, the MP4 assembled with the FFmpeg libraries
// (libs/media), scanned pages read by Tesseract and PDFs' text layers by poppler (libs/ocr).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiobook/app/studio.hpp"

namespace atelier::visiobook::adapters {

struct StudioOptions {
  int fps = 25;
  std::string preset = "veryfast";  // x264's speed against size: ultrafast .. slow
};
std::unique_ptr<app::Studio> make_local_studio(StudioOptions options = {});
std::unique_ptr<app::PageReader> make_ocr_page_reader();

// A RIFF/WAVE file of 16-bit mono PCM, and back (kInvalid for anything else).
std::string wav_file(int sample_rate, const std::vector<int16_t>& samples);
struct Pcm {
  int sample_rate = 0;
  std::vector<int16_t> samples;
};
Result<Pcm> read_wav(std::string_view bytes);

}  // namespace atelier::visiobook::adapters
