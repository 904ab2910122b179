// Time in UTC behind a small interface, so that tests can move time by hand.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atelier {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  static const SystemClock& instance();
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : us_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(std::chrono::microseconds(us_.load())); }
  void advance(std::chrono::microseconds by) { us_ += by.count(); }
  void set(TimePoint t) { us_ = t.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> us_;
};

// RFC 3339 in UTC with microseconds: 2026-11-21T22:04:05.123456Z
std::string format_rfc3339(TimePoint t);
// Accepts RFC 3339 with `Z` or a numeric offset, with or without fractional seconds.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace atelier
