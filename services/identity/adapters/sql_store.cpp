#include "identity/adapters/sql_store.hpp"

#include "atelier/db/rows.hpp"

namespace atelier::identity::adapters {

namespace {

using db::all_of;
using db::first_of;

constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, email, name, password_hash, locale, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $6)";
constexpr std::string_view kUserColumns =
    "SELECT id, email, name, password_hash, locale, created_at, email_verified_at FROM users ";
constexpr std::string_view kSetEmailVerified =
    "UPDATE users SET email_verified_at = $2, updated_at = $2 WHERE id = $1 "
    "AND email_verified_at IS NULL";
constexpr std::string_view kInsertUserToken =
    "INSERT INTO user_tokens (id, org_id, user_id, purpose, token_hash, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kFindUserToken =
    "SELECT id, org_id, user_id, purpose, created_at, expires_at, used_at FROM user_tokens "
    "WHERE token_hash = $1 AND purpose = $2";
constexpr std::string_view kUseUserToken =
    "UPDATE user_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL";
constexpr std::string_view kSetPassword =
    "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kUpdateProfile =
    "UPDATE users SET name = $2, locale = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view kRevokeAllOfUser =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
constexpr std::string_view kInsertOrg =
    "INSERT INTO orgs (id, org_id, name, created_by, created_at) VALUES ($1, $1, $2, $3, $4)";
constexpr std::string_view kOrgName = "SELECT name FROM orgs WHERE id = $1";
constexpr std::string_view kInsertMembership =
    "INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kMembershipsOf =
    "SELECT m.org_id, o.name, m.role FROM memberships m JOIN orgs o ON o.id = m.org_id "
    "WHERE m.user_id = $1 ORDER BY m.created_at, m.org_id";
constexpr std::string_view kInsertRefresh =
    "INSERT INTO refresh_tokens (id, org_id, user_id, family_id, token_hash, created_at, "
    "expires_at, client_id, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kFindRefresh =
    "SELECT id, org_id, user_id, family_id, token_hash, created_at, expires_at, used_at, "
    "revoked_at, client_id, scope FROM refresh_tokens WHERE token_hash = $1";
constexpr std::string_view kUseRefresh =
    "UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL";
constexpr std::string_view kRevokeFamily =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL";
constexpr std::string_view kSigningKeys =
    "SELECT kid, private_pem, created_at, not_after FROM signing_keys ORDER BY created_at, kid";
constexpr std::string_view kInsertSigningKey =
    "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES ($1, $2, $3)";
constexpr std::string_view kRetireSigningKey =
    "UPDATE signing_keys SET retired_at = $2, not_after = $3 WHERE kid = $1 AND not_after IS NULL";
// Times are RFC 3339 UTC text of one fixed width, so comparing them as text compares instants.
constexpr std::string_view kPlainSecrets =
    "SELECT 'totp', user_id, secret FROM mfa_totp WHERE substr(secret, 1, 4) <> 'sb1:' "
    "UNION ALL SELECT 'key', kid, private_pem FROM signing_keys "
    "WHERE substr(private_pem, 1, 4) <> 'sb1:'";
constexpr std::string_view kSealTotp =
    "UPDATE mfa_totp SET secret = $2 WHERE user_id = $1 AND secret = $3";
constexpr std::string_view kSealSigningKey =
    "UPDATE signing_keys SET private_pem = $2 WHERE kid = $1 AND private_pem = $3";
constexpr std::string_view kDeleteExpiredSigningKeys =
    "DELETE FROM signing_keys WHERE not_after IS NOT NULL AND not_after < $1";
constexpr std::string_view kThrottle =
    "SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1";
constexpr std::string_view kSaveThrottle =
    "INSERT INTO login_throttle (key, failures, window_start, locked_until) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET failures = $2, window_start = $3, "
    "locked_until = $4";
constexpr std::string_view kClearThrottle = "DELETE FROM login_throttle WHERE key = $1";
constexpr std::string_view kAppendAudit =
    "INSERT INTO audit_log (id, org_id, actor, action, target, ip, detail, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kAuditPage =
    "SELECT id, org_id, actor, action, target, ip, detail, created_at FROM audit_log "
    "WHERE org_id = $1 AND (CAST($2 AS TEXT) = '' OR id < CAST($2 AS TEXT)) "
    "ORDER BY id DESC LIMIT $3";

// Stored times are RFC 3339 text written by this service; anything else is a corrupt row.
TimePoint time_of(const db::Row& row, size_t i) {
  auto t = parse_rfc3339(row.get_text(i));
  if (!t) {
    throw std::logic_error("identity: unreadable time in column " + std::to_string(i));
  }
  return *t;
}

std::optional<TimePoint> opt_time_of(const db::Row& row, size_t i) {
  if (row.is_null(i)) {
    return std::nullopt;
  }
  return time_of(row, i);
}

std::optional<std::string> opt_text(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::string>(format_rfc3339(*t)) : std::nullopt;
}

template <class... Args>
Result<void> exec(db::Transaction& tx, std::string_view sql, const Args&... args) {
  auto r = tx.execute(sql, args...);
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

app::User user_of(const db::Row& row) {
  return app::User{row.get_text(0), row.get_text(1), row.get_text(2),    row.get_text(3),
                   row.get_text(4), time_of(row, 5), opt_time_of(row, 6)};
}

Result<std::optional<app::User>> one_user(Result<db::Rows> rows) {
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<app::User>();
  }
  return std::optional<app::User>(user_of((*rows)[0]));
}

}  // namespace

