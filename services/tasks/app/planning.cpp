#include "tasks/app/planning.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "atelier/core/uuid.hpp"
#include "atelier/events/outbox.hpp"
#include "tasks/app/task_json.hpp"

namespace atelier::tasks::app {

namespace json = boost::json;
using auth::ProjectAction;

namespace {

constexpr std::string_view kSource = "/services/tasks";
constexpr size_t kMaxName = 200;
constexpr size_t kMaxDescription = 10'000;
constexpr int kMaxDuration = 10'000;  // working days, as the scheduler bounds them
constexpr int kMaxLag = 10'000;
constexpr size_t kMaxAssignees = 50;
constexpr size_t kMaxChecklist = 200;
constexpr size_t kMaxChecklistText = 500;
constexpr size_t kMaxExceptions = 1'000;
constexpr size_t kMaxReason = 200;

db::TxOptions read_in(const Principal& caller) {
  return db::TxOptions{.mode = db::TxMode::kRead, .org_id = caller.org_id};
}

db::TxOptions write_in(const Principal& caller) {
  return db::TxOptions{.mode = db::TxMode::kWrite, .org_id = caller.org_id};
}

Error no_such_task() {
  return Error::not_found("No task with this id in your organisation.");
}

Error no_such_project() {
  return Error::not_found("No project with this id in your organisation.");
}

Error changed_meanwhile() {
  return Error{ErrorCode::kPreconditionFailed,
               "This task changed meanwhile: reload it and try again.",
               {},
               {}};
}

Result<void> emit(db::Transaction& tx, const Clock& clock, std::string_view type,
                  const std::string& subject, const std::string& org_id, const json::object& data) {
  return events::append(
      tx, events::CloudEvent::make(std::string(kSource), std::string(type), subject, org_id,
                                   json::serialize(data), clock));
}

Date today(const Clock& clock) {
  return std::chrono::floor<std::chrono::days>(clock.now());
}

// An id of a user or a lot as other services make them: short, and no character that means
// something to a LIKE pattern or a JSON string.
bool is_plain_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_';
  });
}

// kInvalid on `lot_id` unless the lot is one of the project's, as the projects service's lot
// events made it known: a lot of another project, or of another organisation, is unknown here.
Result<void> check_lot(db::Transaction& tx, PlanStore& store, const std::string& org_id,
                       const std::string& project_id, const std::optional<std::string>& lot_id) {
  if (!lot_id) {
    return {};
  }
  auto known = store.has_lot(tx, org_id, project_id, *lot_id);
  if (!known) {
    return std::move(known).error();
  }
  if (!*known) {
    return Error::invalid("No lot with this id in this project.",
                          {{"lot_id", "A lot of this project, or null."}});
  }
  return {};
}

void validate_checklist_text(const std::string& text, const std::string& field,
                             std::vector<FieldError>& errors) {
  if (text.empty() || text.size() > kMaxChecklistText) {
    errors.push_back({field, "Between 1 and 500 characters."});
  }
}

}  // namespace

