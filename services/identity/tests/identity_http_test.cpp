// The identity API as a client sees it: the whole platform on an ephemeral port, spoken to over
// HTTP, each step's status and body asserted.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "atelier/auth/encoding.hpp"
#include "platform_http.hpp"

namespace atelier::identity {
namespace {

namespace json = boost::json;
using http::Method;

class IdentityHttpTest : public ::atelier::app::testing::PlatformHttpTest {
 protected:
  http::ClientResponse call(Method method, const std::string& path, const std::string& body = {},
                            const std::string& token = {}) {
    return send(method, path, body, token.empty() ? "" : "Bearer " + token);
  }

  std::string sign_up(const std::string& email, const std::string& org) {
    auto r = call(Method::kPost, "/api/v1/auth/register",
                  json::serialize(json::object{{"email", email},
                                               {"password", "Gros-Oeuvre-Beton-42"},
                                               {"name", "Jeanne Chef"},
                                               {"org_name", org}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(body_of(r)["org_id"].as_string());
  }

  json::object log_in(const std::string& email) {
    auto r =
        call(Method::kPost, "/api/v1/auth/login",
             json::serialize(json::object{{"email", email}, {"password", "Gros-Oeuvre-Beton-42"}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  }
};

TEST_F(IdentityHttpTest, SignUpLogInAndSeeOneself) {
  const std::string org = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  auto again = call(Method::kPost, "/api/v1/auth/register",
                    R"({"email":"jeanne@chantiers-sud.fr","password":"Gros-Oeuvre-Beton-42",)"
                    R"("name":"J","org_name":"X"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.headers.get("Content-Type"), "application/problem+json");

  auto tokens = log_in("jeanne@chantiers-sud.fr");
  EXPECT_EQ(tokens["token_type"].as_string(), "Bearer");
  EXPECT_EQ(tokens["org_id"].as_string(), org);
  const std::string access(tokens["access_token"].as_string());

  auto me = call(Method::kGet, "/api/v1/me", {}, access);
  ASSERT_EQ(me.status, 200) << me.body;
  auto profile = body_of(me);
  EXPECT_EQ(profile["email"].as_string(), "jeanne@chantiers-sud.fr");
  EXPECT_EQ(profile["memberships"].as_array().size(), 1u);
  EXPECT_EQ(profile["roles"].as_array()[0].as_string(), "owner");
}

TEST_F(IdentityHttpTest, ProtectedRoutesNeedAValidBearerToken) {
  auto anonymous = call(Method::kGet, "/api/v1/me");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_NE(anonymous.headers.get("WWW-Authenticate").find("Bearer"), std::string::npos);

  auto garbage = call(Method::kGet, "/api/v1/me", {}, "not.a.token");
  EXPECT_EQ(garbage.status, 401);
  EXPECT_NE(garbage.headers.get("WWW-Authenticate").find("invalid_token"), std::string::npos);

  // A token that claims no signature is needed.
  sign_up("eve@example.fr", "Eve SARL");
  auto real = log_in("eve@example.fr");
  const std::string access(real["access_token"].as_string());
  const std::string payload =
      access.substr(access.find('.') + 1, access.rfind('.') - access.find('.') - 1);
  const std::string none =
      auth::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
  EXPECT_EQ(call(Method::kGet, "/api/v1/me", {}, none).status, 401);
  // A token with its payload changed.
  std::string tampered = access;
  tampered[access.find('.') + 5] = tampered[access.find('.') + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(call(Method::kGet, "/api/v1/me", {}, tampered).status, 401);
  EXPECT_EQ(call(Method::kGet, "/api/v1/me", {}, access).status, 200);
}

TEST_F(IdentityHttpTest, RefreshRotatesAndAReplayIsRefused) {
  sign_up("paul@plomberie.fr", "Plomberie Paul");
  auto first = log_in("paul@plomberie.fr");
  const std::string refresh(first["refresh_token"].as_string());
  auto rotated = call(Method::kPost, "/api/v1/auth/refresh",
                      json::serialize(json::object{{"refresh_token", refresh}}));
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  auto replay = call(Method::kPost, "/api/v1/auth/refresh",
                     json::serialize(json::object{{"refresh_token", refresh}}));
  EXPECT_EQ(replay.status, 401);
  auto newer = std::string(body_of(rotated)["refresh_token"].as_string());
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/refresh",
                 json::serialize(json::object{{"refresh_token", newer}}))
                .status,
            401);
}

TEST_F(IdentityHttpTest, APersonCreatesASecondOrganisationAndSwitchesBetweenThem) {
  const std::string first = sign_up("lea@menuiserie.fr", "Menuiserie Léa");
  const std::string access(log_in("lea@menuiserie.fr")["access_token"].as_string());

  auto created = call(Method::kPost, "/api/v1/orgs", R"({"name":"  Léa Rénovation  "})", access);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string second(body_of(created)["id"].as_string());
  EXPECT_EQ(body_of(created)["name"].as_string(), "Léa Rénovation");
  EXPECT_EQ(call(Method::kPost, "/api/v1/orgs", R"({"name":""})", access).status, 422);

  auto me = body_of(call(Method::kGet, "/api/v1/me", {}, access));
  EXPECT_EQ(me["memberships"].as_array().size(), 2u);
  EXPECT_EQ(me["org_id"].as_string(), first);  // the token in hand still acts in the first

  auto switched = call(Method::kPost, "/api/v1/auth/switch-org",
                       json::serialize(json::object{{"org_id", second}}), access);
  ASSERT_EQ(switched.status, 200) << switched.body;
  auto tokens = body_of(switched);
  EXPECT_EQ(tokens["org_id"].as_string(), second);
  EXPECT_FALSE(tokens["refresh_token"].as_string().empty());
  const std::string in_second(tokens["access_token"].as_string());
  auto me_there = body_of(call(Method::kGet, "/api/v1/me", {}, in_second));
  EXPECT_EQ(me_there["org_id"].as_string(), second);
  EXPECT_EQ(me_there["roles"].as_array()[0].as_string(), "owner");

  // Someone else's organisation reads as unknown, whoever asks.
  const std::string other = sign_up("max@toitures.fr", "Toitures Max");
  auto refused = call(Method::kPost, "/api/v1/auth/switch-org",
                      json::serialize(json::object{{"org_id", other}}), access);
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/switch-org", R"({})", access).status, 422);
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/switch-org",
                 json::serialize(json::object{{"org_id", second}}))
                .status,
            401);
}

TEST_F(IdentityHttpTest, BadBodiesAreClearProblems) {
  auto not_json = call(Method::kPost, "/api/v1/auth/login", "{email:");
  EXPECT_EQ(not_json.status, 400);
  auto missing = call(Method::kPost, "/api/v1/auth/register", R"({"email":5})");
  ASSERT_EQ(missing.status, 422);
  auto problem = body_of(missing);
  std::set<std::string> fields;
  const auto& errors = problem["errors"].as_array();
  for (const auto& e : errors) {
    fields.insert(std::string(e.as_object().at("field").as_string()));
  }
  EXPECT_EQ(fields, (std::set<std::string>{"email", "password", "name", "org_name"}));
  auto wrong = call(Method::kPost, "/api/v1/auth/login",
                    R"({"email":"nobody@example.fr","password":"whatever-it-is"})");
  EXPECT_EQ(wrong.status, 401);
}

TEST_F(IdentityHttpTest, PublishesItsKeysAndDiscoveryDocument) {
  auto jwks = call(Method::kGet, "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  auto jwks_body = body_of(jwks);
  auto keys = jwks_body["keys"].as_array();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].as_object().at("alg").as_string(), "EdDSA");
  auto discovery = call(Method::kGet, "/.well-known/openid-configuration");
  ASSERT_EQ(discovery.status, 200);
  auto doc = body_of(discovery);
  EXPECT_EQ(doc["jwks_uri"].as_string(),
            std::string(doc["issuer"].as_string()) + "/.well-known/jwks.json");
}

TEST_F(IdentityHttpTest, TheAuditLogShowsOnlyTheCallersOrganisation) {
  sign_up("a@alpha.fr", "Alpha");
  sign_up("b@beta.fr", "Beta");
  auto a = log_in("a@alpha.fr");
  auto b = log_in("b@beta.fr");
  auto a_audit =
      call(Method::kGet, "/api/v1/audit?limit=10", {}, std::string(a["access_token"].as_string()));
  ASSERT_EQ(a_audit.status, 200) << a_audit.body;
  auto listed = body_of(a_audit);
  ASSERT_TRUE(listed["items"].is_array());
  EXPECT_FALSE(listed["items"].as_array().empty());
  for (const auto& item : listed["items"].as_array()) {
    EXPECT_NE(item.as_object().at("actor").as_string(), "b@beta.fr");
  }
  auto bad_limit =
      call(Method::kGet, "/api/v1/audit?limit=0", {}, std::string(b["access_token"].as_string()));
  EXPECT_EQ(bad_limit.status, 422);
}

}  // namespace
}  // namespace atelier::identity

namespace atelier::identity {
namespace {

class OAuthHttpTest : public ::atelier::app::testing::PlatformHttpTest {};

TEST_F(OAuthHttpTest, TokenEndpointRevocationAndUserinfo) {
  auto registered = send(http::Method::kPost, "/api/v1/auth/register",
                         R"({"email":"oauth@client.fr","password":"Gros-Oeuvre-Beton-42",)"
                         R"("name":"Olivia","org_name":"OAuth SARL"})",
                         "");
  ASSERT_EQ(registered.status, 201) << registered.body;
  auto login =
      body_of(send(http::Method::kPost, "/api/v1/auth/login",
                   R"({"email":"oauth@client.fr","password":"Gros-Oeuvre-Beton-42"})", ""));
  const std::string refresh(login["refresh_token"].as_string());
  const std::string access(login["access_token"].as_string());

  auto unsupported = send(http::Method::kPost, "/oauth2/token", "grant_type=password", "");
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(body_of(unsupported)["error"].as_string(), "unsupported_grant_type");

  auto exchanged = send(http::Method::kPost, "/oauth2/token",
                        "grant_type=refresh_token&refresh_token=" + refresh, "");
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  EXPECT_EQ(exchanged.headers.get("Cache-Control"), "no-store");
  const std::string newer(body_of(exchanged)["refresh_token"].as_string());

  auto replayed = send(http::Method::kPost, "/oauth2/token",
                       "grant_type=refresh_token&refresh_token=" + refresh, "");
  EXPECT_EQ(replayed.status, 400);
  EXPECT_EQ(body_of(replayed)["error"].as_string(), "invalid_grant");

  auto info = send(http::Method::kGet, "/oauth2/userinfo", "", "Bearer " + access);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(body_of(info)["email"].as_string(), "oauth@client.fr");
  EXPECT_FALSE(body_of(info)["email_verified"].as_bool());
  EXPECT_EQ(send(http::Method::kGet, "/oauth2/userinfo", "", "").status, 401);

  // Revocation answers 200 for unknown tokens too, and ends the session of a known one.
  EXPECT_EQ(send(http::Method::kPost, "/oauth2/revoke", "token=unknown", "").status, 200);
  EXPECT_EQ(send(http::Method::kPost, "/oauth2/revoke", "token=" + newer, "").status, 200);
  auto after = send(http::Method::kPost, "/oauth2/token",
                    "grant_type=refresh_token&refresh_token=" + newer, "");
  EXPECT_EQ(after.status, 400);

  auto discovery = body_of(send(http::Method::kGet, "/.well-known/openid-configuration", "", ""));
  EXPECT_EQ(std::string(discovery["token_endpoint"].as_string()),
            std::string(discovery["issuer"].as_string()) + "/oauth2/token");
}

}  // namespace
}  // namespace atelier::identity
