// An idempotent consumer: each event id is handled once per consumer (inbox), failures are
// retried with exponential backoff and jitter, and an event that keeps failing is parked in the
// dead-letter table instead of blocking the consumer forever.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "atelier/core/metrics.hpp"
#include "atelier/db/database.hpp"
#include "atelier/events/bus.hpp"

namespace atelier::events {

struct ConsumerOptions {
  std::string name;  // unique per handler, e.g. "tasks.create-default-calendar"
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{10'000};
  const Clock* clock = &SystemClock::instance();
  // How to wait between attempts; tests replace it to run without sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// The handler runs inside the transaction that records the event in the inbox, so its writes and
// the "handled" mark commit together.
using EventHandler = std::function<Result<void>(db::Transaction&, const CloudEvent&)>;

class Consumer {
 public:
  Consumer(db::Database& db, ConsumerOptions options, EventHandler handler);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  enum class Outcome { kHandled, kDuplicate, kDeadLettered };
  // Delivers one event: handles it, or recognises it as already handled, or parks it after
  // max_attempts failures. An error only when even that could not be recorded (database down).
  Result<Outcome> deliver(const CloudEvent& event);

  // Puts a dead-lettered event back: removes it from the dead-letter table and the inbox and
  // delivers it again. kNotFound when it is not parked.
  Result<Outcome> replay(std::string_view event_id);

  // A subscription that feeds this consumer.
  Subscription subscription(std::string group, std::vector<std::string> types);

  uint64_t handled() const { return handled_.value(); }
  uint64_t duplicates() const { return duplicates_.value(); }
  uint64_t dead_lettered() const { return dead_lettered_.value(); }

 private:
  std::chrono::milliseconds backoff(int attempt);

  db::Database& db_;
  ConsumerOptions options_;
  EventHandler handler_;
  metrics::Counter handled_;
  metrics::Counter duplicates_;
  metrics::Counter failures_;
  metrics::Counter dead_lettered_;
  uint64_t metrics_id_ = 0;
};

}  // namespace atelier::events
