// The server against clients that misbehave: malformed, oversized, slow, or too many at once.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "test_server.hpp"

namespace atelier::http::testing {
namespace {

Router limit_routes() {
  Router router;
  router.add(
      Method::kGet, "/ok", [](Request&) { return Response::json(200, std::string("{}")); },
      RouteOptions::non_blocking());
  router.add(Method::kPost, "/upload", [](Request& request) {
    return Response::json(200, "{\"bytes\":" + std::to_string(request.body.size()) + "}");
  });
  router.add(Method::kGet, "/throw",
             [](Request&) -> Response { throw std::runtime_error("handler bug"); });
  return router;
}

void expect_problem(const RawResponse& response, int status) {
  EXPECT_EQ(response.status, status);
  EXPECT_EQ(response.header("Content-Type"), "application/problem+json");
  const boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("status"), status);
  EXPECT_TRUE(body.at("type").as_string().starts_with("/problems/"));
}

TEST(ServerLimits, MalformedRequestLineIs400WithProblemBody) {
  TestServer server(limit_routes());
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("NOT A REQUEST\r\n\r\n"));
  const auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 400);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_FALSE(response->header("X-Request-Id").empty());
  EXPECT_TRUE(connection.wait_closed());
}

TEST(ServerLimits, MalformedHeaderIs400) {
  TestServer server(limit_routes());
  const auto response =
      raw_exchange(server.port(), "GET /ok HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 400);
}

TEST(ServerLimits, BadPathEscapeIs400) {
  TestServer server(limit_routes());
  const auto response = raw_exchange(server.port(), "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 400);
  const auto nul = raw_exchange(server.port(), "GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(nul.has_value());
  expect_problem(*nul, 400);
}

TEST(ServerLimits, MissingHostOnHttp11Is400) {
  TestServer server(limit_routes());
  const auto response = raw_exchange(server.port(), "GET /ok HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 400);
}

TEST(ServerLimits, UnsupportedVersionAndTransferEncoding) {
  TestServer server(limit_routes());
  const auto version = raw_exchange(server.port(), "GET /ok HTTP/2.0\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(version.has_value());
  expect_problem(*version, 505);
  const auto gzip = raw_exchange(
      server.port(), "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nxx");
  ASSERT_TRUE(gzip.has_value());
  expect_problem(*gzip, 501);
  const auto both = raw_exchange(server.port(),
                                 "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  ASSERT_TRUE(both.has_value());
  expect_problem(*both, 400);
}

TEST(ServerLimits, OversizedContentLengthIs413BeforeTheBodyIsSent) {
  TestServer server(limit_routes());
  RawConnection connection(server.port());
  // The body is never sent: the answer must not wait for it.
  ASSERT_TRUE(
      connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  const auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 413);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.wait_closed());
}

TEST(ServerLimits, ChunkedBodyOverLimitIs413) {
  TestServer server(limit_routes());  // max_body_bytes = 64 KiB
  RawConnection connection(server.port());
  std::string request = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) {
    request += "4000\r\n" + std::string(0x4000, 'a') + "\r\n";
  }
  request += "0\r\n\r\n";
  ASSERT_TRUE(connection.send(request));
  const auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 413);
}

TEST(ServerLimits, ChunkedBodyWithinLimitIsAssembled) {
  TestServer server(limit_routes());
  const auto response =
      raw_exchange(server.port(),
                   "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"bytes":11})");
}

TEST(ServerLimits, ExpectContinueIsHonoured) {
  TestServer server(limit_routes());
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  const auto go_on = connection.read_response();
  ASSERT_TRUE(go_on.has_value());
  EXPECT_EQ(go_on->status, 100);
  ASSERT_TRUE(connection.send("hello"));
  const auto done = connection.read_response();
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->status, 200);
  EXPECT_EQ(done->body, R"({"bytes":5})");
}

TEST(ServerLimits, HugeHeaderIs431) {
  TestServer server(limit_routes());  // max_header_bytes = 8 KiB
  const auto response =
      raw_exchange(server.port(),
                   "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 431);
}

TEST(ServerLimits, SlowlorisHeaderIsCutAtTheDeadline) {
  ServerOptions options = test_options();
  options.header_timeout = 300ms;
  TestServer server(limit_routes(), {}, options);
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /ok HTTP/1.1\r\n"));
  // One byte every 50 ms for up to 5 s: each byte must not push the deadline back.
  const std::string trickle = "X-Slow: " + std::string(100, 'a');
  size_t sent = 0;
  while (sent < trickle.size() && !connection.readable(50ms)) {
    if (!connection.send(trickle.substr(sent, 1))) {
      break;
    }
    ++sent;
  }
  EXPECT_LT(sent, trickle.size()) << "the server waited for the whole trickle";
  const auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 408);
  EXPECT_TRUE(connection.wait_closed());
}

TEST(ServerLimits, SlowBodyIs408) {
  ServerOptions options = test_options();
  options.body_timeout = 300ms;
  TestServer server(limit_routes(), {}, options);
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n"));
  size_t sent = 0;
  while (sent < 200 && !connection.readable(50ms)) {
    if (!connection.send("b")) {
      break;
    }
    ++sent;
  }
  EXPECT_LT(sent, 200u);
  const auto response = connection.read_response();
  ASSERT_TRUE(response.has_value());
  expect_problem(*response, 408);
}

TEST(ServerLimits, IdleKeepAliveConnectionIsClosedSilently) {
  ServerOptions options = test_options();
  options.idle_timeout = 200ms;
  TestServer server(limit_routes(), {}, options);
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(connection.read_response().has_value());
  EXPECT_FALSE(connection.read_response(5s).has_value());  // nothing, not even a 408
  EXPECT_TRUE(connection.closed());
}

TEST(ServerLimits, ThrowingHandlerIs500AndTheConnectionStaysUsable) {
  TestServer server(limit_routes());
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto failed = connection.read_response();
  ASSERT_TRUE(failed.has_value());
  expect_problem(*failed, 500);
  EXPECT_EQ(failed->header("Connection"), "");
  ASSERT_TRUE(connection.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto ok = connection.read_response();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
}

TEST(ServerLimits, FullWorkerPoolAnswers503WithRetryAfter) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Router router;
  router.add(Method::kGet, "/block", [&](Request&) {
    entered.set_value();
    released.wait();
    return Response::json(200, std::string("{}"));
  });
  router.add(Method::kGet, "/quick", [](Request&) { return Response::no_content(); });
  ServerOptions options = test_options();
  options.worker_threads = 1;
  options.worker_queue = 0;  // no waiting room: the second blocking request is refused
  TestServer server(std::move(router), {}, options);

  RawConnection first(server.port());
  ASSERT_TRUE(first.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(entered.get_future().wait_for(10s), std::future_status::ready);

  const auto refused = raw_exchange(server.port(), "GET /quick HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(refused.has_value());
  expect_problem(*refused, 503);
  EXPECT_EQ(refused->header("Retry-After"), "1");

  release.set_value();
  const auto done = first.read_response();
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->status, 200);
  const auto later = raw_exchange(server.port(), "GET /quick HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->status, 204);
}

}  // namespace
}  // namespace atelier::http::testing
