#include "documents/app/projections.hpp"

#include <boost/json.hpp>

namespace atelier::documents::app {

namespace json = boost::json;

namespace {

constexpr std::string_view kProjectCreated = "projects.ProjectCreated.v1";
constexpr std::string_view kParticipantAdded = "projects.ParticipantAdded.v1";
constexpr std::string_view kParticipantUpdated = "projects.ParticipantUpdated.v1";
constexpr std::string_view kParticipantRemoved = "projects.ParticipantRemoved.v1";

Error malformed(const events::CloudEvent& event, std::string_view what) {
  return Error::invalid("event " + event.id + " (" + event.type + "): " + std::string(what));
}

std::optional<std::string> string_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return std::string(v->as_string());
}

}  // namespace

std::vector<std::string> Projections::event_types() {
  return {std::string(kProjectCreated), std::string(kParticipantAdded),
          std::string(kParticipantUpdated), std::string(kParticipantRemoved)};
}

Result<void> Projections::apply(db::Transaction& tx, const events::CloudEvent& event) {
  if (event.org_id.empty()) {
    return malformed(event, "no organisation (orgid)");
  }
  boost::system::error_code ec;
  const auto parsed = json::parse(event.data, ec);
  if (ec || !parsed.is_object()) {
    return malformed(event, "data is not a JSON object");
  }
  const json::object& data = parsed.as_object();
  const std::string& org = event.org_id;

  if (event.type == kProjectCreated) {
    const auto id = string_of(data, "id");
    if (!id || id->empty()) {
      return malformed(event, "expected a project with an id");
    }
    if (auto data_org = string_of(data, "org_id"); data_org && *data_org != org) {
      return malformed(event, "the project's org_id is not the event's organisation");
    }
    const auto created_by = string_of(data, "created_by");
    if (auto r = store_.upsert_project(tx, org, *id, created_by); !r) {
      return r;
    }
    if (created_by) {
      return store_.upsert_role(tx, org, *id, std::string(kCreatorParticipant), created_by,
                                auth::ProjectRole::kManager);
    }
    return {};
  }
  const auto project_id = string_of(data, "project_id");
  const auto participant_id = string_of(data, "participant_id");
  if (!project_id || !participant_id || participant_id->empty() ||
      *participant_id == kCreatorParticipant) {
    return malformed(event, "expected project_id and participant_id");
  }
  if (event.type == kParticipantRemoved) {
    return store_.remove_role(tx, org, *project_id, *participant_id);
  }
  if (event.type != kParticipantAdded && event.type != kParticipantUpdated) {
    return {};  // not ours
  }
  const auto role_name = string_of(data, "role");
  const auto role = role_name ? auth::parse_project_role(*role_name) : std::nullopt;
  if (!role) {
    return malformed(event, "expected a role");
  }
  const auto user_id = string_of(data, "user_id");
  if (auto r = store_.upsert_role(tx, org, *project_id, *participant_id, user_id, *role); !r) {
    return r;
  }
  if (user_id) {
    // The projects service now speaks for this user: its word replaces the creator's row.
    return store_.remove_creator_role(tx, org, *project_id, *user_id);
  }
  return {};
}

}  // namespace atelier::documents::app
