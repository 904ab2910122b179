#include "platform.hpp"

#include <fstream>
#include <map>

#include "atelier/core/log.hpp"
#include "atelier/db/database.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/bus.hpp"
#include "atelier/events/outbox.hpp"
#include "atelier/http/server.hpp"
#include "idempotency_store.hpp"
#include "services.hpp"
#include "version.hpp"

std::vector<atelier::db::MigrationFile> atelier_platform_migrations();  // generated

namespace atelier::app {

namespace {

// The gateway's own small database: Idempotency-Key responses.
constexpr std::string_view kPlatformDb = "platform";

// Shown at / when the web portal has not been built, so that the printed URL leads somewhere.
constexpr std::string_view kLandingPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Atelier</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:0 .3em}</style></head>
<body><h1>Atelier is running</h1>
<p>The web portal is not built in this directory. The API is under <code>/api/v1</code>;
health at <a href="/health/ready">/health/ready</a>, metrics at <a href="/metrics">/metrics</a>.</p>
</body></html>
)";

struct ServiceRuntime {
  const ServiceModule* module = nullptr;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<events::Relay> relay;
  std::shared_ptr<void> handle;  // the running service's objects
};

// Used when no process-local service verifies credentials: every protected route is refused
// rather than left open.
class NoAuthenticator final : public http::Authenticator {
 public:
  Result<Principal> authenticate(std::string_view) override {
    return Error{ErrorCode::kUnauthenticated,
                 "No identity service runs in this process, so no credentials can be checked.",
                 {},
                 {}};
  }
};

}  // namespace

struct Platform::Impl {
  Config config;
  std::unique_ptr<db::Database> platform_db;
  std::unique_ptr<events::Bus> bus;
  std::vector<ServiceRuntime> services;
  std::unique_ptr<DbIdempotencyStore> idempotency;
  std::unique_ptr<http::HttpMetrics> http_metrics;
  std::unique_ptr<http::Server> server;
  http::Authenticator* authenticator = nullptr;
  NoAuthenticator no_authenticator;
  std::vector<std::string> routes;  // "GET /api/v1/...", once started
  bool started = false;

  // Services go in the reverse order of their start: one may hold another's objects (VisioBook
  // the documents service), which must then outlive it, and every service must stop before the
  // database it works on closes.
  ~Impl() {
    for (auto it = services.rbegin(); it != services.rend(); ++it) {
      it->handle.reset();
    }
  }

  // Every (database, component, migrations) triple the selected services need.
  Result<void> migrate_all() {
    auto run = [&](db::Database& db, std::string_view component,
                   const std::vector<db::MigrationFile>& files) -> Result<void> {
      auto selected = db::select_migrations(files, db.kind());
      if (!selected) {
        return std::move(selected).error();
      }
      auto report = db::migrate(db, component, *selected);
      if (!report) {
        return std::move(report).error();
      }
      log::info("migrate.done")
          .field("component", component)
          .field("applied", report->applied)
          .field("already", report->already);
      return {};
    };
    if (auto r = run(*platform_db, "platform", atelier_platform_migrations()); !r) {
      return r;
    }
    for (auto& s : services) {
      if (auto r = run(*s.db, "events", events::migrations()); !r) {
        return r;
      }
      if (s.module->migrations) {
        if (auto r = run(*s.db, s.module->name, s.module->migrations()); !r) {
          return r;
        }
      }
    }
    return {};
  }

  Result<http::Router> build_router() {
    http::Router router;
    std::vector<http::ReadinessCheck> checks;
    checks.emplace_back("database:platform", [db = platform_db.get()] { return db->ping(); });
    for (auto& s : services) {
      checks.emplace_back("database:" + s.module->name, [db = s.db.get()] { return db->ping(); });
    }
    http::add_health_routes(router, std::move(checks));
    http::add_metrics_route(router);
    router.add(
        http::Method::kGet, "/api/v1/version",
        [](http::Request&) {
          return http::Response::json(
              200, std::string(R"({"name":"atelier","version":")") + std::string(kVersion) + "\"}");
        },
        http::RouteOptions{.blocking = false, .name = "version", .anonymous = true});
    std::map<std::string, std::shared_ptr<void>> installed;
    for (auto& s : services) {
      ServiceContext context{config, *s.db, *bus, *s.relay, router, authenticator, installed};
      auto handle = s.module->install(context);
      if (!handle) {
        return Error::internal("service " + s.module->name + ": " + handle.error().message);
      }
      s.handle = std::move(handle).value();
      installed.emplace(s.module->name, s.handle);
    }
    if (std::filesystem::exists(config.web_root / "index.html")) {
      router.add(http::Method::kGet, "/{*path}", http::static_files(config.web_root, true),
                 http::RouteOptions{.blocking = true, .name = "web", .anonymous = true});
    } else {
      router.add(
          http::Method::kGet, "/",
          [](http::Request&) {
            return http::Response::text(200, std::string(kLandingPage), "text/html; charset=utf-8");
          },
          http::RouteOptions::non_blocking("landing"));
    }
    return router;
  }
};

