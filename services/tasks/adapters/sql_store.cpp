#include "tasks/adapters/sql_store.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "atelier/db/rows.hpp"

namespace atelier::tasks::adapters {

namespace {

using db::all_of;
using db::done;
using db::first_of;

namespace json = boost::json;
using app::Baseline;
using app::Plan;
using app::StoredSchedule;
using app::Task;
using app::TaskLink;
using Tx = db::Transaction;

// Plans.
constexpr std::string_view kPlanColumns =
    "project_id, org_id, name, start_date, deadline, created_by, input_version, working_weekdays, "
    "holiday_region, calendar_exceptions, calendar_version, active_baseline_id, updated_at, code";
constexpr std::string_view kInsertPlan =
    "INSERT INTO plans (project_id, org_id, name, start_date, deadline, created_by, "
    "input_version, working_weekdays, holiday_region, calendar_exceptions, calendar_version, "
    "active_baseline_id, updated_at, code) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kUpdatePlan =
    "UPDATE plans SET name = $3, start_date = $4, deadline = $5, input_version = $6, "
    "working_weekdays = $7, holiday_region = $8, calendar_exceptions = $9, calendar_version = $10, "
    "active_baseline_id = $11, updated_at = $12, code = $13 WHERE org_id = $1 AND project_id = $2";
constexpr std::string_view kBumpInput =
    "UPDATE plans SET input_version = input_version + 1 WHERE org_id = $1 AND project_id = $2 "
    "RETURNING input_version";
constexpr std::string_view kPlansBehind =
    "SELECT p.org_id, p.project_id FROM plans p LEFT JOIN schedules s "
    "ON s.project_id = p.project_id WHERE s.version IS NULL OR s.version < p.input_version "
    "ORDER BY p.project_id";
constexpr std::string_view kSetActiveBaseline =
    "UPDATE plans SET active_baseline_id = $3 WHERE org_id = $1 AND project_id = $2";

// Project roles.
constexpr std::string_view kUpsertRole =
    "INSERT INTO project_roles (project_id, participant_id, org_id, user_id, role) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, participant_id) "
    "DO UPDATE SET user_id = excluded.user_id, role = excluded.role";
constexpr std::string_view kRemoveRole =
    "DELETE FROM project_roles WHERE org_id = $1 AND project_id = $2 AND participant_id = $3";
constexpr std::string_view kRolesOf =
    "SELECT role FROM project_roles WHERE org_id = $1 AND project_id = $2 AND user_id = $3";

// Lots.
constexpr std::string_view kUpsertLot =
    "INSERT INTO plan_lots (lot_id, org_id, project_id, code, name) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (lot_id) DO UPDATE SET code = excluded.code, name = excluded.name "
    "WHERE plan_lots.org_id = excluded.org_id AND plan_lots.project_id = excluded.project_id";
constexpr std::string_view kRemoveLot =
    "DELETE FROM plan_lots WHERE org_id = $1 AND project_id = $2 AND lot_id = $3";
constexpr std::string_view kHasLot =
    "SELECT COUNT(*) FROM plan_lots WHERE org_id = $1 AND project_id = $2 AND lot_id = $3";
constexpr std::string_view kUntieLot =
    "UPDATE tasks SET lot_id = NULL, version = version + 1, updated_at = $4 "
    "WHERE org_id = $1 AND project_id = $2 AND lot_id = $3";

// Tasks.
constexpr std::string_view kTaskColumns =
    "id, org_id, project_id, name, description, duration_days, lot_id, assignees, "
    "constraint_kind, constraint_date, status, board_rank, progress_percent, actual_start, "
    "actual_finish, checklist, version, created_at, updated_at";
constexpr std::string_view kInsertTask =
    "INSERT INTO tasks (id, org_id, project_id, name, description, duration_days, lot_id, "
    "assignees, constraint_kind, constraint_date, status, board_rank, progress_percent, "
    "actual_start, actual_finish, checklist, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
constexpr std::string_view kUpdateTask =
    "UPDATE tasks SET name = $3, description = $4, duration_days = $5, lot_id = $6, "
    "assignees = $7, constraint_kind = $8, constraint_date = $9, status = $10, board_rank = $11, "
    "progress_percent = $12, actual_start = $13, actual_finish = $14, checklist = $15, "
    "version = $16, updated_at = $17 WHERE org_id = $1 AND id = $2 AND version = $18";
constexpr std::string_view kDeleteTask = "DELETE FROM tasks WHERE org_id = $1 AND id = $2";
constexpr std::string_view kColumn =
    "SELECT id FROM tasks WHERE org_id = $1 AND project_id = $2 AND status = $3 "
    "ORDER BY board_rank, id";
constexpr std::string_view kNextRank =
    "SELECT COALESCE(MAX(board_rank) + 1, 0) FROM tasks "
    "WHERE org_id = $1 AND project_id = $2 AND status = $3";
constexpr std::string_view kSetRank =
    "UPDATE tasks SET board_rank = $3 WHERE org_id = $1 AND id = $2";

// Links.
constexpr std::string_view kLinkColumns =
    "id, org_id, project_id, from_task, to_task, type, lag_days, created_at";
constexpr std::string_view kInsertLink =
    "INSERT INTO links (id, org_id, project_id, from_task, to_task, type, lag_days, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kDeleteLink = "DELETE FROM links WHERE org_id = $1 AND id = $2";
constexpr std::string_view kDeleteLinksOfTask =
    "DELETE FROM links WHERE org_id = $1 AND (from_task = $2 OR to_task = $2)";

// Schedules: the upsert keeps a schedule computed from a later input.
constexpr std::string_view kFindSchedule =
    "SELECT project_id, org_id, version, computed_at, body, error FROM schedules "
    "WHERE org_id = $1 AND project_id = $2";
constexpr std::string_view kSaveSchedule =
    "INSERT INTO schedules (project_id, org_id, version, computed_at, body, error) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id) DO UPDATE SET "
    "version = excluded.version, computed_at = excluded.computed_at, body = excluded.body, "
    "error = excluded.error WHERE schedules.version <= excluded.version";

// Baselines and slips.
constexpr std::string_view kInsertBaseline =
    "INSERT INTO baselines (id, org_id, project_id, name, schedule_version, tasks, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kBaselines =
    "SELECT id, org_id, project_id, name, schedule_version, tasks, created_at FROM baselines "
    "WHERE org_id = $1 AND project_id = $2 ORDER BY id";
constexpr std::string_view kSlips =
    "SELECT task_id, working_days_late FROM task_slips WHERE org_id = $1 AND baseline_id = $2";
constexpr std::string_view kSetSlip =
    "INSERT INTO task_slips (task_id, baseline_id, org_id, project_id, working_days_late) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (task_id, baseline_id) "
    "DO UPDATE SET working_days_late = excluded.working_days_late";

// Stored values are written by this service; anything unreadable is a corrupt row.
[[noreturn]] void corrupt(std::string_view what) {
  throw std::logic_error("tasks: unreadable " + std::string(what) + " in a stored row");
}

TimePoint time_of(const db::Row& row, size_t i) {
  auto t = parse_rfc3339(row.get_text(i));
  if (!t) {
    corrupt("time");
  }
  return *t;
}

app::Date date_of(const std::string& text) {
  auto d = app::parse_date(text);
  if (!d) {
    corrupt("date");
  }
  return *d;
}

std::optional<app::Date> opt_date_of(const db::Row& row, size_t i) {
  if (row.is_null(i)) {
    return std::nullopt;
  }
  return date_of(row.get_text(i));
}

std::optional<std::string> opt_text(const std::optional<app::Date>& d) {
  return d ? std::optional<std::string>(app::format_date(*d)) : std::nullopt;
}

json::value parse_json(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) {
    corrupt("JSON");
  }
  return v;
}

std::string weekdays_text(const std::vector<std::chrono::weekday>& days) {
  std::string out;
  for (auto d : days) {
    out += (out.empty() ? "" : ",") + std::string(app::weekday_code(d));
  }
  return out;
}

std::vector<std::chrono::weekday> weekdays_of(const std::string& text) {
  std::vector<std::chrono::weekday> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) {
      comma = text.size();
    }
    auto d = app::parse_weekday(std::string_view(text).substr(pos, comma - pos));
    if (!d) {
      corrupt("weekday");
    }
    out.push_back(*d);
    pos = comma + 1;
  }
  return out;
}

