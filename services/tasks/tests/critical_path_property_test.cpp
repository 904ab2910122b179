// compute_schedule against a brute-force reference on random networks: every link type, leads and
// lags, milestones, random working calendars (working weekdays, holidays, exceptions either way),
// start-no-earlier-than and must-finish-on constraints, actual starts and finishes, and project
// starts on any day of the week.
//
// The reference's calendar is a plain predicate walked day by day, never WorkingCalendar's index
// arithmetic; the dates users give become instants by counting working days one at a time.
//
// The reference is written the slow, obvious way. Early dates: relax every link over and over
// until nothing moves. Late dates: the same backwards. Floats are not computed from dates at all
// but by their definition: delay the task k working days, rerun the early relaxation, and see
// what moved. Total float is the largest delay that keeps the project finish; free float the
// largest that moves no other task. Those definitions hold while every task may move; once some
// are pinned (an actual start, a must-finish-on date) or capped, the reference checks floats by
// their formulas on its own relaxed dates instead.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "tasks/domain/critical_path.hpp"

namespace atelier::tasks::domain {
namespace {

using namespace std::chrono;

// Instants as the header describes them, relative to the project's first working day (0):
// morning of working day k = 2k + 1, evening = 2k + 2.
std::int64_t boundary_of(std::int64_t instant) {
  return instant >= 0 ? instant / 2 : -((1 - instant) / 2);
}

constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

struct Network {
  std::vector<int> duration;  // as the schedule counts it: a finished task's comes from its actuals
  std::vector<Link> links;
  // Per task, in instants relative to the project's first working day: where the task is held
  // (kNone when free), the floor of its start, the cap of its late finish (as a boundary).
  std::vector<std::int64_t> pinned;
  std::vector<std::int64_t> floor;
  std::vector<std::int64_t> cap;
  std::vector<bool> finished;

  void free_all() {
    pinned.assign(duration.size(), kNone);
    floor.assign(duration.size(), kNone);
    cap.assign(duration.size(), kUnbounded);
    finished.assign(duration.size(), false);
  }
};

// A working calendar the slow way: the exception of the day, else its weekday and the holidays.
struct DayRules {
  std::set<unsigned> working_weekdays;  // C encoding: 0 = Sunday
  std::set<Date> holidays;
  std::map<Date, bool> exceptions;

