// Dates in numeric and written forms, French and English, normalised to ISO 8601.
#include "documents/domain/dates.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace atelier::documents::domain {
namespace {

using testing::find;
using testing::kNbsp;
using testing::only;

TEST(ParseDate, NumericForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"12/03/2025", "2025-03-12"}, {"12-03-2025", "2025-03-12"}, {"12.03.2025", "2025-03-12"},
      {"2025-03-12", "2025-03-12"}, {"2025/03/12", "2025-03-12"}, {"2025.03.12", "2025-03-12"},
      {"1/3/2025", "2025-03-01"},   {"12/03/25", "2025-03-12"},   {"29/02/2024", "2024-02-29"},
  };
  for (const auto& [text, iso] : cases) {
    EXPECT_EQ(parse_date(text), iso) << text;
  }
}

TEST(ParseDate, WrittenFormsInFrenchAndEnglish) {
  const std::pair<std::string, const char*> cases[] = {
      {"12 mars 2025", "2025-03-12"},
      {"1er avril 2025", "2025-04-01"},
      {"1ER AVRIL 2025", "2025-04-01"},
      {"12 Mar 2025", "2025-03-12"},
      {"March 12, 2025", "2025-03-12"},
      {"March 12 2025", "2025-03-12"},
      {"Mar. 12, 2025", "2025-03-12"},
      {"March 1st, 2025", "2025-03-01"},
      {"1st March 2025", "2025-03-01"},
      {"22nd Sept 2025", "2025-09-22"},
      {"12 MARS 2025", "2025-03-12"},
      {"12 février 2025", "2025-02-12"},
      {"12 fevrier 2025", "2025-02-12"},
      {"12 FÉVRIER 2025", "2025-02-12"},
      {"12 fe\xCC\x81vrier 2025", "2025-02-12"},  // e + combining acute, as some OCR emits
      {"12 févr. 2025", "2025-02-12"},
      {"15 août 2025", "2025-08-15"},
      {"15 aout 2025", "2025-08-15"},
      {"3 décembre 2025", "2025-12-03"},
      {"3 decembre 2025", "2025-12-03"},
      {"3 déc. 2025", "2025-12-03"},
      {"7 juil. 2025", "2025-07-07"},
      {"12-mar-2025", "2025-03-12"},
      {"12" + kNbsp + "mars" + kNbsp + "2025", "2025-03-12"},
  };
  for (const auto& [text, iso] : cases) {
    EXPECT_EQ(parse_date(text), iso) << text;
  }
}

TEST(ParseDate, DayOrderFollowsThePreferenceUnlessOnlyTheOtherOrderIsARealDay) {
  EXPECT_EQ(parse_date("03/04/2025"), "2025-04-03");
  EXPECT_EQ(parse_date("03/04/2025", /*prefer_day_first=*/false), "2025-03-04");
  EXPECT_EQ(parse_date("03/25/2025"), "2025-03-25");
  EXPECT_EQ(parse_date("25/03/2025", false), "2025-03-25");
  // Written and ISO forms leave no choice.
  EXPECT_EQ(parse_date("2025-03-04", false), "2025-03-04");
  EXPECT_EQ(parse_date("4 mars 2025", false), "2025-03-04");
}

TEST(ParseDate, ImpossibleDatesAreRejected) {
  for (const char* text : {"31/02/2025",
                           "29/02/2025",
                           "30/02/2024",
                           "32/01/2025",
                           "00/01/2025",
                           "13/13/2025",
                           "31 avril 2025",
                           "30 février 2024",
                           "2025-02-30",
                           "2025-13-01",
                           "31/06/2025",
                           "29/02/1900",
                           "12/03/0042",
                           "12/03/2500",
                           "12/03-2025",
                           "12 marsupial 2025",
                           "12 mars 25",
                           "mars 2025",
                           "2er mars 2025",
                           "12/03/2025/1",
                           "123/03/2025",
                           "12/003/2025",
                           ""}) {
    EXPECT_EQ(parse_date(text), std::nullopt) << text;
  }
}

TEST(IsValidDate, LeapYears) {
  EXPECT_TRUE(is_valid_date(2000, 2, 29));
  EXPECT_TRUE(is_valid_date(2024, 2, 29));
  EXPECT_FALSE(is_valid_date(1900, 2, 29));
  EXPECT_FALSE(is_valid_date(2025, 2, 29));
  EXPECT_TRUE(is_valid_date(2025, 12, 31));
  EXPECT_FALSE(is_valid_date(2025, 0, 1));
}

TEST(MonthFromName, FrenchEnglishAbbreviatedAccentsOptional) {
  EXPECT_EQ(month_from_name("février"), 2);
  EXPECT_EQ(month_from_name("FEVR"), 2);
  EXPECT_EQ(month_from_name("Feb"), 2);
  EXPECT_EQ(month_from_name("août"), 8);
  EXPECT_EQ(month_from_name("AOÛT"), 8);
  EXPECT_EQ(month_from_name("Décembre"), 12);
  EXPECT_EQ(month_from_name("may"), 5);
  EXPECT_EQ(month_from_name("mai"), 5);
  EXPECT_EQ(month_from_name("marsupial"), std::nullopt);
  EXPECT_EQ(month_from_name("mars."), std::nullopt);
  EXPECT_EQ(month_from_name(""), std::nullopt);
}

TEST(DateExtraction, PositionsPointAtTheDate) {
  const std::string page = "Paris, le lundi 12 mars 2025. Échéance : 11/04/2025.";
  const std::vector<Entity> dates = find(page, EntityKind::kDate);
  ASSERT_EQ(dates.size(), 2u);
  EXPECT_EQ(dates[0].text, "12 mars 2025");
  EXPECT_EQ(dates[0].offset, page.find("12 mars"));
  EXPECT_EQ(dates[0].value, "2025-03-12");
  EXPECT_EQ(dates[1].text, "11/04/2025");
  EXPECT_EQ(dates[1].value, "2025-04-11");
  EXPECT_EQ(page.substr(dates[1].offset, dates[1].length), "11/04/2025");
}

TEST(DateExtraction, DottedDateIsADateNotAnAmount) {
  const Entity e = only("Livré le 12.03.2025 EUR");
  EXPECT_EQ(e.kind, EntityKind::kDate);
  EXPECT_EQ(e.value, "2025-03-12");
}

TEST(DateExtraction, DateRangesAndTimestamps) {
  const std::vector<Entity> range = find("du 01/03/2025-15/03/2025", EntityKind::kDate);
  ASSERT_EQ(range.size(), 2u);
  EXPECT_EQ(range[0].value, "2025-03-01");
  EXPECT_EQ(range[1].value, "2025-03-15");
  const Entity stamp = only("Généré le 2025-03-12T10:04:05Z");
  EXPECT_EQ(stamp.value, "2025-03-12");
  EXPECT_EQ(stamp.text, "2025-03-12");
}

TEST(DateExtraction, NoDateInsideLongerNumbersOrImpossibleDays) {
  EXPECT_TRUE(find("Réf 112/03/20255", EntityKind::kDate).empty());
  EXPECT_TRUE(find("Lot 1.12.03.2025", EntityKind::kDate).empty());
  EXPECT_TRUE(find("le 31/02/2025", EntityKind::kDate).empty());
  EXPECT_TRUE(find("le 31 février 2025", EntityKind::kDate).empty());
}

TEST(DateExtraction, MonthFirstPreference) {
  const Entity e = only("Date: 03/04/2025", {.prefer_day_first = false});
  EXPECT_EQ(e.value, "2025-03-04");
}

}  // namespace
}  // namespace atelier::documents::domain