Result<void> validate(const Task& t) {
  std::vector<FieldError> errors;
  if (t.name.empty() || t.name.size() > kMaxName) {
    errors.push_back({"name", "Between 1 and 200 characters."});
  }
  if (t.description.size() > kMaxDescription) {
    errors.push_back({"description", "At most 10000 characters."});
  }
  if (t.duration_days < 0 || t.duration_days > kMaxDuration) {
    errors.push_back({"duration_days", "Working days from 0 (a milestone) to 10000."});
  }
  if (t.lot_id && !Uuid::parse(*t.lot_id)) {
    errors.push_back({"lot_id", "A lot id (UUID), or null."});
  }
  if (t.assignees.size() > kMaxAssignees) {
    errors.push_back({"assignees", "At most 50 assignees."});
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < t.assignees.size(); ++i) {
    if (!is_plain_id(t.assignees[i]) || !seen.insert(t.assignees[i]).second) {
      errors.push_back({"assignees[" + std::to_string(i) + "]", "A user id, listed once."});
    }
  }
  if (t.progress_percent < 0 || t.progress_percent > 100) {
    errors.push_back({"progress_percent", "From 0 to 100."});
  }
  if (t.actual_finish && !t.actual_start) {
    errors.push_back({"actual_finish", "A task finishes only once started: set actual_start."});
  } else if (t.actual_finish && *t.actual_finish < *t.actual_start) {
    errors.push_back({"actual_finish", "Not before actual_start."});
  }
  if (t.checklist.size() > kMaxChecklist) {
    errors.push_back({"checklist", "At most 200 items."});
  }
  for (size_t i = 0; i < t.checklist.size(); ++i) {
    validate_checklist_text(t.checklist[i].text, "checklist[" + std::to_string(i) + "].text",
                            errors);
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  return {};
}

std::unique_ptr<auth::Authorizer> make_authorizer(db::Database& db, PlanStore& store) {
  return std::make_unique<auth::PolicyAuthorizer>(
      [&db, &store](const Principal& who,
                    std::string_view project_id) -> Result<std::optional<auth::ProjectRole>> {
        return db.transact(read_in(who), [&](db::Transaction& tx) {
          return store.role_of(tx, who.org_id, std::string(project_id), who.subject);
        });
      });
}

Planning::Planning(db::Database& db, PlanStore& store, auth::Authorizer& authorizer,
                   const Clock& clock, PlanChanged changed)
    : db_(db),
      store_(store),
      authorizer_(authorizer),
      clock_(clock),
      changed_(std::move(changed)) {}

void Planning::report(const PlanRef& ref) const {
  if (changed_) {
    changed_(ref);
  }
}

Result<void> Planning::allow(const Principal& caller, ProjectAction action,
                             const std::string& project_id) {
  auto known = db_.transact(read_in(caller), [&](db::Transaction& tx) -> Result<bool> {
    auto plan = store_.find_plan(tx, caller.org_id, project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    return plan->has_value();
  });
  if (!known) {
    return std::move(known).error();
  }
  if (!*known) {
    return no_such_project();
  }
  return authorizer_.authorize(caller, action, project_id);
}

Result<Task> Planning::task_for(const Principal& caller, const std::string& id,
                                ProjectAction action) {
  auto found = db_.transact(read_in(caller), [&](db::Transaction& tx) -> Result<Task> {
    auto t = store_.find_task(tx, caller.org_id, id);
    if (!t) {
      return std::move(t).error();
    }
    if (!t->has_value()) {
      return no_such_task();
    }
    return std::move(**t);
  });
  if (!found) {
    return found;
  }
  if (auto ok = allow(caller, action, found->project_id); !ok) {
    // Whoever may not see the project may not learn that the task exists either.
    return ok.error().code == ErrorCode::kNotFound ? no_such_task() : std::move(ok).error();
  }
  return found;
}

Result<Task> Planning::create_task(const Principal& caller, const std::string& project_id,
                                   const NewTask& cmd) {
  if (auto ok = allow(caller, ProjectAction::kTasksWrite, project_id); !ok) {
    return std::move(ok).error();
  }
  Task t;
  t.id = Uuid::v7(clock_).str();
  t.org_id = caller.org_id;
  t.project_id = project_id;
  t.name = cmd.name;
  t.description = cmd.description;
  t.duration_days = cmd.duration_days;
  t.lot_id = cmd.lot_id;
  t.assignees = cmd.assignees;
  t.constraint = cmd.constraint;
  t.status = TaskStatus::kTodo;
  for (const auto& item : cmd.checklist) {
    t.checklist.push_back({Uuid::v7(clock_).str(), item.text, item.done});
  }
  t.version = 1;
  t.created_at = clock_.now();
  t.updated_at = t.created_at;
  if (auto ok = validate(t); !ok) {
    return std::move(ok).error();
  }
  auto created = db_.transact(write_in(caller), [&](db::Transaction& tx) -> Result<Task> {
    if (auto ok = check_lot(tx, store_, caller.org_id, project_id, t.lot_id); !ok) {
      return std::move(ok).error();
    }
    auto rank = store_.next_rank(tx, caller.org_id, project_id, TaskStatus::kTodo);
    if (!rank) {
      return std::move(rank).error();
    }
    t.rank = *rank;
    if (auto r = store_.insert_task(tx, t); !r) {
      return std::move(r).error();
    }
    if (auto r = store_.bump_input_version(tx, caller.org_id, project_id); !r) {
      return std::move(r).error();
    }
    if (auto r = emit(tx, clock_, "tasks.TaskCreated.v1", t.id, t.org_id, task_json(t)); !r) {
      return std::move(r).error();
    }
    return t;
  });
  if (created) {
    report({caller.org_id, project_id});
  }
  return created;
}

Result<std::vector<Task>> Planning::list_tasks(const Principal& caller,
                                               const std::string& project_id,
                                               const TaskFilter& filter) {
  if (auto ok = allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  return db_.transact(read_in(caller), [&](db::Transaction& tx) {
    return store_.list_tasks(tx, caller.org_id, project_id, filter);
  });
}

Result<Task> Planning::get_task(const Principal& caller, const std::string& id) {
  return task_for(caller, id, ProjectAction::kTasksRead);
}

Result<Task> Planning::change_task(
    const Principal& caller, const std::string& id, const VersionCheck& check,
    const std::function<Result<void>(db::Transaction&, Task&)>& change) {
  auto allowed = task_for(caller, id, ProjectAction::kTasksWrite);
  if (!allowed) {
    return allowed;
  }
  auto changed = db_.transact(write_in(caller), [&](db::Transaction& tx) -> Result<Task> {
    auto found = store_.find_task(tx, caller.org_id, id);
    if (!found) {
      return std::move(found).error();
    }
    if (!found->has_value()) {
      return no_such_task();
    }
    Task t = std::move(**found);
    if (check) {
      if (auto ok = check(t.version); !ok) {
        return std::move(ok).error();
      }
    }
    if (auto ok = change(tx, t); !ok) {
      return std::move(ok).error();
    }
    if (auto ok = validate(t); !ok) {
      return std::move(ok).error();
    }
    const int64_t expected = t.version;
    t.version += 1;
    t.updated_at = clock_.now();
    auto written = store_.update_task(tx, t, expected);
    if (!written) {
      return std::move(written).error();
    }
    if (!*written) {
      return changed_meanwhile();
    }
    if (auto r = store_.bump_input_version(tx, caller.org_id, t.project_id); !r) {
      return std::move(r).error();
    }
    return t;
  });
  if (changed) {
    report({caller.org_id, changed->project_id});
  }
  return changed;
}

Result<Task> Planning::update_task(const Principal& caller, const std::string& id,
                                   const TaskPatch& patch, const VersionCheck& check) {
  return change_task(caller, id, check, [&](db::Transaction& tx, Task& t) -> Result<void> {
    if (patch.lot_id && *patch.lot_id != t.lot_id) {
      if (auto ok = check_lot(tx, store_, caller.org_id, t.project_id, *patch.lot_id); !ok) {
        return ok;
      }
    }
    if (patch.name) {
      t.name = *patch.name;
    }
    if (patch.description) {
      t.description = *patch.description;
    }
    if (patch.duration_days) {
      t.duration_days = *patch.duration_days;
    }
    if (patch.lot_id) {
      t.lot_id = *patch.lot_id;
    }
    if (patch.assignees) {
      t.assignees = *patch.assignees;
    }
    if (patch.constraint) {
      t.constraint = *patch.constraint;
    }
    if (patch.progress_percent) {
      t.progress_percent = *patch.progress_percent;
    }
    if (patch.actual_start) {
      t.actual_start = *patch.actual_start;
    }
    if (patch.actual_finish) {
      t.actual_finish = *patch.actual_finish;
    }
    return {};
  });
}

Result<Task> Planning::delete_task(const Principal& caller, const std::string& id,
                                   const VersionCheck& check) {
  auto allowed = task_for(caller, id, ProjectAction::kTasksWrite);
  if (!allowed) {
    return allowed;
  }
  auto deleted = db_.transact(write_in(caller), [&](db::Transaction& tx) -> Result<Task> {
    auto found = store_.find_task(tx, caller.org_id, id);
    if (!found) {
      return std::move(found).error();
    }
    if (!found->has_value()) {
      return no_such_task();
    }
    if (check) {
      if (auto ok = check((*found)->version); !ok) {
        return std::move(ok).error();
      }
    }
    for (auto r : {store_.delete_links_of_task(tx, caller.org_id, id),
                   store_.delete_task(tx, caller.org_id, id)}) {
      if (!r) {
        return std::move(r).error();
      }
    }
    if (auto r = store_.bump_input_version(tx, caller.org_id, (*found)->project_id); !r) {
      return std::move(r).error();
    }
    return std::move(**found);
  });
  if (deleted) {
    report({caller.org_id, deleted->project_id});
  }
  return deleted;
}

Result<Task> Planning::move_task(const Principal& caller, const std::string& id,
                                 const StatusMove& move, const VersionCheck& check) {
  TaskStatus from = TaskStatus::kTodo;
  auto moved = change_task(caller, id, check, [&](db::Transaction& tx, Task& t) -> Result<void> {
    if (move.before_id && move.after_id) {
      return Error::invalid("Give before_id or after_id, not both.",
                            {{"before_id", "Give one of before_id and after_id."}});
    }
    from = t.status;
    auto column = store_.column(tx, caller.org_id, t.project_id, move.to);
    if (!column) {
      return std::move(column).error();
    }
    std::vector<std::string> ids;
    ids.reserve(column->size() + 1);
    for (auto& other : *column) {
      if (other != t.id) {
        ids.push_back(std::move(other));
      }
    }
    size_t at = ids.size();
    if (move.before_id || move.after_id) {
      const std::string& anchor = move.before_id ? *move.before_id : *move.after_id;
      const std::string field = move.before_id ? "before_id" : "after_id";
      auto it = std::find(ids.begin(), ids.end(), anchor);
      if (it == ids.end()) {
        return Error::invalid("The task to place it next to is not in that column.",
                              {{field, "The id of another task in the target column."}});
      }
      at = static_cast<size_t>(it - ids.begin()) + (move.after_id ? 1 : 0);
    }
    ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(at), t.id);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == t.id) {
        t.rank = static_cast<int64_t>(i);
      } else if (auto r = store_.set_rank(tx, caller.org_id, ids[i], static_cast<int64_t>(i)); !r) {
        return r;
      }
    }
    if (move.to != t.status) {
      const Date day = today(clock_);
      if (move.to == TaskStatus::kInProgress && !t.actual_start) {
        t.actual_start = day;
      }
      if (move.to == TaskStatus::kDone) {
        if (!t.actual_start) {
          t.actual_start = day;
        }
        t.actual_finish = std::max(day, *t.actual_start);
        t.progress_percent = 100;
      } else if (t.status == TaskStatus::kDone) {
        t.actual_finish.reset();
      }
      const std::string at_time = format_rfc3339(clock_.now());
      t.status = move.to;
      return emit(tx, clock_, "tasks.TaskStatusChanged.v1", t.id, t.org_id,
                  json::object{{"task_id", t.id},
                               {"project_id", t.project_id},
                               {"from", status_name(from)},
                               {"to", status_name(move.to)},
                               {"at", at_time}});
    }
    return {};
  });
  return moved;
}

