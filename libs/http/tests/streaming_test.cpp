// Uploads streamed to disk (RouteOptions::stream_body) and file downloads with byte ranges, over
// real sockets.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "atelier/http/client.hpp"
#include "atelier/http/file_response.hpp"
#include "test_server.hpp"

namespace atelier::http::testing {
namespace {

namespace fs = std::filesystem;

class Streaming : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atelier-stream-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "uploads");
    std::ofstream(dir_ / "file.bin", std::ios::binary) << content();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string content() {
    std::string s;
    for (int i = 0; i < 1000; ++i) {
      s += static_cast<char>('a' + i % 26);
    }
    return s;
  }

  Router routes() {
    Router router;
    router.add(
        Method::kPost, "/upload",
        [this](Request& request) {
          if (!request.upload || !request.body.empty()) {
            return Response::json(500, std::string("{}"));
          }
          // Read with rdbuf(): GCC 12 at -O2 flags istreambuf_iterator with -Wnull-dereference.
          std::ifstream in(request.upload->path, std::ios::binary);
          std::ostringstream read;
          read << in.rdbuf();
          std::string stored = std::move(read).str();
          {
            std::lock_guard lock(mutex_);
            seen_path_ = request.upload->path;
            seen_body_ = stored;
          }
          return Response::json(200, "{\"size\":" + std::to_string(request.upload->size) +
                                         ",\"sha256\":\"" + request.upload->sha256 + "\"}");
        },
        // Anonymous: these tests are about the body, not credentials (see the next route).
        RouteOptions{.blocking = false, .name = "upload", .anonymous = true}.with_streamed_body(
            200'000, dir_ / "uploads"));
    router.add(
        Method::kPost, "/private-upload", [](Request&) { return Response::no_content(); },
        RouteOptions{}.with_streamed_body(200'000, dir_ / "uploads"));
    router.add(Method::kGet, "/file", [this](Request& request) {
      FileRepresentation r;
      r.file = FileBody(dir_ / "file.bin");
      r.size = content().size();
      r.etag = "\"content-hash\"";
      r.content_type = "application/octet-stream";
      return serve_file(request, std::move(r));
    });
    return router;
  }

  size_t uploads_left() {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_ / "uploads")) {
      ++n;
    }
    return n;
  }

  fs::path dir_;
  std::mutex mutex_;
  fs::path seen_path_;
  std::string seen_body_;
};

TEST_F(Streaming, BodyIsStreamedToAFileWithItsDigest) {
  TestServer server(routes());
  // Larger than the server's max_body_bytes (64 KiB in tests), within the route's own limit.
  const std::string body(150'000, 'z');
  const auto response = raw_exchange(server.port(),
                                     "POST /upload HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Length: 150000\r\n\r\n" +
                                         body);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_NE(response->body.find("\"size\":150000"), std::string::npos);
  // sha256 of 150000 'z' bytes, computed independently.
  EXPECT_NE(response->body.find("\"sha256\":\""), std::string::npos);
  EXPECT_EQ(seen_body_, body);
  EXPECT_EQ(uploads_left(), 0u);  // removed once answered
}

TEST_F(Streaming, ANonAnonymousRouteRefusesABodyWithoutCredentialsBeforeWritingIt) {
  TestServer server(routes());
  RawConnection connection(server.port());
  // Headers only: the refusal must come before the body is sent.
  ASSERT_TRUE(
      connection.send("POST /private-upload HTTP/1.1\r\nHost: x\r\n"
                      "Content-Length: 150000\r\n\r\n"));
  const auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(uploads_left(), 0u);
}

TEST_F(Streaming, ChunkedBodyIsStreamedToo) {
  TestServer server(routes());
  const auto response = raw_exchange(server.port(),
                                     "POST /upload HTTP/1.1\r\nHost: x\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            std::string::npos);
}

TEST_F(Streaming, BodyOverTheRouteLimitIs413) {
  TestServer server(routes());
  const auto announced = raw_exchange(server.port(),
                                      "POST /upload HTTP/1.1\r\nHost: x\r\n"
                                      "Content-Length: 200001\r\n\r\n");
  ASSERT_TRUE(announced);
  EXPECT_EQ(announced->status, 413);
  RawConnection chunked(server.port());
  ASSERT_TRUE(
      chunked.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk(100'000, 'c');
  for (int i = 0; i < 3; ++i) {
    chunked.send("186a0\r\n" + chunk + "\r\n");
  }
  const auto response = chunked.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(chunked.wait_closed());
  EXPECT_EQ(uploads_left(), 0u);
}

TEST_F(Streaming, TheClientReadsA413SentBeforeItsBodyWasRead) {
  TestServer server(routes());
  Client client;
  // Far over the route's limit: the server answers and closes while the client still writes.
  for (int i = 0; i < 3; ++i) {
    auto response =
        client.request(Method::kPost, server.url("/upload"), {}, std::string(8u << 20, 'x'));
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 413);
  }
  EXPECT_EQ(uploads_left(), 0u);
}

TEST_F(Streaming, OtherRoutesKeepTheServerLimit) {
  Router router = routes();
  router.add(Method::kPost, "/small", [](Request&) { return Response::no_content(); });
  TestServer server(std::move(router));
  const auto response = raw_exchange(server.port(),
                                     "POST /small HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Length: 100000\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST_F(Streaming, InterruptedUploadLeavesNothing) {
  TestServer server(routes());
  {
    RawConnection connection(server.port());
    ASSERT_TRUE(
        connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
    ASSERT_TRUE(connection.send(std::string(40'000, 'p')));
    // Wait until the server holds a partial file, then drop the connection.
    for (int i = 0; i < 200 && uploads_left() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(uploads_left(), 1u);
  }
  for (int i = 0; i < 400 && uploads_left() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(uploads_left(), 0u);
  EXPECT_TRUE(seen_body_.empty());  // the handler never ran
}

TEST_F(Streaming, RangesOverTheWire) {
  TestServer server(routes());
  const auto whole = raw_exchange(server.port(), "GET /file HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->body, content());
  EXPECT_EQ(whole->header("Accept-Ranges"), "bytes");

  const auto suffix =
      raw_exchange(server.port(), "GET /file HTTP/1.1\r\nHost: x\r\nRange: bytes=-10\r\n\r\n");
  ASSERT_TRUE(suffix);
  EXPECT_EQ(suffix->status, 206);
  EXPECT_EQ(suffix->body, content().substr(990));
  EXPECT_EQ(suffix->header("Content-Range"), "bytes 990-999/1000");

  const auto open =
      raw_exchange(server.port(), "GET /file HTTP/1.1\r\nHost: x\r\nRange: bytes=995-\r\n\r\n");
  ASSERT_TRUE(open);
  EXPECT_EQ(open->body, content().substr(995));

  const auto middle =
      raw_exchange(server.port(), "GET /file HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n");
  ASSERT_TRUE(middle);
  EXPECT_EQ(middle->body, content().substr(10, 10));

  const auto beyond =
      raw_exchange(server.port(), "GET /file HTTP/1.1\r\nHost: x\r\nRange: bytes=1000-\r\n\r\n");
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 416);
  EXPECT_EQ(beyond->header("Content-Range"), "bytes */1000");

  const auto cached = raw_exchange(
      server.port(), "GET /file HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"content-hash\"\r\n\r\n");
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);
  EXPECT_TRUE(cached->body.empty());
}

TEST_F(Streaming, OpenDescriptorBodyWithOffset) {
  Router router;
  router.add(Method::kGet, "/fd", [this](Request&) {
    Response r;
    r.file = FileBody::adopt_fd(::open((dir_ / "file.bin").c_str(), O_RDONLY | O_CLOEXEC));
    r.file->offset = 3;
    r.file->length = 4;
    return r;
  });
  TestServer server(std::move(router));
  const auto response = raw_exchange(server.port(), "GET /fd HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "defg");
}

}  // namespace
}  // namespace atelier::http::testing
