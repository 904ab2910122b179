// The critical path method on flat arrays: successors in CSR form, Kahn's topological order, a
// forward pass that pushes early starts along links and a backward pass that pulls late finishes,
// all on working-day boundaries; dates come back only at the end.
#include "tasks/domain/critical_path.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

namespace atelier::tasks::domain {

namespace {

using std::chrono::days;

// Ten thousand working days is some forty years: past that a duration or a lag is a typing
// error, and the bound keeps every sum of a 100k-task chain far inside 64 bits.
constexpr int kMaxWorkingDays = 10000;
constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();
constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

bool links_from_finish(LinkType type) {
  return type == LinkType::kFinishToStart || type == LinkType::kFinishToFinish;
}

bool links_to_finish(LinkType type) {
  return type == LinkType::kFinishToFinish || type == LinkType::kStartToFinish;
}

// One link as its predecessor sees it.
struct Edge {
  TaskIndex to;
  std::uint32_t link;  // position in Plan::links, for messages
  std::int32_t lag;
  bool from_finish;  // measured from the predecessor's finish (FS, FF), else its start
  bool to_finish;    // constrains the successor's finish (FF, SF), else its start
};

// Every task's successors, contiguous: edges[offsets[i] .. offsets[i + 1]).
struct Successors {
  std::vector<std::uint32_t> offsets;
  std::vector<Edge> edges;

  std::span<const Edge> of(TaskIndex task) const {
    return {edges.data() + offsets[task], edges.data() + offsets[task + 1]};
  }
};

// Counting sort by predecessor. Stable, so a task's successors keep the order of the links and
// the first of two duplicates is the earlier one. Links naming no task are left out.
Successors build_successors(std::size_t task_count, std::span<const Link> links) {
  Successors succ;
  succ.offsets.assign(task_count + 1, 0);
  auto valid = [task_count](const Link& link) {
    return link.from < task_count && link.to < task_count;
  };
  for (const Link& link : links) {
    if (valid(link)) {
      ++succ.offsets[link.from + 1];
    }
  }
  for (std::size_t i = 0; i < task_count; ++i) {
    succ.offsets[i + 1] += succ.offsets[i];
  }
  succ.edges.resize(succ.offsets[task_count]);
  std::vector<std::uint32_t> next(succ.offsets.begin(), succ.offsets.end() - 1);
  for (std::size_t k = 0; k < links.size(); ++k) {
    const Link& link = links[k];
    if (valid(link)) {
      succ.edges[next[link.from]++] = {link.to, static_cast<std::uint32_t>(k), link.lag,
                                       links_from_finish(link.type), links_to_finish(link.type)};
    }
  }
  return succ;
}

// Kahn's algorithm, iterative whatever the depth. The order is shorter than the task count when
// links form a cycle; `indegree` is then left above zero on the tasks of the cycle and downstream.
std::vector<TaskIndex> topological_order(const Successors& succ,
                                         std::vector<std::uint32_t>& indegree) {
  const std::size_t n = succ.offsets.size() - 1;
  indegree.assign(n, 0);
  for (const Edge& e : succ.edges) {
    ++indegree[e.to];
  }
  std::vector<TaskIndex> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) {
      order.push_back(static_cast<TaskIndex>(i));
    }
  }
  for (std::size_t head = 0; head < order.size(); ++head) {
    for (const Edge& e : succ.of(order[head])) {
      if (--indegree[e.to] == 0) {
        order.push_back(e.to);
      }
    }
  }
  return order;
}

struct Cycle {
  std::vector<TaskIndex> tasks;      // in link order, lowest index first
  std::vector<std::uint32_t> links;  // links[t] goes from tasks[t] to tasks[t + 1] (wrapping)
};

