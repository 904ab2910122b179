#include "atelier/auth/policy.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace atelier::auth {
namespace {

Principal with_org_role(std::string role) {
  Principal p;
  p.subject = "user-1";
  p.org_id = "org-1";
  p.roles = {std::move(role)};
  return p;
}

constexpr std::array kEveryAction = {
    ProjectAction::kRead,       ProjectAction::kUpdate,        ProjectAction::kManageParticipants,
    ProjectAction::kArchive,    ProjectAction::kTasksRead,     ProjectAction::kTasksWrite,
    ProjectAction::kPlanManage, ProjectAction::kDocumentsRead, ProjectAction::kDocumentsWrite,
    ProjectAction::kBudgetRead, ProjectAction::kBudgetWrite,
};

TEST(ProjectPolicyTest, OwnersAndAdminsMayDoEverythingWithoutAProjectRole) {
  for (const char* role : {"owner", "admin"}) {
    for (ProjectAction action : kEveryAction) {
      EXPECT_EQ(decide(with_org_role(role), action, std::nullopt), Decision::kAllow)
          << role << " " << project_action_name(action);
    }
  }
}

TEST(ProjectPolicyTest, MembersSeeEveryProjectButChangeOnlyTheirs) {
  Principal member = with_org_role("member");
  EXPECT_EQ(decide(member, ProjectAction::kRead, std::nullopt), Decision::kAllow);
  EXPECT_EQ(decide(member, ProjectAction::kTasksRead, std::nullopt), Decision::kAllow);
  EXPECT_EQ(decide(member, ProjectAction::kTasksWrite, std::nullopt), Decision::kForbid);
  EXPECT_EQ(decide(member, ProjectAction::kUpdate, std::nullopt), Decision::kForbid);
  EXPECT_EQ(decide(member, ProjectAction::kTasksWrite, ProjectRole::kContributor),
            Decision::kAllow);
  EXPECT_EQ(decide(member, ProjectAction::kUpdate, ProjectRole::kContributor), Decision::kForbid);
  EXPECT_EQ(decide(member, ProjectAction::kUpdate, ProjectRole::kManager), Decision::kAllow);
}

TEST(ProjectPolicyTest, GuestsWithoutARoleDoNotEvenSeeTheProject) {
  Principal guest = with_org_role("guest");
  for (ProjectAction action : kEveryAction) {
    EXPECT_EQ(decide(guest, action, std::nullopt), Decision::kHide) << project_action_name(action);
  }
}

TEST(ProjectPolicyTest, EachProjectRoleAddsToTheOneBelow) {
  Principal guest = with_org_role("guest");
  for (ProjectAction action : kEveryAction) {
    bool viewer = decide(guest, action, ProjectRole::kViewer) == Decision::kAllow;
    bool contributor = decide(guest, action, ProjectRole::kContributor) == Decision::kAllow;
    bool manager = decide(guest, action, ProjectRole::kManager) == Decision::kAllow;
    EXPECT_TRUE(!viewer || contributor) << project_action_name(action);
    EXPECT_TRUE(!contributor || manager) << project_action_name(action);
    EXPECT_TRUE(manager) << project_action_name(action);
  }
  // The rows a reviewer would check first.
  EXPECT_EQ(decide(guest, ProjectAction::kTasksRead, ProjectRole::kViewer), Decision::kAllow);
  EXPECT_EQ(decide(guest, ProjectAction::kTasksWrite, ProjectRole::kViewer), Decision::kForbid);
  EXPECT_EQ(decide(guest, ProjectAction::kTasksWrite, ProjectRole::kContributor), Decision::kAllow);
  EXPECT_EQ(decide(guest, ProjectAction::kBudgetRead, ProjectRole::kContributor),
            Decision::kForbid);
  EXPECT_EQ(decide(guest, ProjectAction::kManageParticipants, ProjectRole::kContributor),
            Decision::kForbid);
}

TEST(ProjectPolicyTest, AnUnknownOrgRoleIsTreatedAsNoRole) {
  Principal odd = with_org_role("superuser");
  EXPECT_EQ(decide(odd, ProjectAction::kRead, std::nullopt), Decision::kHide);
  EXPECT_EQ(decide(odd, ProjectAction::kRead, ProjectRole::kViewer), Decision::kAllow);
}

TEST(ProjectPolicyTest, ErrorsSayWhatWouldAllowTheAction) {
  auto forbidden =
      authorize(with_org_role("guest"), ProjectAction::kTasksWrite, ProjectRole::kViewer);
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error().code, ErrorCode::kForbidden);
  EXPECT_NE(forbidden.error().message.find("tasks.write"), std::string::npos);
  EXPECT_NE(forbidden.error().message.find("contributor"), std::string::npos);

  auto hidden = authorize(with_org_role("guest"), ProjectAction::kTasksWrite, std::nullopt);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
}

TEST(ProjectPolicyTest, RoleNamesRoundTrip) {
  for (ProjectRole r : {ProjectRole::kViewer, ProjectRole::kContributor, ProjectRole::kManager}) {
    EXPECT_EQ(parse_project_role(project_role_name(r)), r);
  }
  EXPECT_EQ(parse_project_role("owner"), std::nullopt);
  EXPECT_EQ(parse_project_role(""), std::nullopt);
}

TEST(PolicyAuthorizerTest, LooksUpTheProjectRoleOnlyWhenTheOrgRoleIsNotEnough) {
  std::vector<std::string> lookups;
  PolicyAuthorizer authorizer(
      [&](const Principal& who, std::string_view project_id) -> Result<std::optional<ProjectRole>> {
        lookups.push_back(who.subject + "@" + std::string(project_id));
        if (project_id == "p-1") {
          return std::optional<ProjectRole>(ProjectRole::kContributor);
        }
        return std::optional<ProjectRole>();
      });

  EXPECT_TRUE(authorizer.authorize(with_org_role("admin"), ProjectAction::kBudgetWrite, "p-1"));
  EXPECT_TRUE(lookups.empty());

  EXPECT_TRUE(authorizer.authorize(with_org_role("guest"), ProjectAction::kTasksWrite, "p-1"));
  auto other = authorizer.authorize(with_org_role("guest"), ProjectAction::kTasksRead, "p-2");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(lookups, (std::vector<std::string>{"user-1@p-1", "user-1@p-2"}));
}

TEST(PolicyAuthorizerTest, ALookupFailureIsPassedOn) {
  PolicyAuthorizer authorizer(
      [](const Principal&, std::string_view) -> Result<std::optional<ProjectRole>> {
        return Error::unavailable("database down");
      });
  auto r = authorizer.authorize(with_org_role("member"), ProjectAction::kRead, "p-1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace atelier::auth
