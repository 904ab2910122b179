#include "atelier/http/request.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "atelier/http/response.hpp"

namespace atelier::http {
namespace {

TEST(Headers, NamesAreCaseInsensitive) {
  Headers headers;
  headers.add("Content-Type", "application/json");
  EXPECT_EQ(headers.get("content-type"), "application/json");
  EXPECT_EQ(headers.get("CONTENT-TYPE"), "application/json");
  EXPECT_TRUE(headers.contains("content-TYPE"));
  EXPECT_FALSE(headers.contains("Content-Length"));
  EXPECT_EQ(headers.get("Content-Length"), "");
}

TEST(Headers, SetReplacesEveryDuplicateAndAddKeepsThem) {
  Headers headers;
  headers.add("Vary", "Origin");
  headers.add("vary", "Accept");
  EXPECT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers.get("Vary"), "Origin");
  headers.set("VARY", "*");
  EXPECT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers.get("vary"), "*");
  headers.set_default("Vary", "ignored");
  EXPECT_EQ(headers.get("Vary"), "*");
  headers.set_default("X-Frame-Options", "DENY");
  EXPECT_EQ(headers.get("x-frame-options"), "DENY");
  headers.remove("vary");
  EXPECT_FALSE(headers.contains("Vary"));
  EXPECT_EQ(headers.size(), 1u);
}

TEST(Request, SplitsAndDecodesTheTarget) {
  Request request;
  ASSERT_TRUE(request.set_target("/api/v1/projects/caf%C3%A9%20x?limit=10&cursor=a%2Bb"));
  EXPECT_EQ(request.path, "/api/v1/projects/caf\xC3\xA9 x");
  EXPECT_EQ(request.query, "limit=10&cursor=a%2Bb");
  EXPECT_EQ(request.target, "/api/v1/projects/caf%C3%A9%20x?limit=10&cursor=a%2Bb");
  ASSERT_TRUE(request.set_target("/plain"));
  EXPECT_EQ(request.path, "/plain");
  EXPECT_EQ(request.query, "");
}

TEST(Request, AcceptsAbsoluteFormTargets) {
  Request request;
  ASSERT_TRUE(request.set_target("http://example.com:8080/a/b?x=1"));
  EXPECT_EQ(request.path, "/a/b");
  EXPECT_EQ(request.query, "x=1");
  ASSERT_TRUE(request.set_target("http://example.com"));
  EXPECT_EQ(request.path, "/");
}

TEST(Request, RejectsBadEscapesNulAndRelativeTargets) {
  Request request;
  EXPECT_FALSE(request.set_target("/a%00b"));
  EXPECT_FALSE(request.set_target("/a%zz"));
  EXPECT_FALSE(request.set_target("/a%4"));
  EXPECT_FALSE(request.set_target("/a%"));
  EXPECT_FALSE(request.set_target("relative/path"));
  EXPECT_FALSE(request.set_target(""));
}

TEST(Request, QueryParametersAreDecoded) {
  Request request;
  ASSERT_TRUE(request.set_target("/search?q=red+brick%20wall&limit=5&flag&q=second"));
  EXPECT_EQ(request.query_param("q"), "red brick wall");
  EXPECT_EQ(request.query_param("limit"), "5");
  EXPECT_EQ(request.query_param("flag"), "");
  EXPECT_EQ(request.query_param("missing"), std::nullopt);
  ASSERT_TRUE(request.set_target("/search?bad=%zz"));
  EXPECT_EQ(request.query_param("bad"), std::nullopt);
}

TEST(Request, MethodsRoundTrip) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    EXPECT_EQ(parse_method(method_name(m)), m);
  }
  EXPECT_EQ(parse_method("get"), Method::kOther);
  EXPECT_EQ(parse_method("PROPFIND"), Method::kOther);
}

TEST(Response, ProblemHasRfc9457ShapeWithFieldErrors) {
  Request request;
  request.path = "/api/v1/projects";
  request.request_id = "req-1";
  Error error = Error::invalid("The project is invalid.",
                               {{"name", "must not be empty"}, {"budget.amount", "must be >= 0"}});
  const Response response = Response::problem(error, request);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.headers.get("Content-Type"), "application/problem+json");
  const boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("type"), "/problems/validation");
  EXPECT_EQ(body.at("title"), "Unprocessable Content");
  EXPECT_EQ(body.at("status"), 422);
  EXPECT_EQ(body.at("detail"), "The project is invalid.");
  EXPECT_EQ(body.at("instance"), "/api/v1/projects");
  EXPECT_EQ(body.at("request_id"), "req-1");
  const auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("field"), "name");
  EXPECT_EQ(errors[0].at("message"), "must not be empty");
  EXPECT_EQ(errors[1].at("field"), "budget.amount");
  EXPECT_FALSE(response.headers.contains("Retry-After"));
}

TEST(Response, ProblemCarriesRetryAfterAndEscapesText) {
  Request request;
  request.path = "/x\"y";
  Error error = Error::unavailable("busy \"now\"\n");
  error.retry_after = std::chrono::seconds(3);
  const Response response = Response::problem(error, request);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.headers.get("Retry-After"), "3");
  const boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("detail"), "busy \"now\"\n");
  EXPECT_EQ(body.at("instance"), "/x\"y");
  EXPECT_FALSE(body.as_object().contains("errors"));
  EXPECT_FALSE(body.as_object().contains("request_id"));
}

