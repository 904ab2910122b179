#include "identity/app/oauth_clients.hpp"

#include <algorithm>

#include "atelier/auth/secrets.hpp"
#include "atelier/core/uuid.hpp"
#include "identity/app/org_access.hpp"
#include "identity/domain/accounts.hpp"
#include "identity/domain/members.hpp"

namespace atelier::identity::app {

namespace {

using domain::GrantType;

Error no_such_client() {
  return Error::not_found("No OAuth client with this id in your organisation.");
}

std::string list_json(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) {
    out += (out.size() > 1 ? "," : "") + json_quoted(item);
  }
  return out + "]";
}

}  // namespace

OAuthClients::OAuthClients(db::Database& db, IdentityStore& store, OAuthStore& oauth,
                           const Clock& clock)
    : db_(db), store_(store), oauth_(oauth), clock_(clock) {}

Result<domain::OrgRole> OAuthClients::manager_role(db::Transaction& tx, const Principal& caller) {
  // A credential that could mint credentials would outlive its own revocation (as for API keys).
  if (caller.kind != Principal::Kind::kUser) {
    return Error::forbidden("OAuth clients are managed by a person signed in.");
  }
  return authorize(store_, tx, caller, domain::Action::kOAuthClientsManage,
                   "Only owners and admins can manage OAuth clients.");
}

Result<CreatedOAuthClient> OAuthClients::create(const Principal& caller,
                                                const CreateOAuthClientCommand& cmd) {
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
      [&](db::Transaction& tx) -> Result<CreatedOAuthClient> {
        auto creator_role = manager_role(tx, caller);
        if (!creator_role) {
          return std::move(creator_role).error();
        }
        std::vector<FieldError> errors;
        OAuthClient client;
        const auto name = domain::normalize_name(cmd.name);
        if (!name) {
          errors.push_back({"name", "Name the application (1 to 200 characters)."});
        }
        const auto type = domain::parse_client_type(cmd.type);
        if (!type) {
          errors.push_back({"type",
                            "Choose confidential (a server that keeps a secret) or "
                            "public (a native or browser app)."});
        }
        for (const auto& g : cmd.grant_types) {
          const auto grant = domain::parse_grant_type(g);
          if (!grant) {
            errors.push_back({"grant_types",
                              "Choose among authorization_code, refresh_token and "
                              "client_credentials; '" +
                                  g + "' is not one."});
          } else if (!client.allows(*grant)) {
            client.grant_types.push_back(*grant);
          }
        }
        if (cmd.grant_types.empty()) {
          errors.push_back({"grant_types", "Name at least one grant type."});
        }
        std::sort(client.grant_types.begin(), client.grant_types.end());
        if (type == domain::ClientType::kPublic && client.allows(GrantType::kClientCredentials)) {
          errors.push_back({"grant_types",
                            "client_credentials is for confidential clients only: "
                            "a public client cannot keep a secret."});
        }
        if (client.allows(GrantType::kRefreshToken) &&
            !client.allows(GrantType::kAuthorizationCode)) {
          errors.push_back({"grant_types", "refresh_token comes with authorization_code."});
        }
        if (cmd.redirect_uris.size() > kMaxRedirectUris) {
          errors.push_back({"redirect_uris", "Register at most 10 redirect URIs."});
        }
        for (const auto& uri : cmd.redirect_uris) {
          if (auto problem = domain::redirect_uri_problem(uri)) {
            errors.push_back({"redirect_uris", *problem});
          } else if (std::find(client.redirect_uris.begin(), client.redirect_uris.end(), uri) ==
                     client.redirect_uris.end()) {
            client.redirect_uris.push_back(uri);
          }
        }
        if (client.allows(GrantType::kAuthorizationCode) && cmd.redirect_uris.empty()) {
          errors.push_back(
              {"redirect_uris", "The authorization_code grant needs at least one redirect URI."});
        }
        for (const auto& r : cmd.roles) {
          const auto role = domain::parse_role(r);
          if (!role || *role == domain::OrgRole::kOwner) {
            errors.push_back(
                {"roles", "Choose admin, member or guest; a client is never an owner."});
          } else if (std::find(client.roles.begin(), client.roles.end(), *role) ==
                     client.roles.end()) {
            client.roles.push_back(*role);
          }
        }
        if (client.allows(GrantType::kClientCredentials) && cmd.roles.empty()) {
          errors.push_back(
              {"roles",
               "Give the role its client_credentials tokens act with in the organisation."});
        }
        if (!client.allows(GrantType::kClientCredentials) && !cmd.roles.empty()) {
          errors.push_back({"roles",
                            "Roles apply to client_credentials tokens only: a user's "
                            "token carries the user's own role."});
        }
        if (!errors.empty()) {
          return Error::invalid("The OAuth client could not be registered: see the fields.",
                                std::move(errors));
        }
        for (auto role : client.roles) {
          if (!domain::may_grant(*creator_role, role)) {
            return Error::forbidden("A client's role cannot be above your own.");
          }
        }
        client.id = Uuid::v7(clock_).str();
        client.org_id = caller.org_id;
        client.name = *name;
        client.type = *type;
        client.created_by = caller.subject;
        client.created_at = now;
        CreatedOAuthClient created{client, {}};
        if (client.type == domain::ClientType::kConfidential) {
          created.secret = auth::random_token();
        }
        if (auto r = oauth_.insert_client(
                tx, client, created.secret.empty() ? "" : auth::token_hash(created.secret));
            !r) {
          return std::move(r).error();
        }
        std::vector<std::string> grants;
        for (auto g : client.grant_types) {
          grants.emplace_back(domain::grant_type_name(g));
        }
        if (auto r = record_audit(store_, tx, clock_, caller.org_id, actor_of(caller),
                                  "oauth_client.created", client.id, cmd.ip,
                                  "{\"name\":" + json_quoted(client.name) + ",\"type\":" +
                                      json_quoted(domain::client_type_name(client.type)) +
                                      ",\"grant_types\":" + list_json(grants) + "}");
            !r) {
          return std::move(r).error();
        }
        return created;
      });
}

