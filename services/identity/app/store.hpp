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
#include "identity/domain/roles.hpp"

namespace atelier::identity::app {

struct User {
  std::string id;
  std::string email;
  std::string name;
  std::string password_hash;
  std::string locale;
  TimePoint created_at;
  std::optional<TimePoint> email_verified_at;
};

// A single-use token sent by email (verify the address, reset the password).
struct UserToken {
  std::string id;
  std::string org_id;
  std::string user_id;
  std::string purpose;  // "verify_email" or "reset_password"
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;
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
  // Set when the session belongs to an OAuth client (authorization code grant): only that client
  // may use it, and its tokens keep the scope granted. Empty for first-party sessions.
  std::string client_id;
  std::string scope;
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

// --- members, invitations, API keys (app/members.hpp, app/api_keys.hpp) -------------------

struct Member {
  std::string user_id;
  std::string email;
  std::string name;
  domain::OrgRole role = domain::OrgRole::kGuest;
  TimePoint joined_at;
};

struct Invitation {
  std::string id;
  std::string org_id;
  std::string email;  // normalised (lower-cased)
  domain::OrgRole role = domain::OrgRole::kGuest;
  std::string invited_by;  // a user id, or "api_key:<id>"
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> accepted_at;
  std::string accepted_by;  // the user who accepted; empty until then
  std::optional<TimePoint> revoked_at;
};

// An API key as stored: never the key itself, only its digest (kept apart, in the store) and
// its first characters, so that people can tell their keys apart in a list.
struct ApiKey {
  std::string id;
  std::string org_id;
  std::string name;
  domain::OrgRole role = domain::OrgRole::kGuest;
  std::string prefix;
  std::string created_by;
  TimePoint created_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;
  using Tx = db::Transaction;

  virtual Result<void> insert_user(Tx& tx, const User& user) = 0;
  virtual Result<std::optional<User>> find_user_by_email(Tx& tx, const std::string& email) = 0;
  virtual Result<std::optional<User>> find_user(Tx& tx, const std::string& id) = 0;
  virtual Result<void> set_email_verified(Tx& tx, const std::string& user_id, TimePoint at) = 0;
  virtual Result<void> insert_user_token(Tx& tx, const UserToken& token,
                                         const std::string& token_hash) = 0;
  virtual Result<std::optional<UserToken>> find_user_token(Tx& tx, const std::string& token_hash,
                                                           const std::string& purpose) = 0;
  // Spends it; false when it was spent already.
  virtual Result<bool> use_user_token(Tx& tx, const std::string& id, TimePoint at) = 0;
  virtual Result<void> set_password_hash(Tx& tx, const std::string& user_id,
                                         const std::string& hash, TimePoint at) = 0;
  // The fields a person edits on their own profile.
  virtual Result<void> update_user_profile(Tx& tx, const std::string& user_id,
                                           const std::string& name, const std::string& locale,
                                           TimePoint at) = 0;
  // Ends every session of the user, in every organisation; returns how many tokens were revoked.
  virtual Result<int64_t> revoke_all_refresh_tokens(Tx& tx, const std::string& user_id,
                                                    TimePoint at) = 0;

  virtual Result<void> insert_org(Tx& tx, const std::string& id, const std::string& name,
                                  const std::string& created_by, TimePoint at) = 0;
  virtual Result<std::optional<std::string>> org_name(Tx& tx, const std::string& org_id) = 0;
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
  // Marks the key retired at `at`, verifying until `not_after`, unless it was retired already (by
  // another process rotating at the same moment): false then.
  virtual Result<bool> retire_signing_key(Tx& tx, const std::string& kid, TimePoint at,
                                          TimePoint not_after) = 0;
  // Deletes the retired keys whose not_after is before `now`: every token they signed has
  // expired, so their private halves are only a liability. Returns how many.
  virtual Result<int64_t> delete_expired_signing_keys(Tx& tx, TimePoint now) = 0;

  virtual Result<std::optional<Throttle>> throttle(Tx& tx, const std::string& key) = 0;
  virtual Result<void> save_throttle(Tx& tx, const std::string& key, const Throttle& t) = 0;
  virtual Result<void> clear_throttle(Tx& tx, const std::string& key) = 0;

