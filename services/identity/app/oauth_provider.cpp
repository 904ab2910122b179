#include "identity/app/oauth_provider.hpp"

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/secrets.hpp"
#include "atelier/core/uuid.hpp"
#include "identity/app/org_access.hpp"
#include "identity/domain/oauth.hpp"

namespace atelier::identity::app {

namespace {

using domain::GrantType;

constexpr size_t kMaxStateBytes = 1024;
constexpr size_t kMaxNonceBytes = 256;

OAuthError refusal(std::string error, std::string description, int status = 400) {
  return OAuthError{std::move(error), std::move(description), true, status};
}

OAuthError shown_to_user(std::string description, int status = 400) {
  return OAuthError{"invalid_request", std::move(description), false, status};
}

OAuthError invalid_client(std::string description) {
  return refusal("invalid_client", std::move(description), 401);
}

OAuthError invalid_grant(std::string description) {
  return refusal("invalid_grant", std::move(description));
}

TokenResponse refused(OAuthError error) {
  TokenResponse r;
  r.refused = std::move(error);
  return r;
}

// Everything the authorization endpoint checks, in the order RFC 6749 §4.1.2.1 asks: the client
// and its redirect URI first (their faults are shown to the user agent), then the rest (sent back
// to the client). `client` is the client as the caller may see it; on success `scope` is the
// scope granted, in its canonical spelling.
std::optional<OAuthError> validate(const AuthorizationRequest& request,
                                   const std::optional<OAuthClient>& client, int unknown_status,
                                   std::string& scope) {
  if (request.client_id.empty()) {
    return shown_to_user("client_id is required.");
  }
  if (!client || client->revoked_at) {
    return shown_to_user("No application is registered with this client_id.", unknown_status);
  }
  if (request.redirect_uri.empty()) {
    return shown_to_user("redirect_uri is required.");
  }
  bool registered = false;
  for (const auto& uri : client->redirect_uris) {
    registered = registered || uri == request.redirect_uri;
  }
  if (!registered) {
    return shown_to_user(
        "redirect_uri is not one this application registered (they are compared exactly).");
  }
  if (request.response_type != "code") {
    return refusal("unsupported_response_type", "response_type must be code.");
  }
  if (!client->allows(GrantType::kAuthorizationCode)) {
    return refusal("unauthorized_client",
                   "This application is not registered for the authorization_code grant.");
  }
  if (request.code_challenge_method != "S256") {
    return refusal("invalid_request",
                   "code_challenge_method must be S256; plain and absent methods are refused.");
  }
  if (!domain::is_s256_challenge(request.code_challenge)) {
    return refusal("invalid_request",
                   "code_challenge must be the base64url SHA-256 of the code_verifier "
                   "(43 characters).");
  }
  if (request.state.size() > kMaxStateBytes || request.nonce.size() > kMaxNonceBytes) {
    return refusal("invalid_request", "state is at most 1024 bytes and nonce at most 256.");
  }
  const auto scopes = domain::parse_scopes(request.scope);
  if (!scopes) {
    return refusal("invalid_scope",
                   "scope is a space-separated list of openid, profile, email and "
                   "offline_access.");
  }
  scope = domain::join_scopes(*scopes);
  if (domain::has_scope(scope, "offline_access") && !client->allows(GrantType::kRefreshToken)) {
    return refusal("invalid_scope",
                   "offline_access needs an application registered for the refresh_token grant.");
  }
  return std::nullopt;
}

CheckedAuthorization answer(const AuthorizationRequest& request, std::optional<OAuthError> error,
                            const std::string& issuer) {
  CheckedAuthorization checked;
  if (error && error->redirect) {
    std::vector<std::pair<std::string, std::string>> params = {
        {"error", error->error}, {"error_description", error->description}};
    if (!request.state.empty()) {
      params.emplace_back("state", request.state);
    }
    params.emplace_back("iss", issuer);
    checked.redirect_to = domain::with_query(request.redirect_uri, params);
  }
  checked.refused = std::move(error);
  return checked;
}

int64_t numeric_date(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace

OAuthProvider::OAuthProvider(db::Database& db, IdentityStore& store, OAuthStore& oauth,
                             Accounts& accounts, auth::KeyRing& keys, OAuthSettings settings,
                             const Clock& clock)
    : db_(db),
      store_(store),
      oauth_(oauth),
      accounts_(accounts),
      keys_(keys),
      settings_(std::move(settings)),
      clock_(clock) {}

Result<CheckedAuthorization> OAuthProvider::check(const AuthorizationRequest& request) {
  // No one is signed in yet: the client is found by its id alone, whatever its organisation.
  auto client =
      db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
                   [&](db::Transaction& tx) -> Result<std::optional<OAuthClient>> {
                     if (request.client_id.empty()) {
                       return std::optional<OAuthClient>();
                     }
                     auto found = oauth_.find_client(tx, request.client_id);
                     if (!found) {
                       return std::move(found).error();
                     }
                     return *found ? std::optional<OAuthClient>((*found)->client) : std::nullopt;
                   });
  if (!client) {
    return std::move(client).error();
  }
  std::string scope;
  return answer(request, validate(request, *client, 400, scope), settings_.issuer);
}

Result<CheckedAuthorization> OAuthProvider::decide(const Principal& user,
                                                   const AuthorizationRequest& request,
                                                   bool approve, const std::string& ip) {
  if (user.kind != Principal::Kind::kUser) {
    return Error::forbidden("Only a person signed in can authorize an application.");
  }
  const TimePoint now = clock_.now();
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = user.org_id},
      [&](db::Transaction& tx) -> Result<CheckedAuthorization> {
        std::optional<OAuthClient> client;
        if (!request.client_id.empty()) {
          auto found = oauth_.find_client_in(tx, user.org_id, request.client_id);
          if (!found) {
            return std::move(found).error();
          }
          client = std::move(found).value();
        }
        std::string scope;
        if (auto error = validate(request, client, 404, scope)) {
          return answer(request, std::move(error), settings_.issuer);
        }
        auto member = store_.find_member(tx, user.org_id, user.subject);
        if (!member) {
          return std::move(member).error();
        }
        if (!member->has_value()) {
          return Error::forbidden("You are no longer a member of this organisation.");
        }
        if (!approve) {
          if (auto r = record_audit(store_, tx, clock_, user.org_id, user.subject,
                                    "oauth.consent_refused", client->id, ip);
              !r) {
            return std::move(r).error();
          }
          return answer(request,
                        refusal("access_denied", "The user refused to authorize the application."),
                        settings_.issuer);
        }
        const std::string code = auth::random_token();
        const AuthorizationCode stored{Uuid::v7(clock_).str(),
                                       user.org_id,
                                       client->id,
                                       user.subject,
                                       request.redirect_uri,
                                       scope,
                                       request.nonce,
                                       request.code_challenge,
                                       now,
                                       now,
                                       now + settings_.code_ttl,
                                       std::nullopt,
                                       {}};
        if (auto r = oauth_.insert_code(tx, stored, auth::token_hash(code)); !r) {
          return std::move(r).error();
        }
        if (auto r =
                record_audit(store_, tx, clock_, user.org_id, user.subject, "oauth.consent_granted",
                             client->id, ip, "{\"scope\":" + json_quoted(scope) + "}");
            !r) {
          return std::move(r).error();
        }
        std::vector<std::pair<std::string, std::string>> params = {{"code", code}};
        if (!request.state.empty()) {
          params.emplace_back("state", request.state);
        }
        // RFC 9207: names the issuer, so that a client talking to several cannot be mixed up.
        params.emplace_back("iss", settings_.issuer);
        CheckedAuthorization granted;
        granted.redirect_to = domain::with_query(request.redirect_uri, params);
        return granted;
      });
}

