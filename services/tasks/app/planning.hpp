// The planning use cases: tasks (with their Kanban place and checklist), links between them, and
// the project's working calendar. Every change bumps the plan's input_version in its transaction
// and, once committed, is reported through `changed` (the scheduler recomputes, the outbox relay
// publishes). Every call is authorised by the project access policy (libs/auth): a project this
// service has not heard of is not found, as is one of another organisation.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atelier/auth/policy.hpp"
#include "atelier/core/clock.hpp"
#include "atelier/core/principal.hpp"
#include "tasks/app/store.hpp"

namespace atelier::tasks::app {

struct NewChecklistItem {
  std::string text;
  bool done = false;
};

struct NewTask {
  std::string name;
  std::string description;
  int duration_days = 0;
  std::optional<std::string> lot_id;
  std::vector<std::string> assignees;
  std::optional<domain::Constraint> constraint;
  std::vector<NewChecklistItem> checklist;
};

// A merge patch of a task: an empty outer optional keeps the field; for clearable fields the
// inner nullopt clears it.
struct TaskPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<int> duration_days;
  std::optional<std::optional<std::string>> lot_id;
  std::optional<std::vector<std::string>> assignees;
  std::optional<std::optional<domain::Constraint>> constraint;
  std::optional<int> progress_percent;
  std::optional<std::optional<Date>> actual_start;
  std::optional<std::optional<Date>> actual_finish;
};

// A move on the board: to a column, placed just before or just after another task of that
// column (at its end when neither is given).
struct StatusMove {
  TaskStatus to = TaskStatus::kTodo;
  std::optional<std::string> before_id;
  std::optional<std::string> after_id;
};

struct ChecklistPatch {
  std::optional<std::string> text;
  std::optional<bool> done;
};

struct NewLink {
  std::string from;
  std::string to;
  domain::LinkType type = domain::LinkType::kFinishToStart;
  int lag_days = 0;
};

struct BoardColumn {
  TaskStatus status = TaskStatus::kTodo;
  std::vector<Task> tasks;  // in board order
};

// Checks the stored version before a change (the HTTP adapter compares it with If-Match).
using VersionCheck = std::function<Result<void>(int64_t current_version)>;
// Told after a commit that changed a plan's schedule input.
using PlanChanged = std::function<void(const PlanRef&)>;

class Planning {
 public:
  Planning(db::Database& db, PlanStore& store, auth::Authorizer& authorizer, const Clock& clock,
           PlanChanged changed);

  // The task goes to the end of the "todo" column. Emits tasks.TaskCreated.v1. A lot_id names
  // one of the project's lots, as the projects service's lot events made them known (kInvalid on
  // lot_id otherwise); so does a patch that changes it.
  Result<Task> create_task(const Principal& caller, const std::string& project_id,
                           const NewTask& cmd);
  Result<std::vector<Task>> list_tasks(const Principal& caller, const std::string& project_id,
                                       const TaskFilter& filter);
  Result<Task> get_task(const Principal& caller, const std::string& id);
  Result<Task> update_task(const Principal& caller, const std::string& id, const TaskPatch& patch,
                           const VersionCheck& check);
  // Deletes the task and its links. Returns what was deleted.
  Result<Task> delete_task(const Principal& caller, const std::string& id,
                           const VersionCheck& check);
  // Moves a task on the board, renumbering the target column (O(column)). Entering in_progress
  // sets the actual start (today) when unset; entering done sets the actual finish, the actual
  // start when unset, and progress 100; leaving done clears the actual finish. Emits
  // tasks.TaskStatusChanged.v1 when the status changes.
  Result<Task> move_task(const Principal& caller, const std::string& id, const StatusMove& move,
                         const VersionCheck& check);

  Result<Task> add_checklist_item(const Principal& caller, const std::string& task_id,
                                  const NewChecklistItem& item);
  Result<Task> update_checklist_item(const Principal& caller, const std::string& task_id,
                                     const std::string& item_id, const ChecklistPatch& patch);
  Result<Task> remove_checklist_item(const Principal& caller, const std::string& task_id,
                                     const std::string& item_id);

  // The four Kanban columns, in order todo, in_progress, blocked, done.
  Result<std::vector<BoardColumn>> board(const Principal& caller, const std::string& project_id);

  // kInvalid for a self-link, a duplicate, a task of another project, or a link closing a cycle
  // ("links form a cycle: Fondations → Murs → Fondations").
  Result<TaskLink> create_link(const Principal& caller, const std::string& project_id,
                               const NewLink& cmd);
  Result<std::vector<TaskLink>> links(const Principal& caller, const std::string& project_id);
  Result<TaskLink> delete_link(const Principal& caller, const std::string& id);

  Result<Plan> calendar(const Principal& caller, const std::string& project_id);
  Result<Plan> set_calendar(const Principal& caller, const std::string& project_id,
                            const CalendarSettings& settings, const VersionCheck& check);

  // Not found for an unknown project (or one of another organisation), then the policy.
  Result<void> allow(const Principal& caller, auth::ProjectAction action,
                     const std::string& project_id);

 private:
  // The task and the project it belongs to, once the caller may do `action` on it.
  Result<Task> task_for(const Principal& caller, const std::string& id, auth::ProjectAction action);
  // Runs `change` on the stored task in a write transaction, saves it with a bumped version and
  // the plan's input bumped, and reports the change.
  Result<Task> change_task(const Principal& caller, const std::string& id,
                           const VersionCheck& check,
                           const std::function<Result<void>(db::Transaction&, Task&)>& change);
  void report(const PlanRef& ref) const;

  db::Database& db_;
  PlanStore& store_;
  auth::Authorizer& authorizer_;
  const Clock& clock_;
  PlanChanged changed_;
};

// The Authorizer the service uses: the libs/auth policy over the project roles this service
// keeps (project_roles), read in a transaction of its own.
std::unique_ptr<auth::Authorizer> make_authorizer(db::Database& db, PlanStore& store);

// Task validation shared by creation and patches: field errors named as in the API.
Result<void> validate(const Task& task);

}  // namespace atelier::tasks::app
