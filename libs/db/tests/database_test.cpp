#include "atelier/db/database.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <cstdint>
#include <future>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "backend.hpp"

namespace atelier::db {
namespace {

using ::testing::HasSubstr;

class DatabaseTest : public testing::BackendTest {};

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         testing::backend_name);

TxOptions read_only() {
  TxOptions options;
  options.mode = TxMode::kRead;
  return options;
}

constexpr std::string_view kCreateValues =
    "CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, t TEXT, b BYTEA, "
    "flag BOOLEAN)";
constexpr std::string_view kInsertValue =
    "INSERT INTO vals (id, i, d, t, b, flag) VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kSelectValues = "SELECT id, i, d, t, b, flag FROM vals ORDER BY id";

constexpr std::string_view kCreateCounter =
    "CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
    "INSERT INTO counters (id, n) VALUES (1, 0);";
constexpr std::string_view kIncrement = "UPDATE counters SET n = n + 1 WHERE id = 1";
constexpr std::string_view kCount = "SELECT n FROM counters WHERE id = 1";

TEST_P(DatabaseTest, PingsTheServer) {
  EXPECT_TRUE(db_->ping());
  EXPECT_EQ(db_->kind(), kind());
}

TEST_P(DatabaseTest, RoundTripsEveryValueType) {
  script(kCreateValues);
  const std::string utf8 = "Chantier « Les Tilleuls » — lot n°3 ✓ 日本語";
  const Bytes with_zeros = {0x00, 0x01, 0x00, 0xff, 0x7f, 0x00};
  auto written = db_->transact([&](Transaction& tx) -> Result<void> {
    for (const auto& r :
         {tx.execute(kInsertValue, 1, std::numeric_limits<int64_t>::max(), 3.141592653589793, utf8,
                     with_zeros, true),
          tx.execute(kInsertValue, 2, std::numeric_limits<int64_t>::min(), -1e-300, std::string(),
                     Bytes{}, false),
          tx.execute(kInsertValue, 3, nullptr, nullptr, nullptr, nullptr, nullptr)}) {
      if (!r) {
        return r.error();
      }
    }
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;

  auto rows = db_->transact(read_only(), [&](Transaction& tx) { return tx.query(kSelectValues); });
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);

  const Row& first = (*rows)[0];
  EXPECT_EQ(first.get_int("id"), 1);
  EXPECT_EQ(first.get_int("i"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(first.get_double("d"), 3.141592653589793);
  EXPECT_EQ(first.get_text("t"), utf8);
  EXPECT_EQ(first.get_bytes("b"), with_zeros);
  EXPECT_TRUE(first.get_bool("flag"));

  const Row& second = (*rows)[1];
  EXPECT_EQ(second.get_int("i"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(second.get_double("d"), -1e-300);
  EXPECT_EQ(second.get_text("t"), "");
  EXPECT_EQ(second.get_bytes("b"), Bytes{});
  EXPECT_FALSE(second.is_null(4)) << "an empty blob is not NULL";
  EXPECT_FALSE(second.get_bool("flag"));

  const Row& third = (*rows)[2];
  for (size_t i = 1; i < third.size(); ++i) {
    EXPECT_TRUE(third.is_null(i)) << "column " << i;
  }
  EXPECT_EQ(third.get_opt_int("i"), std::nullopt);
  EXPECT_EQ(third.get_opt_text("t"), std::nullopt);
  EXPECT_THROW((void)third.get_int("i"), std::logic_error);
  EXPECT_THROW((void)third.get_text("t"), std::logic_error);
  EXPECT_THROW((void)third.get_int("no_such_column"), std::out_of_range);
}

TEST_P(DatabaseTest, BindsPlaceholdersByNumber) {
  script("CREATE TABLE pairs (a TEXT, b TEXT, c TEXT)");
  auto rows = db_->transact([&](Transaction& tx) -> Result<Rows> {
    // $2 before $1, and $1 twice.
    auto inserted =
        tx.execute("INSERT INTO pairs (a, b, c) VALUES ($2, $1, $1)", "first", "second");
    if (!inserted) {
      return std::move(inserted).error();
    }
    return tx.query("SELECT a, b, c FROM pairs WHERE b = $1 AND c = $1", "first");
  });
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].get_text("a"), "second");
  EXPECT_EQ((*rows)[0].get_text("b"), "first");
  EXPECT_EQ((*rows)[0].get_text("c"), "first");
}

TEST_P(DatabaseTest, RefusesTooManyOrTooFewParameters) {
  script("CREATE TABLE pairs (a TEXT, b TEXT)");
  auto extra = db_->transact(
      [](Transaction& tx) { return tx.execute("INSERT INTO pairs (a) VALUES ($1)", "x", "y"); });
  EXPECT_FALSE(extra);
  auto missing = db_->transact(
      [](Transaction& tx) { return tx.execute("INSERT INTO pairs (a, b) VALUES ($1, $2)", "x"); });
  EXPECT_FALSE(missing);
}

TEST_P(DatabaseTest, NumericResultsReadAsNumbers) {
  auto rows = db_->transact([](Transaction& tx) {
    return tx.query(
        "SELECT CAST(12345678901234 AS NUMERIC) AS whole, CAST(2.5 AS NUMERIC) AS part, "
        "count(*) AS n FROM (SELECT 1 AS x) AS one");
  });
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ((*rows)[0].get_int("whole"), 12345678901234);
  EXPECT_EQ((*rows)[0].get_double("part"), 2.5);
  EXPECT_EQ((*rows)[0].get_int("n"), 1);
}

TEST_P(DatabaseTest, QueryRunsOneStatement) {
  script("CREATE TABLE items (id BIGINT PRIMARY KEY)");
  auto two = db_->transact([](Transaction& tx) {
    return tx.execute("INSERT INTO items (id) VALUES (1); INSERT INTO items (id) VALUES (2)");
  });
  EXPECT_FALSE(two);
  auto commented = db_->transact(
      [](Transaction& tx) { return tx.execute("INSERT INTO items (id) VALUES (3); -- why"); });
  EXPECT_TRUE(commented) << commented.error().message;
}

TEST_P(DatabaseTest, CountsAffectedRows) {
  script("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT)");
  auto counts = db_->transact([](Transaction& tx) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> out;
    for (std::string_view sql : {
             "INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
             "UPDATE items SET name = 'z' WHERE id >= 2",
             "SELECT id FROM items",
             "DELETE FROM items WHERE id = 1",
             "UPDATE items SET name = 'none' WHERE id = 42",
         }) {
      auto n = tx.execute(sql);
      if (!n) {
        return std::move(n).error();
      }
      out.push_back(*n);
    }
    return out;
  });
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (std::vector<int64_t>{3, 2, 0, 1, 0}));
}

TEST_P(DatabaseTest, CommitsWhenTheBodySucceeds) {
  script(kCreateCounter);
  auto done = db_->transact([](Transaction& tx) { return tx.execute(kIncrement); });
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(*done, 1);
  EXPECT_EQ(scalar(kCount), 1);
}

TEST_P(DatabaseTest, RollsBackWhenTheBodyReturnsAnError) {
  script(kCreateCounter);
  auto done = db_->transact([](Transaction& tx) -> Result<void> {
    auto updated = tx.execute(kIncrement);
    EXPECT_TRUE(updated);
    return Error::not_found("the lot is gone");
  });
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(done.error().message, "the lot is gone");
  EXPECT_EQ(scalar(kCount), 0);
}

TEST_P(DatabaseTest, RollsBackWhenTheBodyThrows) {
  script(kCreateCounter);
  Options o = options();
  o.pool_size = 1;  // the next transaction gets the same connection: it must be clean
  auto db = open_with(o);
  ASSERT_NE(db, nullptr);
  auto throwing = [](Transaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.execute(kIncrement));
    throw std::runtime_error("boom");
  };
  EXPECT_THROW((void)db->transact(throwing), std::runtime_error);
  auto after = db->transact([](Transaction& tx) { return tx.query(kCount); });
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ((*after)[0].get_int(0), 0);
  EXPECT_EQ(db->pool_stats().in_use, 0u);
}

TEST_P(DatabaseTest, ASwallowedStatementErrorStillRollsBack) {
  // PostgreSQL aborts the whole transaction at the first failed statement; SQLite is held to
  // the same rule, so that code tested on SQLite cannot come to rely on partial commits.
  script("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT)");
  auto done = db_->transact([](Transaction& tx) -> Result<void> {
    EXPECT_TRUE(tx.execute("INSERT INTO items (id, name) VALUES (1, 'a')"));
    EXPECT_FALSE(tx.execute("INSERT INTO items (id, name) VALUES (1, 'again')"));
    return {};  // the failure is ignored
  });
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, ErrorCode::kConflict);
  EXPECT_EQ(scalar("SELECT count(*) FROM items"), 0);
}

