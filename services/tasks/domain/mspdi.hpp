// MS Project XML (MSPDI, namespace http://schemas.microsoft.com/project): a plan as planners
// exchange it with MS Project and ProjectLibre, read from text and written back. Pure: text in,
// value out; the tasks service maps the value to its own tasks, lots and links.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"
#include "tasks/domain/calendar.hpp"
#include "tasks/domain/critical_path.hpp"

namespace atelier::tasks::domain {

// Days a calendar exception covers, first to last inclusive: a holiday (not working) or a day
// worked although the weekly pattern says otherwise. Recurring exceptions (1 May every year)
// arrive as one entry per occurrence.
struct MspdiException {
  Date first;
  Date last;
  bool working = false;
  std::string name;  // "Fête du travail"; may be empty

  bool operator==(const MspdiException&) const = default;
};

// The project calendar as MSPDI holds it. Whole days only: the working hours of a day are
// MspdiProject::minutes_per_day, and the writer lays them out from 08:00.
struct MspdiCalendar {
  std::string name = "Standard";
  // Sorted by C encoding (Sunday first), as WorkingCalendar::working_weekdays() gives them.
  std::vector<std::chrono::weekday> working_weekdays = {std::chrono::Monday, std::chrono::Tuesday,
                                                        std::chrono::Wednesday,
                                                        std::chrono::Thursday, std::chrono::Friday};
  // In file order; where two cover the same day the later one wins, as a derived calendar's
  // exceptions win over its base calendar's.
  std::vector<MspdiException> exceptions;

  bool operator==(const MspdiCalendar&) const = default;
};

// The calendar the scheduler runs on. Fails (kInvalid) when no weekday is working. Costs one
// calendar rebuild per working exception day (WorkingCalendar sets them one at a time), so the
// parser caps exception days (MspdiLimits::max_exception_days).
Result<WorkingCalendar> to_working_calendar(const MspdiCalendar& calendar);
// A calendar for export: its working weekdays, a non-working exception for each holiday or
// exception day it does not work, a working one for each day it works although its weekday
// does not; consecutive days of the same kind become one exception.
MspdiCalendar to_mspdi_calendar(const WorkingCalendar& calendar, std::string name = "Standard");

// A constraint the scheduler supports. MSPDI ConstraintType 4 (start no earlier than), 3 (must
// finish on) and 7 (finish no later than) map here; the others do not (see parse_mspdi).
struct MspdiConstraint {
  ConstraintKind kind = ConstraintKind::kStartNoEarlierThan;
  Date date;

  bool operator==(const MspdiConstraint&) const = default;
};

struct MspdiTask {
  int uid = 0;  // MS Project's unique id, which links use; unique in a project
  std::string name;
  // Working days: MSPDI durations (PT16H0M0S) are working time, converted with
  // MspdiProject::minutes_per_day; a partial day is rounded up, with a warning.
  int duration_days = 0;
  bool milestone = false;
  // A task with subtasks: the rows below it with a deeper outline level, up to the next row at
  // its level or above. Its duration and dates are what MS Project computed from them.
  bool summary = false;
  int outline_level = 1;       // 1 for top-level rows
  std::string wbs;             // "1.2.3" or the file's own code; may be empty
  std::optional<Date> start;   // planned, as the file has it
  std::optional<Date> finish;  // planned, inclusive
  std::optional<Date> actual_start;
  std::optional<Date> actual_finish;
  int percent_complete = 0;  // 0..100
  std::optional<MspdiConstraint> constraint;
  std::string notes;
  // The name of the summary task at outline level 1 this row sits under: the work package (lot)
  // of a file organised by trade, such as "Gros œuvre" or "Électricité". Empty for level-1 rows,
  // lot summaries included.
  std::string lot;

  bool operator==(const MspdiTask&) const = default;
};

// MSPDI keeps links on their successor (PredecessorLink); here they are a flat list.
struct MspdiLink {
  int predecessor_uid = 0;
  int successor_uid = 0;
  LinkType type = LinkType::kFinishToStart;
  int lag_days = 0;  // working days; negative is a lead

