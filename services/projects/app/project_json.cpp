#include "projects/app/project_json.hpp"

#include <boost/json.hpp>

namespace atelier::projects::app {

boost::json::object project_json(const domain::Project& p, bool with_budget) {
  namespace json = boost::json;
  json::object o{
      {"id", p.id},
      {"org_id", p.org_id},
      {"code", p.code},
      {"name", p.name},
      {"address", p.address},
      {"client", p.client},
      {"start_date", p.start_date},
      {"end_date", p.end_date ? json::value(*p.end_date) : json::value(nullptr)},
      {"budget_minor", p.budget_minor ? json::value(*p.budget_minor) : json::value(nullptr)},
      {"currency", p.currency},
      {"status", domain::status_name(p.status)},
      {"version", p.version},
      {"created_at", format_rfc3339(p.created_at)},
      {"updated_at", format_rfc3339(p.updated_at)},
      {"archived_at",
       p.archived_at ? json::value(format_rfc3339(*p.archived_at)) : json::value(nullptr)}};
  if (!with_budget) {
    o.erase("budget_minor");
  }
  return o;
}

}  // namespace atelier::projects::app
