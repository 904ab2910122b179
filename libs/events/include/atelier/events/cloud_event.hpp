// CloudEvents 1.0 envelope (JSON format) for every event the services exchange.
#pragma once

#include <string>
#include <string_view>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"

namespace atelier::events {

struct CloudEvent {
  std::string id;           // UUIDv7
  std::string source;       // URI reference of the producer: "/services/projects"
  std::string type;         // "<service>.<Name>.v<N>", e.g. "projects.ProjectCreated.v1"
  std::string subject;      // the entity the event is about (optional)
  TimePoint time;           // when it happened, UTC
  std::string data;         // the payload, JSON text (datacontenttype application/json)
  std::string org_id;       // extension `orgid`: the tenant; consumers act in its scope
  std::string traceparent;  // extension from CloudEvents Distributed Tracing

  // A new event with a fresh id, the clock's time, and the trace of the request being handled on
  // this thread (if any).
  static CloudEvent make(std::string source, std::string type, std::string subject,
                         std::string org_id, std::string data_json,
                         const Clock& clock = SystemClock::instance());

  std::string to_json() const;
  // Validates the envelope: specversion 1.0, required attributes, a JSON object or array as data.
  static Result<CloudEvent> from_json(std::string_view json);

  // The service part of the type ("projects" for "projects.ProjectCreated.v1").
  std::string_view producer() const;
};

}  // namespace atelier::events
