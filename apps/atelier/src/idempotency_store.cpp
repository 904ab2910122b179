#include "idempotency_store.hpp"

#include <boost/json.hpp>

#include "atelier/core/log.hpp"

namespace atelier::app {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO idempotency_keys (key, fingerprint, state, created_at) "
    "VALUES ($1, $2, 'in_flight', $3) ON CONFLICT (key) DO NOTHING";
constexpr std::string_view kSelect =
    "SELECT fingerprint, state, status, headers, body, created_at FROM idempotency_keys "
    "WHERE key = $1";
constexpr std::string_view kReclaim =
    "UPDATE idempotency_keys SET fingerprint = $2, state = 'in_flight', status = NULL, "
    "headers = NULL, body = NULL, created_at = $3 WHERE key = $1 AND created_at = $4";
constexpr std::string_view kComplete =
    "UPDATE idempotency_keys SET state = 'done', status = $2, headers = $3, body = $4 "
    "WHERE key = $1";
constexpr std::string_view kDelete = "DELETE FROM idempotency_keys WHERE key = $1";
constexpr std::string_view kPurge = "DELETE FROM idempotency_keys WHERE created_at < $1";

using Outcome = http::IdempotencyStore::Outcome;

}  // namespace

DbIdempotencyStore::DbIdempotencyStore(db::Database& db, const Clock& clock,
                                       std::chrono::seconds ttl)
    : db_(db), clock_(clock), ttl_(ttl) {}

http::IdempotencyStore::Claim DbIdempotencyStore::claim(const std::string& key,
                                                        const std::string& fingerprint) {
  const TimePoint now = clock_.now();
  const std::string now_text = format_rfc3339(now);
  auto claim = db_.transact([&](db::Transaction& tx) -> Result<Claim> {
    auto inserted = tx.execute(kInsert, key, fingerprint, now_text);
    if (!inserted) {
      return std::move(inserted).error();
    }
    if (*inserted == 1) {
      return Claim{Outcome::kProceed, {}};
    }
    auto rows = tx.query(kSelect, key);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return Claim{Outcome::kInFlight, {}};  // released between our insert and select
    }
    const db::Row& row = (*rows)[0];
    const std::string created = row.get_text("created_at");
    const auto created_at = parse_rfc3339(created);
    if (!created_at || now - *created_at > ttl_) {
      // Expired: the key is free again. Take it over unless another request just did.
      auto taken = tx.execute(kReclaim, key, fingerprint, now_text, created);
      if (!taken) {
        return std::move(taken).error();
      }
      return Claim{*taken == 1 ? Outcome::kProceed : Outcome::kInFlight, {}};
    }
    if (row.get_text("fingerprint") != fingerprint) {
      return Claim{Outcome::kMismatch, {}};
    }
    if (row.get_text("state") != "done") {
      return Claim{Outcome::kInFlight, {}};
    }
    http::Response stored;
    stored.status = static_cast<int>(row.get_int("status"));
    stored.body = row.get_opt_text("body").value_or("");
    boost::system::error_code ec;
    const auto headers = boost::json::parse(row.get_opt_text("headers").value_or("[]"), ec);
    if (!ec && headers.is_array()) {
      for (const auto& h : headers.as_array()) {
        if (h.is_array() && h.as_array().size() == 2 && h.as_array()[0].is_string() &&
            h.as_array()[1].is_string()) {
          stored.headers.add(h.as_array()[0].as_string(), h.as_array()[1].as_string());
        }
      }
    }
    return Claim{Outcome::kReplay, std::move(stored)};
  });
  if (!claim) {
    // Without the store the request cannot be made safe to repeat: say so rather than risk a
    // double write.
    log::error("idempotency.store_failed").field("error", claim.error().message);
    return Claim{Outcome::kUnavailable, {}};
  }
  return std::move(claim).value();
}

void DbIdempotencyStore::complete(const std::string& key, const http::Response& response) {
  boost::json::array headers;
  for (const auto& [name, value] : response.headers) {
    headers.push_back(boost::json::array{boost::json::string(name), boost::json::string(value)});
  }
  auto done = db_.transact([&](db::Transaction& tx) -> Result<void> {
    auto r =
        tx.execute(kComplete, key, response.status, boost::json::serialize(headers), response.body);
    if (!r) {
      return std::move(r).error();
    }
    return {};
  });
  if (!done) {
    log::error("idempotency.store_failed").field("error", done.error().message);
  }
}

void DbIdempotencyStore::release(const std::string& key) {
  auto done = db_.transact([&](db::Transaction& tx) -> Result<void> {
    auto r = tx.execute(kDelete, key);
    if (!r) {
      return std::move(r).error();
    }
    return {};
  });
  if (!done) {
    log::error("idempotency.store_failed").field("error", done.error().message);
  }
}

Result<int64_t> DbIdempotencyStore::purge_expired() {
  const std::string cutoff = format_rfc3339(clock_.now() - ttl_);
  return db_.transact([&](db::Transaction& tx) { return tx.execute(kPurge, cutoff); });
}

}  // namespace atelier::app
