// Test support: a fresh database on each backend (SQLite in a temporary directory, PostgreSQL in a
// schema of its own), so that one suite of tests covers both engines.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <random>
#include <string>

#include "atelier/db/database.hpp"

namespace atelier::db {

// Lets gtest print a failing case's parameter as "postgres" rather than as raw bytes.
inline void PrintTo(Kind kind, std::ostream* os) {
  *os << kind_name(kind);
}

}  // namespace atelier::db

namespace atelier::db::testing {

inline std::string random_suffix() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 12; ++i) {
    out += kHex[rd() % 16];
  }
  return out;
}

// Names the instantiations, so that ctest shows Backends/DatabaseTest.Pings/postgres.
inline std::string backend_name(const ::testing::TestParamInfo<Kind>& info) {
  return std::string(kind_name(info.param));
}

class BackendTest : public ::testing::TestWithParam<Kind> {
 protected:
  Kind kind() const { return GetParam(); }
  bool is_postgres() const { return kind() == Kind::kPostgres; }

  void SetUp() override {
    if (is_postgres()) {
      const char* url = std::getenv("ATELIER_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        const char* require = std::getenv("ATELIER_TEST_REQUIRE_POSTGRES");
        if (require != nullptr && std::string_view(require) == "1") {
          FAIL() << "ATELIER_TEST_REQUIRE_POSTGRES=1 but ATELIER_TEST_POSTGRES_URL is not set: "
                    "run the tests through scripts/with-postgres";
        }
        GTEST_SKIP() << "ATELIER_TEST_POSTGRES_URL is not set; run the tests through "
                        "scripts/with-postgres to cover PostgreSQL";
      }
      postgres_url_ = url;
      schema_ = "t_" + random_suffix();
    } else {
      dir_ = std::filesystem::temp_directory_path() / ("atelier_db_test_" + random_suffix());
      std::filesystem::create_directories(dir_);
    }
    auto db = open(options());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(db).value();
  }

  void TearDown() override {
    db_.reset();
    if (!schema_.empty()) {
      Options o = options();
      o.pool_size = 1;
      if (auto cleaner = open(o)) {
        auto dropped = (*cleaner)->transact([&](Transaction& tx) {
          return tx.execute_script("DROP SCHEMA \"" + schema_ + "\" CASCADE");
        });
        EXPECT_TRUE(dropped) << dropped.error().message;
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  // Options for this test's database; open more than one Database on them to play several
  // processes sharing a file or schema.
  Options options() const {
    Options o;
    o.kind = kind();
    o.sqlite_path = dir_ / "test.db";
    o.postgres_url = postgres_url_;
    o.schema = schema_;
    o.pool_size = 8;
    return o;
  }

  std::unique_ptr<Database> open_with(const Options& o) const {
    auto db = open(o);
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(db).value() : nullptr;
  }

  // Runs DDL or other parameterless statements in a transaction of their own.
  void script(std::string_view sql) const {
    auto done = db_->transact([&](Transaction& tx) { return tx.execute_script(sql); });
    ASSERT_TRUE(done) << done.error().message;
  }

  // The single integer a query returns. Runs cross-tenant: tests inspect every organisation's rows
  // (row-level security would otherwise show a transaction without an org nothing).
  int64_t scalar(std::string_view sql) const {
    auto value = db_->transact(TxOptions{.mode = TxMode::kRead, .org_id = {}, .cross_tenant = true},
                               [&](Transaction& tx) -> Result<int64_t> {
                                 auto rows = tx.query(sql);
                                 if (!rows) {
                                   return std::move(rows).error();
                                 }
                                 return (*rows)[0].get_int(0);
                               });
    EXPECT_TRUE(value) << value.error().message;
    return value ? *value : -1;
  }

  std::unique_ptr<Database> db_;
  std::filesystem::path dir_;
  std::string postgres_url_;
  std::string schema_;
};

}  // namespace atelier::db::testing
