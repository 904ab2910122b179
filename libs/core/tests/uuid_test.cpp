#include "atelier/core/uuid.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace atelier {
namespace {

TEST(Uuid, V7HasVersionVariantAndTimestamp) {
  const ManualClock clock(TimePoint{std::chrono::milliseconds(1'700'000'000'123)});
  const Uuid id = Uuid::v7(clock);
  EXPECT_EQ(id.version(), 7);
  EXPECT_EQ(id.bytes()[8] & 0xc0, 0x80);
  EXPECT_EQ(id.unix_ms(), 1'700'000'000'123);
  const std::string s = id.str();
  ASSERT_EQ(s.size(), 36u);
  EXPECT_EQ(s[14], '7');
}

TEST(Uuid, IdsFromOneMillisecondSortInCreationOrder) {
  const ManualClock clock(TimePoint{std::chrono::milliseconds(1'800'000'000'000)});
  std::vector<Uuid> ids;
  for (int i = 0; i < 10'000; ++i) {  // more than the 12-bit counter holds: spills into next ms
    ids.push_back(Uuid::v7(clock));
  }
  for (size_t i = 1; i < ids.size(); ++i) {
    ASSERT_LT(ids[i - 1], ids[i]) << i;
    ASSERT_LT(ids[i - 1].str(), ids[i].str()) << i;  // text order matches byte order
  }
}

TEST(Uuid, UniqueAcrossThreads) {
  std::vector<std::vector<Uuid>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&out] {
      for (int i = 0; i < 5'000; ++i) {
        out.push_back(Uuid::v7());
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::set<Uuid> all;
  for (const auto& v : per_thread) {
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), 20'000u);
}

TEST(Uuid, AClockFarInThePastIsHonouredRatherThanBorrowingTheLastTime) {
  (void)Uuid::v7();  // the process has now stamped an id at the current time
  const ManualClock past(TimePoint{std::chrono::milliseconds(1'000'000'000'000)});
  EXPECT_EQ(Uuid::v7(past).unix_ms(), 1'000'000'000'000);
}

TEST(Uuid, ParseRoundTripsAndRejectsMalformed) {
  const Uuid id = Uuid::v7();
  EXPECT_EQ(Uuid::parse(id.str()), id);
  EXPECT_EQ(Uuid::parse("0190F5E2-7A4B-7C3D-8E9F-0123456789AB")->str(),
            "0190f5e2-7a4b-7c3d-8e9f-0123456789ab");
  for (const char* bad :
       {"", "not-a-uuid", "0190f5e2-7a4b-7c3d-8e9f-0123456789a",
        "0190f5e2-7a4b-7c3d-8e9f-0123456789abc", "0190f5e27a4b-7c3d-8e9f-0123456789abc",
        "0190f5e2-7a4b-7c3d-8e9f_0123456789ab", "0190f5e2-7a4b-7c3d-8e9f-0123456789ag"}) {
    EXPECT_FALSE(Uuid::parse(bad).has_value()) << bad;
  }
  EXPECT_TRUE(Uuid().is_nil());
}

}  // namespace
}  // namespace atelier