TEST_P(DatabaseTest, UniqueViolationIsAConflictNamingTheConstraint) {
  script(
      "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, "
      "CONSTRAINT items_name_unique UNIQUE (name))");
  auto done = db_->transact([](Transaction& tx) -> Result<int64_t> {
    EXPECT_TRUE(tx.execute("INSERT INTO items (id, name) VALUES (1, $1)", "gros oeuvre"));
    return tx.execute("INSERT INTO items (id, name) VALUES (2, $1)", "gros oeuvre");
  });
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, ErrorCode::kConflict);
  // PostgreSQL names the constraint; SQLite names the table and column it guards.
  EXPECT_THAT(done.error().message, HasSubstr(is_postgres() ? "items_name_unique" : "items.name"));

  auto primary = db_->transact([](Transaction& tx) -> Result<int64_t> {
    EXPECT_TRUE(tx.execute("INSERT INTO items (id, name) VALUES (1, 'a')"));
    return tx.execute("INSERT INTO items (id, name) VALUES (1, 'b')");
  });
  ASSERT_FALSE(primary);
  EXPECT_EQ(primary.error().code, ErrorCode::kConflict);
}

TEST_P(DatabaseTest, ForeignKeyViolationIsAConflict) {
  script(
      "CREATE TABLE projects (id BIGINT PRIMARY KEY);"
      "CREATE TABLE lots (id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL "
      "CONSTRAINT lots_project_fk REFERENCES projects (id));");
  auto done = db_->transact([](Transaction& tx) {
    return tx.execute("INSERT INTO lots (id, project_id) VALUES (1, $1)", 404);
  });
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, ErrorCode::kConflict);
  if (is_postgres()) {
    EXPECT_THAT(done.error().message, HasSubstr("lots_project_fk"));
  }
}

