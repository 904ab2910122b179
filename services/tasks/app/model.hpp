// What the tasks service keeps about a project's plan: the plan itself (a projection of the
// projects service's project), its working calendar, tasks with their Kanban place and checklist,
// links, computed schedules and baselines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"
#include "tasks/domain/calendar.hpp"
#include "tasks/domain/critical_path.hpp"

namespace atelier::tasks::app {

using domain::Date;

// "YYYY-MM-DD" of a day that exists; nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date day);

enum class HolidayRegion : std::uint8_t { kFrance, kAlsaceMoselle, kNone };
std::string_view holiday_region_name(HolidayRegion region);  // "fr", "fr-alsace-moselle", "none"
std::optional<HolidayRegion> parse_holiday_region(std::string_view name);

struct CalendarException {
  Date date;
  bool working = false;
  std::string reason;
};

// A working calendar as stored: holidays are not listed but computed from the region for
// whatever years a computation needs.
struct CalendarSettings {
  std::vector<std::chrono::weekday> working_weekdays;  // sorted by ISO order (Monday first)
  HolidayRegion holiday_region = HolidayRegion::kFrance;
  std::vector<CalendarException> exceptions;  // sorted by date, one per date

  // Monday to Friday with the metropolitan French public holidays.
  static CalendarSettings french_default();
  // The domain calendar with the holidays of [first_year, last_year].
  domain::WorkingCalendar build(int first_year, int last_year) const;
};

std::string_view weekday_code(std::chrono::weekday day);  // "mon" ... "sun"
std::optional<std::chrono::weekday> parse_weekday(std::string_view code);

struct Plan {
  std::string org_id;
  std::string project_id;
  std::string name;
  std::optional<std::string> code;  // "RES-TILLEULS": the project's code, when known
  Date start;
  std::optional<Date> deadline;
  std::optional<std::string> created_by;
  int64_t input_version = 1;
  CalendarSettings calendar;
  int64_t calendar_version = 1;
  std::optional<std::string> active_baseline_id;
  TimePoint updated_at;
};

enum class TaskStatus : std::uint8_t { kTodo, kInProgress, kBlocked, kDone };
std::string_view status_name(TaskStatus status);
std::optional<TaskStatus> parse_status(std::string_view name);
inline constexpr TaskStatus kAllStatuses[] = {TaskStatus::kTodo, TaskStatus::kInProgress,
                                              TaskStatus::kBlocked, TaskStatus::kDone};

std::string_view constraint_kind_name(domain::ConstraintKind kind);
std::optional<domain::ConstraintKind> parse_constraint_kind(std::string_view name);

struct ChecklistItem {
  std::string id;
  std::string text;
  bool done = false;
};

struct Task {
  std::string id;
  std::string org_id;
  std::string project_id;
  std::string name;
  std::string description;
  int duration_days = 0;  // 0: a milestone
  std::optional<std::string> lot_id;
  std::vector<std::string> assignees;
  std::optional<domain::Constraint> constraint;
  TaskStatus status = TaskStatus::kTodo;
  int64_t rank = 0;  // place in its Kanban column
  int progress_percent = 0;
  std::optional<Date> actual_start;
  std::optional<Date> actual_finish;
  std::vector<ChecklistItem> checklist;
  int64_t version = 1;
  TimePoint created_at;
  TimePoint updated_at;
};

struct TaskLink {
  std::string id;
  std::string org_id;
  std::string project_id;
  std::string from;
  std::string to;
  domain::LinkType type = domain::LinkType::kFinishToStart;
  int lag_days = 0;
  TimePoint created_at;
};

// A computed schedule as stored: the JSON body the API shows (see schedule_body in
// scheduling.cpp), or the error that kept it from being computed.
struct StoredSchedule {
  std::string org_id;
  std::string project_id;
  int64_t version = 0;
  TimePoint computed_at;
  std::string body;
  std::optional<std::string> error;
};

struct BaselineTask {
  std::string task_id;
  Date start;
  Date finish;
};

struct Baseline {
  std::string id;
  std::string org_id;
  std::string project_id;
  std::string name;
  int64_t schedule_version = 0;
  std::vector<BaselineTask> tasks;
  TimePoint created_at;
};

}  // namespace atelier::tasks::app
