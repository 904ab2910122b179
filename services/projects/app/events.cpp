#include "projects/app/events.hpp"

#include <boost/json.hpp>

#include "atelier/events/outbox.hpp"
#include "projects/app/project_json.hpp"

namespace atelier::projects::app {

namespace {

namespace json = boost::json;

constexpr std::string_view kSource = "/services/projects";

// Every event is about a project: its id is the subject, its organisation the tenant.
Result<void> append(db::Transaction& tx, const Clock& clock, std::string_view type,
                    const std::string& project_id, const std::string& org_id,
                    const json::object& data) {
  return events::append(
      tx, events::CloudEvent::make(std::string(kSource), std::string(type), project_id, org_id,
                                   json::serialize(data), clock));
}

json::value opt(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

}  // namespace

Result<void> emit_project_created(db::Transaction& tx, const Clock& clock, const domain::Project& p,
                                  const std::optional<std::string>& created_by) {
  json::object data = project_json(p);
  data["created_by"] = opt(created_by);
  return append(tx, clock, "projects.ProjectCreated.v1", p.id, p.org_id, data);
}

Result<void> emit_project(db::Transaction& tx, const Clock& clock, std::string_view type,
                          const domain::Project& p) {
  return append(tx, clock, type, p.id, p.org_id, project_json(p));
}

Result<void> emit_participant(db::Transaction& tx, const Clock& clock, std::string_view type,
                              const domain::Participant& p) {
  const json::object data{
      {"project_id", p.project_id},
      {"participant_id", p.id},
      {"kind", domain::kind_name(p.kind)},
      {"user_id", opt(p.user_id)},
      {"company", p.company ? json::value(p.company->name) : json::value(nullptr)},
      {"role", auth::project_role_name(p.role)},
      {"trade", opt(p.trade)}};
  return append(tx, clock, type, p.project_id, p.org_id, data);
}

Result<void> emit_participant_removed(db::Transaction& tx, const Clock& clock,
                                      const domain::Participant& p) {
  const json::object data{
      {"project_id", p.project_id}, {"participant_id", p.id}, {"user_id", opt(p.user_id)}};
  return append(tx, clock, "projects.ParticipantRemoved.v1", p.project_id, p.org_id, data);
}

Result<void> emit_lot(db::Transaction& tx, const Clock& clock, std::string_view type,
                      const domain::Lot& lot) {
  const json::object data{{"project_id", lot.project_id},
                          {"lot_id", lot.id},
                          {"code", lot.code},
                          {"name", lot.name},
                          {"trade", opt(lot.trade)},
                          {"position", lot.position}};
  return append(tx, clock, type, lot.project_id, lot.org_id, data);
}

Result<void> emit_lot_deleted(db::Transaction& tx, const Clock& clock, const domain::Lot& lot) {
  const json::object data{{"project_id", lot.project_id}, {"lot_id", lot.id}, {"code", lot.code}};
  return append(tx, clock, "projects.LotDeleted.v1", lot.project_id, lot.org_id, data);
}

}  // namespace atelier::projects::app
