// Hand-checked networks. Unless a test says otherwise the project starts on Monday 3 March 2025
// on a Monday-to-Friday calendar, and W0, W1, ... are its working days:
//   W0 Mon 03/03  W1 Tue 03/04  W2 Wed 03/05  W3 Thu 03/06  W4 Fri 03/07
//   W5 Mon 03/10  W6 Tue 03/11  W7 Wed 03/12  W8 Thu 03/13  W9 Fri 03/14  W10 Mon 03/17
// Floats are in working days; "A 3d" is task A of duration 3.
#include "tasks/domain/critical_path.hpp"

#include <gtest/gtest.h>

#include <array>
#include <tuple>

namespace atelier::tasks::domain {
namespace {

using namespace std::chrono;

constexpr Date on(int y, unsigned m, unsigned d) {
  return year{y} / month{m} / day{d};
}
constexpr Date kStart = on(2025, 3, 3);

constexpr LinkType FS = LinkType::kFinishToStart;
constexpr LinkType SS = LinkType::kStartToStart;
constexpr LinkType FF = LinkType::kFinishToFinish;
constexpr LinkType SF = LinkType::kStartToFinish;

TaskInput task(std::string id, int duration) {
  TaskInput t;
  t.id = std::move(id);
  t.duration = duration;
  return t;
}

Plan plan(std::vector<TaskInput> tasks, std::vector<Link> links, Date start = kStart) {
  Plan p;
  p.start = start;
  p.tasks = std::move(tasks);
  p.links = std::move(links);
  return p;
}

Schedule schedule_of(const Plan& p, const WorkingCalendar& calendar = WorkingCalendar{},
                     const ScheduleOptions& options = {}) {
  auto result = compute_schedule(p, calendar, options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : Schedule{};
}

void expect_early(const ScheduledTask& t, Date start, Date finish) {
  EXPECT_EQ(t.early_start, start);
  EXPECT_EQ(t.early_finish, finish);
}

void expect_late(const ScheduledTask& t, Date start, Date finish) {
  EXPECT_EQ(t.late_start, start);
  EXPECT_EQ(t.late_finish, finish);
}

std::vector<std::string> fields_of(const Error& error) {
  std::vector<std::string> out;
  for (const auto& f : error.fields) {
    out.push_back(f.field);
  }
  return out;
}

//   A 3d ──FS──► B 2d ──FS──► D 1d
//     └───FS──► C 1d ──FS──┘
// A W0–W2, B W3–W4, C W3 (late W4), D W5. C has 1 day of total and free float; A, B, D are the
// critical path.
TEST(CriticalPath, FinishToStartChainLeavesFloatOnTheShorterBranch) {
  const auto s = schedule_of(plan({task("A", 3), task("B", 2), task("C", 1), task("D", 1)},
                                  {{0, 1, FS, 0}, {0, 2, FS, 0}, {1, 3, FS, 0}, {2, 3, FS, 0}}));
  expect_early(s.tasks[0], on(2025, 3, 3), on(2025, 3, 5));
  expect_early(s.tasks[1], on(2025, 3, 6), on(2025, 3, 7));
  expect_early(s.tasks[2], on(2025, 3, 6), on(2025, 3, 6));
  expect_early(s.tasks[3], on(2025, 3, 10), on(2025, 3, 10));
  expect_late(s.tasks[0], on(2025, 3, 3), on(2025, 3, 5));
  expect_late(s.tasks[1], on(2025, 3, 6), on(2025, 3, 7));
  expect_late(s.tasks[2], on(2025, 3, 7), on(2025, 3, 7));
  expect_late(s.tasks[3], on(2025, 3, 10), on(2025, 3, 10));
  EXPECT_EQ(s.tasks[0].total_float, 0);
  EXPECT_EQ(s.tasks[1].total_float, 0);
  EXPECT_EQ(s.tasks[2].total_float, 1);
  EXPECT_EQ(s.tasks[2].free_float, 1);
  EXPECT_EQ(s.tasks[3].total_float, 0);
  EXPECT_TRUE(s.tasks[0].critical);
  EXPECT_FALSE(s.tasks[2].critical);
  EXPECT_EQ(s.project_finish, on(2025, 3, 10));
  ASSERT_EQ(s.critical_paths.size(), 1U);
  EXPECT_EQ(s.critical_paths[0], (std::vector<TaskIndex>{0, 1, 3}));
  EXPECT_TRUE(s.warnings.empty());
}

// P 3d (W0–W2) ──type, lag──► S 2d: S's early dates for each link type and lag, worked out with
// the inclusive rules of the header (FS: ES ≥ EF + 1 + lag, SS: ES ≥ ES + lag, FF: EF ≥ EF + lag,
// SF: EF ≥ ES + lag − 1), floored at the project start.
TEST(CriticalPath, EachLinkTypeWithPositiveAndNegativeLag) {
  struct Case {
    LinkType type;
    int lag;
    Date start;
    Date finish;
  };
  const Case cases[] = {
      {FS, 0, on(2025, 3, 6), on(2025, 3, 7)},    // W3: the day after W2
      {FS, 2, on(2025, 3, 10), on(2025, 3, 11)},  // W5
      {FS, -1, on(2025, 3, 5), on(2025, 3, 6)},   // W2: overlaps P's last day
      {SS, 0, on(2025, 3, 3), on(2025, 3, 4)},    // W0
      {SS, 2, on(2025, 3, 5), on(2025, 3, 6)},    // W2
      {SS, -1, on(2025, 3, 3), on(2025, 3, 4)},   // W-1, held at the project start
      {FF, 0, on(2025, 3, 4), on(2025, 3, 5)},    // EF W2
      {FF, 2, on(2025, 3, 6), on(2025, 3, 7)},    // EF W4
      {FF, -1, on(2025, 3, 3), on(2025, 3, 4)},   // EF W1
      {SF, 0, on(2025, 3, 3), on(2025, 3, 4)},    // EF W-1, held at the project start
      {SF, 4, on(2025, 3, 5), on(2025, 3, 6)},    // EF W3
      {SF, 6, on(2025, 3, 7), on(2025, 3, 10)},   // EF W5 over the weekend
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(link_type_code(c.type)) + " " + std::to_string(c.lag));
    const auto s = schedule_of(plan({task("P", 3), task("S", 2)}, {{0, 1, c.type, c.lag}}));
    expect_early(s.tasks[0], on(2025, 3, 3), on(2025, 3, 5));
    expect_early(s.tasks[1], c.start, c.finish);
  }
}

// X 5d (W0–W4) ──FS──► P 3d (W5–W7) ──SF −2──► S 2d
// S.EF ≥ P.ES − 2 − 1 = W2, so S runs W1–W2: well before its predecessor.
TEST(CriticalPath, StartToFinishWithLeadFinishesBeforeThePredecessorStarts) {
  const auto s = schedule_of(
      plan({task("X", 5), task("P", 3), task("S", 2)}, {{0, 1, FS, 0}, {1, 2, SF, -2}}));
  expect_early(s.tasks[1], on(2025, 3, 10), on(2025, 3, 12));
  expect_early(s.tasks[2], on(2025, 3, 4), on(2025, 3, 5));
  // The project finishes with P (W7); S may finish as late as W7 too: 5 days of float.
  expect_late(s.tasks[2], on(2025, 3, 11), on(2025, 3, 12));
  EXPECT_EQ(s.tasks[2].total_float, 5);
}

// P 3d ──SF +6──► S 2d, and Z 10d alone sets the project finish at W9.
// Early: S.EF ≥ W0 + 6 − 1 = W5, so S W4–W5. Late: S W8–W9 (4 days of float); P.LS is bound
// by S.LF through the link: P.LS ≤ S.LF − 6 + 1 = W4, so P late W4–W6, 4 days of float too.
TEST(CriticalPath, StartToFinishLagShiftsLateStart) {
  const auto s = schedule_of(plan({task("P", 3), task("S", 2), task("Z", 10)}, {{0, 1, SF, 6}}));
  expect_early(s.tasks[1], on(2025, 3, 7), on(2025, 3, 10));
  expect_late(s.tasks[1], on(2025, 3, 13), on(2025, 3, 14));
  expect_late(s.tasks[0], on(2025, 3, 7), on(2025, 3, 11));
  EXPECT_EQ(s.tasks[0].total_float, 4);
  EXPECT_EQ(s.tasks[1].total_float, 4);
  EXPECT_EQ(s.tasks[0].free_float, 0);  // any slip of P moves S
  EXPECT_EQ(s.critical_paths, (std::vector<std::vector<TaskIndex>>{{2}}));
}

// P 3d ──SS +2──► S 2d: S W2–W3 finishes last, and the link drives it: both critical.
// P ──SS 0──► S: S W0–W1 has 1 day of float, P alone is critical (it finishes last).
TEST(CriticalPath, StartToStartLagDrivesTheCriticalPath) {
  const auto lagged = schedule_of(plan({task("P", 3), task("S", 2)}, {{0, 1, SS, 2}}));
  EXPECT_EQ(lagged.tasks[0].total_float, 0);
  EXPECT_EQ(lagged.tasks[1].total_float, 0);
  EXPECT_EQ(lagged.critical_paths, (std::vector<std::vector<TaskIndex>>{{0, 1}}));
  EXPECT_EQ(lagged.project_finish, on(2025, 3, 6));

  const auto together = schedule_of(plan({task("P", 3), task("S", 2)}, {{0, 1, SS, 0}}));
  EXPECT_EQ(together.tasks[0].total_float, 0);
  EXPECT_EQ(together.tasks[1].total_float, 1);
  EXPECT_EQ(together.tasks[1].free_float, 1);
  EXPECT_EQ(together.critical_paths, (std::vector<std::vector<TaskIndex>>{{0}}));
}

// Every link type with leads and lags, on a Monday-to-Thursday calendar with the French holidays
// of 2026 and two exceptions: Friday 15 May worked (to make up for Ascension, Thursday 14 May) and
// Wednesday 3 June closed (a site-wide stoppage). The project starts on Friday 1 May, a holiday
// and not a working weekday anyway: its first working day is Monday 4 May. Its working days:
//   X0 Mon 05/04  X1 Tue 05/05  X2 Wed 05/06  X3 Thu 05/07  (Fri 8 May: holiday, not worked)
//   X4 Mon 05/11  X5 Tue 05/12  X6 Wed 05/13  X7 Fri 05/15  (Thu 14: Ascension; Fri 15 worked)
//   X8 Mon 05/18  X9 Tue 05/19  X10 Wed 05/20 X11 Thu 05/21
//   X12 Tue 05/26 X13 Wed 05/27 X14 Thu 05/28 (Mon 25: Whit Monday)
//   X15 Mon 06/01 X16 Tue 06/02 X17 Thu 06/04 (Wed 3 June closed)
//
//   A Terrassement 3d ──SS +2──► B Fondations 4d ──FF +3──► C Élévation 6d ──FS──► G Charpente 9d
//   A ──FS -1──► D Réseaux 2d ──SF +8──► E Dalle 3d ──FF -2──► F Réception (milestone)
//   G ──FS──► F
// Forward, on boundaries (a task of d days starting at boundary s works days s .. s + d - 1):
//   A: 0–3.  B: start >= A.start + 2 = 2, so 2–6.  C: finish >= B.finish + 3 = 9, so 3–9.
//   D: start >= A.finish - 1 = 2, so 2–4.  E: finish >= D.start + 8 = 10, so 7–10.
//   G: start >= C.finish = 9, so 9–18.  F: at the evening ending X17 (G's finish, 18); E's FF -2
//   asks only for 10 - 2 = 8.  The project finishes at 18: Thursday 4 June.
// Backward from 18: F 18 (no float: shown on its early day).  G: finish <= 18, so 9–18.
//   C: finish <= G's late start 9, so 3–9.  B: finish <= C's late finish - 3 = 6, so 2–6.
//   E: finish <= F's late finish + 2 = 20, capped by the project's 18, so 15–18.
//   D: start <= E's late finish - 8 = 10, so 10–12.  A: start <= B's late start - 2 = 0, and
//   finish <= D's late start + 1 = 11: 0–3.
// Total float (late finish - early finish): A, B, C, G, F 0; D 12 - 4 = 8; E 18 - 10 = 8.
// Free float (the least slack of its links, and the project finish): A 0 (both links drive);
// B 0; C 0; G 0; D: E's finish 10 - 8 - D's start 2 = 0; E: min(18 - 10, 18 + 2 - 10) = 8.
// The critical path follows the driving links between critical tasks: A → B → C → G → F.
TEST(CriticalPath, MixedLinksAndLagsOnAFourDayWeekWithHolidaysAndExceptions) {
  WorkingCalendar calendar;
  const std::array<weekday, 4> week = {Monday, Tuesday, Wednesday, Thursday};
  ASSERT_TRUE(calendar.set_working_weekdays(week));
  calendar.add_holidays(french_public_holidays(2026));
  calendar.set_exception(on(2026, 5, 15), true);
  calendar.set_exception(on(2026, 6, 3), false);
  auto network = plan({task("A", 3), task("B", 4), task("C", 6), task("D", 2), task("E", 3),
                       task("G", 9), task("F", 0)},
                      {{0, 1, SS, 2},
                       {1, 2, FF, 3},
                       {2, 5, FS, 0},
                       {0, 3, FS, -1},
                       {3, 4, SF, 8},
                       {4, 6, FF, -2},
                       {5, 6, FS, 0}},
                      on(2026, 5, 1));
  const auto s = schedule_of(network, calendar);
  ASSERT_EQ(s.tasks.size(), 7u);
  const auto& [a, b, c, d, e, g, f] =
      std::tie(s.tasks[0], s.tasks[1], s.tasks[2], s.tasks[3], s.tasks[4], s.tasks[5], s.tasks[6]);
  expect_early(a, on(2026, 5, 4), on(2026, 5, 6));  // X0–X2
  expect_late(a, on(2026, 5, 4), on(2026, 5, 6));
  expect_early(b, on(2026, 5, 6), on(2026, 5, 12));  // X2–X5
  expect_late(b, on(2026, 5, 6), on(2026, 5, 12));
  expect_early(c, on(2026, 5, 7), on(2026, 5, 18));  // X3–X8, over Ascension
  expect_late(c, on(2026, 5, 7), on(2026, 5, 18));
  expect_early(d, on(2026, 5, 6), on(2026, 5, 7));    // X2–X3
  expect_late(d, on(2026, 5, 20), on(2026, 5, 21));   // X10–X11
  expect_early(e, on(2026, 5, 15), on(2026, 5, 19));  // X7–X9: starts on the worked Friday
  expect_late(e, on(2026, 6, 1), on(2026, 6, 4));     // X15–X17, over the closed Wednesday
  expect_early(g, on(2026, 5, 19), on(2026, 6, 4));   // X9–X17, over Whit Monday and 3 June
  expect_late(g, on(2026, 5, 19), on(2026, 6, 4));
  expect_early(f, on(2026, 6, 4), on(2026, 6, 4));
  expect_late(f, on(2026, 6, 4), on(2026, 6, 4));
  EXPECT_EQ(s.project_finish, on(2026, 6, 4));
  const std::array<std::int64_t, 7> total_floats = {0, 0, 0, 8, 8, 0, 0};
  const std::array<std::int64_t, 7> free_floats = {0, 0, 0, 0, 8, 0, 0};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(s.tasks[i].total_float, total_floats[i]) << network.tasks[i].id;
    EXPECT_EQ(s.tasks[i].free_float, free_floats[i]) << network.tasks[i].id;
    EXPECT_EQ(s.tasks[i].critical, total_floats[i] == 0) << network.tasks[i].id;
  }
  EXPECT_EQ(s.critical_paths, (std::vector<std::vector<TaskIndex>>{{0, 1, 2, 5, 6}}));
  EXPECT_TRUE(s.warnings.empty());

