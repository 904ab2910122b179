// Per-route request metrics with slots laid out when the router is known, so that recording a
// request is an index and a few relaxed atomic adds.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>

#include "atelier/core/metrics.hpp"
#include "atelier/http/middleware.hpp"

namespace atelier::http {

namespace {

constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;

}  // namespace

struct HttpMetrics::Slots {
  struct Slot {
    explicit Slot(std::string label_text)
        : labels(std::move(label_text)), latency(metrics::Histogram::latency_buckets()) {}
    std::string labels;  // method="GET",route="/x"
    metrics::Gauge in_flight;
    metrics::Histogram latency;
    // One counter per status code: 4 KB per route buys a lookup-free, lock-free update.
    std::array<std::atomic<uint64_t>, kMaxStatus - kMinStatus + 1> by_status{};
  };

  // slots[0] counts requests that matched no route; slots[id + 1] belongs to route `id`.
  std::deque<Slot> slots;

  Slot& slot_for(int route_id) {
    const size_t index = route_id < 0 ? 0 : static_cast<size_t>(route_id) + 1;
    return index < slots.size() ? slots[index] : slots[0];
  }
};

HttpMetrics::HttpMetrics(const Router& router) : slots_(std::make_shared<Slots>()) {
  slots_->slots.emplace_back("method=\"\",route=\"unmatched\"");
  for (const Route& route : router.routes()) {
    slots_->slots.emplace_back("method=\"" + std::string(method_name(route.method)) +
                               "\",route=\"" + metrics::label_value(route.pattern) + "\"");
  }
  collector_id_ = metrics::Registry::global().add([this](std::string& out) { write(out); });
}

HttpMetrics::~HttpMetrics() {
  metrics::Registry::global().remove(collector_id_);
}

Middleware HttpMetrics::middleware() const {
  return [slots = slots_](Request& request, const Next& next) {
    Slots::Slot& slot = slots->slot_for(request.route_id);
    slot.in_flight.add(1);
    // The gauge must come back down even when a middleware below throws.
    struct InFlight {
      metrics::Gauge& gauge;
      ~InFlight() { gauge.add(-1); }
    } in_flight{slot.in_flight};
    const auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    slot.latency.observe(elapsed.count());
    const int status = std::clamp(response.status, kMinStatus, kMaxStatus);
    slot.by_status[static_cast<size_t>(status - kMinStatus)].fetch_add(1,
                                                                       std::memory_order_relaxed);
    return response;
  };
}

void HttpMetrics::write(std::string& out) const {
  metrics::write_header(out, "http_requests_total", "HTTP requests answered.", "counter");
  std::string labels;
  for (const auto& slot : slots_->slots) {
    for (size_t i = 0; i < slot.by_status.size(); ++i) {
      const uint64_t count = slot.by_status[i].load(std::memory_order_relaxed);
      if (count == 0) {
        continue;
      }
      labels = slot.labels;
      labels += ",status=\"";
      labels += std::to_string(kMinStatus + static_cast<int>(i));
      labels += '"';
      metrics::write_sample(out, "http_requests_total", labels, static_cast<double>(count));
    }
  }
  metrics::write_header(out, "http_request_duration_seconds",
                        "Time from routing to the response leaving the middleware chain.",
                        "histogram");
  for (const auto& slot : slots_->slots) {
    if (slot.latency.count() > 0) {
      slot.latency.write(out, "http_request_duration_seconds", slot.labels);
    }
  }
  metrics::write_header(out, "http_requests_in_flight", "HTTP requests being handled.", "gauge");
  for (const auto& slot : slots_->slots) {
    if (slot.latency.count() > 0 || slot.in_flight.value() != 0) {
      metrics::write_sample(out, "http_requests_in_flight", slot.labels,
                            static_cast<double>(slot.in_flight.value()));
    }
  }
}

}  // namespace atelier::http