  bool working(Date d) const {
    if (auto it = exceptions.find(d); it != exceptions.end()) {
      return it->second;
    }
    return working_weekdays.contains(weekday{d}.c_encoding()) && !holidays.contains(d);
  }
};

bool from_finish(LinkType t) {
  return t == LinkType::kFinishToStart || t == LinkType::kFinishToFinish;
}
bool to_finish(LinkType t) {
  return t == LinkType::kFinishToFinish || t == LinkType::kStartToFinish;
}

std::int64_t finish_of(std::int64_t start, int duration) {
  return duration > 0 ? start + 2 * duration - 1 : start;
}

// Early start instants, by relaxation. `delay` forces one task at least `k` days later than
// `base` says (a task is moved by whole working days).
std::vector<std::int64_t> early_starts(const Network& net, int delayed = -1,
                                       std::int64_t delayed_floor = 0) {
  const std::size_t n = net.duration.size();
  std::vector<std::int64_t> start(n, 1);  // the project's first morning
  for (bool moved = true; moved;) {
    moved = false;
    for (std::size_t j = 0; j < n; ++j) {
      std::int64_t earliest = 1;
      for (const Link& l : net.links) {
        if (l.to != j) {
          continue;
        }
        const std::int64_t from_side =
            from_finish(l.type) ? finish_of(start[l.from], net.duration[l.from]) : start[l.from];
        // The successor's linked side must not be before the predecessor's side plus the lag.
        const std::int64_t side = from_side + 2 * l.lag;
        earliest = std::max(earliest, to_finish(l.type) ? side - 2 * net.duration[j] : side);
      }
      if (net.floor[j] != kNone) {
        earliest = std::max(earliest, net.floor[j]);
      }
      if (static_cast<int>(j) == delayed) {
        earliest = std::max(earliest, delayed_floor);
      }
      if (net.pinned[j] != kNone) {
        earliest = net.pinned[j];  // what happened on site, or a must-finish-on date, wins
      }
      // A task starts in a morning; a milestone sits where it is pushed.
      const std::int64_t settled = net.duration[j] > 0 ? 2 * boundary_of(earliest) + 1 : earliest;
      if (settled != start[j]) {
        start[j] = settled;
        moved = true;
      }
    }
  }
  return start;
}

std::int64_t finish_boundary_of(const Network& net, const std::vector<std::int64_t>& start) {
  std::int64_t last = 0;
  for (std::size_t i = 0; i < start.size(); ++i) {
    last = std::max(last, boundary_of(finish_of(start[i], net.duration[i])));
  }
  return last;
}

// Late finish boundaries, by relaxation backwards from the project finish.
// A finished task's late finish is its early one; caps lower the others'.
std::vector<std::int64_t> late_finish_boundaries(const Network& net, std::int64_t project_end,
                                                 const std::vector<std::int64_t>& start) {
  const std::size_t n = net.duration.size();
  std::vector<std::int64_t> late(n, project_end);
  for (bool moved = true; moved;) {
    moved = false;
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t latest = std::min(project_end, net.cap[i]);
      if (net.finished[i]) {
        latest = boundary_of(finish_of(start[i], net.duration[i]));
        if (latest != late[i]) {
          late[i] = latest;
          moved = true;
        }
        continue;
      }
      for (const Link& l : net.links) {
        if (l.from != i) {
          continue;
        }
        const std::int64_t to_side =
            to_finish(l.type) ? late[l.to] : late[l.to] - net.duration[l.to];
        const std::int64_t bound = to_side - l.lag;
        latest = std::min(latest, from_finish(l.type) ? bound : bound + net.duration[i]);
      }
      if (latest != late[i]) {
        late[i] = latest;
        moved = true;
      }
    }
  }
  return late;
}

// Date of working day k after the (rolled) project start, walking the calendar day by day.
Date working_day(const DayRules& rules, Date first, std::int64_t k) {
  Date day = first;
  for (; k > 0; --k) {
    do {
      day += days{1};
    } while (!rules.working(day));
  }
  for (; k < 0; ++k) {
    do {
      day -= days{1};
    } while (!rules.working(day));
  }
  return day;
}

Date day_of_instant(const DayRules& rules, Date first, std::int64_t instant) {
  // Morning 2k + 1 and evening 2k + 2 both belong to day k.
  return working_day(rules, first, boundary_of(instant - 1));
}

// The working day `d` is, or the next one, counted from `first` (working day 0), one day at a
// time: the working days in [first, d), negative before it.
std::int64_t working_index(const DayRules& rules, Date first, Date d) {
  std::int64_t count = 0;
  for (Date day = first; day < d; day += days{1}) {
    count += rules.working(day) ? 1 : 0;
  }
  for (Date day = d; day < first; day += days{1}) {
    count -= rules.working(day) ? 1 : 0;
  }
  return count;
}

// A start-type date is the morning of its day (or of the next working day); a finish-type date
// the evening of its day (or of the last working day before it).
std::int64_t start_instant(const DayRules& rules, Date first, Date d) {
  return 2 * working_index(rules, first, d) + 1;
}
std::int64_t finish_instant(const DayRules& rules, Date first, Date d) {
  return 2 * working_index(rules, first, d + days{1});
}

// Random working weekdays (at least one), holidays and exceptions over the plans' span.
DayRules random_rules(std::mt19937& rng) {
  DayRules rules;
  if (rng() % 4 == 0) {
    rules.working_weekdays = {1, 2, 3, 4, 5};  // the usual week, for comparison
  } else {
    while (rules.working_weekdays.empty()) {
      for (unsigned d = 0; d < 7; ++d) {
        if (rng() % 3 != 0) {
          rules.working_weekdays.insert(d);
        }
      }
    }
  }
  const Date from = Date{2025y / February / 1};
  const int holidays = static_cast<int>(rng() % 20);
  for (int h = 0; h < holidays; ++h) {
    rules.holidays.insert(from + days{rng() % 300});
  }
  const int exceptions = static_cast<int>(rng() % 8);
  for (int e = 0; e < exceptions; ++e) {
    rules.exceptions[from + days{rng() % 300}] = rng() % 2 == 0;
  }
  return rules;
}

WorkingCalendar calendar_of(const DayRules& rules) {
  WorkingCalendar calendar;
  std::vector<weekday> week;
  for (unsigned d : rules.working_weekdays) {
    week.emplace_back(d);
  }
  EXPECT_TRUE(calendar.set_working_weekdays(week).ok());
  for (Date h : rules.holidays) {
    calendar.add_holiday(h);
  }
  for (const auto& [day, working] : rules.exceptions) {
    calendar.set_exception(day, working);
  }
  return calendar;
}

enum class Fixing { kFree, kFloorsOnly, kMixed };

// Gives some tasks of `plan` a constraint or actual dates, and records in `net` what the
// reference makes of them.
void fix_some(std::mt19937& rng, Fixing fixing, const DayRules& rules, Date first, Plan& plan,
              Network& net) {
  net.free_all();
  if (fixing == Fixing::kFree) {
    return;
  }
  auto some_day = [&] { return first + days{static_cast<int>(rng() % 70) - 10}; };
  for (std::size_t i = 0; i < plan.tasks.size(); ++i) {
    TaskInput& t = plan.tasks[i];
    const auto pick = static_cast<unsigned>(rng() % 10);
    if (pick < 2) {
      t.constraint = Constraint{ConstraintKind::kStartNoEarlierThan, some_day()};
      net.floor[i] = start_instant(rules, first, t.constraint->date);
    } else if (fixing == Fixing::kFloorsOnly) {
      continue;
    } else if (pick == 2) {
      t.constraint = Constraint{ConstraintKind::kMustFinishOn, some_day()};
      net.cap[i] = boundary_of(finish_instant(rules, first, t.constraint->date));
      net.pinned[i] = finish_instant(rules, first, t.constraint->date) -
                      (t.duration > 0 ? 2 * t.duration - 1 : 0);
    } else if (pick == 3 || pick == 4) {
      t.actual_start = some_day();
      if (rng() % 3 == 0) {
        t.constraint = Constraint{ConstraintKind::kMustFinishOn, some_day()};  // actuals win
      }
      net.pinned[i] = start_instant(rules, first, *t.actual_start);
      if (pick == 4) {
        t.actual_finish = *t.actual_start + days{rng() % 9};
        net.finished[i] = true;
        const std::int64_t finish = finish_instant(rules, first, *t.actual_finish);
        if (t.duration == 0 && *t.actual_finish == *t.actual_start) {
          net.pinned[i] = finish;  // a milestone reached that day: its evening
        } else {
          net.duration[i] = static_cast<int>(
              std::max<std::int64_t>(0, boundary_of(finish) - boundary_of(net.pinned[i])));
        }
      }
    }
  }
}

Network random_network(std::mt19937& rng) {
  Network net;
  // Fixed below, once the plan's dates are known.
  const int n = 2 + static_cast<int>(rng() % 29);
  for (int i = 0; i < n; ++i) {
    net.duration.push_back(static_cast<int>(rng() % 6));
  }
  // A hidden order keeps it acyclic; the links themselves go every which way by index.
  std::vector<TaskIndex> order(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    order[static_cast<std::size_t>(i)] = static_cast<TaskIndex>(i);
  }
  std::shuffle(order.begin(), order.end(), rng);
  const double density = 1.0 + static_cast<double>(rng() % 30) / 10.0;  // 1 to 4 links per task
  const double p = std::min(1.0, 2.0 * density / n);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      if (coin(rng) < p) {
        net.links.push_back({order[static_cast<std::size_t>(a)], order[static_cast<std::size_t>(b)],
                             static_cast<LinkType>(rng() % 4), static_cast<int>(rng() % 6) - 2});
      }
    }
  }
  std::shuffle(net.links.begin(), net.links.end(), rng);
  net.free_all();
  return net;
}

