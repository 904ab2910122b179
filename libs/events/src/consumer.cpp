#include "atelier/events/consumer.hpp"

#include <random>
#include <thread>

#include "atelier/core/log.hpp"
#include "atelier/events/outbox.hpp"

namespace atelier::events {

namespace {

constexpr std::string_view kClaim =
    "INSERT INTO inbox (consumer, event_id, org_id, handled_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (consumer, event_id) DO NOTHING";
constexpr std::string_view kPark =
    "INSERT INTO dead_letter (consumer, event_id, org_id, type, envelope, error, attempts, "
    "failed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (consumer, event_id) DO "
    "NOTHING";
constexpr std::string_view kSelectParked =
    "SELECT envelope FROM dead_letter WHERE consumer = $1 AND event_id = $2";
constexpr std::string_view kUnpark =
    "DELETE FROM dead_letter WHERE consumer = $1 AND event_id = $2";
constexpr std::string_view kUnclaim = "DELETE FROM inbox WHERE consumer = $1 AND event_id = $2";

}  // namespace

Consumer::Consumer(db::Database& db, ConsumerOptions options, EventHandler handler)
    : db_(db), options_(std::move(options)), handler_(std::move(handler)) {
  if (!options_.sleep) {
    options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }
  metrics_id_ = metrics::Registry::global().add([this](std::string& out) {
    const std::string labels = "consumer=\"" + metrics::label_value(options_.name) + "\"";
    for (const auto& [name, counter] :
         {std::pair{"atelier_consumer_handled_total", &handled_},
          {"atelier_consumer_duplicates_total", &duplicates_},
          {"atelier_consumer_failures_total", &failures_},
          {"atelier_consumer_dead_lettered_total", &dead_lettered_}}) {
      metrics::write_header(out, name, "Event deliveries by outcome.", "counter");
      metrics::write_sample(out, name, labels, static_cast<double>(counter->value()));
    }
  });
}

Consumer::~Consumer() {
  metrics::Registry::global().remove(metrics_id_);
}

std::chrono::milliseconds Consumer::backoff(int attempt) {
  // Exponential with full jitter: a random wait in [0, min(max, initial * 2^attempt)].
  thread_local std::mt19937 rng{std::random_device{}()};
  const int64_t cap = std::min<int64_t>(options_.max_backoff.count(),
                                        options_.initial_backoff.count() << std::min(attempt, 20));
  return std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, cap)(rng));
}

Result<Consumer::Outcome> Consumer::deliver(const CloudEvent& event) {
  log::RequestScope scope(event.id, event.traceparent);
  std::string last_error;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    bool duplicate = false;
    auto done = db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = event.org_id},
                             [&](db::Transaction& tx) -> Result<void> {
                               auto claimed =
                                   tx.execute(kClaim, options_.name, event.id, event.org_id,
                                              format_rfc3339(options_.clock->now()));
                               if (!claimed) {
                                 return std::move(claimed).error();
                               }
                               if (*claimed == 0) {
                                 duplicate = true;
                                 return {};
                               }
                               try {
                                 return handler_(tx, event);
                               } catch (const std::exception& e) {
                                 return Error::internal(std::string("handler threw: ") + e.what());
                               }
                             });
    if (done) {
      (duplicate ? duplicates_ : handled_).inc();
      return duplicate ? Outcome::kDuplicate : Outcome::kHandled;
    }
    failures_.inc();
    last_error = done.error().message;
    log::warn("consumer.attempt_failed")
        .field("consumer", options_.name)
        .field("event_id", event.id)
        .field("type", event.type)
        .field("attempt", attempt)
        .field("error", last_error);
    if (attempt < options_.max_attempts) {
      options_.sleep(backoff(attempt));
    }
  }
  // Park it, and mark it handled so that a redelivery does not run the failing handler again.
  auto parked = db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = event.org_id},
      [&](db::Transaction& tx) -> Result<void> {
        const std::string now = format_rfc3339(options_.clock->now());
        if (auto r = tx.execute(kPark, options_.name, event.id, event.org_id, event.type,
                                event.to_json(), last_error, options_.max_attempts, now);
            !r) {
          return std::move(r).error();
        }
        if (auto r = tx.execute(kClaim, options_.name, event.id, event.org_id, now); !r) {
          return std::move(r).error();
        }
        return {};
      });
  if (!parked) {
    return std::move(parked).error();
  }
  dead_lettered_.inc();
  log::error("consumer.dead_lettered")
      .field("consumer", options_.name)
      .field("event_id", event.id)
      .field("type", event.type)
      .field("error", last_error);
  return Outcome::kDeadLettered;
}

Result<Consumer::Outcome> Consumer::replay(std::string_view event_id) {
  auto envelope = db_.transact([&](db::Transaction& tx) -> Result<std::string> {
    auto rows = tx.query(kSelectParked, options_.name, event_id);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return Error::not_found("no dead-lettered event " + std::string(event_id) + " for " +
                              options_.name);
    }
    for (auto sql : {kUnpark, kUnclaim}) {
      if (auto r = tx.execute(sql, options_.name, event_id); !r) {
        return std::move(r).error();
      }
    }
    return (*rows)[0].get_text(0);
  });
  if (!envelope) {
    return std::move(envelope).error();
  }
  auto event = CloudEvent::from_json(*envelope);
  if (!event) {
    return std::move(event).error();
  }
  return deliver(*event);
}

Subscription Consumer::subscription(std::string group, std::vector<std::string> types) {
  return Subscription{std::move(group), std::move(types), [this](const CloudEvent& e) {
                        auto outcome = deliver(e);
                        if (!outcome) {
                          return Result<void>(std::move(outcome).error());
                        }
                        return Result<void>();
                      }};
}

}  // namespace atelier::events
