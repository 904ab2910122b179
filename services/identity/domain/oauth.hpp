// The rules of Atelier's OAuth 2.1 provider that need no I/O: client types and grant types, the
// scopes on offer, what may be registered as a redirect URI, and the shapes PKCE values take.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atelier::identity::domain {

// RFC 6749 §2.1: a confidential client keeps a secret (a server); a public one cannot (a native
// or browser app) and proves itself with PKCE alone.
enum class ClientType { kConfidential, kPublic };

std::string_view client_type_name(ClientType type);
std::optional<ClientType> parse_client_type(std::string_view name);

enum class GrantType { kAuthorizationCode, kRefreshToken, kClientCredentials };

std::string_view grant_type_name(GrantType grant);
std::optional<GrantType> parse_grant_type(std::string_view name);

// The scopes a client may ask for: openid (an ID token), profile, email, offline_access (a
// refresh token).
inline constexpr std::string_view kScopes[] = {"openid", "profile", "email", "offline_access"};

// A space-delimited scope (RFC 6749 §3.3) as its distinct scopes, in the order of kScopes, so that
// two spellings of one request compare equal; nullopt when it names a scope not on offer or is not
// made of single spaces between scopes.
std::optional<std::vector<std::string>> parse_scopes(std::string_view text);
std::string join_scopes(const std::vector<std::string>& scopes);
// True when the space-delimited `scopes` contains `scope`.
bool has_scope(std::string_view scopes, std::string_view scope);

// Why `uri` may not be registered as a redirect URI, or nullopt when it may: an absolute https
// URI, or http on the loopback interface (localhost, 127.0.0.1, [::1]) for native apps
// (RFC 8252 §7.3); no fragment, no user information, no spaces or control characters, at most
// 2000 bytes. Redirect URIs are compared as exact strings, so none is rewritten here.
std::optional<std::string> redirect_uri_problem(std::string_view uri);

// RFC 7636 §4.1: a code_verifier is 43 to 128 of [A-Z a-z 0-9 - . _ ~].
bool is_code_verifier(std::string_view text);
// An S256 code_challenge: the base64url (no padding) of a SHA-256 digest, so 43 characters.
bool is_s256_challenge(std::string_view text);

// `uri` with `params` appended to its query, each name and value percent-encoded (RFC 3986
// unreserved characters as they are): how the authorization endpoint answers a redirect URI.
std::string with_query(std::string_view uri,
                       const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace atelier::identity::domain
