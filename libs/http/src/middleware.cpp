// The middleware chain and the stock middleware: request context, access log, security headers
// and CORS. Idempotency and metrics live in their own files.
#include "atelier/http/middleware.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <random>
#include <system_error>

#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"

namespace atelier::http {

namespace {

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool all_zero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

// Span and trace ids need to be unique, not secret: a per-thread generator avoids the shared
// lock that Uuid::v7() takes.
std::mt19937_64& thread_rng() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return rng;
}

void append_random_hex(std::string& out, size_t digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  while (digits > 0) {
    uint64_t bits = thread_rng()();
    for (int i = 0; i < 16 && digits > 0; ++i, --digits) {
      out.push_back(kHex[bits & 0x0f]);
      bits >>= 4;
    }
  }
}

Response internal_error(const Request& request) {
  return Response::problem(Error::internal("The server failed to handle the request."), request);
}

Response invoke(const Handler& handler, Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    log::error("http.handler_failed")
        .field("route", request.route)
        .field("path", request.path)
        .field("error", e.what());
  } catch (...) {
    log::error("http.handler_failed")
        .field("route", request.route)
        .field("path", request.path)
        .field("error", "unknown exception");
  }
  return internal_error(request);
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

uint64_t bytes_out(const Response& response) {
  if (response.file) {
    if (response.file->length) {
      return *response.file->length;
    }
    if (response.file->open) {
      return 0;  // an open file of unknown length: not worth a syscall for the log
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(response.file->path, ec);
    return ec ? 0 : static_cast<uint64_t>(size) - std::min<uint64_t>(size, response.file->offset);
  }
  return response.body.size();
}

void add_vary(Headers& headers, std::string_view token) {
  const std::string_view existing = headers.get("Vary");
  if (existing.empty()) {
    headers.set("Vary", token);
  } else if (existing.find(token) == std::string_view::npos) {
    headers.set("Vary", std::string(existing) + ", " + std::string(token));
  }
}

// 'self' only: the portal is a Vite build with no inline scripts; data:/blob: images cover
// generated previews, and frame-ancestors 'none' is the modern X-Frame-Options.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

constexpr std::string_view kCorsMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr std::string_view kCorsRequestHeaders =
    "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Request-Id, "
    "traceparent";
constexpr std::string_view kCorsExposedHeaders =
    "ETag, Location, Retry-After, X-Request-Id, traceparent, Idempotent-Replayed";

}  // namespace

// --- Chain -------------------------------------------------------------------------------

Response Next::operator()(Request& request) const {
  if (begin_ == end_) {
    return invoke(*handler_, request);
  }
  return (*begin_)(request, Next(begin_ + 1, end_, handler_));
}

Response run_chain(std::span<const Middleware> chain, const Handler& handler, Request& request) {
  return Next(chain.data(), chain.data() + chain.size(), &handler)(request);
}

// --- Request context ---------------------------------------------------------------------

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::optional<TraceParent> parse_traceparent(std::string_view header) {
  // 00-<trace-id:32>-<parent-id:16>-<flags:2>
  if (header.size() != 55 || header.substr(0, 3) != "00-" || header[35] != '-' ||
      header[52] != '-') {
    return std::nullopt;
  }
  const std::string_view trace_id = header.substr(3, 32);
  const std::string_view parent_id = header.substr(36, 16);
  const std::string_view flags = header.substr(53, 2);
  if (!is_lower_hex(trace_id) || !is_lower_hex(parent_id) || !is_lower_hex(flags) ||
      all_zero(trace_id) || all_zero(parent_id)) {
    return std::nullopt;
  }
  return TraceParent{std::string(trace_id), std::string(parent_id), std::string(flags)};
}

std::string next_traceparent(std::string_view incoming) {
  std::string out;
  out.reserve(55);
  out += "00-";
  const auto parent = parse_traceparent(incoming);
  if (parent) {
    out += parent->trace_id;
  } else {
    append_random_hex(out, 32);
  }
  out += '-';
  // A zero span id is invalid; the odds are 2^-64 but the check is free.
  do {
    out.resize(36);
    append_random_hex(out, 16);
  } while (all_zero(std::string_view(out).substr(36, 16)));
  out += '-';
  out += parent ? std::string_view(parent->flags) : std::string_view("01");
  return out;
}

Middleware request_context() {
  return [](Request& request, const Next& next) {
    const std::string_view incoming_id = request.header("X-Request-Id");
    if (is_valid_request_id(incoming_id)) {
      request.request_id.assign(incoming_id);
    } else {
      request.request_id = Uuid::v7().str();
    }
    request.traceparent = next_traceparent(request.header("traceparent"));
    Response response;
    {
      log::RequestScope scope(request.request_id, request.traceparent);
      response = next(request);
    }
    response.headers.set("X-Request-Id", request.request_id);
    response.headers.set("traceparent", request.traceparent);
    return response;
  };
}

// --- Access log and headers --------------------------------------------------------------

Middleware access_log(bool enabled) {
  if (!enabled) {
    return [](Request& request, const Next& next) { return next(request); };
  }
  return [](Request& request, const Next& next) {
    const auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    log::info("http.request")
        .field("method", method_name(request.method))
        .field("path", request.path)
        .field("route", request.route)
        .field("status", response.status)
        .field("duration_us", static_cast<int64_t>(elapsed.count()))
        .field("bytes_out", bytes_out(response))
        .field("remote", request.remote_address);
    return response;
  };
}

Middleware security_headers() {
  return [](Request& request, const Next& next) {
    Response response = next(request);
    Headers& h = response.headers;
    h.set_default("X-Content-Type-Options", "nosniff");
    h.set_default("X-Frame-Options", "DENY");
    h.set_default("Referrer-Policy", "no-referrer");
    if (starts_with_ci(h.get("Content-Type"), "text/html")) {
      h.set_default("Content-Security-Policy", kContentSecurityPolicy);
    }
    if (is_api_path(request.path)) {
      h.set_default("Cache-Control", "no-store");
    }
    return response;
  };
}

Middleware cors(std::vector<std::string> origins) {
  if (origins.empty()) {
    return [](Request& request, const Next& next) { return next(request); };
  }
  const bool any = std::find(origins.begin(), origins.end(), "*") != origins.end();
  return [origins = std::move(origins), any](Request& request, const Next& next) {
    const std::string_view origin = request.header("Origin");
    if (origin.empty() ||
        (!any && std::find(origins.begin(), origins.end(), origin) == origins.end())) {
      return next(request);
    }
    if (request.method == Method::kOptions &&
        request.headers.contains("Access-Control-Request-Method")) {
      Response preflight = Response::no_content();
      preflight.headers.set("Access-Control-Allow-Origin", origin);
      preflight.headers.set("Access-Control-Allow-Methods", kCorsMethods);
      preflight.headers.set("Access-Control-Allow-Headers", kCorsRequestHeaders);
      preflight.headers.set("Access-Control-Max-Age", "600");
      preflight.headers.set("Vary", "Origin");
      return preflight;
    }
    Response response = next(request);
    response.headers.set("Access-Control-Allow-Origin", origin);
    response.headers.set("Access-Control-Expose-Headers", kCorsExposedHeaders);
    add_vary(response.headers, "Origin");
    return response;
  };
}

}  // namespace atelier::http

