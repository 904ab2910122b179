// The OAuth 2.1 / OpenID Connect provider: the authorization endpoint (authorization code with
// PKCE S256, consent given on the portal; see docs/adr/0008) and the token endpoint's grants
// (authorization_code, refresh_token, client_credentials), with client authentication and ID
// tokens. Refusals that OAuth defines are values (OAuthError), for the adapter to word as OAuth
// does; a failing database is an Error.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "atelier/auth/jwt.hpp"
#include "atelier/core/principal.hpp"
#include "identity/app/accounts.hpp"
#include "identity/app/oauth_store.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::app {

struct OAuthSettings {
  std::string issuer;  // the public URL of this platform
  std::string audience = "atelier";
  std::chrono::seconds code_ttl{60};
  std::chrono::seconds access_ttl{15 * 60};  // client tokens and ID tokens
};

// An error of RFC 6749 §4.1.2.1 or §5.2.
struct OAuthError {
  std::string error;  // invalid_request, invalid_client, invalid_grant, unauthorized_client, ...
  std::string description;
  // At the authorization endpoint: false when the client or its redirect URI cannot be trusted,
  // so that the user agent is told rather than sent to a URI nobody registered.
  bool redirect = true;
  int status = 400;  // 401 for invalid_client, 404 for a client unknown to the caller
};

// The parameters of an authorization request, as the client sent them.
struct AuthorizationRequest {
  std::string response_type;
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;
  std::string code_challenge_method;
  std::string scope;
  std::string state;
  std::string nonce;
};

struct CheckedAuthorization {
  std::optional<OAuthError> refused;
  // When refused with redirect: the redirect URI with the error and the state, for the client.
  std::string redirect_to;
};

struct ClientCredentials {
  std::string client_id;
  std::optional<std::string> client_secret;  // absent for a public client
};

struct TokenRequest {
  std::string grant_type;
  ClientCredentials client;
  std::string code;  // authorization_code
  std::string redirect_uri;
  std::string code_verifier;
  std::string refresh_token;  // refresh_token
  std::string scope;          // client_credentials
  std::string ip;
};

struct TokenResponse {
  std::optional<OAuthError> refused;
  TokenPair tokens;
  std::string id_token;  // when openid was granted
};

class OAuthProvider {
 public:
  OAuthProvider(db::Database& db, IdentityStore& store, OAuthStore& oauth, Accounts& accounts,
                auth::KeyRing& keys, OAuthSettings settings,
                const Clock& clock = SystemClock::instance());

  // GET /oauth2/authorize, before anyone is signed in: refused without redirect for an unknown or
  // revoked client or a redirect URI it did not register; refused with a redirect for any other
  // fault; otherwise the portal's consent page takes over.
  Result<CheckedAuthorization> check(const AuthorizationRequest& request);

  // The signed-in user, acting in the client's organisation, approves or refuses the request on
  // the consent page. The answer's redirect_to carries a code (single use, code_ttl) and the
  // state, or error=access_denied. The client must belong to the caller's organisation: any other
  // is refused as unknown (404). kForbidden for credentials that are not a person's, or a person
  // no longer a member there.
  Result<CheckedAuthorization> decide(const Principal& user, const AuthorizationRequest& request,
                                      bool approve, const std::string& ip);

  // POST /oauth2/token.
  Result<TokenResponse> token(const TokenRequest& request);

  // POST /oauth2/revoke (RFC 7009): ends the session of a refresh token. Without client
  // credentials only a first-party (portal) token is revoked; with them the client is
  // authenticated as at the token endpoint, and only a token issued to it is revoked. A token
  // issued to someone else is refused (unauthorized_client) and stays valid; an unknown one is
  // fine.
  Result<std::optional<OAuthError>> revoke(const ClientCredentials& credentials,
                                           const std::string& token, const std::string& ip);

 private:
  // Authenticates the client of a token request: client_secret_basic or client_secret_post for a
  // confidential client (compared as digests, in constant time), the client_id alone for a public
  // one.
  Result<std::optional<OAuthError>> authenticate(const ClientCredentials& credentials,
                                                 OAuthClient& client);
  Result<TokenResponse> exchange_code(const TokenRequest& request, const OAuthClient& client);
  Result<TokenResponse> client_credentials(const TokenRequest& request, const OAuthClient& client);
  Result<TokenResponse> refresh(const TokenRequest& request, const OAuthClient* client);
  // An OIDC ID token for `user`, audience the client.
  std::string id_token(const User& user, const std::string& client_id, const std::string& scope,
                       const std::string& nonce, TimePoint auth_time) const;
  // The revocation of what a code issued, when the code comes back a second time.
  Result<void> code_reused(db::Transaction& tx, const AuthorizationCode& code,
                           const std::string& ip);

  db::Database& db_;
  IdentityStore& store_;
  OAuthStore& oauth_;
  Accounts& accounts_;
  auth::KeyRing& keys_;
  OAuthSettings settings_;
  const Clock& clock_;
};

}  // namespace atelier::identity::app
