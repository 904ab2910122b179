// Working calendars: Easter and the French holidays, working-day arithmetic across weekends,
// holidays and exceptions, and the closed-form index against a day-by-day walk.
#include "tasks/domain/calendar.hpp"

#include <gtest/gtest.h>

#include <random>

namespace atelier::tasks::domain {
namespace {

using namespace std::chrono;

constexpr Date on(int y, unsigned m, unsigned d) {
  return year{y} / month{m} / day{d};
}

TEST(Easter, KnownYears) {
  EXPECT_EQ(easter_sunday(2024), on(2024, 3, 31));
  EXPECT_EQ(easter_sunday(2025), on(2025, 4, 20));
  EXPECT_EQ(easter_sunday(2026), on(2026, 4, 5));
  EXPECT_EQ(easter_sunday(2019), on(2019, 4, 21));
  EXPECT_EQ(easter_sunday(2000), on(2000, 4, 23));
  EXPECT_EQ(easter_sunday(2038), on(2038, 4, 25));  // the latest possible date
  EXPECT_EQ(easter_sunday(2285), on(2285, 3, 22));  // the earliest possible date
  for (int y = 1900; y <= 2100; ++y) {
    EXPECT_EQ(weekday{easter_sunday(y)}, Sunday) << y;
  }
}

TEST(FrenchHolidays, Year2025) {
  const std::vector<Date> expected = {on(2025, 1, 1),   on(2025, 4, 21), on(2025, 5, 1),
                                      on(2025, 5, 8),   on(2025, 5, 29), on(2025, 6, 9),
                                      on(2025, 7, 14),  on(2025, 8, 15), on(2025, 11, 1),
                                      on(2025, 11, 11), on(2025, 12, 25)};
  EXPECT_EQ(french_public_holidays(2025), expected);
}

TEST(FrenchHolidays, Year2026) {
  const std::vector<Date> expected = {on(2026, 1, 1),   on(2026, 4, 6),  on(2026, 5, 1),
                                      on(2026, 5, 8),   on(2026, 5, 14), on(2026, 5, 25),
                                      on(2026, 7, 14),  on(2026, 8, 15), on(2026, 11, 1),
                                      on(2026, 11, 11), on(2026, 12, 25)};
  EXPECT_EQ(french_public_holidays(2026), expected);
}

TEST(FrenchHolidays, AscensionOnMayDayIsListedOnce) {
  // Easter 2008 was 23 March, so Ascension fell on 1 May.
  const auto holidays = french_public_holidays(2008);
  EXPECT_EQ(holidays.size(), 10U);
  EXPECT_EQ(std::count(holidays.begin(), holidays.end(), on(2008, 5, 1)), 1);
}

TEST(FrenchHolidays, AlsaceMoselleAddsGoodFridayAndSaintStephen) {
  const auto holidays = french_public_holidays(2025, FrenchRegion::kAlsaceMoselle);
  EXPECT_EQ(holidays.size(), 13U);
  EXPECT_TRUE(std::is_sorted(holidays.begin(), holidays.end()));
  EXPECT_NE(std::find(holidays.begin(), holidays.end(), on(2025, 4, 18)), holidays.end());
  EXPECT_NE(std::find(holidays.begin(), holidays.end(), on(2025, 12, 26)), holidays.end());
}

TEST(WorkingCalendar, MondayToFridayByDefault) {
  const WorkingCalendar calendar;
  EXPECT_TRUE(calendar.is_working(on(2025, 3, 3)));   // Monday
  EXPECT_TRUE(calendar.is_working(on(2025, 3, 7)));   // Friday
  EXPECT_FALSE(calendar.is_working(on(2025, 3, 8)));  // Saturday
  EXPECT_FALSE(calendar.is_working(on(2025, 3, 9)));  // Sunday
}

TEST(WorkingCalendar, AddWorkingDaysCrossesWeekends) {
  const WorkingCalendar calendar;
  EXPECT_EQ(calendar.add_working_days(on(2025, 3, 7), 1), on(2025, 3, 10));   // Fri → Mon
  EXPECT_EQ(calendar.add_working_days(on(2025, 3, 10), -1), on(2025, 3, 7));  // Mon → Fri
  EXPECT_EQ(calendar.add_working_days(on(2025, 3, 3), 10), on(2025, 3, 17));
  EXPECT_EQ(calendar.add_working_days(on(2025, 3, 17), -10), on(2025, 3, 3));
  EXPECT_EQ(calendar.add_working_days(on(2025, 3, 5), 0), on(2025, 3, 5));
}

TEST(WorkingCalendar, AddWorkingDaysFromANonWorkingDay) {
  const WorkingCalendar calendar;
  const Date saturday = on(2025, 3, 8);
  EXPECT_EQ(calendar.add_working_days(saturday, 0), on(2025, 3, 10));  // rolls forward
  EXPECT_EQ(calendar.add_working_days(saturday, 1), on(2025, 3, 10));  // the Monday
  EXPECT_EQ(calendar.add_working_days(saturday, 2), on(2025, 3, 11));
  EXPECT_EQ(calendar.add_working_days(saturday, -1), on(2025, 3, 7));  // the Friday
  EXPECT_EQ(calendar.add_working_days(saturday, -2), on(2025, 3, 6));
}

TEST(WorkingCalendar, AddWorkingDaysSkipsFrenchHolidays) {
  const WorkingCalendar calendar = french_working_calendar(2025, 2026);
  // Easter Monday 21 April 2025: Friday + 1 is Tuesday, and back.
  EXPECT_EQ(calendar.add_working_days(on(2025, 4, 18), 1), on(2025, 4, 22));
  EXPECT_EQ(calendar.add_working_days(on(2025, 4, 22), -1), on(2025, 4, 18));
  // Thursday 8 May 2025 (Victoire 1945): Wednesday + 1 is Friday, + 2 the Monday after.
  EXPECT_EQ(calendar.add_working_days(on(2025, 5, 7), 1), on(2025, 5, 9));
  EXPECT_EQ(calendar.add_working_days(on(2025, 5, 7), 2), on(2025, 5, 12));
  // Christmas 2025 is a Thursday, New Year 2026 too: 10 working days from 22 December 2025 are
  // 23, 24, 26, 29, 30, 31 December, then 2, 5, 6, 7 January.
  EXPECT_EQ(calendar.add_working_days(on(2025, 12, 22), 10), on(2026, 1, 7));
  EXPECT_EQ(calendar.add_working_days(on(2026, 1, 7), -10), on(2025, 12, 22));
  EXPECT_FALSE(calendar.is_working(on(2026, 5, 14)));  // Ascension 2026
}

TEST(WorkingCalendar, WorkingDaysBetweenIsHalfOpen) {
  const WorkingCalendar plain;
  EXPECT_EQ(plain.working_days_between(on(2025, 3, 3), on(2025, 3, 10)), 5);
  EXPECT_EQ(plain.working_days_between(on(2025, 3, 3), on(2025, 3, 3)), 0);
  EXPECT_EQ(plain.working_days_between(on(2025, 3, 10), on(2025, 3, 3)), -5);
  EXPECT_EQ(plain.working_days_between(on(2025, 3, 8), on(2025, 3, 10)), 0);  // a weekend
  // May 2025: 22 weekdays, three of them holidays (1, 8 and 29 May, all Thursdays).
  const WorkingCalendar french = french_working_calendar(2025, 2025);
  EXPECT_EQ(french.working_days_between(on(2025, 5, 1), on(2025, 6, 1)), 19);
  EXPECT_EQ(plain.working_days_between(on(2025, 5, 1), on(2025, 6, 1)), 22);
}

TEST(WorkingCalendar, ExceptionsOverrideWeekdaysAndHolidays) {
  WorkingCalendar calendar = french_working_calendar(2025, 2025);
  calendar.set_exception(on(2025, 5, 10), true);   // a Saturday worked to catch up
  calendar.set_exception(on(2025, 5, 12), false);  // a Monday closed: site stoppage
  calendar.set_exception(on(2025, 5, 29), true);   // Ascension worked anyway
  EXPECT_TRUE(calendar.is_working(on(2025, 5, 10)));
  EXPECT_FALSE(calendar.is_working(on(2025, 5, 12)));
  EXPECT_TRUE(calendar.is_working(on(2025, 5, 29)));
  EXPECT_EQ(calendar.add_working_days(on(2025, 5, 9), 1), on(2025, 5, 10));   // Fri → Sat
  EXPECT_EQ(calendar.add_working_days(on(2025, 5, 10), 1), on(2025, 5, 13));  // Sat → Tue
  EXPECT_EQ(calendar.add_working_days(on(2025, 5, 13), -1), on(2025, 5, 10));
  EXPECT_EQ(calendar.working_days_between(on(2025, 5, 26), on(2025, 6, 2)), 5);
  // Setting the same day again replaces the exception.
  calendar.set_exception(on(2025, 5, 12), true);
  EXPECT_TRUE(calendar.is_working(on(2025, 5, 12)));
  EXPECT_EQ(calendar.exceptions().size(), 3U);
}

TEST(WorkingCalendar, WorkingWeekdaysCanChangeButNotBeEmpty) {
  WorkingCalendar calendar;
  const weekday six_days[] = {Monday, Tuesday, Wednesday, Thursday, Friday, Saturday};
  ASSERT_TRUE(calendar.set_working_weekdays(six_days).ok());
  EXPECT_TRUE(calendar.is_working(on(2025, 3, 8)));
  EXPECT_EQ(calendar.add_working_days(on(2025, 3, 7), 1), on(2025, 3, 8));
  EXPECT_EQ(calendar.working_weekdays().size(), 6U);

  const auto refused = calendar.set_working_weekdays({});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(refused.error().fields.size(), 1U);
  EXPECT_EQ(refused.error().fields[0].field, "working_weekdays");
  EXPECT_TRUE(calendar.is_working(on(2025, 3, 8)));  // unchanged
}

// The closed-form index against walking the days one by one, on random calendars: random weekly
// patterns, holidays and exceptions of both kinds, dates on both sides of 1970.
TEST(WorkingCalendar, IndexMatchesADayByDayWalk) {
  std::mt19937 rng(20250303);
  for (int round = 0; round < 40; ++round) {
    WorkingCalendar calendar;
    std::vector<weekday> pattern;
    for (unsigned e = 0; e < 7; ++e) {
      if (rng() % 2 == 0) {
        pattern.emplace_back(e);
      }
    }
    if (pattern.empty()) {
      pattern.push_back(Wednesday);
    }
    ASSERT_TRUE(calendar.set_working_weekdays(pattern).ok());
    const Date first = on(round % 2 == 0 ? 2025 : 1969, 1, 1);
    const int span = 400;
    for (int k = 0; k < 30; ++k) {
      calendar.add_holiday(first + days{rng() % span});
      calendar.set_exception(first + days{rng() % span}, rng() % 2 == 0);
    }
    // Walk: number each working day in order, starting from to_index(first).
    std::int64_t expected = calendar.to_index(first);
    for (int offset = 0; offset < span; ++offset) {
      const Date day = first + days{offset};
      ASSERT_EQ(calendar.to_index(day), expected) << round << " " << offset;
      if (calendar.is_working(day)) {
        ASSERT_EQ(calendar.from_index(expected), day) << round << " " << offset;
        ++expected;
      }
    }
    // add_working_days against stepping.
    for (int probe = 0; probe < 50; ++probe) {
      const Date from = first + days{50 + rng() % (span - 100)};
      const int n = static_cast<int>(rng() % 21) - 10;
      Date walked = from;
      if (n == 0) {
        while (!calendar.is_working(walked)) {
          walked += days{1};
        }
      }
      for (int left = n; left > 0;) {
        walked += days{1};
        left -= calendar.is_working(walked) ? 1 : 0;
      }
      for (int left = -n; left > 0;) {
        walked -= days{1};
        left -= calendar.is_working(walked) ? 1 : 0;
      }
      ASSERT_EQ(calendar.add_working_days(from, n), walked) << round << " " << n;
    }
  }
}

}  // namespace
}  // namespace atelier::tasks::domain
