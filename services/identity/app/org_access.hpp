// How a caller acts inside the organisation of its credentials: its current role there, the name
// the audit log gives it, and the policy check. Shared by the members and API key use cases.
#pragma once

#include <string>
#include <string_view>

#include "atelier/core/principal.hpp"
#include "identity/app/store.hpp"

namespace atelier::identity::app {

// The caller's role in `caller.org_id` as it is now, not as its access token says: a user's
// membership row (so that a removal or a demotion takes effect before the token expires), an API
// key's own role while the key is not revoked, an OAuth client's own token's role (its revocation
// is checked with the token). kForbidden when the caller is no longer a member.
Result<domain::OrgRole> current_role(IdentityStore& store, db::Transaction& tx,
                                     const Principal& caller);

// kForbidden with `message` unless `role` may perform `action` (domain::role_allows).
Result<void> require(domain::OrgRole role, domain::Action action, std::string message);

// current_role, then require: the caller's role when it may perform `action`.
Result<domain::OrgRole> authorize(IdentityStore& store, db::Transaction& tx,
                                  const Principal& caller, domain::Action action,
                                  std::string message);

// Who the audit log and events name for the caller: the user id, "api_key:<id>" or
// "oauth_client:<id>".
std::string actor_of(const Principal& caller);

// Appends one audit entry in `tx`, dated now.
Result<void> record_audit(IdentityStore& store, db::Transaction& tx, const Clock& clock,
                          const std::string& org_id, const std::string& actor,
                          std::string_view action, const std::string& target, const std::string& ip,
                          const std::string& detail = {});

// `s` as a JSON string literal, for the small payloads of events and audit details.
std::string json_quoted(std::string_view s);

}  // namespace atelier::identity::app
