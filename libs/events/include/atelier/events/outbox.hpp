// The transactional outbox: a service writes its events in the transaction of the change, and a
// relay publishes them to the bus afterwards and marks them once the bus has delivered them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "atelier/db/database.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/bus.hpp"

namespace atelier::events {

// The kernel's event tables (outbox, inbox, dead_letter), migrated into every service database as
// component "events".
std::vector<db::MigrationFile> migrations();

// Adds `event` to the outbox inside the caller's transaction.
Result<void> append(db::Transaction& tx, const CloudEvent& event);

struct RelayOptions {
  std::string service;  // for logs and metrics
  size_t batch_size = 256;
  std::chrono::milliseconds poll_interval{100};  // also woken by notify()
  const Clock* clock = &SystemClock::instance();
};

class Relay {
 public:
  Relay(db::Database& db, Bus& bus, RelayOptions options);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  void start();
  // Stops the loop. Rows published but not yet marked stay unsent and are published again by the
  // next relay: consumers drop the repeat through their inbox.
  void stop();
  // Wakes the loop now (after a commit that appended events).
  void notify();

  // One pass: marks what the bus has delivered, then publishes the next batch. Returns how many
  // events were handed to the bus. The loop calls this; tests call it directly.
  Result<size_t> relay_once();

  struct Lag {
    int64_t unpublished = 0;
    double oldest_age_seconds = 0;
  };
  Result<Lag> lag();

 private:
  Result<void> mark_delivered();
  void run();

  db::Database& db_;
  Bus& bus_;
  RelayOptions options_;
  int64_t dispatched_upto_ = 0;  // highest seq handed to the bus by this relay

  std::mutex delivered_mutex_;
  std::vector<int64_t> delivered_;  // seqs the bus reported delivered, not yet marked
  std::vector<int64_t> redeliver_;  // seqs the bus reported failed

  std::mutex loop_mutex_;
  std::condition_variable wake_;
  bool stopping_ = true;
  bool notified_ = false;
  std::thread thread_;
  std::atomic<int64_t> unpublished_{0};
  std::atomic<int64_t> oldest_age_ms_{0};
  uint64_t metrics_id_ = 0;
};

}  // namespace atelier::events
