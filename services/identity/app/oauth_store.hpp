// Storage port of the OAuth provider: registered clients and their authorization codes. Methods
// run in the caller's transaction, like IdentityStore's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"
#include "identity/domain/oauth.hpp"
#include "identity/domain/roles.hpp"

namespace atelier::identity::app {

// An application registered by an organisation. Its secret is never here: only its digest, kept
// apart in the store (StoredOAuthClient).
struct OAuthClient {
  std::string id;  // the client_id
  std::string org_id;
  std::string name;
  domain::ClientType type = domain::ClientType::kPublic;
  std::vector<std::string> redirect_uris;
  std::vector<domain::GrantType> grant_types;
  std::vector<domain::OrgRole> roles;  // of its client_credentials tokens
  std::string created_by;
  TimePoint created_at;
  std::optional<TimePoint> revoked_at;

  bool allows(domain::GrantType grant) const {
    for (auto g : grant_types) {
      if (g == grant) {
        return true;
      }
    }
    return false;
  }
};

struct StoredOAuthClient {
  OAuthClient client;
  std::string secret_hash;  // empty for a public client
};

// What a code stands for: the token request must come from the same client, repeat the same
// redirect URI and prove the PKCE verifier behind the challenge.
struct AuthorizationCode {
  std::string id;
  std::string org_id;
  std::string client_id;
  std::string user_id;
  std::string redirect_uri;
  std::string scope;
  std::string nonce;
  std::string code_challenge;
  TimePoint auth_time;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> used_at;
  std::string family_id;  // the refresh-token family issued from it, once exchanged
};

class OAuthStore {
 public:
  virtual ~OAuthStore() = default;
  using Tx = db::Transaction;

  virtual Result<void> insert_client(Tx& tx, const OAuthClient& client,
                                     const std::string& secret_hash) = 0;
  // By id alone, whatever the organisation: how the token endpoint recognises a client.
  virtual Result<std::optional<StoredOAuthClient>> find_client(Tx& tx, const std::string& id) = 0;
  virtual Result<std::optional<OAuthClient>> find_client_in(Tx& tx, const std::string& org_id,
                                                            const std::string& id) = 0;
  // Clients not revoked, ordered by id; `after_id` is the cursor.
  virtual Result<std::vector<OAuthClient>> clients_page(Tx& tx, const std::string& org_id,
                                                        const std::string& after_id, int limit) = 0;
  // The clients a user registered in an organisation that are not revoked.
  virtual Result<std::vector<OAuthClient>> clients_created_by(Tx& tx, const std::string& org_id,
                                                              const std::string& user_id) = 0;
  // False when it was revoked already.
  virtual Result<bool> revoke_client(Tx& tx, const std::string& org_id, const std::string& id,
                                     TimePoint at) = 0;
  // Ends every session (refresh token) the client holds; returns how many tokens were revoked.
  virtual Result<int64_t> revoke_client_sessions(Tx& tx, const std::string& client_id,
                                                 TimePoint at) = 0;

  virtual Result<void> insert_code(Tx& tx, const AuthorizationCode& code,
                                   const std::string& code_hash) = 0;
  virtual Result<std::optional<AuthorizationCode>> find_code(Tx& tx,
                                                             const std::string& code_hash) = 0;
  // Spends the code and records the refresh-token family issued from it (empty for none), unless
  // it was spent already (a concurrent exchange): false then.
  virtual Result<bool> use_code(Tx& tx, const std::string& id, TimePoint at,
                                const std::string& family_id) = 0;
};

}  // namespace atelier::identity::app