Result<std::vector<OAuthClient>> OAuthClients::list(const Principal& caller,
                                                    const std::string& after_id, int limit) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<std::vector<OAuthClient>> {
                        if (auto role = manager_role(tx, caller); !role) {
                          return std::move(role).error();
                        }
                        return oauth_.clients_page(tx, caller.org_id, after_id, limit);
                      });
}

Result<OAuthClient> OAuthClients::get(const Principal& caller, const std::string& id) {
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<OAuthClient> {
                        if (auto role = manager_role(tx, caller); !role) {
                          return std::move(role).error();
                        }
                        auto found = oauth_.find_client_in(tx, caller.org_id, id);
                        if (!found) {
                          return std::move(found).error();
                        }
                        if (!found->has_value()) {
                          return no_such_client();
                        }
                        return **found;
                      });
}

Result<void> OAuthClients::revoke(const Principal& caller, const std::string& id,
                                  const std::string& ip) {
  const TimePoint now = clock_.now();
  return db_.transact(db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id},
                      [&](db::Transaction& tx) -> Result<void> {
                        if (auto role = manager_role(tx, caller); !role) {
                          return std::move(role).error();
                        }
                        auto found = oauth_.find_client_in(tx, caller.org_id, id);
                        if (!found) {
                          return std::move(found).error();
                        }
                        if (!found->has_value()) {
                          return no_such_client();
                        }
                        if ((*found)->revoked_at) {
                          return {};  // revoked already: the caller's wish holds
                        }
                        if (auto r = oauth_.revoke_client(tx, caller.org_id, id, now); !r) {
                          return std::move(r).error();
                        }
                        auto ended = oauth_.revoke_client_sessions(tx, id, now);
                        if (!ended) {
                          return std::move(ended).error();
                        }
                        return record_audit(store_, tx, clock_, caller.org_id, actor_of(caller),
                                            "oauth_client.revoked", id, ip,
                                            "{\"name\":" + json_quoted((*found)->name) +
                                                ",\"sessions_ended\":" + std::to_string(*ended) +
                                                "}");
                      });
}

}  // namespace atelier::identity::app
