// API keys for integrations: made by an owner or admin, shown once, stored as a digest, acting in
// their organisation with a role of their own (never owner, never above their creator's), and
// recognised by the gateway on every request until revoked.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/principal.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::app {

struct CreateApiKeyCommand {
  std::string name;
  std::string role;  // admin, member or guest
  std::string ip;
};

struct CreatedApiKey {
  ApiKey key;
  std::string secret;  // the key itself ("atk_..."): shown once, never stored
};

class ApiKeys {
 public:
  // How many characters of a key are kept in clear to tell keys apart ("atk_" and 8 more).
  static constexpr size_t kPrefixLength = 12;
  // last_used_at is written at most this often per key: it is a hint for people cleaning up
  // keys, not a log, and a write per request would cost more than the request.
  static constexpr std::chrono::seconds kTouchInterval{60};

  ApiKeys(db::Database& db, IdentityStore& store, const Clock& clock = SystemClock::instance());

  // kForbidden unless a person who is an owner or admin asks (a key never makes keys), or when
  // the role is above theirs; kInvalid for a bad name or role (owner is refused).
  Result<CreatedApiKey> create(const Principal& caller, const CreateApiKeyCommand& cmd);
  // The organisation's keys that are not revoked, by id; `after_id` is the cursor.
  Result<std::vector<ApiKey>> list(const Principal& caller, const std::string& after_id, int limit);
  // The key stops working at once. kNotFound outside the caller's organisation; revoking twice
  // is fine.
  Result<void> revoke(const Principal& caller, const std::string& id, const std::string& ip);

  // For the gateway: the principal a presented key stands for, or kUnauthenticated when it is
  // malformed, unknown or revoked. One indexed read.
  Result<Principal> verify(std::string_view key);

 private:
  // The checks create, list and revoke share: a person, allowed to manage keys.
  Result<domain::OrgRole> manager_role(db::Transaction& tx, const Principal& caller);

  db::Database& db_;
  IdentityStore& store_;
  const Clock& clock_;
};

}  // namespace atelier::identity::app
