// Working-day arithmetic: a closed form for the weekly pattern, corrected by the sorted days
// where holidays and exceptions depart from it.
#include "tasks/domain/calendar.hpp"

#include <algorithm>

namespace atelier::tasks::domain {

namespace {

using std::chrono::days;

// Day numbers count from 1970-01-01, a Thursday (C encoding 4). The pattern's origin is the
// Sunday before it, so that the weekday of day n is simply (n + 4) mod 7.
constexpr std::int64_t kOriginOffset = 4;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return a - floor_div(a, b) * b;
}

std::int64_t day_number(Date day) {
  return day.time_since_epoch().count();
}

Date from_day_number(std::int64_t n) {
  return Date{days{n}};
}

}  // namespace

WorkingCalendar::WorkingCalendar() {
  using namespace std::chrono;
  const weekday mon_to_fri[] = {Monday, Tuesday, Wednesday, Thursday, Friday};
  // Five weekdays are never empty: the result is always ok.
  (void)set_working_weekdays(mon_to_fri);
}

Result<void> WorkingCalendar::set_working_weekdays(std::span<const std::chrono::weekday> days) {
  std::array<bool, 7> working{};
  bool any = false;
  for (std::chrono::weekday day : days) {
    if (!day.ok()) {
      return Error::invalid("not a weekday", {{"working_weekdays", "not a weekday"}});
    }
    working[day.c_encoding()] = true;
    any = true;
  }
  if (!any) {
    return Error::invalid("a calendar needs at least one working weekday",
                          {{"working_weekdays", "at least one working weekday is required"}});
  }
  working_weekday_ = working;
  rebuild();
  return {};
}

void WorkingCalendar::add_holiday(Date day) {
  add_holidays(std::span<const Date>(&day, 1));
}

void WorkingCalendar::add_holidays(std::span<const Date> days) {
  holidays_.insert(holidays_.end(), days.begin(), days.end());
  std::sort(holidays_.begin(), holidays_.end());
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
  rebuild();
}

void WorkingCalendar::set_exception(Date day, bool working) {
  auto it = std::lower_bound(exceptions_.begin(), exceptions_.end(), day,
                             [](const auto& e, Date d) { return e.first < d; });
  if (it != exceptions_.end() && it->first == day) {
    it->second = working;
  } else {
    exceptions_.insert(it, {day, working});
  }
  rebuild();
}

std::vector<std::chrono::weekday> WorkingCalendar::working_weekdays() const {
  std::vector<std::chrono::weekday> out;
  for (unsigned e = 0; e < 7; ++e) {
    if (working_weekday_[e]) {
      out.emplace_back(e);
    }
  }
  return out;
}

void WorkingCalendar::rebuild() {
  per_week_ = 0;
  for (std::size_t e = 0; e < 7; ++e) {
    prefix_[e] = per_week_;
    if (working_weekday_[e]) {
      nth_[static_cast<std::size_t>(per_week_)] = static_cast<std::int64_t>(e);
      ++per_week_;
    }
  }
  prefix_[7] = per_week_;

  // Merge holidays and exceptions (both sorted) into the days whose status differs from the
  // weekly pattern. Days that agree with the pattern cost nothing at lookup time.
  departure_day_.clear();
  correction_before_.assign(1, 0);
  count_at_.clear();
  auto h = holidays_.begin();
  auto x = exceptions_.begin();
  while (h != holidays_.end() || x != exceptions_.end()) {
    Date day{};
    bool working = false;
    if (x == exceptions_.end() || (h != holidays_.end() && *h < x->first)) {
      day = *h++;
      working = false;
    } else {
      day = x->first;
      working = x->second;
      if (h != holidays_.end() && *h == day) {
        ++h;  // the exception overrides the holiday
      }
      ++x;
    }
    const std::int64_t n = day_number(day);
    const bool pattern =
        working_weekday_[static_cast<std::size_t>(floor_mod(n + kOriginOffset, 7))];
    if (working == pattern) {
      continue;
    }
    count_at_.push_back(pattern_count(n) + correction_before_.back());
    departure_day_.push_back(n);
    correction_before_.push_back(correction_before_.back() + (working ? 1 : -1));
  }
}

