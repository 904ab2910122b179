#include "atelier/db/migrations.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <latch>
#include <thread>
#include <vector>

#include "atelier/core/clock.hpp"
#include "backend.hpp"

namespace atelier::db {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> names_of(const std::vector<Migration>& migrations) {
  std::vector<std::string> out;
  for (const Migration& m : migrations) {
    out.push_back(m.name);
  }
  return out;
}

TEST(SelectMigrations, KeepsTheFilesOfTheEngineSortedByVersion) {
  const std::vector<MigrationFile> files = {
      {"0010_late.sql", "SELECT 10;"},      {"0002_rls.pg.sql", "SELECT 2;"},
      {"0002_rls.sqlite.sql", "SELECT 2;"}, {"0001_base.sql", "SELECT 1;"},
      {"0003_fts.sqlite.sql", "SELECT 3;"},
  };
  auto pg = select_migrations(files, Kind::kPostgres);
  ASSERT_TRUE(pg) << pg.error().message;
  EXPECT_THAT(names_of(*pg), ElementsAre("0001_base.sql", "0002_rls.pg.sql", "0010_late.sql"));
  EXPECT_EQ((*pg)[0].version, 1);
  EXPECT_EQ((*pg)[2].version, 10);
  EXPECT_EQ((*pg)[0].sql, "SELECT 1;");

  auto sqlite = select_migrations(files, Kind::kSqlite);
  ASSERT_TRUE(sqlite) << sqlite.error().message;
  EXPECT_THAT(names_of(*sqlite), ElementsAre("0001_base.sql", "0002_rls.sqlite.sql",
                                             "0003_fts.sqlite.sql", "0010_late.sql"));
}

TEST(SelectMigrations, ChecksumIsTheSha256OfTheSql) {
  const std::vector<MigrationFile> files = {{"0001_empty.sql", ""}, {"0002_abc.sql", "abc"}};
  auto selected = select_migrations(files, Kind::kSqlite);
  ASSERT_TRUE(selected) << selected.error().message;
  EXPECT_EQ((*selected)[0].checksum,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ((*selected)[1].checksum,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SelectMigrations, RefusesTwoFilesWithTheSameVersionForOneEngine) {
  const std::vector<MigrationFile> files = {{"0002_lots.sql", ""}, {"0002_tasks.sql", ""}};
  auto selected = select_migrations(files, Kind::kSqlite);
  ASSERT_FALSE(selected);
  EXPECT_EQ(selected.error().code, ErrorCode::kInvalid);
  EXPECT_THAT(selected.error().message, HasSubstr("0002_lots.sql"));
  EXPECT_THAT(selected.error().message, HasSubstr("0002_tasks.sql"));

  // A PostgreSQL-only file clashes on PostgreSQL only.
  const std::vector<MigrationFile> mixed = {{"0002_lots.sql", ""}, {"0002_rls.pg.sql", ""}};
  EXPECT_TRUE(select_migrations(mixed, Kind::kSqlite));
  auto pg = select_migrations(mixed, Kind::kPostgres);
  ASSERT_FALSE(pg);
  EXPECT_EQ(pg.error().code, ErrorCode::kInvalid);
}

TEST(SelectMigrations, RefusesANameWithoutAVersion) {
  for (const char* name : {"create_users.sql", "0001.sql", "0001_.sql", "_x.sql", "v1_x.sql",
                           "0001_x.txt", "0001_x.pg.sql.bak", "99999999999_x.sql"}) {
    const std::vector<MigrationFile> files = {{name, ""}};
    auto selected = select_migrations(files, Kind::kPostgres);
    ASSERT_FALSE(selected) << name;
    EXPECT_EQ(selected.error().code, ErrorCode::kInvalid) << name;
    EXPECT_THAT(selected.error().message, HasSubstr(name));
  }
}

TEST(ReadMigrationDir, ReadsTheSqlFilesSortedByName) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("atelier_migrations_" + testing::random_suffix());
  std::filesystem::create_directories(dir / "0003_folder.sql");
  std::ofstream(dir / "0002_b.sql") << "SELECT 2;";
  std::ofstream(dir / "0001_a.sql") << "SELECT 1;";
  std::ofstream(dir / "README.md") << "not a migration";
  auto files = read_migration_dir(dir);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].name, "0001_a.sql");
  EXPECT_EQ((*files)[0].sql, "SELECT 1;");
  EXPECT_EQ((*files)[1].name, "0002_b.sql");
}

TEST(ReadMigrationDir, AMissingDirectoryIsNotFound) {
  auto files = read_migration_dir("/nonexistent/atelier/migrations");
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kNotFound);
}

class MigrateTest : public testing::BackendTest {
 protected:
  std::vector<Migration> select(const std::vector<MigrationFile>& files) const {
    auto selected = select_migrations(files, kind());
    EXPECT_TRUE(selected) << selected.error().message;
    return selected ? *selected : std::vector<Migration>{};
  }

  bool table_exists(std::string_view table) const {
    auto rows = db_->transact(
        [&](Transaction& tx) { return tx.query("SELECT count(*) FROM " + std::string(table)); });
    return rows.ok();
  }

  std::vector<MigrationFile> files_ = {
      {"0001_lots.sql", "CREATE TABLE lots (id BIGINT PRIMARY KEY, name TEXT NOT NULL);"},
      {"0002_seed.sql", "INSERT INTO lots (id, name) VALUES (1, 'gros oeuvre');"},
      {"0003_code.sql", "ALTER TABLE lots ADD COLUMN code TEXT;"},
  };
};

