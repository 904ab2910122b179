#include "atelier/http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace atelier::http {
namespace {

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

std::string call(const Router& router, Method method, std::string path, Request* out = nullptr) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  const RouteMatch match = router.match(request);
  if (match.route == nullptr) {
    return std::to_string(match.status());
  }
  std::string body = match.route->handler(request).body;
  if (out != nullptr) {
    *out = request;
  }
  return body;
}

TEST(Router, MatchesLiteralPathsAndRoot) {
  Router router;
  router.add(Method::kGet, "/", named("root"));
  router.add(Method::kGet, "/api/v1/projects", named("projects"));
  EXPECT_EQ(call(router, Method::kGet, "/"), "root");
  EXPECT_EQ(call(router, Method::kGet, "/api/v1/projects"), "projects");
  EXPECT_EQ(call(router, Method::kGet, "/api/v1/projects/"), "404");
  EXPECT_EQ(call(router, Method::kGet, "/api/v1"), "404");
}

TEST(Router, ExtractsParameters) {
  Router router;
  router.add(Method::kGet, "/api/v1/projects/{project}/tasks/{task}", named("task"));
  Request request;
  EXPECT_EQ(call(router, Method::kGet, "/api/v1/projects/p-1/tasks/42", &request), "task");
  EXPECT_EQ(request.param("project"), "p-1");
  EXPECT_EQ(request.param("task"), "42");
  EXPECT_EQ(request.param("missing"), "");
  EXPECT_EQ(request.route, "/api/v1/projects/{project}/tasks/{task}");
  EXPECT_EQ(request.route_id, 0);
  // A parameter never matches an empty segment.
  EXPECT_EQ(call(router, Method::kGet, "/api/v1/projects//tasks/42"), "404");
}

TEST(Router, LiteralSegmentsBeatParameters) {
  Router router;
  router.add(Method::kGet, "/users/{id}", named("by-id"));
  router.add(Method::kGet, "/users/me", named("me"));
  EXPECT_EQ(call(router, Method::kGet, "/users/me"), "me");
  EXPECT_EQ(call(router, Method::kGet, "/users/42"), "by-id");
}

TEST(Router, BacktracksFromALiteralDeadEnd) {
  Router router;
  router.add(Method::kGet, "/a/b/c", named("literal"));
  router.add(Method::kGet, "/a/{x}/d", named("param"));
  Request request;
  EXPECT_EQ(call(router, Method::kGet, "/a/b/d", &request), "param");
  EXPECT_EQ(request.param("x"), "b");
  // And from a literal path that lacks the method.
  router.add(Method::kDelete, "/a/{x}/c", named("delete"));
  EXPECT_EQ(call(router, Method::kDelete, "/a/b/c"), "delete");
}

TEST(Router, CatchAllTakesTheRestOfThePath) {
  Router router;
  router.add(Method::kGet, "/api/v1/health", named("health"));
  router.add(Method::kGet, "/{*path}", named("files"));
  Request request;
  EXPECT_EQ(call(router, Method::kGet, "/assets/app.123.js", &request), "files");
  EXPECT_EQ(request.param("path"), "assets/app.123.js");
  EXPECT_EQ(call(router, Method::kGet, "/", &request), "files");
  EXPECT_EQ(request.param("path"), "");
  EXPECT_EQ(call(router, Method::kGet, "/api/v1/health"), "health");
  EXPECT_EQ(call(router, Method::kGet, "/api/v1/other", &request), "files");
  EXPECT_EQ(request.param("path"), "api/v1/other");
}

TEST(Router, UnknownPathIs404) {
  Router router;
  router.add(Method::kGet, "/a", named("a"));
  PathParams params;
  EXPECT_EQ(router.match(Method::kGet, "/b", params).status(), 404);
  EXPECT_EQ(router.match(Method::kGet, "", params).status(), 404);
  EXPECT_EQ(router.match(Method::kGet, "relative", params).status(), 404);
}

TEST(Router, WrongMethodIs405WithAllowIncludingHead) {
  Router router;
  router.add(Method::kGet, "/tasks/{id}", named("get"));
  router.add(Method::kPatch, "/tasks/{id}", named("patch"));
  router.add(Method::kDelete, "/tasks/{id}", named("delete"));
  PathParams params;
  const RouteMatch match = router.match(Method::kPost, "/tasks/7", params);
  EXPECT_EQ(match.status(), 405);
  EXPECT_EQ(match.allow(), "GET, HEAD, PATCH, DELETE");
  EXPECT_EQ(params.size(), 0u);
}

TEST(Router, HeadFallsBackToGet) {
  Router router;
  router.add(Method::kGet, "/x", named("get"));
  EXPECT_EQ(call(router, Method::kHead, "/x"), "get");
  router.add(Method::kHead, "/x", named("head"));
  EXPECT_EQ(call(router, Method::kHead, "/x"), "head");
}

TEST(Router, RejectsMalformedAndDuplicatePatterns) {
  Router router;
  router.add(Method::kGet, "/a/{id}", named("a"));
  EXPECT_THROW(router.add(Method::kGet, "/a/{id}", named("again")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kGet, "/a/{other}", named("same shape")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kGet, "no-slash", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kGet, "/a//b", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kGet, "/a/{id", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kGet, "/a/x{id}", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kGet, "/{*rest}/more", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kGet, "/{a}/{a}", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::kOther, "/z", named("x")), std::invalid_argument);
}

TEST(Router, ParameterNamesArePerRoute) {
  Router router;
  router.add(Method::kGet, "/orgs/{org}", named("org"));
  router.add(Method::kDelete, "/orgs/{id}", named("delete"));
  Request request;
  EXPECT_EQ(call(router, Method::kGet, "/orgs/o1", &request), "org");
  EXPECT_EQ(request.param("org"), "o1");
  EXPECT_EQ(call(router, Method::kDelete, "/orgs/o2", &request), "delete");
  EXPECT_EQ(request.param("id"), "o2");
}

}  // namespace
}  // namespace atelier::http
