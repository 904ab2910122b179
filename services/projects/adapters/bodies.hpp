// The JSON bodies of the participants, lots and milestones routes: requests read into commands
// (every bad member reported at once as a 422 field error) and resources written out.
#pragma once

#include <boost/json/object.hpp>

#include "projects/app/lots.hpp"
#include "projects/app/milestones.hpp"
#include "projects/app/participants.hpp"

namespace atelier::projects::adapters {

Result<app::NewParticipant> new_participant_of(const boost::json::object& body);
Result<app::ParticipantPatch> participant_patch_of(const boost::json::object& body);
Result<app::NewLot> new_lot_of(const boost::json::object& body);
Result<app::LotPatch> lot_patch_of(const boost::json::object& body);
Result<app::NewMilestone> new_milestone_of(const boost::json::object& body);
Result<app::MilestonePatch> milestone_patch_of(const boost::json::object& body);

boost::json::object participant_json(const domain::Participant& participant);
// Without budget_minor when `with_budget` is false.
boost::json::object lot_json(const domain::Lot& lot, bool with_budget);
boost::json::object milestone_json(const domain::Milestone& milestone);

}  // namespace atelier::projects::adapters
