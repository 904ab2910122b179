// The milestones use cases: the dates a project must meet. Whoever sees the project sees its
// milestones; those who may update the project change them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "projects/app/projects.hpp"
#include "projects/app/store.hpp"

namespace atelier::projects::app {

struct NewMilestone {
  std::string name;
  std::string description;
  std::string due_date;
  std::optional<std::string> lot_id;
  std::optional<std::string> reached_on;
};

// A merge patch, as ProjectPatch.
struct MilestonePatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> due_date;
  std::optional<std::optional<std::string>> lot_id;
  std::optional<std::optional<std::string>> reached_on;
};

class Milestones {
 public:
  Milestones(db::Database& db, ProjectStore& projects, ParticipantStore& participants,
             LotStore& lots, MilestoneStore& store, const Clock& clock = SystemClock::instance());

  // kInvalid for bad fields (a due date outside the project's dates, a lot of another project),
  // kConflict for an archived project; kForbidden without project.update.
  Result<domain::Milestone> create(const Principal& caller, const std::string& project_id,
                                   const NewMilestone& cmd);
  Result<domain::Milestone> get(const Principal& caller, const std::string& project_id,
                                const std::string& id);
  Result<std::vector<domain::Milestone>> list(const Principal& caller,
                                              const std::string& project_id, const PageQuery& page);
  Result<domain::Milestone> update(const Principal& caller, const std::string& project_id,
                                   const std::string& id, const MilestonePatch& patch,
                                   const VersionCheck& check);
  Result<void> remove(const Principal& caller, const std::string& project_id, const std::string& id,
                      const VersionCheck& check);

 private:
  // The domain's rules and, when the milestone names a lot, that the lot is one of the project's.
  Result<void> check(db::Transaction& tx, const domain::Milestone& milestone,
                     const domain::Project& project);

  db::Database& db_;
  ProjectStore& projects_;
  ParticipantStore& participants_;
  LotStore& lots_;
  MilestoneStore& store_;
  const Clock& clock_;
};

}  // namespace atelier::projects::app
