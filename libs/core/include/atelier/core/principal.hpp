// Who is making a request, as established by verified credentials (an access token or an API
// key). The organisation comes from here and only from here, never from a request body.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace atelier {

struct Principal {
  enum class Kind { kUser, kApiKey, kClient };

  Kind kind = Kind::kUser;
  std::string subject;  // user id, API key id or OAuth client id
  std::string org_id;   // the organisation the credentials act in
  std::vector<std::string> roles;
  std::string credential_id;  // the token's jti or the API key's id, for audit and revocation
  // The OAuth client a user's token was issued through (authorization code grant); empty for the
  // portal's own sessions and for API keys. A client acts only within what the user granted it.
  std::string client_id = {};

  bool has_role(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace atelier
