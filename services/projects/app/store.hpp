// The projects service's storage port. Every method runs inside the caller's transaction and
// takes the organisation, so a row of another organisation is simply not found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"
#include "projects/domain/project.hpp"

namespace atelier::projects::app {

struct ProjectFilter {
  std::string after_id;  // the cursor: "" for the first page
  int limit = 50;
  std::optional<domain::Status> status;
  std::string q;          // case-insensitive substring of the name or the code; "" for any
  bool archived = false;  // include archived projects (left out by default)
};

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;
  using Tx = db::Transaction;

  // kConflict when the organisation has a project with this code already.
  virtual Result<void> insert(Tx& tx, const domain::Project& project) = 0;
  virtual Result<std::optional<domain::Project>> find(Tx& tx, const std::string& org_id,
                                                      const std::string& id) = 0;
  // Writes every field of `project` (its version already bumped) while the stored version is
  // still `expected_version` (a compare-and-set); false when someone else changed it first.
  virtual Result<bool> update(Tx& tx, const domain::Project& project, int64_t expected_version) = 0;
  // Ordered by id.
  virtual Result<std::vector<domain::Project>> list(Tx& tx, const std::string& org_id,
                                                    const ProjectFilter& filter) = 0;
};

}  // namespace atelier::projects::app
