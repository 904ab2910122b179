// The server with the full middleware chain, through raw sockets and through http::Client.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "atelier/http/client.hpp"
#include "atelier/http/etag.hpp"
#include "test_server.hpp"

namespace atelier::http::testing {
namespace {

namespace fs = std::filesystem;

// The routes and chain an Atelier process typically runs, with a few routes for the tests.
class FullServer : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(
        Method::kGet, "/echo/{n}",
        [](Request& request) {
          return Response::json(200, "{\"n\":\"" + std::string(request.param("n")) + "\"}");
        },
        RouteOptions::non_blocking());
    router_.add(Method::kGet, "/whoami",
                [](Request& request) { return Response::text(200, request.remote_address); });
    router_.add(Method::kPost, "/api/v1/orders", [this](Request& request) {
      const int n = ++orders_;
      Response response = Response::json(
          201, "{\"order\":" + std::to_string(n) + ",\"body\":" + request.body + "}");
      response.headers.set("Location", "/api/v1/orders/" + std::to_string(n));
      return response;
    });
    router_.add(Method::kGet, "/wait", [this](Request&) {
      released_.wait();
      return Response::no_content();
    });
    add_health_routes(
        router_, {{"database", [] { return Result<void>(); }},
                  {"object-store", [] { return Result<void>(Error::unavailable("disk full")); }}});
    add_metrics_route(router_);
    metrics_ = std::make_unique<HttpMetrics>(router_);
    chain_ = {request_context(),  access_log(true),           metrics_->middleware(),
              security_headers(), cors({"http://localhost"}), idempotency(store_)};
    server_ = std::make_unique<TestServer>(router_, chain_);
  }

  void TearDown() override {
    gate_.set_value();
    server_.reset();
  }

  uint16_t port() const { return server_->port(); }

  Router router_;
  std::atomic<int> orders_{0};
  std::promise<void> gate_;
  std::shared_future<void> released_ = gate_.get_future().share();
  MemoryIdempotencyStore store_;
  std::unique_ptr<HttpMetrics> metrics_;
  std::vector<Middleware> chain_;
  std::unique_ptr<TestServer> server_;
};

std::string get(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

TEST_F(FullServer, KeepAliveServesManyRequestsOnOneConnection) {
  RawConnection connection(port());
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(connection.send(get("/echo/" + std::to_string(i))));
    const auto response = connection.read_response();
    ASSERT_TRUE(response.has_value()) << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "{\"n\":\"" + std::to_string(i) + "\"}");
    EXPECT_EQ(response->header("Server"), "atelier");
    EXPECT_EQ(response->header("Date").size(), 29u);
    EXPECT_EQ(response->header("Content-Type"), "application/json");
    EXPECT_FALSE(response->header("X-Request-Id").empty());
    EXPECT_EQ(response->header("X-Content-Type-Options"), "nosniff");
  }
  EXPECT_FALSE(connection.closed());
}

TEST_F(FullServer, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send(get("/echo/a") + get("/whoami") + get("/echo/c")));
  const auto a = connection.read_response();
  const auto who = connection.read_response();
  const auto c = connection.read_response();
  ASSERT_TRUE(a && who && c);
  EXPECT_EQ(a->body, R"({"n":"a"})");
  EXPECT_TRUE(who->body.starts_with("127.0.0.1:")) << who->body;
  EXPECT_EQ(c->body, R"({"n":"c"})");
}

TEST_F(FullServer, Http10ConnectionIsClosedAfterTheResponse) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("GET /echo/1 HTTP/1.0\r\n\r\n"));
  const auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.wait_closed());
}

