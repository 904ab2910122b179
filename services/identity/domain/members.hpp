// Rules about members' roles: how roles rank, and which role someone may hand out (by invitation,
// role change or API key). Pure rules, no I/O.
#pragma once

#include "identity/domain/roles.hpp"

namespace atelier::identity::domain {

// owner 3 > admin 2 > member 1 > guest 0.
int role_rank(OrgRole role);

// True when `granter` may give `role` to someone: never owner (ownership only moves by a
// transfer, so an organisation always has exactly one owner), and never above the granter's own
// role, so no one can make a credential stronger than themself.
bool may_grant(OrgRole granter, OrgRole role);

}  // namespace atelier::identity::domain
