// Working calendars: the days a project's crews work (weekly pattern, public holidays, one-off
// exceptions) and the working-day arithmetic the scheduler runs on. Pure, no I/O.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "atelier/core/error.hpp"

namespace atelier::tasks::domain {

// A plan date: an ISO calendar day, no time of day, no time zone.
using Date = std::chrono::sys_days;

// Which days are worked on a project.
//
// A day is working when an exception says so; otherwise when its weekday is a working weekday
// and it is not a holiday. Exceptions therefore win over both: a Saturday made working to catch
// up, a Monday closed for a site-wide stoppage, a holiday worked anyway.
//
// The scheduler counts in working days, so the calendar numbers them: `to_index` gives every
// working day a consecutive integer (its working-day index) and `from_index` goes back. Both are
// O(log k) for k holidays and exceptions (a closed-form count for the weekly pattern, corrected
// by a binary search over the days where the calendar departs from it), with no table to keep in
// step with the plan's span, so any date, however far, converts.
//
// A calendar is a value: copy it freely, and share a const one between threads.
class WorkingCalendar {
 public:
  // Monday to Friday, no holidays, no exceptions.
  WorkingCalendar();

  // Replaces the working weekdays. At least one is required, or no task could ever finish.
  Result<void> set_working_weekdays(std::span<const std::chrono::weekday> days);
  void add_holiday(Date day);
  void add_holidays(std::span<const Date> days);
  // Forces `day` to be working or not, whatever its weekday and the holidays say. Setting the
  // same day again replaces the earlier exception.
  void set_exception(Date day, bool working);

  bool is_working(Date day) const;

  // The number of working days before `day`, counted from a fixed origin: the working-day index
  // of `day` when it is a working day, else the index of the next working day.
  std::int64_t to_index(Date day) const;
  // The working day with that index. from_index(to_index(d)) == d for every working day d.
  Date from_index(std::int64_t index) const;

  // The date `n` working days after `day` (before it when n < 0), counting from `day` excluded:
  // add_working_days(Friday, 1) is Monday, add_working_days(Monday, -1) is Friday. `day` itself
  // need not be working: one working day after a Saturday is the Monday, one before is the
  // Friday. n == 0 gives `day` when it is working, else the next working day.
  Date add_working_days(Date day, std::int64_t n) const;

  // Working days in [from, to): Monday to the next Monday is 5 on a Mon–Fri calendar. Negative
  // when `to` is before `from`.
  std::int64_t working_days_between(Date from, Date to) const;

  // What the calendar was built from, for storing it: weekdays by C encoding (0 = Sunday),
  // sorted holidays, sorted exceptions.
  std::vector<std::chrono::weekday> working_weekdays() const;
  const std::vector<Date>& holidays() const { return holidays_; }
  const std::vector<std::pair<Date, bool>>& exceptions() const { return exceptions_; }

 private:
  // Working days of the weekly pattern in [origin, day): the closed form the index starts from.
  std::int64_t pattern_count(std::int64_t day) const;
  // The day number of the pattern's working day number `q` (0-based, from the origin).
  std::int64_t pattern_day(std::int64_t q) const;
  void rebuild();

  std::array<bool, 7> working_weekday_{};  // by C encoding: 0 = Sunday
  std::array<std::int64_t, 8> prefix_{};   // working weekdays among encodings [0, r)
  std::array<std::int64_t, 7> nth_{};      // encoding of the pattern's r-th working weekday
  std::int64_t per_week_ = 0;
  std::vector<Date> holidays_;
  std::vector<std::pair<Date, bool>> exceptions_;

  // The days where the calendar departs from its weekly pattern (a holiday on a working weekday,
  // a worked weekend day), sorted, with the running correction they bring to the pattern count.
  std::vector<std::int64_t> departure_day_;
  std::vector<std::int64_t> correction_before_;  // size + 1: sum of the corrections before j
  std::vector<std::int64_t> count_at_;           // to_index of departure j
};

// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, also known as Meeus/Jones/
// Butcher). Several French holidays are counted from it.
Date easter_sunday(int year);

enum class FrenchRegion {
  kMetropolitan,
  // Alsace and Moselle keep two more days under their local law: Good Friday and 26 December.
  kAlsaceMoselle,
};

// The French public holidays (jours fériés) of a year, sorted, each once: 1 January, Easter
// Monday, 1 May, 8 May, Ascension Thursday (Easter + 39), Whit Monday (Easter + 50), 14 July,
// 15 August, 1 November, 11 November, 25 December. Ascension can fall on 1 May (2008): listed once.
std::vector<Date> french_public_holidays(int year,
                                         FrenchRegion region = FrenchRegion::kMetropolitan);

// Monday to Friday with the French public holidays of [first_year, last_year].
WorkingCalendar french_working_calendar(int first_year, int last_year,
                                        FrenchRegion region = FrenchRegion::kMetropolitan);

}  // namespace atelier::tasks::domain
