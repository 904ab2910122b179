// The OAuth 2.1 / OIDC provider as clients see it, on both engines: an organisation registers
// applications, a person authorizes one through the portal, the application exchanges its code
// (PKCE) for tokens, and machine clients get tokens of their own. Every step over HTTP.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <map>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/secrets.hpp"
#include "platform_http.hpp"

namespace atelier::identity {
namespace {

namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Gros-Oeuvre-Beton-42";
constexpr const char* kRedirect = "https://erp.durand-batiment.fr/oauth/callback";

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += *auth::hex_decode(s.substr(i + 1, 2));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// The query parameters of a URL.
std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  const size_t q = url.find('?');
  if (q == std::string::npos) {
    return out;
  }
  std::string_view rest = std::string_view(url).substr(q + 1);
  while (!rest.empty()) {
    const std::string_view pair = rest.substr(0, rest.find('&'));
    const size_t eq = pair.find('=');
    out[url_decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
  }
  return out;
}

// The claims of a JWT, read without checking it (the server checked it; the test reads it).
json::object claims_of(const std::string& jwt) {
  const size_t a = jwt.find('.');
  const size_t b = jwt.find('.', a + 1);
  return json::parse(*auth::base64url_decode(jwt.substr(a + 1, b - a - 1))).as_object();
}

class OAuthFlowTest : public ::atelier::app::testing::PlatformHttpTest,
                      public ::testing::WithParamInterface<db::Kind> {
 protected:
  bool on_postgres() const override { return GetParam() == db::Kind::kPostgres; }

  struct Account {
    std::string user_id;
    std::string org_id;
    std::string access_token;
  };

  Account sign_up(const std::string& email, const std::string& org) {
    auto r = send(Method::kPost, "/api/v1/auth/register",
                  json::serialize(json::object{{"email", email},
                                               {"password", kPassword},
                                               {"name", "Marie Durand"},
                                               {"org_name", org}}),
                  "");
    EXPECT_EQ(r.status, 201) << r.body;
    Account account{text(body_of(r), "user_id"), text(body_of(r), "org_id"), {}};
    auto login = send(Method::kPost, "/api/v1/auth/login",
                      json::serialize(json::object{{"email", email}, {"password", kPassword}}), "");
    EXPECT_EQ(login.status, 200) << login.body;
    account.access_token = text(body_of(login), "access_token");
    return account;
  }

  json::object register_client(const std::string& token, const json::object& client) {
    auto r =
        send(Method::kPost, "/api/v1/oauth-clients", json::serialize(client), "Bearer " + token);
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r);
  }

  json::object web_app(const std::string& token) {
    return register_client(
        token, json::object{{"name", "ERP Durand"},
                            {"type", "confidential"},
                            {"redirect_uris", json::array{kRedirect}},
                            {"grant_types", json::array{"authorization_code", "refresh_token"}}});
  }

  std::string authorize_query(const std::string& client_id, const std::string& challenge,
                              const std::string& method = "S256",
                              const std::string& redirect_uri = kRedirect) {
    return "response_type=code&client_id=" + client_id +
           "&redirect_uri=" + url_encode(redirect_uri) + "&code_challenge=" + challenge +
           "&code_challenge_method=" + method +
           "&scope=openid%20email%20offline_access&state=xyz%20123&nonce=n-0S6_WzA2Mj";
  }

  // The portal's consent call; returns the redirect_to of the answer.
  std::string consent(const std::string& token, const std::string& client_id,
                      const std::string& challenge, bool approve = true) {
    auto r = send(Method::kPost, "/api/v1/oauth2/authorize",
                  json::serialize(json::object{{"response_type", "code"},
                                               {"client_id", client_id},
                                               {"redirect_uri", kRedirect},
                                               {"code_challenge", challenge},
                                               {"code_challenge_method", "S256"},
                                               {"scope", "openid email offline_access"},
                                               {"state", "xyz 123"},
                                               {"nonce", "n-0S6_WzA2Mj"},
                                               {"approve", approve}}),
                  "Bearer " + token);
    EXPECT_EQ(r.status, 200) << r.body;
    return text(body_of(r), "redirect_to");
  }

