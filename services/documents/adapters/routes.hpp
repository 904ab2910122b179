// The documents service's HTTP API, and the service object the platform starts: the use cases,
// the blob store under the data dir, the projection of the projects service's events, and the
// purge of deleted documents after their retention period.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "atelier/events/bus.hpp"
#include "atelier/events/consumer.hpp"
#include "atelier/http/router.hpp"

namespace atelier::documents {

namespace app {
class Documents;
}

class DocumentsService {
 public:
  struct Options {
    const Clock* clock = &SystemClock::instance();
    // Blobs go to <data_dir>/documents/blobs, uploads arrive in <data_dir>/documents/uploads.
    std::filesystem::path data_dir = "data";
    uint64_t quota_bytes = 10ull << 30;
    uint64_t max_upload_bytes = 1ull << 30;
    std::chrono::seconds retention = std::chrono::hours(24 * 30);
    // How often the purge runs; zero: never on its own (tests call purge_expired()).
    std::chrono::seconds purge_interval = std::chrono::hours(1);
    // Called after a change committed events to the outbox (the platform wakes its relay).
    std::function<void()> events_written;
    // OCR of images and PDFs: worker threads (each with its own engine, loaded when the first
    // document needs it); 0 turns OCR off.
    int ocr_workers = 1;
    // How the projection consumer waits between attempts (tests run it without sleeping).
    std::function<void(std::chrono::milliseconds)> consumer_sleep;
  };

  static Result<std::unique_ptr<DocumentsService>> create(db::Database& db, Options options);
  ~DocumentsService();
  DocumentsService(const DocumentsService&) = delete;
  DocumentsService& operator=(const DocumentsService&) = delete;

  // Adds every route of the service (the table of contents of its API is in routes.cpp).
  void add_routes(http::Router& router);
  // Feeds the projects service's events to the projection (before the bus starts).
  void subscribe(events::Bus& bus);
  // Delivers one event to the projection as the bus would: idempotent by event id.
  Result<events::Consumer::Outcome> deliver(const events::CloudEvent& event);

  // For tests and tools.
  app::Documents& documents();
  // OCR jobs finished (done or failed) since start.
  uint64_t ocr_finished() const;
  // Waits until the projection knows the project (false on timeout).
  bool wait_for_project(const std::string& org_id, const std::string& project_id,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

  struct State;

 private:
  explicit DocumentsService(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace atelier::documents