// A cycle among the tasks Kahn's algorithm could not order. Each of them has a predecessor that
// is also unordered, so walking back from any of them, one such predecessor at a time, must come
// round to a task already seen: the tasks from there on form a cycle.
Cycle extract_cycle(std::span<const Link> links, const std::vector<std::uint32_t>& indegree) {
  const std::size_t n = indegree.size();
  constexpr std::uint32_t kNoLink = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> back_link(n, kNoLink);
  for (std::size_t k = 0; k < links.size(); ++k) {
    const Link& link = links[k];
    if (link.from < n && link.to < n && indegree[link.from] > 0 && indegree[link.to] > 0 &&
        back_link[link.to] == kNoLink) {
      back_link[link.to] = static_cast<std::uint32_t>(k);
    }
  }
  std::size_t first = 0;
  while (first < n && indegree[first] == 0) {
    ++first;
  }
  if (first == n) {
    return {};
  }
  constexpr std::size_t kUnseen = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> seen_at(n, kUnseen);
  std::vector<TaskIndex> walk;
  std::vector<std::uint32_t> walk_links;  // walk_links[p] leads into walk[p]
  auto task = static_cast<TaskIndex>(first);
  while (seen_at[task] == kUnseen) {
    seen_at[task] = walk.size();
    walk.push_back(task);
    walk_links.push_back(back_link[task]);
    task = links[back_link[task]].from;
  }
  // walk[p0 ..] runs against the links; reverse it into link order.
  const std::size_t p0 = seen_at[task];
  const std::size_t last = walk.size() - 1;
  Cycle cycle;
  for (std::size_t t = 0; t + p0 <= last; ++t) {
    cycle.tasks.push_back(walk[last - t]);
    cycle.links.push_back(t + p0 < last ? walk_links[last - t - 1] : walk_links[last]);
  }
  const auto lowest = static_cast<std::size_t>(
      std::min_element(cycle.tasks.begin(), cycle.tasks.end()) - cycle.tasks.begin());
  std::rotate(cycle.tasks.begin(), cycle.tasks.begin() + static_cast<std::ptrdiff_t>(lowest),
              cycle.tasks.end());
  std::rotate(cycle.links.begin(), cycle.links.begin() + static_cast<std::ptrdiff_t>(lowest),
              cycle.links.end());
  return cycle;
}

std::string name_of(const std::vector<TaskInput>& tasks, TaskIndex task) {
  if (!tasks[task].id.empty()) {
    return tasks[task].id;
  }
  return "task #" + std::to_string(task);
}

std::string at(std::string_view collection, std::size_t index, std::string_view field = {}) {
  std::string out(collection);
  out += '[';
  out += std::to_string(index);
  out += ']';
  if (!field.empty()) {
    out += '.';
    out += field;
  }
  return out;
}

