#include "tasks/app/scheduling.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"
#include "atelier/events/outbox.hpp"
#include "tasks/app/task_json.hpp"
#include "tasks/domain/baseline.hpp"

namespace atelier::tasks::app {

namespace json = boost::json;
using auth::ProjectAction;

namespace {

constexpr std::string_view kSource = "/services/tasks";
constexpr int kMaxYears = 200;  // the scheduler's bounds keep any plan well inside this
// The Gantt chart lists the days off of at most this many days of the plan's span.
constexpr int64_t kMaxGanttSpanDays = 3'700;

db::TxOptions read_in(const std::string& org_id) {
  return db::TxOptions{.mode = db::TxMode::kRead, .org_id = org_id};
}

db::TxOptions write_in(const std::string& org_id) {
  return db::TxOptions{.mode = db::TxMode::kWrite, .org_id = org_id};
}

int year_of(Date d) {
  return static_cast<int>(std::chrono::year_month_day(d).year());
}

std::string_view warning_kind_name(domain::WarningKind kind) {
  switch (kind) {
    case domain::WarningKind::kMustFinishOnConflict:
      return "must_finish_on_conflict";
    case domain::WarningKind::kFinishNoLaterThanMissed:
      return "finish_no_later_than_missed";
    case domain::WarningKind::kStartedOutOfSequence:
      return "started_out_of_sequence";
  }
  return "unknown";
}

// Everything one computation reads, loaded in one transaction.
struct Input {
  Plan plan;
  std::vector<Task> tasks;
  std::vector<TaskLink> links;
  std::optional<StoredSchedule> schedule;
};

// The domain's view of the stored plan: tasks by position (in id order), links by position.
domain::Plan domain_plan(const Input& in) {
  domain::Plan dp;
  dp.start = in.plan.start;
  dp.deadline = in.plan.deadline;
  std::map<std::string, domain::TaskIndex> index;
  for (size_t i = 0; i < in.tasks.size(); ++i) {
    const Task& t = in.tasks[i];
    index[t.id] = static_cast<domain::TaskIndex>(i);
    domain::TaskInput ti;
    ti.id = t.name;  // messages name tasks as people do
    ti.duration = t.duration_days;
    ti.constraint = t.constraint;
    ti.actual_start = t.actual_start;
    ti.actual_finish = t.actual_finish;
    dp.tasks.push_back(std::move(ti));
  }
  for (const auto& l : in.links) {
    auto from = index.find(l.from);
    auto to = index.find(l.to);
    if (from != index.end() && to != index.end()) {
      dp.links.push_back({from->second, to->second, l.type, l.lag_days});
    }
  }
  return dp;
}

// The calendar years a computation needs: from the year before the start to a bound on the
// forecast finish (every duration and lag end to end, a working day a week at worst, and every
// date the plan names). compute() widens it if the finish still lands past it.
std::pair<int, int> years_of(const domain::Plan& dp) {
  int64_t working_days = 0;
  Date latest = dp.start;
  for (const auto& t : dp.tasks) {
    working_days += t.duration;
    for (auto d : {t.actual_start, t.actual_finish}) {
      if (d) {
        latest = std::max(latest, *d);
      }
    }
    if (t.constraint) {
      latest = std::max(latest, t.constraint->date);
    }
  }
  for (const auto& l : dp.links) {
    working_days += std::max(0, l.lag);
  }
  if (dp.deadline) {
    latest = std::max(latest, *dp.deadline);
  }
  const int first = year_of(dp.start) - 1;
  const int64_t span_years = working_days * 7 / 365 + 1;
  const int last = static_cast<int>(std::min<int64_t>(
      std::max<int64_t>(year_of(latest), year_of(dp.start) + span_years), first + kMaxYears));
  return {first, last};
}

json::object schedule_body(const Input& in, const domain::Schedule& s) {
  json::array tasks;
  for (size_t i = 0; i < s.tasks.size(); ++i) {
    const auto& st = s.tasks[i];
    tasks.push_back(json::object{{"task_id", in.tasks[i].id},
                                 {"name", in.tasks[i].name},
                                 {"early_start", format_date(st.early_start)},
                                 {"early_finish", format_date(st.early_finish)},
                                 {"late_start", format_date(st.late_start)},
                                 {"late_finish", format_date(st.late_finish)},
                                 {"total_float", st.total_float},
                                 {"free_float", st.free_float},
                                 {"critical", st.critical}});
  }
  json::array paths;
  for (const auto& path : s.critical_paths) {
    json::array ids;
    for (auto i : path) {
      ids.push_back(json::value(in.tasks[i].id));
    }
    paths.push_back(std::move(ids));
  }
  json::array warnings;
  for (const auto& w : s.warnings) {
    warnings.push_back(json::object{{"task_id", in.tasks[w.task].id},
                                    {"kind", warning_kind_name(w.kind)},
                                    {"message", w.message}});
  }
  return {{"project_finish", format_date(s.project_finish)},
          {"tasks", std::move(tasks)},
          {"critical_paths", std::move(paths)},
          {"critical_paths_truncated", s.critical_paths_truncated},
          {"warnings", std::move(warnings)}};
}

json::object parse_body(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}

// The active baseline: the one the plan names, else the latest.
const Baseline* active_of(const Plan& plan, const std::vector<Baseline>& baselines) {
  if (plan.active_baseline_id) {
    for (const auto& b : baselines) {
      if (b.id == *plan.active_baseline_id) {
        return &b;
      }
    }
  }
  return baselines.empty() ? nullptr : &baselines.back();
}

Error unschedulable(const StoredSchedule& s) {
  return Error::invalid("The plan cannot be scheduled: " + s.error.value_or("unknown error"));
}

}  // namespace

Scheduling::Scheduling(db::Database& db, PlanStore& store, Planning& planning, const Clock& clock,
                       PlanChanged changed, std::function<void()> events_written)
    : db_(db),
      store_(store),
      planning_(planning),
      clock_(clock),
      changed_(std::move(changed)),
      events_written_(std::move(events_written)) {}

Result<std::vector<PlanRef>> Scheduling::plans_behind() {
  // Cross-tenant on purpose: the worker's start-up scan looks at every organisation's plans.
  return db_.transact(db::TxOptions{.mode = db::TxMode::kRead, .org_id = {}, .cross_tenant = true},
                      [&](db::Transaction& tx) { return store_.plans_behind(tx); });
}

Result<bool> Scheduling::compute(const PlanRef& ref) {
  auto loaded =
      db_.transact(read_in(ref.org_id), [&](db::Transaction& tx) -> Result<std::optional<Input>> {
        auto plan = store_.find_plan(tx, ref.org_id, ref.project_id);
        if (!plan) {
          return std::move(plan).error();
        }
        if (!plan->has_value()) {
          return std::optional<Input>();
        }
        Input in;
        in.plan = std::move(**plan);
        auto schedule = store_.find_schedule(tx, ref.org_id, ref.project_id);
        if (!schedule) {
          return std::move(schedule).error();
        }
        in.schedule = std::move(*schedule);
        if (in.schedule && in.schedule->version >= in.plan.input_version) {
          return std::optional<Input>();  // up to date
        }
        auto tasks = store_.project_tasks(tx, ref.org_id, ref.project_id);
        if (!tasks) {
          return std::move(tasks).error();
        }
        auto links = store_.project_links(tx, ref.org_id, ref.project_id);
        if (!links) {
          return std::move(links).error();
        }
        in.tasks = std::move(*tasks);
        in.links = std::move(*links);
        return std::optional<Input>(std::move(in));
      });
  if (!loaded) {
    return std::move(loaded).error();
  }
  if (!loaded->has_value()) {
    return false;
  }
  const Input& in = **loaded;
  const domain::Plan dp = domain_plan(in);
  auto [first, last] = years_of(dp);
  domain::WorkingCalendar calendar = in.plan.calendar.build(first, last);
  auto result = domain::compute_schedule(dp, calendar);
  // The bound is generous; should the finish still land past it, widen and compute again.
  for (int round = 0;
       round < 3 && result && year_of(result->project_finish) >= last && last < first + kMaxYears;
       ++round) {
    last = std::min(year_of(result->project_finish) + 2, first + kMaxYears);
    calendar = in.plan.calendar.build(first, last);
    result = domain::compute_schedule(dp, calendar);
  }

  StoredSchedule stored;
  stored.org_id = ref.org_id;
  stored.project_id = ref.project_id;
  stored.version = in.plan.input_version;
  stored.computed_at = clock_.now();
  if (result) {
    stored.body = json::serialize(schedule_body(in, *result));
  } else {
    stored.body = "{}";
    stored.error = result.error().message;
    log::warn("tasks.schedule_failed")
        .field("project_id", ref.project_id)
        .field("error", result.error().message);
  }
  bool emitted = false;
  auto saved = db_.transact(write_in(ref.org_id), [&](db::Transaction& tx) -> Result<void> {
    emitted = false;
    if (auto r = store_.save_schedule(tx, stored); !r) {
      return r;
    }
    if (!result) {
      return {};
    }
    auto baselines = store_.baselines(tx, ref.org_id, ref.project_id);
    if (!baselines) {
      return std::move(baselines).error();
    }
    const Baseline* active = active_of(in.plan, *baselines);
    if (active == nullptr) {
      return {};
    }
    std::map<std::string, domain::TaskIndex> index;
    for (size_t i = 0; i < in.tasks.size(); ++i) {
      index[in.tasks[i].id] = static_cast<domain::TaskIndex>(i);
    }
    std::vector<domain::BaselineFinish> finishes;
    for (const auto& bt : active->tasks) {
      if (auto it = index.find(bt.task_id); it != index.end()) {
        finishes.push_back({it->second, bt.finish});
      }
    }
    const auto slips = domain::find_slips(*result, finishes, calendar);
    auto seen = store_.slips(tx, ref.org_id, active->id);
    if (!seen) {
      return std::move(seen).error();
    }
    std::map<std::string, int64_t> now_late;
    for (const auto& slip : slips) {
      const std::string& task_id = in.tasks[slip.task].id;
      now_late[task_id] = slip.working_days_late;
      const auto before = seen->find(task_id);
      const int64_t previous = before == seen->end() ? 0 : before->second;
      if (slip.working_days_late > previous) {
        const json::object data{{"task_id", task_id},
                                {"project_id", ref.project_id},
                                {"baseline_id", active->id},
                                {"baseline_finish", format_date(slip.baseline_finish)},
                                {"forecast_finish", format_date(slip.forecast_finish)},
                                {"working_days_late", slip.working_days_late}};
        if (auto r = events::append(
                tx, events::CloudEvent::make(std::string(kSource), "tasks.TaskDelayed.v1", task_id,
                                             ref.org_id, json::serialize(data), clock_));
            !r) {
          return r;
        }
        emitted = true;
      }
    }
    // Remember where every task stands now, so that only a further slip is reported again.
    for (const auto& [task_id, previous] : *seen) {
      now_late.try_emplace(task_id, 0);
    }
    for (const auto& [task_id, late] : now_late) {
      const auto before = seen->find(task_id);
      if (before == seen->end() || before->second != late) {
        if (auto r = store_.set_slip(tx, ref.org_id, ref.project_id, active->id, task_id, late);
            !r) {
          return r;
        }
      }
    }
    return {};
  });
  if (!saved) {
    return std::move(saved).error();
  }
  if (emitted && events_written_) {
    events_written_();
  }
  return true;
}

Result<json::object> Scheduling::schedule(const Principal& caller, const std::string& project_id) {
  if (auto ok = planning_.allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  return db_.transact(read_in(caller.org_id), [&](db::Transaction& tx) -> Result<json::object> {
    auto plan = store_.find_plan(tx, caller.org_id, project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    if (!plan->has_value()) {
      return Error::not_found("No project with this id in your organisation.");
    }
    auto stored = store_.find_schedule(tx, caller.org_id, project_id);
    if (!stored) {
      return std::move(stored).error();
    }
    const int64_t input_version = (*plan)->input_version;
    if (!stored->has_value()) {
      return json::object{{"project_id", project_id},
                          {"version", 0},
                          {"input_version", input_version},
                          {"stale", true},
                          {"computed_at", nullptr},
                          {"project_finish", nullptr},
                          {"tasks", json::array{}},
                          {"critical_paths", json::array{}},
                          {"critical_paths_truncated", false},
                          {"warnings", json::array{}}};
    }
    const StoredSchedule& s = **stored;
    if (s.error) {
      return unschedulable(s);
    }
    json::object out{{"project_id", project_id},
                     {"version", s.version},
                     {"input_version", input_version},
                     {"stale", s.version < input_version},
                     {"computed_at", format_rfc3339(s.computed_at)}};
    for (auto& [key, value] : parse_body(s.body)) {
      out[key] = std::move(value);
    }
    return out;
  });
}

Result<json::object> Scheduling::gantt(const Principal& caller, const std::string& project_id) {
  if (auto ok = planning_.allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  return db_.transact(read_in(caller.org_id), [&](db::Transaction& tx) -> Result<json::object> {
    auto plan = store_.find_plan(tx, caller.org_id, project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    if (!plan->has_value()) {
      return Error::not_found("No project with this id in your organisation.");
    }
    const Plan& p = **plan;
    auto stored = store_.find_schedule(tx, caller.org_id, project_id);
    auto tasks = store_.project_tasks(tx, caller.org_id, project_id);
    auto links = store_.project_links(tx, caller.org_id, project_id);
    auto baselines = store_.baselines(tx, caller.org_id, project_id);
    if (!stored || !tasks || !links || !baselines) {
      return Error::unavailable("The plan could not be read: try again.");
    }
    if (stored->has_value() && (*stored)->error) {
      return unschedulable(**stored);
    }
    // The schedule's rows by task id.
    std::map<std::string, json::object> scheduled;
    json::object body = stored->has_value() ? parse_body((*stored)->body) : json::object{};
    if (const auto* rows = body.if_contains("tasks"); rows != nullptr && rows->is_array()) {
      for (const auto& row : rows->as_array()) {
        const auto& o = row.as_object();
        scheduled[std::string(o.at("task_id").as_string())] = o;
      }
    }
    std::map<std::string, const BaselineTask*> baseline;
    if (const Baseline* active = active_of(p, *baselines)) {
      for (const auto& bt : active->tasks) {
        baseline[bt.task_id] = &bt;
      }
    }
    json::array task_rows;
    for (const auto& t : *tasks) {
      const auto s = scheduled.find(t.id);
      const json::object* row = s == scheduled.end() ? nullptr : &s->second;
      auto field = [&](std::string_view key) -> json::value {
        return row != nullptr ? row->at(key) : json::value(nullptr);
      };
      const auto b = baseline.find(t.id);
      json::value start =
          t.actual_start ? json::value(format_date(*t.actual_start)) : field("early_start");
      json::value finish =
          t.actual_finish ? json::value(format_date(*t.actual_finish)) : field("early_finish");
      task_rows.push_back(json::object{
          {"id", t.id},
          {"name", t.name},
          {"lot_id", t.lot_id ? json::value(*t.lot_id) : json::value(nullptr)},
          {"start", std::move(start)},
          {"finish", std::move(finish)},
          {"duration_days", t.duration_days},
          {"progress_percent", t.progress_percent},
          {"milestone", t.duration_days == 0},
          {"critical", row != nullptr ? row->at("critical") : json::value(false)},
          {"total_float", field("total_float")},
          {"status", status_name(t.status)},
          {"baseline_start",
           b != baseline.end() ? json::value(format_date(b->second->start)) : json::value(nullptr)},
          {"baseline_finish", b != baseline.end() ? json::value(format_date(b->second->finish))
                                                  : json::value(nullptr)}});
    }
    json::array link_rows;
    for (const auto& l : *links) {
      link_rows.push_back(json::object{{"id", l.id},
                                       {"from", l.from},
                                       {"to", l.to},
                                       {"type", domain::link_type_code(l.type)},
                                       {"lag_days", l.lag_days}});
    }
    // The days of the span that depart from the weekly pattern: holidays and closures on working
    // weekdays, and worked days on the others. A chart shades the weekly pattern by itself.
    std::optional<Date> finish;
    if (const auto* f = body.if_contains("project_finish"); f != nullptr && f->is_string()) {
      finish = parse_date(f->as_string());
    }
    json::array non_working;
    json::array extra_working;
    json::array weekdays;
    for (auto d : p.calendar.working_weekdays) {
      weekdays.push_back(json::value(weekday_code(d)));
    }
    const Date span_end =
        std::min(finish.value_or(p.start), p.start + std::chrono::days(kMaxGanttSpanDays));
    const auto calendar = p.calendar.build(year_of(p.start), year_of(span_end));
    for (Date d = p.start; d <= span_end; d += std::chrono::days(1)) {
      const bool pattern =
          std::find(p.calendar.working_weekdays.begin(), p.calendar.working_weekdays.end(),
                    std::chrono::weekday(d)) != p.calendar.working_weekdays.end();
      const bool working = calendar.is_working(d);
      if (pattern && !working) {
        non_working.push_back(json::value(format_date(d)));
      } else if (!pattern && working) {
        extra_working.push_back(json::value(format_date(d)));
      }
    }
    const int64_t version = stored->has_value() ? (*stored)->version : 0;
    return json::object{
        {"project",
         json::object{{"id", p.project_id},
                      {"name", p.name},
                      {"start", format_date(p.start)},
                      {"finish", finish ? json::value(format_date(*finish)) : json::value(nullptr)},
                      {"deadline",
                       p.deadline ? json::value(format_date(*p.deadline)) : json::value(nullptr)}}},
        {"calendar", json::object{{"working_weekdays", std::move(weekdays)},
                                  {"non_working_days", std::move(non_working)},
                                  {"extra_working_days", std::move(extra_working)}}},
        {"tasks", std::move(task_rows)},
        {"links", std::move(link_rows)},
        {"version", version},
        {"input_version", p.input_version},
        {"stale", version < p.input_version}};
  });
}

Result<Baseline> Scheduling::create_baseline(const Principal& caller, const std::string& project_id,
                                             const std::string& name) {
  if (auto ok = planning_.allow(caller, ProjectAction::kPlanManage, project_id); !ok) {
    return std::move(ok).error();
  }
  if (name.empty() || name.size() > 200) {
    return Error::invalid("Some fields are missing or invalid.",
                          {{"name", "Between 1 and 200 characters."}});
  }
  auto created =
      db_.transact(write_in(caller.org_id), [&](db::Transaction& tx) -> Result<Baseline> {
        auto stored = store_.find_schedule(tx, caller.org_id, project_id);
        if (!stored) {
          return std::move(stored).error();
        }
        if (!stored->has_value()) {
          return Error::conflict("This plan has no schedule yet: try again in a moment.");
        }
        if ((*stored)->error) {
          return unschedulable(**stored);
        }
        Baseline b;
        b.id = Uuid::v7(clock_).str();
        b.org_id = caller.org_id;
        b.project_id = project_id;
        b.name = name;
        b.schedule_version = (*stored)->version;
        b.created_at = clock_.now();
        const json::object body = parse_body((*stored)->body);
        if (const auto* rows = body.if_contains("tasks"); rows != nullptr && rows->is_array()) {
          for (const auto& row : rows->as_array()) {
            const auto& o = row.as_object();
            auto start = parse_date(o.at("early_start").as_string());
            auto finish = parse_date(o.at("early_finish").as_string());
            if (start && finish) {
              b.tasks.push_back({std::string(o.at("task_id").as_string()), *start, *finish});
            }
          }
        }
        if (auto r = store_.insert_baseline(tx, b); !r) {
          return std::move(r).error();
        }
        // Recompute, so that slips are measured against the new baseline at once.
        if (auto r = store_.bump_input_version(tx, caller.org_id, project_id); !r) {
          return std::move(r).error();
        }
        return b;
      });
  if (created && changed_) {
    changed_({caller.org_id, project_id});
  }
  return created;
}

Result<BaselineList> Scheduling::baselines(const Principal& caller, const std::string& project_id) {
  if (auto ok = planning_.allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  return db_.transact(read_in(caller.org_id), [&](db::Transaction& tx) -> Result<BaselineList> {
    auto plan = store_.find_plan(tx, caller.org_id, project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    if (!plan->has_value()) {
      return Error::not_found("No project with this id in your organisation.");
    }
    auto list = store_.baselines(tx, caller.org_id, project_id);
    if (!list) {
      return std::move(list).error();
    }
    BaselineList out;
    out.baselines = std::move(*list);
    if (const Baseline* active = active_of(**plan, out.baselines)) {
      out.active_id = active->id;
    }
    return out;
  });
}

Result<Baseline> Scheduling::activate_baseline(const Principal& caller,
                                               const std::string& project_id,
                                               const std::string& baseline_id) {
  if (auto ok = planning_.allow(caller, ProjectAction::kPlanManage, project_id); !ok) {
    return std::move(ok).error();
  }
  auto activated =
      db_.transact(write_in(caller.org_id), [&](db::Transaction& tx) -> Result<Baseline> {
        auto list = store_.baselines(tx, caller.org_id, project_id);
        if (!list) {
          return std::move(list).error();
        }
        for (const auto& b : *list) {
          if (b.id == baseline_id) {
            if (auto r = store_.set_active_baseline(tx, caller.org_id, project_id, baseline_id);
                !r) {
              return std::move(r).error();
            }
            if (auto r = store_.bump_input_version(tx, caller.org_id, project_id); !r) {
              return std::move(r).error();
            }
            return b;
          }
        }
        return Error::not_found("No baseline with this id on this project.");
      });
  if (activated && changed_) {
    changed_({caller.org_id, project_id});
  }
  return activated;
}

Result<json::object> Scheduling::variance(const Principal& caller, const std::string& project_id,
                                          const std::string& baseline_id) {
  if (auto ok = planning_.allow(caller, ProjectAction::kTasksRead, project_id); !ok) {
    return std::move(ok).error();
  }
  return db_.transact(read_in(caller.org_id), [&](db::Transaction& tx) -> Result<json::object> {
    auto plan = store_.find_plan(tx, caller.org_id, project_id);
    if (!plan) {
      return std::move(plan).error();
    }
    if (!plan->has_value()) {
      return Error::not_found("No project with this id in your organisation.");
    }
    const Plan& p = **plan;
    auto baselines = store_.baselines(tx, caller.org_id, project_id);
    auto stored = store_.find_schedule(tx, caller.org_id, project_id);
    auto tasks = store_.project_tasks(tx, caller.org_id, project_id);
    if (!baselines || !stored || !tasks) {
      return Error::unavailable("The plan could not be read: try again.");
    }
    const auto chosen = std::find_if(baselines->begin(), baselines->end(),
                                     [&](const Baseline& b) { return b.id == baseline_id; });
    if (chosen == baselines->end()) {
      return Error::not_found("No baseline with this id on this project.");
    }
    if (!stored->has_value()) {
      return Error::conflict("This plan has no schedule yet: try again in a moment.");
    }
    const StoredSchedule& s = **stored;
    if (s.error) {
      return unschedulable(s);
    }
    const json::object body = parse_body(s.body);
    struct Forecast {
      Date start;
      Date finish;
    };
    std::map<std::string, Forecast> forecast;
    if (const auto* rows = body.if_contains("tasks"); rows != nullptr && rows->is_array()) {
      for (const auto& row : rows->as_array()) {
        const auto& o = row.as_object();
        auto start = parse_date(o.at("early_start").as_string());
        auto finish = parse_date(o.at("early_finish").as_string());
        if (start && finish) {
          forecast[std::string(o.at("task_id").as_string())] = {*start, *finish};
        }
      }
    }
    std::optional<Date> forecast_finish;
    if (const auto* f = body.if_contains("project_finish"); f != nullptr && f->is_string()) {
      forecast_finish = parse_date(f->as_string());
    }
    std::map<std::string, const BaselineTask*> baseline;
    std::optional<Date> baseline_finish;
    Date earliest = p.start;
    Date latest = forecast_finish.value_or(p.start);
    for (const auto& bt : chosen->tasks) {
      baseline[bt.task_id] = &bt;
      baseline_finish = std::max(baseline_finish.value_or(bt.finish), bt.finish);
      earliest = std::min(earliest, bt.start);
      latest = std::max(latest, bt.finish);
    }
    for (const auto& [id, f] : forecast) {
      earliest = std::min(earliest, f.start);
      latest = std::max(latest, f.finish);
    }
    const int first_year = year_of(earliest) - 1;
    const int last_year = std::min(year_of(latest) + 1, first_year + kMaxYears);
    const domain::WorkingCalendar calendar = p.calendar.build(first_year, last_year);
    // Working days in (from, to]: positive when `to` is later, negative when it is earlier.
    const auto slip = [&](Date from, Date to) {
      return calendar.working_days_between(from + std::chrono::days(1), to + std::chrono::days(1));
    };
    const auto date_or_null = [](const std::optional<Date>& d) {
      return d ? json::value(format_date(*d)) : json::value(nullptr);
    };
    json::array rows;
    for (const auto& t : *tasks) {
      const auto b = baseline.find(t.id);
      const auto f = forecast.find(t.id);
      const BaselineTask* bt = b == baseline.end() ? nullptr : b->second;
      const Forecast* ft = f == forecast.end() ? nullptr : &f->second;
      const auto days_or_null = [&](bool start) {
        if (bt == nullptr || ft == nullptr) {
          return json::value(nullptr);
        }
        return start ? json::value(slip(bt->start, ft->start))
                     : json::value(slip(bt->finish, ft->finish));
      };
      rows.push_back(json::object{
          {"task_id", t.id},
          {"name", t.name},
          {"baseline_start", date_or_null(bt ? std::optional<Date>(bt->start) : std::nullopt)},
          {"baseline_finish", date_or_null(bt ? std::optional<Date>(bt->finish) : std::nullopt)},
          {"forecast_start", date_or_null(ft ? std::optional<Date>(ft->start) : std::nullopt)},
          {"forecast_finish", date_or_null(ft ? std::optional<Date>(ft->finish) : std::nullopt)},
          {"start_slip_days", days_or_null(true)},
          {"finish_slip_days", days_or_null(false)}});
    }
    json::value finish_slip = nullptr;
    if (baseline_finish && forecast_finish) {
      finish_slip = slip(*baseline_finish, *forecast_finish);
    }
    return json::object{{"project_id", project_id},
                        {"baseline_id", chosen->id},
                        {"baseline_name", chosen->name},
                        {"version", s.version},
                        {"input_version", p.input_version},
                        {"stale", s.version < p.input_version},
                        {"project", json::object{{"baseline_finish", date_or_null(baseline_finish)},
                                                 {"forecast_finish", date_or_null(forecast_finish)},
                                                 {"finish_slip_days", std::move(finish_slip)}}},
                        {"tasks", std::move(rows)}};
  });
}

}  // namespace atelier::tasks::app
