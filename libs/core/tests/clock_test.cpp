#include "atelier/core/clock.hpp"

#include <gtest/gtest.h>

namespace atelier {
namespace {

using std::chrono::microseconds;

TEST(Clock, FormatsRfc3339InUtcWithMicroseconds) {
  const TimePoint t{microseconds(1'700'000'000'123'456)};
  EXPECT_EQ(format_rfc3339(t), "2023-11-14T22:13:20.123456Z");
}

TEST(Clock, ParsesWhatItFormats) {
  const TimePoint t{microseconds(1'764'000'000'000'001)};
  EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t);
}

TEST(Clock, ParsesOffsetsIntoUtc) {
  const auto utc = parse_rfc3339("2025-03-12T10:00:00Z");
  const auto paris = parse_rfc3339("2025-03-12T11:00:00+01:00");
  ASSERT_TRUE(utc && paris);
  EXPECT_EQ(*utc, *paris);
  EXPECT_EQ(parse_rfc3339("2025-03-12T10:00:00.5Z")->time_since_epoch().count() % 1'000'000,
            500'000);
}

TEST(Clock, RejectsMalformedTimes) {
  for (const char* bad : {"", "2025-03-12", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z",
                          "2025-03-12T24:00:00Z", "2025-03-12T10:00:00", "2025-03-12T10:00:00Zjunk",
                          "2025-03-12T10:00:00.Z", "2025-03-12T10:00:00+1:00"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(TimePoint{microseconds(10)});
  EXPECT_EQ(clock.now().time_since_epoch().count(), 10);
  clock.advance(microseconds(5));
  EXPECT_EQ(clock.now().time_since_epoch().count(), 15);
}

}  // namespace
}  // namespace atelier