std::string exceptions_text(const std::vector<app::CalendarException>& exceptions) {
  json::array out;
  for (const auto& e : exceptions) {
    out.push_back(json::object{
        {"date", app::format_date(e.date)}, {"working", e.working}, {"reason", e.reason}});
  }
  return json::serialize(out);
}

std::vector<app::CalendarException> exceptions_of(const std::string& text) {
  std::vector<app::CalendarException> out;
  const json::value parsed = parse_json(text);  // named: a temporary would die before the loop
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    out.push_back({date_of(std::string(o.at("date").as_string())), o.at("working").as_bool(),
                   std::string(o.at("reason").as_string())});
  }
  return out;
}

Plan plan_of(const db::Row& row) {
  Plan p;
  p.project_id = row.get_text(0);
  p.org_id = row.get_text(1);
  p.name = row.get_text(2);
  p.start = date_of(row.get_text(3));
  p.deadline = opt_date_of(row, 4);
  p.created_by = row.get_opt_text(5);
  p.input_version = row.get_int(6);
  p.calendar.working_weekdays = weekdays_of(row.get_text(7));
  auto region = app::parse_holiday_region(row.get_text(8));
  if (!region) {
    corrupt("holiday region");
  }
  p.calendar.holiday_region = *region;
  p.calendar.exceptions = exceptions_of(row.get_text(9));
  p.calendar_version = row.get_int(10);
  p.active_baseline_id = row.get_opt_text(11);
  p.updated_at = time_of(row, 12);
  p.code = row.get_opt_text(13);
  return p;
}

