// A Studio that draws panels through an external images endpoint (OpenAI-style
// POST {url}/v1/images/generations, a base64 PNG back) and speaks through an external speech
// endpoint (OpenAI-style POST {url}/v1/audio/speech, a WAV back), each when its URL is set.
// What is not configured, and always the video's assembly and the printable storyboard, is left
// to the studio it wraps (the local one).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "visiobook/app/studio.hpp"

namespace atelier::visiobook::adapters {

struct HttpStudioOptions {
  std::string images_url;  // the server's root, http://host:port; empty: panels drawn locally
  std::string images_model;
  std::string speech_url;  // empty: narration spoken locally
  std::string speech_model;
  std::string speech_voice;  // the server's voice name (the project's espeak variant is not used)
  std::string api_key;       // "Authorization: Bearer <key>" when not empty
  std::chrono::milliseconds timeout{120'000};  // each request
  int max_retries = 2;                         // on 429, 5xx and an unreachable server
  std::chrono::milliseconds backoff{1'000};
};

std::unique_ptr<app::Studio> make_http_studio(HttpStudioOptions options,
                                              std::unique_ptr<app::Studio> fallback);

// The text prompt of a shot's panel: style, setting, time of day, cast and caption.
std::string panel_prompt(const domain::Shot& shot, domain::Style style);

}  // namespace atelier::visiobook::adapters
