// compute_schedule against a brute-force reference on random networks: every link type, leads and
// lags, milestones, a Monday-to-Friday calendar and project starts on any day of the week.
//
// The reference is written the slow, obvious way. Early dates: relax every link over and over
// until nothing moves. Late dates: the same backwards. Floats are not computed from dates at all
// but by their definition: delay the task k working days, rerun the early relaxation, and see
// what moved. Total float is the largest delay that keeps the project finish; free float the
// largest that moves no other task.
#include <gtest/gtest.h>

#include <algorithm>
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

struct Network {
  std::vector<int> duration;
  std::vector<Link> links;
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
      if (static_cast<int>(j) == delayed) {
        earliest = std::max(earliest, delayed_floor);
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
std::vector<std::int64_t> late_finish_boundaries(const Network& net, std::int64_t project_end) {
  const std::size_t n = net.duration.size();
  std::vector<std::int64_t> late(n, project_end);
  for (bool moved = true; moved;) {
    moved = false;
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t latest = project_end;
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
Date working_day(Date first, std::int64_t k) {
  Date day = first;
  auto working = [](Date d) {
    const weekday w{d};
    return w != Saturday && w != Sunday;
  };
  for (; k > 0; --k) {
    do {
      day += days{1};
    } while (!working(day));
  }
  for (; k < 0; ++k) {
    do {
      day -= days{1};
    } while (!working(day));
  }
  return day;
}

Date day_of_instant(Date first, std::int64_t instant) {
  // Morning 2k + 1 and evening 2k + 2 both belong to day k.
  return working_day(first, boundary_of(instant - 1));
}

Network random_network(std::mt19937& rng) {
  Network net;
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
  const WorkingCalendar calendar;
  int milestones = 0;
  int critical_seen = 0;
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const Network net = random_network(rng);
    const std::size_t n = net.duration.size();
    Plan plan;
    plan.start = Date{2025y / March / 1} + days{rng() % 7};  // some on a weekend
    for (std::size_t i = 0; i < n; ++i) {
      plan.tasks.push_back({"T" + std::to_string(i), net.duration[i], {}, {}, {}});
    }
    plan.links = net.links;
    auto result = compute_schedule(plan, calendar);
    ASSERT_TRUE(result.ok()) << result.error().message;
    const Schedule& s = *result;

    Date first = plan.start;
    while (!calendar.is_working(first)) {
      first += days{1};
    }
    const std::vector<std::int64_t> start = early_starts(net);
    const std::int64_t project_end = finish_boundary_of(net, start);
    const std::vector<std::int64_t> late = late_finish_boundaries(net, project_end);

    std::vector<bool> critical(n);
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("task " + std::to_string(i));
      const int d = net.duration[i];
      const std::int64_t early_finish = finish_of(start[i], d);
      const std::int64_t early_start_b = boundary_of(start[i]);
      const ScheduledTask& t = s.tasks[i];
      EXPECT_EQ(t.early_start, day_of_instant(first, start[i]));
      EXPECT_EQ(t.early_finish, day_of_instant(first, early_finish));
      if (d > 0) {
        EXPECT_EQ(t.late_start, working_day(first, late[i] - d));
        EXPECT_EQ(t.late_finish, working_day(first, late[i] - 1));
      } else {
        ++milestones;
        // A milestone with no float shows its early day; with float, the evening it must be
        // reached by.
        const Date shown =
            late[i] == early_start_b ? t.early_start : working_day(first, late[i] - 1);
        EXPECT_EQ(t.late_start, shown);
        EXPECT_EQ(t.late_finish, shown);
      }

      // Total float by definition: the largest delay that keeps the project finish.
      const std::int64_t total = late[i] - boundary_of(early_finish);
      EXPECT_EQ(t.total_float, total);
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

      critical[i] = total <= 0;
      EXPECT_EQ(t.critical, critical[i]);
      critical_seen += critical[i] ? 1 : 0;
    }

    // Critical paths: every maximal driving chain of critical tasks, from tasks no critical
    // driving link reaches.
    std::set<std::vector<TaskIndex>> expected;
    std::set<TaskIndex> reached;
    for (const Link& l : net.links) {
      const std::int64_t pred_side =
          from_finish(l.type) ? finish_of(start[l.from], net.duration[l.from]) : start[l.from];
      const std::int64_t succ_side =
          to_finish(l.type) ? finish_of(start[l.to], net.duration[l.to]) : start[l.to];
      if (critical[l.from] && critical[l.to] &&
          boundary_of(succ_side) - l.lag - boundary_of(pred_side) <= 0) {
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
    EXPECT_EQ(
        s.project_finish, s.tasks.empty() ? plan.start : [&] {
          Date last = s.tasks[0].early_finish;
          for (const auto& t : s.tasks) {
            last = std::max(last, t.early_finish);
          }
          return last;
        }());
  }
  // The generator must have exercised what it claims to.
  EXPECT_GT(milestones, 100);
  EXPECT_GT(critical_seen, 300);
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