Result<std::optional<OAuthError>> OAuthProvider::authenticate(const ClientCredentials& credentials,
                                                              OAuthClient& client) {
  if (credentials.client_id.empty()) {
    return std::optional<OAuthError>(invalid_client(
        "Authenticate the client: HTTP Basic (client_secret_basic), client_id and client_secret "
        "in the form (client_secret_post), or client_id alone for a public client."));
  }
  auto found = db_.transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) { return oauth_.find_client(tx, credentials.client_id); });
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value() || (*found)->client.revoked_at) {
    return std::optional<OAuthError>(invalid_client("Unknown or revoked client."));
  }
  const StoredOAuthClient& stored = **found;
  if (stored.client.type == domain::ClientType::kConfidential) {
    // Digests of equal length, compared in constant time: the comparison tells nothing of how
    // much of a guess was right.
    if (!credentials.client_secret ||
        !auth::constant_time_equal(auth::token_hash(*credentials.client_secret),
                                   stored.secret_hash)) {
      return std::optional<OAuthError>(invalid_client("Wrong client credentials."));
    }
  } else if (credentials.client_secret) {
    return std::optional<OAuthError>(
        invalid_client("A public client has no secret: send its client_id alone."));
  }
  client = stored.client;
  return std::optional<OAuthError>();
}

