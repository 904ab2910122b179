// The tasks service's HTTP API, and the service object the platform starts: the planning use
// cases, the projections of the projects service's events, and the scheduler worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "atelier/events/bus.hpp"
#include "atelier/events/consumer.hpp"
#include "atelier/http/router.hpp"

namespace atelier::tasks {

// Everything the tasks service runs, kept alive together for the life of the process. The
// scheduler thread starts in create() and stops in the destructor.
class TasksService {
 public:
  struct Options {
    const Clock* clock = &SystemClock::instance();
    // Called after a change committed events to the outbox (the platform wakes its relay).
    std::function<void()> events_written;
    // How long the scheduler lets a burst of changes settle before computing once for all.
    std::chrono::milliseconds quiet_period{50};
    // How the projection consumer waits between attempts (tests run it without sleeping).
    std::function<void(std::chrono::milliseconds)> consumer_sleep;
  };

  static Result<std::unique_ptr<TasksService>> create(db::Database& db, Options options);
  ~TasksService();
  TasksService(const TasksService&) = delete;
  TasksService& operator=(const TasksService&) = delete;

  // Adds every route of the service (the table of contents of its API is in routes.cpp).
  void add_routes(http::Router& router);
  // Feeds the projects service's events to the projections (before the bus starts).
  void subscribe(events::Bus& bus);
  // Delivers one event to the projections as the bus would: idempotent by event id.
  Result<events::Consumer::Outcome> deliver(const events::CloudEvent& event);

  // For tests and tools: waits until the scheduler has nothing left to compute, or until a plan
  // (a lot) of the project has been projected. False on timeout.
  bool wait_idle(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool wait_for_plan(const std::string& org_id, const std::string& project_id,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits until the lot is known to the project (present) or no longer is (!present).
  bool wait_for_lot(const std::string& org_id, const std::string& project_id,
                    const std::string& lot_id, bool present = true,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Schedules written since start.
  uint64_t computations() const;

  struct State;

 private:
  explicit TasksService(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace atelier::tasks
