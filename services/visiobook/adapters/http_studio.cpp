#include "visiobook/adapters/http_studio.hpp"

#include <cairo.h>

#include <boost/json.hpp>
#include <cstring>
#include <optional>

#include "atelier/http/client.hpp"
#include "visiobook/adapters/external_http.hpp"
#include "visiobook/adapters/local_studio.hpp"

namespace atelier::visiobook::adapters {

namespace {

namespace json = boost::json;

constexpr const char* kImagesPath = "/v1/images/generations";
constexpr const char* kSpeechPath = "/v1/audio/speech";
constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";
constexpr size_t kMaxPromptBytes = 1'000;

// Standard base64 (RFC 4648 §4) with its `=` padding; line breaks are skipped, anything else
// outside the alphabet, misplaced padding and impossible lengths are refused.
std::optional<std::string> base64_decode(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != '\n' && c != '\r') {
      clean.push_back(c);
    }
  }
  if (clean.size() % 4 != 0) {
    return std::nullopt;
  }
  const size_t padding = clean.ends_with("==") ? 2 : clean.ends_with("=") ? 1 : 0;
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
  };
  std::string out;
  out.reserve(clean.size() / 4 * 3);
  for (size_t i = 0; i < clean.size(); i += 4) {
    uint32_t bits = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = clean[i + j];
      int v = 0;
      if (c == '=') {
        if (i + 4 != clean.size() || j < 4 - padding) {
          return std::nullopt;
        }
      } else if ((v = value(c)) < 0) {
        return std::nullopt;
      }
      bits = (bits << 6) | static_cast<uint32_t>(v);
    }
    out.push_back(static_cast<char>((bits >> 16) & 0xFF));
    out.push_back(static_cast<char>((bits >> 8) & 0xFF));
    out.push_back(static_cast<char>(bits & 0xFF));
  }
  out.resize(out.size() - padding);
  return out;
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

// Whether `bytes` is a PNG file cairo can decode (what assembly and the PDF will do with it).
bool readable_png(std::string_view bytes) {
  if (!bytes.starts_with(kPngSignature)) {
    return false;
  }
  PngReader reader{bytes, 0};
  cairo_surface_t* png = cairo_image_surface_create_from_png_stream(read_png, &reader);
  const bool ok = cairo_surface_status(png) == CAIRO_STATUS_SUCCESS &&
                  cairo_image_surface_get_width(png) > 0 && cairo_image_surface_get_height(png) > 0;
  cairo_surface_destroy(png);
  return ok;
}

std::string_view style_words(domain::Style style) {
  switch (style) {
    case domain::Style::kSketch:
      return "pencil sketch";
    case domain::Style::kComic:
      return "colour comic-book panel";
    case domain::Style::kNoir:
      return "black-and-white film noir panel";
  }
  return "illustration";
}

std::string_view time_words(domain::TimeOfDay time) {
  switch (time) {
    case domain::TimeOfDay::kDay:
      return "by day";
    case domain::TimeOfDay::kNight:
      return "at night";
    case domain::TimeOfDay::kDusk:
      return "at dusk";
  }
  return "";
}

class HttpStudio final : public app::Studio {
 public:
  HttpStudio(HttpStudioOptions options, std::unique_ptr<app::Studio> fallback)
      : options_(std::move(options)),
        fallback_(std::move(fallback)),
        images_{"images",
                endpoint_base(options_.images_url),
                options_.api_key,
                options_.timeout,
                options_.max_retries,
                options_.backoff},
        speech_{"speech",
                endpoint_base(options_.speech_url),
                options_.api_key,
                options_.timeout,
                options_.max_retries,
                options_.backoff} {}