  bool operator==(const MspdiLink&) const = default;
};

struct MspdiProject {
  std::string name;
  Date start;
  std::optional<Date> finish;
  int minutes_per_day = 480;  // MS Project's "hours per day" × 60: what one day of duration is
  MspdiCalendar calendar;
  // In outline order (MS Project's row order); summary tasks included, the project summary
  // task (UID 0, outline level 0) and blank rows left out.
  std::vector<MspdiTask> tasks;
  // Grouped by successor in task order, as the file lists them.
  std::vector<MspdiLink> links;

  bool operator==(const MspdiProject&) const = default;
};

// What an import accepts before refusing the file. The defaults hold any real construction plan
// with a wide margin; they bound the memory and time an untrusted upload can cost.
struct MspdiLimits {
  std::size_t max_bytes = std::size_t{32} * 1024 * 1024;
  std::size_t max_tasks = 100'000;    // <Task> elements, summaries and blank rows included
  std::size_t max_links = 400'000;    // <PredecessorLink> elements
  std::size_t max_name_length = 512;  // characters, for project, task, calendar, exception names
  std::size_t max_notes_length = 65'536;  // characters
  // Days covered by the project calendar's exceptions once recurrences are expanded.
  std::size_t max_exception_days = 10'000;
};

struct MspdiImport {
  MspdiProject project;
  // What was read but not kept as the file says: durations and lags rounded to whole days,
  // constraints and calendar features the scheduler does not support, and the like. Each names
  // the line and the task.
  std::vector<std::string> warnings;
};

// Reads an MSPDI document (MS Project 2003 to 365, ProjectLibre). Fails with:
// - kPayloadTooLarge when `xml` is longer than limits.max_bytes;
// - kInvalid for everything else that is wrong, with a message that starts with the line:
//   "line 42, column 7: mismatched tag" (the XML itself; the column counts from 1),
//   "line 88: task 12: Duration 'P3X' is not an ISO 8601 duration" (a value; task 12 is the
//   UID), a root element other than MSPDI's <Project>, a DOCTYPE (MS Project never writes one,
//   and refusing it rules out entity expansion and external entities altogether), a link naming
//   an unknown task, a self-link or a second link between the same two tasks, two tasks with
//   one UID, a negative duration, an outline level that skips a level, and any limit exceeded.
// Mapped with warnings rather than refused:
// - constraints other than 4, 3, 7: ASAP (0) is no constraint; ALAP (1), must start on (2),
//   start no later than (5) and finish no earlier than (6) are dropped, each with a warning;
// - elapsed durations and lags (ed, ew, ...) count 24 hours as one working day, with a warning;
// - links to another project (CrossProject) are dropped;
// - recurring calendar exceptions are expanded when daily or yearly, dropped otherwise.
// Percentage lags (LagFormat 19, 20, 51, 52) other than 0% are refused: converting them needs the
// predecessor's duration as MS Project would compute it, and a lag that silently changed length
// would be worse than asking the planner to express it in days.
// Links may name summary tasks, as MS Project allows; what they mean for a plan without summary
// tasks is the caller's decision.
Result<MspdiImport> parse_mspdi(std::string_view xml, const MspdiLimits& limits = {});

// An MSPDI document MS Project and ProjectLibre open: the project, one base calendar (the
// working weekdays from 08:00, 12:00–13:00 off, minutes_per_day long; the exceptions), the
// tasks with their links. Each task carries its lot in the file's outline: a task with a lot is
// written at level 2 or deeper under a level-1 summary task of that name, which is created
// (UID above every task's) where the task does not already sit under one. A flat project (no
// summary task, every outline level 1, as the tasks service keeps its plan) is first grouped
// by lot, each lot where its first task is, so each lot gets one summary; a project with
// summary tasks keeps its row order. So a flat list of tasks with lots comes back from
// parse_mspdi with its lot summaries, and for anything parse_mspdi returns,
// parse_mspdi(write_mspdi(p)).project == p.
// Names are escaped; characters XML 1.0 cannot carry (most control characters, invalid UTF-8)
// are dropped. Links naming no task of the project are left out. Planned dates that are set are
// written from 08:00 to 17:00 (for the standard day); give the schedule's early dates for a file
// that opens on the same dates.
std::string write_mspdi(const MspdiProject& project);

}  // namespace atelier::tasks::domain