Result<TokenResponse> OAuthProvider::token(const TokenRequest& request) {
  const auto grant = domain::parse_grant_type(request.grant_type);
  if (!grant) {
    return refused(refusal("unsupported_grant_type",
                           "grant_type is authorization_code, refresh_token or "
                           "client_credentials."));
  }
  // A first-party refresh token (the portal's) comes without client credentials.
  if (*grant == GrantType::kRefreshToken && request.client.client_id.empty() &&
      !request.client.client_secret) {
    return refresh(request, nullptr);
  }
  OAuthClient client;
  auto authenticated = authenticate(request.client, client);
  if (!authenticated) {
    return std::move(authenticated).error();
  }
  if (*authenticated) {
    return refused(std::move(**authenticated));
  }
  if (*grant == GrantType::kClientCredentials && client.type == domain::ClientType::kPublic) {
    return refused(refusal("unauthorized_client",
                           "A public client cannot use client_credentials: it has no secret to "
                           "prove who it is."));
  }
  if (!client.allows(*grant)) {
    return refused(refusal("unauthorized_client", "This client is not registered for the " +
                                                      std::string(domain::grant_type_name(*grant)) +
                                                      " grant."));
  }
  switch (*grant) {
    case GrantType::kAuthorizationCode:
      return exchange_code(request, client);
    case GrantType::kClientCredentials:
      return client_credentials(request, client);
    case GrantType::kRefreshToken:
      break;
  }
  return refresh(request, &client);
}

Result<std::optional<OAuthError>> OAuthProvider::revoke(const ClientCredentials& credentials,
                                                        const std::string& token,
                                                        const std::string& ip) {
  std::optional<std::string> client_id;
  if (!credentials.client_id.empty() || credentials.client_secret) {
    OAuthClient client;
    auto authenticated = authenticate(credentials, client);
    if (!authenticated || *authenticated) {
      return authenticated;
    }
    client_id = client.id;
  }
  auto done = accounts_.logout(token, ip, client_id);
  if (!done) {
    if (done.error().code == ErrorCode::kForbidden) {
      return std::optional<OAuthError>(refusal("unauthorized_client", done.error().message));
    }
    return std::move(done).error();
  }
  return std::optional<OAuthError>();
}

Result<TokenResponse> OAuthProvider::refresh(const TokenRequest& request,
                                             const OAuthClient* client) {
  if (request.refresh_token.empty()) {
    return refused(refusal("invalid_request", "refresh_token is required."));
  }
  auto tokens =
      accounts_.refresh(request.refresh_token, request.ip, client ? client->id : std::string());
  if (!tokens) {
    if (tokens.error().code == ErrorCode::kUnauthenticated) {
      return refused(invalid_grant(tokens.error().message));
    }
    return std::move(tokens).error();
  }
  TokenResponse response;
  response.tokens = std::move(tokens).value();
  return response;
}

Result<void> OAuthProvider::code_reused(db::Transaction& tx, const AuthorizationCode& code,
                                        const std::string& ip) {
  if (!code.family_id.empty()) {
    if (auto r = store_.revoke_refresh_family(tx, code.family_id, clock_.now()); !r) {
      return std::move(r).error();
    }
  }
  return record_audit(store_, tx, clock_, code.org_id, "oauth_client:" + code.client_id,
                      "oauth.code_reuse_detected", code.user_id, ip,
                      "{\"code_id\":" + json_quoted(code.id) +
                          ",\"family_id\":" + json_quoted(code.family_id) + "}");
}

