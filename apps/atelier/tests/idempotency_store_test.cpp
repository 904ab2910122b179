#include "idempotency_store.hpp"

#include <gtest/gtest.h>

#include "atelier/db/migrations.hpp"
#include "backend.hpp"

std::vector<atelier::db::MigrationFile> atelier_platform_migrations();

namespace atelier::app {
namespace {

using Outcome = http::IdempotencyStore::Outcome;

class IdempotencyStoreTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    auto selected = db::select_migrations(atelier_platform_migrations(), kind());
    ASSERT_TRUE(selected) << selected.error().message;
    ASSERT_TRUE(db::migrate(*db_, "platform", *selected));
  }
  ManualClock clock_{TimePoint{std::chrono::seconds(1'800'000'000)}};
};

TEST_P(IdempotencyStoreTest, ACompletedKeyReplaysTheStoredResponse) {
  DbIdempotencyStore store(*db_, clock_);
  EXPECT_EQ(store.claim("k1", "POST /x #1").outcome, Outcome::kProceed);
  http::Response created = http::Response::json(201, R"({"id":"p-1"})");
  created.headers.set("Location", "/api/v1/projects/p-1");
  store.complete("k1", created);

  auto replay = store.claim("k1", "POST /x #1");
  ASSERT_EQ(replay.outcome, Outcome::kReplay);
  EXPECT_EQ(replay.response.status, 201);
  EXPECT_EQ(replay.response.body, R"({"id":"p-1"})");
  EXPECT_EQ(replay.response.headers.get("Location"), "/api/v1/projects/p-1");
}

TEST_P(IdempotencyStoreTest, AKeyInFlightOrReusedForAnotherRequestIsRefused) {
  DbIdempotencyStore store(*db_, clock_);
  EXPECT_EQ(store.claim("k1", "fp-a").outcome, Outcome::kProceed);
  EXPECT_EQ(store.claim("k1", "fp-a").outcome, Outcome::kInFlight);
  EXPECT_EQ(store.claim("k1", "fp-b").outcome, Outcome::kMismatch);
}

TEST_P(IdempotencyStoreTest, AReleasedKeyCanBeUsedAgain) {
  DbIdempotencyStore store(*db_, clock_);
  EXPECT_EQ(store.claim("k1", "fp-a").outcome, Outcome::kProceed);
  store.release("k1");  // the first attempt failed with a 5xx: nothing to replay
  EXPECT_EQ(store.claim("k1", "fp-a").outcome, Outcome::kProceed);
}

TEST_P(IdempotencyStoreTest, KeysExpireAfterTheTtlAndArePurged) {
  DbIdempotencyStore store(*db_, clock_, std::chrono::hours(24));
  EXPECT_EQ(store.claim("old", "fp").outcome, Outcome::kProceed);
  store.complete("old", http::Response::json(201, "{}"));
  clock_.advance(std::chrono::hours(25));
  EXPECT_EQ(store.claim("old", "another request").outcome, Outcome::kProceed);
  EXPECT_EQ(store.claim("fresh", "fp").outcome, Outcome::kProceed);
  clock_.advance(std::chrono::hours(25));
  auto purged = store.purge_expired();
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);
}

TEST_P(IdempotencyStoreTest, ReplaysSurviveANewStoreOnTheSameDatabase) {
  {
    DbIdempotencyStore before_restart(*db_, clock_);
    ASSERT_EQ(before_restart.claim("k", "fp").outcome, Outcome::kProceed);
    before_restart.complete("k", http::Response::json(202, R"({"job":"j-1"})"));
  }
  DbIdempotencyStore after_restart(*db_, clock_);
  auto replay = after_restart.claim("k", "fp");
  ASSERT_EQ(replay.outcome, Outcome::kReplay);
  EXPECT_EQ(replay.response.status, 202);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyStoreTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::app
