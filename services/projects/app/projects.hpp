// The projects use cases: create, read, change (JSON Merge Patch semantics, status through the
// state machine), list and archive. The organisation always comes from the caller's credentials;
// what the caller may do on a project follows the access policy of libs/auth (app/access.hpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "projects/app/store.hpp"

namespace atelier::projects::app {

struct NewProject {
  std::string code;
  std::string name;
  std::string address;
  std::string client;
  std::string start_date;
  std::optional<std::string> end_date;
  std::optional<int64_t> budget_minor;
  std::optional<std::string> currency;  // EUR when absent
};

// A merge patch: a field left empty is kept; the outer optional of a clearable field says
// whether it was sent, the inner one whether it was set (nullopt = JSON null = clear it).
struct ProjectPatch {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<std::string> address;
  std::optional<std::string> client;
  std::optional<std::string> start_date;
  std::optional<std::optional<std::string>> end_date;
  std::optional<std::optional<int64_t>> budget_minor;
  std::optional<std::string> currency;
  std::optional<std::string> status;
};

// Checks the stored version before a change (the HTTP adapter compares it with If-Match).
using VersionCheck = std::function<Result<void>(int64_t current_version)>;

// A project as one caller may see it: the budget only for those the policy lets read it.
struct ProjectView {
  domain::Project project;
  bool budget_visible = false;
};

class Projects {
 public:
  Projects(db::Database& db, ProjectStore& store, ParticipantStore& participants,
           const Clock& clock = SystemClock::instance());

  // A new draft project, whose creator (a user) becomes its first manager. kForbidden for guests,
  // kInvalid for bad fields, kConflict when the organisation already has a project with this code.
  Result<ProjectView> create(const Principal& caller, const NewProject& cmd);
  // kNotFound for an id of another organisation, as for one that does not exist or that the
  // caller may not see (a guest's view of a project they take no part in).
  Result<ProjectView> get(const Principal& caller, const std::string& id);
  // Applies `patch` when `check` accepts the current version; bumps the version. Needs the
  // project.update permission, and budget.write to change the budget (kForbidden). A status
  // change must be a legal transition (kConflict listing the allowed ones); an archived project
  // is read-only (kConflict).
  Result<ProjectView> update(const Principal& caller, const std::string& id,
                             const ProjectPatch& patch, const VersionCheck& check);
  // The projects the caller may see: all of the organisation's for its staff, only those they
  // take part in for guests.
  Result<std::vector<ProjectView>> list(const Principal& caller, ProjectFilter filter);
  // Hides the project from lists (unless asked for archived ones). Archiving twice is fine.
  Result<ProjectView> archive(const Principal& caller, const std::string& id);

 private:
  db::Database& db_;
  ProjectStore& store_;
  ParticipantStore& participants_;
  const Clock& clock_;
};

}  // namespace atelier::projects::app
