// The services this binary can run. Each bounded context under services/ contributes one entry;
// `atelier serve --services=a,b` picks among them.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "atelier/db/database.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/bus.hpp"
#include "atelier/events/outbox.hpp"
#include "atelier/http/middleware.hpp"
#include "atelier/http/router.hpp"

namespace atelier::app {

// What a service is given when the process starts it.
struct ServiceContext {
  const Config& config;
  db::Database& db;      // the service's own database (file or schema)
  events::Bus& bus;      // subscribe here, before the bus starts
  events::Relay& relay;  // notify() after committing events, to publish them at once
  http::Router& router;  // add the service's routes here
  // The service that verifies credentials (identity) sets this; the gateway uses it.
  http::Authenticator*& authenticator;
  // The services started before this one in this process, by name (the handles their install
  // returned): in-process adapters of another service's API hold on to them.
  const std::map<std::string, std::shared_ptr<void>>& started;
};

struct ServiceModule {
  std::string name;
  std::function<std::vector<db::MigrationFile>()> migrations;
  // Starts the service; the handle keeps its objects alive until the process stops.
  std::function<Result<std::shared_ptr<void>>(ServiceContext&)> install;
};

// Every service compiled into this binary.
const std::vector<ServiceModule>& known_services();

}  // namespace atelier::app
