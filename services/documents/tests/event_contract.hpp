// Checks an event envelope against its JSON Schema in contracts/events/: the subset of JSON
// Schema those contracts use (type, const, enum, required, properties, items, minimum, maximum,
// pattern), reported as test failures with the path of the value at fault.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace atelier::documents::testing {

inline boost::json::object event_contract(const std::string& type) {
  const std::string path = std::string(ATELIER_CONTRACTS_DIR) + "/events/" + type + ".json";
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value schema = boost::json::parse(text.str(), ec);
  EXPECT_FALSE(ec) << path << ": " << ec.message();
  return !ec && schema.is_object() ? schema.as_object() : boost::json::object{};
}

inline bool has_type(const boost::json::value& v, std::string_view type) {
  if (type == "string") {
    return v.is_string();
  }
  if (type == "integer") {
    return v.is_int64() || v.is_uint64();
  }
  if (type == "number") {
    return v.is_number();
  }
  if (type == "boolean") {
    return v.is_bool();
  }
  if (type == "null") {
    return v.is_null();
  }
  if (type == "array") {
    return v.is_array();
  }
  if (type == "object") {
    return v.is_object();
  }
  return false;
}

inline void expect_matches(const boost::json::value& v, const boost::json::object& schema,
                           const std::string& where) {
  if (const auto* type = schema.if_contains("type")) {
    bool ok = false;
    if (type->is_string()) {
      ok = has_type(v, type->as_string());
    } else {
      for (const auto& t : type->as_array()) {
        ok = ok || has_type(v, t.as_string());
      }
    }
    EXPECT_TRUE(ok) << where << " is " << boost::json::serialize(v) << ", expected type "
                    << boost::json::serialize(*type);
    if (!ok) {
      return;
    }
  }
  if (const auto* expected = schema.if_contains("const")) {
    EXPECT_EQ(v, *expected) << where;
  }
  if (const auto* allowed = schema.if_contains("enum")) {
    const auto& values = allowed->as_array();
    EXPECT_NE(std::find(values.begin(), values.end(), v), values.end())
        << where << " is " << boost::json::serialize(v) << ", not one of "
        << boost::json::serialize(*allowed);
  }
  if (v.is_number()) {
    if (const auto* minimum = schema.if_contains("minimum")) {
      EXPECT_GE(v.to_number<double>(), minimum->to_number<double>()) << where;
    }
    if (const auto* maximum = schema.if_contains("maximum")) {
      EXPECT_LE(v.to_number<double>(), maximum->to_number<double>()) << where;
    }
  }
  if (const auto* pattern = schema.if_contains("pattern"); pattern != nullptr && v.is_string()) {
    EXPECT_TRUE(std::regex_search(std::string(v.as_string()),
                                  std::regex(std::string(pattern->as_string()))))
        << where << " is " << v.as_string() << ", not matching " << pattern->as_string();
  }
  if (v.is_object()) {
    if (const auto* required = schema.if_contains("required")) {
      for (const auto& name : required->as_array()) {
        EXPECT_TRUE(v.as_object().contains(name.as_string()))
            << where << " lacks the required " << name.as_string();
      }
    }
    if (const auto* properties = schema.if_contains("properties")) {
      for (const auto& [name, sub] : properties->as_object()) {
        if (const auto* member = v.as_object().if_contains(name)) {
          expect_matches(*member, sub.as_object(), where + "." + std::string(name));
        }
      }
    }
  }
  if (v.is_array()) {
    if (const auto* items = schema.if_contains("items")) {
      for (size_t i = 0; i < v.as_array().size(); ++i) {
        expect_matches(v.as_array()[i], items->as_object(), where + "[" + std::to_string(i) + "]");
      }
    }
  }
}

// The envelope (CloudEvents JSON, as stored in the outbox) against contracts/events/<type>.json,
// its data parsed from the envelope's `data` member. Returns the data for further checks.
inline boost::json::object expect_event_matches_contract(const std::string& envelope_json,
                                                         const std::string& type) {
  boost::system::error_code ec;
  boost::json::value envelope = boost::json::parse(envelope_json, ec);
  EXPECT_FALSE(ec) << envelope_json;
  if (ec || !envelope.is_object()) {
    return {};
  }
  expect_matches(envelope, event_contract(type), type);
  const auto* data = envelope.as_object().if_contains("data");
  return data != nullptr && data->is_object() ? data->as_object() : boost::json::object{};
}

}  // namespace atelier::documents::testing