  Result<std::string> draw_panel(const domain::Shot& shot, domain::Style style,
                                 domain::FrameSize size) override {
    if (options_.images_url.empty()) {
      return fallback_->draw_panel(shot, style, size);
    }
    json::object body{{"model", options_.images_model},
                      {"prompt", panel_prompt(shot, style)},
                      {"size", std::to_string(size.width) + "x" + std::to_string(size.height)},
                      {"response_format", "b64_json"}};
    auto response = post_json(client_, images_, kImagesPath, body);
    if (!response) {
      return std::move(response).error();
    }
    boost::system::error_code ec;
    json::value v = json::parse(response->body, ec);
    const json::value* data = !ec && v.is_object() ? v.as_object().if_contains("data") : nullptr;
    const json::value* b64 = data != nullptr && data->is_array() && !data->as_array().empty() &&
                                     data->as_array()[0].is_object()
                                 ? data->as_array()[0].as_object().if_contains("b64_json")
                                 : nullptr;
    if (b64 == nullptr || !b64->is_string()) {
      return unusable(images_, kImagesPath, "no data[0].b64_json string");
    }
    auto png = base64_decode(b64->as_string());
    if (!png) {
      return unusable(images_, kImagesPath, "data[0].b64_json is not base64");
    }
    if (!readable_png(*png)) {
      return unusable(images_, kImagesPath, "the image is not a PNG file");
    }
    return std::move(*png);
  }

  Result<app::SpokenText> narrate(const std::string& text, domain::Language language,
                                  const domain::Settings& settings) override {
    if (options_.speech_url.empty()) {
      return fallback_->narrate(text, language, settings);
    }
    json::object body{{"model", options_.speech_model},
                      {"input", text},
                      {"voice", options_.speech_voice},
                      {"response_format", "wav"}};
    auto response = post_json(client_, speech_, kSpeechPath, body);
    if (!response) {
      return std::move(response).error();
    }
    auto pcm = read_wav(response->body);
    if (!pcm) {
      return unusable(speech_, kSpeechPath,
                      "the audio is not a 16-bit mono PCM WAVE file (other formats are not "
                      "converted)");
    }
    if (pcm->sample_rate <= 0) {
      return unusable(speech_, kSpeechPath, "the WAVE file has no sample rate");
    }
    const double seconds =
        static_cast<double>(pcm->samples.size()) / static_cast<double>(pcm->sample_rate);
    return app::SpokenText{std::move(response->body), seconds};
  }

  Result<app::AssembledVideo> assemble(const std::filesystem::path& out,
                                       const domain::Storyboard& board,
                                       std::span<const std::string> panels,
                                       std::span<const std::string> narrations,
                                       domain::FrameSize size) override {
    return fallback_->assemble(out, board, panels, narrations, size);
  }

  Result<std::string> storyboard_pdf(const std::string& title, const domain::Storyboard& board,
                                     std::span<const std::string> panels) override {
    return fallback_->storyboard_pdf(title, board, panels);
  }

 private:
  static Error unusable(const Endpoint& endpoint, const char* path, const std::string& why) {
    return Error::unavailable("visiobook: " + describe(endpoint, path) +
                              " answered something unusable: " + why);
  }

  HttpStudioOptions options_;
  std::unique_ptr<app::Studio> fallback_;
  Endpoint images_;
  Endpoint speech_;
  http::Client client_;
};

}  // namespace

std::string panel_prompt(const domain::Shot& shot, domain::Style style) {
  std::string prompt = "A " + std::string(style_words(style)) + " illustrating a scene of a novel";
  if (shot.setting != domain::Setting::kUnknown) {
    prompt += ", " + std::string(domain::setting_name(shot.setting));
  }
  prompt += ", " + std::string(time_words(shot.time)) + ".";
  std::string cast;
  for (const auto& f : shot.figures) {
    cast += (cast.empty() ? "" : ", ") + f.name;
  }
  if (!cast.empty()) {
    prompt += " Characters: " + cast + ".";
  }
  if (!shot.caption.empty()) {
    prompt += " The scene: " + shot.caption;
  }
  prompt += " No text or lettering in the image.";
  if (prompt.size() > kMaxPromptBytes) {
    size_t end = kMaxPromptBytes;
    while (end > 0 && (static_cast<unsigned char>(prompt[end]) & 0xC0) == 0x80) {
      --end;
    }
    prompt.resize(end);
  }
  return prompt;
}

std::unique_ptr<app::Studio> make_http_studio(HttpStudioOptions options,
                                              std::unique_ptr<app::Studio> fallback) {
  return std::make_unique<HttpStudio>(std::move(options), std::move(fallback));
}

}  // namespace atelier::visiobook::adapters
