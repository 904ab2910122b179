// Baseline comparison: which tasks slipped, and by how many working days.
#include "tasks/domain/baseline.hpp"

#include <gtest/gtest.h>

namespace atelier::tasks::domain {
namespace {

using namespace std::chrono;

constexpr Date on(int y, unsigned m, unsigned d) {
  return year{y} / month{m} / day{d};
}

// A 3d ──FS──► B 2d from Monday 3 March 2025: A finishes Wed 5, B Fri 7 March.
Schedule chain() {
  Plan plan;
  plan.start = on(2025, 3, 3);
  plan.tasks = {{"A", 3, {}, {}, {}}, {"B", 2, {}, {}, {}}};
  plan.links = {{0, 1, LinkType::kFinishToStart, 0}};
  return compute_schedule(plan, WorkingCalendar{}).value();
}

TEST(Baseline, SlipIsCountedInWorkingDays) {
  const WorkingCalendar calendar;
  const Schedule schedule = chain();
  // B was due Thursday 6 March: one working day late. A was due Friday 28 February: Monday 3,
  // Tuesday 4 and Wednesday 5 March later, three working days across the weekend.
  const std::vector<BaselineFinish> baseline = {{0, on(2025, 2, 28)}, {1, on(2025, 3, 6)}};
  const auto slips = find_slips(schedule, baseline, calendar);
  ASSERT_EQ(slips.size(), 2U);
  EXPECT_EQ(slips[0].task, 0U);
  EXPECT_EQ(slips[0].baseline_finish, on(2025, 2, 28));
  EXPECT_EQ(slips[0].forecast_finish, on(2025, 3, 5));
  EXPECT_EQ(slips[0].working_days_late, 3);
  EXPECT_EQ(slips[1].task, 1U);
  EXPECT_EQ(slips[1].working_days_late, 1);
}

TEST(Baseline, OnTimeEarlyAndDeletedTasksAreNotSlips) {
  const Schedule schedule = chain();
  const std::vector<BaselineFinish> baseline = {
      {0, on(2025, 3, 5)},   // on time
      {1, on(2025, 3, 10)},  // early
      {9, on(2025, 3, 1)},   // deleted since the baseline
  };
  EXPECT_TRUE(find_slips(schedule, baseline, WorkingCalendar{}).empty());
}

TEST(Baseline, AHolidayDoesNotCountAsLateness) {
  // Due Friday 18 April 2025, now forecast Tuesday 22: Easter Monday is not a working day.
  const WorkingCalendar french = french_working_calendar(2025, 2025);
  Plan plan;
  plan.start = on(2025, 4, 14);
  plan.tasks = {{"A", 6, {}, {}, {}}};
  const Schedule schedule = compute_schedule(plan, french).value();
  const std::vector<BaselineFinish> baseline = {{0, on(2025, 4, 18)}};
  const auto slips = find_slips(schedule, baseline, french);
  ASSERT_EQ(slips.size(), 1U);
  EXPECT_EQ(slips[0].forecast_finish, on(2025, 4, 22));
  EXPECT_EQ(slips[0].working_days_late, 1);
}

}  // namespace
}  // namespace atelier::tasks::domain