std::string strings_text(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) {
    out.push_back(json::value(s));
  }
  return json::serialize(out);
}

std::string checklist_text(const std::vector<app::ChecklistItem>& items) {
  json::array out;
  for (const auto& i : items) {
    out.push_back(json::object{{"id", i.id}, {"text", i.text}, {"done", i.done}});
  }
  return json::serialize(out);
}

Task task_of(const db::Row& row) {
  Task t;
  t.id = row.get_text(0);
  t.org_id = row.get_text(1);
  t.project_id = row.get_text(2);
  t.name = row.get_text(3);
  t.description = row.get_text(4);
  t.duration_days = static_cast<int>(row.get_int(5));
  t.lot_id = row.get_opt_text(6);
  const json::value assignees = parse_json(row.get_text(7));
  for (const auto& v : assignees.as_array()) {
    t.assignees.emplace_back(v.as_string());
  }
  if (!row.is_null(8)) {
    auto kind = app::parse_constraint_kind(row.get_text(8));
    if (!kind || row.is_null(9)) {
      corrupt("constraint");
    }
    t.constraint = domain::Constraint{*kind, date_of(row.get_text(9))};
  }
  auto status = app::parse_status(row.get_text(10));
  if (!status) {
    corrupt("status");
  }
  t.status = *status;
  t.rank = row.get_int(11);
  t.progress_percent = static_cast<int>(row.get_int(12));
  t.actual_start = opt_date_of(row, 13);
  t.actual_finish = opt_date_of(row, 14);
  const json::value checklist = parse_json(row.get_text(15));
  for (const auto& v : checklist.as_array()) {
    const auto& o = v.as_object();
    t.checklist.push_back({std::string(o.at("id").as_string()),
                           std::string(o.at("text").as_string()), o.at("done").as_bool()});
  }
  t.version = row.get_int(16);
  t.created_at = time_of(row, 17);
  t.updated_at = time_of(row, 18);
  return t;
}

TaskLink link_of(const db::Row& row) {
  TaskLink l;
  l.id = row.get_text(0);
  l.org_id = row.get_text(1);
  l.project_id = row.get_text(2);
  l.from = row.get_text(3);
  l.to = row.get_text(4);
  auto type = domain::parse_link_type(row.get_text(5));
  if (!type) {
    corrupt("link type");
  }
  l.type = *type;
  l.lag_days = static_cast<int>(row.get_int(6));
  l.created_at = time_of(row, 7);
  return l;
}

std::string baseline_tasks_text(const std::vector<app::BaselineTask>& tasks) {
  json::array out;
  for (const auto& t : tasks) {
    out.push_back(json::object{{"task_id", t.task_id},
                               {"start", app::format_date(t.start)},
                               {"finish", app::format_date(t.finish)}});
  }
  return json::serialize(out);
}

