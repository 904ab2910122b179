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

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Decodes one name or value: '+' is a space, %XX a byte.
std::optional<std::string> form_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) {
        return std::nullopt;
      }
      const int hi = hex_digit(in[i + 1]);
      const int lo = hex_digit(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> form_body(const Request& request) {
  std::map<std::string, std::string> fields;
  std::string_view rest = request.body;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const size_t eq = pair.find('=');
    auto name = form_decode(pair.substr(0, eq));
    auto value =
        form_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) {
      return Error::bad_request("The form body has a malformed %-escape.");
    }
    if (!fields.emplace(std::move(*name), std::move(*value)).second) {
      return Error::bad_request("The form body gives a parameter twice.");
    }
  }
  return fields;
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

JsonFields::JsonFields(const Request& request) {
  auto body = json_object_body(request);
  if (body) {
    object_ = std::move(body).value();
  } else {
    body_error_ = std::move(body).error();
  }
}

std::optional<Response> JsonFields::problem(const Request& request) const {
  if (body_error_) {
    return Response::problem(*body_error_, request);
  }
  if (!reader_.ok()) {
    return Response::problem(reader_.error(), request);
  }
  return std::nullopt;
}

Error FieldReader::error(std::string message) const {
  return Error::invalid(std::move(message), errors_);
}

}  // namespace atelier::http
