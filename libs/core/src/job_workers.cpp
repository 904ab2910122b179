#include "atelier/core/job_workers.hpp"

#include <algorithm>
#include <exception>

#include "atelier/core/log.hpp"

namespace atelier {

namespace {
constexpr std::chrono::milliseconds kRetryAfterFailure{1000};
}  // namespace

JobWorkers::JobWorkers(std::string name, std::chrono::milliseconds poll_interval)
    : name_(std::move(name)), poll_interval_(poll_interval) {}

JobWorkers::~JobWorkers() {
  stop();
}

void JobWorkers::start(int count, std::function<bool()> work) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    work_ = std::move(work);
  }
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

void JobWorkers::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) {
      t.join();
    }
  }
  threads_.clear();
}

void JobWorkers::notify() {
  {
    std::lock_guard lock(mutex_);
    ++pending_signals_;
  }
  wake_.notify_one();
}

bool JobWorkers::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void JobWorkers::run() {
  while (!stopping()) {
    bool worked = false;
    bool failed = false;
    try {
      worked = work_();
    } catch (const std::exception& e) {
      log::error(name_ + ".worker_error").field("error", e.what());
      failed = true;
    }
    if (worked) {
      continue;
    }
    // After a failure, try again soon (the next job may be fine) but never in a tight loop.
    const auto pause = failed ? std::min(poll_interval_, kRetryAfterFailure) : poll_interval_;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, pause, [&] { return stopping_ || pending_signals_ > 0; });
    if (pending_signals_ > 0) {
      --pending_signals_;
    }
  }
}

}  // namespace atelier