// Every maximal chain of critical tasks along driving links, as the header defines them.
void collect_paths(const Network& net, const std::vector<std::int64_t>& start,
                   const std::vector<bool>& critical, std::vector<TaskIndex>& path,
                   std::set<std::vector<TaskIndex>>& out) {
  const TaskIndex last = path.back();
  bool extended = false;
  for (const Link& l : net.links) {
    if (l.from != last || !critical[l.to]) {
      continue;
    }
    const std::int64_t pred_side =
        from_finish(l.type) ? finish_of(start[l.from], net.duration[l.from]) : start[l.from];
    const std::int64_t succ_side =
        to_finish(l.type) ? finish_of(start[l.to], net.duration[l.to]) : start[l.to];
    if (boundary_of(succ_side) - l.lag - boundary_of(pred_side) <= 0) {
      extended = true;
      path.push_back(l.to);
      collect_paths(net, start, critical, path, out);
      path.pop_back();
    }
  }
  if (!extended) {
    out.insert(path);
  }
}

TEST(CriticalPathProperty, MatchesBruteForceOnRandomNetworks) {
  std::mt19937 rng(4);
  int milestones = 0;
  int critical_seen = 0;
  int odd_weeks = 0;
  int floors = 0;
  int pins = 0;
  int finished = 0;
  for (int round = 0; round < 450; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Network net = random_network(rng);
    const std::size_t n = net.duration.size();
    const DayRules rules = random_rules(rng);
    odd_weeks += rules.working_weekdays != std::set<unsigned>{1, 2, 3, 4, 5} ? 1 : 0;
    const WorkingCalendar calendar = calendar_of(rules);
    const auto fixing = static_cast<Fixing>(round % 3);
    Plan plan;
    plan.start = Date{2025y / March / 1} + days{rng() % 7};  // some on a weekend
    for (std::size_t i = 0; i < n; ++i) {
      plan.tasks.push_back({"T" + std::to_string(i), net.duration[i], {}, {}, {}});
    }
    plan.links = net.links;
    Date first = plan.start;
    while (!rules.working(first)) {
      first += days{1};
    }
    fix_some(rng, fixing, rules, first, plan, net);
    auto result = compute_schedule(plan, calendar);
    ASSERT_TRUE(result.ok()) << result.error().message;
    const Schedule& s = *result;

    const std::vector<std::int64_t> start = early_starts(net);
    const std::int64_t project_end = finish_boundary_of(net, start);
    const std::vector<std::int64_t> late = late_finish_boundaries(net, project_end, start);
    // The slack of a link on the reference's early dates, in working days.
    auto slack = [&](const Link& l) {
      const std::int64_t pred_side =
          from_finish(l.type) ? finish_of(start[l.from], net.duration[l.from]) : start[l.from];
      const std::int64_t succ_side =
          to_finish(l.type) ? finish_of(start[l.to], net.duration[l.to]) : start[l.to];
      return boundary_of(succ_side) - l.lag - boundary_of(pred_side);
    };

    std::vector<bool> critical(n);
    Date last_finish = first;
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("task " + std::to_string(i));
      const int d = net.duration[i];
      floors += net.floor[i] != kNone ? 1 : 0;
      pins += net.pinned[i] != kNone ? 1 : 0;
      finished += net.finished[i] ? 1 : 0;
      const std::int64_t early_finish = finish_of(start[i], d);
      const std::int64_t early_start_b = boundary_of(start[i]);
      const ScheduledTask& t = s.tasks[i];
      EXPECT_EQ(t.early_start, day_of_instant(rules, first, start[i]));
      EXPECT_EQ(t.early_finish, day_of_instant(rules, first, early_finish));
      last_finish = std::max(last_finish, t.early_finish);
      if (d > 0) {
        EXPECT_EQ(t.late_start, working_day(rules, first, late[i] - d));
        EXPECT_EQ(t.late_finish, working_day(rules, first, late[i] - 1));
      } else {
        ++milestones;
        // A milestone with no float shows its early day; with float, the evening it must be
        // reached by.
        const Date shown =
            late[i] == early_start_b ? t.early_start : working_day(rules, first, late[i] - 1);
        EXPECT_EQ(t.late_start, shown);
        EXPECT_EQ(t.late_finish, shown);
      }

      // A finished task drives nothing any more: no float, never critical.
      const std::int64_t total = net.finished[i] ? 0 : late[i] - boundary_of(early_finish);
      EXPECT_EQ(t.total_float, total);
      critical[i] = !net.finished[i] && total <= 0;
      EXPECT_EQ(t.critical, critical[i]);
      critical_seen += critical[i] ? 1 : 0;
      if (fixing == Fixing::kMixed) {
        // Free float by its formula: the least slack of the task's links, and the project finish.
        std::int64_t free_float = project_end - boundary_of(early_finish);
        for (const Link& l : net.links) {
          if (l.from == i) {
            free_float = std::min(free_float, slack(l));
          }
        }
        EXPECT_EQ(t.free_float, net.finished[i] ? 0 : free_float);
        continue;
      }

      // Total float by definition: the largest delay that keeps the project finish.
      auto delayed = [&](std::int64_t k) {
        return early_starts(net, static_cast<int>(i), start[i] + 2 * k);
      };
      EXPECT_LE(finish_boundary_of(net, delayed(total)), project_end);
      EXPECT_GT(finish_boundary_of(net, delayed(total + 1)), project_end);

      // Free float by definition: the largest delay that moves no other task, nor the finish.
      auto moves_nothing = [&](std::int64_t k) {
        const auto after = delayed(k);
        for (std::size_t j = 0; j < n; ++j) {
          if (j != i && boundary_of(after[j]) != boundary_of(start[j])) {
            return false;
          }
        }
        return boundary_of(finish_of(after[i], d)) <= project_end;
      };
      EXPECT_TRUE(moves_nothing(t.free_float)) << t.free_float;
      EXPECT_FALSE(moves_nothing(t.free_float + 1)) << t.free_float;
    }

    // Critical paths: every maximal driving chain of critical tasks, from tasks no critical
    // driving link reaches.
    std::set<std::vector<TaskIndex>> expected;
    std::set<TaskIndex> reached;
    for (const Link& l : net.links) {
      if (critical[l.from] && critical[l.to] && slack(l) <= 0) {
        reached.insert(l.to);
      }
    }
    for (std::size_t i = 0; i < n && expected.size() <= 32; ++i) {
      if (critical[i] && !reached.contains(static_cast<TaskIndex>(i))) {
        std::vector<TaskIndex> path = {static_cast<TaskIndex>(i)};
        collect_paths(net, start, critical, path, expected);
      }
    }
    if (expected.size() <= 32) {
      EXPECT_FALSE(s.critical_paths_truncated);
      EXPECT_EQ(std::set<std::vector<TaskIndex>>(s.critical_paths.begin(), s.critical_paths.end()),
                expected);
      EXPECT_EQ(s.critical_paths.size(), expected.size());
    } else {
      EXPECT_TRUE(s.critical_paths_truncated);
    }
    // The latest early finish, or the project's first working day when every task is before it.
    EXPECT_EQ(s.project_finish, last_finish);
  }
  // The generator must have exercised what it claims to.
  EXPECT_GT(milestones, 100);
  EXPECT_GT(critical_seen, 300);
  EXPECT_GT(odd_weeks, 200);
  EXPECT_GT(floors, 300);
  EXPECT_GT(pins, 300);
  EXPECT_GT(finished, 100);
}

