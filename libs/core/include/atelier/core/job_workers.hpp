// Worker threads over a queue kept elsewhere (a table of jobs, claimed in a transaction): each
// worker calls `work` again and again; `work` takes one job and runs it, and returns false when
// there was none, so that the worker sleeps until notify() or the poll interval. An exception out
// of `work` is logged as "<name>.worker_error" and the worker tries again a second later.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace atelier {

class JobWorkers {
 public:
  JobWorkers(std::string name, std::chrono::milliseconds poll_interval);
  ~JobWorkers();  // stop()
  JobWorkers(const JobWorkers&) = delete;
  JobWorkers& operator=(const JobWorkers&) = delete;

  void start(int count, std::function<bool()> work);
  // Wakes the workers and waits for them; a job being run finishes first (`work` may check
  // stopping() to leave early).
  void stop();
  // Wakes one sleeping worker: a job was queued.
  void notify();
  bool stopping() const;

 private:
  void run();

  std::string name_;
  std::chrono::milliseconds poll_interval_;
  std::function<bool()> work_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  uint64_t pending_signals_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace atelier
