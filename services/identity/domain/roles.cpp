#include "identity/domain/roles.hpp"

#include <array>

namespace atelier::identity::domain {

namespace {

struct Grant {
  Action action;
  bool owner, admin, member, guest;
};

// clang-format off
constexpr std::array kPolicy = {
  //     action                          owner  admin  member guest
  Grant{Action::kOrgRead,                true,  true,  true,  true },
  Grant{Action::kOrgUpdate,              true,  true,  false, false},
  Grant{Action::kMembersInvite,          true,  true,  false, false},
  Grant{Action::kMembersRemove,          true,  true,  false, false},
  Grant{Action::kMembersChangeRole,      true,  true,  false, false},
  Grant{Action::kOwnershipTransfer,      true,  false, false, false},
  Grant{Action::kApiKeysManage,          true,  true,  false, false},
  Grant{Action::kOAuthClientsManage,     true,  true,  false, false},
  Grant{Action::kAuditRead,              true,  true,  false, false},
  Grant{Action::kProjectsCreate,         true,  true,  true,  false},
  Grant{Action::kProjectsRead,           true,  true,  true,  true },
};
// clang-format on

}  // namespace

std::string_view role_name(OrgRole role) {
  switch (role) {
    case OrgRole::kOwner:
      return "owner";
    case OrgRole::kAdmin:
      return "admin";
    case OrgRole::kMember:
      return "member";
    case OrgRole::kGuest:
      return "guest";
  }
  return "guest";
}

std::optional<OrgRole> parse_role(std::string_view name) {
  for (OrgRole r : {OrgRole::kOwner, OrgRole::kAdmin, OrgRole::kMember, OrgRole::kGuest}) {
    if (role_name(r) == name) {
      return r;
    }
  }
  return std::nullopt;
}

std::string_view action_name(Action action) {
  switch (action) {
    case Action::kOrgRead:
      return "org.read";
    case Action::kOrgUpdate:
      return "org.update";
    case Action::kMembersInvite:
      return "members.invite";
    case Action::kMembersRemove:
      return "members.remove";
    case Action::kMembersChangeRole:
      return "members.change_role";
    case Action::kOwnershipTransfer:
      return "ownership.transfer";
    case Action::kApiKeysManage:
      return "api_keys.manage";
    case Action::kOAuthClientsManage:
      return "oauth_clients.manage";
    case Action::kAuditRead:
      return "audit.read";
    case Action::kProjectsCreate:
      return "projects.create";
    case Action::kProjectsRead:
      return "projects.read";
  }
  return "unknown";
}

bool role_allows(OrgRole role, Action action) {
  for (const Grant& g : kPolicy) {
    if (g.action == action) {
      switch (role) {
        case OrgRole::kOwner:
          return g.owner;
        case OrgRole::kAdmin:
          return g.admin;
        case OrgRole::kMember:
          return g.member;
        case OrgRole::kGuest:
          return g.guest;
      }
    }
  }
  return false;  // an action missing from the table is denied
}

}  // namespace atelier::identity::domain
