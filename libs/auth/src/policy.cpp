#include "atelier/auth/policy.hpp"

#include <array>
#include <string>

namespace atelier::auth {

namespace {

// The project role table. `least` is the least project role that may do the action; members of
// the organisation with no role on the project may do it too when `members` says so.
struct Grant {
  ProjectAction action;
  std::optional<ProjectRole> least;
  bool members;
};

constexpr std::optional<ProjectRole> kViewer = ProjectRole::kViewer;
constexpr std::optional<ProjectRole> kContributor = ProjectRole::kContributor;
constexpr std::optional<ProjectRole> kManager = ProjectRole::kManager;

// clang-format off
constexpr std::array kProjectPolicy = {
  //     action                                least project role  any member of the org
  Grant{ProjectAction::kRead,                  kViewer,            true },
  Grant{ProjectAction::kUpdate,                kManager,           false},
  Grant{ProjectAction::kManageParticipants,    kManager,           false},
  Grant{ProjectAction::kArchive,               kManager,           false},
  Grant{ProjectAction::kTasksRead,             kViewer,            true },
  Grant{ProjectAction::kTasksWrite,            kContributor,       false},
  Grant{ProjectAction::kPlanManage,            kManager,           false},
  Grant{ProjectAction::kDocumentsRead,         kViewer,            true },
  Grant{ProjectAction::kDocumentsWrite,        kContributor,       false},
  Grant{ProjectAction::kBudgetRead,            kManager,           false},
  Grant{ProjectAction::kBudgetWrite,           kManager,           false},
};
// clang-format on

const Grant* grant_for(ProjectAction action) {
  for (const Grant& g : kProjectPolicy) {
    if (g.action == action) {
      return &g;
    }
  }
  return nullptr;
}

bool runs_the_org(const Principal& who) {
  return who.has_role("owner") || who.has_role("admin");
}

bool allowed(const Principal& who, const Grant& grant, std::optional<ProjectRole> role) {
  if (runs_the_org(who)) {
    return true;
  }
  if (grant.members && who.has_role("member")) {
    return true;
  }
  return role && grant.least && *role >= *grant.least;
}

}  // namespace

std::string_view project_role_name(ProjectRole role) {
  switch (role) {
    case ProjectRole::kViewer:
      return "viewer";
    case ProjectRole::kContributor:
      return "contributor";
    case ProjectRole::kManager:
      return "manager";
  }
  return "viewer";
}

std::optional<ProjectRole> parse_project_role(std::string_view name) {
  for (ProjectRole r : {ProjectRole::kViewer, ProjectRole::kContributor, ProjectRole::kManager}) {
    if (project_role_name(r) == name) {
      return r;
    }
  }
  return std::nullopt;
}

std::string_view project_action_name(ProjectAction action) {
  switch (action) {
    case ProjectAction::kRead:
      return "project.read";
    case ProjectAction::kUpdate:
      return "project.update";
    case ProjectAction::kManageParticipants:
      return "project.manage_participants";
    case ProjectAction::kArchive:
      return "project.archive";
    case ProjectAction::kTasksRead:
      return "tasks.read";
    case ProjectAction::kTasksWrite:
      return "tasks.write";
    case ProjectAction::kPlanManage:
      return "plan.manage";
    case ProjectAction::kDocumentsRead:
      return "documents.read";
    case ProjectAction::kDocumentsWrite:
      return "documents.write";
    case ProjectAction::kBudgetRead:
      return "budget.read";
    case ProjectAction::kBudgetWrite:
      return "budget.write";
  }
  return "unknown";
}

std::optional<ProjectRole> least_role_for(ProjectAction action) {
  const Grant* g = grant_for(action);
  return g ? g->least : std::nullopt;
}

Decision decide(const Principal& who, ProjectAction action, std::optional<ProjectRole> role) {
  const Grant* grant = grant_for(action);
  const Grant* read = grant_for(ProjectAction::kRead);
  if (grant == nullptr || read == nullptr) {
    return Decision::kHide;  // an action missing from the table is denied
  }
  if (allowed(who, *grant, role)) {
    return Decision::kAllow;
  }
  return allowed(who, *read, role) ? Decision::kForbid : Decision::kHide;
}

Result<void> authorize(const Principal& who, ProjectAction action,
                       std::optional<ProjectRole> role) {
  switch (decide(who, action, role)) {
    case Decision::kAllow:
      return {};
    case Decision::kHide:
      return Error::not_found("No project with this id in your organisation.");
    case Decision::kForbid:
      break;
  }
  std::string message = "Your role does not allow " + std::string(project_action_name(action));
  if (auto least = least_role_for(action)) {
    message += " on this project: it needs the " + std::string(project_role_name(*least)) +
               " role or above, given by a project manager.";
  } else {
    message += ": only owners and admins of the organisation may.";
  }
  return Error::forbidden(std::move(message));
}

Result<void> PolicyAuthorizer::authorize(const Principal& who, ProjectAction action,
                                         std::string_view project_id) {
  // Owners and admins need no lookup: the table gives them everything.
  if (runs_the_org(who)) {
    return {};
  }
  auto role = lookup_(who, project_id);
  if (!role) {
    return std::move(role).error();
  }
  return auth::authorize(who, action, *role);
}

}  // namespace atelier::auth
