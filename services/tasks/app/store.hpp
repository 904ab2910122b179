// The tasks service's storage port. Every method runs inside the caller's transaction and takes
// the organisation, so that a row of another organisation is simply not found.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atelier/auth/policy.hpp"
#include "atelier/db/database.hpp"
#include "tasks/app/model.hpp"

namespace atelier::tasks::app {

struct TaskFilter {
  std::string after_id;  // the cursor: "" for the first page
  int limit = 50;
  std::optional<TaskStatus> status;
  std::optional<std::string> lot_id;
  std::optional<std::string> assignee;
};

// A plan whose schedule is behind its input, found by the scheduler's start-up scan.
struct PlanRef {
  std::string org_id;
  std::string project_id;
  auto operator<=>(const PlanRef&) const = default;
};

class PlanStore {
 public:
  virtual ~PlanStore() = default;
  using Tx = db::Transaction;

  // Plans (projections of projects). upsert_plan keeps the calendar, input_version and baseline
  // of an existing plan and writes the rest.
  virtual Result<void> insert_plan(Tx& tx, const Plan& plan) = 0;
  virtual Result<void> update_plan(Tx& tx, const Plan& plan) = 0;
  virtual Result<std::optional<Plan>> find_plan(Tx& tx, const std::string& org_id,
                                                const std::string& project_id) = 0;
  // Bumps input_version; returns the new one.
  virtual Result<int64_t> bump_input_version(Tx& tx, const std::string& org_id,
                                             const std::string& project_id) = 0;
  // Every plan, of any organisation, whose schedule is missing or older than its input.
  // Runs in a cross-tenant transaction.
  virtual Result<std::vector<PlanRef>> plans_behind(Tx& tx) = 0;

  // Project roles (projections of participants).
  virtual Result<void> upsert_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                                   const std::string& participant_id,
                                   const std::optional<std::string>& user_id,
                                   auth::ProjectRole role) = 0;
  virtual Result<void> remove_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                                   const std::string& participant_id) = 0;
  // The highest role `user_id` holds on the project, over all its participant rows.
  virtual Result<std::optional<auth::ProjectRole>> role_of(Tx& tx, const std::string& org_id,
                                                           const std::string& project_id,
                                                           const std::string& user_id) = 0;

  // Lots (projections of the projects service's lots). upsert_lot never moves a lot to another
  // project or organisation: a row of another one stays as it is.
  virtual Result<void> upsert_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                                  const std::string& lot_id, const std::string& code,
                                  const std::string& name) = 0;
  virtual Result<void> remove_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                                  const std::string& lot_id) = 0;
  // Whether the project has this lot.
  virtual Result<bool> has_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                               const std::string& lot_id) = 0;
  // Unties the project's tasks from the lot (lot_id NULL), bumping their versions; returns how
  // many were.
  virtual Result<int64_t> untie_lot(Tx& tx, const std::string& org_id,
                                    const std::string& project_id, const std::string& lot_id,
                                    TimePoint now) = 0;

  // Tasks.
  virtual Result<void> insert_task(Tx& tx, const Task& task) = 0;
  virtual Result<std::optional<Task>> find_task(Tx& tx, const std::string& org_id,
                                                const std::string& id) = 0;
  // A compare-and-set on the version: false when someone else changed it first.
  virtual Result<bool> update_task(Tx& tx, const Task& task, int64_t expected_version) = 0;
  virtual Result<void> delete_task(Tx& tx, const std::string& org_id, const std::string& id) = 0;
  // Ordered by id.
  virtual Result<std::vector<Task>> list_tasks(Tx& tx, const std::string& org_id,
                                               const std::string& project_id,
                                               const TaskFilter& filter) = 0;
  // Every task of the project, ordered by id.
  virtual Result<std::vector<Task>> project_tasks(Tx& tx, const std::string& org_id,
                                                  const std::string& project_id) = 0;
  // The ids of a Kanban column in board order.
  virtual Result<std::vector<std::string>> column(Tx& tx, const std::string& org_id,
                                                  const std::string& project_id,
                                                  TaskStatus status) = 0;
  virtual Result<void> set_rank(Tx& tx, const std::string& org_id, const std::string& id,
                                int64_t rank) = 0;
  // The rank after the last task of a column (0 for an empty one): where a new task goes, found
  // on the column's index without reading the column.
  virtual Result<int64_t> next_rank(Tx& tx, const std::string& org_id,
                                    const std::string& project_id, TaskStatus status) = 0;

  // Links.
  virtual Result<void> insert_link(Tx& tx, const TaskLink& link) = 0;
  virtual Result<std::optional<TaskLink>> find_link(Tx& tx, const std::string& org_id,
                                                    const std::string& id) = 0;
  virtual Result<void> delete_link(Tx& tx, const std::string& org_id, const std::string& id) = 0;
  virtual Result<void> delete_links_of_task(Tx& tx, const std::string& org_id,
                                            const std::string& task_id) = 0;
  // Ordered by id (creation order).
  virtual Result<std::vector<TaskLink>> project_links(Tx& tx, const std::string& org_id,
                                                      const std::string& project_id) = 0;

  // Schedules. save_schedule never replaces a schedule computed from a later input.
  virtual Result<std::optional<StoredSchedule>> find_schedule(Tx& tx, const std::string& org_id,
                                                              const std::string& project_id) = 0;
  virtual Result<void> save_schedule(Tx& tx, const StoredSchedule& schedule) = 0;

  // Baselines, ordered by id (creation order).
  virtual Result<void> insert_baseline(Tx& tx, const Baseline& baseline) = 0;
  virtual Result<std::vector<Baseline>> baselines(Tx& tx, const std::string& org_id,
                                                  const std::string& project_id) = 0;
  virtual Result<void> set_active_baseline(Tx& tx, const std::string& org_id,
                                           const std::string& project_id,
                                           const std::string& baseline_id) = 0;

  // Slips last seen against a baseline, by task id.
  virtual Result<std::map<std::string, int64_t>> slips(Tx& tx, const std::string& org_id,
                                                       const std::string& baseline_id) = 0;
  virtual Result<void> set_slip(Tx& tx, const std::string& org_id, const std::string& project_id,
                                const std::string& baseline_id, const std::string& task_id,
                                int64_t working_days_late) = 0;
};

}  // namespace atelier::tasks::app