Platform::Platform(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Platform::~Platform() {
  stop();
}

Result<std::unique_ptr<Platform>> Platform::open(const Config& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  for (const auto& name : config.services) {
    bool known = false;
    for (const auto& m : known_services()) {
      known = known || m.name == name;
    }
    if (!known) {
      std::string list;
      for (const auto& m : known_services()) {
        list += (list.empty() ? "" : ", ") + m.name;
      }
      return Error::invalid("services: unknown service '" + name +
                            "' (known: " + (list.empty() ? std::string("none yet") : list) + ")");
    }
  }
  if (config.database == DatabaseKind::kSqlite) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
      return Error::invalid("data_dir: cannot create '" + config.data_dir.string() +
                            "': " + ec.message());
    }
  }
  auto platform_db = db::open(db::Options::for_service(config, kPlatformDb));
  if (!platform_db) {
    return Error::unavailable("database " + std::string(kPlatformDb) + ": " +
                              platform_db.error().message);
  }
  impl->platform_db = std::move(platform_db).value();
  impl->bus = events::make_in_process_bus();
  for (const auto& m : known_services()) {
    if (!config.runs_service(m.name)) {
      continue;
    }
    auto db = db::open(db::Options::for_service(config, m.name));
    if (!db) {
      return Error::unavailable("database " + m.name + ": " + db.error().message);
    }
    ServiceRuntime s;
    s.module = &m;
    s.db = std::move(db).value();
    s.relay =
        std::make_unique<events::Relay>(*s.db, *impl->bus, events::RelayOptions{.service = m.name});
    impl->services.push_back(std::move(s));
  }
  return std::unique_ptr<Platform>(new Platform(std::move(impl)));
}

Result<void> Platform::migrate() {
  return impl_->migrate_all();
}

Result<void> Platform::start() {
  auto& p = *impl_;
  auto router = p.build_router();
  if (!router) {
    return std::move(router).error();
  }
  p.idempotency = std::make_unique<DbIdempotencyStore>(*p.platform_db);
  if (auto purged = p.idempotency->purge_expired(); purged && *purged > 0) {
    log::info("idempotency.purged").field("keys", *purged);
  }
  p.http_metrics = std::make_unique<http::HttpMetrics>(*router);
  p.routes.clear();
  for (const auto& route : router->routes()) {
    p.routes.push_back(std::string(http::method_name(route.method)) + " " + route.pattern);
  }
  std::vector<http::Middleware> chain = {
      http::request_context(),
      http::access_log(p.config.access_log),
      p.http_metrics->middleware(),
      http::security_headers(),
      http::cors(p.config.cors_origins),
      http::authenticate(*router,
                         p.authenticator != nullptr ? *p.authenticator : p.no_authenticator),
      http::idempotency(*p.idempotency, *router),
  };
  p.server = std::make_unique<http::Server>(http::ServerOptions::from(p.config),
                                            std::move(router).value(), std::move(chain));
  p.bus->start();
  for (auto& s : p.services) {
    s.relay->start();
  }
  if (auto r = p.server->start(); !r) {
    stop();
    return r;
  }
  p.started = true;
  log::info("atelier.started")
      .field("url", url())
      .field("services", static_cast<uint64_t>(p.services.size()))
      .field("database", p.config.database == DatabaseKind::kSqlite ? "sqlite" : "postgres");
  return {};
}

uint16_t Platform::port() const {
  return impl_->server ? impl_->server->port() : 0;
}

std::string Platform::url() const {
  const std::string& host = impl_->config.listen_host;
  const bool v6 = host.find(':') != std::string::npos;
  const std::string shown = host == "0.0.0.0" ? "127.0.0.1" : host;
  return "http://" + (v6 ? "[" + shown + "]" : shown) + ":" + std::to_string(port());
}

void Platform::stop() {
  auto& p = *impl_;
  if (p.server) {
    p.server->stop();
    p.server->wait();
  }
  for (auto& s : p.services) {
    s.relay->stop();
  }
  if (p.bus) {
    p.bus->stop();
  }
  if (p.started) {
    log::info("atelier.stopped");
    p.started = false;
  }
}

const std::vector<std::string>& Platform::routes() const {
  return impl_->routes;
}

std::shared_ptr<void> Platform::service(std::string_view name) const {
  for (const auto& s : impl_->services) {
    if (s.module->name == name) {
      return s.handle;
    }
  }
  return nullptr;
}

void Platform::run_until_signal() {
  impl_->server->stop_on_signals();
  impl_->server->wait();
  stop();
}

}  // namespace atelier::app