Result<Task> Planning::add_checklist_item(const Principal& caller, const std::string& task_id,
                                          const NewChecklistItem& item) {
  return change_task(caller, task_id, nullptr, [&](db::Transaction&, Task& t) -> Result<void> {
    std::vector<FieldError> errors;
    validate_checklist_text(item.text, "text", errors);
    if (!errors.empty()) {
      return Error::invalid("Some fields are missing or invalid.", std::move(errors));
    }
    t.checklist.push_back({Uuid::v7(clock_).str(), item.text, item.done});
    return {};
  });
}

Result<Task> Planning::update_checklist_item(const Principal& caller, const std::string& task_id,
                                             const std::string& item_id,
                                             const ChecklistPatch& patch) {
  return change_task(caller, task_id, nullptr, [&](db::Transaction&, Task& t) -> Result<void> {
    auto it = std::find_if(t.checklist.begin(), t.checklist.end(),
                           [&](const ChecklistItem& i) { return i.id == item_id; });
    if (it == t.checklist.end()) {
      return Error::not_found("No checklist item with this id on this task.");
    }
    if (patch.text) {
      std::vector<FieldError> errors;
      validate_checklist_text(*patch.text, "text", errors);
      if (!errors.empty()) {
        return Error::invalid("Some fields are missing or invalid.", std::move(errors));
      }
      it->text = *patch.text;
    }
    if (patch.done) {
      it->done = *patch.done;
    }
    return {};
  });
}

