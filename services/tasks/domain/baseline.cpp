// Forecast against baseline, in working days of the project's calendar.
#include "tasks/domain/baseline.hpp"

namespace atelier::tasks::domain {

std::vector<Slip> find_slips(const Schedule& schedule, std::span<const BaselineFinish> baseline,
                             const WorkingCalendar& calendar) {
  using std::chrono::days;
  std::vector<Slip> slips;
  for (const BaselineFinish& entry : baseline) {
    if (entry.task >= schedule.tasks.size()) {
      continue;
    }
    const Date forecast = schedule.tasks[entry.task].early_finish;
    if (forecast <= entry.finish) {
      continue;
    }
    slips.push_back({entry.task, entry.finish, forecast,
                     calendar.working_days_between(entry.finish + days{1}, forecast + days{1})});
  }
  return slips;
}

}  // namespace atelier::tasks::domain
