#include "projects/domain/milestone.hpp"

namespace atelier::projects::domain {

Result<void> validate(const Milestone& m, const Project& project) {
  std::vector<FieldError> errors;
  if (m.name.empty() || utf8_length(m.name) > Milestone::kMaxName) {
    errors.push_back({"name", "Give the milestone a name of 1 to 200 characters."});
  }
  if (utf8_length(m.description) > Milestone::kMaxDescription) {
    errors.push_back({"description", "Keep the description under 4000 characters."});
  }
  if (!is_iso_date(m.due_date)) {
    errors.push_back({"due_date", "Write the date as YYYY-MM-DD, such as 2026-09-30."});
  } else if (project.end_date &&
             (m.due_date < project.start_date || m.due_date > *project.end_date)) {
    // ISO dates of equal length compare as text in calendar order.
    errors.push_back({"due_date", "Choose a date within the project's dates, from " +
                                      project.start_date + " to " + *project.end_date + "."});
  }
  if (m.reached_on && !is_iso_date(*m.reached_on)) {
    errors.push_back({"reached_on", "Write the date as YYYY-MM-DD, or null if not reached yet."});
  }
  if (!errors.empty()) {
    return Error::invalid("The milestone is not valid: see the fields.", std::move(errors));
  }
  return {};
}

}  // namespace atelier::projects::domain
