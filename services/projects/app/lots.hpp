// The lots use cases: a project's work packages by trade. Whoever sees the project sees its lots
// (their budgets only with budget.read); those who may update the project change them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "projects/app/projects.hpp"
#include "projects/app/store.hpp"

namespace atelier::projects::app {

struct NewLot {
  std::string code;
  std::string name;
  std::optional<std::string> trade;
  std::optional<int64_t> budget_minor;
  std::optional<std::string> currency;  // the project's when absent
  std::optional<int64_t> position;      // after the last lot when absent
};

// A merge patch, as ProjectPatch.
struct LotPatch {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> trade;
  std::optional<std::optional<int64_t>> budget_minor;
  std::optional<std::string> currency;
  std::optional<int64_t> position;
};

// A lot as one caller may see it, as ProjectView.
struct LotView {
  domain::Lot lot;
  bool budget_visible = false;
};

class Lots {
 public:
  Lots(db::Database& db, ProjectStore& projects, ParticipantStore& participants, LotStore& store,
       MilestoneStore& milestones, const Clock& clock = SystemClock::instance());

  // kInvalid for bad fields, kConflict for a code the project has already or an archived
  // project; kForbidden without project.update (and budget.write for a budget). Every change
  // emits its event in its transaction: projects.LotCreated.v1, LotUpdated.v1, LotDeleted.v1.
  Result<LotView> create(const Principal& caller, const std::string& project_id, const NewLot& cmd);
  Result<LotView> get(const Principal& caller, const std::string& project_id,
                      const std::string& id);
  Result<std::vector<LotView>> list(const Principal& caller, const std::string& project_id,
                                    const PageQuery& page);
  Result<LotView> update(const Principal& caller, const std::string& project_id,
                         const std::string& id, const LotPatch& patch, const VersionCheck& check);
  // The project's milestones tied to the lot stay, untied from it.
  Result<void> remove(const Principal& caller, const std::string& project_id, const std::string& id,
                      const VersionCheck& check);

 private:
  db::Database& db_;
  ProjectStore& projects_;
  ParticipantStore& participants_;
  LotStore& store_;
  MilestoneStore& milestones_;
  const Clock& clock_;
};

}  // namespace atelier::projects::app
