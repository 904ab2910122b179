// What the tasks service learns from the projects service, through its events: a plan with its
// default working calendar per project, who holds which role on it, and its lots (the lot_id a
// task may name). Applied by an idempotent
// consumer (events::Consumer), inside the transaction that records the event as handled.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/events/cloud_event.hpp"
#include "tasks/app/store.hpp"

namespace atelier::tasks::app {

// The participant id under which a project's creator holds the manager role until the projects
// service says anything about that user on that project.
inline constexpr std::string_view kCreatorParticipant = "creator";

class Projections {
 public:
  Projections(PlanStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The event types this projection consumes.
  static std::vector<std::string> event_types();

  // Applies `event` in `tx`. Returns the plan whose schedule input it changed, if any. Malformed
  // data is kInvalid: the consumer retries, then parks the event in its dead-letter table.
  Result<std::optional<PlanRef>> apply(db::Transaction& tx, const events::CloudEvent& event);

 private:
  Result<std::optional<PlanRef>> project_saved(db::Transaction& tx, const events::CloudEvent& event,
                                               bool created);
  Result<std::optional<PlanRef>> participant_saved(db::Transaction& tx,
                                                   const events::CloudEvent& event);
  Result<std::optional<PlanRef>> participant_removed(db::Transaction& tx,
                                                     const events::CloudEvent& event);
  Result<std::optional<PlanRef>> lot_saved(db::Transaction& tx, const events::CloudEvent& event);
  Result<std::optional<PlanRef>> lot_deleted(db::Transaction& tx, const events::CloudEvent& event);

  PlanStore& store_;
  const Clock& clock_;
};

}  // namespace atelier::tasks::app
