#include "atelier/events/bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace atelier::events {
namespace {

// Waits (bounded) for a condition set by another thread.
class Latch {
 public:
  void add(int n = 1) {
    std::lock_guard lock(mutex_);
    count_ += n;
    cv_.notify_all();
  }
  bool wait_for_count(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return count_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int count_ = 0;
};

CloudEvent event(std::string type, int n) {
  return CloudEvent::make("/t", std::move(type), "", "org", "{\"n\":" + std::to_string(n) + "}");
}

TEST(Bus, TypePatterns) {
  EXPECT_TRUE(type_matches("projects.ProjectCreated.v1", "projects.ProjectCreated.v1"));
  EXPECT_TRUE(type_matches("projects.*", "projects.ProjectCreated.v1"));
  EXPECT_FALSE(type_matches("projects.*", "projectsX.ProjectCreated.v1"));
  EXPECT_FALSE(type_matches("projects.ProjectCreated.v1", "projects.ProjectCreated.v2"));
  EXPECT_TRUE(type_matches("*", "anything.At.v1"));
}

TEST(Bus, EachGroupGetsMatchingEventsInOrderAndDeliveryIsReportedOnceAllHaveThem) {
  auto bus = make_in_process_bus();
  std::mutex m;
  std::vector<std::string> tasks_seen, all_seen;
  Latch handled, delivered;
  bus->subscribe({"tasks", {"projects.*"}, [&](const CloudEvent& e) {
                    std::lock_guard lock(m);
                    tasks_seen.push_back(e.data);
                    handled.add();
                    return Result<void>();
                  }});
  bus->subscribe({"audit", {"*"}, [&](const CloudEvent& e) {
                    std::lock_guard lock(m);
                    all_seen.push_back(e.type);
                    handled.add();
                    return Result<void>();
                  }});
  bus->start();
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(bus->publish(event("projects.ProjectCreated.v1", i), [&](Result<void> r) {
      if (r) {
        delivered.add();
      }
    }));
  }
  ASSERT_TRUE(
      bus->publish(event("identity.UserRegistered.v1", 0), [&](Result<void>) { delivered.add(); }));
  ASSERT_TRUE(delivered.wait_for_count(101));
  ASSERT_TRUE(handled.wait_for_count(201));
  bus->stop();
  ASSERT_EQ(tasks_seen.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(tasks_seen[static_cast<size_t>(i)], "{\"n\":" + std::to_string(i) + "}");
  }
  EXPECT_EQ(all_seen.size(), 101u);
}

TEST(Bus, AnEventNobodyWantsIsDeliveredAtOnce) {
  auto bus = make_in_process_bus();
  bus->start();
  bool done = false;
  ASSERT_TRUE(bus->publish(event("nobody.Cares.v1", 1), [&](Result<void> r) { done = r.ok(); }));
  EXPECT_TRUE(done);
}

TEST(Bus, AFailingHandlerGetsTheEventAgainAndDeliveryWaitsForIt) {
  auto bus = make_in_process_bus({.queue_capacity = 10,
                                  .publish_wait = std::chrono::milliseconds(10),
                                  .redelivery_delay = std::chrono::milliseconds(1)});
  std::atomic<int> calls{0};
  Latch delivered;
  bus->subscribe({"flaky", {"*"}, [&](const CloudEvent&) -> Result<void> {
                    if (++calls < 3) {
                      return Error::unavailable("database is restarting");
                    }
                    return {};
                  }});
  bus->start();
  ASSERT_TRUE(bus->publish(event("a.B.v1", 1), [&](Result<void>) { delivered.add(); }));
  ASSERT_TRUE(delivered.wait_for_count(1));
  EXPECT_EQ(calls.load(), 3);
  bus->stop();
}

TEST(Bus, AFullQueueRefusesRatherThanGrowingWithoutBound) {
  auto bus = make_in_process_bus({.queue_capacity = 3,
                                  .publish_wait = std::chrono::milliseconds(5),
                                  .redelivery_delay = std::chrono::milliseconds(1)});
  bus->subscribe({"stuck", {"*"}, [&](const CloudEvent&) { return Result<void>(); }});
  // Not started: nothing drains the queue.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(bus->publish(event("a.B.v1", i), nullptr));
  }
  auto refused = bus->publish(event("a.B.v1", 4), nullptr);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace atelier::events