TEST_F(FullServer, HeadSendsHeadersWithoutBody) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("HEAD /echo/12345 HTTP/1.1\r\nHost: test\r\n\r\n"));
  const auto head = connection.read_response(5s, /*head_request=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), std::to_string(std::string(R"({"n":"12345"})").size()));
  // Had a body followed, it would be read here as a malformed response.
  ASSERT_TRUE(connection.send(get("/echo/2")));
  const auto next = connection.read_response();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, R"({"n":"2"})");
}

TEST_F(FullServer, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  const auto missing = raw_exchange(port(), get("/nowhere"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->header("Content-Type"), "application/problem+json");
  EXPECT_FALSE(missing->header("X-Request-Id").empty());

  const auto wrong = raw_exchange(port(), "DELETE /echo/1 HTTP/1.1\r\nHost: test\r\n\r\n");
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->header("Allow"), "GET, HEAD");

  const auto options = raw_exchange(port(), "OPTIONS /echo/1 HTTP/1.1\r\nHost: test\r\n\r\n");
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->status, 204);
  EXPECT_EQ(options->header("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(FullServer, CorsPreflightIsAnsweredBeforeRouting) {
  const auto response =
      raw_exchange(port(),
                   "OPTIONS /api/v1/orders HTTP/1.1\r\nHost: test\r\nOrigin: http://localhost\r\n"
                   "Access-Control-Request-Method: POST\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->header("Access-Control-Allow-Origin"), "http://localhost");
}

TEST_F(FullServer, RequestIdAndTraceAreEchoed) {
  const auto response =
      raw_exchange(port(),
                   "GET /echo/1 HTTP/1.1\r\nHost: test\r\nX-Request-Id: abc.123\r\n"
                   "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->header("X-Request-Id"), "abc.123");
  const auto trace = parse_traceparent(response->header("traceparent"));
  ASSERT_TRUE(trace.has_value());
  EXPECT_EQ(trace->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_F(FullServer, SixtyFourClientsOfFiftyRequestsAllGetTheirAnswers) {
  constexpr int kClients = 64;
  constexpr int kRequests = 50;
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      RawConnection connection(port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string n = std::to_string(c) + "-" + std::to_string(i);
        // Alternate inline and worker-pool routes.
        const std::string path = i % 2 == 0 ? "/echo/" + n : "/whoami";
        if (!connection.send(get(path))) {
          return;
        }
        const auto response = connection.read_response(10s);
        if (!response || response->status != 200) {
          return;
        }
        const bool right = i % 2 == 0 ? response->body == "{\"n\":\"" + n + "\"}"
                                      : response->body.starts_with("127.0.0.1:");
        if (right) {
          ++good;
        }
      }
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  EXPECT_EQ(good.load(), kClients * kRequests);
}

TEST_F(FullServer, ClientReusesPooledConnections) {
  Client client;
  const auto first = client.request(Method::kGet, server_->url("/whoami"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->status, 200);
  for (int i = 0; i < 20; ++i) {
    const auto again = client.request(Method::kGet, server_->url("/whoami"));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->body, first->body) << "a new connection was opened";
  }
}

TEST_F(FullServer, ClientSendsBodiesAndHeaders) {
  Client client;
  Headers headers;
  headers.add("Content-Type", "application/json");
  headers.add("Idempotency-Key", "client-key-1");
  const auto created =
      client.request(Method::kPost, server_->url("/api/v1/orders"), headers, R"({"qty":1})");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->status, 201);
  EXPECT_EQ(created->headers.get("Location"), "/api/v1/orders/1");
  EXPECT_EQ(created->headers.get("Cache-Control"), "no-store");
  EXPECT_EQ(boost::json::parse(created->body).at("body").at("qty"), 1);
}

TEST_F(FullServer, ClientReportsTimeoutsAndUnreachablePeers) {
  Client client;
  const auto slow = client.request(Method::kGet, server_->url("/wait"), {}, {}, 200ms);
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code, ErrorCode::kTimeout);

  const uint16_t closed_port = [] {
    TestServer gone(Router{});
    return gone.port();
  }();
  const auto refused =
      client.request(Method::kGet, "http://127.0.0.1:" + std::to_string(closed_port) + "/");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);

  EXPECT_EQ(client.request(Method::kGet, "https://example.com/").error().code,
            ErrorCode::kBadRequest);
  EXPECT_EQ(client.request(Method::kGet, "not a url").error().code, ErrorCode::kBadRequest);
}

TEST_F(FullServer, ManyThreadsShareOneClient) {
  Client client;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string n = std::to_string(t * 100 + i);
        const auto response = client.request(Method::kGet, server_->url("/echo/" + n));
        if (response.ok() && response->body == "{\"n\":\"" + n + "\"}") {
          ++good;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(good.load(), 400);
}

TEST_F(FullServer, IdempotencyKeyReplaysThroughTheServer) {
  const std::string request =
      "POST /api/v1/orders HTTP/1.1\r\nHost: test\r\nIdempotency-Key: order-77\r\n"
      "Content-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"qty\":2}";
  const auto first = raw_exchange(port(), request);
  const auto second = raw_exchange(port(), request);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(orders_.load(), 1);
  EXPECT_EQ(first->status, 201);
  EXPECT_EQ(second->status, 201);
  EXPECT_EQ(second->body, first->body);
  EXPECT_EQ(second->header("Location"), first->header("Location"));
  EXPECT_EQ(first->header("Idempotent-Replayed"), "");
  EXPECT_EQ(second->header("Idempotent-Replayed"), "true");

  std::string changed = request;
  changed.replace(changed.find("{\"qty\":2}"), 9, "{\"qty\":3}");
  const auto conflict = raw_exchange(port(), changed);
  ASSERT_TRUE(conflict.has_value());
  EXPECT_EQ(conflict->status, 422);
}

TEST_F(FullServer, ReadinessListsFailingChecks) {
  const auto live = raw_exchange(port(), get("/health/live"));
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->status, 200);
  EXPECT_EQ(live->body, R"({"status":"ok"})");

  const auto ready = raw_exchange(port(), get("/health/ready"));
  ASSERT_TRUE(ready.has_value());
  EXPECT_EQ(ready->status, 503);
  const boost::json::value body = boost::json::parse(ready->body);
  const auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("field"), "object-store");
  EXPECT_EQ(errors[0].at("message"), "disk full");
}

TEST_F(FullServer, MetricsCountRequestsByRouteAndStatus) {
  RawConnection connection(port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(connection.send(get("/echo/" + std::to_string(i))));
    ASSERT_TRUE(connection.read_response().has_value());
  }
  ASSERT_TRUE(connection.send(get("/nowhere")));
  ASSERT_TRUE(connection.read_response().has_value());
  ASSERT_TRUE(connection.send(get("/metrics")));
  const auto metrics = connection.read_response();
  ASSERT_TRUE(metrics.has_value());
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics->body;
  EXPECT_NE(text.find("http_requests_total{method=\"GET\",route=\"/echo/{n}\",status=\"200\"} 5\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_requests_total{method=\"\",route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_request_duration_seconds_bucket{method=\"GET\",route=\"/echo/{n}\""),
            std::string::npos);
  EXPECT_NE(text.find("http_connections_open"), std::string::npos);
}

// Ten requests are running when stop() is called: they all finish, new connections are refused,
// and an idle keep-alive connection is closed.
TEST(ServerShutdown, InFlightRequestsCompleteAndNewConnectionsAreRefused) {
  std::mutex mutex;
  std::condition_variable changed;
  int running = 0;
  bool release = false;
  Router router;
  router.add(Method::kGet, "/slow", [&](Request&) {
    std::unique_lock lock(mutex);
    ++running;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
    return Response::text(200, "done");
  });
  router.add(
      Method::kGet, "/fast", [](Request&) { return Response::text(200, "fast"); },
      RouteOptions::non_blocking());
  ServerOptions options = test_options();
  options.worker_threads = 10;
  options.shutdown_grace = 10s;
  Server server(options, std::move(router), {});
  ASSERT_TRUE(server.start().ok());
  const uint16_t port = server.port();

  RawConnection idle(port);
  ASSERT_TRUE(idle.send(get("/fast")));
  ASSERT_TRUE(idle.read_response().has_value());

  std::vector<std::optional<RawResponse>> responses(10);
  std::vector<std::thread> clients;
  for (size_t i = 0; i < responses.size(); ++i) {
    clients.emplace_back([&, i] {
      RawConnection connection(port);
      if (connection.send(get("/slow"))) {
        responses[i] = connection.read_response(20s);
      }
    });
  }
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return running == 10; }));
  }

  server.stop();
  EXPECT_FALSE(RawConnection(port).connected()) << "accepted a connection after stop()";
  EXPECT_TRUE(idle.wait_closed());
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  for (auto& t : clients) {
    t.join();
  }
  server.wait();
  for (const auto& response : responses) {
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "done");
    EXPECT_EQ(response->header("Connection"), "close");
  }
}

class StaticOverHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("atelier-web-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<!doctype html><div id=app></div>";
    big_ = std::string(3 << 20, 'x');
    for (size_t i = 0; i < big_.size(); i += 4096) {
      big_[i] = static_cast<char>('a' + (i / 4096) % 26);
    }
    std::ofstream(root_ / "assets" / "big.0a1b.js", std::ios::binary) << big_;
    Router router;
    router.add(Method::kGet, "/api/v1/ping", [](Request&) { return Response::no_content(); });
    router.add(Method::kGet, "/{*path}", static_files(root_, true));
    server_ = std::make_unique<TestServer>(std::move(router),
                                           std::vector<Middleware>{security_headers()});
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(root_);
  }

  fs::path root_;
  std::string big_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(StaticOverHttp, StreamsFilesAndAnswers304) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.send(get("/assets/big.0a1b.js")));
  const auto file = connection.read_response(20s);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(file->header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_TRUE(file->body == big_) << "body differs, " << file->body.size() << " bytes";
  const std::string etag = file->header("ETag");
  ASSERT_FALSE(etag.empty());

  ASSERT_TRUE(connection.send(
      "GET /assets/big.0a1b.js HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n"));
  const auto cached = connection.read_response();
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->status, 304);
  EXPECT_EQ(cached->body, "");

  ASSERT_TRUE(connection.send("HEAD /assets/big.0a1b.js HTTP/1.1\r\nHost: t\r\n\r\n"));
  const auto head = connection.read_response(5s, true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->header("Content-Length"), std::to_string(big_.size()));
}

TEST_F(StaticOverHttp, SpaRoutesGetIndexAndApiMissesGet404) {
  const auto page = raw_exchange(server_->port(), get("/projects/42/planning"));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "<!doctype html><div id=app></div>");
  EXPECT_EQ(page->header("Cache-Control"), "no-cache");
  EXPECT_FALSE(page->header("Content-Security-Policy").empty());

  const auto api = raw_exchange(server_->port(), get("/api/v1/nothing"));
  ASSERT_TRUE(api.has_value());
  EXPECT_EQ(api->status, 404);
  const auto escape = raw_exchange(server_->port(), get("/%2e%2e/%2e%2e/etc/passwd"));
  ASSERT_TRUE(escape.has_value());
  EXPECT_EQ(escape->status, 404);
}

// Garbage on fresh connections: every one gets a 4xx problem (or 501/505) or a clean close, and
// the server keeps serving.
TEST(ServerFuzz, GarbageNeverCrashesOrHangsTheServer) {
  Router router;
  add_health_routes(router, {});
  ServerOptions options = test_options();
  options.header_timeout = 1s;
  options.body_timeout = 1s;
  TestServer server(std::move(router), {request_context()}, options);

  std::mt19937 rng(20240611);
  const auto random_int = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const std::vector<std::string> seeds{
      "GET /fuzz HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /fuzz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
      "POST /fuzz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "GET /fuzz?a=%20&b HTTP/1.0\r\nX-Request-Id: abc\r\ntraceparent: 00-x\r\n\r\n",
  };
  const std::string alphabet = "GETPOST /:%0123456789abcdefHTTP\r\n\t\x01\x7f\xff-;,=\"";
  int answered = 0;
  for (int i = 0; i < 500; ++i) {
    std::string input;
    switch (i % 3) {
      case 0: {
        const int size = random_int(1, 512);
        for (int b = 0; b < size; ++b) {
          input.push_back(static_cast<char>(random_int(0, 255)));
        }
        break;
      }
      case 1: {
        input = seeds[static_cast<size_t>(random_int(0, static_cast<int>(seeds.size()) - 1))];
        const int edits = random_int(1, 6);
        for (int e = 0; e < edits && !input.empty(); ++e) {
          const size_t at = static_cast<size_t>(random_int(0, static_cast<int>(input.size()) - 1));
          const char c =
              alphabet[static_cast<size_t>(random_int(0, static_cast<int>(alphabet.size()) - 1))];
          switch (random_int(0, 2)) {
            case 0:
              input[at] = c;
              break;
            case 1:
              input.insert(at, 1, c);
              break;
            default:
              input.erase(at, 1);
              break;
          }
        }
        break;
      }
      default: {
        input = "GET /fuzz HTTP/1.1\r\n";
        const int lines = random_int(0, 8);
        for (int l = 0; l < lines; ++l) {
          const int size = random_int(0, 40);
          for (int b = 0; b < size; ++b) {
            input.push_back(alphabet[static_cast<size_t>(
                random_int(0, static_cast<int>(alphabet.size()) - 1))]);
          }
          input += "\r\n";
        }
        input += "\r\n";
      }
    }
    RawConnection connection(server.port());
    ASSERT_TRUE(connection.connected()) << "case " << i;
    connection.send(input);
    connection.shutdown_send();
    auto response = connection.read_response(5s);
    while (response && response->status == 100) {
      response = connection.read_response(5s);
    }
    if (response) {
      ++answered;
      const bool client_error = response->status >= 400 && response->status < 500;
      EXPECT_TRUE(client_error || response->status == 501 || response->status == 505)
          << "case " << i << " got " << response->status;
      EXPECT_FALSE(response->body.empty()) << "case " << i;
    } else {
      EXPECT_TRUE(connection.closed()) << "case " << i << ": neither an answer nor a close";
    }
  }
  EXPECT_GT(answered, 100);
  const auto live = raw_exchange(server.port(), get("/health/live"));
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->status, 200);
}

}  // namespace
}  // namespace atelier::http::testing
