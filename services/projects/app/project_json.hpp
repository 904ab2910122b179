// The JSON shape of a project, shared by the HTTP API and the events' data (one contract).
#pragma once

#include <boost/json/object.hpp>

#include "projects/domain/project.hpp"

namespace atelier::projects::app {

boost::json::object project_json(const domain::Project& project);

}  // namespace atelier::projects::app
