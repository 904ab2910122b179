// Test support: the whole platform on an ephemeral port in a temporary directory, and a client
// that speaks JSON to it. HTTP tests of the services derive their fixture from this.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "atelier/http/client.hpp"
#include "backend.hpp"
#include "platform.hpp"

namespace atelier::app::testing {

class PlatformHttpTest : public ::testing::Test {
 protected:
  // A fixture that returns true runs the platform on the test PostgreSQL (schemas of its own,
  // dropped afterwards) instead of SQLite files.
  virtual bool on_postgres() const { return false; }
  // Adjusts the configuration before the platform opens (small quotas, short periods).
  virtual void configure(Config& /*config*/) const {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atelier_http_test_" + db::testing::random_suffix());
    auto config = Config::load(std::nullopt, {});
    ASSERT_TRUE(config);
    config->listen_port = 0;
    config->data_dir = dir_ / "data";
    config->web_root = dir_ / "web";
    config->access_log = false;
    configure(*config);
    if (on_postgres()) {
      const char* url = std::getenv("ATELIER_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        const char* require = std::getenv("ATELIER_TEST_REQUIRE_POSTGRES");
        if (require != nullptr && std::string_view(require) == "1") {
          FAIL() << "ATELIER_TEST_POSTGRES_URL is not set: run through scripts/with-postgres";
        }
        GTEST_SKIP() << "run through scripts/with-postgres to cover PostgreSQL";
      }
      config->database = DatabaseKind::kPostgres;
      config->postgres_url = url;
      config->postgres_schema_prefix = "t_" + db::testing::random_suffix() + "_";
      postgres_url_ = url;
      schema_prefix_ = config->postgres_schema_prefix;
    }
    auto platform = app::Platform::open(*config);
    ASSERT_TRUE(platform) << platform.error().message;
    platform_ = std::move(platform).value();
    ASSERT_TRUE(platform_->migrate());
    auto started = platform_->start();
    ASSERT_TRUE(started) << started.error().message;
  }

  void TearDown() override {
    platform_.reset();
    std::filesystem::remove_all(dir_);
    if (!schema_prefix_.empty()) {
      db::Options o;
      o.kind = db::Kind::kPostgres;
      o.postgres_url = postgres_url_;
      o.schema = schema_prefix_ + "cleanup";
      o.pool_size = 1;
      auto cleaner = db::open(o);
      ASSERT_TRUE(cleaner) << cleaner.error().message;
      auto dropped = (*cleaner)->transact([&](db::Transaction& tx) -> Result<void> {
        auto schemas = tx.query("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)",
                                schema_prefix_);
        if (!schemas) {
          return std::move(schemas).error();
        }
        for (const auto& row : *schemas) {
          if (auto r = tx.execute_script("DROP SCHEMA \"" + row.get_text(0) + "\" CASCADE"); !r) {
            return r;
          }
        }
        return {};
      });
      EXPECT_TRUE(dropped) << dropped.error().message;
    }
  }

  // `authorization` is the whole header value ("Bearer ...", "ApiKey ..."); empty sends none.
  http::ClientResponse send(http::Method method, const std::string& path, const std::string& body,
                            const std::string& authorization) {
    http::Headers headers;
    if (!body.empty()) {
      headers.set("Content-Type", "application/json");
    }
    if (!authorization.empty()) {
      headers.set("Authorization", authorization);
    }
    auto r = client_.request(method, platform_->url() + path, headers, body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  static boost::json::object body_of(const http::ClientResponse& r) {
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return !ec && v.is_object() ? v.as_object() : boost::json::object{};
  }

  std::filesystem::path dir_;
  std::string postgres_url_;
  std::string schema_prefix_;
  std::unique_ptr<app::Platform> platform_;
  http::Client client_;
};

}  // namespace atelier::app::testing
