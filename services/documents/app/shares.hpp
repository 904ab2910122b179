// Share links: a document handed to someone without an account, at /s/{token}, for at most 30
// days, optionally behind a password (argon2id, with guessing throttled per link), revocable.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "atelier/auth/password.hpp"
#include "atelier/core/principal.hpp"
#include "documents/app/documents.hpp"

namespace atelier::documents::app {

struct Share {
  std::string id;
  std::string org_id;
  std::string document_id;
  std::string token_hash;
  std::optional<int64_t> version;
  std::optional<std::string> password_hash;
  TimePoint expires_at;
  std::optional<std::string> created_by;
  TimePoint created_at;
  std::optional<TimePoint> revoked_at;
  int64_t failed_attempts = 0;
  std::optional<TimePoint> locked_until;
};

struct NewShare {
  std::optional<int64_t> expires_in_seconds;
  std::optional<TimePoint> expires_at;
  std::optional<std::string> password;
  std::optional<int64_t> version;
};

struct CreatedShare {
  Share share;
  std::string token;  // shown once
};

class ShareStore {
 public:
  virtual ~ShareStore() = default;
  virtual Result<void> insert(Tx& tx, const Share& s) = 0;
  virtual Result<std::vector<Share>> of_document(Tx& tx, const std::string& org_id,
                                                 const std::string& document_id) = 0;
  virtual Result<bool> revoke(Tx& tx, const std::string& org_id, const std::string& document_id,
                              const std::string& share_id, const std::string& at) = 0;
  // Cross-tenant: the organisation is not known before the link is.
  virtual Result<std::optional<Share>> by_token_hash(Tx& tx, const std::string& token_hash) = 0;
  virtual Result<void> record_attempt(Tx& tx, const Share& s) = 0;
};

std::unique_ptr<ShareStore> make_sql_share_store();

class Shares {
 public:
  static constexpr std::chrono::hours kMaxLifetime{24 * 30};
  static constexpr int kMaxAttempts = 5;
  static constexpr std::chrono::minutes kLockout{5};

  Shares(db::Database& db, ShareStore& store, Documents& documents,
         auth::PasswordHashParams params = {})
      : db_(db), store_(store), documents_(documents), params_(params) {}

  Result<CreatedShare> create(const Principal& caller, const std::string& document_id,
                              const NewShare& share);
  Result<std::vector<Share>> list(const Principal& caller, const std::string& document_id);
  Result<void> revoke(const Principal& caller, const std::string& document_id,
                      const std::string& share_id);

  // The bytes behind a link. kNotFound for an unknown or revoked link, kGone once expired,
  // kUnauthenticated when a password is needed or wrong, kTooManyRequests while locked.
  Result<Content> open(const std::string& token, const std::optional<std::string>& password);

 private:
  db::Database& db_;
  ShareStore& store_;
  Documents& documents_;
  auth::PasswordHashParams params_;
};

}  // namespace atelier::documents::app