  virtual Result<void> append_audit(Tx& tx, const AuditEntry& entry) = 0;
  // Newest first; `before_id` is the cursor (entries with a smaller id).
  virtual Result<std::vector<AuditEntry>> audit_page(Tx& tx, const std::string& org_id,
                                                     const std::string& before_id, int limit) = 0;

  // --- members, invitations, API keys ---------------------------------------------------------
  // Every lookup by id takes the org_id too, so a row of another organisation is simply not found.

  virtual Result<std::optional<Member>> find_member(Tx& tx, const std::string& org_id,
                                                    const std::string& user_id) = 0;
  // Ordered by user id; `after_user_id` is the cursor ("" for the first page).
  virtual Result<std::vector<Member>> members_page(Tx& tx, const std::string& org_id,
                                                   const std::string& after_user_id, int limit) = 0;
  // Sets the role only while it is still `from` (a compare-and-set, so two concurrent changes
  // cannot both win); false when it was not.
  virtual Result<bool> change_member_role(Tx& tx, const std::string& org_id,
                                          const std::string& user_id, domain::OrgRole from,
                                          domain::OrgRole to) = 0;
  // Deletes the membership unless it is the owner's; false when nothing was deleted.
  virtual Result<bool> delete_member(Tx& tx, const std::string& org_id,
                                     const std::string& user_id) = 0;
  // Ends every session of the user in that organisation; returns how many tokens were revoked.
  virtual Result<int64_t> revoke_refresh_tokens_of(Tx& tx, const std::string& org_id,
                                                   const std::string& user_id, TimePoint at) = 0;

  virtual Result<void> insert_invitation(Tx& tx, const Invitation& invitation,
                                         const std::string& token_hash) = 0;
  virtual Result<std::optional<Invitation>> find_invitation_by_token(
      Tx& tx, const std::string& token_hash) = 0;
  virtual Result<std::optional<Invitation>> find_invitation(Tx& tx, const std::string& org_id,
                                                            const std::string& id) = 0;
  // Neither accepted, revoked nor expired at `now`; ordered by id, `after_id` is the cursor.
  virtual Result<std::vector<Invitation>> pending_invitations(Tx& tx, const std::string& org_id,
                                                              TimePoint now,
                                                              const std::string& after_id,
                                                              int limit) = 0;
  // Revokes the open (not accepted, not revoked) invitations for `email`; returns how many.
  virtual Result<int64_t> revoke_invitations_for(Tx& tx, const std::string& org_id,
                                                 const std::string& email, TimePoint at) = 0;
  // False when it was accepted or revoked already.
  virtual Result<bool> revoke_invitation(Tx& tx, const std::string& org_id, const std::string& id,
                                         TimePoint at) = 0;
  // Marks it accepted unless it was accepted or revoked already (by a concurrent request); false
  // then.
  virtual Result<bool> accept_invitation(Tx& tx, const std::string& id, const std::string& user_id,
                                         TimePoint at) = 0;

  virtual Result<void> insert_api_key(Tx& tx, const ApiKey& key, const std::string& key_hash) = 0;
  // By digest, whatever the organisation: this is how a presented key is recognised.
  virtual Result<std::optional<ApiKey>> find_api_key_by_hash(Tx& tx,
                                                             const std::string& key_hash) = 0;
  virtual Result<std::optional<ApiKey>> find_api_key(Tx& tx, const std::string& org_id,
                                                     const std::string& id) = 0;
  // Keys not revoked, ordered by id; `after_id` is the cursor.
  virtual Result<std::vector<ApiKey>> api_keys_page(Tx& tx, const std::string& org_id,
                                                    const std::string& after_id, int limit) = 0;
  // The keys a user made in an organisation that are not revoked.
  virtual Result<std::vector<ApiKey>> api_keys_created_by(Tx& tx, const std::string& org_id,
                                                          const std::string& user_id) = 0;
  // False when it was revoked already.
  virtual Result<bool> revoke_api_key(Tx& tx, const std::string& org_id, const std::string& id,
                                      TimePoint at) = 0;
  // Records a use at `at` unless one was recorded after `stale_before`; false then.
  virtual Result<bool> touch_api_key(Tx& tx, const std::string& id, TimePoint at,
                                     TimePoint stale_before) = 0;
};

}  // namespace atelier::identity::app
