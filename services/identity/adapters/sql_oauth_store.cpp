#include "identity/adapters/sql_oauth_store.hpp"

#include <stdexcept>

#include "atelier/db/rows.hpp"

namespace atelier::identity::adapters {

namespace {

using db::all_of;
using db::first_of;

constexpr std::string_view kClientColumns =
    "SELECT id, org_id, name, type, redirect_uris, grant_types, roles, created_by, created_at, "
    "revoked_at, secret_hash FROM oauth_clients ";
constexpr std::string_view kInsertClient =
    "INSERT INTO oauth_clients (id, org_id, name, type, secret_hash, redirect_uris, grant_types, "
    "roles, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kClientById = "WHERE id = $1";
constexpr std::string_view kClientInOrg = "WHERE org_id = $1 AND id = $2";
constexpr std::string_view kClientsPage =
    "WHERE org_id = $1 AND revoked_at IS NULL AND id > $2 ORDER BY id LIMIT $3";
constexpr std::string_view kClientsCreatedBy =
    "WHERE org_id = $1 AND created_by = $2 AND revoked_at IS NULL ORDER BY id";
constexpr std::string_view kRevokeClient =
    "UPDATE oauth_clients SET revoked_at = $3 WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL";
constexpr std::string_view kRevokeClientSessions =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE client_id = $1 AND revoked_at IS NULL";

constexpr std::string_view kInsertCode =
    "INSERT INTO oauth_codes (id, org_id, client_id, user_id, code_hash, redirect_uri, scope, "
    "nonce, code_challenge, auth_time, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kFindCode =
    "SELECT id, org_id, client_id, user_id, redirect_uri, scope, nonce, code_challenge, "
    "auth_time, created_at, expires_at, used_at, family_id FROM oauth_codes WHERE code_hash = $1";
constexpr std::string_view kUseCode =
    "UPDATE oauth_codes SET used_at = $2, family_id = $3 WHERE id = $1 AND used_at IS NULL";

// Stored times and lists are written by this service; anything unreadable is a corrupt row.
TimePoint time_of(const db::Row& row, size_t i) {
  auto t = parse_rfc3339(row.get_text(i));
  if (!t) {
    throw std::logic_error("identity: unreadable time in oauth column " + std::to_string(i));
  }
  return *t;
}

std::optional<TimePoint> opt_time_of(const db::Row& row, size_t i) {
  return row.is_null(i) ? std::nullopt : std::optional<TimePoint>(time_of(row, i));
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t space = text.find(' ', start);
    const size_t end = space == std::string::npos ? text.size() : space;
    if (end > start) {
      out.push_back(text.substr(start, end - start));
    }
    start = end + 1;
  }
  return out;
}

template <class T, class Name>
std::string joined(const std::vector<T>& items, Name name) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += ' ';
    }
    out += name(item);
  }
  return out;
}

app::StoredOAuthClient client_of(const db::Row& r) {
  app::StoredOAuthClient stored;
  app::OAuthClient& c = stored.client;
  c.id = r.get_text(0);
  c.org_id = r.get_text(1);
  c.name = r.get_text(2);
  const auto type = domain::parse_client_type(r.get_text(3));
  if (!type) {
    throw std::logic_error("identity: unknown client type '" + r.get_text(3) + "'");
  }
  c.type = *type;
  c.redirect_uris = split(r.get_text(4));
  for (const auto& g : split(r.get_text(5))) {
    const auto grant = domain::parse_grant_type(g);
    if (!grant) {
      throw std::logic_error("identity: unknown grant type '" + g + "'");
    }
    c.grant_types.push_back(*grant);
  }
  for (const auto& name : split(r.get_text(6))) {
    const auto role = domain::parse_role(name);
    if (!role) {
      throw std::logic_error("identity: unknown client role '" + name + "'");
    }
    c.roles.push_back(*role);
  }
  c.created_by = r.get_text(7);
  c.created_at = time_of(r, 8);
  c.revoked_at = opt_time_of(r, 9);
  stored.secret_hash = r.get_opt_text(10).value_or("");
  return stored;
}

app::OAuthClient plain_client_of(const db::Row& r) {
  return client_of(r).client;
}