Result<void> SqlIdentityStore::insert_user(Tx& tx, const app::User& u) {
  return exec(tx, kInsertUser, u.id, u.email, u.name, u.password_hash, u.locale,
              format_rfc3339(u.created_at));
}

Result<std::optional<app::User>> SqlIdentityStore::find_user_by_email(Tx& tx,
                                                                      const std::string& email) {
  return one_user(tx.query(std::string(kUserColumns) + "WHERE email = $1", email));
}

Result<std::optional<app::User>> SqlIdentityStore::find_user(Tx& tx, const std::string& id) {
  return one_user(tx.query(std::string(kUserColumns) + "WHERE id = $1", id));
}

Result<void> SqlIdentityStore::set_email_verified(Tx& tx, const std::string& user_id,
                                                  TimePoint at) {
  return exec(tx, kSetEmailVerified, user_id, format_rfc3339(at));
}

Result<void> SqlIdentityStore::insert_user_token(Tx& tx, const app::UserToken& t,
                                                 const std::string& token_hash) {
  return exec(tx, kInsertUserToken, t.id, t.org_id, t.user_id, t.purpose, token_hash,
              format_rfc3339(t.created_at), format_rfc3339(t.expires_at));
}

Result<std::optional<app::UserToken>> SqlIdentityStore::find_user_token(
    Tx& tx, const std::string& token_hash, const std::string& purpose) {
  auto rows = tx.query(kFindUserToken, token_hash, purpose);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<app::UserToken>();
  }
  const db::Row& r = (*rows)[0];
  return std::optional<app::UserToken>(app::UserToken{r.get_text(0), r.get_text(1), r.get_text(2),
                                                      r.get_text(3), time_of(r, 4), time_of(r, 5),
                                                      opt_time_of(r, 6)});
}

