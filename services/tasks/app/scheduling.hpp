// Schedules: computing a project's critical path from its stored plan (the scheduler worker
// calls compute()), comparing it with the active baseline (tasks.TaskDelayed.v1 when a task's
// slip grows), and the read models built on it: the schedule, the Gantt chart, baselines.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <vector>

#include "atelier/auth/policy.hpp"
#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "tasks/app/planning.hpp"
#include "tasks/app/store.hpp"

namespace atelier::tasks::app {

struct BaselineList {
  std::vector<Baseline> baselines;  // oldest first
  std::string active_id;            // "" when there is none
};

class Scheduling {
 public:
  // `changed` is told when a baseline change calls for a recomputation; `events_written` after a
  // computation committed events to the outbox.
  Scheduling(db::Database& db, PlanStore& store, Planning& planning, const Clock& clock,
             PlanChanged changed, std::function<void()> events_written);

  // Computes and stores the schedule of `plan` when it is behind its input. Returns whether a
  // schedule was written. A plan the domain refuses is stored with its error, not returned as
  // one: errors here are the database's.
  Result<bool> compute(const PlanRef& plan);
  // Every plan, of any organisation, whose schedule is behind (the worker's start-up scan).
  Result<std::vector<PlanRef>> plans_behind();

  // {project_id, version, input_version, stale, computed_at, project_finish, tasks,
  //  critical_paths, critical_paths_truncated, warnings}. kInvalid when the stored computation
  // failed.
  Result<boost::json::object> schedule(const Principal& caller, const std::string& project_id);
  Result<boost::json::object> gantt(const Principal& caller, const std::string& project_id);

  // Saves the current schedule's early dates (kConflict when there is none yet).
  Result<Baseline> create_baseline(const Principal& caller, const std::string& project_id,
                                   const std::string& name);
  Result<BaselineList> baselines(const Principal& caller, const std::string& project_id);
  Result<Baseline> activate_baseline(const Principal& caller, const std::string& project_id,
                                     const std::string& baseline_id);
  // The baseline against the current schedule, per task of the project: {project_id,
  // baseline_id, baseline_name, version, input_version, stale, project: {baseline_finish,
  // forecast_finish, finish_slip_days}, tasks: [{task_id, name, baseline_start, baseline_finish,
  // forecast_start, forecast_finish, start_slip_days, finish_slip_days}]}. Slips are signed
  // working days of the plan's calendar (positive: late); a task added since the baseline has
  // null baseline dates and slips; tasks deleted since are left out. Not found for a baseline of
  // another project; kInvalid when the stored computation failed, kConflict before the first.
  Result<boost::json::object> variance(const Principal& caller, const std::string& project_id,
                                       const std::string& baseline_id);

 private:
  db::Database& db_;
  PlanStore& store_;
  Planning& planning_;
  const Clock& clock_;
  PlanChanged changed_;
  std::function<void()> events_written_;
};

}  // namespace atelier::tasks::app
