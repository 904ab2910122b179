// The OAuth 2 / OpenID Connect endpoints of the identity service: authorization (RFC 6749 §4.1
// with PKCE, RFC 7636; consent on the portal, ADR 0008), the token endpoint with its three grants,
// RFC 7009 revocation and OIDC userinfo. The protocol endpoints answer OAuth's own error format,
// not problem+json, because OAuth clients expect {"error": ..., "error_description": ...}; the
// portal's consent call under /api/v1 speaks problem+json like the rest of the API.
#pragma once

#include <string>

#include "atelier/http/router.hpp"
#include "identity/app/accounts.hpp"
#include "identity/app/oauth_provider.hpp"

namespace atelier::identity::adapters {

// `portal_url` is where people reach the web portal (the platform's public URL): its /authorize
// page asks for consent.
void add_oauth_routes(http::Router& router, app::Accounts& accounts, app::OAuthProvider& provider,
                      const std::string& portal_url);

}  // namespace atelier::identity::adapters
