// The critical path method over a project's tasks and links: early and late dates, total and free
// float, the critical path(s). Pure: the caller loads the plan, this computes its schedule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"
#include "tasks/domain/calendar.hpp"

namespace atelier::tasks::domain {

// How this scheduler counts time — read this before the link types.
//
// All arithmetic is in working days of the project's calendar. Boundary k is the instant that
// ends working day k - 1 and starts working day k (Friday evening and Monday morning are the same
// instant of working time). A task of duration d > 0 starts at boundary S and finishes at
// boundary S + d: it occupies working days S .. S + d - 1 and is shown from day S to day S + d - 1,
// finish date inclusive, as MS Project shows it. Links, lags and float count these boundaries.
//
// A milestone (d = 0) takes no time but is shown on a day, so it also keeps the side of the night
// it sits on: the evening of day k - 1 when a finish placed it (an FS or FF link from a task, a
// must-finish-on date, its actual date), the morning of day k when a start did (the project start,
// an SS or SF link from a task, a start-no-earlier-than date). The evening comes first, as on a
// clock: a milestone that closes work ending on Friday is shown on Friday and its FS successors
// start on Monday; a milestone that opens the project is shown on its first day. This is MS
// Project's rule with 17:00 and 08:00 as the only times of day. A milestone's late date is the
// day it must be reached by (an evening, like a task's late finish), except that a milestone
// with no float shows its early date for both.
//
// Dates users give: a start-type date D (project start, start-no-earlier-than, actual start) is
// the morning of D, or of the next working day when D is not one; a finish-type date D (must-
// finish-on, finish-no-later-than, actual finish, deadline) is the evening of D, or of the last
// working day before it.

// A task is named by its position in Plan::tasks. The application keeps the map between its ids
// and these positions (resolve_links below builds it for links named by id); the scheduler's
// passes then run on flat arrays.
using TaskIndex = std::uint32_t;

// A dependency between two tasks, on the boundaries above, with `lag` in working days:
//   finish-to-start  FS   successor.start  >= predecessor.finish + lag
//   start-to-start   SS   successor.start  >= predecessor.start  + lag
//   finish-to-finish FF   successor.finish >= predecessor.finish + lag
//   start-to-finish  SF   successor.finish >= predecessor.start  + lag
// In the inclusive days users see (ES, and EF = ES + d - 1 for a task of duration d > 0):
//   FS: succ.ES >= pred.EF + 1 + lag   (the next working day after the finish, shifted by lag)
//   SS: succ.ES >= pred.ES + lag
//   FF: succ.EF >= pred.EF + lag
//   SF: succ.EF >= pred.ES + lag - 1   (lag 0: the successor is done by the evening before the
//                                       predecessor starts)
// These are MS Project's rules with time of day taken out. A negative lag is a lead: FS -2 lets
// the successor start two working days before the predecessor finishes. Early starts never
// precede the project start, and late finishes never pass the project finish (or the deadline),
// whatever the links allow.
enum class LinkType : std::uint8_t {
  kFinishToStart,
  kStartToStart,
  kFinishToFinish,
  kStartToFinish,
};

// "FS", "SS", "FF", "SF": the codes planners use, and those the API speaks.
std::string_view link_type_code(LinkType type);
std::optional<LinkType> parse_link_type(std::string_view code);

struct Link {
  TaskIndex from = 0;  // the predecessor
  TaskIndex to = 0;    // the successor
  LinkType type = LinkType::kFinishToStart;
  int lag = 0;  // working days; negative is a lead
};

enum class ConstraintKind : std::uint8_t {
  // Raises the early start; links may still push the task later.
  kStartNoEarlierThan,
  // Pins the finish on the date, for early and late dates alike; when links would push it later
  // the date still holds and the schedule carries a warning (the conflict is the planner's call).
  kMustFinishOn,
  // Caps the late finish; when the early finish is past it the schedule carries a warning.
  kFinishNoLaterThan,
};

struct Constraint {
  ConstraintKind kind = ConstraintKind::kStartNoEarlierThan;
  Date date;
};

struct TaskInput {
  std::string id;    // how messages name the task: "links form a cycle: A → B → A"
  int duration = 0;  // working days; 0 is a milestone
  std::optional<Constraint> constraint;
  // What happened on site wins over links and constraints. A started task keeps its actual start
  // and its planned duration; a finished task is placed on its actual dates (an actual finish
  // needs an actual start) and drives its successors from there.
  std::optional<Date> actual_start;
  std::optional<Date> actual_finish;
};

struct Plan {
  Date start;  // tasks start no earlier than this, whatever their links say
  std::vector<TaskInput> tasks;
  std::vector<Link> links;
  // Late dates count back from this date (evening) instead of the forecast finish, so float turns
  // negative when the forecast finish is past it.
  std::optional<Date> deadline;
};

struct ScheduleOptions {
  // Critical paths can multiply in a dense network; the listing stops at this many and says so.
  std::size_t max_critical_paths = 32;
};

struct ScheduledTask {
  Date early_start;
  Date early_finish;
  Date late_start;
  Date late_finish;
  // Working days the task can slip without moving the project finish (or the deadline).
  std::int64_t total_float = 0;
  // Working days it can slip without moving any successor's early dates, nor the project finish.
  std::int64_t free_float = 0;
  // Total float <= 0, and not finished: a finished task drives nothing any more.
  bool critical = false;
};

enum class WarningKind : std::uint8_t {
  kMustFinishOnConflict,     // links push the task past its must-finish-on date
  kFinishNoLaterThanMissed,  // the early finish is past the finish-no-later-than date
  kStartedOutOfSequence,     // actually started before its links allow
};

struct ScheduleWarning {
  TaskIndex task = 0;
  WarningKind kind = WarningKind::kMustFinishOnConflict;
  std::string message;
};

struct Schedule {
  std::vector<ScheduledTask> tasks;  // tasks[i] is the schedule of Plan::tasks[i]
  Date project_finish;               // the latest early finish; Plan::start for an empty plan
  // Chains of critical tasks, each from a task no critical link drives to one that drives no
  // critical task, following driving links (those with no slack on the early dates). Two parallel
  // branches of equal length give two paths. In task order of their first task, then link order.
  std::vector<std::vector<TaskIndex>> critical_paths;
  bool critical_paths_truncated = false;  // more than ScheduleOptions::max_critical_paths
  std::vector<ScheduleWarning> warnings;
};

// The schedule of `plan` on `calendar`. Fails with ErrorCode::kInvalid (422) when:
// - a field is wrong: FieldErrors name it, such as "tasks[3].duration" (negative, or beyond
//   10,000 working days), "links[2].to" (no such task), "links[4]" (a self-link, or a duplicate of
//   an earlier link between the same two tasks), "links[5].lag" (beyond ±10,000), or
//   "tasks[1].actual_start" (an actual finish without one);
// - the links form a cycle: the message names it in link order, "links form a cycle: A → B → C →
//   A", and there is one FieldError per link on it ("links[7]").
// O(tasks + links): one topological sort (Kahn's, iterative) and two passes over flat arrays.
Result<Schedule> compute_schedule(const Plan& plan, const WorkingCalendar& calendar,
                                  const ScheduleOptions& options = {});

// A cycle among `links` as the tasks on it in link order (the first task is not repeated at the
// end), starting from its lowest index; empty when there is none. Links naming tasks outside
// [0, task_count) are ignored. The check the application runs before saving a new link.
std::vector<TaskIndex> find_cycle(std::size_t task_count, std::span<const Link> links);

// A link as the API receives it: tasks named by id.
struct NamedLink {
  std::string from;
  std::string to;
  LinkType type = LinkType::kFinishToStart;
  int lag = 0;
};

// Links by task position, for links named by TaskInput::id. Fails with kInvalid and FieldErrors
// on unknown ids ("links[2].from") and on two tasks sharing an id ("tasks[5].id").
Result<std::vector<Link>> resolve_links(std::span<const TaskInput> tasks,
                                        std::span<const NamedLink> links);

}  // namespace atelier::tasks::domain
