#include "atelier/events/outbox.hpp"

#include <algorithm>

#include "atelier/core/log.hpp"
#include "atelier/core/metrics.hpp"

std::vector<atelier::db::MigrationFile> atelier_events_migrations();  // generated

namespace atelier::events {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO outbox (id, org_id, type, envelope, created_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kSelectBatch =
    "SELECT seq, envelope FROM outbox WHERE published_at IS NULL AND seq > $1 "
    "ORDER BY seq LIMIT $2";
constexpr std::string_view kMarkPublished =
    "UPDATE outbox SET published_at = $1 WHERE seq = $2 AND published_at IS NULL";
constexpr std::string_view kLag =
    "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE published_at IS NULL";

}  // namespace

std::vector<db::MigrationFile> migrations() {
  return atelier_events_migrations();
}

Result<void> append(db::Transaction& tx, const CloudEvent& event) {
  auto r = tx.execute(kInsert, event.id, event.org_id, event.type, event.to_json(),
                      format_rfc3339(event.time));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Relay::Relay(db::Database& db, Bus& bus, RelayOptions options)
    : db_(db), bus_(bus), options_(std::move(options)) {
  metrics_id_ = metrics::Registry::global().add([this](std::string& out) {
    const std::string labels = "service=\"" + metrics::label_value(options_.service) + "\"";
    metrics::write_header(out, "atelier_outbox_unpublished", "Outbox events not yet delivered.",
                          "gauge");
    metrics::write_sample(out, "atelier_outbox_unpublished", labels,
                          static_cast<double>(unpublished_.load()));
    metrics::write_header(out, "atelier_outbox_lag_seconds",
                          "Age of the oldest outbox event not yet delivered.", "gauge");
    metrics::write_sample(out, "atelier_outbox_lag_seconds", labels,
                          static_cast<double>(oldest_age_ms_.load()) / 1000.0);
  });
}

Relay::~Relay() {
  stop();
  metrics::Registry::global().remove(metrics_id_);
}

void Relay::start() {
  std::lock_guard lock(loop_mutex_);
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Relay::stop() {
  {
    std::lock_guard lock(loop_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void Relay::notify() {
  {
    std::lock_guard lock(loop_mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

Result<void> Relay::mark_delivered() {
  std::vector<int64_t> delivered;
  std::vector<int64_t> failed;
  {
    std::lock_guard lock(delivered_mutex_);
    delivered.swap(delivered_);
    failed.swap(redeliver_);
  }
  if (!failed.empty()) {
    // Publish again from the first failure on; what was delivered since is deduplicated.
    dispatched_upto_ =
        std::min(dispatched_upto_, *std::min_element(failed.begin(), failed.end()) - 1);
  }
  if (delivered.empty()) {
    return {};
  }
  const std::string now = format_rfc3339(options_.clock->now());
  auto marked = db_.transact([&](db::Transaction& tx) -> Result<void> {
    for (int64_t seq : delivered) {
      if (auto r = tx.execute(kMarkPublished, now, seq); !r) {
        return std::move(r).error();
      }
    }
    return {};
  });
  if (!marked) {
    std::lock_guard lock(delivered_mutex_);
    delivered_.insert(delivered_.end(), delivered.begin(), delivered.end());
  }
  return marked;
}

Result<size_t> Relay::relay_once() {
  if (auto r = mark_delivered(); !r) {
    return std::move(r).error();
  }
  // Read in a short read-only transaction, publish outside it: a full bus queue must not hold a
  // database lock that the consumers of this same database need.
  auto rows = db_.transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}}, [&](db::Transaction& tx) {
        return tx.query(kSelectBatch, dispatched_upto_, static_cast<int64_t>(options_.batch_size));
      });
  if (!rows) {
    return std::move(rows).error();
  }
  size_t count = 0;
  for (const auto& row : *rows) {
    const int64_t seq = row.get_int(0);
    auto event = CloudEvent::from_json(row.get_text(1));
    if (!event) {
      // Written by this code base, so this is a bug: say so loudly and stop here.
      log::error("outbox.corrupt_row")
          .field("service", options_.service)
          .field("seq", seq)
          .field("error", event.error().message);
      return std::move(event).error();
    }
    auto taken = bus_.publish(*event, [this, seq](Result<void> outcome) {
      std::lock_guard lock(delivered_mutex_);
      (outcome ? delivered_ : redeliver_).push_back(seq);
    });
    if (!taken) {
      break;  // the bus is full: the rest go on the next pass
    }
    dispatched_upto_ = seq;
    ++count;
  }
  return count;
}

Result<Relay::Lag> Relay::lag() {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}},
                      [&](db::Transaction& tx) -> Result<Lag> {
                        auto rows = tx.query(kLag);
                        if (!rows) {
                          return std::move(rows).error();
                        }
                        Lag lag;
                        lag.unpublished = (*rows)[0].get_int(0);
                        if (auto oldest = (*rows)[0].get_opt_text(1)) {
                          if (auto t = parse_rfc3339(*oldest)) {
                            lag.oldest_age_seconds =
                                std::chrono::duration<double>(options_.clock->now() - *t).count();
                          }
                        }
                        return lag;
                      });
}

void Relay::run() {
  auto next_lag_check = std::chrono::steady_clock::now();
  std::unique_lock lock(loop_mutex_);
  while (!stopping_) {
    lock.unlock();
    auto sent = relay_once();
    if (!sent) {
      log::warn("outbox.relay_failed")
          .field("service", options_.service)
          .field("error", sent.error().message);
    }
    if (std::chrono::steady_clock::now() >= next_lag_check) {
      if (auto l = lag()) {
        unpublished_ = l->unpublished;
        oldest_age_ms_ = static_cast<int64_t>(l->oldest_age_seconds * 1000);
      }
      next_lag_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
    lock.lock();
    if (sent && *sent == options_.batch_size) {
      continue;  // more waiting: no pause
    }
    wake_.wait_for(lock, options_.poll_interval, [&] { return stopping_ || notified_; });
    notified_ = false;
  }
}

}  // namespace atelier::events
