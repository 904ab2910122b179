#include "visiobook/adapters/external_http.hpp"

#include <boost/json/serialize.hpp>
#include <thread>

#include "atelier/core/log.hpp"

namespace atelier::visiobook::adapters {

namespace {

// The start of an error body, for the message: enough to tell what the server said.
constexpr size_t kQuotedBodyBytes = 200;

bool retryable(int status) {
  return status == 429 || status >= 500;
}

std::string seconds_text(std::chrono::milliseconds ms) {
  const auto tenths = (ms.count() + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

std::string excerpt(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, kQuotedBodyBytes)) {
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

}  // namespace

std::string endpoint_base(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

std::string describe(const Endpoint& endpoint, const std::string& path) {
  return "the " + endpoint.what + " endpoint POST " + endpoint.base_url + path;
}

Result<http::ClientResponse> post_json(http::Client& client, const Endpoint& endpoint,
                                       const std::string& path, const boost::json::object& body) {
  http::Headers headers;
  headers.set("Content-Type", "application/json");
  headers.set("Accept", "application/json");
  if (!endpoint.api_key.empty()) {
    headers.set("Authorization", "Bearer " + endpoint.api_key);
  }
  const std::string text = boost::json::serialize(body);
  const std::string url = endpoint.base_url + path;
  std::chrono::milliseconds wait = endpoint.backoff;
  for (int attempt = 0;; ++attempt) {
    auto r = client.request(http::Method::kPost, url, headers, text, endpoint.timeout);
    std::string failure;
    bool again = false;
    if (!r) {
      if (r.error().code == ErrorCode::kTimeout) {
        return Error{ErrorCode::kTimeout,
                     "visiobook: " + describe(endpoint, path) + " did not answer within " +
                         seconds_text(endpoint.timeout),
                     {},
                     {}};
      }
      if (r.error().code == ErrorCode::kBadRequest) {
        return Error::unavailable("visiobook: " + describe(endpoint, path) +
                                  " cannot be called: " + r.error().message);
      }
      failure = "cannot be reached (" + r.error().message + ")";
      again = true;
    } else if (r->status >= 200 && r->status < 300) {
      return std::move(*r);
    } else {
      failure = "answered HTTP " + std::to_string(r->status);
      if (!r->body.empty()) {
        failure += ": " + excerpt(r->body);
      }
      again = retryable(r->status);
    }
    if (!again || attempt >= endpoint.max_retries) {
      const int attempts = attempt + 1;
      return Error::unavailable(
          "visiobook: " + describe(endpoint, path) + " " + failure +
          (attempts > 1 ? " (after " + std::to_string(attempts) + " attempts)" : ""));
    }
    log::warn("visiobook.external_retry")
        .field("endpoint", url)
        .field("attempt", attempt + 1)
        .field("error", failure);
    std::this_thread::sleep_for(wait);
    wait *= 2;
  }
}

}  // namespace atelier::visiobook::adapters
