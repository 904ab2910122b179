#include "atelier/http/etag.hpp"

#include <gtest/gtest.h>

namespace atelier::http {
namespace {

Request with_header(std::string_view name, std::string_view value) {
  Request request;
  request.path = "/api/v1/tasks/1";
  request.headers.add(name, value);
  return request;
}

TEST(Etag, VersionsBecomeStrongTags) {
  EXPECT_EQ(etag_for_version(7), "\"v7\"");
  EXPECT_EQ(etag_for_version(0), "\"v0\"");
}

TEST(Etag, IfMatchPassesOnTheCurrentTag) {
  const std::string current = etag_for_version(3);
  EXPECT_TRUE(check_if_match(with_header("If-Match", "\"v3\""), current, true).ok());
  EXPECT_TRUE(check_if_match(with_header("If-Match", "\"v1\", \"v3\""), current, true).ok());
  EXPECT_TRUE(check_if_match(with_header("If-Match", "*"), current, true).ok());
}

TEST(Etag, IfMatchMismatchIsPreconditionFailed) {
  const auto result = check_if_match(with_header("If-Match", "\"v2\""), "\"v3\"", false);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(http_status(result.error().code), 412);
  // Weak tags never match under If-Match's strong comparison.
  EXPECT_FALSE(check_if_match(with_header("If-Match", "W/\"v3\""), "\"v3\"", false).ok());
  // `*` needs an existing resource.
  EXPECT_FALSE(check_if_match(with_header("If-Match", "*"), "", false).ok());
  // Garbage matches nothing.
  EXPECT_FALSE(check_if_match(with_header("If-Match", "v3"), "\"v3\"", false).ok());
}

TEST(Etag, MissingIfMatchIsFineUnlessRequired) {
  Request request;
  EXPECT_TRUE(check_if_match(request, "\"v1\"", false).ok());
  const auto result = check_if_match(request, "\"v1\"", true);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kPreconditionRequired);
  EXPECT_EQ(http_status(result.error().code), 428);
  EXPECT_NE(result.error().message.find("If-Match is required"), std::string::npos);
}

TEST(Etag, IfNoneMatchUsesWeakComparison) {
  EXPECT_TRUE(not_modified(with_header("If-None-Match", "\"abc\""), "\"abc\""));
  EXPECT_TRUE(not_modified(with_header("If-None-Match", "W/\"abc\""), "\"abc\""));
  EXPECT_TRUE(not_modified(with_header("If-None-Match", "\"x\", W/\"abc\""), "W/\"abc\""));
  EXPECT_TRUE(not_modified(with_header("If-None-Match", "*"), "\"abc\""));
  EXPECT_TRUE(not_modified(with_header("If-None-Match", "\"a,b\""), "\"a,b\""));
  EXPECT_FALSE(not_modified(with_header("If-None-Match", "\"abd\""), "\"abc\""));
  EXPECT_FALSE(not_modified(Request{}, "\"abc\""));
}

}  // namespace
}  // namespace atelier::http
