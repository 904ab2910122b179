// Prometheus metrics: counters, gauges and histograms with lock-free updates, and a registry that
// renders the text exposition format for GET /metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace atelier::metrics {

class Counter {
 public:
  void inc(uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void add(int64_t by) { value_.fetch_add(by, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Cumulative histogram with fixed upper bounds (in the unit of the metric, e.g. seconds).
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  // Appends the _bucket, _sum and _count samples; `labels` is `k="v",...` without braces.
  void write(std::string& out, std::string_view name, std::string_view labels) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

  // 1 ms .. 10 s, the usual request-latency buckets.
  static std::vector<double> latency_buckets();

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};  // sum kept in millionths, to stay an integer atomic
};

// Writes one family's # HELP and # TYPE lines.
void write_header(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type);
// Writes `name{labels} value\n` (no braces when labels is empty).
void write_sample(std::string& out, std::string_view name, std::string_view labels, double value);
// Escapes a label value (backslash, quote, newline).
std::string label_value(std::string_view raw);

// The process-wide list of metric writers. A component registers a collector that appends its
// families when /metrics is scraped; collectors must not block for long.
class Registry {
 public:
  using Collector = std::function<void(std::string& out)>;

  static Registry& global();

  // Returns an id to pass to remove() when the component goes away.
  uint64_t add(Collector collector);
  void remove(uint64_t id);
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::vector<std::pair<uint64_t, Collector>> collectors_;
};

}  // namespace atelier::metrics