TEST(Response, FactoriesSetContentType) {
  EXPECT_EQ(Response::json(201, std::string("{}")).headers.get("Content-Type"), "application/json");
  EXPECT_EQ(Response::json(200, boost::json::value{{"a", 1}}).body, R"({"a":1})");
  EXPECT_EQ(Response::json(201, R"({"id":"p-1"})").body, R"({"id":"p-1"})");
  EXPECT_EQ(Response::text(200, "hi").headers.get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Response::no_content().status, 204);
  Request request;
  const Response timeout = Response::problem(408, "request-timeout", "too slow", request);
  EXPECT_EQ(timeout.status, 408);
  EXPECT_EQ(boost::json::parse(timeout.body).at("title"), "Request Timeout");
}

}  // namespace
}  // namespace atelier::http

namespace atelier::http {
namespace {

TEST(Request, ClientAddressDropsThePortForIpv4AndIpv6) {
  Request request;
  request.remote_address = "203.0.113.7:51234";
  EXPECT_EQ(request.client_address(), "203.0.113.7");
  request.remote_address = "[::1]:8080";
  EXPECT_EQ(request.client_address(), "::1");
  request.remote_address = "";
  EXPECT_EQ(request.client_address(), "");
}

}  // namespace
}  // namespace atelier::http

#include "atelier/http/json_body.hpp"

namespace atelier::http {
namespace {

TEST(FormBody, DecodesPlusPercentAndEmptyValues) {
  Request request;
  request.body = "grant_type=refresh_token&refresh_token=a%2Bb%3D&scope=read+write&empty=";
  auto form = form_body(request);
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->at("grant_type"), "refresh_token");
  EXPECT_EQ(form->at("refresh_token"), "a+b=");
  EXPECT_EQ(form->at("scope"), "read write");
  EXPECT_EQ(form->at("empty"), "");
}

TEST(FormBody, RefusesBadEscapesAndRepeatedNames) {
  for (const char* bad : {"a=%zz", "a=%4", "a=%", "a=1&a=2"}) {
    Request request;
    request.body = bad;
    auto form = form_body(request);
    ASSERT_FALSE(form) << bad;
    EXPECT_EQ(form.error().code, ErrorCode::kBadRequest);
  }
}

}  // namespace
}  // namespace atelier::http

namespace atelier::http {
namespace {

TEST(JsonFields, AnswersBadBodiesWith400AndBadFieldsWith422) {
  Request not_json;
  not_json.body = "{email:";
  JsonFields broken(not_json);
  (void)broken.string("email");
  auto bad_body = broken.problem(not_json);
  ASSERT_TRUE(bad_body);
  EXPECT_EQ(bad_body->status, 400);

  Request missing;
  missing.body = R"({"email": 5})";
  JsonFields fields(missing);
  (void)fields.string("email");
  (void)fields.string("name");
  auto bad_fields = fields.problem(missing);
  ASSERT_TRUE(bad_fields);
  EXPECT_EQ(bad_fields->status, 422);
  EXPECT_NE(bad_fields->body.find("\"email\""), std::string::npos);
  EXPECT_NE(bad_fields->body.find("\"name\""), std::string::npos);

  Request good;
  good.body = R"({"email": "a@b.fr"})";
  JsonFields ok(good);
  EXPECT_EQ(ok.string("email"), "a@b.fr");
  EXPECT_FALSE(ok.problem(good));
}

}  // namespace
}  // namespace atelier::http

#include "atelier/http/pagination.hpp"

namespace atelier::http {
namespace {

TEST(Pagination, ReadsLimitAndCursorAndRefusesBadOnes) {
  Request plain;
  plain.set_target("/api/v1/things");
  auto first = page_request(plain);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->limit, 50);
  EXPECT_EQ(first->cursor, "");

  Request given;
  given.set_target("/api/v1/things?limit=7&cursor=abc");
  EXPECT_EQ(page_request(given)->limit, 7);
  EXPECT_EQ(page_request(given)->cursor, "abc");

  for (const char* bad : {"?limit=0", "?limit=201", "?limit=ten", "?limit=5x"}) {
    Request r;
    r.set_target(std::string("/api/v1/things") + bad);
    auto page = page_request(r);
    ASSERT_FALSE(page) << bad;
    EXPECT_EQ(page.error().fields.at(0).field, "limit");
  }
  Request long_cursor;
  long_cursor.set_target("/api/v1/things?cursor=" + std::string(65, 'x'));
  EXPECT_FALSE(page_request(long_cursor));
}

TEST(Pagination, TheExtraRowOnlyMakesTheNextCursor) {
  const std::vector<std::string> rows = {"a", "b", "c"};
  auto to_json = [](const std::string& s) { return boost::json::value(s); };
  auto id_of = [](const std::string& s) { return s; };
  const auto more = boost::json::parse(page_response(rows, 2, to_json, id_of).body).as_object();
  EXPECT_EQ(more.at("items").as_array().size(), 2u);
  EXPECT_EQ(more.at("next_cursor").as_string(), "b");
  const auto last = boost::json::parse(page_response(rows, 3, to_json, id_of).body).as_object();
  EXPECT_EQ(last.at("items").as_array().size(), 3u);
  EXPECT_TRUE(last.at("next_cursor").is_null());
}

}  // namespace
}  // namespace atelier::http
