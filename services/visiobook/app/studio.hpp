// The ports the pipeline draws, speaks and assembles through. adapters/local_studio.cpp fills
// them offline on a CPU (cairo, espeak-ng, the FFmpeg libraries); an external image or speech
// server would be another adapter of the same ports.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "visiobook/domain/project.hpp"
#include "visiobook/domain/storyboard.hpp"

namespace atelier::visiobook::app {

struct SpokenText {
  std::string wav;  // a RIFF/WAVE file: 16-bit mono PCM
  double seconds = 0;
};

struct AssembledVideo {
  double seconds = 0;
  std::string webvtt;  // the subtitles, cue by cue
};

class Studio {
 public:
  virtual ~Studio() = default;
  // The panel of `shot`, as a PNG file's bytes.
  virtual Result<std::string> draw_panel(const domain::Shot& shot, domain::Style style,
                                         domain::FrameSize size) = 0;
  virtual Result<SpokenText> narrate(const std::string& text, domain::Language language,
                                     const domain::Settings& settings) = 0;
  // The MP4 at `out`: each shot's panel for as long as its narration (and a breath), the
  // narration track, chapter markers and subtitles. `panels` and `narrations` are PNG and WAV
  // files' bytes, one per shot.
  virtual Result<AssembledVideo> assemble(const std::filesystem::path& out,
                                          const domain::Storyboard& board,
                                          std::span<const std::string> panels,
                                          std::span<const std::string> narrations,
                                          domain::FrameSize size) = 0;
  // A printable storyboard: panels with captions and scene notes, a few per A4 page.
  virtual Result<std::string> storyboard_pdf(const std::string& title,
                                             const domain::Storyboard& board,
                                             std::span<const std::string> panels) = 0;
};

// Text out of scanned pages (images, PDFs without a text layer): one string per page.
class PageReader {
 public:
  virtual ~PageReader() = default;
  virtual Result<std::vector<std::string>> read(std::span<const std::byte> bytes,
                                                std::string_view content_type) = 0;
};

}  // namespace atelier::visiobook::app
