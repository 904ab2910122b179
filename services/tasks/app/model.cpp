#include "tasks/app/model.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace atelier::tasks::app {

namespace {

constexpr std::array<std::string_view, 7> kWeekdayCodes = {"sun", "mon", "tue", "wed",
                                                           "thu", "fri", "sat"};

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int n = 0;
  for (char c : s) {
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text.substr(0, 4)) ||
      !digits(text.substr(5, 2)) || !digits(text.substr(8, 2))) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{
      std::chrono::year(number(text.substr(0, 4))),
      std::chrono::month(static_cast<unsigned>(number(text.substr(5, 2)))),
      std::chrono::day(static_cast<unsigned>(number(text.substr(8, 2))))};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return Date(ymd);
}

std::string format_date(Date day) {
  const std::chrono::year_month_day ymd{day};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

std::string_view holiday_region_name(HolidayRegion region) {
  switch (region) {
    case HolidayRegion::kFrance:
      return "fr";
    case HolidayRegion::kAlsaceMoselle:
      return "fr-alsace-moselle";
    case HolidayRegion::kNone:
      return "none";
  }
  return "none";
}

std::optional<HolidayRegion> parse_holiday_region(std::string_view name) {
  for (auto r : {HolidayRegion::kFrance, HolidayRegion::kAlsaceMoselle, HolidayRegion::kNone}) {
    if (holiday_region_name(r) == name) {
      return r;
    }
  }
  return std::nullopt;
}

std::string_view weekday_code(std::chrono::weekday day) {
  return kWeekdayCodes[day.c_encoding()];
}

std::optional<std::chrono::weekday> parse_weekday(std::string_view code) {
  for (unsigned i = 0; i < kWeekdayCodes.size(); ++i) {
    if (kWeekdayCodes[i] == code) {
      return std::chrono::weekday(i);
    }
  }
  return std::nullopt;
}

CalendarSettings CalendarSettings::french_default() {
  CalendarSettings s;
  s.working_weekdays = {std::chrono::Monday, std::chrono::Tuesday, std::chrono::Wednesday,
                        std::chrono::Thursday, std::chrono::Friday};
  s.holiday_region = HolidayRegion::kFrance;
  return s;
}

domain::WorkingCalendar CalendarSettings::build(int first_year, int last_year) const {
  domain::WorkingCalendar calendar;
  if (!working_weekdays.empty()) {
    // Validated when stored; an empty list keeps the Monday-to-Friday default.
    (void)calendar.set_working_weekdays(working_weekdays);
  }
  if (holiday_region != HolidayRegion::kNone) {
    const auto region = holiday_region == HolidayRegion::kAlsaceMoselle
                            ? domain::FrenchRegion::kAlsaceMoselle
                            : domain::FrenchRegion::kMetropolitan;
    for (int year = first_year; year <= last_year; ++year) {
      calendar.add_holidays(domain::french_public_holidays(year, region));
    }
  }
  for (const auto& e : exceptions) {
    calendar.set_exception(e.date, e.working);
  }
  return calendar;
}

std::string_view status_name(TaskStatus status) {
  switch (status) {
    case TaskStatus::kTodo:
      return "todo";
    case TaskStatus::kInProgress:
      return "in_progress";
    case TaskStatus::kBlocked:
      return "blocked";
    case TaskStatus::kDone:
      return "done";
  }
  return "todo";
}

std::optional<TaskStatus> parse_status(std::string_view name) {
  for (TaskStatus s : kAllStatuses) {
    if (status_name(s) == name) {
      return s;
    }
  }
  return std::nullopt;
}

std::string_view constraint_kind_name(domain::ConstraintKind kind) {
  switch (kind) {
    case domain::ConstraintKind::kStartNoEarlierThan:
      return "start_no_earlier_than";
    case domain::ConstraintKind::kMustFinishOn:
      return "must_finish_on";
    case domain::ConstraintKind::kFinishNoLaterThan:
      return "finish_no_later_than";
  }
  return "start_no_earlier_than";
}

std::optional<domain::ConstraintKind> parse_constraint_kind(std::string_view name) {
  for (auto k : {domain::ConstraintKind::kStartNoEarlierThan, domain::ConstraintKind::kMustFinishOn,
                 domain::ConstraintKind::kFinishNoLaterThan}) {
    if (constraint_kind_name(k) == name) {
      return k;
    }
  }
  return std::nullopt;
}

}  // namespace atelier::tasks::app
