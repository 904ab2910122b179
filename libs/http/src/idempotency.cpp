// Idempotency-Key support: the middleware and the in-memory store.
#include <openssl/evp.h>

#include <algorithm>

#include "atelier/http/middleware.hpp"

namespace atelier::http {

namespace {

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  for (std::string_view part : parts) {
    // Length-prefix each part so ("ab","c") and ("a","bc") differ.
    const uint64_t size = part.size();
    ok = ok && EVP_DigestUpdate(ctx, &size, sizeof size) == 1 &&
         EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) {
    throw std::runtime_error("SHA-256 failed");  // OpenSSL out of memory: truly exceptional
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

bool valid_key(std::string_view key) {
  return !key.empty() && key.size() <= 255 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

bool storable(const Response& response) {
  const bool success = response.status >= 200 && response.status < 300;
  const bool client_error = response.status >= 400 && response.status < 500;
  return (success || client_error) && !response.file;
}

}  // namespace

MemoryIdempotencyStore::MemoryIdempotencyStore(const Clock& clock, std::chrono::seconds ttl,
                                               size_t max_entries)
    : clock_(clock), ttl_(ttl), max_entries_(std::max<size_t>(max_entries, 1)) {}

void MemoryIdempotencyStore::evict(TimePoint now, bool make_room) {
  // order_ holds every claim in creation order; entries released or replaced since are skipped.
  while (!order_.empty()) {
    const auto& [created, key] = order_.front();
    const bool expired = created + ttl_ <= now;
    if (!expired && !(make_room && entries_.size() >= max_entries_)) {
      break;
    }
    const auto it = entries_.find(key);
    if (it != entries_.end() && it->second.created == created) {
      entries_.erase(it);
    }
    order_.pop_front();
  }
}

IdempotencyStore::Claim MemoryIdempotencyStore::claim(const std::string& key,
                                                      const std::string& fingerprint) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  evict(now, false);
  const auto it = entries_.find(key);
  if (it != entries_.end()) {
    const Entry& entry = it->second;
    if (entry.fingerprint != fingerprint) {
      return {Outcome::kMismatch, {}};
    }
    if (!entry.done) {
      return {Outcome::kInFlight, {}};
    }
    return {Outcome::kReplay, entry.response};
  }
  evict(now, true);
  entries_.emplace(key, Entry{fingerprint, now, false, {}});
  order_.emplace_back(now, key);
  return {Outcome::kProceed, {}};
}

void MemoryIdempotencyStore::complete(const std::string& key, const Response& response) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.done = true;
    it->second.response = response;
  }
}

void MemoryIdempotencyStore::release(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

size_t MemoryIdempotencyStore::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

namespace {

Middleware idempotency_with(IdempotencyStore& store, std::vector<bool> secret_routes) {
  return [&store, secret_routes = std::move(secret_routes)](Request& request,
                                                            const Next& next) -> Response {
    if (request.method != Method::kPost || request.route_id < 0 ||
        !request.headers.contains("Idempotency-Key")) {
      return next(request);
    }
    const std::string_view client_key = request.header("Idempotency-Key");
    if (!valid_key(client_key)) {
      return Response::problem(
          Error::bad_request("Idempotency-Key must be 1 to 255 visible ASCII characters."),
          request);
    }
    std::string key = sha256_hex({request.header("Authorization")});
    key.resize(32);  // 128 bits separate callers; the full digest would only make keys longer
    key += ' ';
    key += method_name(request.method);
    key += ' ';
    key += request.path;
    key += ' ';
    key += client_key;
    const std::string fingerprint =
        sha256_hex({request.query, request.body, request.upload ? request.upload->sha256 : ""});

    IdempotencyStore::Claim claim = store.claim(key, fingerprint);
    switch (claim.outcome) {
      case IdempotencyStore::Outcome::kReplay:
        claim.response.headers.set("Idempotent-Replayed", "true");
        return std::move(claim.response);
      case IdempotencyStore::Outcome::kInFlight: {
        Error error = Error::conflict(
            "A request with this Idempotency-Key is still being processed; retry later.");
        error.retry_after = std::chrono::seconds(1);
        return Response::problem(error, request);
      }
      case IdempotencyStore::Outcome::kMismatch:
        return Response::problem(
            Error::invalid("This Idempotency-Key was already used with a different request."),
            request);
      case IdempotencyStore::Outcome::kUnavailable: {
        Error error = Error::unavailable(
            "Idempotency-Key requests cannot be checked right now; retry shortly.");
        error.retry_after = std::chrono::seconds(1);
        return Response::problem(error, request);
      }
      case IdempotencyStore::Outcome::kProceed:
        break;
    }
    Response response;
    try {
      response = next(request);
    } catch (...) {
      store.release(key);
      throw;
    }
    const bool secret = request.route_id >= 0 &&
                        static_cast<size_t>(request.route_id) < secret_routes.size() &&
                        secret_routes[static_cast<size_t>(request.route_id)];
    if (secret && response.status >= 200 && response.status < 300) {
      // Keep the fact that it happened, never the secret itself.
      store.complete(key, Response::problem(
                              Error::conflict("This request was already processed. Its answer "
                                              "held a secret that is shown only once and was not "
                                              "kept; list the resources to see what was created."),
                              request));
    } else if (storable(response)) {
      store.complete(key, response);
    } else {
      store.release(key);
    }
    return response;
  };
}

}  // namespace

Middleware idempotency(IdempotencyStore& store) {
  return idempotency_with(store, {});
}

Middleware idempotency(IdempotencyStore& store, const Router& router) {
  std::vector<bool> secret(router.routes().size(), false);
  for (const auto& route : router.routes()) {
    secret[static_cast<size_t>(route.id)] = route.options.secret_response;
  }
  return idempotency_with(store, std::move(secret));
}

}  // namespace atelier::http
