// The composition root: opens each service's database, migrates it, wires the event bus and the
// outbox relays, builds the router and the middleware chain, and runs the HTTP server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atelier/core/config.hpp"
#include "atelier/core/error.hpp"

namespace atelier::app {

class Platform {
 public:
  // Validates the service selection and opens the databases; nothing is served yet.
  static Result<std::unique_ptr<Platform>> open(const Config& config);
  ~Platform();

  // Applies every pending migration of every component of the selected services.
  Result<void> migrate();
  // Starts the relays, the bus and the server; returns once it listens.
  Result<void> start();
  uint16_t port() const;
  std::string url() const;
  // Graceful stop: HTTP first (requests in flight finish), then relays, then the bus.
  void stop();
  // Blocks until SIGINT/SIGTERM has stopped the server, then stops the rest.
  void run_until_signal();
  // Every route served, as "METHOD /pattern" ("GET /api/v1/projects/{id}"), once started.
  const std::vector<std::string>& routes() const;
  // The running service called `name` (what its ServiceModule::install returned), or null. For
  // tests that wait on a service's background work.
  std::shared_ptr<void> service(std::string_view name) const;

  struct Impl;

 private:
  explicit Platform(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace atelier::app