INSTANTIATE_TEST_SUITE_P(Backends, MigrateTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         testing::backend_name);

TEST_P(MigrateTest, AppliesInOrderAndRecordsEach) {
  auto report = migrate(*db_, "projects", select(files_));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 3);
  EXPECT_EQ(report->already, 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM lots WHERE code IS NULL"), 1);

  auto recorded = db_->transact([](Transaction& tx) {
    return tx.query(
        "SELECT version, name, checksum, applied_at FROM schema_migrations "
        "WHERE component = $1 ORDER BY version",
        "projects");
  });
  ASSERT_TRUE(recorded) << recorded.error().message;
  ASSERT_EQ(recorded->size(), 3u);
  const auto migrations = select(files_);
  for (size_t i = 0; i < 3; ++i) {
    const Row& row = (*recorded)[i];
    EXPECT_EQ(row.get_int("version"), migrations[i].version);
    EXPECT_EQ(row.get_text("name"), migrations[i].name);
    EXPECT_EQ(row.get_text("checksum"), migrations[i].checksum);
    EXPECT_TRUE(parse_rfc3339(row.get_text("applied_at"))) << row.get_text("applied_at");
  }
}

TEST_P(MigrateTest, ASecondRunAppliesNothing) {
  ASSERT_TRUE(migrate(*db_, "projects", select(files_)));
  auto again = migrate(*db_, "projects", select(files_));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->applied, 0);
  EXPECT_EQ(again->already, 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM lots"), 1);
}

TEST_P(MigrateTest, AppliesOnlyTheNewMigrations) {
  std::vector<MigrationFile> first_two(files_.begin(), files_.begin() + 2);
  ASSERT_TRUE(migrate(*db_, "projects", select(first_two)));
  auto report = migrate(*db_, "projects", select(files_));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 1);
  EXPECT_EQ(report->already, 2);
}

TEST_P(MigrateTest, RefusesAMigrationChangedAfterItWasApplied) {
  ASSERT_TRUE(migrate(*db_, "projects", select(files_)));
  files_[1].sql = "INSERT INTO lots (id, name) VALUES (1, 'second oeuvre');";
  files_.push_back({"0004_more.sql", "CREATE TABLE more (id BIGINT);"});
  auto report = migrate(*db_, "projects", select(files_));
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kConflict);
  EXPECT_THAT(report.error().message,
              HasSubstr("migration projects/0002_seed.sql was changed after it was applied"));
  EXPECT_FALSE(table_exists("more")) << "nothing new runs on top of a changed history";
}

TEST_P(MigrateTest, AFailingMigrationLeavesNothingBehind) {
  files_[1] = {"0002_broken.sql",
               "CREATE TABLE partial (x INTEGER);"
               "INSERT INTO no_such_table (x) VALUES (1);"};
  auto report = migrate(*db_, "projects", select(files_));
  ASSERT_FALSE(report);
  EXPECT_THAT(report.error().message, HasSubstr("projects/0002_broken.sql"));
  EXPECT_FALSE(table_exists("partial"));
  EXPECT_TRUE(table_exists("lots"));
  EXPECT_EQ(scalar("SELECT count(*) FROM schema_migrations"), 1);

  files_[1] = {"0002_fixed.sql", "CREATE TABLE partial (x INTEGER);"};
  auto fixed = migrate(*db_, "projects", select(files_));
  ASSERT_TRUE(fixed) << fixed.error().message;
  EXPECT_EQ(fixed->applied, 2);
  EXPECT_EQ(fixed->already, 1);
}

TEST_P(MigrateTest, RunsTheFilesOfItsEngine) {
  files_.push_back({"0004_search.pg.sql", "CREATE TABLE only_pg (x INTEGER);"});
  files_.push_back({"0004_search.sqlite.sql", "CREATE TABLE only_sqlite (x INTEGER);"});
  auto report = migrate(*db_, "projects", select(files_));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 4);
  EXPECT_EQ(table_exists("only_pg"), is_postgres());
  EXPECT_EQ(table_exists("only_sqlite"), !is_postgres());
}

TEST_P(MigrateTest, ComponentsKeepTheirOwnHistory) {
  const std::vector<MigrationFile> events = {
      {"0001_outbox.sql", "CREATE TABLE outbox (id TEXT PRIMARY KEY);"}};
  ASSERT_TRUE(migrate(*db_, "events", select(events)));
  auto report = migrate(*db_, "projects", select(files_));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applied, 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM schema_migrations WHERE component = 'events'"), 1);
}

TEST_P(MigrateTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  // Four "processes" starting at once, each with its own pool on the same file or schema.
  constexpr int kMigrators = 4;
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < kMigrators; ++i) {
    dbs.push_back(open_with(options()));
    ASSERT_NE(dbs.back(), nullptr);
  }
  const auto migrations = select(files_);
  std::latch start(kMigrators);
  std::vector<Result<MigrateReport>> reports(kMigrators, Error::internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kMigrators; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      reports[static_cast<size_t>(i)] =
          migrate(*dbs[static_cast<size_t>(i)], "projects", migrations);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  int applied = 0;
  for (const auto& report : reports) {
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->applied + report->already, 3);
    applied += report->applied;
  }
  EXPECT_EQ(applied, 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM lots"), 1) << "the seed ran once";
}

}  // namespace
}  // namespace atelier::db
