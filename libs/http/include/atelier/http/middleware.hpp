// Middleware: functions wrapped around every handler call, and the stock ones every Atelier
// server installs. A usual chain, outermost first:
//
//   request_context(), access_log(cfg.access_log), metrics.middleware(), security_headers(),
//   cors(cfg.cors_origins), idempotency(store)
//
// The chain also runs for requests that match no route (their handler answers 404/405), so
// those are logged, counted and get CORS headers too.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/http/request.hpp"
#include "atelier/http/response.hpp"
#include "atelier/http/router.hpp"

namespace atelier::http {

class Next;
using Middleware = std::function<Response(Request&, const Next&)>;

// The rest of the chain, as seen by one middleware: call it to run the inner middleware and the
// handler. A view over the chain, built on the stack: calling it allocates nothing.
class Next {
 public:
  Response operator()(Request& request) const;

 private:
  friend Response run_chain(std::span<const Middleware> chain, const Handler& handler,
                            Request& request);
  Next(const Middleware* begin, const Middleware* end, const Handler* handler)
      : begin_(begin), end_(end), handler_(handler) {}

  const Middleware* begin_;
  const Middleware* end_;
  const Handler* handler_;
};

// Runs `request` through `chain` and then `handler`. A handler that throws becomes a 500
// problem (logged with the request id) as seen by the middleware, which still log and count it.
Response run_chain(std::span<const Middleware> chain, const Handler& handler, Request& request);

// --- Request context ---------------------------------------------------------------------

// Accepts an incoming X-Request-Id when it is 1-128 characters of [A-Za-z0-9._-], else makes a
// UUIDv7; continues the W3C trace of an incoming `traceparent` with a new span id, or starts a
// new trace. Sets both on the request, the response and the log lines of the handler's thread.
Middleware request_context();

bool is_valid_request_id(std::string_view id);

// A W3C Trace Context `traceparent` header, version 00: lowercase hex fields.
struct TraceParent {
  std::string trace_id;   // 32 hex digits, not all zero
  std::string parent_id;  // 16 hex digits, not all zero
  std::string flags;      // 2 hex digits
};
std::optional<TraceParent> parse_traceparent(std::string_view header);
// The traceparent of a new span: the trace id and flags of `incoming` when it is valid, else a
// new random trace id with flags 01 (sampled, so that downstream services log it too).
std::string next_traceparent(std::string_view incoming);

// --- Logging and headers -----------------------------------------------------------------

// One JSON line per request: method, path, route, status, duration_us, bytes_out, remote (plus
// request_id and traceparent when it runs inside request_context()). Does nothing when disabled.
Middleware access_log(bool enabled);

// X-Content-Type-Options, X-Frame-Options, Referrer-Policy on every response; a strict
// Content-Security-Policy on HTML; Cache-Control: no-store on /api/ responses that set none.
Middleware security_headers();

// CORS for the given origins ("*" allows any). Answers preflights (OPTIONS with
// Access-Control-Request-Method) from allowed origins with 204; adds Access-Control-Allow-Origin
// and Vary: Origin to their other responses. Requests from other origins pass through untouched.
Middleware cors(std::vector<std::string> origins);

// Verifies the credentials of a request: a bearer access token or an API key, whatever the
// identity service issued. Implemented by the identity service (in-process) or by a client of it.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // `authorization` is the Authorization header as sent ("Bearer eyJ...", "ApiKey atk_...").
  // kUnauthenticated with a reason when the credentials are missing, malformed, expired or revoked.
  virtual Result<Principal> authenticate(std::string_view authorization) = 0;
};

// Requires credentials on every route under /api/ except those added with RouteOptions::anonymous:
// 401 problem+json with a `WWW-Authenticate: Bearer` challenge when they are missing or invalid,
// otherwise request.principal is set for the handler. Credentials sent to an anonymous route are
// verified too (a bad token is never silently ignored). Outside /api/ nothing is required.
Middleware authenticate(const Router& router, Authenticator& authenticator);

// --- Idempotency-Key ---------------------------------------------------------------------

// Remembers responses to POST requests that carry an Idempotency-Key, so a client's retry gets
// the first answer instead of doing the work twice. Abstract so a database-backed store can
// share replays between processes.
class IdempotencyStore {
 public:
  enum class Outcome {
    kProceed,      // first time: run the request, then call complete() or release()
    kReplay,       // done before: `response` holds the stored answer
    kInFlight,     // the first request with this key is still running
    kMismatch,     // the key was used with a different request
    kUnavailable,  // the store could not be reached: refuse rather than risk a double write
  };
  struct Claim {
    Outcome outcome = Outcome::kProceed;
    Response response;
  };

  virtual ~IdempotencyStore() = default;
  // `key` identifies the request (scope, method, path, client key); `fingerprint` its content.
  virtual Claim claim(const std::string& key, const std::string& fingerprint) = 0;
  virtual void complete(const std::string& key, const Response& response) = 0;
  // Forgets a claim whose request failed (5xx, exception), so that a retry runs again.
  virtual void release(const std::string& key) = 0;
};

// An in-process store: entries live `ttl` from their first request; beyond `max_entries` the
// oldest are dropped first. Thread-safe.
class MemoryIdempotencyStore final : public IdempotencyStore {
 public:
  explicit MemoryIdempotencyStore(const Clock& clock = SystemClock::instance(),
                                  std::chrono::seconds ttl = std::chrono::hours(24),
                                  size_t max_entries = 100'000);

  Claim claim(const std::string& key, const std::string& fingerprint) override;
  void complete(const std::string& key, const Response& response) override;
  void release(const std::string& key) override;
  size_t size() const;

 private:
  struct Entry {
    std::string fingerprint;
    TimePoint created;
    bool done = false;
    Response response;
  };
  // Drops expired entries, and with `make_room` the oldest ones until one more fits.
  void evict(TimePoint now, bool make_room);

  const Clock& clock_;
  std::chrono::seconds ttl_;
  size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::pair<TimePoint, std::string>> order_;  // creation order, for expiry/eviction
};

// For POST requests to a matched route that carry `Idempotency-Key` (1-255 visible ASCII
// characters, else 400): the stored response is keyed by the key, method, path and a hash of the
// Authorization header (so two clients never share an entry), and fingerprinted by a SHA-256 of
// query and body. A replay returns the stored response with `Idempotent-Replayed: true`; the same
// key with another body is 422; a duplicate while the first is running is 409 with Retry-After.
// Only 2xx and 4xx responses are stored; after a 5xx or an exception the key can be retried.
Middleware idempotency(IdempotencyStore& store);
// The same, honouring RouteOptions::secret_response of the router's routes.
Middleware idempotency(IdempotencyStore& store, const Router& router);

// --- Metrics -----------------------------------------------------------------------------

// Prometheus metrics per route: http_requests_total{method,route,status},
// http_request_duration_seconds{method,route} and http_requests_in_flight{method,route}.
// Every route gets its slot when this is built, so recording a request costs a few relaxed
// atomics: build it after the routes are added (later routes are counted as route="unmatched").
// Registers itself in metrics::Registry::global() until destroyed.
class HttpMetrics {
 public:
  explicit HttpMetrics(const Router& router);
  ~HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  // The middleware that records into this; it keeps the counters alive on its own.
  Middleware middleware() const;
  // Appends the metric families (what /metrics shows).
  void write(std::string& out) const;

 private:
  struct Slots;
  std::shared_ptr<Slots> slots_;
  uint64_t collector_id_ = 0;
};

}  // namespace atelier::http