Result<bool> SqlIdentityStore::use_user_token(Tx& tx, const std::string& id, TimePoint at) {
  auto changed = tx.execute(kUseUserToken, id, format_rfc3339(at));
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

Result<void> SqlIdentityStore::set_password_hash(Tx& tx, const std::string& user_id,
                                                 const std::string& hash, TimePoint at) {
  return exec(tx, kSetPassword, user_id, hash, format_rfc3339(at));
}

Result<void> SqlIdentityStore::update_user_profile(Tx& tx, const std::string& user_id,
                                                   const std::string& name,
                                                   const std::string& locale, TimePoint at) {
  return exec(tx, kUpdateProfile, user_id, name, locale, format_rfc3339(at));
}

Result<int64_t> SqlIdentityStore::revoke_all_refresh_tokens(Tx& tx, const std::string& user_id,
                                                            TimePoint at) {
  return tx.execute(kRevokeAllOfUser, user_id, format_rfc3339(at));
}

Result<void> SqlIdentityStore::insert_org(Tx& tx, const std::string& id, const std::string& name,
                                          const std::string& created_by, TimePoint at) {
  return exec(tx, kInsertOrg, id, name, created_by, format_rfc3339(at));
}

Result<std::optional<std::string>> SqlIdentityStore::org_name(Tx& tx, const std::string& org_id) {
  auto rows = tx.query(kOrgName, org_id);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>((*rows)[0].get_text(0));
}

Result<void> SqlIdentityStore::insert_membership(Tx& tx, const std::string& org_id,
                                                 const std::string& user_id, domain::OrgRole role,
                                                 TimePoint at) {
  return exec(tx, kInsertMembership, org_id, user_id, domain::role_name(role), format_rfc3339(at));
}

Result<std::vector<app::Membership>> SqlIdentityStore::memberships_of(Tx& tx,
                                                                      const std::string& user_id) {
  auto rows = tx.query(kMembershipsOf, user_id);
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<app::Membership> out;
  for (const auto& row : *rows) {
    const auto role = domain::parse_role(row.get_text(2));
    if (!role) {
      return Error::internal("identity: unknown role in memberships: " + row.get_text(2));
    }
    out.push_back({row.get_text(0), row.get_text(1), *role});
  }
  return out;
}

Result<void> SqlIdentityStore::insert_refresh_token(Tx& tx, const app::RefreshToken& t) {
  const auto or_null = [](const std::string& v) {
    return v.empty() ? std::optional<std::string>() : std::optional<std::string>(v);
  };
  return exec(tx, kInsertRefresh, t.id, t.org_id, t.user_id, t.family_id, t.token_hash,
              format_rfc3339(t.created_at), format_rfc3339(t.expires_at), or_null(t.client_id),
              or_null(t.scope));
}

Result<std::optional<app::RefreshToken>> SqlIdentityStore::find_refresh_token(
    Tx& tx, const std::string& hash) {
  auto rows = tx.query(kFindRefresh, hash);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<app::RefreshToken>();
  }
  const db::Row& r = (*rows)[0];
  return std::optional<app::RefreshToken>(
      app::RefreshToken{r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
                        time_of(r, 5), time_of(r, 6), opt_time_of(r, 7), opt_time_of(r, 8),
                        r.get_opt_text(9).value_or(""), r.get_opt_text(10).value_or("")});
}