namespace atelier::http {

Middleware authenticate(const Router& router, Authenticator& authenticator) {
  // Laid out once by route id, so the check per request is an index.
  std::vector<bool> anonymous(router.routes().size(), false);
  for (const auto& route : router.routes()) {
    anonymous[static_cast<size_t>(route.id)] = route.options.anonymous;
  }
  return [anonymous = std::move(anonymous), &authenticator](Request& request,
                                                            const Next& next) -> Response {
    const bool under_api = request.path.rfind("/api/", 0) == 0;
    const bool open =
        request.route_id < 0 || !under_api || anonymous[static_cast<size_t>(request.route_id)];
    const std::string_view authorization = request.header("Authorization");
    if (authorization.empty()) {
      if (open) {
        return next(request);
      }
      Response refused = Response::problem(
          Error{ErrorCode::kUnauthenticated,
                "This endpoint needs credentials: send 'Authorization: Bearer <access token>'.",
                {},
                {}},
          request);
      refused.headers.set("WWW-Authenticate", "Bearer realm=\"atelier\"");
      return refused;
    }
    auto principal = authenticator.authenticate(authorization);
    if (!principal && open) {
      // A public route decides for itself what credentials it takes (the token endpoint reads
      // an OAuth client's Basic header, userinfo answers in OAuth's words): it runs without a
      // principal rather than being refused here.
      return next(request);
    }
    if (!principal) {
      Response refused = Response::problem(principal.error(), request);
      refused.headers.set("WWW-Authenticate", "Bearer realm=\"atelier\", error=\"invalid_token\"");
      return refused;
    }
    request.principal = std::move(principal).value();
    return next(request);
  };
}

}  // namespace atelier::http
