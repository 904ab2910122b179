#include "atelier/http/json_body.hpp"

#include <boost/json/parse.hpp>

namespace atelier::http {

Result<boost::json::object> json_object_body(const Request& request) {
  if (request.body.empty()) {
    return Error::bad_request("The request needs a JSON object as its body.");
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec);
  if (ec) {
    return Error::bad_request("The body is not valid JSON: " + ec.message() + ".");
  }
  if (!value.is_object()) {
    return Error::bad_request("The body must be a JSON object.");
  }
  return std::move(value.as_object());
}

std::string FieldReader::string(std::string_view name, bool required, size_t max_bytes) {
  const auto* v = object_.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) {
      errors_.push_back({std::string(name), "This field is required."});
    }
    return {};
  }
  if (!v->is_string()) {
    errors_.push_back({std::string(name), "This field must be a string."});
    return {};
  }
  if (v->as_string().size() > max_bytes) {
    errors_.push_back({std::string(name), "This field is too long (" + std::to_string(max_bytes) +
                                              " bytes at most)."});
    return {};
  }
  return std::string(v->as_string());
}

std::optional<int64_t> FieldReader::integer(std::string_view name, bool required) {
  const auto* v = object_.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) {
      errors_.push_back({std::string(name), "This field is required."});
    }
    return std::nullopt;
  }
  if (v->is_int64()) {
    return v->as_int64();
  }
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->as_uint64());
  }
  errors_.push_back({std::string(name), "This field must be an integer."});
  return std::nullopt;
}

Error FieldReader::error(std::string message) const {
  return Error::invalid(std::move(message), errors_);
}

}  // namespace atelier::http
