#include "projects/app/access.hpp"

namespace atelier::projects::app {

Result<std::optional<auth::ProjectRole>> project_role(db::Transaction& tx, ParticipantStore& store,
                                                      const Principal& caller,
                                                      const std::string& project_id) {
  if (caller.kind != Principal::Kind::kUser) {
    return std::optional<auth::ProjectRole>();
  }
  return store.role_of(tx, caller.org_id, project_id, caller.subject);
}

Result<ProjectAccess> open_project(db::Transaction& tx, ProjectStore& projects,
                                   ParticipantStore& participants, const Principal& caller,
                                   const std::string& project_id, auth::ProjectAction action) {
  auto found = projects.find(tx, caller.org_id, project_id);
  if (!found) {
    return std::move(found).error();
  }
  if (!found->has_value()) {
    return Error::not_found("No project with this id in your organisation.");
  }
  auto role = project_role(tx, participants, caller, project_id);
  if (!role) {
    return std::move(role).error();
  }
  if (auto ok = auth::authorize(caller, action, *role); !ok) {
    return std::move(ok).error();
  }
  return ProjectAccess{std::move(**found), *role};
}

Result<void> check_not_archived(const domain::Project& project) {
  if (project.archived_at) {
    return Error::conflict("This project is archived: it can no longer be changed.");
  }
  return {};
}

bool sees_budget(const Principal& caller, std::optional<auth::ProjectRole> role) {
  return auth::decide(caller, auth::ProjectAction::kBudgetRead, role) == auth::Decision::kAllow;
}

bool may_create_projects(const Principal& caller) {
  return caller.has_role("owner") || caller.has_role("admin") || caller.has_role("member");
}

}  // namespace atelier::projects::app
