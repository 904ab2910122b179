// The VisioBook service's HTTP API, and the service object the platform starts: the use cases,
// the blob store under the data dir, the pipeline's workers and the studio they draw and speak
// with.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "atelier/http/router.hpp"
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
