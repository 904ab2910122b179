#include "atelier/core/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace atelier::metrics {

namespace {

void append_number(std::string& out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char tmp[32];
  auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, p);
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  std::sort(bounds_.begin(), bounds_.end());
}

void Histogram::observe(double value) {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  buckets_[static_cast<size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  if (value > 0) {
    sum_micros_.fetch_add(static_cast<uint64_t>(std::llround(value * 1e6)),
                          std::memory_order_relaxed);
  }
}

void Histogram::write(std::string& out, std::string_view name, std::string_view labels) const {
  uint64_t cumulative = 0;
  const std::string sep = labels.empty() ? "" : ",";
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::string le;
    if (i < bounds_.size()) {
      append_number(le, bounds_[i]);
    } else {
      le = "+Inf";
    }
    out += name;
    out += "_bucket{";
    out += labels;
    out += sep;
    out += "le=\"";
    out += le;
    out += "\"} ";
    append_number(out, static_cast<double>(cumulative));
    out += '\n';
  }
  const std::string base(name);
  write_sample(out, base + "_sum", labels,
               static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6);
  write_sample(out, base + "_count", labels,
               static_cast<double>(count_.load(std::memory_order_relaxed)));
}

std::vector<double> Histogram::latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

void write_header(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void write_sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  append_number(out, value);
  out += '\n';
}

std::string label_value(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Registry& Registry::global() {
  static Registry registry;
  return registry;
}

uint64_t Registry::add(Collector collector) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  collectors_.emplace_back(id, std::move(collector));
  return id;
}

void Registry::remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  std::erase_if(collectors_, [&](const auto& entry) { return entry.first == id; });
}

std::string Registry::render() const {
  std::string out;
  out.reserve(8192);
  std::lock_guard lock(mutex_);
  for (const auto& [id, collector] : collectors_) {
    collector(out);
  }
  return out;
}

}  // namespace atelier::metrics
