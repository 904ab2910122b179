#include "visiobook/adapters/local_studio.hpp"

#include <cairo.h>

#include <cstring>
#include <mutex>

#include "atelier/media/narration.hpp"
#include "atelier/media/panel.hpp"
#include "atelier/media/video.hpp"
#include "atelier/ocr/reader.hpp"

namespace atelier::visiobook::adapters {

namespace {

// A breath after each shot's narration before the next panel.
constexpr double kPauseSeconds = 0.6;
constexpr double kMinShotSeconds = 3.0;

media::Rgb rgb(const domain::Colour& c) {
  return media::Rgb{c.r, c.g, c.b};
}

media::PanelStyle style_of(domain::Style s) {
  switch (s) {
    case domain::Style::kSketch:
      return media::PanelStyle::kSketch;
    case domain::Style::kComic:
      return media::PanelStyle::kComic;
    case domain::Style::kNoir:
      return media::PanelStyle::kNoir;
  }
  return media::PanelStyle::kSketch;
}

media::Setting setting_of(domain::Setting s) {
  switch (s) {
    case domain::Setting::kInterior:
      return media::Setting::kInterior;
    case domain::Setting::kStreet:
      return media::Setting::kStreet;
    case domain::Setting::kCountryside:
      return media::Setting::kCountryside;
    case domain::Setting::kForest:
      return media::Setting::kForest;
    case domain::Setting::kSea:
      return media::Setting::kSea;
    case domain::Setting::kMountain:
      return media::Setting::kMountain;
    case domain::Setting::kUnknown:
      break;
  }
  return media::Setting::kUnknown;
}

media::TimeOfDay time_of(domain::TimeOfDay t) {
  switch (t) {
    case domain::TimeOfDay::kDay:
      return media::TimeOfDay::kDay;
    case domain::TimeOfDay::kNight:
      return media::TimeOfDay::kNight;
    case domain::TimeOfDay::kDusk:
      return media::TimeOfDay::kDusk;
  }
  return media::TimeOfDay::kDay;
}

// A seed from the shot, so that a panel drawn twice is the same picture.
uint32_t seed_of(const domain::Shot& shot) {
  uint32_t h = 2166136261u;
  for (char c : shot.title) {
    h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  }
  return h ^ static_cast<uint32_t>(shot.scene * 2654435761u);
}

struct PngReader {
  std::string_view bytes;
  size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->bytes.size() - r->at < length) {
    return CAIRO_STATUS_READ_ERROR;
  }
  std::memcpy(data, r->bytes.data() + r->at, length);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

// A PNG file's pixels as a media::Image (BGRA, cairo's ARGB32 on little-endian).
Result<media::Image> decode_png(std::string_view bytes) {
  PngReader reader{bytes, 0};
  cairo_surface_t* png = cairo_image_surface_create_from_png_stream(read_png, &reader);
  if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(png);
    return Error::internal("visiobook: a stored panel is not a readable PNG");
  }
  const int w = cairo_image_surface_get_width(png);
  const int h = cairo_image_surface_get_height(png);
  // Redraw into ARGB32 whatever format the PNG came in (RGB24 has no alpha byte set).
  cairo_surface_t* argb = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t* cr = cairo_create(argb);
  cairo_set_source_surface(cr, png, 0, 0);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_flush(argb);
  media::Image image{w, h, {}};
  image.bgra.resize(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  const int stride = cairo_image_surface_get_stride(argb);
  const unsigned char* data = cairo_image_surface_get_data(argb);
  for (int y = 0; y < h; ++y) {
    std::memcpy(image.bgra.data() + static_cast<size_t>(y) * static_cast<size_t>(w) * 4,
                data + static_cast<size_t>(y) * static_cast<size_t>(stride),
                static_cast<size_t>(w) * 4);
  }
  cairo_surface_destroy(argb);
  cairo_surface_destroy(png);
  return image;
}

void put_le(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}

uint32_t get_le(std::string_view s, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) {
    v = (v << 8) | static_cast<uint8_t>(s[at + static_cast<size_t>(i)]);
  }
  return v;
}

class LocalStudio final : public app::Studio {
 public:
  explicit LocalStudio(StudioOptions options) : options_(std::move(options)) {}

