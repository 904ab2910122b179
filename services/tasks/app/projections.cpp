#include "tasks/app/projections.hpp"

#include <boost/json.hpp>

namespace atelier::tasks::app {

namespace json = boost::json;

namespace {

constexpr std::string_view kProjectCreated = "projects.ProjectCreated.v1";
constexpr std::string_view kProjectUpdated = "projects.ProjectUpdated.v1";
constexpr std::string_view kParticipantAdded = "projects.ParticipantAdded.v1";
constexpr std::string_view kParticipantUpdated = "projects.ParticipantUpdated.v1";
constexpr std::string_view kParticipantRemoved = "projects.ParticipantRemoved.v1";
constexpr std::string_view kLotCreated = "projects.LotCreated.v1";
constexpr std::string_view kLotUpdated = "projects.LotUpdated.v1";
constexpr std::string_view kLotDeleted = "projects.LotDeleted.v1";

Error malformed(const events::CloudEvent& event, std::string_view what) {
  return Error::invalid("event " + event.id + " (" + event.type + "): " + std::string(what));
}

Result<json::object> data_of(const events::CloudEvent& event) {
  boost::system::error_code ec;
  auto v = json::parse(event.data, ec);
  if (ec || !v.is_object()) {
    return malformed(event, "data is not a JSON object");
  }
  return std::move(v.as_object());
}

std::optional<std::string> string_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return std::string(v->as_string());
}

bool is_null_or_absent(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v == nullptr || v->is_null();
}

}  // namespace

std::vector<std::string> Projections::event_types() {
  return {std::string(kProjectCreated),     std::string(kProjectUpdated),
          std::string(kParticipantAdded),   std::string(kParticipantUpdated),
          std::string(kParticipantRemoved), std::string(kLotCreated),
          std::string(kLotUpdated),         std::string(kLotDeleted)};
}

Result<std::optional<PlanRef>> Projections::apply(db::Transaction& tx,
                                                  const events::CloudEvent& event) {
  if (event.org_id.empty()) {
    return malformed(event, "no organisation (orgid)");
  }
  if (event.type == kProjectCreated || event.type == kProjectUpdated) {
    return project_saved(tx, event, event.type == kProjectCreated);
  }
  if (event.type == kParticipantAdded || event.type == kParticipantUpdated) {
    return participant_saved(tx, event);
  }
  if (event.type == kParticipantRemoved) {
    return participant_removed(tx, event);
  }
  if (event.type == kLotCreated || event.type == kLotUpdated) {
    return lot_saved(tx, event);
  }
  if (event.type == kLotDeleted) {
    return lot_deleted(tx, event);
  }
  return std::optional<PlanRef>();  // not ours: nothing to do
}

Result<std::optional<PlanRef>> Projections::project_saved(db::Transaction& tx,
                                                          const events::CloudEvent& event,
                                                          bool created) {
  auto data = data_of(event);
  if (!data) {
    return std::move(data).error();
  }
  const auto id = string_of(*data, "id");
  const auto name = string_of(*data, "name");
  const auto start_text = string_of(*data, "start_date");
  const auto start = start_text ? parse_date(*start_text) : std::nullopt;
  if (!id || id->empty() || !name || !start) {
    return malformed(event, "expected a project with id, name and start_date");
  }
  if (auto org = string_of(*data, "org_id"); org && *org != event.org_id) {
    return malformed(event, "the project's org_id is not the event's organisation");
  }
  std::optional<Date> deadline;
  if (!is_null_or_absent(*data, "end_date")) {
    const auto end_text = string_of(*data, "end_date");
    deadline = end_text ? parse_date(*end_text) : std::nullopt;
    if (!deadline) {
      return malformed(event, "end_date is not a date");
    }
  }
  // Optional: a project's code names its exported files; older events may lack it.
  const auto code = string_of(*data, "code");
  std::optional<std::string> created_by;
  if (!is_null_or_absent(*data, "created_by")) {
    created_by = string_of(*data, "created_by");
  }

  auto found = store_.find_plan(tx, event.org_id, *id);
  if (!found) {
    return std::move(found).error();
  }
  const PlanRef ref{event.org_id, *id};
  if (!found->has_value()) {
    Plan plan;
    plan.org_id = event.org_id;
    plan.project_id = *id;
    plan.name = *name;
    plan.code = code;
    plan.start = *start;
    plan.deadline = deadline;
    plan.created_by = created ? created_by : std::nullopt;
    plan.input_version = 1;
    plan.calendar = CalendarSettings::french_default();
    plan.calendar_version = 1;
    plan.updated_at = clock_.now();
    if (auto r = store_.insert_plan(tx, plan); !r) {
      return std::move(r).error();
    }
    if (plan.created_by) {
      // The creator manages the project until the projects service names its participants.
      if (auto r = store_.upsert_role(tx, event.org_id, *id, std::string(kCreatorParticipant),
                                      plan.created_by, auth::ProjectRole::kManager);
          !r) {
        return std::move(r).error();
      }
    }
    return std::optional<PlanRef>(ref);
  }
  Plan plan = std::move(**found);
  plan.name = *name;
  if (code) {
    plan.code = code;
  }
  plan.start = *start;
  plan.deadline = deadline;
  plan.input_version += 1;
  plan.updated_at = clock_.now();
  if (auto r = store_.update_plan(tx, plan); !r) {
    return std::move(r).error();
  }
  return std::optional<PlanRef>(ref);
}