Result<Task> Planning::remove_checklist_item(const Principal& caller, const std::string& task_id,
                                             const std::string& item_id) {
  return change_task(caller, task_id, nullptr, [&](db::Transaction&, Task& t) -> Result<void> {
    auto it = std::find_if(t.checklist.begin(), t.checklist.end(),
                           [&](const ChecklistItem& i) { return i.id == item_id; });
    if (it == t.checklist.end()) {
      return Error::not_found("No checklist item with this id on this task.");
    }
    t.checklist.erase(it);
    return {};
  });
}

Result<std::vector<BoardColumn>> Planning::board(const Principal& caller,
                                                 const std::string& project_id) {
  if (auto ok = allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  auto tasks = db_.transact(read_in(caller), [&](db::Transaction& tx) {
    return store_.project_tasks(tx, caller.org_id, project_id);
  });
  if (!tasks) {
    return std::move(tasks).error();
  }
  std::vector<BoardColumn> columns;
  for (TaskStatus s : kAllStatuses) {
    columns.push_back({s, {}});
  }
  for (auto& t : *tasks) {
    columns[static_cast<size_t>(t.status)].tasks.push_back(std::move(t));
  }
  for (auto& c : columns) {
    std::stable_sort(c.tasks.begin(), c.tasks.end(),
                     [](const Task& a, const Task& b) { return a.rank < b.rank; });
  }
  return columns;
}

Result<TaskLink> Planning::create_link(const Principal& caller, const std::string& project_id,
                                       const NewLink& cmd) {
  if (auto ok = allow(caller, ProjectAction::kTasksWrite, project_id); !ok) {
    return std::move(ok).error();
  }
  if (cmd.lag_days < -kMaxLag || cmd.lag_days > kMaxLag) {
    return Error::invalid("Some fields are missing or invalid.",
                          {{"lag_days", "Working days from -10000 to 10000."}});
  }
  if (cmd.from == cmd.to) {
    return Error::invalid("A task cannot be linked to itself.",
                          {{"to", "Another task than `from`."}});
  }
  TaskLink link;
  link.id = Uuid::v7(clock_).str();
  link.org_id = caller.org_id;
  link.project_id = project_id;
  link.from = cmd.from;
  link.to = cmd.to;
  link.type = cmd.type;
  link.lag_days = cmd.lag_days;
  link.created_at = clock_.now();
  auto created = db_.transact(write_in(caller), [&](db::Transaction& tx) -> Result<TaskLink> {
    auto tasks = store_.project_tasks(tx, caller.org_id, project_id);
    if (!tasks) {
      return std::move(tasks).error();
    }
    auto links = store_.project_links(tx, caller.org_id, project_id);
    if (!links) {
      return std::move(links).error();
    }
    std::map<std::string, domain::TaskIndex> index;
    for (size_t i = 0; i < tasks->size(); ++i) {
      index[(*tasks)[i].id] = static_cast<domain::TaskIndex>(i);
    }
    std::vector<FieldError> errors;
    for (const auto& [field, id] : {std::pair{"from", &cmd.from}, std::pair{"to", &cmd.to}}) {
      if (!index.contains(*id)) {
        errors.push_back({field, "A task of this project."});
      }
    }
    if (!errors.empty()) {
      return Error::invalid("Links join two tasks of the same project.", std::move(errors));
    }
    std::vector<domain::Link> graph;
    graph.reserve(links->size() + 1);
    for (const auto& l : *links) {
      if (l.from == cmd.from && l.to == cmd.to) {
        return Error::invalid("These two tasks are already linked.",
                              {{"to", "Change or delete the existing link " + l.id + "."}});
      }
      graph.push_back({index.at(l.from), index.at(l.to), l.type, l.lag_days});
    }
    graph.push_back({index.at(cmd.from), index.at(cmd.to), cmd.type, cmd.lag_days});
    const auto cycle = domain::find_cycle(tasks->size(), graph);
    if (!cycle.empty()) {
      std::string names;
      for (auto i : cycle) {
        names += (*tasks)[i].name + " → ";
      }
      names += (*tasks)[cycle.front()].name;
      return Error::invalid("links form a cycle: " + names,
                            {{"to", "This link would close the cycle " + names + "."}});
    }
    if (auto r = store_.insert_link(tx, link); !r) {
      return std::move(r).error();
    }
    if (auto r = store_.bump_input_version(tx, caller.org_id, project_id); !r) {
      return std::move(r).error();
    }
    return link;
  });
  if (created) {
    report({caller.org_id, project_id});
  }
  return created;
}

Result<std::vector<TaskLink>> Planning::links(const Principal& caller,
                                              const std::string& project_id) {
  if (auto ok = allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  return db_.transact(read_in(caller), [&](db::Transaction& tx) {
    return store_.project_links(tx, caller.org_id, project_id);
  });
}

Result<TaskLink> Planning::delete_link(const Principal& caller, const std::string& id) {
  auto found = db_.transact(read_in(caller), [&](db::Transaction& tx) {
    return store_.find_link(tx, caller.org_id, id);
  });
  if (!found) {
    return std::move(found).error();
  }
  const auto no_such_link = [] { return Error::not_found("No link with this id."); };
  if (!found->has_value()) {
    return no_such_link();
  }
  const TaskLink link = **found;
  if (auto ok = allow(caller, ProjectAction::kTasksWrite, link.project_id); !ok) {
    return ok.error().code == ErrorCode::kNotFound ? no_such_link() : std::move(ok).error();
  }
  auto deleted = db_.transact(write_in(caller), [&](db::Transaction& tx) -> Result<TaskLink> {
    if (auto r = store_.delete_link(tx, caller.org_id, id); !r) {
      return std::move(r).error();
    }
    if (auto r = store_.bump_input_version(tx, caller.org_id, link.project_id); !r) {
      return std::move(r).error();
    }
    return link;
  });
  if (deleted) {
    report({caller.org_id, link.project_id});
  }
  return deleted;
}

Result<Plan> Planning::calendar(const Principal& caller, const std::string& project_id) {
  if (auto ok = allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  return db_.transact(read_in(caller), [&](db::Transaction& tx) -> Result<Plan> {
    auto plan = store_.find_plan(tx, caller.org_id, project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    if (!plan->has_value()) {
      return no_such_project();
    }
    return std::move(**plan);
  });
}

Result<Plan> Planning::set_calendar(const Principal& caller, const std::string& project_id,
                                    const CalendarSettings& settings, const VersionCheck& check) {
  if (auto ok = allow(caller, ProjectAction::kPlanManage, project_id); !ok) {
    return std::move(ok).error();
  }
  CalendarSettings sorted = settings;
  std::sort(sorted.working_weekdays.begin(), sorted.working_weekdays.end(),
            [](auto a, auto b) { return a.iso_encoding() < b.iso_encoding(); });
  sorted.working_weekdays.erase(
      std::unique(sorted.working_weekdays.begin(), sorted.working_weekdays.end()),
      sorted.working_weekdays.end());
  std::stable_sort(sorted.exceptions.begin(), sorted.exceptions.end(),
                   [](const auto& a, const auto& b) { return a.date < b.date; });
  std::vector<FieldError> errors;
  if (sorted.working_weekdays.empty()) {
    errors.push_back({"working_weekdays", "At least one working weekday."});
  }
  if (sorted.exceptions.size() > kMaxExceptions) {
    errors.push_back({"exceptions", "At most 1000 exceptions."});
  }
  for (size_t i = 0; i < sorted.exceptions.size(); ++i) {
    if (sorted.exceptions[i].reason.size() > kMaxReason) {
      errors.push_back({"exceptions[" + std::to_string(i) + "].reason", "At most 200 characters."});
    }
    if (i > 0 && sorted.exceptions[i - 1].date == sorted.exceptions[i].date) {
      errors.push_back({"exceptions[" + std::to_string(i) + "].date", "One exception per date."});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("Some fields are missing or invalid.", std::move(errors));
  }
  auto saved = db_.transact(write_in(caller), [&](db::Transaction& tx) -> Result<Plan> {
    auto found = store_.find_plan(tx, caller.org_id, project_id);
    if (!found) {
      return std::move(found).error();
    }
    if (!found->has_value()) {
      return no_such_project();
    }
    Plan plan = std::move(**found);
    if (check) {
      if (auto ok = check(plan.calendar_version); !ok) {
        return std::move(ok).error();
      }
    }
    plan.calendar = sorted;
    plan.calendar_version += 1;
    plan.input_version += 1;
    plan.updated_at = clock_.now();
    if (auto r = store_.update_plan(tx, plan); !r) {
      return std::move(r).error();
    }
    return plan;
  });
  if (saved) {
    report({caller.org_id, project_id});
  }
  return saved;
}

}  // namespace atelier::tasks::app
