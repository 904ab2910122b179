#include "test_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <charconv>

#include "atelier/core/log.hpp"

namespace atelier::http::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

ServerOptions test_options() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.io_threads = 2;
  options.worker_threads = 4;
  options.worker_queue = 256;
  options.max_body_bytes = 64 * 1024;
  options.max_header_bytes = 8 * 1024;
  options.header_timeout = 2s;
  options.body_timeout = 2s;
  options.idle_timeout = 5s;
  options.shutdown_grace = 5s;
  return options;
}

TestServer::TestServer(Router router, std::vector<Middleware> middleware, ServerOptions options)
    : server_(
          std::make_unique<Server>(std::move(options), std::move(router), std::move(middleware))) {
  // Quiet, synchronous logs: tests read their own output, not the access log.
  log::init(log::Options{log::Level::kError, 2, false, 1 << 20});
  const auto started = server_->start();
  if (!started) {
    ADD_FAILURE() << "server did not start: " << started.error().message;
  }
}

TestServer::~TestServer() {
  server_->stop();
  server_->wait();
}

std::string TestServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

struct RawConnection::Socket {
  asio::io_context ctx;
  tcp::socket socket{ctx};
};

RawConnection::RawConnection(uint16_t port) : socket_(std::make_unique<Socket>()) {
  error_code ec;
  socket_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    closed_ = true;
  }
}

RawConnection::~RawConnection() = default;

bool RawConnection::connected() const {
  return socket_->socket.is_open() && !closed_;
}

bool RawConnection::send(std::string_view data) {
  error_code ec;
  asio::write(socket_->socket, asio::buffer(data.data(), data.size()), ec);
  return !ec;
}

void RawConnection::shutdown_send() {
  error_code ec;
  socket_->socket.shutdown(tcp::socket::shutdown_send, ec);
}

bool RawConnection::fill(std::chrono::milliseconds timeout) {
  if (closed_) {
    return false;
  }
  char chunk[16 * 1024];
  bool done = false;
  error_code result;
  size_t received = 0;
  socket_->socket.async_read_some(asio::buffer(chunk), [&](const error_code& ec, size_t n) {
    done = true;
    result = ec;
    received = n;
  });
  socket_->ctx.restart();
  socket_->ctx.run_for(timeout);
  if (!done) {
    error_code ignored;
    socket_->socket.cancel(ignored);
    socket_->ctx.restart();
    socket_->ctx.run();
    if (result == asio::error::operation_aborted || !done) {
      return false;
    }
  }
  buffer_.append(chunk, received);
  if (result) {
    closed_ = true;
    return received > 0;
  }
  return true;
}

bool RawConnection::readable(std::chrono::milliseconds timeout) {
  if (!buffer_.empty() || closed_) {
    return true;
  }
  bool done = false;
  socket_->socket.async_wait(tcp::socket::wait_read, [&](const error_code&) { done = true; });
  socket_->ctx.restart();
  socket_->ctx.run_for(timeout);
  if (!done) {
    error_code ignored;
    socket_->socket.cancel(ignored);
    socket_->ctx.restart();
    socket_->ctx.run();
    return false;
  }
  return true;
}

std::optional<RawResponse> RawConnection::read_response(std::chrono::milliseconds timeout,
                                                        bool head_request) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto remaining = [&] {
    return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()),
                    std::chrono::milliseconds(1));
  };
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline || !fill(remaining())) {
      return std::nullopt;
    }
  }
  RawResponse response;
  const std::string head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end + 4);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) {
    return std::nullopt;
  }
  std::from_chars(status_line.data() + 9, status_line.data() + 12, response.status);
  while (line_end != std::string::npos) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.erase(0, 1);
    }
    response.headers.add(line.substr(0, colon), value);
  }
  const bool bodyless =
      head_request || response.status < 200 || response.status == 204 || response.status == 304;
  size_t length = 0;
  if (!bodyless && response.headers.contains("Content-Length")) {
    const std::string_view text = response.headers.get("Content-Length");
    std::from_chars(text.data(), text.data() + text.size(), length);
  }
  while (buffer_.size() < length) {
    if (std::chrono::steady_clock::now() >= deadline || !fill(remaining())) {
      return std::nullopt;
    }
  }
  response.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return response;
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) {
      return false;
    }
    buffer_.clear();
    if (!fill(left) && !closed_) {
      return false;
    }
  }
  return true;
}

std::optional<RawResponse> raw_exchange(uint16_t port, std::string_view request) {
  RawConnection connection(port);
  if (!connection.send(request)) {
    return std::nullopt;
  }
  return connection.read_response();
}

}  // namespace atelier::http::testing