Baseline baseline_of(const db::Row& row) {
  Baseline b;
  b.id = row.get_text(0);
  b.org_id = row.get_text(1);
  b.project_id = row.get_text(2);
  b.name = row.get_text(3);
  b.schedule_version = row.get_int(4);
  const json::value tasks = parse_json(row.get_text(5));
  for (const auto& v : tasks.as_array()) {
    const auto& o = v.as_object();
    b.tasks.push_back({std::string(o.at("task_id").as_string()),
                       date_of(std::string(o.at("start").as_string())),
                       date_of(std::string(o.at("finish").as_string()))});
  }
  b.created_at = time_of(row, 6);
  return b;
}

std::string select_from(std::string_view columns, std::string_view rest) {
  return "SELECT " + std::string(columns) + " " + std::string(rest);
}

// `text` as a LIKE pattern matching `"text"` inside a JSON array, its wildcards escaped.
std::string element_pattern(std::string_view text) {
  std::string out = "%\"";
  for (char c : text) {
    if (c == '!' || c == '%' || c == '_') {
      out += '!';
    }
    out += c;
  }
  out += "\"%";
  return out;
}

class SqlPlanStore final : public app::PlanStore {
 public:
  Result<void> insert_plan(Tx& tx, const Plan& p) override {
    return done(tx.execute(kInsertPlan, p.project_id, p.org_id, p.name, app::format_date(p.start),
                           opt_text(p.deadline), p.created_by, p.input_version,
                           weekdays_text(p.calendar.working_weekdays),
                           app::holiday_region_name(p.calendar.holiday_region),
                           exceptions_text(p.calendar.exceptions), p.calendar_version,
                           p.active_baseline_id, format_rfc3339(p.updated_at), p.code));
  }

  Result<void> update_plan(Tx& tx, const Plan& p) override {
    return done(tx.execute(
        kUpdatePlan, p.org_id, p.project_id, p.name, app::format_date(p.start),
        opt_text(p.deadline), p.input_version, weekdays_text(p.calendar.working_weekdays),
        app::holiday_region_name(p.calendar.holiday_region), exceptions_text(p.calendar.exceptions),
        p.calendar_version, p.active_baseline_id, format_rfc3339(p.updated_at), p.code));
  }

  Result<std::optional<Plan>> find_plan(Tx& tx, const std::string& org_id,
                                        const std::string& project_id) override {
    static const std::string sql =
        select_from(kPlanColumns, "FROM plans WHERE org_id = $1 AND project_id = $2");
    return first_of(tx.query(sql, org_id, project_id), plan_of);
  }

  Result<int64_t> bump_input_version(Tx& tx, const std::string& org_id,
                                     const std::string& project_id) override {
    auto rows = tx.query(kBumpInput, org_id, project_id);
    if (!rows) {
      return std::move(rows).error();
    }
    if (rows->empty()) {
      return Error::not_found("No project with this id in your organisation.");
    }
    return (*rows)[0].get_int(0);
  }

  Result<std::vector<app::PlanRef>> plans_behind(Tx& tx) override {
    return all_of(tx.query(kPlansBehind), [](const db::Row& row) {
      return app::PlanRef{row.get_text(0), row.get_text(1)};
    });
  }

