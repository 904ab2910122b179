// Reading JSON request bodies with clear errors: a malformed body is 400, a missing or mistyped
// field is collected into the 422's per-field errors rather than failing at the first one.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/http/request.hpp"
#include "atelier/http/response.hpp"

namespace atelier::http {

// The body as a JSON object; kBadRequest when it is empty, not JSON, or not an object.
Result<boost::json::object> json_object_body(const Request& request);

// An application/x-www-form-urlencoded body (OAuth 2 endpoints): names to decoded values. A name
// given twice, or a malformed %-escape, is kBadRequest.
Result<std::map<std::string, std::string>> form_body(const Request& request);

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  // A string field; records an error when required and missing, or when not a string, or when
  // longer than max_bytes.
  std::string string(std::string_view name, bool required = true, size_t max_bytes = 4096);
  std::optional<int64_t> integer(std::string_view name, bool required = true);

  bool ok() const { return errors_.empty(); }
  // kInvalid (422) listing every bad field.
  Error error(std::string message = "Some fields are missing or invalid.") const;

 private:
  const boost::json::object& object_;
  std::vector<FieldError> errors_;
};

// The usual prologue of a handler with a JSON body, in one object: reads the fields, then
// problem() answers 400 for a body that is not a JSON object, or 422 listing every bad field.
//
//   http::JsonFields f(request);
//   cmd.email = f.string("email", true, 254);
//   if (auto bad = f.problem(request)) { return std::move(*bad); }
class JsonFields {
 public:
  explicit JsonFields(const Request& request);
  // The reader points into this object's own body: it stays where it was made.
  JsonFields(const JsonFields&) = delete;
  JsonFields& operator=(const JsonFields&) = delete;

  std::string string(std::string_view name, bool required = true, size_t max_bytes = 4096) {
    return reader_.string(name, required, max_bytes);
  }
  std::optional<int64_t> integer(std::string_view name, bool required = true) {
    return reader_.integer(name, required);
  }
  std::optional<Response> problem(const Request& request) const;

 private:
  std::optional<Error> body_error_;
  boost::json::object object_;
  FieldReader reader_{object_};
};

}  // namespace atelier::http
