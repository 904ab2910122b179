#include "identity/domain/roles.hpp"

#include <gtest/gtest.h>

#include "identity/domain/accounts.hpp"

namespace atelier::identity::domain {
namespace {

TEST(Roles, NamesRoundTrip) {
  for (OrgRole r : {OrgRole::kOwner, OrgRole::kAdmin, OrgRole::kMember, OrgRole::kGuest}) {
    EXPECT_EQ(parse_role(role_name(r)), r);
  }
  EXPECT_FALSE(parse_role("superuser"));
  EXPECT_FALSE(parse_role("Owner"));
}

TEST(Roles, OnlyTheOwnerTransfersOwnership) {
  EXPECT_TRUE(role_allows(OrgRole::kOwner, Action::kOwnershipTransfer));
  EXPECT_FALSE(role_allows(OrgRole::kAdmin, Action::kOwnershipTransfer));
  EXPECT_FALSE(role_allows(OrgRole::kMember, Action::kOwnershipTransfer));
}

TEST(Roles, AdminsManageMembersButMembersAndGuestsDoNot) {
  for (Action a : {Action::kMembersInvite, Action::kMembersRemove, Action::kMembersChangeRole,
                   Action::kApiKeysManage, Action::kAuditRead, Action::kOrgUpdate}) {
    EXPECT_TRUE(role_allows(OrgRole::kAdmin, a)) << action_name(a);
    EXPECT_FALSE(role_allows(OrgRole::kMember, a)) << action_name(a);
    EXPECT_FALSE(role_allows(OrgRole::kGuest, a)) << action_name(a);
  }
}

TEST(Roles, GuestsReadButDoNotCreateProjects) {
  EXPECT_TRUE(role_allows(OrgRole::kGuest, Action::kProjectsRead));
  EXPECT_FALSE(role_allows(OrgRole::kGuest, Action::kProjectsCreate));
  EXPECT_TRUE(role_allows(OrgRole::kMember, Action::kProjectsCreate));
}

TEST(Accounts, EmailsAreTrimmedLowerCasedAndChecked) {
  EXPECT_EQ(normalize_email("  Marie.Dupont@Example.FR "), "marie.dupont@example.fr");
  EXPECT_EQ(normalize_email("a+chantier@bet-structure.fr"), "a+chantier@bet-structure.fr");
  for (const char* bad :
       {"", "marie", "@example.fr", "marie@", "marie@example", "marie@.fr", "ma rie@example.fr",
        "a@b@example.fr", "marie@example..fr", "<marie@example.fr>"}) {
    EXPECT_FALSE(normalize_email(bad)) << bad;
  }
}

TEST(Accounts, NamesAreTrimmedAndRefuseControlCharacters) {
  EXPECT_EQ(normalize_name("  Bâtiments Durand SARL "), "Bâtiments Durand SARL");
  EXPECT_FALSE(normalize_name("   "));
  EXPECT_FALSE(normalize_name("Evil\nName"));
  EXPECT_FALSE(normalize_name(std::string(201, 'x')));
}

}  // namespace
}  // namespace atelier::identity::domain
