// The OAuth 2 endpoints of the identity service (RFC 6749 token endpoint for the refresh_token
// grant, RFC 7009 revocation, OIDC userinfo). They answer OAuth's own error format, not
// problem+json, because OAuth clients expect {"error": ..., "error_description": ...}.
#pragma once

#include "atelier/http/router.hpp"
#include "identity/app/accounts.hpp"

namespace atelier::identity::adapters {

void add_oauth_routes(http::Router& router, app::Accounts& accounts);

}  // namespace atelier::identity::adapters