// Random graphs with cycles: find_cycle finds one exactly when there is one, and what it returns
// is a cycle of the links.
TEST(CriticalPathProperty, FindCycleReturnsARealCycle) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 2 + rng() % 15;
    std::vector<Link> links;
    std::set<std::pair<TaskIndex, TaskIndex>> pairs;
    const std::size_t count = rng() % (2 * n);
    for (std::size_t k = 0; k < count; ++k) {
      const auto a = static_cast<TaskIndex>(rng() % n);
      const auto b = static_cast<TaskIndex>(rng() % n);
      if (a != b && pairs.insert({a, b}).second) {
        links.push_back({a, b, LinkType::kFinishToStart, 0});
      }
    }
    // Reference: a cycle exists iff some task reaches itself.
    std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
    for (const Link& l : links) {
      reach[l.from][l.to] = true;
    }
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          if (reach[i][k] && reach[k][j]) {
            reach[i][j] = true;
          }
        }
      }
    }
    bool has_cycle = false;
    for (std::size_t i = 0; i < n; ++i) {
      has_cycle = has_cycle || reach[i][i];
    }
    const auto cycle = find_cycle(n, links);
    ASSERT_EQ(!cycle.empty(), has_cycle) << round;
    for (std::size_t t = 0; t < cycle.size(); ++t) {
      const TaskIndex a = cycle[t];
      const TaskIndex b = cycle[(t + 1) % cycle.size()];
      EXPECT_TRUE(pairs.contains({a, b})) << round;
    }
    if (!cycle.empty()) {
      EXPECT_EQ(cycle.front(), *std::min_element(cycle.begin(), cycle.end()));
    }
  }
}

}  // namespace
}  // namespace atelier::tasks::domain
