#include "atelier/core/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace atelier {
namespace {

std::filesystem::path write_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsRunEverythingOnSqliteOnLoopback) {
  auto config = Config::load(std::nullopt, {});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8080);
  EXPECT_EQ(config->database, DatabaseKind::kSqlite);
  EXPECT_TRUE(config->runs_service("projects"));
}

TEST(Config, EnvironmentOverridesFileOverridesDefaults) {
  const auto file = write_file("atelier_cfg_1.conf",
                               "# comment\nlisten = 0.0.0.0:9000\nio_threads = 3\n\n"
                               "services = projects, tasks\nmax_body_bytes = 2M\n");
  auto config = Config::load(file, {{"ATELIER_IO_THREADS", "5"}});
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->listen_host, "0.0.0.0");
  EXPECT_EQ(config->listen_port, 9000);
  EXPECT_EQ(config->io_threads, 5u);
  EXPECT_EQ(config->max_body_bytes, 2u << 20);
  EXPECT_TRUE(config->runs_service("tasks"));
  EXPECT_FALSE(config->runs_service("identity"));
}

TEST(Config, BadEnvironmentValueNamesTheVariable) {
  auto config = Config::load(std::nullopt, {{"ATELIER_WORKER_THREADS", "lots"}});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::kInvalid);
  EXPECT_NE(config.error().message.find("ATELIER_WORKER_THREADS"), std::string::npos);
  EXPECT_NE(config.error().message.find("'lots'"), std::string::npos);
}

TEST(Config, BadFileValueNamesFileLineAndKey) {
  const auto file = write_file("atelier_cfg_2.conf", "listen = 127.0.0.1:8080\nlog_level = loud\n");
  auto config = Config::load(file, {});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("atelier_cfg_2.conf:2: log_level"), std::string::npos)
      << config.error().message;
}

TEST(Config, UnknownKeysAreRefusedSoTyposDoNotPassSilently) {
  EXPECT_FALSE(Config::load(std::nullopt, {{"ATELIER_LISTN", "x"}}).ok());
  const auto file = write_file("atelier_cfg_3.conf", "lisen = 127.0.0.1:1\n");
  EXPECT_FALSE(Config::load(file, {}).ok());
  // The test suite's own variables are not server settings.
  EXPECT_TRUE(Config::load(std::nullopt, {{"ATELIER_TEST_POSTGRES_URL", "x"}}).ok());
}

TEST(Config, ValidatesRangesAndShapes) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"ATELIER_LISTEN", "8080"},
                                                        {"ATELIER_LISTEN", "host:70000"},
                                                        {"ATELIER_IO_THREADS", "-1"},
                                                        {"ATELIER_MAX_BODY_BYTES", "1T"},
                                                        {"ATELIER_DATABASE", "mysql"},
                                                        {"ATELIER_ACCESS_LOG", "maybe"},
                                                        {"ATELIER_HEADER_TIMEOUT_MS", "0"}}) {
    auto config = Config::load(std::nullopt, {{key, value}});
    EXPECT_FALSE(config.ok()) << key << "=" << value;
  }
}

TEST(Config, TokenLifetimesOfTheIdentityService) {
  auto defaults = Config::load(std::nullopt, {});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->signing_key_rotation, std::chrono::hours(24 * 30));
  EXPECT_EQ(defaults->oauth_code_ttl, std::chrono::seconds(60));
  auto set = Config::load(std::nullopt, {{"ATELIER_SIGNING_KEY_ROTATION_DAYS", "7"},
                                         {"ATELIER_OAUTH_CODE_TTL_SECONDS", "30"}});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->signing_key_rotation, std::chrono::hours(24 * 7));
  EXPECT_EQ(set->oauth_code_ttl, std::chrono::seconds(30));
  EXPECT_FALSE(Config::load(std::nullopt, {{"ATELIER_SIGNING_KEY_ROTATION_DAYS", "0"}}));
  EXPECT_FALSE(Config::load(std::nullopt, {{"ATELIER_OAUTH_CODE_TTL_SECONDS", "3600"}}));
}