std::string iso_date(Date day) {
  const std::chrono::year_month_day ymd{day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

struct FieldCheck {
  std::vector<FieldError> errors;
  bool links_resolve = true;  // every link names two tasks, so the graph can be built
};

// Field checks that need no graph: ranges, self-links, actuals that contradict each other.
FieldCheck check_fields(const Plan& plan) {
  FieldCheck check;
  std::vector<FieldError>& errors = check.errors;
  const std::size_t n = plan.tasks.size();
  if (n >= kNoSlot) {
    errors.push_back({"tasks", "too many tasks"});
    check.links_resolve = false;
    return check;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const TaskInput& task = plan.tasks[i];
    if (task.duration < 0) {
      errors.push_back({at("tasks", i, "duration"), "must not be negative"});
    } else if (task.duration > kMaxWorkingDays) {
      errors.push_back({at("tasks", i, "duration"), "at most 10000 working days"});
    }
    if (task.actual_finish && !task.actual_start) {
      errors.push_back({at("tasks", i, "actual_start"), "required with an actual finish"});
    } else if (task.actual_finish && *task.actual_finish < *task.actual_start) {
      errors.push_back({at("tasks", i, "actual_finish"), "before the actual start"});
    }
    if (task.constraint && static_cast<int>(task.constraint->kind) >
                               static_cast<int>(ConstraintKind::kFinishNoLaterThan)) {
      errors.push_back({at("tasks", i, "constraint.kind"), "unknown constraint"});
    }
  }
  for (std::size_t k = 0; k < plan.links.size(); ++k) {
    const Link& link = plan.links[k];
    bool ends_known = true;
    if (link.from >= n) {
      errors.push_back(
          {at("links", k, "from"), "no task at position " + std::to_string(link.from)});
      ends_known = false;
    }
    if (link.to >= n) {
      errors.push_back({at("links", k, "to"), "no task at position " + std::to_string(link.to)});
      ends_known = false;
    }
    check.links_resolve = check.links_resolve && ends_known;
    if (ends_known && link.from == link.to) {
      errors.push_back({at("links", k), "a task cannot be linked to itself (" +
                                            name_of(plan.tasks, link.from) + ")"});
    }
    if (static_cast<int>(link.type) > static_cast<int>(LinkType::kStartToFinish)) {
      errors.push_back({at("links", k, "type"), "unknown link type"});
    }
    if (link.lag < -kMaxWorkingDays || link.lag > kMaxWorkingDays) {
      errors.push_back({at("links", k, "lag"), "at most 10000 working days either way"});
    }
  }
  return check;
}

// A second link between the same two tasks, whatever its type: planners mean one relationship,
// and two would make float depend on which one the reader looks at.
void check_duplicates(const Plan& plan, const Successors& succ, std::vector<FieldError>& errors) {
  const std::size_t n = plan.tasks.size();
  std::vector<TaskIndex> seen_from(n, static_cast<TaskIndex>(kNoSlot));
  std::vector<std::uint32_t> first_link(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const Edge& e : succ.of(static_cast<TaskIndex>(i))) {
      if (seen_from[e.to] == i) {
        errors.push_back({at("links", e.link),
                          "a second link from " + name_of(plan.tasks, static_cast<TaskIndex>(i)) +
                              " to " + name_of(plan.tasks, e.to) + " (the first is " +
                              at("links", first_link[e.to]) + ")"});
      } else {
        seen_from[e.to] = static_cast<TaskIndex>(i);
        first_link[e.to] = e.link;
      }
    }
  }
}

Error cycle_error(const Plan& plan, const Cycle& cycle) {
  if (cycle.tasks.empty()) {
    return Error::internal("topological sort stopped short without a cycle");
  }
  std::string path;
  for (TaskIndex task : cycle.tasks) {
    path += name_of(plan.tasks, task);
    path += " → ";
  }
  path += name_of(plan.tasks, cycle.tasks.front());
  std::vector<FieldError> fields;
  for (std::uint32_t link : cycle.links) {
    fields.push_back({at("links", link), "part of the cycle " + path});
  }
  return Error::invalid("links form a cycle: " + path, std::move(fields));
}

// Inside the passes time is counted in instants, two per working day: the morning of working
// day k is 2k + 1 and its evening 2k + 2. The evening of day k and the morning of day k + 1 are
// the same boundary (k + 1) of working time, the evening first: only milestones ever sit on an
// evening and a morning apart, and that only decides the day they are shown on.
std::int64_t morning(std::int64_t day) {
  return 2 * day + 1;
}
std::int64_t boundary(std::int64_t instant) {
  return instant >> 1;
}  // arithmetic shift: floor
std::int64_t day_of(std::int64_t instant) {
  return (instant - 1) >> 1;
}

// Instants from a task's start to its finish: a task of d days runs from the morning of its
// first day to the evening of its last; a milestone starts and finishes at the same instant.
std::int64_t extent(std::int32_t duration) {
  return duration > 0 ? 2 * duration - 1 : 0;
}

// A start-type date: the morning of the day, or of the next working day.
std::int64_t start_instant(const WorkingCalendar& calendar, Date day) {
  return morning(calendar.to_index(day));
}

// A finish-type date: the evening of the day, or of the last working day before it.
std::int64_t finish_instant(const WorkingCalendar& calendar, Date day) {
  return 2 * calendar.to_index(day + days{1});
}

// What the passes touch for each task, together: one 32-byte record serves a task's early start,
// the latest start its links ask for, its late finish and its duration.
struct TaskState {
  std::int64_t early_start = 0;       // instant
  std::int64_t driven_start = kNone;  // instant: the latest start its predecessors' links ask for
  std::int64_t late_finish = 0;       // instant
  std::int32_t duration = 0;
  std::uint32_t slot = kNoSlot;  // into `fixed` when the task has a constraint or actual dates

  std::int64_t early_finish() const { return early_start + extent(duration); }
  std::int64_t late_start() const { return late_finish - extent(duration); }
};

// The rare tasks with a constraint or actual dates, in instants.
struct Fixed {
  std::int64_t floor_start = kNone;    // start-no-earlier-than
  std::int64_t pinned_start = kNone;   // actual start, or the start a must-finish-on implies
  std::int64_t late_cap = kUnbounded;  // must-finish-on, finish-no-later-than
  bool finished = false;
  bool started = false;
  std::optional<ConstraintKind> constraint;
};

// Where a task may start, given the earliest instant its links and floors allow: a task starts
// in a morning, so at the start of the boundary that instant falls on; a milestone sits on the
// instant itself.
std::int64_t settle_start(std::int64_t earliest, std::int32_t duration) {
  return duration > 0 ? morning(boundary(earliest)) : earliest;
}

// Where a task may finish at the latest, given the latest instant its links and caps allow: in
// the evening that ends the boundary's day before. A milestone with no float keeps its early
// instant, so that it shows one day for both dates; with float it is shown on the day it must be
// reached by, like a task's finish.
std::int64_t settle_finish(std::int64_t latest, std::int32_t duration, std::int64_t early_start) {
  if (duration == 0 && boundary(latest) == boundary(early_start)) {
    return early_start;
  }
  return 2 * boundary(latest);
}

// Slack of one link on early dates, in working days: how far the predecessor can slip before
// the link moves the successor. Zero (or less, against a pinned successor) on a driving link.
std::int64_t link_slack(const std::vector<TaskState>& state, TaskIndex from, const Edge& e) {
  const TaskState& pred = state[from];
  const TaskState& succ = state[e.to];
  const std::int64_t succ_side = e.to_finish ? succ.early_finish() : succ.early_start;
  const std::int64_t pred_side = e.from_finish ? pred.early_finish() : pred.early_start;
  return boundary(succ_side) - e.lag - boundary(pred_side);
}

// Working-day index to date for the output. Each conversion is a binary search in the calendar;
// when a schedule's dates fall in a span no longer than its task list (the usual case: thousands
// of tasks over a few years), a table of that span is cheaper, built with one search per day.
class DateLookup {
 public:
  DateLookup(const WorkingCalendar& calendar, std::int64_t first, std::int64_t last,
             std::size_t task_count)
      : calendar_(calendar), first_(first) {
    if (first <= last && static_cast<std::uint64_t>(last - first) < task_count) {
      table_.reserve(static_cast<std::size_t>(last - first + 1));
      for (std::int64_t day = first; day <= last; ++day) {
        table_.push_back(calendar.from_index(day));
      }
    }
  }

  Date operator()(std::int64_t day) const {
    return table_.empty() ? calendar_.from_index(day)
                          : table_[static_cast<std::size_t>(day - first_)];
  }

 private:
  const WorkingCalendar& calendar_;
  std::int64_t first_;
  std::vector<Date> table_;
};

struct PendingWarning {
  TaskIndex task;
  WarningKind kind;
  std::int64_t value;  // instant: the start the links asked for, or the early finish
};

}  // namespace

