// The Idempotency-Key store on the platform database: replays survive a restart and are shared by
// every gateway process of a distributed deployment.
#pragma once

#include <chrono>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "atelier/http/middleware.hpp"

namespace atelier::app {

class DbIdempotencyStore final : public http::IdempotencyStore {
 public:
  explicit DbIdempotencyStore(db::Database& db, const Clock& clock = SystemClock::instance(),
                              std::chrono::seconds ttl = std::chrono::hours(24));

  Claim claim(const std::string& key, const std::string& fingerprint) override;
  void complete(const std::string& key, const http::Response& response) override;
  void release(const std::string& key) override;
  // Removes keys older than the TTL; returns how many.
  Result<int64_t> purge_expired();

 private:
  db::Database& db_;
  const Clock& clock_;
  std::chrono::seconds ttl_;
};

}  // namespace atelier::app
