// The projects service's HTTP API, and the service object the platform starts.
#pragma once

#include <functional>
#include <memory>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "atelier/http/router.hpp"

namespace atelier::projects {

// Everything the projects service runs, kept alive together for the life of the process.
class ProjectsService {
 public:
  struct Options {
    const Clock* clock = &SystemClock::instance();
    // Called after a change committed events to the outbox (the platform wakes its relay).
    std::function<void()> events_written;
  };

  static std::unique_ptr<ProjectsService> create(db::Database& db, Options options);
  ~ProjectsService();

  // Adds every route of the service (the table of contents of its API is in routes.cpp).
  void add_routes(http::Router& router);

  struct State;

 private:
  explicit ProjectsService(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace atelier::projects
