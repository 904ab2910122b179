// What the SQL stores share to read and write rows: times as RFC 3339 text, and the error for a
// list cursor they did not make.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"
#include "atelier/db/database.hpp"

namespace atelier::projects::adapters {

// Stored times are RFC 3339 text written by this service; anything else is a corrupt row.
inline TimePoint time_of(const db::Row& row, size_t i) {
  auto t = parse_rfc3339(row.get_text(i));
  if (!t) {
    throw std::logic_error("projects: unreadable time in column " + std::to_string(i));
  }
  return *t;
}

inline std::optional<std::string> opt_time(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::string>(format_rfc3339(*t)) : std::nullopt;
}

inline Error bad_cursor() {
  return Error::invalid("Some query parameters are invalid.",
                        {{"cursor", "Pass the next_cursor of the previous page."}});
}

}  // namespace atelier::projects::adapters
