// Structured logging: one JSON object per line, written by a background thread so that the
// thread that logs only formats and appends to a buffer.
//
//   log::info("order.created").field("order_id", id).field("lines", 3);
//
// Every line carries the request_id and traceparent of the request being handled on this thread,
// when there is one (see log::RequestScope).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace atelier::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

std::string_view level_name(Level level);
bool parse_level(std::string_view text, Level& out);

struct Options {
  Level min_level = Level::kInfo;
  int fd = 2;                            // where lines go (stderr by default)
  bool async = true;                     // false: write on the calling thread (tests, tools)
  size_t max_buffered_bytes = 8u << 20;  // beyond this, lines are dropped and counted
};

// Starts (or restarts) the logger. Safe to call more than once; the last options win.
void init(const Options& options);
// Writes out what is buffered and stops the background writer. Logging after this is synchronous.
void shutdown();
// Blocks until every line logged so far has been written.
void flush();
bool enabled(Level level);
// Lines dropped because the buffer was full (the disk or pipe could not keep up).
uint64_t dropped_lines();

// The request context of the current thread: set for the duration of a handler call.
class RequestScope {
 public:
  RequestScope(std::string_view request_id, std::string_view traceparent);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string_view previous_request_id_;
  std::string_view previous_traceparent_;
};

// The request being handled on this thread, empty when none: lets code below the HTTP layer
// (an event written to the outbox, an outbound call) carry the same trace.
std::string_view current_request_id();
std::string_view current_traceparent();

// One log line being built; written when it goes out of scope.
class Line {
 public:
  Line(Level level, std::string_view event);
  ~Line();
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;

  Line& field(std::string_view key, std::string_view value);
  Line& field(std::string_view key, const char* value) {
    return field(key, std::string_view(value));
  }
  Line& field(std::string_view key, const std::string& value) {
    return field(key, std::string_view(value));
  }
  Line& field(std::string_view key, int64_t value);
  Line& field(std::string_view key, int value) { return field(key, static_cast<int64_t>(value)); }
  Line& field(std::string_view key, uint64_t value);
  Line& field(std::string_view key, unsigned value) {
    return field(key, static_cast<uint64_t>(value));
  }
  Line& field(std::string_view key, double value);
  Line& field(std::string_view key, bool value);

 private:
  void key(std::string_view k);
  bool active_;
  std::string buf_;
};

inline Line debug(std::string_view event) {
  return Line(Level::kDebug, event);
}
inline Line info(std::string_view event) {
  return Line(Level::kInfo, event);
}
inline Line warn(std::string_view event) {
  return Line(Level::kWarn, event);
}
inline Line error(std::string_view event) {
  return Line(Level::kError, event);
}

// Appends `text` to `out` as the inside of a JSON string (quotes not included).
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace atelier::log
