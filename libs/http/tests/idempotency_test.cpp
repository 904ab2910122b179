#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "atelier/core/clock.hpp"
#include "atelier/http/middleware.hpp"

namespace atelier::http {
namespace {

using Outcome = IdempotencyStore::Outcome;

TimePoint start_time() {
  return TimePoint(std::chrono::seconds(1'800'000'000));
}

// A POST to a matched route, as the server hands it to the chain.
Request order_request(std::string key, std::string body) {
  Request request;
  request.method = Method::kPost;
  request.path = "/api/v1/orders";
  request.route = "/api/v1/orders";
  request.route_id = 0;
  request.body = std::move(body);
  if (!key.empty()) {
    request.headers.add("Idempotency-Key", key);
  }
  return request;
}

class IdempotencyMiddleware : public ::testing::Test {
 protected:
  Response post(std::string key, std::string body, int status = 201) {
    Request request = order_request(std::move(key), std::move(body));
    const Handler handler = [this, status](Request&) {
      ++calls_;
      Response response = Response::json(status, R"({"order":)" + std::to_string(calls_) + "}");
      response.headers.set("Location", "/api/v1/orders/" + std::to_string(calls_));
      return response;
    };
    return run_chain(chain_, handler, request);
  }

  ManualClock clock_{start_time()};
  MemoryIdempotencyStore store_{clock_};
  std::vector<Middleware> chain_{idempotency(store_)};
  // A handler that only counts its calls.
  Handler counting() {
    return [this](Request&) {
      ++calls_;
      return Response::no_content();
    };
  }

  int calls_ = 0;
};

TEST_F(IdempotencyMiddleware, ReplaysTheStoredResponse) {
  const Response first = post("key-1", R"({"qty":2})");
  const Response second = post("key-1", R"({"qty":2})");
  EXPECT_EQ(calls_, 1);
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.headers.get("Location"), first.headers.get("Location"));
  EXPECT_FALSE(first.headers.contains("Idempotent-Replayed"));
  EXPECT_EQ(second.headers.get("Idempotent-Replayed"), "true");
}

TEST_F(IdempotencyMiddleware, SameKeyWithAnotherBodyIs422) {
  post("key-1", R"({"qty":2})");
  const Response response = post("key-1", R"({"qty":3})");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(calls_, 1);
}

TEST_F(IdempotencyMiddleware, FiveHundredsAreNotStored) {
  EXPECT_EQ(post("key-1", "{}", 503).status, 503);
  EXPECT_EQ(post("key-1", "{}", 201).status, 201);
  EXPECT_EQ(calls_, 2);
  EXPECT_EQ(post("key-1", "{}", 201).headers.get("Idempotent-Replayed"), "true");
}

TEST_F(IdempotencyMiddleware, ClientErrorsAreStored) {
  EXPECT_EQ(post("key-1", "{}", 409).status, 409);
  EXPECT_EQ(post("key-1", "{}", 201).status, 409);
  EXPECT_EQ(calls_, 1);
}

TEST_F(IdempotencyMiddleware, RequestsWithoutKeyOrNotPostPassThrough) {
  post("", "{}");
  post("", "{}");
  EXPECT_EQ(calls_, 2);
  Request put = order_request("key-1", "{}");
  put.method = Method::kPut;
  run_chain(chain_, counting(), put);
  run_chain(chain_, counting(), put);
  EXPECT_EQ(calls_, 4);
}

TEST_F(IdempotencyMiddleware, MalformedKeyIs400) {
  EXPECT_EQ(post(std::string(256, 'k'), "{}").status, 400);
  EXPECT_EQ(post("has space", "{}").status, 400);
  EXPECT_EQ(calls_, 0);
}

TEST_F(IdempotencyMiddleware, KeysAreScopedByAuthorization) {
  Request alice = order_request("key-1", "{}");
  alice.headers.add("Authorization", "Bearer alice");
  Request bob = order_request("key-1", "{}");
  bob.headers.add("Authorization", "Bearer bob");
  run_chain(chain_, counting(), alice);
  const Response for_bob = run_chain(chain_, counting(), bob);
  EXPECT_EQ(calls_, 2);
  EXPECT_FALSE(for_bob.headers.contains("Idempotent-Replayed"));
}

TEST_F(IdempotencyMiddleware, DuplicateWhileInFlightIs409) {
  Request first = order_request("key-1", "{}");
  Response duplicate;
  const Handler slow = [&](Request&) {
    // The client retries before the first attempt has answered.
    Request again = order_request("key-1", "{}");
    duplicate = run_chain(
        chain_, [](Request&) { return Response::no_content(); }, again);
    return Response::json(201, std::string("{}"));
  };
  EXPECT_EQ(run_chain(chain_, slow, first).status, 201);
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.headers.get("Retry-After"), "1");
}

TEST_F(IdempotencyMiddleware, ThrowingHandlerReleasesTheKey) {
  Request request = order_request("key-1", "{}");
  const Handler thrower = [](Request&) -> Response { throw std::runtime_error("db down"); };
  EXPECT_EQ(run_chain(chain_, thrower, request).status, 500);
  EXPECT_EQ(post("key-1", "{}").status, 201);
  EXPECT_EQ(calls_, 1);
}

TEST(MemoryIdempotencyStore, EntriesExpireAfterTtl) {
  ManualClock clock(start_time());
  MemoryIdempotencyStore store(clock, std::chrono::hours(24));
  ASSERT_EQ(store.claim("k", "fp").outcome, Outcome::kProceed);
  store.complete("k", Response::no_content());
  clock.advance(std::chrono::hours(23));
  EXPECT_EQ(store.claim("k", "fp").outcome, Outcome::kReplay);
  clock.advance(std::chrono::hours(1));
  EXPECT_EQ(store.claim("k", "fp").outcome, Outcome::kProceed);
}

TEST(MemoryIdempotencyStore, OldestEntriesGoFirstBeyondCapacity) {
  ManualClock clock(start_time());
  MemoryIdempotencyStore store(clock, std::chrono::hours(24), 2);
  for (const char* key : {"a", "b", "c"}) {
    ASSERT_EQ(store.claim(key, "fp").outcome, Outcome::kProceed);
    store.complete(key, Response::no_content());
    clock.advance(std::chrono::seconds(1));
  }
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.claim("a", "fp").outcome, Outcome::kProceed);  // evicted, so new again
  EXPECT_EQ(store.claim("c", "fp").outcome, Outcome::kReplay);
}

TEST(MemoryIdempotencyStore, ReleasedClaimsCanBeRetried) {
  MemoryIdempotencyStore store;
  ASSERT_EQ(store.claim("k", "fp").outcome, Outcome::kProceed);
  EXPECT_EQ(store.claim("k", "fp").outcome, Outcome::kInFlight);
  EXPECT_EQ(store.claim("k", "other").outcome, Outcome::kMismatch);
  store.release("k");
  EXPECT_EQ(store.claim("k", "fp").outcome, Outcome::kProceed);
}

}  // namespace
}  // namespace atelier::http

