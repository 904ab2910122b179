// OAuth clients: the applications an organisation registers to act with its members' consent
// (authorization code with PKCE) or on their own (client credentials). Registered by an owner or
// admin, who sees a confidential client's secret once; stored as a digest; revoked at will, which
// ends every token the client holds.
#pragma once

#include <string>
#include <vector>

#include "atelier/core/principal.hpp"
#include "identity/app/oauth_store.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::app {

struct CreateOAuthClientCommand {
  std::string name;
  std::string type;  // confidential or public
  std::vector<std::string> redirect_uris;
  std::vector<std::string> grant_types;
  std::vector<std::string> roles;  // for client_credentials: admin, member or guest
  std::string ip;
};

struct CreatedOAuthClient {
  OAuthClient client;
  std::string secret;  // confidential clients only: shown once, never stored
};

class OAuthClients {
 public:
  static constexpr size_t kMaxRedirectUris = 10;

  OAuthClients(db::Database& db, IdentityStore& store, OAuthStore& oauth,
               const Clock& clock = SystemClock::instance());

  // kForbidden unless a person who is an owner or admin asks, or when a role is above theirs;
  // kInvalid with field errors for a bad name, type, redirect URI, grant type or role:
  // client_credentials is for confidential clients only, authorization_code needs at least one
  // redirect URI, refresh_token comes with authorization_code, roles come with (and only with)
  // client_credentials, and never owner.
  Result<CreatedOAuthClient> create(const Principal& caller, const CreateOAuthClientCommand& cmd);
  // The organisation's clients that are not revoked, by id; `after_id` is the cursor.
  Result<std::vector<OAuthClient>> list(const Principal& caller, const std::string& after_id,
                                        int limit);
  // kNotFound outside the caller's organisation.
  Result<OAuthClient> get(const Principal& caller, const std::string& id);
  // Revokes the client and ends its sessions; its access tokens stop at their next use. kNotFound
  // outside the caller's organisation; revoking twice is fine.
  Result<void> revoke(const Principal& caller, const std::string& id, const std::string& ip);

 private:
  Result<domain::OrgRole> manager_role(db::Transaction& tx, const Principal& caller);

  db::Database& db_;
  IdentityStore& store_;
  OAuthStore& oauth_;
  const Clock& clock_;
};

}  // namespace atelier::identity::app
