// Test support: the whole platform on an ephemeral port in a temporary directory, and a client
// that speaks JSON to it. HTTP tests of the identity service derive their fixture from this.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "atelier/http/client.hpp"
#include "backend.hpp"
#include "platform.hpp"

namespace atelier::identity::testing {

class PlatformHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atelier_http_test_" + db::testing::random_suffix());
    auto config = Config::load(std::nullopt, {});
    ASSERT_TRUE(config);
    config->listen_port = 0;
    config->data_dir = dir_ / "data";
    config->web_root = dir_ / "web";
    config->access_log = false;
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
  std::unique_ptr<app::Platform> platform_;
  http::Client client_;
};

}  // namespace atelier::identity::testing