Result<bool> SqlIdentityStore::use_refresh_token(Tx& tx, const std::string& id, TimePoint at) {
  auto changed = tx.execute(kUseRefresh, id, format_rfc3339(at));
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

Result<int64_t> SqlIdentityStore::revoke_refresh_family(Tx& tx, const std::string& family_id,
                                                        TimePoint at) {
  return tx.execute(kRevokeFamily, family_id, format_rfc3339(at));
}

Result<std::vector<app::StoredSigningKey>> SqlIdentityStore::signing_keys(Tx& tx) {
  auto rows = tx.query(kSigningKeys);
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<app::StoredSigningKey> out;
  for (const auto& r : *rows) {
    std::string pem = r.get_text(1);
    if (auth::SecretBox::is_sealed(pem)) {  // else a key stored before sealing, read as it is
      auto opened = secrets_.open(pem);
      if (!opened) {
        return Error::internal("the private key of signing key " + r.get_text(0) +
                               " cannot be decrypted: wrong secrets key? (" +
                               opened.error().message + ")");
      }
      pem = std::move(opened).value();
    }
    out.push_back({r.get_text(0), std::move(pem), time_of(r, 2), opt_time_of(r, 3)});
  }
  return out;
}

Result<void> SqlIdentityStore::insert_signing_key(Tx& tx, const app::StoredSigningKey& key) {
  return exec(tx, kInsertSigningKey, key.kid, secrets_.seal(key.private_pem),
              format_rfc3339(key.created_at));
}

Result<bool> SqlIdentityStore::retire_signing_key(Tx& tx, const std::string& kid, TimePoint at,
                                                  TimePoint not_after) {
  auto changed = tx.execute(kRetireSigningKey, kid, format_rfc3339(at), format_rfc3339(not_after));
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

Result<int64_t> SqlIdentityStore::delete_expired_signing_keys(Tx& tx, TimePoint now) {
  return tx.execute(kDeleteExpiredSigningKeys, format_rfc3339(now));
}

Result<std::optional<app::Throttle>> SqlIdentityStore::throttle(Tx& tx, const std::string& key) {
  auto rows = tx.query(kThrottle, key);
  if (!rows) {
    return std::move(rows).error();
  }
  if (rows->empty()) {
    return std::optional<app::Throttle>();
  }
  const db::Row& r = (*rows)[0];
  return std::optional<app::Throttle>(
      app::Throttle{static_cast<int>(r.get_int(0)), time_of(r, 1), opt_time_of(r, 2)});
}

Result<void> SqlIdentityStore::save_throttle(Tx& tx, const std::string& key,
                                             const app::Throttle& t) {
  return exec(tx, kSaveThrottle, key, t.failures, format_rfc3339(t.window_start),
              opt_text(t.locked_until));
}

Result<void> SqlIdentityStore::clear_throttle(Tx& tx, const std::string& key) {
  return exec(tx, kClearThrottle, key);
}

Result<void> SqlIdentityStore::append_audit(Tx& tx, const app::AuditEntry& e) {
  return exec(tx, kAppendAudit, e.id, e.org_id, e.actor, e.action, e.target, e.ip, e.detail,
              format_rfc3339(e.created_at));
}

Result<std::vector<app::AuditEntry>> SqlIdentityStore::audit_page(Tx& tx, const std::string& org_id,
                                                                  const std::string& before_id,
                                                                  int limit) {
  auto rows = tx.query(kAuditPage, org_id, before_id, limit);
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<app::AuditEntry> out;
  for (const auto& r : *rows) {
    out.push_back({r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
                   r.get_text(5), r.get_text(6), time_of(r, 7)});
  }
  return out;
}

// --- members, invitations, API keys -----------------------------------------------------------

namespace {

constexpr std::string_view kFindMember =
    "SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m "
    "JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id = $2";
constexpr std::string_view kMembersPage =
    "SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m "
    "JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id > $2 "
    "ORDER BY m.user_id LIMIT $3";
constexpr std::string_view kChangeMemberRole =
    "UPDATE memberships SET role = $4 WHERE org_id = $1 AND user_id = $2 AND role = $3";
// The owner's row is never deleted, whatever the caller checked before.
constexpr std::string_view kDeleteMember =
    "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND role <> 'owner'";
constexpr std::string_view kRevokeRefreshOf =
    "UPDATE refresh_tokens SET revoked_at = $3 WHERE org_id = $1 AND user_id = $2 "
    "AND revoked_at IS NULL";

constexpr std::string_view kInsertInvitation =
    "INSERT INTO invitations (id, org_id, email, role, token_hash, invited_by, created_at, "
    "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kInvitationByToken =
    "SELECT id, org_id, email, role, invited_by, created_at, expires_at, accepted_at, "
    "accepted_by, revoked_at FROM invitations WHERE token_hash = $1";
constexpr std::string_view kInvitation =
    "SELECT id, org_id, email, role, invited_by, created_at, expires_at, accepted_at, "
    "accepted_by, revoked_at FROM invitations WHERE org_id = $1 AND id = $2";
// Times are RFC 3339 UTC text of one fixed width, so comparing them as text compares instants.
constexpr std::string_view kPendingInvitations =
    "SELECT id, org_id, email, role, invited_by, created_at, expires_at, accepted_at, "
    "accepted_by, revoked_at FROM invitations WHERE org_id = $1 AND accepted_at IS NULL "
    "AND revoked_at IS NULL AND expires_at > $2 AND id > $3 ORDER BY id LIMIT $4";
constexpr std::string_view kRevokeInvitationsFor =
    "UPDATE invitations SET revoked_at = $3 WHERE org_id = $1 AND email = $2 "
    "AND accepted_at IS NULL AND revoked_at IS NULL";
constexpr std::string_view kRevokeInvitation =
    "UPDATE invitations SET revoked_at = $3 WHERE org_id = $1 AND id = $2 "
    "AND accepted_at IS NULL AND revoked_at IS NULL";
constexpr std::string_view kAcceptInvitation =
    "UPDATE invitations SET accepted_at = $3, accepted_by = $2 WHERE id = $1 "
    "AND accepted_at IS NULL AND revoked_at IS NULL";

constexpr std::string_view kInsertApiKey =
    "INSERT INTO api_keys (id, org_id, name, role, key_hash, prefix, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kApiKeyByHash =
    "SELECT id, org_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at "
    "FROM api_keys WHERE key_hash = $1";
constexpr std::string_view kApiKey =
    "SELECT id, org_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at "
    "FROM api_keys WHERE org_id = $1 AND id = $2";
constexpr std::string_view kApiKeysPage =
    "SELECT id, org_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at "
    "FROM api_keys WHERE org_id = $1 AND revoked_at IS NULL AND id > $2 ORDER BY id LIMIT $3";
constexpr std::string_view kApiKeysCreatedBy =
    "SELECT id, org_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at "
    "FROM api_keys WHERE org_id = $1 AND created_by = $2 AND revoked_at IS NULL ORDER BY id";
constexpr std::string_view kRevokeApiKey =
    "UPDATE api_keys SET revoked_at = $3 WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL";
constexpr std::string_view kTouchApiKey =
    "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 "
    "AND (last_used_at IS NULL OR last_used_at < $3)";

// Roles are written by this service under a CHECK constraint; anything else is a corrupt row.
domain::OrgRole role_of(const db::Row& row, size_t i) {
  auto role = domain::parse_role(row.get_text(i));
  if (!role) {
    throw std::logic_error("identity: unknown role '" + row.get_text(i) + "' in column " +
                           std::to_string(i));
  }
  return *role;
}

app::Member member_of(const db::Row& r) {
  return app::Member{r.get_text(0), r.get_text(1), r.get_text(2), role_of(r, 3), time_of(r, 4)};
}

app::Invitation invitation_of(const db::Row& r) {
  return app::Invitation{r.get_text(0),    r.get_text(1),     r.get_text(2),
                         role_of(r, 3),    r.get_text(4),     time_of(r, 5),
                         time_of(r, 6),    opt_time_of(r, 7), r.get_opt_text(8).value_or(""),
                         opt_time_of(r, 9)};
}

app::ApiKey api_key_of(const db::Row& r) {
  return app::ApiKey{r.get_text(0), r.get_text(1),     r.get_text(2),
                     role_of(r, 3), r.get_text(4),     r.get_text(5),
                     time_of(r, 6), opt_time_of(r, 7), opt_time_of(r, 8)};
}

Result<bool> changed_one(Result<int64_t> changed) {
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

}  // namespace

Result<std::optional<app::Member>> SqlIdentityStore::find_member(Tx& tx, const std::string& org_id,
                                                                 const std::string& user_id) {
  return first_of(tx.query(kFindMember, org_id, user_id), &member_of);
}

Result<std::vector<app::Member>> SqlIdentityStore::members_page(Tx& tx, const std::string& org_id,
                                                                const std::string& after_user_id,
                                                                int limit) {
  return all_of(tx.query(kMembersPage, org_id, after_user_id, limit), &member_of);
}

Result<bool> SqlIdentityStore::change_member_role(Tx& tx, const std::string& org_id,
                                                  const std::string& user_id, domain::OrgRole from,
                                                  domain::OrgRole to) {
  return changed_one(tx.execute(kChangeMemberRole, org_id, user_id, domain::role_name(from),
                                domain::role_name(to)));
}

Result<bool> SqlIdentityStore::delete_member(Tx& tx, const std::string& org_id,
                                             const std::string& user_id) {
  return changed_one(tx.execute(kDeleteMember, org_id, user_id));
}

Result<int64_t> SqlIdentityStore::revoke_refresh_tokens_of(Tx& tx, const std::string& org_id,
                                                           const std::string& user_id,
                                                           TimePoint at) {
  return tx.execute(kRevokeRefreshOf, org_id, user_id, format_rfc3339(at));
}

Result<void> SqlIdentityStore::insert_invitation(Tx& tx, const app::Invitation& i,
                                                 const std::string& token_hash) {
  return exec(tx, kInsertInvitation, i.id, i.org_id, i.email, domain::role_name(i.role), token_hash,
              i.invited_by, format_rfc3339(i.created_at), format_rfc3339(i.expires_at));
}

Result<std::optional<app::Invitation>> SqlIdentityStore::find_invitation_by_token(
    Tx& tx, const std::string& token_hash) {
  return first_of(tx.query(kInvitationByToken, token_hash), &invitation_of);
}

Result<std::optional<app::Invitation>> SqlIdentityStore::find_invitation(Tx& tx,
                                                                         const std::string& org_id,
                                                                         const std::string& id) {
  return first_of(tx.query(kInvitation, org_id, id), &invitation_of);
}

Result<std::vector<app::Invitation>> SqlIdentityStore::pending_invitations(
    Tx& tx, const std::string& org_id, TimePoint now, const std::string& after_id, int limit) {
  return all_of(tx.query(kPendingInvitations, org_id, format_rfc3339(now), after_id, limit),
                &invitation_of);
}

Result<int64_t> SqlIdentityStore::revoke_invitations_for(Tx& tx, const std::string& org_id,
                                                         const std::string& email, TimePoint at) {
  return tx.execute(kRevokeInvitationsFor, org_id, email, format_rfc3339(at));
}

Result<bool> SqlIdentityStore::revoke_invitation(Tx& tx, const std::string& org_id,
                                                 const std::string& id, TimePoint at) {
  return changed_one(tx.execute(kRevokeInvitation, org_id, id, format_rfc3339(at)));
}

Result<bool> SqlIdentityStore::accept_invitation(Tx& tx, const std::string& id,
                                                 const std::string& user_id, TimePoint at) {
  return changed_one(tx.execute(kAcceptInvitation, id, user_id, format_rfc3339(at)));
}

Result<void> SqlIdentityStore::insert_api_key(Tx& tx, const app::ApiKey& k,
                                              const std::string& key_hash) {
  return exec(tx, kInsertApiKey, k.id, k.org_id, k.name, domain::role_name(k.role), key_hash,
              k.prefix, k.created_by, format_rfc3339(k.created_at));
}

Result<std::optional<app::ApiKey>> SqlIdentityStore::find_api_key_by_hash(
    Tx& tx, const std::string& key_hash) {
  return first_of(tx.query(kApiKeyByHash, key_hash), &api_key_of);
}

Result<std::optional<app::ApiKey>> SqlIdentityStore::find_api_key(Tx& tx, const std::string& org_id,
                                                                  const std::string& id) {
  return first_of(tx.query(kApiKey, org_id, id), &api_key_of);
}

Result<std::vector<app::ApiKey>> SqlIdentityStore::api_keys_page(Tx& tx, const std::string& org_id,
                                                                 const std::string& after_id,
                                                                 int limit) {
  return all_of(tx.query(kApiKeysPage, org_id, after_id, limit), &api_key_of);
}

Result<std::vector<app::ApiKey>> SqlIdentityStore::api_keys_created_by(Tx& tx,
                                                                       const std::string& org_id,
                                                                       const std::string& user_id) {
  return all_of(tx.query(kApiKeysCreatedBy, org_id, user_id), &api_key_of);
}

Result<bool> SqlIdentityStore::revoke_api_key(Tx& tx, const std::string& org_id,
                                              const std::string& id, TimePoint at) {
  return changed_one(tx.execute(kRevokeApiKey, org_id, id, format_rfc3339(at)));
}

Result<bool> SqlIdentityStore::touch_api_key(Tx& tx, const std::string& id, TimePoint at,
                                             TimePoint stale_before) {
  return changed_one(
      tx.execute(kTouchApiKey, id, format_rfc3339(at), format_rfc3339(stale_before)));
}

Result<int64_t> seal_plain_secrets(db::Transaction& tx, const auth::SecretBox& secrets) {
  auto rows = tx.query(kPlainSecrets);
  if (!rows) {
    return std::move(rows).error();
  }
  int64_t sealed = 0;
  for (const auto& r : *rows) {
    const std::string plain = r.get_text(2);
    auto changed = tx.execute(r.get_text(0) == "totp" ? kSealTotp : kSealSigningKey, r.get_text(1),
                              secrets.seal(plain), plain);
    if (!changed) {
      return std::move(changed).error();
    }
    sealed += *changed;
  }
  return sealed;
}

}  // namespace atelier::identity::adapters
