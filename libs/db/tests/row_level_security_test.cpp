// Row-level security on PostgreSQL, the second wall behind the repositories' own org filters: a
// transaction of one organisation sees and writes only that organisation's rows, even with a
// query that forgets the filter. (SQLite has no such mechanism; there the filter is the wall.)
#include <gtest/gtest.h>

#include "backend.hpp"

namespace atelier::db {
namespace {

using testing::BackendTest;

class RowLevelSecurityTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    // What a service's *.pg.sql migration does for each tenant table.
    script(
        "CREATE TABLE items (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL);"
        "ALTER TABLE items ENABLE ROW LEVEL SECURITY;"
        "ALTER TABLE items FORCE ROW LEVEL SECURITY;"
        "CREATE POLICY tenant_isolation ON items "
        "  USING (org_id = current_setting('app.org_id', true) "
        "         OR current_setting('app.cross_tenant', true) = 'on') "
        "  WITH CHECK (org_id = current_setting('app.org_id', true) "
        "              OR current_setting('app.cross_tenant', true) = 'on');");
    for (const auto& [org, id] : {std::pair{"org-a", "a1"}, {"org-a", "a2"}, {"org-b", "b1"}}) {
      auto inserted =
          db_->transact(TxOptions{.mode = TxMode::kWrite, .org_id = org}, [&](Transaction& tx) {
            return tx.execute("INSERT INTO items (id, org_id, name) VALUES ($1, $2, $3)", id, org,
                              "beam");
          });
      ASSERT_TRUE(inserted) << inserted.error().message;
    }
  }

  int64_t count_all(const TxOptions& options) {
    auto n = db_->transact(options, [](Transaction& tx) -> Result<int64_t> {
      auto rows = tx.query("SELECT COUNT(*) FROM items");  // no org filter, on purpose
      if (!rows) {
        return std::move(rows).error();
      }
      return (*rows)[0].get_int(0);
    });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
};

TEST_P(RowLevelSecurityTest, AQueryWithoutAFilterSeesOnlyItsOrganisation) {
  EXPECT_EQ(count_all({.mode = TxMode::kRead, .org_id = "org-a"}), 2);
  EXPECT_EQ(count_all({.mode = TxMode::kRead, .org_id = "org-b"}), 1);
}

TEST_P(RowLevelSecurityTest, ATransactionWithoutAnOrganisationSeesNothing) {
  EXPECT_EQ(count_all({.mode = TxMode::kRead, .org_id = {}}), 0);
}

TEST_P(RowLevelSecurityTest, OnlyADeclaredCrossTenantTransactionSeesEveryOrganisation) {
  EXPECT_EQ(count_all({.mode = TxMode::kRead, .org_id = {}, .cross_tenant = true}), 3);
}

TEST_P(RowLevelSecurityTest, UpdatesAndDeletesCannotReachAnotherOrganisation) {
  auto changed =
      db_->transact(TxOptions{.mode = TxMode::kWrite, .org_id = "org-a"},
                    [](Transaction& tx) { return tx.execute("UPDATE items SET name = 'stolen'"); });
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 2);
  auto deleted = db_->transact(
      TxOptions{.mode = TxMode::kWrite, .org_id = "org-a"},
      [](Transaction& tx) { return tx.execute("DELETE FROM items WHERE id = 'b1'"); });
  ASSERT_TRUE(deleted);
  EXPECT_EQ(*deleted, 0);
  EXPECT_EQ(count_all({.mode = TxMode::kRead, .org_id = "org-b"}), 1);
}

TEST_P(RowLevelSecurityTest, ARowForAnotherOrganisationCannotBeWritten) {
  auto smuggled =
      db_->transact(TxOptions{.mode = TxMode::kWrite, .org_id = "org-a"}, [](Transaction& tx) {
        return tx.execute(
            "INSERT INTO items (id, org_id, name) "
            "VALUES ('x1', 'org-b', 'planted')");
      });
  ASSERT_FALSE(smuggled);
  EXPECT_EQ(count_all({.mode = TxMode::kRead, .org_id = "org-b"}), 1);
}

TEST_P(RowLevelSecurityTest, TheTestsRunAsARoleThatCannotBypassIt) {
  auto flags = db_->transact([](Transaction& tx) -> Result<int64_t> {
    auto rows = tx.query(
        "SELECT CASE WHEN rolsuper OR rolbypassrls THEN 1 ELSE 0 END FROM pg_roles "
        "WHERE rolname = current_user");
    if (!rows) {
      return std::move(rows).error();
    }
    return (*rows)[0].get_int(0);
  });
  ASSERT_TRUE(flags) << flags.error().message;
  EXPECT_EQ(*flags, 0) << "a superuser or BYPASSRLS role would make these tests pass vacuously";
}

// PostgreSQL only: SQLite has no row-level security to test.
INSTANTIATE_TEST_SUITE_P(Backends, RowLevelSecurityTest, ::testing::Values(Kind::kPostgres),
                         testing::backend_name);

}  // namespace
}  // namespace atelier::db
