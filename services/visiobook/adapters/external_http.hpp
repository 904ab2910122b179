// What the adapters of external model servers share: one JSON POST to an endpoint, with a
// deadline on every attempt, at most a few retries with backoff on 429, 5xx and unreachable
// peers, and errors that name the endpoint (never the API key).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "atelier/core/error.hpp"
#include "atelier/http/client.hpp"

namespace atelier::visiobook::adapters {

struct Endpoint {
  std::string what;      // "chat", "images", "speech": for messages
  std::string base_url;  // http://host:port[/prefix], without a trailing slash
  std::string api_key;   // sent as "Authorization: Bearer <key>" when not empty
  std::chrono::milliseconds timeout{120'000};  // each attempt, from connecting to the last byte
  int max_retries = 2;
  std::chrono::milliseconds backoff{1'000};  // before the first retry, doubled for each next one
};

// http://host:port with trailing slashes taken off.
std::string endpoint_base(std::string url);

// POSTs `body` to base_url + path and answers the 2xx response. Errors: kTimeout when an attempt
// runs out of time (not retried: a stage never waits more than the timeout per call and its
// retries), kUnavailable for an unreachable peer or an HTTP error status once retries are spent.
Result<http::ClientResponse> post_json(http::Client& client, const Endpoint& endpoint,
                                       const std::string& path, const boost::json::object& body);

// "the chat endpoint POST http://host/v1/chat/completions": how errors name a call.
std::string describe(const Endpoint& endpoint, const std::string& path);

}  // namespace atelier::visiobook::adapters