  Result<std::string> draw_panel(const domain::Shot& shot, domain::Style style,
                                 domain::FrameSize size) override {
    media::PanelSpec spec;
    spec.width = size.width;
    spec.height = size.height;
    spec.style = style_of(style);
    spec.setting = setting_of(shot.setting);
    spec.time = time_of(shot.time);
    spec.primary = rgb(shot.primary);
    spec.secondary = rgb(shot.secondary);
    for (const auto& f : shot.figures) {
      spec.figures.push_back(media::Figure{f.name, rgb(f.colour), 1.0, f.speaking});
    }
    spec.title = shot.title;
    spec.caption = shot.caption;
    spec.seed = seed_of(shot);
    auto image = media::render_panel(spec);
    if (!image) {
      return std::move(image).error();
    }
    return media::encode_png(*image);
  }

  Result<app::SpokenText> narrate(const std::string& text, domain::Language language,
                                  const domain::Settings& settings) override {
    auto narrator = open_narrator();
    if (!narrator) {
      return std::move(narrator).error();
    }
    media::Voice voice;
    voice.language = language == domain::Language::kFrench ? "fr" : "en";
    voice.variant = settings.voice;
    voice.words_per_minute = domain::words_per_minute(settings.pacing);
    auto audio = (*narrator)->speak(text, voice);
    if (!audio) {
      return std::move(audio).error();
    }
    return app::SpokenText{wav_file(audio->sample_rate, audio->samples), audio->seconds()};
  }

  Result<app::AssembledVideo> assemble(const std::filesystem::path& out,
                                       const domain::Storyboard& board,
                                       std::span<const std::string> panels,
                                       std::span<const std::string> narrations,
                                       domain::FrameSize size) override {
    if (panels.size() != board.shots.size() || narrations.size() != board.shots.size()) {
      return Error::internal("visiobook: panels and narrations do not match the shots");
    }
    std::vector<media::Image> images;
    images.reserve(panels.size());
    media::Audio track;
    std::vector<media::Shot> shots;
    double start = 0;
    std::vector<double> starts;
    for (size_t i = 0; i < panels.size(); ++i) {
      auto image = decode_png(panels[i]);
      if (!image) {
        return std::move(image).error();
      }
      images.push_back(std::move(*image));
      auto pcm = read_wav(narrations[i]);
      if (!pcm) {
        return std::move(pcm).error();
      }
      if (track.samples.empty()) {
        track.sample_rate = pcm->sample_rate;
      } else if (pcm->sample_rate != track.sample_rate) {
        return Error::internal("visiobook: narrations at different sample rates");
      }
      const double spoken = static_cast<double>(pcm->samples.size()) / pcm->sample_rate;
      const double seconds = std::max(kMinShotSeconds, spoken + kPauseSeconds);
      // The clip, then silence up to the shot's end, so the voice stays on its panel.
      const size_t shot_samples = static_cast<size_t>(seconds * pcm->sample_rate);
      track.samples.insert(track.samples.end(), pcm->samples.begin(), pcm->samples.end());
      track.samples.resize(track.samples.size() + (shot_samples - pcm->samples.size()), 0);
      starts.push_back(start);
      start += static_cast<double>(shot_samples) / pcm->sample_rate;
      shots.push_back(media::Shot{nullptr, static_cast<double>(shot_samples) / pcm->sample_rate,
                                  board.shots[i].caption});
    }
    for (size_t i = 0; i < shots.size(); ++i) {
      shots[i].image = &images[i];
    }
    std::vector<media::Chapter> chapters;
    for (const auto& c : board.chapters) {
      if (c.first_shot < starts.size()) {
        chapters.push_back(media::Chapter{c.title, starts[c.first_shot]});
      }
    }
    media::VideoOptions options;
    options.width = size.width;
    options.height = size.height;
    options.fps = options_.fps;
    options.preset = options_.preset.c_str();
    if (auto written = media::write_mp4(out.string(), shots, track, chapters, options); !written) {
      return written.error();
    }
    return app::AssembledVideo{std::max(start, track.seconds()), media::webvtt(shots)};
  }

