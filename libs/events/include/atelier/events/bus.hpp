// The event bus port, and its in-process adapter for the embedded default. The Kafka adapter
// implements the same port for the distributed deployment.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/events/cloud_event.hpp"

namespace atelier::events {

struct Subscription {
  std::string group;               // consumer group: one delivery per group (e.g. "tasks")
  std::vector<std::string> types;  // exact event types, or "projects.*" for a producer's all
  // Returns ok once the event is handled (or parked); an error asks for redelivery.
  std::function<Result<void>(const CloudEvent&)> handler;
};

// Called once the bus is done with a published event: ok when it is delivered for good (in-process:
// every matching group has handled it; Kafka: the brokers acknowledged it), an error when it was
// not and must be published again. May run on any thread.
using DeliveryCallback = std::function<void(Result<void>)>;

class Bus {
 public:
  virtual ~Bus() = default;
  // Takes the event for delivery, or answers kUnavailable when it cannot take it now (the outbox
  // relay tries again later). `done` is called later, at most once; never if the process stops
  // first, in which case the outbox row is still unsent and is published again after a restart.
  // Delivery is therefore at least once, and consumers deduplicate by event id.
  virtual Result<void> publish(const CloudEvent& event, DeliveryCallback done) = 0;
  // Subscriptions are made before start().
  virtual void subscribe(Subscription subscription) = 0;
  virtual void start() = 0;
  // Stops delivering. Events still queued are not lost: their outbox rows were never marked.
  virtual void stop() = 0;
};

bool type_matches(std::string_view pattern, std::string_view type);

struct InProcessBusOptions {
  size_t queue_capacity = 10'000;                     // per subscription
  std::chrono::milliseconds publish_wait{100};        // how long publish waits for room in a queue
  std::chrono::milliseconds redelivery_delay{1'000};  // after a handler error
};

// One bounded queue and one delivery thread per subscription: a slow consumer slows only itself,
// and events reach a consumer in publish order.
std::unique_ptr<Bus> make_in_process_bus(InProcessBusOptions options = {});

}  // namespace atelier::events
