// Helpers for the HTTP tests: a real server on an ephemeral loopback port, and a raw socket
// whose every read is bounded by a timeout, for sending what no well-behaved client would.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/http/request.hpp"
#include "atelier/http/server.hpp"

namespace atelier::http::testing {

using namespace std::chrono_literals;

// 127.0.0.1:0, two I/O threads, four workers, timeouts short enough for tests to provoke them.
ServerOptions test_options();

class TestServer {
 public:
  explicit TestServer(Router router, std::vector<Middleware> middleware = {},
                      ServerOptions options = test_options());
  ~TestServer();

  Server& server() { return *server_; }
  uint16_t port() const { return server_->port(); }
  std::string url(std::string_view path) const;

 private:
  std::unique_ptr<Server> server_;
};

struct RawResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string header(std::string_view name) const { return std::string(headers.get(name)); }
};

class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const;
  bool send(std::string_view data);
  // Half-closes: the server reads EOF after what was sent.
  void shutdown_send();
  // Reads one response: status line, headers, and a Content-Length body (none for HEAD, 1xx,
  // 204, 304). nullopt when the connection closes first or `timeout` passes.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout = 5s,
                                           bool head_request = false);
  // True when the server closes (EOF or reset) within `timeout`; discards anything it sends.
  bool wait_closed(std::chrono::milliseconds timeout = 5s);
  // True when at least one byte (or EOF) is ready within `timeout`, without consuming it.
  bool readable(std::chrono::milliseconds timeout);
  bool closed() const { return closed_; }

 private:
  // Appends to buffer_; false on timeout, EOF or error (closed_ tells which).
  bool fill(std::chrono::milliseconds timeout);

  struct Socket;
  std::unique_ptr<Socket> socket_;
  std::string buffer_;
  bool closed_ = false;
};

// One request on a fresh connection.
std::optional<RawResponse> raw_exchange(uint16_t port, std::string_view request);

}  // namespace atelier::http::testing