  Result<std::string> storyboard_pdf(const std::string& title, const domain::Storyboard& board,
                                     std::span<const std::string> panels) override {
    std::vector<media::Image> images;
    images.reserve(panels.size());
    for (const auto& p : panels) {
      auto image = decode_png(p);
      if (!image) {
        return std::move(image).error();
      }
      images.push_back(std::move(*image));
    }
    std::vector<media::StoryboardEntry> entries;
    for (size_t i = 0; i < images.size() && i < board.shots.size(); ++i) {
      entries.push_back(media::StoryboardEntry{
          &images[i], board.shots[i].title + " — " + board.shots[i].caption, board.shots[i].notes});
    }
    return media::storyboard_pdf(title, entries);
  }

 private:
  Result<media::Narrator*> open_narrator() {
    std::lock_guard lock(mutex_);
    if (!narrator_) {
      auto opened = media::Narrator::open();
      if (!opened) {
        return std::move(opened).error();
      }
      narrator_ = std::move(*opened);
    }
    return narrator_.get();
  }

  StudioOptions options_;
  std::mutex mutex_;
  std::unique_ptr<media::Narrator> narrator_;
};

class OcrPageReader final : public app::PageReader {
 public:
  Result<std::vector<std::string>> read(std::span<const std::byte> bytes,
                                        std::string_view content_type) override {
    auto reader = open_reader();
    if (!reader) {
      return std::move(reader).error();
    }
    auto pages = (*reader)->read(bytes, content_type);
    if (!pages) {
      return std::move(pages).error();
    }
    std::vector<std::string> out;
    for (auto& p : *pages) {
      out.push_back(std::move(p.text));
    }
    return out;
  }

 private:
  Result<ocr::Reader*> open_reader() {
    std::lock_guard lock(mutex_);
    if (!reader_) {
      auto made = ocr::make_reader(ocr::ReaderOptions{});
      if (!made) {
        return std::move(made).error();
      }
      reader_ = std::move(*made);
    }
    return reader_.get();
  }

  std::mutex mutex_;
  std::unique_ptr<ocr::Reader> reader_;
};

}  // namespace

std::string wav_file(int sample_rate, const std::vector<int16_t>& samples) {
  const uint32_t data_bytes = static_cast<uint32_t>(samples.size() * 2);
  std::string out = "RIFF";
  put_le(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  put_le(out, 16, 4);
  put_le(out, 1, 2);  // PCM
  put_le(out, 1, 2);  // mono
  put_le(out, static_cast<uint32_t>(sample_rate), 4);
  put_le(out, static_cast<uint32_t>(sample_rate) * 2, 4);
  put_le(out, 2, 2);
  put_le(out, 16, 2);
  out += "data";
  put_le(out, data_bytes, 4);
  for (int16_t s : samples) {
    put_le(out, static_cast<uint16_t>(s), 2);
  }
  return out;
}

Result<Pcm> read_wav(std::string_view bytes) {
  if (bytes.size() < 44 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 8) != "WAVEfmt " ||
      get_le(bytes, 20, 2) != 1 || get_le(bytes, 22, 2) != 1 || get_le(bytes, 34, 2) != 16 ||
      bytes.substr(36, 4) != "data") {
    return Error::invalid("Not a 16-bit mono PCM WAVE file.");
  }
  const uint32_t data_bytes = get_le(bytes, 40, 4);
  if (data_bytes > bytes.size() - 44 || data_bytes % 2 != 0) {
    return Error::invalid("The WAVE file is truncated.");
  }
  Pcm pcm;
  pcm.sample_rate = static_cast<int>(get_le(bytes, 24, 4));
  if (pcm.sample_rate <= 0) {
    return Error::invalid("The WAVE file has no sample rate.");
  }
  pcm.samples.resize(data_bytes / 2);
  for (size_t i = 0; i < pcm.samples.size(); ++i) {
    pcm.samples[i] = static_cast<int16_t>(get_le(bytes, 44 + 2 * i, 2));
  }
  return pcm;
}

std::unique_ptr<app::Studio> make_local_studio(StudioOptions options) {
  return std::make_unique<LocalStudio>(std::move(options));
}
std::unique_ptr<app::PageReader> make_ocr_page_reader() {
  return std::make_unique<OcrPageReader>();
}

}  // namespace atelier::visiobook::adapters