Result<TokenResponse> OAuthProvider::exchange_code(const TokenRequest& request,
                                                   const OAuthClient& client) {
  if (request.code.empty() || request.redirect_uri.empty() || request.code_verifier.empty()) {
    return refused(
        refusal("invalid_request", "code, redirect_uri and code_verifier are required."));
  }
  const TimePoint now = clock_.now();
  // The code says which organisation it belongs to only once it is found.
  return db_.transact(
      db::TxOptions{.mode = db::TxMode::kWrite, .org_id = {}, .cross_tenant = true},
      [&](db::Transaction& tx) -> Result<TokenResponse> {
        auto found = oauth_.find_code(tx, auth::token_hash(request.code));
        if (!found) {
          return std::move(found).error();
        }
        if (!found->has_value() || (*found)->client_id != client.id) {
          // Another client's code is left as it is: presenting it proves nothing.
          return refused(invalid_grant("Unknown authorization code."));
        }
        const AuthorizationCode& code = **found;
        if (code.used_at) {
          // RFC 6749 §4.1.2: someone holds a copy. What the first exchange issued is revoked;
          // the access token it issued lives out its few minutes.
          if (auto r = code_reused(tx, code, request.ip); !r) {
            return std::move(r).error();
          }
          return refused(invalid_grant(
              "This authorization code was already used; the tokens issued from it are revoked."));
        }
        if (code.expires_at <= now) {
          return refused(invalid_grant("This authorization code has expired."));
        }
        if (request.redirect_uri != code.redirect_uri) {
          return refused(invalid_grant("redirect_uri differs from the authorization request's."));
        }
        // A wrong verifier leaves the code unspent: guessing a 256-bit verifier is hopeless, and
        // spending the code would let anyone who saw it spoil the rightful client's exchange.
        if (!domain::is_code_verifier(request.code_verifier) ||
            !auth::constant_time_equal(auth::base64url_encode(auth::sha256(request.code_verifier)),
                                       code.code_challenge)) {
          return refused(invalid_grant("code_verifier does not match the code_challenge."));
        }
        const bool offline = domain::has_scope(code.scope, "offline_access") &&
                             client.allows(GrantType::kRefreshToken);
        const std::string family_id = offline ? Uuid::v7(clock_).str() : std::string();
        auto spent = oauth_.use_code(tx, code.id, now, family_id);
        if (!spent) {
          return std::move(spent).error();
        }
        if (!*spent) {
          // A concurrent exchange spent it first: same as a second use.
          auto again = oauth_.find_code(tx, auth::token_hash(request.code));
          if (!again) {
            return std::move(again).error();
          }
          if (*again) {
            if (auto r = code_reused(tx, **again, request.ip); !r) {
              return std::move(r).error();
            }
          }
          return refused(invalid_grant("This authorization code was already used."));
        }
        auto tokens = accounts_.issue_for_client(
            tx, code.user_id, code.org_id, ClientGrant{client.id, code.scope, offline}, family_id);
        if (!tokens) {
          if (tokens.error().code == ErrorCode::kForbidden) {
            return refused(invalid_grant(tokens.error().message));
          }
          return std::move(tokens).error();
        }
        TokenResponse response;
        response.tokens = std::move(tokens).value();
        if (domain::has_scope(code.scope, "openid")) {
          auto user = store_.find_user(tx, code.user_id);
          if (!user) {
            return std::move(user).error();
          }
          if (!user->has_value()) {
            return refused(invalid_grant("This account no longer exists."));
          }
          response.id_token = id_token(**user, client.id, code.scope, code.nonce, code.auth_time);
        }
        return response;
      });
}

Result<TokenResponse> OAuthProvider::client_credentials(const TokenRequest& request,
                                                        const OAuthClient& client) {
  if (!request.scope.empty()) {
    return refused(refusal("invalid_scope",
                           "A client's own token carries its registered roles; it takes no "
                           "scope."));
  }
  const TimePoint now = clock_.now();
  auth::Claims claims;
  claims.iss = settings_.issuer;
  claims.sub = client.id;
  claims.aud = settings_.audience;
  claims.org = client.org_id;
  for (auto role : client.roles) {
    claims.roles.emplace_back(domain::role_name(role));
  }
  claims.jti = Uuid::v7(clock_).str();
  claims.iat = now;
  claims.exp = now + settings_.access_ttl;
  claims.extra["client_id"] = client.id;
  claims.extra["kind"] = kClientTokenKind;
  TokenResponse response;
  response.tokens.access_token = keys_.sign(claims);
  response.tokens.expires_in = settings_.access_ttl;
  response.tokens.org_id = client.org_id;
  response.tokens.roles = claims.roles;
  return response;
}

std::string OAuthProvider::id_token(const User& user, const std::string& client_id,
                                    const std::string& scope, const std::string& nonce,
                                    TimePoint auth_time) const {
  const TimePoint now = clock_.now();
  auth::Claims claims;
  claims.iss = settings_.issuer;
  claims.sub = user.id;
  claims.aud = client_id;  // never the platform's audience: an ID token is no access token
  claims.iat = now;
  claims.exp = now + settings_.access_ttl;
  claims.extra["auth_time"] = numeric_date(auth_time);
  if (!nonce.empty()) {
    claims.extra["nonce"] = nonce;
  }
  if (domain::has_scope(scope, "email")) {
    claims.extra["email"] = user.email;
    claims.extra["email_verified"] = user.email_verified_at.has_value();
  }
  if (domain::has_scope(scope, "profile")) {
    claims.extra["name"] = user.name;
    claims.extra["locale"] = user.locale;
  }
  return keys_.sign(claims);
}

}  // namespace atelier::identity::app
