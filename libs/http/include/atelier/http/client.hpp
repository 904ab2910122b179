// A small blocking HTTP/1.1 client for service-to-service calls (and tests): keep-alive
// connections pooled per host:port, a deadline on every call. http:// only for now.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "atelier/core/error.hpp"
#include "atelier/http/request.hpp"

namespace atelier::http {

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{2'000};
  size_t max_idle_per_host = 16;                   // idle keep-alive connections kept per host:port
  std::chrono::milliseconds idle_timeout{30'000};  // pooled connections older than this are dropped
  uint64_t max_response_bytes = 64ull << 20;
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one request and waits for the whole response, at most `timeout` in all. Thread-safe;
  // calls from several threads run concurrently. Errors: kBadRequest for a URL it cannot use,
  // kUnavailable when the peer cannot be reached or drops the connection, kTimeout on deadline.
  // A request on a pooled connection that the peer had closed is retried once on a new one when
  // it is idempotent (not POST/PATCH).
  Result<ClientResponse> request(Method method, std::string url, Headers headers = {},
                                 std::string body = {},
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atelier::http
