// The events the projects service writes to its outbox, in the transaction of the change. Their
// data are contracts (contracts/events/projects.*.json) that other services consume: the tasks
// service keeps its copy of project roles from the participant events, and of the project's lots
// from the lot events.
#pragma once

#include <optional>
#include <string>

#include "atelier/core/clock.hpp"
#include "atelier/db/database.hpp"
#include "projects/domain/lot.hpp"
#include "projects/domain/participant.hpp"
#include "projects/domain/project.hpp"

namespace atelier::projects::app {

// projects.ProjectCreated.v1: the project, and who created it (a user id, or null for an API key).
Result<void> emit_project_created(db::Transaction& tx, const Clock& clock,
                                  const domain::Project& project,
                                  const std::optional<std::string>& created_by);
// projects.ProjectUpdated.v1 and projects.ProjectArchived.v1: the project.
Result<void> emit_project(db::Transaction& tx, const Clock& clock, std::string_view type,
                          const domain::Project& project);

// projects.ParticipantAdded.v1 and projects.ParticipantUpdated.v1: {project_id, participant_id,
// kind, user_id, company (its name), role, trade}.
Result<void> emit_participant(db::Transaction& tx, const Clock& clock, std::string_view type,
                              const domain::Participant& participant);
// projects.ParticipantRemoved.v1: {project_id, participant_id, user_id}.
Result<void> emit_participant_removed(db::Transaction& tx, const Clock& clock,
                                      const domain::Participant& participant);

// projects.LotCreated.v1 and projects.LotUpdated.v1: {project_id, lot_id, code, name, trade,
// position}. No budget: it is for those with budget.read, and consumers plan by lot, not by cost.
Result<void> emit_lot(db::Transaction& tx, const Clock& clock, std::string_view type,
                      const domain::Lot& lot);
// projects.LotDeleted.v1: {project_id, lot_id, code}.
Result<void> emit_lot_deleted(db::Transaction& tx, const Clock& clock, const domain::Lot& lot);

}  // namespace atelier::projects::app