  // E held to start no earlier than Thursday 21 May (X11): 11–14, shown Thu 21 to Wed 27 May
  // (over Whit Monday). Its late dates stay 15–18, so its total float drops to 18 - 14 = 4, as
  // does its free float (min(18 - 14, 18 + 2 - 14)). D's SF link no longer drives E: D keeps
  // its total float of 8, and gains a free float of E's finish 14 - 8 - D's start 2 = 4.
  network.tasks[4].constraint = Constraint{ConstraintKind::kStartNoEarlierThan, on(2026, 5, 21)};
  const auto held = schedule_of(network, calendar);
  ASSERT_EQ(held.tasks.size(), 7u);
  expect_early(held.tasks[4], on(2026, 5, 21), on(2026, 5, 27));
  expect_late(held.tasks[4], on(2026, 6, 1), on(2026, 6, 4));
  EXPECT_EQ(held.tasks[4].total_float, 4);
  EXPECT_EQ(held.tasks[4].free_float, 4);
  EXPECT_EQ(held.tasks[3].total_float, 8);
  EXPECT_EQ(held.tasks[3].free_float, 4);
  EXPECT_EQ(held.project_finish, on(2026, 6, 4));
  EXPECT_EQ(held.critical_paths, s.critical_paths);
}

// A 3d (W0–W2) ──FS──► M (milestone) ──FS──► B 2d ──FS──► H (milestone, handover)
// A ──SS──► M2, A ──FF──► M3, A ──SF +2──► M4.
// M closes A's work: shown Wed W2, and B starts the next morning, Thu W3, to Fri W4; H is shown
// on Fri W4, the project finish, not on the Monday after. M2 opens with A: Mon W0. M3 finishes
// with A: Wed W2. M4 falls on the morning of W2 (A's start + 2 days): Wed. All three may be
// reached as late as the evening of Fri W4, so their float counts working time up to it: M2,
// at the start of W0, 5 days; M3, at the end of W2, 2 days; M4, at the start of W2, 3 days.
TEST(CriticalPath, MilestonesWorkWithEveryLinkType) {
  const auto s = schedule_of(plan(
      {task("A", 3), task("M", 0), task("B", 2), task("H", 0), task("M2", 0), task("M3", 0),
       task("M4", 0)},
      {{0, 1, FS, 0}, {1, 2, FS, 0}, {2, 3, FS, 0}, {0, 4, SS, 0}, {0, 5, FF, 0}, {0, 6, SF, 2}}));
  expect_early(s.tasks[1], on(2025, 3, 5), on(2025, 3, 5));
  expect_late(s.tasks[1], on(2025, 3, 5), on(2025, 3, 5));
  expect_early(s.tasks[2], on(2025, 3, 6), on(2025, 3, 7));
  expect_early(s.tasks[3], on(2025, 3, 7), on(2025, 3, 7));
  expect_late(s.tasks[3], on(2025, 3, 7), on(2025, 3, 7));
  expect_early(s.tasks[4], on(2025, 3, 3), on(2025, 3, 3));
  expect_late(s.tasks[4], on(2025, 3, 7), on(2025, 3, 7));
  expect_early(s.tasks[5], on(2025, 3, 5), on(2025, 3, 5));
  expect_early(s.tasks[6], on(2025, 3, 5), on(2025, 3, 5));
  EXPECT_EQ(s.tasks[1].total_float, 0);
  EXPECT_EQ(s.tasks[3].total_float, 0);
  EXPECT_EQ(s.tasks[4].total_float, 5);
  EXPECT_EQ(s.tasks[5].total_float, 2);
  EXPECT_EQ(s.tasks[6].total_float, 3);
  EXPECT_EQ(s.tasks[4].free_float, 5);
  EXPECT_EQ(s.project_finish, on(2025, 3, 7));
  EXPECT_EQ(s.critical_paths, (std::vector<std::vector<TaskIndex>>{{0, 1, 2, 3}}));
}

// A milestone with no predecessor opens the project: shown on its first day, and its FS
// successor starts that same day.
TEST(CriticalPath, KickOffMilestoneSharesTheFirstDay) {
  const auto s = schedule_of(plan({task("Kick-off", 0), task("A", 2)}, {{0, 1, FS, 0}}));
  expect_early(s.tasks[0], on(2025, 3, 3), on(2025, 3, 3));
  expect_late(s.tasks[0], on(2025, 3, 3), on(2025, 3, 3));
  expect_early(s.tasks[1], on(2025, 3, 3), on(2025, 3, 4));
  EXPECT_EQ(s.critical_paths, (std::vector<std::vector<TaskIndex>>{{0, 1}}));
}

// French calendar, start Monday 14 April 2025:
// A 5d Mon 14 – Fri 18 April; B 3d skips Easter Monday (21 April): Tue 22 – Thu 24;
// C 4d Fri 25, Mon 28, Tue 29, Wed 30; D 2d skips 1 May (Thursday): Fri 2 – Mon 5 May.
TEST(CriticalPath, HolidaysInsideAndBetweenTasksAreSkipped) {
  const WorkingCalendar french = french_working_calendar(2025, 2025);
  const auto s = schedule_of(plan({task("A", 5), task("B", 3), task("C", 4), task("D", 2)},
                                  {{0, 1, FS, 0}, {1, 2, FS, 0}, {2, 3, FS, 0}}, on(2025, 4, 14)),
                             french);
  expect_early(s.tasks[0], on(2025, 4, 14), on(2025, 4, 18));
  expect_early(s.tasks[1], on(2025, 4, 22), on(2025, 4, 24));
  expect_early(s.tasks[2], on(2025, 4, 25), on(2025, 4, 30));
  expect_early(s.tasks[3], on(2025, 5, 2), on(2025, 5, 5));
  EXPECT_EQ(s.project_finish, on(2025, 5, 5));
  // A task spanning a holiday: 4 days from Wed 7 May are 7, 9, 12, 13 (8 May is a holiday).
  const auto over = schedule_of(plan({task("E", 4)}, {}, on(2025, 5, 7)), french);
  expect_early(over.tasks[0], on(2025, 5, 7), on(2025, 5, 13));
}

// A project starting on a Saturday starts on the Monday.
TEST(CriticalPath, ProjectStartOnAWeekendRollsForward) {
  const auto s = schedule_of(plan({task("A", 1)}, {}, on(2025, 3, 1)));
  expect_early(s.tasks[0], on(2025, 3, 3), on(2025, 3, 3));
}

// A 3d W0–W2; B 2d FS after A but start-no-earlier-than Mon 10 March: W5–W6; D 1d FS after B:
// W7. C 2d FS after A must finish on Fri 14 March: pinned W8–W9, and sets the project finish.
// Late dates: C is critical (its date is fixed); D may slip to W9 (2 days), B to W7–W8 (2 days);
// A is bound by B's late start W7: late W4–W6, 4 days of total float but only 2 of free float
// (the slack to B, which the constraint holds back).
TEST(CriticalPath, StartNoEarlierThanAndMustFinishOn) {
  auto tasks = std::vector<TaskInput>{task("A", 3), task("B", 2), task("C", 2), task("D", 1)};
  tasks[1].constraint = Constraint{ConstraintKind::kStartNoEarlierThan, on(2025, 3, 10)};
  tasks[2].constraint = Constraint{ConstraintKind::kMustFinishOn, on(2025, 3, 14)};
  const auto s = schedule_of(plan(tasks, {{0, 1, FS, 0}, {0, 2, FS, 0}, {1, 3, FS, 0}}));
  expect_early(s.tasks[1], on(2025, 3, 10), on(2025, 3, 11));
  expect_early(s.tasks[2], on(2025, 3, 13), on(2025, 3, 14));
  expect_late(s.tasks[2], on(2025, 3, 13), on(2025, 3, 14));
  expect_early(s.tasks[3], on(2025, 3, 12), on(2025, 3, 12));
  expect_late(s.tasks[1], on(2025, 3, 12), on(2025, 3, 13));
  expect_late(s.tasks[0], on(2025, 3, 7), on(2025, 3, 11));
  EXPECT_EQ(s.tasks[0].total_float, 4);
  EXPECT_EQ(s.tasks[0].free_float, 2);
  EXPECT_EQ(s.tasks[1].total_float, 2);
  EXPECT_EQ(s.tasks[2].total_float, 0);
  EXPECT_EQ(s.tasks[3].total_float, 2);
  EXPECT_EQ(s.project_finish, on(2025, 3, 14));
  EXPECT_EQ(s.critical_paths, (std::vector<std::vector<TaskIndex>>{{2}}));
  EXPECT_TRUE(s.warnings.empty());
}

// A 3d W0–W2 ──FS──► E 2d that must finish on Wed 5 March: the link wants E on W3–W4, the date
// holds E on W1–W2, and the schedule says so.
TEST(CriticalPath, MustFinishOnConflictIsAWarningNotAFailure) {
  auto tasks = std::vector<TaskInput>{task("A", 3), task("E", 2)};
  tasks[1].constraint = Constraint{ConstraintKind::kMustFinishOn, on(2025, 3, 5)};
  const auto s = schedule_of(plan(tasks, {{0, 1, FS, 0}}));
  expect_early(s.tasks[1], on(2025, 3, 4), on(2025, 3, 5));
  ASSERT_EQ(s.warnings.size(), 1U);
  EXPECT_EQ(s.warnings[0].task, 1U);
  EXPECT_EQ(s.warnings[0].kind, WarningKind::kMustFinishOnConflict);
  EXPECT_EQ(s.warnings[0].message,
            "links push the finish of E to 2025-03-07, past its must-finish-on date 2025-03-05");
  // A must finish by the evening before E starts: W0, two days before its early finish.
  EXPECT_EQ(s.tasks[0].total_float, -2);
}

// A 3d W0–W2 with finish-no-later-than Tue 4 March: late finish W1, so late start Fri 28
// February, −1 day of float, and a warning.
TEST(CriticalPath, FinishNoLaterThanCapsLateDates) {
  auto tasks = std::vector<TaskInput>{task("A", 3), task("B", 5)};
  tasks[0].constraint = Constraint{ConstraintKind::kFinishNoLaterThan, on(2025, 3, 4)};
  const auto s = schedule_of(plan(tasks, {}));
  expect_late(s.tasks[0], on(2025, 2, 28), on(2025, 3, 4));
  EXPECT_EQ(s.tasks[0].total_float, -1);
  EXPECT_TRUE(s.tasks[0].critical);
  ASSERT_EQ(s.warnings.size(), 1U);
  EXPECT_EQ(s.warnings[0].kind, WarningKind::kFinishNoLaterThanMissed);
  EXPECT_EQ(s.warnings[0].message,
            "A is forecast to finish on 2025-03-05, after its finish-no-later-than date "
            "2025-03-04");
}

// A 3d finished: actually Tue 4 – Thu 6 March. B 4d FS after A, started Mon 10 March (later than
// the link allows): W5–W8. C 2d FS after B: W9–W10. D 2d FS after A: Fri 7 – Mon 10.
// A is a fact: no float, not critical. The critical path is B → C.
TEST(CriticalPath, ActualDatesOfStartedAndFinishedTasksWin) {
  auto tasks = std::vector<TaskInput>{task("A", 3), task("B", 4), task("C", 2), task("D", 2)};
  tasks[0].actual_start = on(2025, 3, 4);
  tasks[0].actual_finish = on(2025, 3, 6);
  tasks[1].actual_start = on(2025, 3, 10);
  const auto s = schedule_of(plan(tasks, {{0, 1, FS, 0}, {1, 2, FS, 0}, {0, 3, FS, 0}}));
  expect_early(s.tasks[0], on(2025, 3, 4), on(2025, 3, 6));
  expect_late(s.tasks[0], on(2025, 3, 4), on(2025, 3, 6));
  EXPECT_FALSE(s.tasks[0].critical);
  EXPECT_EQ(s.tasks[0].total_float, 0);
  expect_early(s.tasks[1], on(2025, 3, 10), on(2025, 3, 13));
  expect_early(s.tasks[2], on(2025, 3, 14), on(2025, 3, 17));
  expect_early(s.tasks[3], on(2025, 3, 7), on(2025, 3, 10));
  EXPECT_EQ(s.tasks[3].total_float, 5);
  EXPECT_TRUE(s.tasks[1].critical);
  EXPECT_EQ(s.critical_paths, (std::vector<std::vector<TaskIndex>>{{1, 2}}));
  EXPECT_TRUE(s.warnings.empty());
}

// A finished task's duration comes from its actual dates: planned 2 days, took 4 (Mon–Thu).
TEST(CriticalPath, FinishedTaskTakesItsDurationFromActuals) {
  auto tasks = std::vector<TaskInput>{task("A", 2), task("B", 1)};
  tasks[0].actual_start = on(2025, 3, 3);
  tasks[0].actual_finish = on(2025, 3, 6);
  const auto s = schedule_of(plan(tasks, {{0, 1, FS, 0}}));
  expect_early(s.tasks[0], on(2025, 3, 3), on(2025, 3, 6));
  expect_early(s.tasks[1], on(2025, 3, 7), on(2025, 3, 7));
}

// A 3d not started (W0–W2); B FS after it already started on Wed 5 March: B keeps its actual
// start, and the schedule notes it jumped the link (which allowed Thu 6 March).
TEST(CriticalPath, StartedOutOfSequenceIsWarned) {
  auto tasks = std::vector<TaskInput>{task("A", 3), task("B", 2)};
  tasks[1].actual_start = on(2025, 3, 5);
  const auto s = schedule_of(plan(tasks, {{0, 1, FS, 0}}));
  expect_early(s.tasks[1], on(2025, 3, 5), on(2025, 3, 6));
  ASSERT_EQ(s.warnings.size(), 1U);
  EXPECT_EQ(s.warnings[0].kind, WarningKind::kStartedOutOfSequence);
  EXPECT_EQ(s.warnings[0].message, "B started on 2025-03-05, before its links allow (2025-03-06)");
}

//   A 2d ──► B 3d ──► D 1d
//     └───► C 3d ──┘        (all FS) Two equal branches: two critical paths.
TEST(CriticalPath, TwoEqualCriticalPathsAreBothReported) {
  const Plan p = plan({task("A", 2), task("B", 3), task("C", 3), task("D", 1)},
                      {{0, 1, FS, 0}, {0, 2, FS, 0}, {1, 3, FS, 0}, {2, 3, FS, 0}});
  const auto s = schedule_of(p);
  EXPECT_EQ(s.critical_paths, (std::vector<std::vector<TaskIndex>>{{0, 1, 3}, {0, 2, 3}}));
  EXPECT_FALSE(s.critical_paths_truncated);

  const auto capped = schedule_of(p, WorkingCalendar{}, ScheduleOptions{1});
  EXPECT_EQ(capped.critical_paths, (std::vector<std::vector<TaskIndex>>{{0, 1, 3}}));
  EXPECT_TRUE(capped.critical_paths_truncated);
}

// A 3d ──FS──► B 2d, W0–W4. A deadline on Wed 5 March leaves −2 days of float on both; one on
// Mon 10 March leaves 1 day and nothing critical.
TEST(CriticalPath, DeadlineSetsTheLateDates) {
  Plan p = plan({task("A", 3), task("B", 2)}, {{0, 1, FS, 0}});
  p.deadline = on(2025, 3, 5);
  const auto tight = schedule_of(p);
  EXPECT_EQ(tight.tasks[0].total_float, -2);
  EXPECT_EQ(tight.tasks[1].total_float, -2);
  expect_late(tight.tasks[1], on(2025, 3, 4), on(2025, 3, 5));
  EXPECT_EQ(tight.critical_paths, (std::vector<std::vector<TaskIndex>>{{0, 1}}));
  EXPECT_EQ(tight.project_finish, on(2025, 3, 7));

  p.deadline = on(2025, 3, 10);
  const auto loose = schedule_of(p);
  EXPECT_EQ(loose.tasks[0].total_float, 1);
  EXPECT_EQ(loose.tasks[1].total_float, 1);
  EXPECT_FALSE(loose.tasks[0].critical);
  EXPECT_TRUE(loose.critical_paths.empty());
}

TEST(CriticalPath, EmptyPlanFinishesOnItsStart) {
  const auto s = schedule_of(plan({}, {}));
  EXPECT_TRUE(s.tasks.empty());
  EXPECT_EQ(s.project_finish, kStart);
}

// A → B → C → A, and C → D outside the cycle: refused, the cycle named in link order.
TEST(CriticalPath, CycleIsRefusedAndNamed) {
  const Plan p = plan({task("A", 1), task("B", 1), task("C", 1), task("D", 1)},
                      {{0, 1, FS, 0}, {1, 2, SS, 1}, {2, 0, FF, 0}, {2, 3, FS, 0}});
  const auto result = compute_schedule(p, WorkingCalendar{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(result.error().message, "links form a cycle: A → B → C → A");
  EXPECT_EQ(fields_of(result.error()),
            (std::vector<std::string>{"links[0]", "links[1]", "links[2]"}));
  EXPECT_EQ(find_cycle(p.tasks.size(), p.links), (std::vector<TaskIndex>{0, 1, 2}));
}

// The cycle is named from its first task in plan order, wherever the walk entered it.
TEST(CriticalPath, CycleIsNamedFromItsFirstTask) {
  const Plan p = plan({task("Gros œuvre", 1), task("Charpente", 1), task("Couverture", 1)},
                      {{0, 1, FS, 0}, {2, 1, FS, 0}, {1, 2, FS, 0}});
  const auto result = compute_schedule(p, WorkingCalendar{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "links form a cycle: Charpente → Couverture → Charpente");
  EXPECT_EQ(fields_of(result.error()), (std::vector<std::string>{"links[2]", "links[1]"}));
  EXPECT_TRUE(find_cycle(2, std::vector<Link>{{0, 1, FS, 0}}).empty());
}

TEST(CriticalPath, SelfLinkIsRefused) {
  const auto result = compute_schedule(
      plan({task("A", 1), task("B", 1)}, {{0, 1, FS, 0}, {1, 1, FS, 0}}), WorkingCalendar{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(result.error().fields.size(), 1U);
  EXPECT_EQ(result.error().fields[0].field, "links[1]");
  EXPECT_EQ(result.error().fields[0].message, "a task cannot be linked to itself (B)");
}

TEST(CriticalPath, ValidationNamesEveryBadField) {
  auto tasks = std::vector<TaskInput>{task("A", 2), task("B", -1), task("C", 1)};
  tasks[2].actual_finish = on(2025, 3, 4);
  const auto result =
      compute_schedule(plan(tasks, {{0, 7, FS, 0}, {0, 2, FS, 20000}}), WorkingCalendar{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(fields_of(result.error()),
            (std::vector<std::string>{"tasks[1].duration", "tasks[2].actual_start", "links[0].to",
                                      "links[1].lag"}));
}

TEST(CriticalPath, DuplicateLinkIsRefused) {
  const auto result = compute_schedule(
      plan({task("A", 1), task("B", 1)}, {{0, 1, FS, 0}, {0, 1, SS, 2}}), WorkingCalendar{});
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().fields.size(), 1U);
  EXPECT_EQ(result.error().fields[0].field, "links[1]");
  EXPECT_EQ(result.error().fields[0].message, "a second link from A to B (the first is links[0])");
}

TEST(CriticalPath, ActualFinishBeforeActualStartIsRefused) {
  auto tasks = std::vector<TaskInput>{task("A", 2)};
  tasks[0].actual_start = on(2025, 3, 5);
  tasks[0].actual_finish = on(2025, 3, 4);
  const auto result = compute_schedule(plan(tasks, {}), WorkingCalendar{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(fields_of(result.error()), (std::vector<std::string>{"tasks[0].actual_finish"}));
}

TEST(LinkType, CodesRoundTrip) {
  for (LinkType type : {FS, SS, FF, SF}) {
    EXPECT_EQ(parse_link_type(link_type_code(type)), type);
  }
  EXPECT_FALSE(parse_link_type("fs"));
  EXPECT_FALSE(parse_link_type("XX"));
}

TEST(ResolveLinks, MapsIdsToPositionsAndNamesUnknownOnes) {
  const std::vector<TaskInput> tasks = {task("t-1", 1), task("t-2", 1)};
  const std::vector<NamedLink> good = {{"t-1", "t-2", SS, 2}};
  const auto links = resolve_links(tasks, good);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1U);
  EXPECT_EQ((*links)[0].from, 0U);
  EXPECT_EQ((*links)[0].to, 1U);
  EXPECT_EQ((*links)[0].type, SS);
  EXPECT_EQ((*links)[0].lag, 2);

  const std::vector<NamedLink> bad = {{"t-1", "t-2", FS, 0}, {"t-9", "t-1", FS, 0}};
  const auto refused = resolve_links(tasks, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(fields_of(refused.error()), (std::vector<std::string>{"links[1].from"}));

  const std::vector<TaskInput> twins = {task("t-1", 1), task("t-2", 1), task("t-1", 2)};
  const auto twin_ids = resolve_links(twins, good);
  ASSERT_FALSE(twin_ids.ok());
  EXPECT_EQ(fields_of(twin_ids.error()), (std::vector<std::string>{"tasks[2].id"}));
}

}  // namespace
}  // namespace atelier::tasks::domain
