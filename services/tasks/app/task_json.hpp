// The JSON shapes of the tasks service, shared by the HTTP API and the events' data.
#pragma once

#include <boost/json/object.hpp>

#include "tasks/app/model.hpp"

namespace atelier::tasks::app {

boost::json::object task_json(const Task& task);
boost::json::object link_json(const TaskLink& link);
// {working_weekdays, holiday_region, exceptions, version}
boost::json::object calendar_json(const Plan& plan);
// Without its per-task dates unless `with_tasks`.
boost::json::object baseline_json(const Baseline& baseline, bool active, bool with_tasks);

}  // namespace atelier::tasks::app
