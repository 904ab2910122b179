// The identity service's storage port. Every method runs inside the caller's transaction, so a use
// case composes several of them atomically (a sign-up writes a user, an org, a membership and
// their events, or nothing).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"
#include "domain/roles.hpp"

namespace atelier::identity::app {

struct User {
  std::string id;
  std::string email;
  std::string name;
  std::string password_hash;
  std::string locale;
  TimePoint created_at;
};

struct Membership {
  std::string org_id;
  std::string org_name;
  domain::OrgRole role = domain::OrgRole::kGuest;
};

struct RefreshToken {
  std::string id;
  std::string org_id;
  std::string user_id;
  std::string family_id;
  std::string token_hash;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;
  std::optional<TimePoint> revoked_at;
};

struct StoredSigningKey {
  std::string kid;
  std::string private_pem;
  TimePoint created_at;
  std::optional<TimePoint> not_after;  // set once retired
};

struct Throttle {
  int failures = 0;
  TimePoint window_start;
  std::optional<TimePoint> locked_until;
};

struct AuditEntry {
  std::string id;
  std::string org_id;
  std::string actor;   // user id, or the email typed for a failed log-in
  std::string action;  // "login.succeeded", "login.failed", "token.reuse_detected", ...
  std::string target;
  std::string ip;
  std::string detail;
  TimePoint created_at;
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;
  using Tx = db::Transaction;

  virtual Result<void> insert_user(Tx& tx, const User& user) = 0;
  virtual Result<std::optional<User>> find_user_by_email(Tx& tx, const std::string& email) = 0;
  virtual Result<std::optional<User>> find_user(Tx& tx, const std::string& id) = 0;

  virtual Result<void> insert_org(Tx& tx, const std::string& id, const std::string& name,
                                  const std::string& created_by, TimePoint at) = 0;
  virtual Result<void> insert_membership(Tx& tx, const std::string& org_id,
                                         const std::string& user_id, domain::OrgRole role,
                                         TimePoint at) = 0;
  // Every organisation the user belongs to, oldest membership first.
  virtual Result<std::vector<Membership>> memberships_of(Tx& tx, const std::string& user_id) = 0;

  virtual Result<void> insert_refresh_token(Tx& tx, const RefreshToken& token) = 0;
  virtual Result<std::optional<RefreshToken>> find_refresh_token(Tx& tx,
                                                                 const std::string& hash) = 0;
  // Marks it used unless it already was; returns false when someone used it first.
  virtual Result<bool> use_refresh_token(Tx& tx, const std::string& id, TimePoint at) = 0;
  virtual Result<int64_t> revoke_refresh_family(Tx& tx, const std::string& family_id,
                                                TimePoint at) = 0;

  virtual Result<std::vector<StoredSigningKey>> signing_keys(Tx& tx) = 0;
  virtual Result<void> insert_signing_key(Tx& tx, const StoredSigningKey& key) = 0;

  virtual Result<std::optional<Throttle>> throttle(Tx& tx, const std::string& key) = 0;
  virtual Result<void> save_throttle(Tx& tx, const std::string& key, const Throttle& t) = 0;
  virtual Result<void> clear_throttle(Tx& tx, const std::string& key) = 0;

  virtual Result<void> append_audit(Tx& tx, const AuditEntry& entry) = 0;
  // Newest first; `before_id` is the cursor (entries with a smaller id).
  virtual Result<std::vector<AuditEntry>> audit_page(Tx& tx, const std::string& org_id,
                                                     const std::string& before_id, int limit) = 0;
};

}  // namespace atelier::identity::app