Result<std::optional<PlanRef>> Projections::participant_saved(db::Transaction& tx,
                                                              const events::CloudEvent& event) {
  auto data = data_of(event);
  if (!data) {
    return std::move(data).error();
  }
  const auto project_id = string_of(*data, "project_id");
  const auto participant_id = string_of(*data, "participant_id");
  const auto role_name = string_of(*data, "role");
  const auto role = role_name ? auth::parse_project_role(*role_name) : std::nullopt;
  if (!project_id || !participant_id || participant_id->empty() || !role) {
    return malformed(event, "expected project_id, participant_id and a role");
  }
  if (*participant_id == kCreatorParticipant) {
    return malformed(event, "participant_id is reserved");
  }
  std::optional<std::string> user_id;
  if (!is_null_or_absent(*data, "user_id")) {
    user_id = string_of(*data, "user_id");
    if (!user_id) {
      return malformed(event, "user_id is not a string");
    }
  }
  if (auto r = store_.upsert_role(tx, event.org_id, *project_id, *participant_id, user_id, *role);
      !r) {
    return std::move(r).error();
  }
  if (user_id) {
    // The projects service now speaks for this user: its word replaces the creator's row.
    auto plan = store_.find_plan(tx, event.org_id, *project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    if (plan->has_value() && (*plan)->created_by == user_id) {
      if (auto r =
              store_.remove_role(tx, event.org_id, *project_id, std::string(kCreatorParticipant));
          !r) {
        return std::move(r).error();
      }
    }
  }
  return std::optional<PlanRef>();
}

Result<std::optional<PlanRef>> Projections::participant_removed(db::Transaction& tx,
                                                                const events::CloudEvent& event) {
  auto data = data_of(event);
  if (!data) {
    return std::move(data).error();
  }
  const auto project_id = string_of(*data, "project_id");
  const auto participant_id = string_of(*data, "participant_id");
  if (!project_id || !participant_id || *participant_id == kCreatorParticipant) {
    return malformed(event, "expected project_id and participant_id");
  }
  if (auto r = store_.remove_role(tx, event.org_id, *project_id, *participant_id); !r) {
    return std::move(r).error();
  }
  return std::optional<PlanRef>();
}

Result<std::optional<PlanRef>> Projections::lot_saved(db::Transaction& tx,
                                                      const events::CloudEvent& event) {
  auto data = data_of(event);
  if (!data) {
    return std::move(data).error();
  }
  const auto project_id = string_of(*data, "project_id");
  const auto lot_id = string_of(*data, "lot_id");
  const auto code = string_of(*data, "code");
  const auto name = string_of(*data, "name");
  if (!project_id || project_id->empty() || !lot_id || lot_id->empty() || !code || !name) {
    return malformed(event, "expected project_id, lot_id, code and name");
  }
  if (auto r = store_.upsert_lot(tx, event.org_id, *project_id, *lot_id, *code, *name); !r) {
    return std::move(r).error();
  }
  return std::optional<PlanRef>();  // a lot's name moves no date
}

Result<std::optional<PlanRef>> Projections::lot_deleted(db::Transaction& tx,
                                                        const events::CloudEvent& event) {
  auto data = data_of(event);
  if (!data) {
    return std::move(data).error();
  }
  const auto project_id = string_of(*data, "project_id");
  const auto lot_id = string_of(*data, "lot_id");
  if (!project_id || project_id->empty() || !lot_id || lot_id->empty()) {
    return malformed(event, "expected project_id and lot_id");
  }
  if (auto r = store_.remove_lot(tx, event.org_id, *project_id, *lot_id); !r) {
    return std::move(r).error();
  }
  // Its tasks stay, untied from it, as the projects service unties the lot's milestones.
  if (auto r = store_.untie_lot(tx, event.org_id, *project_id, *lot_id, clock_.now()); !r) {
    return std::move(r).error();
  }
  return std::optional<PlanRef>();
}

}  // namespace atelier::tasks::app
