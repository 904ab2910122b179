// The VisioBook service's HTTP API, and the service object the platform starts: the use cases,
// the blob store under the data dir, the pipeline's workers, the analyst they analyse with and
// the studio they draw and speak with (local ones, or external servers when configured).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "atelier/http/router.hpp"
#include "visiobook/app/analyst.hpp"
#include "visiobook/app/library.hpp"
#include "visiobook/app/studio.hpp"

namespace atelier::visiobook {

namespace app {
class Books;
}  // namespace app

class VisioBookService {
 public:
  struct Options {
    const Clock* clock = &SystemClock::instance();
    // Sources and outputs go to <data_dir>/visiobook/blobs; uploads and scratch files beside.
    std::filesystem::path data_dir = "data";
    uint64_t max_source_bytes = 64ull << 20;
    int workers = 1;  // pipeline runs in parallel; 0: none (tests drive nothing then)
    int video_fps = 25;
    std::string video_preset = "veryfast";
    std::function<void()> events_written;
    // The studio and page reader; null: the local ones (cairo, espeak-ng, FFmpeg, Tesseract).
    std::unique_ptr<app::Studio> studio;
    std::unique_ptr<app::PageReader> page_reader;
    // The documents service, for sources taken from documents and exports to them; null when it
    // does not run in this process (those routes answer 503 then).
    std::unique_ptr<app::DocumentLibrary> library;
    // The analyst; null: the chat analyst when chat_url is set, else the classical one.
    std::unique_ptr<app::Analyst> analyst;

    // External servers, each off while its URL is empty (the default: nothing leaves the
    // process). An OpenAI-compatible chat endpoint for the scenes' summaries and tone; images
    // and speech endpoints for the panels and the narration (over the studio above).
    std::string chat_url;
    std::string chat_model;
    std::string images_url;
    std::string images_model;
    std::string speech_url;
    std::string speech_model;
    std::string speech_voice;
    std::string api_key;  // a secret: sent as a Bearer token, never logged
    std::chrono::milliseconds external_timeout{120'000};  // each request to them
  };

  static Result<std::unique_ptr<VisioBookService>> create(db::Database& db, Options options);
  ~VisioBookService();
  VisioBookService(const VisioBookService&) = delete;
  VisioBookService& operator=(const VisioBookService&) = delete;

  // Adds every route of the service (the table of contents of its API is in routes.cpp).
  void add_routes(http::Router& router);

  // For tests and tools.
  app::Books& books();
  uint64_t runs_finished() const;

  struct State;

 private:
  explicit VisioBookService(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace atelier::visiobook
