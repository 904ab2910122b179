#include "atelier/http/middleware.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>

#include "atelier/core/metrics.hpp"
#include "atelier/core/uuid.hpp"

namespace atelier::http {
namespace {

Request make_request(Method method, std::string path) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  return request;
}

const Handler kOk = [](Request&) { return Response::json(200, std::string(R"({"ok":true})")); };

constexpr std::string_view kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Chain, RunsMiddlewareOutermostFirst) {
  std::string order;
  const auto mark = [&order](char c) {
    return Middleware([&order, c](Request& request, const Next& next) {
      order += c;
      Response response = next(request);
      order += static_cast<char>(std::toupper(c));
      return response;
    });
  };
  const std::vector<Middleware> chain{mark('a'), mark('b')};
  Request request = make_request(Method::kGet, "/");
  const Handler handler = [&order](Request&) {
    order += 'h';
    return Response::no_content();
  };
  EXPECT_EQ(run_chain(chain, handler, request).status, 204);
  EXPECT_EQ(order, "abhBA");
}

TEST(Chain, ThrowingHandlerBecomes500ThatMiddlewareStillSees) {
  int seen_status = 0;
  const std::vector<Middleware> chain{[&](Request& request, const Next& next) {
    Response response = next(request);
    seen_status = response.status;
    return response;
  }};
  Request request = make_request(Method::kGet, "/boom");
  request.request_id = "r-1";
  const Handler thrower = [](Request&) -> Response { throw std::runtime_error("boom"); };
  const Response response = run_chain(chain, thrower, request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(seen_status, 500);
  EXPECT_EQ(response.headers.get("Content-Type"), "application/problem+json");
  EXPECT_EQ(boost::json::parse(response.body).at("request_id"), "r-1");
}

TEST(RequestContext, AcceptsWellFormedRequestIds) {
  EXPECT_TRUE(is_valid_request_id("abc-123_X.y"));
  EXPECT_TRUE(is_valid_request_id(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_request_id(""));
  EXPECT_FALSE(is_valid_request_id(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_request_id("has space"));
  EXPECT_FALSE(is_valid_request_id("semi;colon"));
  EXPECT_FALSE(is_valid_request_id("new\nline"));
}

TEST(RequestContext, ParsesTraceparentVersion00) {
  const auto parent = parse_traceparent(kTraceparent);
  ASSERT_TRUE(parent.has_value());
  EXPECT_EQ(parent->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parent->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(parent->flags, "01");
  // Wrong version, uppercase hex, all-zero ids, wrong length, bad separators.
  EXPECT_FALSE(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-"));
  EXPECT_FALSE(parse_traceparent("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent(""));
}

TEST(RequestContext, ContinuesTheTraceWithANewSpan) {
  const std::string next = next_traceparent(kTraceparent);
  const auto parsed = parse_traceparent(next);
  ASSERT_TRUE(parsed.has_value()) << next;
  EXPECT_EQ(parsed->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(parsed->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(parsed->flags, "01");

  const std::string fresh = next_traceparent("garbage");
  const auto started = parse_traceparent(fresh);
  ASSERT_TRUE(started.has_value()) << fresh;
  EXPECT_NE(started->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(next_traceparent(""), next_traceparent(""));
}

TEST(RequestContext, KeepsValidIdsAndGeneratesOthers) {
  const std::vector<Middleware> chain{request_context()};
  std::string seen_id;
  const Handler handler = [&](Request& request) {
    seen_id = request.request_id;
    return Response::no_content();
  };

  Request given = make_request(Method::kGet, "/");
  given.headers.add("X-Request-Id", "client-42");
  given.headers.add("traceparent", std::string(kTraceparent));
  Response response = run_chain(chain, handler, given);
  EXPECT_EQ(seen_id, "client-42");
  EXPECT_EQ(response.headers.get("X-Request-Id"), "client-42");
  const auto trace = parse_traceparent(response.headers.get("traceparent"));
  ASSERT_TRUE(trace.has_value());
  EXPECT_EQ(trace->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");

  Request bad = make_request(Method::kGet, "/");
  bad.headers.add("X-Request-Id", "no spaces allowed");
  response = run_chain(chain, handler, bad);
  const auto uuid = Uuid::parse(seen_id);
  ASSERT_TRUE(uuid.has_value()) << seen_id;
  EXPECT_EQ(uuid->version(), 7);
  EXPECT_EQ(response.headers.get("X-Request-Id"), seen_id);
  EXPECT_TRUE(parse_traceparent(response.headers.get("traceparent")).has_value());
}

TEST(SecurityHeaders, AddsDefaultsCspForHtmlAndNoStoreForApi) {
  const std::vector<Middleware> chain{security_headers()};
  Request api = make_request(Method::kGet, "/api/v1/projects");
  Response response = run_chain(chain, kOk, api);
  EXPECT_EQ(response.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.headers.get("X-Frame-Options"), "DENY");
  EXPECT_EQ(response.headers.get("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  EXPECT_FALSE(response.headers.contains("Content-Security-Policy"));

  Request page = make_request(Method::kGet, "/index.html");
  const Handler html = [](Request&) {
    Response r = Response::text(200, "<html></html>", "text/html; charset=utf-8");
    r.headers.set("Cache-Control", "no-cache");
    return r;
  };
  response = run_chain(chain, html, page);
  EXPECT_NE(response.headers.get("Content-Security-Policy").find("default-src 'self'"),
            std::string_view::npos);
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-cache");
}

TEST(Cors, AnswersPreflightFromAllowedOrigin) {
  const std::vector<Middleware> chain{cors({"https://app.example.com"})};
  Request preflight = make_request(Method::kOptions, "/api/v1/tasks");
  preflight.headers.add("Origin", "https://app.example.com");
  preflight.headers.add("Access-Control-Request-Method", "PATCH");
  bool handler_ran = false;
  const Handler handler = [&](Request&) {
    handler_ran = true;
    return Response::no_content();
  };
  const Response response = run_chain(chain, handler, preflight);
  EXPECT_FALSE(handler_ran);
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_NE(response.headers.get("Access-Control-Allow-Methods").find("PATCH"),
            std::string_view::npos);
  EXPECT_NE(response.headers.get("Access-Control-Allow-Headers").find("Idempotency-Key"),
            std::string_view::npos);
  EXPECT_EQ(response.headers.get("Access-Control-Max-Age"), "600");
  EXPECT_EQ(response.headers.get("Vary"), "Origin");
}

TEST(Cors, DecoratesSimpleRequestsAndIgnoresOtherOrigins) {
  const std::vector<Middleware> chain{cors({"https://app.example.com"})};
  Request simple = make_request(Method::kGet, "/api/v1/tasks");
  simple.headers.add("Origin", "https://app.example.com");
  Response response = run_chain(chain, kOk, simple);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(response.headers.get("Vary"), "Origin");

  Request stranger = make_request(Method::kOptions, "/api/v1/tasks");
  stranger.headers.add("Origin", "https://evil.example.com");
  stranger.headers.add("Access-Control-Request-Method", "DELETE");
  response = run_chain(chain, kOk, stranger);
  EXPECT_EQ(response.status, 200);  // passed through to the handler
  for (const auto& [name, value] : response.headers) {
    EXPECT_FALSE(name.starts_with("Access-Control-")) << name;
  }
}

TEST(Cors, WildcardAllowsAnyOrigin) {
  const std::vector<Middleware> chain{cors({"*"})};
  Request request = make_request(Method::kGet, "/x");
  request.headers.add("Origin", "http://localhost:5173");
  const Response response = run_chain(chain, kOk, request);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), "http://localhost:5173");
}

TEST(HttpMetrics, CountsByRouteAndStatus) {
  Router router;
  router.add(Method::kGet, "/api/v1/things/{id}", [](Request&) { return Response::no_content(); });
  HttpMetrics metrics(router);
  const std::vector<Middleware> chain{metrics.middleware()};
  for (int i = 0; i < 3; ++i) {
    Request request = make_request(Method::kGet, "/api/v1/things/7");
    router.match(request);
    run_chain(chain, router.routes()[0].handler, request);
  }
  Request unmatched = make_request(Method::kGet, "/nowhere");
  router.match(unmatched);
  run_chain(
      chain, [](Request&) { return Response::text(404, "no"); }, unmatched);

  std::string out;
  metrics.write(out);
  EXPECT_NE(out.find("http_requests_total{method=\"GET\",route=\"/api/v1/things/{id}\","
                     "status=\"204\"} 3\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("http_requests_total{method=\"\",route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/"
                     "things/{id}\"} 3\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("http_requests_in_flight{method=\"GET\",route=\"/api/v1/things/{id}\"} 0\n"),
            std::string::npos)
      << out;
  // Registered globally while alive.
  EXPECT_NE(metrics::Registry::global().render().find("http_requests_total"), std::string::npos);
}

}  // namespace
}  // namespace atelier::http