TEST_P(DatabaseTest, ReadOnlyTransactionReadsButRefusesWrites) {
  script(kCreateCounter);
  const TxOptions read = read_only();
  auto n = db_->transact(read, [](Transaction& tx) { return tx.query(kCount); });
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ((*n)[0].get_int(0), 0);

  auto write = db_->transact(read, [](Transaction& tx) { return tx.execute(kIncrement); });
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, ErrorCode::kInternal);
  EXPECT_EQ(scalar(kCount), 0);
}

TEST_P(DatabaseTest, ExhaustedPoolIsUnavailableAfterTheAcquireTimeout) {
  Options o = options();
  o.pool_size = 1;
  o.acquire_timeout = std::chrono::milliseconds(100);
  auto db = open_with(o);
  ASSERT_NE(db, nullptr);

  std::promise<void> holding;
  std::promise<void> release;
  std::thread holder([&] {
    auto held = db->transact(read_only(), [&](Transaction&) -> Result<void> {
      holding.set_value();
      release.get_future().wait();
      return {};
    });
    EXPECT_TRUE(held);
  });
  holding.get_future().wait();

  auto starved = db->transact([](Transaction& tx) { return tx.query("SELECT 1"); });
  ASSERT_FALSE(starved);
  EXPECT_EQ(starved.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db->ping().error().code, ErrorCode::kUnavailable);

  const auto busy = db->pool_stats();
  EXPECT_EQ(busy.size, 1u);
  EXPECT_EQ(busy.in_use, 1u);
  EXPECT_EQ(busy.waits, 2u);
  EXPECT_EQ(busy.timeouts, 2u);

  release.set_value();
  holder.join();
  EXPECT_TRUE(db->ping());
  EXPECT_EQ(db->pool_stats().in_use, 0u);
}

