// The participants use cases: who takes part in a project and with which role. Managers (and the
// organisation's owners and admins) add, change and remove them; whoever sees the project sees
// them. A project always keeps at least one manager.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "projects/app/projects.hpp"
#include "projects/app/store.hpp"

namespace atelier::projects::app {

// Either a user of the organisation or a company.
struct NewParticipant {
  std::optional<std::string> user_id;
  std::optional<domain::Company> company;
  std::string role;  // manager | contributor | viewer
  std::optional<std::string> trade;
};

// A merge patch, as ProjectPatch.
struct ParticipantPatch {
  std::optional<std::string> role;
  std::optional<std::optional<std::string>> trade;
};

class Participants {
 public:
  Participants(db::Database& db, ProjectStore& projects, ParticipantStore& store,
               const Clock& clock = SystemClock::instance());

  // kInvalid for bad fields, kConflict when the user takes part already or the project is
  // archived; kForbidden without project.manage_participants.
  Result<domain::Participant> add(const Principal& caller, const std::string& project_id,
                                  const NewParticipant& cmd);
  Result<domain::Participant> get(const Principal& caller, const std::string& project_id,
                                  const std::string& id);
  Result<std::vector<domain::Participant>> list(const Principal& caller,
                                                const std::string& project_id,
                                                const PageQuery& page);
  // kConflict when it would demote the project's last manager. `check` may be empty.
  Result<domain::Participant> update(const Principal& caller, const std::string& project_id,
                                     const std::string& id, const ParticipantPatch& patch,
                                     const VersionCheck& check);
  // kConflict when it would remove the project's last manager. `check` may be empty.
  Result<void> remove(const Principal& caller, const std::string& project_id, const std::string& id,
                      const VersionCheck& check);

 private:
  db::Database& db_;
  ProjectStore& projects_;
  ParticipantStore& store_;
  const Clock& clock_;
};

}  // namespace atelier::projects::app