TEST(Config, SecretsKeyOfTheIdentityService) {
  auto defaults = Config::load(std::nullopt, {{"ATELIER_DATA_DIR", "/var/lib/atelier"}});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->secrets_key, "");
  EXPECT_EQ(defaults->secrets_key_path(), std::filesystem::path("/var/lib/atelier/secrets.key"));
  const std::string key(64, 'a');
  auto set = Config::load(std::nullopt, {{"ATELIER_SECRETS_KEY", key},
                                         {"ATELIER_SECRETS_KEY_FILE", "/etc/atelier/key"}});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->secrets_key, key);
  EXPECT_EQ(set->secrets_key_path(), std::filesystem::path("/etc/atelier/key"));
  // A malformed key is refused without echoing it: the message names the setting only.
  const std::string bad = std::string(63, 'a') + "z";
  auto refused = Config::load(std::nullopt, {{"ATELIER_SECRETS_KEY", bad}});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("ATELIER_SECRETS_KEY"), std::string::npos);
  EXPECT_EQ(refused.error().message.find(bad), std::string::npos);
  bool listed = false;
  for (const auto& [name, description] : Config::describe()) {
    listed = listed || (name == "secrets_key_file" &&
                        description.find("ATELIER_SECRETS_KEY_FILE") != std::string::npos);
  }
  EXPECT_TRUE(listed);
}

TEST(Config, ScheduleQuietPeriodOfTheTasksService) {
  auto defaults = Config::load(std::nullopt, {});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->schedule_quiet_period, std::chrono::milliseconds(50));
  auto set = Config::load(std::nullopt, {{"ATELIER_SCHEDULE_QUIET_PERIOD_MS", "250"}});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->schedule_quiet_period, std::chrono::milliseconds(250));
  auto now = Config::load(std::nullopt, {{"ATELIER_SCHEDULE_QUIET_PERIOD_MS", "0"}});
  ASSERT_TRUE(now) << now.error().message;
  EXPECT_EQ(now->schedule_quiet_period, std::chrono::milliseconds(0));
  for (const char* bad : {"-1", "60001", "soon"}) {
    auto config = Config::load(std::nullopt, {{"ATELIER_SCHEDULE_QUIET_PERIOD_MS", bad}});
    ASSERT_FALSE(config) << bad;
    EXPECT_NE(config.error().message.find("ATELIER_SCHEDULE_QUIET_PERIOD_MS"), std::string::npos)
        << config.error().message;
  }
}

TEST(Config, SchemaPrefixIsASafeIdentifierPart) {
  auto good = Config::load(std::nullopt, {{"ATELIER_POSTGRES_SCHEMA_PREFIX", "site_a_"}});
  ASSERT_TRUE(good);
  EXPECT_EQ(good->postgres_schema_prefix, "site_a_");
  for (const char* bad : {"Site", "a-b", "1a", "a\"; DROP"}) {
    EXPECT_FALSE(Config::load(std::nullopt, {{"ATELIER_POSTGRES_SCHEMA_PREFIX", bad}})) << bad;
  }
}

TEST(Config, PostgresNeedsAUrl) {
  auto config = Config::load(std::nullopt, {{"ATELIER_DATABASE", "postgres"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("postgres_url"), std::string::npos);
}

TEST(Config, MissingFileIsAClearError) {
  auto config = Config::load("/nonexistent/atelier.conf", {});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("/nonexistent/atelier.conf"), std::string::npos);
}

TEST(Config, IPv6ListenAddress) {
  auto config = Config::load(std::nullopt, {{"ATELIER_LISTEN", "[::1]:0"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->listen_host, "::1");
  EXPECT_EQ(config->listen_port, 0);
}

}  // namespace
}  // namespace atelier
