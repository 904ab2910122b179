// The projects use cases: create, read, change (JSON Merge Patch semantics, status through the
// state machine), list and archive. The organisation always comes from the caller's credentials;
// guests read but never write.
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

class Projects {
 public:
  Projects(db::Database& db, ProjectStore& store, const Clock& clock = SystemClock::instance());

  // A new draft project. kForbidden for guests, kInvalid for bad fields, kConflict when the
  // organisation already has a project with this code.
  Result<domain::Project> create(const Principal& caller, const NewProject& cmd);
  // kNotFound for an id of another organisation, as for one that does not exist.
  Result<domain::Project> get(const Principal& caller, const std::string& id);
  // Applies `patch` when `check` accepts the current version; bumps the version. A status change
  // must be a legal transition (kConflict listing the allowed ones); an archived project is
  // read-only (kConflict).
  Result<domain::Project> update(const Principal& caller, const std::string& id,
                                 const ProjectPatch& patch, const VersionCheck& check);
  Result<std::vector<domain::Project>> list(const Principal& caller, const ProjectFilter& filter);
  // Hides the project from lists (unless asked for archived ones). Archiving twice is fine.
  Result<domain::Project> archive(const Principal& caller, const std::string& id);

 private:
  Result<domain::Project> find(db::Transaction& tx, const Principal& caller, const std::string& id);

  db::Database& db_;
  ProjectStore& store_;
  const Clock& clock_;
};

// Owners, admins and members change projects; guests (and any other role) only read.
bool may_write(const Principal& caller);

}  // namespace atelier::projects::app
