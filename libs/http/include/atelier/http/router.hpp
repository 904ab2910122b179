// Maps a method and a decoded path to a handler. Patterns are literal segments, `{name}`
// segments and a trailing catch-all `{*name}`; literal segments win over parameters, which win
// over a catch-all, and the search backtracks, so `/users/me` and `/users/{id}` coexist.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "atelier/http/request.hpp"
#include "atelier/http/response.hpp"

namespace atelier::http {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  // true: the middleware chain and handler run on the worker pool (they may block on a database
  // or a file). false: they run on the I/O thread, for handlers that only compute a small answer.
  bool blocking = true;
  std::string name;  // optional label for logs
  // Routes under /api/ need credentials (see http::authenticate) unless this is set: sign-up,
  // log-in, token endpoints.
  bool anonymous = false;
  // The success response carries a secret shown once (tokens, API keys, invitation links). The
  // Idempotency-Key store never keeps it: a repeat of the key gets 409 instead of a replay.
  bool secret_response = false;
  // Uploads: the request body is written to a temporary file in `dir` (the system's temporary
  // folder when empty) as it arrives, hashed with SHA-256 on the way, and handed to the handler as
  // Request::upload; at most `limit` bytes (413 beyond), instead of the server's max_body_bytes.
  // A body that does not arrive whole leaves nothing behind and never reaches the handler.
  struct StreamBody {
    uint64_t limit = 0;
    std::filesystem::path dir;
  };
  std::optional<StreamBody> stream_body = std::nullopt;

  // Shorthand for {.blocking = false}, which GCC 12 flags under -Wmissing-field-initializers.
  static RouteOptions non_blocking(std::string route_name = {}) {
    RouteOptions options;
    options.blocking = false;
    options.name = std::move(route_name);
    return options;
  }
  RouteOptions with_secret_response() && {
    secret_response = true;
    return std::move(*this);
  }
  RouteOptions with_streamed_body(uint64_t limit, std::filesystem::path dir = {}) && {
    stream_body = StreamBody{limit, std::move(dir)};
    return std::move(*this);
  }
  static RouteOptions public_route(std::string route_name = {}) {
    RouteOptions options;
    options.anonymous = true;
    options.name = std::move(route_name);
    return options;
  }
};

struct Route {
  Method method = Method::kGet;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  int id = -1;                           // index in Router::routes()
  std::vector<std::string> param_names;  // in pattern order
};

struct RouteMatch {
  const Route* route = nullptr;  // null when no route matched
  uint32_t allowed = 0;          // on 405: bit (1 << Method) for each method the path accepts

  // 200 when a route matched, 405 when the path exists for other methods, 404 otherwise.
  int status() const { return route != nullptr ? 200 : allowed != 0 ? 405 : 404; }
  // The Allow header value for a 405: "GET, HEAD, POST".
  std::string allow() const;
};

class Router {
 public:
  // Throws std::invalid_argument for a malformed or duplicate pattern: routes are declared at
  // start-up, where failing loudly beats serving a half-registered API.
  Router& add(Method method, std::string pattern, Handler handler, RouteOptions options = {});

  // Matches `path` (decoded, starting with '/'). On success `params` holds offsets into `path`.
  // HEAD falls back to the GET route of the same path.
  RouteMatch match(Method method, std::string_view path, PathParams& params) const;
  // Matches request.method and request.path, and sets request.route, route_id and params.
  RouteMatch match(Request& request) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Node {
    Node() {
      routes.fill(-1);
      catch_all.fill(-1);
    }
    std::vector<std::pair<std::string, uint32_t>> literals;  // segment text -> node index
    int32_t param_child = -1;
    std::array<int32_t, kMethodCount> routes;     // route id per method ending here
    std::array<int32_t, kMethodCount> catch_all;  // route id per method of a `{*x}` here
  };
  struct Search;

  bool search(uint32_t node, size_t pos, Search& state) const;
  bool accept(const std::array<int32_t, kMethodCount>& table, Search& state) const;

  std::vector<Node> nodes_ = std::vector<Node>(1);
  std::vector<Route> routes_;
};

}  // namespace atelier::http
