// The JSON shape of a project, shared by the HTTP API and the events' data (one contract).
#pragma once

#include <boost/json/object.hpp>

#include "projects/domain/project.hpp"

namespace atelier::projects::app {

// `with_budget` false leaves budget_minor out, for a caller who may not see the budget.
boost::json::object project_json(const domain::Project& project, bool with_budget = true);

}  // namespace atelier::projects::app
