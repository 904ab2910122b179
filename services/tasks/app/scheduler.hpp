// The scheduler worker: one thread that recomputes the schedules of plans whose input moved.
// Changes only mark a plan dirty; the worker waits a short quiet period so that a burst of
// changes (an import, a drag on the Gantt chart) costs one computation, then computes each
// dirty plan once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "atelier/core/error.hpp"
#include "tasks/app/store.hpp"

namespace atelier::tasks::app {

class Scheduler {
 public:
  using Compute = std::function<Result<bool>(const PlanRef&)>;

  Scheduler(Compute compute, std::chrono::milliseconds quiet_period);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts the thread with `behind` already marked (the plans found behind at start-up).
  void start(const std::vector<PlanRef>& behind);
  // Stops the thread after the computation in progress; marked plans stay behind in the
  // database and are found again by the next start-up scan.
  void stop();
  void mark(const PlanRef& plan);

  // Waits until nothing is marked and nothing is being computed; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);
  uint64_t computations() const;

 private:
  void run();

  Compute compute_;
  std::chrono::milliseconds quiet_period_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::set<PlanRef> dirty_;
  bool busy_ = false;
  bool stopping_ = false;
  uint64_t computations_ = 0;
  std::thread thread_;
};

}  // namespace atelier::tasks::app