std::int64_t WorkingCalendar::pattern_count(std::int64_t day) const {
  const std::int64_t m = day + kOriginOffset;
  return floor_div(m, 7) * per_week_ + prefix_[static_cast<std::size_t>(floor_mod(m, 7))];
}

std::int64_t WorkingCalendar::pattern_day(std::int64_t q) const {
  const std::int64_t week = floor_div(q, per_week_);
  const std::int64_t r = q - week * per_week_;
  return week * 7 + nth_[static_cast<std::size_t>(r)] - kOriginOffset;
}

bool WorkingCalendar::is_working(Date day) const {
  const std::int64_t n = day_number(day);
  auto it = std::lower_bound(departure_day_.begin(), departure_day_.end(), n);
  const bool pattern = working_weekday_[static_cast<std::size_t>(floor_mod(n + kOriginOffset, 7))];
  if (it != departure_day_.end() && *it == n) {
    return !pattern;
  }
  return pattern;
}

std::int64_t WorkingCalendar::to_index(Date day) const {
  const std::int64_t n = day_number(day);
  const auto before =
      std::lower_bound(departure_day_.begin(), departure_day_.end(), n) - departure_day_.begin();
  return pattern_count(n) + correction_before_[static_cast<std::size_t>(before)];
}

Date WorkingCalendar::from_index(std::int64_t index) const {
  // The answer is the day before the first day y whose count of earlier working days exceeds
  // `index`. Departures whose own count is at most `index` all lie before y, so y sits in the
  // stretch after the last of them, where the count is the pattern's plus a fixed correction.
  const std::int64_t target = index + 1;
  const auto j = static_cast<std::size_t>(
      std::partition_point(count_at_.begin(), count_at_.end(),
                           [target](std::int64_t c) { return c < target; }) -
      count_at_.begin());
  // First day whose pattern count reaches target - correction: the day after that pattern day.
  std::int64_t y = pattern_day(target - correction_before_[j] - 1) + 1;
  if (j > 0) {
    y = std::max(y, departure_day_[j - 1] + 1);
  }
  return from_day_number(y - 1);
}

Date WorkingCalendar::add_working_days(Date day, std::int64_t n) const {
  if (n > 0) {
    return from_index(to_index(day + days{1}) + n - 1);
  }
  return from_index(to_index(day) + n);
}

std::int64_t WorkingCalendar::working_days_between(Date from, Date to) const {
  return to_index(to) - to_index(from);
}

Date easter_sunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return std::chrono::year{year} / static_cast<unsigned>(month) / static_cast<unsigned>(day);
}

std::vector<Date> french_public_holidays(int year, FrenchRegion region) {
  using std::chrono::month;
  const std::chrono::year y{year};
  const Date easter = easter_sunday(year);
  auto on = [&](unsigned m, unsigned d) { return Date{y / month{m} / d}; };
  std::vector<Date> out = {
      on(1, 1),           // Jour de l'an
      easter + days{1},   // Lundi de Pâques
      on(5, 1),           // Fête du Travail
      on(5, 8),           // Victoire 1945
      easter + days{39},  // Ascension
      easter + days{50},  // Lundi de Pentecôte
      on(7, 14),          // Fête nationale
      on(8, 15),          // Assomption
      on(11, 1),          // Toussaint
      on(11, 11),         // Armistice 1918
      on(12, 25),         // Noël
  };
  if (region == FrenchRegion::kAlsaceMoselle) {
    out.push_back(easter - days{2});  // Vendredi saint
    out.push_back(on(12, 26));        // Saint-Étienne
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

WorkingCalendar french_working_calendar(int first_year, int last_year, FrenchRegion region) {
  WorkingCalendar calendar;
  std::vector<Date> all;
  for (int year = first_year; year <= last_year; ++year) {
    const auto holidays = french_public_holidays(year, region);
    all.insert(all.end(), holidays.begin(), holidays.end());
  }
  calendar.add_holidays(all);
  return calendar;
}

}  // namespace atelier::tasks::domain
