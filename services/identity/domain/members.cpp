#include "identity/domain/members.hpp"

namespace atelier::identity::domain {

int role_rank(OrgRole role) {
  switch (role) {
    case OrgRole::kOwner:
      return 3;
    case OrgRole::kAdmin:
      return 2;
    case OrgRole::kMember:
      return 1;
    case OrgRole::kGuest:
      return 0;
  }
  return 0;
}

bool may_grant(OrgRole granter, OrgRole role) {
  return role != OrgRole::kOwner && role_rank(role) <= role_rank(granter);
}

}  // namespace atelier::identity::domain
