#include "atelier/core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace atelier::log {

namespace {

thread_local std::string_view t_request_id;
thread_local std::string_view t_traceparent;

void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;  // nowhere to report a broken log sink
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Double-buffered sink: producers append under a short lock; the writer swaps buffers and writes
// outside the lock.
class Sink {
 public:
  ~Sink() { stop(); }

  void start(const Options& options) {
    stop();
    std::lock_guard lock(mutex_);
    options_ = options;
    min_level_.store(static_cast<int>(options.min_level));
    if (options.async) {
      stopping_ = false;
      writer_ = std::thread([this] { run(); });
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (!writer_.joinable()) {
        return;
      }
      stopping_ = true;
    }
    cv_.notify_all();
    writer_.join();
  }

  void submit(std::string& line) {
    std::unique_lock lock(mutex_);
    if (!writer_.joinable()) {
      const int fd = options_.fd;
      lock.unlock();
      write_all(fd, line.data(), line.size());
      return;
    }
    if (pending_.size() + line.size() > options_.max_buffered_bytes) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    const bool was_empty = pending_.empty();
    pending_.append(line);
    ++submitted_;
    const bool full_batch = pending_.size() >= kBatchBytes;
    lock.unlock();
    if (was_empty || full_batch) {
      cv_.notify_one();
    }
  }

  void flush() {
    std::unique_lock lock(mutex_);
    if (!writer_.joinable()) {
      return;
    }
    const uint64_t target = submitted_;
    flush_requested_ = true;
    cv_.notify_all();
    flushed_cv_.wait(lock, [&] { return written_ >= target || !writer_.joinable(); });
  }

  bool enabled(Level level) const { return static_cast<int>(level) >= min_level_.load(); }
  uint64_t dropped() const { return dropped_.load(); }

 private:
  void run() {
    std::string batch;
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [&] { return !pending_.empty() || stopping_; });
      // Let a batch gather before writing: waking per line costs a context switch per request
      // under load, which preempts the I/O threads. Flush and stop skip the wait.
      cv_.wait_for(lock, kBatchWindow,
                   [&] { return pending_.size() >= kBatchBytes || flush_requested_ || stopping_; });
      flush_requested_ = false;
      if (pending_.empty() && stopping_) {
        break;
      }
      batch.swap(pending_);
      const uint64_t upto = submitted_;
      const int fd = options_.fd;
      lock.unlock();
      write_all(fd, batch.data(), batch.size());
      batch.clear();
      if (batch.capacity() > (1u << 20)) {
        batch.shrink_to_fit();
      }
      lock.lock();
      written_ = upto;
      flushed_cv_.notify_all();
    }
    written_ = submitted_;
    flushed_cv_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable flushed_cv_;
  std::thread writer_;
  Options options_;
  std::string pending_;
  bool stopping_ = false;
  bool flush_requested_ = false;
  static constexpr size_t kBatchBytes = 64u << 10;
  static constexpr std::chrono::milliseconds kBatchWindow{2};
  uint64_t submitted_ = 0;
  uint64_t written_ = 0;
  std::atomic<int> min_level_{static_cast<int>(Level::kInfo)};
  std::atomic<uint64_t> dropped_{0};
};

Sink& sink() {
  static Sink s;
  return s;
}

// The current time as RFC 3339 with milliseconds; the date-and-seconds part is cached per thread
// because it changes once a second while lines are written thousands of times a second.
void append_timestamp(std::string& out) {
  thread_local int64_t cached_second = -1;
  thread_local char cached[64];
  const auto now = std::chrono::system_clock::now();
  const int64_t us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const int64_t second = us / 1000000;
  if (second != cached_second) {
    const auto days = std::chrono::floor<std::chrono::days>(
        std::chrono::sys_seconds(std::chrono::seconds(second)));
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss hms{std::chrono::sys_seconds(std::chrono::seconds(second)) - days};
    std::snprintf(cached, sizeof cached, "%04d-%02u-%02uT%02ld:%02ld:%02ld", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                  long(hms.minutes().count()), long(hms.seconds().count()));
    cached_second = second;
  }
  out.append(cached, 19);
  char ms[16];
  std::snprintf(ms, sizeof ms, ".%03dZ", static_cast<int>((us / 1000) % 1000));
  out.append(ms, 5);
}

}  // namespace

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

bool parse_level(std::string_view text, Level& out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void init(const Options& options) {
  sink().start(options);
}
void shutdown() {
  sink().stop();
}
void flush() {
  sink().flush();
}
bool enabled(Level level) {
  return sink().enabled(level);
}
uint64_t dropped_lines() {
  return sink().dropped();
}

RequestScope::RequestScope(std::string_view request_id, std::string_view traceparent)
    : previous_request_id_(t_request_id), previous_traceparent_(t_traceparent) {
  t_request_id = request_id;
  t_traceparent = traceparent;
}

std::string_view current_request_id() {
  return t_request_id;
}
std::string_view current_traceparent() {
  return t_traceparent;
}

RequestScope::~RequestScope() {
  t_request_id = previous_request_id_;
  t_traceparent = previous_traceparent_;
}

void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0f]);
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
}

Line::Line(Level level, std::string_view event) : active_(sink().enabled(level)) {
  if (!active_) {
    return;
  }
  buf_.reserve(256);
  buf_ += "{\"ts\":\"";
  append_timestamp(buf_);
  buf_ += "\",\"level\":\"";
  buf_ += level_name(level);
  buf_ += "\",\"event\":\"";
  append_json_escaped(buf_, event);
  buf_ += '"';
  if (!t_request_id.empty()) {
    field("request_id", t_request_id);
  }
  if (!t_traceparent.empty()) {
    field("traceparent", t_traceparent);
  }
}

Line::~Line() {
  if (!active_) {
    return;
  }
  buf_ += "}\n";
  sink().submit(buf_);
}

void Line::key(std::string_view k) {
  buf_ += ",\"";
  append_json_escaped(buf_, k);
  buf_ += "\":";
}

Line& Line::field(std::string_view k, std::string_view value) {
  if (active_) {
    key(k);
    buf_ += '"';
    append_json_escaped(buf_, value);
    buf_ += '"';
  }
  return *this;
}

Line& Line::field(std::string_view k, int64_t value) {
  if (active_) {
    key(k);
    char tmp[24];
    auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, value);
    buf_.append(tmp, p);
  }
  return *this;
}

Line& Line::field(std::string_view k, uint64_t value) {
  if (active_) {
    key(k);
    char tmp[24];
    auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, value);
    buf_.append(tmp, p);
  }
  return *this;
}

Line& Line::field(std::string_view k, double value) {
  if (active_) {
    key(k);
    if (!std::isfinite(value)) {
      buf_ += "null";
      return *this;
    }
    char tmp[32];
    auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, value);
    buf_.append(tmp, p);
  }
  return *this;
}

Line& Line::field(std::string_view k, bool value) {
  if (active_) {
    key(k);
    buf_ += value ? "true" : "false";
  }
  return *this;
}

}  // namespace atelier::log
