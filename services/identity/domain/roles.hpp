// Organisation roles and the policy that says what each may do: the table a reviewer reads to
// know who can do what. Pure rules, no I/O.
#pragma once

#include <optional>
#include <string_view>

namespace atelier::identity::domain {

enum class OrgRole { kOwner, kAdmin, kMember, kGuest };

std::string_view role_name(OrgRole role);
std::optional<OrgRole> parse_role(std::string_view name);

// What can be done inside an organisation.
enum class Action {
  kOrgRead,        // see the organisation and its members
  kOrgUpdate,      // rename, settings
  kMembersInvite,  // invite, and cancel invitations
  kMembersRemove,  // remove a member (never the owner)
  kMembersChangeRole,
  kOwnershipTransfer,
  kApiKeysManage,
  kOAuthClientsManage,  // register and revoke OAuth clients (applications)
  kAuditRead,
  kProjectsCreate,
  kProjectsRead,  // projects they take part in; owners and admins see all
};

std::string_view action_name(Action action);

// The policy table: true when `role` may perform `action` in its organisation.
bool role_allows(OrgRole role, Action action);

}  // namespace atelier::identity::domain
