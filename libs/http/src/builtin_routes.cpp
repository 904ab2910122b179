// /health/live, /health/ready and /metrics.
#include <exception>

#include "atelier/core/log.hpp"
#include "atelier/core/metrics.hpp"
#include "atelier/http/server.hpp"

namespace atelier::http {

void add_health_routes(Router& router, std::vector<ReadinessCheck> readiness_checks) {
  router.add(Method::kGet, "/health/live",
             [](Request&) { return Response::json(200, std::string(R"({"status":"ok"})")); },
             {.blocking = false, .name = "health.live"});

  // Blocking: checks typically ping a database.
  router.add(Method::kGet, "/health/ready",
             [checks = std::move(readiness_checks)](Request& request) {
               std::vector<FieldError> failures;
               std::string passed;
               for (const auto& [name, check] : checks) {
                 Result<void> result;
                 try {
                   result = check ? check() : Result<void>(Error::internal("no check function"));
                 } catch (const std::exception& e) {
                   result = Error::internal(e.what());
                 }
                 if (result) {
                   passed += passed.empty() ? "\"" : ",\"";
                   log::append_json_escaped(passed, name);
                   passed += '"';
                 } else {
                   failures.push_back({name, result.error().message});
                 }
               }
               if (failures.empty()) {
                 return Response::json(200, R"({"status":"ok","checks":[)" + passed + "]}");
               }
               Error error =
                   Error::unavailable(std::to_string(failures.size()) + " of " +
                                      std::to_string(checks.size()) + " readiness checks failed.");
               error.fields = std::move(failures);
               return Response::problem(error, request);
             },
             {.blocking = true, .name = "health.ready"});
}

void add_metrics_route(Router& router) {
  router.add(Method::kGet, "/metrics",
             [](Request&) {
               return Response::text(200, metrics::Registry::global().render(),
                                     "text/plain; version=0.0.4; charset=utf-8");
             },
             {.blocking = false, .name = "metrics"});
}

}  // namespace atelier::http