TEST_P(DatabaseTest, ConcurrentWritersLoseNoUpdate) {
  script(kCreateCounter);
  constexpr int kThreads = 8;
  constexpr int kIncrements = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto done = db_->transact([](Transaction& tx) { return tx.execute(kIncrement); });
        if (!done) {
          ++failures;
          ADD_FAILURE() << done.error().message;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(scalar(kCount), kThreads * kIncrements);
  EXPECT_LE(db_->pool_stats().size, 8u);
}

TEST_P(DatabaseTest, WaitingTooLongForALockIsUnavailable) {
  script(kCreateCounter);
  Options o = options();
  o.busy_timeout = std::chrono::milliseconds(200);
  auto db = open_with(o);
  ASSERT_NE(db, nullptr);

  std::promise<void> holding;
  std::promise<void> release;
  std::thread holder([&] {
    auto held = db->transact([&](Transaction& tx) -> Result<void> {
      auto n = tx.execute(kIncrement);  // holds the row lock (the write lock on SQLite)
      holding.set_value();
      release.get_future().wait();
      if (!n) {
        return std::move(n).error();
      }
      return {};
    });
    EXPECT_TRUE(held);
  });
  holding.get_future().wait();
  auto blocked = db->transact([](Transaction& tx) { return tx.execute(kIncrement); });
  release.set_value();
  holder.join();

  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable) << blocked.error().message;
  EXPECT_EQ(scalar(kCount), 1);
}

TEST_P(DatabaseTest, OrgIdIsSetForTheTransactionOnly) {
  const TxOptions tenant{.mode = TxMode::kRead, .org_id = "org-42"};
  if (!is_postgres()) {
    // SQLite has no session settings: repositories filter by org_id themselves.
    auto rows = db_->transact(tenant, [](Transaction& tx) { return tx.query("SELECT 1"); });
    EXPECT_TRUE(rows);
    return;
  }
  constexpr std::string_view kCurrentOrg = "SELECT current_setting('app.org_id', true) AS org";
  Options o = options();
  o.pool_size = 1;  // the same session for both transactions
  auto db = open_with(o);
  ASSERT_NE(db, nullptr);
  auto inside = db->transact(tenant, [&](Transaction& tx) { return tx.query(kCurrentOrg); });
  ASSERT_TRUE(inside) << inside.error().message;
  EXPECT_EQ((*inside)[0].get_opt_text("org"), "org-42");

  auto after = db->transact([&](Transaction& tx) { return tx.query(kCurrentOrg); });
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_NE((*after)[0].get_opt_text("org"), "org-42");
}

TEST_P(DatabaseTest, ReconnectsAfterTheServerDropsTheConnection) {
  if (!is_postgres()) {
    GTEST_SKIP() << "an embedded SQLite file has no connection to lose";
  }
  Options o = options();
  o.pool_size = 1;
  auto db = open_with(o);
  ASSERT_NE(db, nullptr);
  auto pid_of = [](Database& d) {
    return d.transact([](Transaction& tx) -> Result<int64_t> {
      auto rows = tx.query("SELECT pg_backend_pid()");
      if (!rows) {
        return std::move(rows).error();
      }
      return (*rows)[0].get_int(0);
    });
  };
  auto before = pid_of(*db);
  ASSERT_TRUE(before) << before.error().message;

  // What a server restart does to an idle pooled connection.
  auto killed = db_->transact(
      [&](Transaction& tx) { return tx.query("SELECT pg_terminate_backend($1, 5000)", *before); });
  ASSERT_TRUE(killed) << killed.error().message;
  EXPECT_TRUE((*killed)[0].get_bool(0));

  auto after = pid_of(*db);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_NE(*after, *before);
  EXPECT_TRUE(db->ping());
}

