// Baseline comparison: the tasks now forecast to finish later than their baseline said, with by
// how many working days — the facts behind a TaskDelayed event.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tasks/domain/calendar.hpp"
#include "tasks/domain/critical_path.hpp"

namespace atelier::tasks::domain {

// A task's finish as saved in the baseline.
struct BaselineFinish {
  TaskIndex task = 0;
  Date finish;
};

struct Slip {
  TaskIndex task = 0;
  Date baseline_finish;
  Date forecast_finish;  // the early finish of the current schedule
  // Working days in (baseline_finish, forecast_finish]: a task due Friday and now forecast for
  // Monday is one working day late, not three calendar days.
  std::int64_t working_days_late = 0;
};

// The tasks whose forecast finish is past their baseline finish, in the baseline's order. Tasks
// finishing early or on time are left out; baseline entries for tasks the schedule no longer
// has (deleted since the baseline was taken) are skipped.
std::vector<Slip> find_slips(const Schedule& schedule, std::span<const BaselineFinish> baseline,
                             const WorkingCalendar& calendar);

}  // namespace atelier::tasks::domain
