#include "tasks/app/scheduler.hpp"

#include "atelier/core/log.hpp"

namespace atelier::tasks::app {

Scheduler::Scheduler(Compute compute, std::chrono::milliseconds quiet_period)
    : compute_(std::move(compute)), quiet_period_(quiet_period) {}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::start(const std::vector<PlanRef>& behind) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  dirty_.insert(behind.begin(), behind.end());
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  idle_.notify_all();
}

void Scheduler::mark(const PlanRef& plan) {
  {
    std::lock_guard lock(mutex_);
    dirty_.insert(plan);
  }
  wake_.notify_one();
}

bool Scheduler::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout,
                        [&] { return (dirty_.empty() && !busy_) || !thread_.joinable(); });
}

uint64_t Scheduler::computations() const {
  std::lock_guard lock(mutex_);
  return computations_;
}

void Scheduler::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !dirty_.empty(); });
    if (stopping_) {
      return;
    }
    busy_ = true;
    if (quiet_period_.count() > 0) {
      // Let the burst settle: what is marked meanwhile joins this round.
      wake_.wait_for(lock, quiet_period_, [&] { return stopping_; });
      if (stopping_) {
        busy_ = false;
        return;
      }
    }
    std::set<PlanRef> round;
    round.swap(dirty_);
    lock.unlock();
    for (const auto& plan : round) {
      Result<bool> done = Error::internal("not run");
      try {
        done = compute_(plan);
      } catch (const std::exception& e) {
        done = Error::internal(std::string("schedule computation threw: ") + e.what());
      }
      if (!done) {
        // The database is the likely cause; the plan stays behind and the next change or
        // start-up retries it.
        log::error("tasks.scheduler_failed")
            .field("project_id", plan.project_id)
            .field("error", done.error().message);
      }
      std::lock_guard count(mutex_);
      if (done && *done) {
        ++computations_;
      }
    }
    lock.lock();
    busy_ = false;
    if (dirty_.empty()) {
      idle_.notify_all();
    }
  }
}

}  // namespace atelier::tasks::app
