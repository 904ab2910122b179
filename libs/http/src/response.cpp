#include "atelier/http/response.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "atelier/core/log.hpp"

namespace atelier::http {

namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kProblemJson = "application/problem+json";

void append_string(std::string& out, std::string_view text) {
  out += '"';
  log::append_json_escaped(out, text);
  out += '"';
}

void append_int(std::string& out, int64_t value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

// Writes the RFC 9457 object up to, not including, the closing brace.
void begin_problem(std::string& out, int status, std::string_view slug, std::string_view detail,
                   const Request& request) {
  out.reserve(192 + detail.size() + request.path.size());
  out += "{\"type\":\"/problems/";
  log::append_json_escaped(out, slug);
  out += "\",\"title\":";
  append_string(out, reason_phrase(status));
  out += ",\"status\":";
  append_int(out, status);
  out += ",\"detail\":";
  append_string(out, detail);
  out += ",\"instance\":";
  append_string(out, request.path);
  if (!request.request_id.empty()) {
    out += ",\"request_id\":";
    append_string(out, request.request_id);
  }
}

}  // namespace

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", kJson);
  r.body = std::move(body);
  return r;
}

Response Response::json(int status, const boost::json::value& value) {
  return json(status, boost::json::serialize(value));
}

Response Response::text(int status, std::string body, std::string_view content_type) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::problem(const Error& error, const Request& request) {
  const int status = http_status(error.code);
  Response r;
  r.status = status;
  r.headers.set("Content-Type", kProblemJson);
  begin_problem(r.body, status, slug(error.code), error.message, request);
  if (!error.fields.empty()) {
    r.body += ",\"errors\":[";
    for (size_t i = 0; i < error.fields.size(); ++i) {
      if (i > 0) {
        r.body += ',';
      }
      r.body += "{\"field\":";
      append_string(r.body, error.fields[i].field);
      r.body += ",\"message\":";
      append_string(r.body, error.fields[i].message);
      r.body += '}';
    }
    r.body += ']';
  }
  r.body += '}';
  if (error.retry_after) {
    r.headers.set("Retry-After", std::to_string(error.retry_after->count()));
  }
  return r;
}

Response Response::problem(int status, std::string_view type_slug, std::string_view detail,
                           const Request& request) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", kProblemJson);
  begin_problem(r.body, status, type_slug, detail, request);
  r.body += '}';
  return r;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 507:
      return "Insufficient Storage";
    default:
      return "Unknown";
  }
}

}  // namespace atelier::http