  Result<void> upsert_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                           const std::string& participant_id,
                           const std::optional<std::string>& user_id,
                           auth::ProjectRole role) override {
    return done(tx.execute(kUpsertRole, project_id, participant_id, org_id, user_id,
                           auth::project_role_name(role)));
  }

  Result<void> remove_role(Tx& tx, const std::string& org_id, const std::string& project_id,
                           const std::string& participant_id) override {
    return done(tx.execute(kRemoveRole, org_id, project_id, participant_id));
  }

  Result<std::optional<auth::ProjectRole>> role_of(Tx& tx, const std::string& org_id,
                                                   const std::string& project_id,
                                                   const std::string& user_id) override {
    auto rows = tx.query(kRolesOf, org_id, project_id, user_id);
    if (!rows) {
      return std::move(rows).error();
    }
    std::optional<auth::ProjectRole> best;
    for (const auto& row : *rows) {
      auto role = auth::parse_project_role(row.get_text(0));
      if (role && (!best || *role > *best)) {
        best = role;
      }
    }
    return best;
  }

  Result<void> upsert_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                          const std::string& lot_id, const std::string& code,
                          const std::string& name) override {
    return done(tx.execute(kUpsertLot, lot_id, org_id, project_id, code, name));
  }

  Result<void> remove_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                          const std::string& lot_id) override {
    return done(tx.execute(kRemoveLot, org_id, project_id, lot_id));
  }

  Result<bool> has_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                       const std::string& lot_id) override {
    auto rows = tx.query(kHasLot, org_id, project_id, lot_id);
    if (!rows) {
      return std::move(rows).error();
    }
    return (*rows)[0].get_int(0) > 0;
  }

  Result<int64_t> untie_lot(Tx& tx, const std::string& org_id, const std::string& project_id,
                            const std::string& lot_id, TimePoint now) override {
    return tx.execute(kUntieLot, org_id, project_id, lot_id, format_rfc3339(now));
  }

  Result<void> insert_task(Tx& tx, const Task& t) override {
    return done(tx.execute(
        kInsertTask, t.id, t.org_id, t.project_id, t.name, t.description, t.duration_days, t.lot_id,
        strings_text(t.assignees),
        t.constraint ? std::optional<std::string>(app::constraint_kind_name(t.constraint->kind))
                     : std::nullopt,
        t.constraint ? std::optional<std::string>(app::format_date(t.constraint->date))
                     : std::nullopt,
        app::status_name(t.status), t.rank, t.progress_percent, opt_text(t.actual_start),
        opt_text(t.actual_finish), checklist_text(t.checklist), t.version,
        format_rfc3339(t.created_at), format_rfc3339(t.updated_at)));
  }

  Result<std::optional<Task>> find_task(Tx& tx, const std::string& org_id,
                                        const std::string& id) override {
    static const std::string sql =
        select_from(kTaskColumns, "FROM tasks WHERE org_id = $1 AND id = $2");
    return first_of(tx.query(sql, org_id, id), task_of);
  }

  Result<bool> update_task(Tx& tx, const Task& t, int64_t expected_version) override {
    auto changed = tx.execute(
        kUpdateTask, t.org_id, t.id, t.name, t.description, t.duration_days, t.lot_id,
        strings_text(t.assignees),
        t.constraint ? std::optional<std::string>(app::constraint_kind_name(t.constraint->kind))
                     : std::nullopt,
        t.constraint ? std::optional<std::string>(app::format_date(t.constraint->date))
                     : std::nullopt,
        app::status_name(t.status), t.rank, t.progress_percent, opt_text(t.actual_start),
        opt_text(t.actual_finish), checklist_text(t.checklist), t.version,
        format_rfc3339(t.updated_at), expected_version);
    if (!changed) {
      return std::move(changed).error();
    }
    return *changed == 1;
  }

  Result<void> delete_task(Tx& tx, const std::string& org_id, const std::string& id) override {
    return done(tx.execute(kDeleteTask, org_id, id));
  }

  Result<std::vector<Task>> list_tasks(Tx& tx, const std::string& org_id,
                                       const std::string& project_id,
                                       const app::TaskFilter& f) override {
    // Optional filters written so that one statement serves every combination.
    static const std::string sql =
        select_from(kTaskColumns,
                    "FROM tasks WHERE org_id = $1 AND project_id = $2 AND id > $3 "
                    "AND (CAST($4 AS TEXT) = '' OR status = CAST($4 AS TEXT)) "
                    "AND (CAST($5 AS TEXT) = '' OR lot_id = CAST($5 AS TEXT)) "
                    "AND (CAST($6 AS TEXT) = '' OR assignees LIKE CAST($6 AS TEXT) ESCAPE '!') "
                    "ORDER BY id LIMIT $7");
    const std::string status = f.status ? std::string(app::status_name(*f.status)) : "";
    const std::string assignee = f.assignee ? element_pattern(*f.assignee) : "";
    return all_of(tx.query(sql, org_id, project_id, f.after_id, status, f.lot_id.value_or(""),
                           assignee, f.limit),
                  task_of);
  }

  Result<std::vector<Task>> project_tasks(Tx& tx, const std::string& org_id,
                                          const std::string& project_id) override {
    static const std::string sql =
        select_from(kTaskColumns, "FROM tasks WHERE org_id = $1 AND project_id = $2 ORDER BY id");
    return all_of(tx.query(sql, org_id, project_id), task_of);
  }

  Result<std::vector<std::string>> column(Tx& tx, const std::string& org_id,
                                          const std::string& project_id,
                                          app::TaskStatus status) override {
    return all_of(tx.query(kColumn, org_id, project_id, app::status_name(status)),
                  [](const db::Row& row) { return row.get_text(0); });
  }

  Result<void> set_rank(Tx& tx, const std::string& org_id, const std::string& id,
                        int64_t rank) override {
    return done(tx.execute(kSetRank, org_id, id, rank));
  }

  Result<int64_t> next_rank(Tx& tx, const std::string& org_id, const std::string& project_id,
                            app::TaskStatus status) override {
    auto rows = tx.query(kNextRank, org_id, project_id, app::status_name(status));
    if (!rows) {
      return std::move(rows).error();
    }
    return rows->empty() ? int64_t{0} : (*rows)[0].get_int(0);
  }

  Result<void> insert_link(Tx& tx, const TaskLink& l) override {
    return done(tx.execute(kInsertLink, l.id, l.org_id, l.project_id, l.from, l.to,
                           domain::link_type_code(l.type), l.lag_days,
                           format_rfc3339(l.created_at)));
  }

  Result<std::optional<TaskLink>> find_link(Tx& tx, const std::string& org_id,
                                            const std::string& id) override {
    static const std::string sql =
        select_from(kLinkColumns, "FROM links WHERE org_id = $1 AND id = $2");
    return first_of(tx.query(sql, org_id, id), link_of);
  }

  Result<void> delete_link(Tx& tx, const std::string& org_id, const std::string& id) override {
    return done(tx.execute(kDeleteLink, org_id, id));
  }

  Result<void> delete_links_of_task(Tx& tx, const std::string& org_id,
                                    const std::string& task_id) override {
    return done(tx.execute(kDeleteLinksOfTask, org_id, task_id));
  }

  Result<std::vector<TaskLink>> project_links(Tx& tx, const std::string& org_id,
                                              const std::string& project_id) override {
    static const std::string sql =
        select_from(kLinkColumns, "FROM links WHERE org_id = $1 AND project_id = $2 ORDER BY id");
    return all_of(tx.query(sql, org_id, project_id), link_of);
  }

  Result<std::optional<StoredSchedule>> find_schedule(Tx& tx, const std::string& org_id,
                                                      const std::string& project_id) override {
    return first_of(tx.query(kFindSchedule, org_id, project_id), [](const db::Row& row) {
      return StoredSchedule{row.get_text(1), row.get_text(0), row.get_int(2),
                            time_of(row, 3), row.get_text(4), row.get_opt_text(5)};
    });
  }

  Result<void> save_schedule(Tx& tx, const StoredSchedule& s) override {
    return done(tx.execute(kSaveSchedule, s.project_id, s.org_id, s.version,
                           format_rfc3339(s.computed_at), s.body, s.error));
  }

  Result<void> insert_baseline(Tx& tx, const Baseline& b) override {
    return done(tx.execute(kInsertBaseline, b.id, b.org_id, b.project_id, b.name,
                           b.schedule_version, baseline_tasks_text(b.tasks),
                           format_rfc3339(b.created_at)));
  }

  Result<std::vector<Baseline>> baselines(Tx& tx, const std::string& org_id,
                                          const std::string& project_id) override {
    return all_of(tx.query(kBaselines, org_id, project_id), baseline_of);
  }

  Result<void> set_active_baseline(Tx& tx, const std::string& org_id, const std::string& project_id,
                                   const std::string& baseline_id) override {
    return done(tx.execute(kSetActiveBaseline, org_id, project_id, baseline_id));
  }

  Result<std::map<std::string, int64_t>> slips(Tx& tx, const std::string& org_id,
                                               const std::string& baseline_id) override {
    auto rows = tx.query(kSlips, org_id, baseline_id);
    if (!rows) {
      return std::move(rows).error();
    }
    std::map<std::string, int64_t> out;
    for (const auto& row : *rows) {
      out[row.get_text(0)] = row.get_int(1);
    }
    return out;
  }

  Result<void> set_slip(Tx& tx, const std::string& org_id, const std::string& project_id,
                        const std::string& baseline_id, const std::string& task_id,
                        int64_t working_days_late) override {
    return done(tx.execute(kSetSlip, task_id, baseline_id, org_id, project_id, working_days_late));
  }
};

}  // namespace

std::unique_ptr<app::PlanStore> make_sql_store() {
  return std::make_unique<SqlPlanStore>();
}

}  // namespace atelier::tasks::adapters
