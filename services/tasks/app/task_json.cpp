#include "tasks/app/task_json.hpp"

#include <boost/json.hpp>

namespace atelier::tasks::app {

namespace json = boost::json;

namespace {

json::value opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::value opt(const std::optional<Date>& d) {
  return d ? json::value(format_date(*d)) : json::value(nullptr);
}

}  // namespace

json::object task_json(const Task& t) {
  json::array assignees;
  for (const auto& a : t.assignees) {
    assignees.push_back(json::value(a));
  }
  json::array checklist;
  for (const auto& i : t.checklist) {
    checklist.push_back(json::object{{"id", i.id}, {"text", i.text}, {"done", i.done}});
  }
  json::value constraint = nullptr;
  if (t.constraint) {
    constraint = json::object{{"kind", constraint_kind_name(t.constraint->kind)},
                              {"date", format_date(t.constraint->date)}};
  }
  return {{"id", t.id},
          {"org_id", t.org_id},
          {"project_id", t.project_id},
          {"name", t.name},
          {"description", t.description},
          {"duration_days", t.duration_days},
          {"milestone", t.duration_days == 0},
          {"lot_id", opt(t.lot_id)},
          {"assignees", std::move(assignees)},
          {"constraint", std::move(constraint)},
          {"status", status_name(t.status)},
          {"rank", t.rank},
          {"progress_percent", t.progress_percent},
          {"actual_start", opt(t.actual_start)},
          {"actual_finish", opt(t.actual_finish)},
          {"checklist", std::move(checklist)},
          {"version", t.version},
          {"created_at", format_rfc3339(t.created_at)},
          {"updated_at", format_rfc3339(t.updated_at)}};
}

json::object link_json(const TaskLink& l) {
  return {{"id", l.id},
          {"project_id", l.project_id},
          {"from", l.from},
          {"to", l.to},
          {"type", domain::link_type_code(l.type)},
          {"lag_days", l.lag_days},
          {"created_at", format_rfc3339(l.created_at)}};
}

json::object calendar_json(const Plan& p) {
  json::array weekdays;
  for (auto d : p.calendar.working_weekdays) {
    weekdays.push_back(json::value(weekday_code(d)));
  }
  json::array exceptions;
  for (const auto& e : p.calendar.exceptions) {
    exceptions.push_back(
        json::object{{"date", format_date(e.date)}, {"working", e.working}, {"reason", e.reason}});
  }
  return {{"project_id", p.project_id},
          {"working_weekdays", std::move(weekdays)},
          {"holiday_region", holiday_region_name(p.calendar.holiday_region)},
          {"exceptions", std::move(exceptions)},
          {"version", p.calendar_version}};
}

json::object baseline_json(const Baseline& b, bool active, bool with_tasks) {
  json::object out{{"id", b.id},
                   {"project_id", b.project_id},
                   {"name", b.name},
                   {"schedule_version", b.schedule_version},
                   {"active", active},
                   {"task_count", b.tasks.size()},
                   {"created_at", format_rfc3339(b.created_at)}};
  if (with_tasks) {
    json::array tasks;
    for (const auto& t : b.tasks) {
      tasks.push_back(json::object{{"task_id", t.task_id},
                                   {"start", format_date(t.start)},
                                   {"finish", format_date(t.finish)}});
    }
    out["tasks"] = std::move(tasks);
  }
  return out;
}

}  // namespace atelier::tasks::app
