// An Analyst that asks an OpenAI-compatible chat endpoint (POST {url}/v1/chat/completions, in
// JSON mode) for what a language model does better than the lexicon: each scene's abstractive
// summary, dominant emotion and valence, and the book's summary from the scenes' ones. Scenes,
// characters, dialogue and places come from the classical analysis, which runs first.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "visiobook/app/analyst.hpp"

namespace atelier::visiobook::adapters {

struct ChatOptions {
  std::string url;      // the server's root: http://host:port (the /v1/... paths are added)
  std::string model;    // "model" of each request
  std::string api_key;  // empty: no Authorization header
  std::chrono::milliseconds timeout{120'000};  // each request
  int max_retries = 2;                         // on 429, 5xx and an unreachable server
  std::chrono::milliseconds backoff{1'000};    // before the first retry, then doubled
  std::size_t max_scene_chars = 12'000;        // a longer scene's text is cut (its start is sent)
};

std::unique_ptr<app::Analyst> make_chat_analyst(ChatOptions options);

}  // namespace atelier::visiobook::adapters
