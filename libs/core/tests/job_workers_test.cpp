// Worker threads over an external queue: jobs are taken until there are none, a notify wakes a
// sleeping worker at once, an exception does not stop the worker, stop() joins.
#include "atelier/core/job_workers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace atelier {
namespace {

using namespace std::chrono_literals;

// A queue of `pending` jobs that the workers drain; done() waits for a count of jobs run.
struct Queue {
  std::mutex mutex;
  std::condition_variable changed;
  int pending = 0;
  int run = 0;
  bool throw_next = false;

  bool take() {
    std::unique_lock lock(mutex);
    if (throw_next) {
      throw_next = false;
      throw std::runtime_error("a job that fails badly");
    }
    if (pending == 0) {
      return false;
    }
    --pending;
    ++run;
    changed.notify_all();
    return true;
  }
  void add(int n) {
    std::lock_guard lock(mutex);
    pending += n;
  }
  bool done(int n, std::chrono::milliseconds within) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, within, [&] { return run >= n; });
  }
};

TEST(JobWorkers, DrainTheQueueAndWakeOnNotify) {
  Queue queue;
  queue.add(5);
  // A poll interval far longer than the test: only notify() can wake them in time.
  JobWorkers workers("test", 1h);
  workers.start(2, [&] { return queue.take(); });
  ASSERT_TRUE(queue.done(5, 10s));
  queue.add(3);
  workers.notify();
  workers.notify();
  ASSERT_TRUE(queue.done(8, 10s));
  workers.stop();
  EXPECT_EQ(queue.run, 8);
  EXPECT_TRUE(workers.stopping());
}

TEST(JobWorkers, AnExceptionDoesNotStopTheWorker) {
  Queue queue;
  queue.throw_next = true;
  queue.add(2);
  JobWorkers workers("test", 1h);
  workers.start(1, [&] { return queue.take(); });
  ASSERT_TRUE(queue.done(2, 10s));
  workers.stop();
}

TEST(JobWorkers, IdleWorkersAskOnceThenSleepUntilStopped) {
  std::mutex mutex;
  std::condition_variable asked;
  int calls = 0;
  JobWorkers workers("test", 1h);
  workers.start(3, [&] {
    std::lock_guard lock(mutex);
    ++calls;
    asked.notify_all();
    return false;
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(asked.wait_for(lock, 10s, [&] { return calls == 3; }));
  }
  workers.stop();  // wakes the sleepers, which leave without asking again
  EXPECT_EQ(calls, 3);
  workers.stop();  // twice is harmless
}

}  // namespace
}  // namespace atelier
