#include "atelier/events/cloud_event.hpp"

#include <boost/json.hpp>

#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"

namespace atelier::events {

namespace json = boost::json;

CloudEvent CloudEvent::make(std::string source, std::string type, std::string subject,
                            std::string org_id, std::string data_json, const Clock& clock) {
  CloudEvent e;
  e.id = Uuid::v7(clock).str();
  e.source = std::move(source);
  e.type = std::move(type);
  e.subject = std::move(subject);
  e.time = clock.now();
  e.data = std::move(data_json);
  e.org_id = std::move(org_id);
  e.traceparent = std::string(log::current_traceparent());
  return e;
}

std::string CloudEvent::to_json() const {
  json::object o;
  o["specversion"] = "1.0";
  o["id"] = id;
  o["source"] = source;
  o["type"] = type;
  if (!subject.empty()) {
    o["subject"] = subject;
  }
  o["time"] = format_rfc3339(time);
  o["datacontenttype"] = "application/json";
  if (!org_id.empty()) {
    o["orgid"] = org_id;
  }
  if (!traceparent.empty()) {
    o["traceparent"] = traceparent;
  }
  boost::system::error_code ec;
  json::value data_value = json::parse(data.empty() ? std::string_view("null") : data, ec);
  o["data"] = ec ? json::value(data) : std::move(data_value);
  return json::serialize(o);
}

namespace {

Result<std::string> required_string(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return Error::invalid("cloud event: '" + std::string(key) + "' must be a non-empty string");
  }
  return std::string(v->as_string());
}

std::string optional_string(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

Result<CloudEvent> CloudEvent::from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Error::invalid("cloud event: not a JSON object");
  }
  const auto& o = v.as_object();
  auto spec = required_string(o, "specversion");
  if (!spec || *spec != "1.0") {
    return Error::invalid("cloud event: specversion must be \"1.0\"");
  }
  CloudEvent e;
  for (auto [key, field] : {std::pair{"id", &e.id}, {"source", &e.source}, {"type", &e.type}}) {
    auto value = required_string(o, key);
    if (!value) {
      return std::move(value).error();
    }
    *field = std::move(*value);
  }
  e.subject = optional_string(o, "subject");
  e.org_id = optional_string(o, "orgid");
  e.traceparent = optional_string(o, "traceparent");
  if (const auto* t = o.if_contains("time"); t != nullptr) {
    const auto parsed = t->is_string() ? parse_rfc3339(t->as_string()) : std::nullopt;
    if (!parsed) {
      return Error::invalid("cloud event: 'time' must be an RFC 3339 timestamp");
    }
    e.time = *parsed;
  }
  if (const auto* ct = o.if_contains("datacontenttype");
      ct != nullptr && (!ct->is_string() || ct->as_string() != "application/json")) {
    return Error::invalid("cloud event: only datacontenttype application/json is supported");
  }
  if (const auto* d = o.if_contains("data"); d != nullptr) {
    e.data = json::serialize(*d);
  }
  return e;
}

std::string_view CloudEvent::producer() const {
  const std::string_view t = type;
  return t.substr(0, t.find('.'));
}

}  // namespace atelier::events