TEST_P(DatabaseTest, RerunsATransactionChosenAsADeadlockVictim) {
  if (!is_postgres()) {
    GTEST_SKIP() << "SQLite has one writer at a time: no deadlock to resolve";
  }
  script(
      "CREATE TABLE stock (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
      "INSERT INTO stock (id, n) VALUES (1, 0), (2, 0);");
  constexpr std::string_view kTake = "UPDATE stock SET n = n + 1 WHERE id = $1";
  std::barrier both_hold_one(2);
  std::atomic<int> attempts{0};
  auto reserve = [&](int first, int second) {
    bool synced = false;
    return db_->transact([&](Transaction& tx) -> Result<void> {
      ++attempts;
      if (auto a = tx.execute(kTake, first); !a) {
        return a.error();
      }
      if (!synced) {  // first attempt only: each holds one row and wants the other's
        synced = true;
        both_hold_one.arrive_and_wait();
      }
      if (auto b = tx.execute(kTake, second); !b) {
        return b.error();
      }
      return {};
    });
  };
  auto one = std::async(std::launch::async, reserve, 1, 2);
  auto two = std::async(std::launch::async, reserve, 2, 1);
  auto r1 = one.get();
  auto r2 = two.get();
  EXPECT_TRUE(r1) << r1.error().message;
  EXPECT_TRUE(r2) << r2.error().message;
  EXPECT_EQ(attempts.load(), 3) << "the deadlock victim reruns once";
  EXPECT_EQ(scalar("SELECT sum(n) FROM stock"), 4);
}

TEST_P(DatabaseTest, PoolStatsCountOpenConnections) {
  EXPECT_TRUE(db_->ping());
  const auto stats = db_->pool_stats();
  EXPECT_GE(stats.size, 1u);
  EXPECT_EQ(stats.in_use, 0u);
  EXPECT_EQ(stats.timeouts, 0u);
}

TEST(DatabaseOptions, ForServiceFollowsTheConfig) {
  Config config;
  config.data_dir = "/var/lib/atelier";
  config.db_pool_size = 3;
  config.postgres_url = "postgresql://db/atelier";
  config.database = DatabaseKind::kPostgres;
  const Options o = Options::for_service(config, "projects");
  EXPECT_EQ(o.kind, Kind::kPostgres);
  EXPECT_EQ(o.sqlite_path, std::filesystem::path("/var/lib/atelier/projects.db"));
  EXPECT_EQ(o.schema, "projects");
  EXPECT_EQ(o.postgres_url, "postgresql://db/atelier");
  EXPECT_EQ(o.pool_size, 3u);
  config.database = DatabaseKind::kSqlite;
  EXPECT_EQ(Options::for_service(config, "tasks").kind, Kind::kSqlite);
}

TEST(DatabaseOptions, RefusesAnUnsafeSchemaName) {
  Options o;
  o.kind = Kind::kPostgres;
  o.postgres_url = "postgresql://127.0.0.1:1/none";
  for (const char* schema : {"", "Projects", "a-b", "x\"; DROP SCHEMA public; --", "1abc"}) {
    o.schema = schema;
    auto db = open(o);
    ASSERT_FALSE(db) << schema;
    EXPECT_EQ(db.error().code, ErrorCode::kInvalid) << schema;
  }
}

TEST(DatabaseOptions, KindNames) {
  EXPECT_EQ(kind_name(Kind::kSqlite), "sqlite");
  EXPECT_EQ(kind_name(Kind::kPostgres), "postgres");
}

}  // namespace
}  // namespace atelier::db