namespace atelier::http {
namespace {

TEST(IdempotencySecrets, ASecretResponseIsNeverStoredAndARepeatIs409) {
  ManualClock clock{TimePoint(std::chrono::seconds(1'800'000'000))};
  MemoryIdempotencyStore store{clock};
  Router router;
  int calls = 0;
  router.add(
      Method::kPost, "/api/v1/api-keys",
      [&calls](Request&) {
        ++calls;
        return Response::json(201, R"({"key":"atk_s3cr3t"})");
      },
      RouteOptions::non_blocking("api_keys.create").with_secret_response());
  const std::vector<Middleware> chain{idempotency(store, router)};
  auto post = [&] {
    Request request;
    request.method = Method::kPost;
    request.path = "/api/v1/api-keys";
    router.match(request);
    request.headers.add("Idempotency-Key", "create-key-1");
    return run_chain(chain, router.routes()[0].handler, request);
  };
  const Response first = post();
  EXPECT_EQ(first.status, 201);
  EXPECT_NE(first.body.find("atk_s3cr3t"), std::string::npos);
  const Response repeat = post();
  EXPECT_EQ(repeat.status, 409);
  EXPECT_EQ(repeat.body.find("atk_s3cr3t"), std::string::npos) << "the secret was kept";
  EXPECT_EQ(calls, 1) << "the repeat must not create a second key";
}

}  // namespace
}  // namespace atelier::http