std::string_view link_type_code(LinkType type) {
  switch (type) {
    case LinkType::kFinishToStart:
      return "FS";
    case LinkType::kStartToStart:
      return "SS";
    case LinkType::kFinishToFinish:
      return "FF";
    case LinkType::kStartToFinish:
      return "SF";
  }
  return "?";
}

std::optional<LinkType> parse_link_type(std::string_view code) {
  for (LinkType type : {LinkType::kFinishToStart, LinkType::kStartToStart,
                        LinkType::kFinishToFinish, LinkType::kStartToFinish}) {
    if (code == link_type_code(type)) {
      return type;
    }
  }
  return std::nullopt;
}

std::vector<TaskIndex> find_cycle(std::size_t task_count, std::span<const Link> links) {
  const Successors succ = build_successors(task_count, links);
  std::vector<std::uint32_t> indegree;
  if (topological_order(succ, indegree).size() == task_count) {
    return {};
  }
  return extract_cycle(links, indegree).tasks;
}

Result<Schedule> compute_schedule(const Plan& plan, const WorkingCalendar& calendar,
                                  const ScheduleOptions& options) {
  const std::size_t n = plan.tasks.size();
  FieldCheck check = check_fields(plan);
  if (!check.links_resolve) {
    return Error::invalid("the plan is not valid", std::move(check.errors));
  }
  const Successors succ = build_successors(n, plan.links);
  check_duplicates(plan, succ, check.errors);
  if (!check.errors.empty()) {
    return Error::invalid("the plan is not valid", std::move(check.errors));
  }

  std::vector<std::uint32_t> indegree;
  const std::vector<TaskIndex> order = topological_order(succ, indegree);
  if (order.size() != n) {
    return cycle_error(plan, extract_cycle(plan.links, indegree));
  }
  std::vector<std::uint32_t>().swap(indegree);

  // Instants of the dates users gave, computed once; the passes only add and compare.
  const std::int64_t project_start = start_instant(calendar, plan.start);
  std::vector<TaskState> state(n);
  std::vector<Fixed> fixed;
  for (std::size_t i = 0; i < n; ++i) {
    const TaskInput& task = plan.tasks[i];
    TaskState& s = state[i];
    s.duration = task.duration;
    if (!task.constraint && !task.actual_start) {
      continue;
    }
    Fixed f;
    if (task.actual_start) {
      // What happened on site wins over constraints.
      f.started = true;
      f.pinned_start = start_instant(calendar, *task.actual_start);
      if (task.actual_finish) {
        f.finished = true;
        const std::int64_t finish = finish_instant(calendar, *task.actual_finish);
        if (task.duration == 0 && *task.actual_finish == *task.actual_start) {
          f.pinned_start = finish;  // a milestone reached that day: its evening
        } else {
          s.duration = static_cast<std::int32_t>(
              std::max<std::int64_t>(0, boundary(finish) - boundary(f.pinned_start)));
        }
      }
    } else {
      const Constraint& c = *task.constraint;
      f.constraint = c.kind;
      switch (c.kind) {
        case ConstraintKind::kStartNoEarlierThan:
          f.floor_start = start_instant(calendar, c.date);
          break;
        case ConstraintKind::kMustFinishOn:
          f.late_cap = finish_instant(calendar, c.date);
          f.pinned_start = f.late_cap - extent(task.duration);
          break;
        case ConstraintKind::kFinishNoLaterThan:
          f.late_cap = finish_instant(calendar, c.date);
          break;
      }
    }
    s.slot = static_cast<std::uint32_t>(fixed.size());
    fixed.push_back(f);
  }

  // Forward pass, in topological order: a task's early start is final once its predecessors
  // are, and it then pushes its successors.
  std::vector<PendingWarning> pending;
  std::int64_t forecast_finish = project_start;
  for (TaskIndex i : order) {
    TaskState& s = state[i];
    std::int64_t earliest = std::max(project_start, s.driven_start);
    if (s.slot != kNoSlot) {
      const Fixed& f = fixed[s.slot];
      if (f.pinned_start != kNone) {
        // Compared in working time: an evening against the next morning is no conflict.
        if (s.driven_start != kNone && boundary(s.driven_start) > boundary(f.pinned_start)) {
          pending.push_back(
              {i,
               f.started ? WarningKind::kStartedOutOfSequence : WarningKind::kMustFinishOnConflict,
               settle_start(s.driven_start, s.duration)});
        }
        earliest = f.pinned_start;
      } else {
        earliest = std::max(earliest, f.floor_start);
      }
    }
    const std::int64_t start = settle_start(earliest, s.duration);
    s.early_start = start;
    const std::int64_t finish = s.early_finish();
    forecast_finish = std::max(forecast_finish, finish);
    for (const Edge& e : succ.of(i)) {
      TaskState& next = state[e.to];
      // A bound on the successor's finish is a bound on its start, `duration` days earlier.
      const std::int64_t wanted =
          (e.from_finish ? finish : start) + 2 * e.lag - (e.to_finish ? 2 * next.duration : 0);
      if (wanted > next.driven_start) {
        next.driven_start = wanted;
      }
    }
  }
  const std::int64_t project_end =
      plan.deadline ? finish_instant(calendar, *plan.deadline) : forecast_finish;

  // Backward pass, in reverse topological order: late finish, total and free float.
  Schedule schedule;
  schedule.tasks.resize(n);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const TaskIndex i = *it;
    TaskState& s = state[i];
    const std::int64_t early_finish = s.early_finish();
    std::int64_t latest = project_end;
    std::int64_t free_float = boundary(project_end) - boundary(early_finish);
    for (const Edge& e : succ.of(i)) {
      const TaskState& next = state[e.to];
      // The successor's late instant on the linked side, less the lag, bounds this task's linked
      // side; a bound on this start is a bound on this finish, `duration` days later.
      const std::int64_t bound = (e.to_finish ? next.late_finish : next.late_start()) - 2 * e.lag +
                                 (e.from_finish ? 0 : 2 * s.duration);
      latest = std::min(latest, bound);
      free_float = std::min(free_float, link_slack(state, i, e));
    }
    ScheduledTask& out = schedule.tasks[i];
    bool finished = false;
    if (s.slot != kNoSlot) {
      const Fixed& f = fixed[s.slot];
      finished = f.finished;
      latest = std::min(latest, f.late_cap);
      if (f.constraint == ConstraintKind::kFinishNoLaterThan &&
          boundary(early_finish) > boundary(f.late_cap)) {
        pending.push_back({i, WarningKind::kFinishNoLaterThanMissed, early_finish});
      }
    }
    s.late_finish = finished ? early_finish : settle_finish(latest, s.duration, s.early_start);
    out.total_float = finished ? 0 : boundary(s.late_finish) - boundary(early_finish);
    out.free_float = finished ? 0 : free_float;
    out.critical = !finished && out.total_float <= 0;
  }

  // Dates, once, at the end.
  std::int64_t first_day = day_of(project_start);
  std::int64_t last_day = first_day;
  for (const TaskState& s : state) {
    first_day = std::min({first_day, day_of(s.early_start), day_of(s.late_start())});
    last_day = std::max({last_day, day_of(s.early_finish()), day_of(s.late_finish)});
  }
  const DateLookup date_of_day(calendar, first_day, last_day, n);
  std::int64_t latest_finish = project_start;
  for (std::size_t i = 0; i < n; ++i) {
    const TaskState& s = state[i];
    ScheduledTask& out = schedule.tasks[i];
    out.early_start = date_of_day(day_of(s.early_start));
    out.late_start = date_of_day(day_of(s.late_start()));
    if (s.duration > 0) {
      out.early_finish = date_of_day(day_of(s.early_finish()));
      out.late_finish = date_of_day(day_of(s.late_finish));
    } else {
      out.early_finish = out.early_start;
      out.late_finish = out.late_start;
    }
    latest_finish = std::max(latest_finish, s.early_finish());
  }
  schedule.project_finish = date_of_day(day_of(latest_finish));

  // Critical paths: depth-first along driving links between critical tasks, iteratively.
  std::vector<bool> driven_critically(n, false);
  auto drives = [&](TaskIndex from, const Edge& e) {
    return schedule.tasks[e.to].critical && link_slack(state, from, e) <= 0;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (schedule.tasks[i].critical) {
      for (const Edge& e : succ.of(static_cast<TaskIndex>(i))) {
        if (drives(static_cast<TaskIndex>(i), e)) {
          driven_critically[e.to] = true;
        }
      }
    }
  }
  struct Frame {
    TaskIndex task;
    std::uint32_t next_edge;
    bool extended;
  };
  std::vector<Frame> stack;
  std::vector<TaskIndex> path;
  for (std::size_t first = 0; first < n && !schedule.critical_paths_truncated; ++first) {
    if (!schedule.tasks[first].critical || driven_critically[first]) {
      continue;
    }
    stack.push_back({static_cast<TaskIndex>(first), succ.offsets[first], false});
    path.push_back(static_cast<TaskIndex>(first));
    while (!stack.empty()) {
      Frame& top = stack.back();
      const TaskIndex task = top.task;
      const std::uint32_t end = succ.offsets[task + 1];
      std::optional<TaskIndex> child;
      while (top.next_edge < end) {
        const Edge& e = succ.edges[top.next_edge++];
        if (drives(task, e)) {
          child = e.to;
          break;
        }
      }
      if (child) {
        top.extended = true;
        stack.push_back({*child, succ.offsets[*child], false});
        path.push_back(*child);
        continue;
      }
      if (!top.extended) {
        if (schedule.critical_paths.size() == options.max_critical_paths) {
          schedule.critical_paths_truncated = true;
          stack.clear();
          path.clear();
          break;
        }
        schedule.critical_paths.push_back(path);
      }
      stack.pop_back();
      path.pop_back();
    }
  }

  // Warnings last: they need dates and names, and are rare.
  std::sort(pending.begin(), pending.end(),
            [](const PendingWarning& a, const PendingWarning& b) { return a.task < b.task; });
  for (const PendingWarning& w : pending) {
    const TaskInput& task = plan.tasks[w.task];
    const std::string name = name_of(plan.tasks, w.task);
    const std::int32_t duration = state[w.task].duration;
    auto date_of = [&](std::int64_t instant) {
      return iso_date(calendar.from_index(day_of(instant)));
    };
    std::string message;
    switch (w.kind) {
      case WarningKind::kMustFinishOnConflict:
        message = "links push the finish of " + name + " to " +
                  date_of(w.value + extent(duration)) + ", past its must-finish-on date " +
                  iso_date(task.constraint->date);
        break;
      case WarningKind::kFinishNoLaterThanMissed:
        message = name + " is forecast to finish on " + date_of(w.value) +
                  ", after its finish-no-later-than date " + iso_date(task.constraint->date);
        break;
      case WarningKind::kStartedOutOfSequence:
        message = name + " started on " + iso_date(*task.actual_start) +
                  ", before its links allow (" + date_of(w.value) + ")";
        break;
    }
    schedule.warnings.push_back({w.task, w.kind, std::move(message)});
  }
  return schedule;
}

Result<std::vector<Link>> resolve_links(std::span<const TaskInput> tasks,
                                        std::span<const NamedLink> links) {
  std::vector<FieldError> errors;
  std::unordered_map<std::string_view, TaskIndex> by_id;
  by_id.reserve(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (!by_id.emplace(tasks[i].id, static_cast<TaskIndex>(i)).second) {
      errors.push_back({at("tasks", i, "id"), "another task has the id " + tasks[i].id});
    }
  }
  std::vector<Link> out;
  out.reserve(links.size());
  for (std::size_t k = 0; k < links.size(); ++k) {
    const NamedLink& link = links[k];
    const auto from = by_id.find(link.from);
    const auto to = by_id.find(link.to);
    if (from == by_id.end()) {
      errors.push_back({at("links", k, "from"), "no task " + link.from});
    }
    if (to == by_id.end()) {
      errors.push_back({at("links", k, "to"), "no task " + link.to});
    }
    if (from != by_id.end() && to != by_id.end()) {
      out.push_back({from->second, to->second, link.type, link.lag});
    }
  }
  if (!errors.empty()) {
    return Error::invalid("the links do not resolve", std::move(errors));
  }
  return out;
}

}  // namespace atelier::tasks::domain
