// An HTTP request as handlers see it: method, decoded path, raw query, headers and body, plus what
// the server and middleware attach (matched route, path parameters, request id, trace context).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "atelier/core/principal.hpp"

namespace atelier::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
inline constexpr size_t kMethodCount = 8;

// "GET", "HEAD", ...; "OTHER" for kOther.
std::string_view method_name(Method method);
// Exact match (methods are case-sensitive, RFC 9110 §9.1); anything unknown is kOther.
Method parse_method(std::string_view text);

// ASCII case-insensitive equality, for header names and tokens.
bool iequals(std::string_view a, std::string_view b);

// Header fields in arrival order. Names compare case-insensitively and may repeat (add()); get()
// returns the first. A vector rather than a map: a request carries about ten fields, and a scan
// over them is cheaper than hashing and keeps the order the peer sent.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first value of `name`, or "" when absent (contains() tells an empty value apart).
  std::string_view get(std::string_view name) const;
  bool contains(std::string_view name) const;
  // Replaces every field called `name` with a single one.
  void set(std::string_view name, std::string_view value);
  // Sets the field only when it is absent: defaults added by middleware that handlers override.
  void set_default(std::string_view name, std::string_view value);
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);

  void clear() { fields_.clear(); }
  void reserve(size_t n) { fields_.reserve(n); }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

// The values of a route's `{name}` and `{*name}` segments. Values are kept as offsets into the
// matched path, so a Request stays freely copyable; names point into the Router's storage.
class PathParams {
 public:
  static constexpr size_t kMax = 8;

  struct Param {
    std::string_view name;
    uint32_t offset = 0;
    uint32_t length = 0;
  };

  // The value of `name` within `path` (the path that was matched), or "" when absent.
  std::string_view get(std::string_view name, std::string_view path) const;
  size_t size() const { return size_; }
  const Param* begin() const { return items_.data(); }
  const Param* end() const { return items_.data() + size_; }

  void clear() { size_ = 0; }
  bool push(size_t offset, size_t length);
  void pop() { --size_; }
  void set_name(size_t index, std::string_view name) { items_[index].name = name; }

 private:
  std::array<Param, kMax> items_{};
  size_t size_ = 0;
};

// A request body the server streamed to a temporary file rather than into memory (routes with
// RouteOptions::stream_body). The file is the server's: it is removed as soon as the handler
// returns, so a handler that keeps the bytes copies or links them elsewhere.
struct UploadedBody {
  std::filesystem::path path;
  uint64_t size = 0;
  std::string sha256;  // of the whole body, 64 lowercase hex digits
};

struct Request {
  Method method = Method::kGet;
  std::string target;  // as received: path and query, still percent-encoded
  std::string path;    // percent-decoded; the server answers 400 for NUL or a bad %XX
  std::string query;   // raw, without '?'
  Headers headers;
  std::string body;  // empty when the body was streamed to `upload`
  std::optional<UploadedBody> upload;

  // Filled in by the server and middleware.
  std::string_view route;  // the matched pattern ("/api/v1/tasks/{id}"); empty when none matched
  int route_id = -1;       // index of the matched route in its Router; -1 when none matched
  PathParams params;
  std::string request_id;
  std::string traceparent;
  std::string remote_address;
  // The peer's address without its port ("203.0.113.7", "::1"), for throttling and audit.
  std::string client_address() const;
  // Who is calling, once http::authenticate has verified their credentials.
  std::optional<Principal> principal;  // "ip:port" of the peer

  std::string_view header(std::string_view name) const { return headers.get(name); }
  // A path parameter of the matched route ("" when the route has none by that name).
  std::string_view param(std::string_view name) const { return params.get(name, path); }
  // The first query parameter called `name`, percent-decoded with '+' as space; nullopt when
  // absent or when the query string is malformed.
  std::optional<std::string> query_param(std::string_view name) const;

  // Sets target, path and query from a request-target (origin-form "/a%20b?x=1", or absolute
  // form, whose scheme and authority are dropped). False when the path is not a valid path: it
  // does not start with '/', has a bad %XX escape, or decodes to a NUL.
  bool set_target(std::string_view raw_target);
  // Empties every field but keeps the strings' capacity, for the next request on a connection.
  void clear();
};

// Percent-decodes a URL path into `out`; false on a bad escape or a decoded NUL.
bool decode_path(std::string_view encoded, std::string& out);

}  // namespace atelier::http
