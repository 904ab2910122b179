// The access policy (libs/auth) applied to one project inside the use case's transaction: the
// project must exist in the caller's organisation, and the caller's project role, read from the
// participants in the same transaction, must allow the action.
#pragma once

#include <optional>
#include <string>

#include "atelier/auth/policy.hpp"
#include "atelier/core/principal.hpp"
#include "projects/app/store.hpp"

namespace atelier::projects::app {

struct ProjectAccess {
  domain::Project project;
  std::optional<auth::ProjectRole> role;  // the caller's; nullopt when they take no part
};

// The caller's role on the project: a user's participation; nullopt for API keys and clients,
// which act through their organisation role alone.
Result<std::optional<auth::ProjectRole>> project_role(db::Transaction& tx, ParticipantStore& store,
                                                      const Principal& caller,
                                                      const std::string& project_id);

// The project and the caller's role on it when the policy allows `action`. kNotFound for a project
// of another organisation, one that does not exist, and one the caller may not even see;
// kForbidden when they see it but may not do this.
Result<ProjectAccess> open_project(db::Transaction& tx, ProjectStore& projects,
                                   ParticipantStore& participants, const Principal& caller,
                                   const std::string& project_id, auth::ProjectAction action);

// kConflict for an archived project: it is read-only, with everything in it.
Result<void> check_not_archived(const domain::Project& project);

// Whether budgets (of the project and its lots) are shown to the caller.
bool sees_budget(const Principal& caller, std::optional<auth::ProjectRole> role);

// Projects are created by the organisation's staff (owners, admins, members), not by guests. The
// project policy does not cover it: there is no project yet to hold a role on.
bool may_create_projects(const Principal& caller);

}  // namespace atelier::projects::app
