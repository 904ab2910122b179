// The HTTP/1.1 server (keep-alive, limits, timeouts, a bounded worker pool for blocking handlers,
// graceful shutdown) and the built-in routes every Atelier process serves.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "atelier/core/config.hpp"
#include "atelier/core/error.hpp"
#include "atelier/http/middleware.hpp"
#include "atelier/http/router.hpp"

namespace atelier::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;          // 0: any free port (see Server::port())
  unsigned io_threads = 0;       // 0: one per core
  unsigned worker_threads = 8;   // run the routes marked blocking
  unsigned worker_queue = 1024;  // requests waiting for a worker; beyond, 503 + Retry-After
  uint64_t max_body_bytes = 16ull << 20;
  uint32_t max_header_bytes = 16u << 10;
  std::chrono::milliseconds header_timeout{10'000};  // from the first byte of a request
  std::chrono::milliseconds body_timeout{30'000};    // for the whole body, and for each write
  std::chrono::milliseconds idle_timeout{60'000};    // between requests on a keep-alive connection
  std::chrono::milliseconds shutdown_grace{10'000};

  static ServerOptions from(const Config& config);
};

class Server {
 public:
  Server(ServerOptions options, Router router, std::vector<Middleware> middleware);
  // Stops and waits.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the I/O and worker threads; an Error when the address cannot be bound.
  Result<void> start();
  // The bound port (useful with port 0); 0 before start().
  uint16_t port() const;
  // Begins a graceful shutdown and returns: the listening socket is closed (when called from any
  // thread but an I/O thread, it is closed by the time stop() returns), idle connections are
  // closed, requests in flight finish within shutdown_grace and are answered Connection: close.
  // Safe to call more than once, from any thread, handlers included.
  void stop();
  // Blocks until the server has stopped and its threads are joined.
  void wait();
  // stop() on SIGINT or SIGTERM. Call after start().
  void stop_on_signals();

  struct Impl;  // defined in server.cpp, where connections reach it

 private:
  std::unique_ptr<Impl> impl_;
};

// --- Built-in routes ---------------------------------------------------------------------

using ReadinessCheck = std::pair<std::string, std::function<Result<void>()>>;

// GET /health/live: 200 {"status":"ok"} while the process serves HTTP.
// GET /health/ready: runs every check; 200 {"status":"ok","checks":[...]} when all pass, else
// 503 problem+json whose `errors` list each failing check (field: its name).
void add_health_routes(Router& router, std::vector<ReadinessCheck> readiness_checks);

// GET /metrics: Prometheus text format from metrics::Registry::global().
void add_metrics_route(Router& router);

// A handler serving the files under `root` for request.path; mount it as GET "/{*path}".
// Content-Type by extension; ETag and 304; Cache-Control "public, max-age=31536000, immutable"
// under /assets/ (Vite's hashed names) and "no-cache" elsewhere. Never leaves `root`: segments
// starting with '.' (so `..` and dotfiles), and symlinks resolving outside root, are 404. With
// `spa_fallback`, a GET for a path whose last segment has no '.' and that is not under /api/
// serves index.html, so the portal's client-side routes survive a reload.
Handler static_files(std::filesystem::path root, bool spa_fallback);

}  // namespace atelier::http
