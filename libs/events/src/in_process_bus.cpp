#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "atelier/core/log.hpp"
#include "atelier/core/metrics.hpp"
#include "atelier/events/bus.hpp"

namespace atelier::events {

bool type_matches(std::string_view pattern, std::string_view type) {
  if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ".*") {
    const auto prefix = pattern.substr(0, pattern.size() - 1);  // keep the dot
    return type.substr(0, prefix.size()) == prefix;
  }
  return pattern == "*" || pattern == type;
}

namespace {

// Counts down the groups an event still has to reach; the last one reports delivery.
struct Delivery {
  Delivery(int groups, DeliveryCallback callback) : remaining(groups), done(std::move(callback)) {}
  std::atomic<int> remaining;
  DeliveryCallback done;

  void one_handled() {
    if (remaining.fetch_sub(1) == 1 && done) {
      done(Result<void>());
    }
  }
};

struct Item {
  CloudEvent event;
  std::shared_ptr<Delivery> delivery;
};

class Queue {
 public:
  Queue(Subscription subscription, const InProcessBusOptions& options)
      : subscription_(std::move(subscription)), options_(options) {}

  bool wants(std::string_view type) const {
    for (const auto& p : subscription_.types) {
      if (type_matches(p, type)) {
        return true;
      }
    }
    return false;
  }

  bool push(const CloudEvent& event, const std::shared_ptr<Delivery>& delivery) {
    std::unique_lock lock(mutex_);
    if (!room_.wait_for(lock, options_.publish_wait,
                        [&] { return items_.size() < options_.queue_capacity || stopping_; }) ||
        stopping_) {
      return false;
    }
    items_.push_back(Item{event, delivery});
    ready_.notify_one();
    return true;
  }

  void start() {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    room_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  size_t depth() {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  const std::string& group() const { return subscription_.group; }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ready_.wait(lock, [&] { return !items_.empty() || stopping_; });
      if (stopping_) {
        return;
      }
      Item item = items_.front();
      const CloudEvent& event = item.event;
      lock.unlock();
      Result<void> handled = deliver(event);
      lock.lock();
      if (handled) {
        items_.pop_front();
        room_.notify_one();
        lock.unlock();
        item.delivery->one_handled();
        lock.lock();
        continue;
      }
      log::warn("bus.redelivery")
          .field("group", subscription_.group)
          .field("event_id", event.id)
          .field("type", event.type)
          .field("error", handled.error().message);
      ready_.wait_for(lock, options_.redelivery_delay, [&] { return stopping_; });
    }
  }

  Result<void> deliver(const CloudEvent& event) {
    try {
      return subscription_.handler(event);
    } catch (const std::exception& e) {
      return Error::internal(std::string("handler threw: ") + e.what());
    }
  }

  Subscription subscription_;
  const InProcessBusOptions& options_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable room_;
  std::deque<Item> items_;
  bool stopping_ = false;
  std::thread thread_;
};

class InProcessBus final : public Bus {
 public:
  explicit InProcessBus(InProcessBusOptions options) : options_(options) {
    metrics_id_ = metrics::Registry::global().add([this](std::string& out) { collect(out); });
  }
  ~InProcessBus() override {
    metrics::Registry::global().remove(metrics_id_);
    stop();
  }

  Result<void> publish(const CloudEvent& event, DeliveryCallback done) override {
    std::vector<Queue*> targets;
    for (auto& q : queues_) {
      if (q->wants(event.type)) {
        targets.push_back(q.get());
      }
    }
    if (targets.empty()) {
      if (done) {
        done(Result<void>());
      }
      return {};
    }
    auto delivery = std::make_shared<Delivery>(static_cast<int>(targets.size()), std::move(done));
    for (Queue* q : targets) {
      if (!q->push(event, delivery)) {
        // The groups already queued will still handle it; the relay publishes it again later and
        // their inboxes drop the repeat. This delivery never completes, so `done` is not called.
        return Error::unavailable("event bus: queue of '" + q->group() + "' is full");
      }
    }
    return {};
  }

  void subscribe(Subscription subscription) override {
    queues_.push_back(std::make_unique<Queue>(std::move(subscription), options_));
  }

  void start() override {
    for (auto& q : queues_) {
      q->start();
    }
  }

  void stop() override {
    for (auto& q : queues_) {
      q->stop();
    }
  }

 private:
  void collect(std::string& out) {
    metrics::write_header(out, "atelier_bus_queue_depth", "Events waiting for a consumer group.",
                          "gauge");
    for (auto& q : queues_) {
      metrics::write_sample(out, "atelier_bus_queue_depth",
                            "group=\"" + metrics::label_value(q->group()) + "\"",
                            static_cast<double>(q->depth()));
    }
  }

  InProcessBusOptions options_;
  std::vector<std::unique_ptr<Queue>> queues_;
  uint64_t metrics_id_ = 0;
};

}  // namespace

std::unique_ptr<Bus> make_in_process_bus(InProcessBusOptions options) {
  return std::make_unique<InProcessBus>(options);
}

}  // namespace atelier::events