  http::ClientResponse form(const std::string& path, const std::string& body,
                            const std::string& authorization = {}) {
    http::Headers headers;
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    if (!authorization.empty()) {
      headers.set("Authorization", authorization);
    }
    auto r = client_.request(Method::kPost, platform_->url() + path, headers, body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  static std::string basic(const json::object& client) {
    return "Basic " + base64(text(client, "client_id") + ":" + text(client, "client_secret"));
  }

  static std::string base64(std::string_view bytes) {
    std::string s = auth::base64url_encode(bytes);
    for (char& c : s) {
      c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    while (s.size() % 4 != 0) {
      s += '=';
    }
    return s;
  }

  http::ClientResponse get(const std::string& path) {
    auto r = client_.request(Method::kGet, platform_->url() + path, {}, {});
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  const std::string verifier_ = auth::random_token(48);
  const std::string challenge_ = auth::base64url_encode(auth::sha256(verifier_));
};

TEST_P(OAuthFlowTest, AuthorizationCodeWithPkceFromRegistrationToRefresh) {
  const Account marie = sign_up("marie@durand-batiment.fr", "Durand Bâtiment");
  const json::object app = web_app(marie.access_token);
  const std::string client_id = text(app, "client_id");
  ASSERT_FALSE(text(app, "client_secret").empty());
  EXPECT_EQ(app.at("type").as_string(), "confidential");

  // The browser comes from the application and is sent on to the portal's consent page.
  const std::string query = authorize_query(client_id, challenge_);
  auto start = get("/oauth2/authorize?" + query);
  ASSERT_EQ(start.status, 302) << start.body;
  const std::string location(start.headers.get("Location"));
  EXPECT_EQ(location.substr(location.find("/authorize?")), "/authorize?" + query);

  // Marie approves on the portal; the application gets its code and state back.
  const auto back = query_of(consent(marie.access_token, client_id, challenge_));
  ASSERT_TRUE(back.count("code"));
  EXPECT_EQ(back.at("state"), "xyz 123");
  EXPECT_FALSE(back.at("iss").empty());

  auto exchanged = form("/oauth2/token",
                        "grant_type=authorization_code&code=" + back.at("code") + "&redirect_uri=" +
                            url_encode(kRedirect) + "&code_verifier=" + verifier_,
                        basic(app));
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  EXPECT_EQ(exchanged.headers.get("Cache-Control"), "no-store");
  const json::object tokens = body_of(exchanged);
  EXPECT_EQ(text(tokens, "token_type"), "Bearer");
  EXPECT_EQ(text(tokens, "scope"), "openid email offline_access");
  const std::string access = text(tokens, "access_token");
  const std::string refresh = text(tokens, "refresh_token");
  ASSERT_FALSE(refresh.empty());

  // The ID token speaks to the application, about Marie.
  const json::object id = claims_of(text(tokens, "id_token"));
  EXPECT_EQ(text(id, "aud"), client_id);
  EXPECT_EQ(text(id, "sub"), marie.user_id);
  EXPECT_EQ(text(id, "nonce"), "n-0S6_WzA2Mj");
  EXPECT_EQ(text(id, "email"), "marie@durand-batiment.fr");
  EXPECT_TRUE(id.at("auth_time").is_int64());
  EXPECT_FALSE(id.contains("name")) << "profile was not asked for";
  const json::object claims = claims_of(access);
  EXPECT_EQ(text(claims, "org"), marie.org_id);
  EXPECT_EQ(text(claims, "client_id"), client_id);
  // An ID token is no access token: its audience is the application.
  EXPECT_EQ(send(Method::kGet, "/api/v1/me", {}, "Bearer " + text(tokens, "id_token")).status, 401);

  auto info = send(Method::kGet, "/oauth2/userinfo", {}, "Bearer " + access);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(text(body_of(info), "sub"), marie.user_id);

  auto refreshed =
      form("/oauth2/token", "grant_type=refresh_token&refresh_token=" + url_encode(refresh) +
                                "&client_id=" + client_id +
                                "&client_secret=" + url_encode(text(app, "client_secret")));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_NE(text(body_of(refreshed), "refresh_token"), refresh);
  EXPECT_EQ(text(body_of(refreshed), "scope"), "openid email offline_access");
  // The portal's own refresh endpoint does not take an application's token.
  EXPECT_EQ(send(Method::kPost, "/api/v1/auth/refresh",
                 json::serialize(
                     json::object{{"refresh_token", text(body_of(refreshed), "refresh_token")}}),
                 "")
                .status,
            401);

  // Revocation (RFC 7009 §2.1): only the client the token was issued to ends its session.
  const std::string current = text(body_of(refreshed), "refresh_token");
  auto anonymous = form("/oauth2/revoke", "token=" + url_encode(current));
  EXPECT_EQ(anonymous.status, 400) << anonymous.body;
  EXPECT_EQ(text(body_of(anonymous), "error"), "unauthorized_client");
  auto wrong_secret = form("/oauth2/revoke", "token=" + url_encode(current),
                           "Basic " + base64(client_id + ":not-the-secret"));
  EXPECT_EQ(wrong_secret.status, 401) << wrong_secret.body;
  EXPECT_EQ(send(Method::kPost, "/api/v1/auth/logout",
                 json::serialize(json::object{{"refresh_token", current}}), "")
                .status,
            403)
      << "the portal's log-out does not end an application's session";
  auto revoked = form("/oauth2/revoke", "token=" + url_encode(current), basic(app));
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  auto after = form("/oauth2/token",
                    "grant_type=refresh_token&refresh_token=" + url_encode(current), basic(app));
  EXPECT_EQ(after.status, 400) << after.body;
  EXPECT_EQ(text(body_of(after), "error"), "invalid_grant");

  auto audit = send(Method::kGet, "/api/v1/audit?limit=50", {}, "Bearer " + marie.access_token);
  EXPECT_NE(audit.body.find("oauth_client.created"), std::string::npos);
  EXPECT_NE(audit.body.find("oauth.consent_granted"), std::string::npos);
}

TEST_P(OAuthFlowTest, WrongVerifierAndReusedCodesAreRefused) {
  const Account marie = sign_up("marie@durand-batiment.fr", "Durand Bâtiment");
  const json::object app = web_app(marie.access_token);
  const std::string client_id = text(app, "client_id");
  const std::string code = query_of(consent(marie.access_token, client_id, challenge_)).at("code");
  const std::string exchange = "grant_type=authorization_code&code=" + code +
                               "&redirect_uri=" + url_encode(kRedirect) + "&code_verifier=";

  auto wrong = form("/oauth2/token", exchange + auth::random_token(48), basic(app));
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(text(body_of(wrong), "error"), "invalid_grant");

  // Another redirect URI than the request's is refused too.
  auto elsewhere = form("/oauth2/token",
                        "grant_type=authorization_code&code=" + code + "&redirect_uri=" +
                            url_encode("https://evil.example/cb") + "&code_verifier=" + verifier_,
                        basic(app));
  EXPECT_EQ(text(body_of(elsewhere), "error"), "invalid_grant");

  // Neither spent the code: the rightful exchange works.
  auto first = form("/oauth2/token", exchange + verifier_, basic(app));
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string refresh = text(body_of(first), "refresh_token");

  auto second = form("/oauth2/token", exchange + verifier_, basic(app));
  EXPECT_EQ(second.status, 400) << second.body;
  EXPECT_EQ(text(body_of(second), "error"), "invalid_grant");
  // ... and what the first exchange issued is revoked.
  auto after = form("/oauth2/token",
                    "grant_type=refresh_token&refresh_token=" + url_encode(refresh), basic(app));
  EXPECT_EQ(after.status, 400) << after.body;
  EXPECT_EQ(text(body_of(after), "error"), "invalid_grant");
}

TEST_P(OAuthFlowTest, TheAuthorizationEndpointNeverRedirectsToAnUnregisteredUri) {
  const Account marie = sign_up("marie@durand-batiment.fr", "Durand Bâtiment");
  const std::string client_id = text(web_app(marie.access_token), "client_id");

  auto mismatch = get("/oauth2/authorize?" +
                      authorize_query(client_id, challenge_, "S256", "https://evil.example/cb"));
  EXPECT_EQ(mismatch.status, 400) << mismatch.body;
  EXPECT_FALSE(mismatch.headers.contains("Location"));
  EXPECT_EQ(text(body_of(mismatch), "error"), "invalid_request");

  auto unknown = get("/oauth2/authorize?" +
                     authorize_query("0190f0e6-0000-7000-8000-000000000000", challenge_));
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_FALSE(unknown.headers.contains("Location"));

  // With a trusted redirect URI, other faults go back to the application with the state.
  auto plain = get("/oauth2/authorize?" + authorize_query(client_id, verifier_, "plain"));
  ASSERT_EQ(plain.status, 302) << plain.body;
  const std::string location(plain.headers.get("Location"));
  EXPECT_EQ(location.rfind(kRedirect, 0), 0u) << location;
  EXPECT_EQ(query_of(location).at("error"), "invalid_request");
  EXPECT_EQ(query_of(location).at("state"), "xyz 123");
  EXPECT_EQ(query_of(location).count("code"), 0u);

  auto no_pkce = get("/oauth2/authorize?response_type=code&client_id=" + client_id +
                     "&redirect_uri=" + url_encode(kRedirect) + "&state=s");
  ASSERT_EQ(no_pkce.status, 302);
  EXPECT_EQ(query_of(std::string(no_pkce.headers.get("Location"))).at("error"), "invalid_request");

  // The portal's call gives the same answers, and a refusal by the user.
  auto post_mismatch = send(Method::kPost, "/api/v1/oauth2/authorize",
                            json::serialize(json::object{{"response_type", "code"},
                                                         {"client_id", client_id},
                                                         {"redirect_uri", "https://evil.example"},
                                                         {"code_challenge", challenge_},
                                                         {"code_challenge_method", "S256"},
                                                         {"approve", true}}),
                            "Bearer " + marie.access_token);
  EXPECT_EQ(post_mismatch.status, 400) << post_mismatch.body;
  EXPECT_EQ(post_mismatch.body.find("redirect_to"), std::string::npos);
  const auto denied = query_of(consent(marie.access_token, client_id, challenge_, false));
  EXPECT_EQ(denied.at("error"), "access_denied");
  EXPECT_EQ(denied.count("code"), 0u);
}

TEST_P(OAuthFlowTest, ClientCredentialsForConfidentialClientsOnly) {
  const Account marie = sign_up("marie@durand-batiment.fr", "Durand Bâtiment");
  const json::object robot = register_client(
      marie.access_token, json::object{{"name", "Synchro comptabilité"},
                                       {"type", "confidential"},
                                       {"grant_types", json::array{"client_credentials"}},
                                       {"roles", json::array{"member"}}});
  // A public client may not even be registered for it ...
  auto public_cc =
      send(Method::kPost, "/api/v1/oauth-clients",
           json::serialize(json::object{
               {"name", "Appli"},
               {"type", "public"},
               {"redirect_uris", json::array{"http://localhost:8765/cb"}},
               {"grant_types", json::array{"authorization_code", "client_credentials"}}}),
           "Bearer " + marie.access_token);
  EXPECT_EQ(public_cc.status, 422) << public_cc.body;
  // ... and a public client asking for it is refused.
  const json::object native = register_client(
      marie.access_token, json::object{{"name", "Appli chantier"},
                                       {"type", "public"},
                                       {"redirect_uris", json::array{"http://localhost:8765/cb"}},
                                       {"grant_types", json::array{"authorization_code"}}});
  EXPECT_FALSE(native.contains("client_secret"));
  auto refused =
      form("/oauth2/token", "grant_type=client_credentials&client_id=" + text(native, "client_id"));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(text(body_of(refused), "error"), "unauthorized_client");

  // A wrong secret, by either method, is invalid_client.
  json::object wrong = robot;
  wrong["client_secret"] = auth::random_token();
  auto bad_basic = form("/oauth2/token", "grant_type=client_credentials", basic(wrong));
  EXPECT_EQ(bad_basic.status, 401) << bad_basic.body;
  EXPECT_EQ(text(body_of(bad_basic), "error"), "invalid_client");
  auto bad_post =
      form("/oauth2/token", "grant_type=client_credentials&client_id=" + text(robot, "client_id") +
                                "&client_secret=nope");
  EXPECT_EQ(text(body_of(bad_post), "error"), "invalid_client");
  auto both = form(
      "/oauth2/token",
      "grant_type=client_credentials&client_secret=" + url_encode(text(robot, "client_secret")),
      basic(robot));
  EXPECT_EQ(text(body_of(both), "error"), "invalid_request");

  auto issued = form("/oauth2/token", "grant_type=client_credentials", basic(robot));
  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_FALSE(body_of(issued).contains("refresh_token"));
  const std::string token = text(body_of(issued), "access_token");
  const json::object claims = claims_of(token);
  EXPECT_EQ(text(claims, "sub"), text(robot, "client_id"));
  EXPECT_EQ(text(claims, "org"), marie.org_id);
  EXPECT_EQ(claims.at("roles").as_array()[0].as_string(), "member");

  // The client acts in its organisation with its role, and is no person.
  const std::string members = "/api/v1/orgs/" + marie.org_id + "/members";
  EXPECT_EQ(send(Method::kGet, members, {}, "Bearer " + token).status, 200);
  EXPECT_EQ(send(Method::kGet, "/api/v1/me", {}, "Bearer " + token).status, 403);
  EXPECT_EQ(send(Method::kGet, "/api/v1/oauth-clients", {}, "Bearer " + token).status, 403);
  // Its secret in a Basic header is no credential for the API: refused at the gateway.
  EXPECT_EQ(send(Method::kGet, members, {}, basic(robot)).status, 401);
  EXPECT_EQ(send(Method::kGet, "/api/v1/audit", {}, basic(robot)).status, 401);
  EXPECT_EQ(send(Method::kGet, "/api/v1/projects", {}, basic(robot)).status, 401);

  // Revoked: no new token, and the one it holds stops at once.
  ASSERT_EQ(send(Method::kDelete, "/api/v1/oauth-clients/" + text(robot, "client_id"), {},
                 "Bearer " + marie.access_token)
                .status,
            204);
  auto after = form("/oauth2/token", "grant_type=client_credentials", basic(robot));
  EXPECT_EQ(after.status, 401) << after.body;
  EXPECT_EQ(text(body_of(after), "error"), "invalid_client");
  EXPECT_EQ(send(Method::kGet, members, {}, "Bearer " + token).status, 401);
  auto shown = send(Method::kGet, "/api/v1/oauth-clients/" + text(robot, "client_id"), {},
                    "Bearer " + marie.access_token);
  ASSERT_EQ(shown.status, 200);
  EXPECT_FALSE(body_of(shown).at("revoked_at").is_null());
}

TEST_P(OAuthFlowTest, ClientsAreManagedByOwnersAndAdminsAndListedWithoutSecrets) {
  const Account marie = sign_up("marie@durand-batiment.fr", "Durand Bâtiment");
  const json::object first = web_app(marie.access_token);
  web_app(marie.access_token);
  web_app(marie.access_token);

  auto page =
      send(Method::kGet, "/api/v1/oauth-clients?limit=2", {}, "Bearer " + marie.access_token);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.body.find(text(first, "client_secret")), std::string::npos);
  ASSERT_EQ(body_of(page).at("items").as_array().size(), 2u);
  const std::string cursor = text(body_of(page), "next_cursor");
  ASSERT_FALSE(cursor.empty());
  auto rest = send(Method::kGet, "/api/v1/oauth-clients?limit=2&cursor=" + cursor, {},
                   "Bearer " + marie.access_token);
  ASSERT_EQ(rest.status, 200);
  EXPECT_EQ(body_of(rest).at("items").as_array().size(), 1u);
  EXPECT_TRUE(body_of(rest).at("next_cursor").is_null());

  // Paul joins as a member: he may not manage applications.
  auto invitation = send(Method::kPost, "/api/v1/orgs/" + marie.org_id + "/invitations",
                         R"({"email":"paul@plomberie-martin.fr","role":"member"})",
                         "Bearer " + marie.access_token);
  ASSERT_EQ(invitation.status, 201) << invitation.body;
  const Account paul = sign_up("paul@plomberie-martin.fr", "Plomberie Martin");
  ASSERT_EQ(send(Method::kPost, "/api/v1/invitations/accept",
                 json::serialize(json::object{{"token", text(body_of(invitation), "token")}}),
                 "Bearer " + paul.access_token)
                .status,
            200);
  auto login = send(Method::kPost, "/api/v1/auth/login",
                    json::serialize(json::object{{"email", "paul@plomberie-martin.fr"},
                                                 {"password", kPassword},
                                                 {"org_id", marie.org_id}}),
                    "");
  const std::string paul_there = text(body_of(login), "access_token");
  auto create = send(Method::kPost, "/api/v1/oauth-clients",
                     R"({"name":"x","type":"public","redirect_uris":["http://localhost/cb"],)"
                     R"("grant_types":["authorization_code"]})",
                     "Bearer " + paul_there);
  EXPECT_EQ(create.status, 403) << create.body;
  EXPECT_EQ(send(Method::kGet, "/api/v1/oauth-clients", {}, "Bearer " + paul_there).status, 403);
  EXPECT_EQ(send(Method::kDelete, "/api/v1/oauth-clients/" + text(first, "client_id"), {},
                 "Bearer " + paul_there)
                .status,
            403);

  auto bad = send(Method::kPost, "/api/v1/oauth-clients",
                  R"({"name":"","type":"secret","redirect_uris":"x","grant_types":[]})",
                  "Bearer " + marie.access_token);
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(
      send(Method::kPost, "/api/v1/oauth-clients", "{", "Bearer " + marie.access_token).status,
      400);
}

TEST_P(OAuthFlowTest, DiscoveryDescribesTheProvider) {
  auto discovery = body_of(get("/.well-known/openid-configuration"));
  const std::string issuer = text(discovery, "issuer");
  EXPECT_EQ(text(discovery, "authorization_endpoint"), issuer + "/oauth2/authorize");
  EXPECT_EQ(json::serialize(discovery.at("response_types_supported")), R"(["code"])");
  EXPECT_EQ(json::serialize(discovery.at("code_challenge_methods_supported")), R"(["S256"])");
  EXPECT_EQ(json::serialize(discovery.at("grant_types_supported")),
            R"(["authorization_code","refresh_token","client_credentials"])");
  EXPECT_EQ(json::serialize(discovery.at("token_endpoint_auth_methods_supported")),
            R"(["client_secret_basic","client_secret_post","none"])");
  EXPECT_EQ(json::serialize(discovery.at("id_token_signing_alg_values_supported")), R"(["EdDSA"])");
  EXPECT_EQ(json::serialize(discovery.at("scopes_supported")),
            R"(["openid","profile","email","offline_access"])");
}

INSTANTIATE_TEST_SUITE_P(Backends, OAuthFlowTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::identity