app::AuthorizationCode code_of(const db::Row& r) {
  return app::AuthorizationCode{r.get_text(0),
                                r.get_text(1),
                                r.get_text(2),
                                r.get_text(3),
                                r.get_text(4),
                                r.get_text(5),
                                r.get_text(6),
                                r.get_text(7),
                                time_of(r, 8),
                                time_of(r, 9),
                                time_of(r, 10),
                                opt_time_of(r, 11),
                                r.get_opt_text(12).value_or("")};
}

Result<bool> changed_one(Result<int64_t> changed) {
  if (!changed) {
    return std::move(changed).error();
  }
  return *changed == 1;
}

std::string client_query(std::string_view where) {
  return std::string(kClientColumns) + std::string(where);
}

}  // namespace

Result<void> SqlOAuthStore::insert_client(Tx& tx, const app::OAuthClient& c,
                                          const std::string& secret_hash) {
  auto r = tx.execute(
      kInsertClient, c.id, c.org_id, c.name, domain::client_type_name(c.type),
      secret_hash.empty() ? std::optional<std::string>() : std::optional<std::string>(secret_hash),
      joined(c.redirect_uris, [](const std::string& u) { return u; }),
      joined(c.grant_types, [](domain::GrantType g) { return domain::grant_type_name(g); }),
      joined(c.roles, [](domain::OrgRole role) { return domain::role_name(role); }), c.created_by,
      format_rfc3339(c.created_at));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Result<std::optional<app::StoredOAuthClient>> SqlOAuthStore::find_client(Tx& tx,
                                                                         const std::string& id) {
  return first_of(tx.query(client_query(kClientById), id), &client_of);
}

Result<std::optional<app::OAuthClient>> SqlOAuthStore::find_client_in(Tx& tx,
                                                                      const std::string& org_id,
                                                                      const std::string& id) {
  return first_of(tx.query(client_query(kClientInOrg), org_id, id), &plain_client_of);
}

Result<std::vector<app::OAuthClient>> SqlOAuthStore::clients_page(Tx& tx, const std::string& org_id,
                                                                  const std::string& after_id,
                                                                  int limit) {
  return all_of(tx.query(client_query(kClientsPage), org_id, after_id, limit), &plain_client_of);
}

Result<std::vector<app::OAuthClient>> SqlOAuthStore::clients_created_by(
    Tx& tx, const std::string& org_id, const std::string& user_id) {
  return all_of(tx.query(client_query(kClientsCreatedBy), org_id, user_id), &plain_client_of);
}

Result<bool> SqlOAuthStore::revoke_client(Tx& tx, const std::string& org_id, const std::string& id,
                                          TimePoint at) {
  return changed_one(tx.execute(kRevokeClient, org_id, id, format_rfc3339(at)));
}

Result<int64_t> SqlOAuthStore::revoke_client_sessions(Tx& tx, const std::string& client_id,
                                                      TimePoint at) {
  return tx.execute(kRevokeClientSessions, client_id, format_rfc3339(at));
}

Result<void> SqlOAuthStore::insert_code(Tx& tx, const app::AuthorizationCode& c,
                                        const std::string& code_hash) {
  auto r =
      tx.execute(kInsertCode, c.id, c.org_id, c.client_id, c.user_id, code_hash, c.redirect_uri,
                 c.scope, c.nonce, c.code_challenge, format_rfc3339(c.auth_time),
                 format_rfc3339(c.created_at), format_rfc3339(c.expires_at));
  if (!r) {
    return std::move(r).error();
  }
  return {};
}

Result<std::optional<app::AuthorizationCode>> SqlOAuthStore::find_code(
    Tx& tx, const std::string& code_hash) {
  return first_of(tx.query(kFindCode, code_hash), &code_of);
}

Result<bool> SqlOAuthStore::use_code(Tx& tx, const std::string& id, TimePoint at,
                                     const std::string& family_id) {
  return changed_one(tx.execute(
      kUseCode, id, format_rfc3339(at),
      family_id.empty() ? std::optional<std::string>() : std::optional<std::string>(family_id)));
}

}  // namespace atelier::identity::adapters
