// A milestone: a date the project must meet ("Hors d'eau", "Réception"), possibly tied to one of
// its lots, and the day it was reached.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"
#include "projects/domain/project.hpp"

namespace atelier::projects::domain {

struct Milestone {
  static constexpr size_t kMaxName = 200;
  static constexpr size_t kMaxDescription = 4000;

  std::string id;
  std::string org_id;
  std::string project_id;
  std::optional<std::string> lot_id;  // a lot of the same project
  std::string name;
  std::string description;
  std::string due_date;                   // YYYY-MM-DD
  std::optional<std::string> reached_on;  // YYYY-MM-DD; nullopt until it is reached
  int64_t version = 1;
  TimePoint created_at;
  TimePoint updated_at;
};

// kInvalid listing every bad field: a name of 1-200 characters, a description of at most 4000,
// real dates, and a due date within the project's dates when the project has an end date.
Result<void> validate(const Milestone& milestone, const Project& project);

}  // namespace atelier::projects::domain
