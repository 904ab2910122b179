#include "atelier/core/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace atelier::log {
namespace {

// Captures what the logger writes into a temporary file, read back after flush().
class LogCapture {
 public:
  explicit LogCapture(bool async, Level min = Level::kDebug) {
    char path[] = "/tmp/atelier_log_XXXXXX";
    fd_ = ::mkstemp(path);
    EXPECT_GE(fd_, 0);
    ::unlink(path);
    init({.min_level = min, .fd = fd_, .async = async, .max_buffered_bytes = 8u << 20});
  }
  ~LogCapture() {
    shutdown();
    init({});  // back to defaults for other tests
    ::close(fd_);
  }
  std::vector<std::string> lines() {
    flush();
    std::string all;
    char buf[65536];
    ssize_t n;
    off_t offset = 0;
    while ((n = ::pread(fd_, buf, sizeof buf, offset)) > 0) {
      all.append(buf, static_cast<size_t>(n));
      offset += n;
    }
    std::vector<std::string> out;
    std::istringstream in(all);
    for (std::string line; std::getline(in, line);) {
      out.push_back(line);
    }
    return out;
  }

 private:
  int fd_ = -1;
};

TEST(Log, WritesOneJsonObjectPerLineWithFields) {
  LogCapture capture(true);
  info("order.created")
      .field("order_id", "o-1")
      .field("lines", 3)
      .field("paid", true)
      .field("total", 12.5);
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 1u);
  const auto obj = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(obj.at("event").as_string(), "order.created");
  EXPECT_EQ(obj.at("level").as_string(), "info");
  EXPECT_EQ(obj.at("order_id").as_string(), "o-1");
  EXPECT_EQ(obj.at("lines").as_int64(), 3);
  EXPECT_TRUE(obj.at("paid").as_bool());
  EXPECT_DOUBLE_EQ(obj.at("total").as_double(), 12.5);
  EXPECT_EQ(obj.at("ts").as_string().size(), 24u);  // 2026-11-21T22:04:05.123Z
}

TEST(Log, EscapesHostileStringsIntoValidJson) {
  LogCapture capture(false);
  const std::string nasty = std::string("quote\" back\\ nl\n ctl\x01 nul") + '\0' + "end";
  warn("x\"y").field("v", nasty).field("nan", std::nan(""));
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 1u);
  const auto obj = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(obj.at("event").as_string(), "x\"y");
  EXPECT_EQ(std::string(obj.at("v").as_string()), nasty);
  EXPECT_TRUE(obj.at("nan").is_null());
}

TEST(Log, RequestScopeAddsRequestIdAndTraceparentOnThisThreadOnly) {
  LogCapture capture(true);
  {
    RequestScope scope("req-1", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    info("inside");
    std::thread([] { info("other.thread"); }).join();
  }
  info("outside");
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 3u);
  const auto inside = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(inside.at("request_id").as_string(), "req-1");
  EXPECT_TRUE(inside.contains("traceparent"));
  EXPECT_FALSE(boost::json::parse(lines[1]).as_object().contains("request_id"));
  EXPECT_FALSE(boost::json::parse(lines[2]).as_object().contains("request_id"));
}

TEST(Log, LevelsBelowTheMinimumAreNotWritten) {
  LogCapture capture(true, Level::kWarn);
  debug("d");
  info("i");
  warn("w");
  error("e");
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("\"w\""), std::string::npos);
}

TEST(Log, ManyThreadsLoseNoLineAndInterleaveNone) {
  LogCapture capture(true);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 2'000; ++i) {
        info("tick").field("thread", t).field("i", i);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 8'000u);
  for (const auto& line : lines) {
    ASSERT_NO_THROW(boost::json::parse(line)) << line;
  }
  EXPECT_EQ(dropped_lines(), 0u);
}

}  // namespace
}  // namespace atelier::log
