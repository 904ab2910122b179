// Members, invitations and API keys as a client sees them: the whole platform on an ephemeral
// port, spoken to over HTTP. Ends with the cross-tenant matrix: every identity route, called by
// one organisation with another's ids, must refuse (403 or 404, or its protocol's refusal) or act
// on the caller's own, and show nothing of the other.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/totp.hpp"
#include "platform_http.hpp"

namespace atelier::identity {
namespace {

namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Gros-Oeuvre-Beton-42";

class MembersHttpTest : public ::atelier::app::testing::PlatformHttpTest {
 protected:
  http::ClientResponse call(Method method, const std::string& path, const std::string& body,
                            const std::string& access_token) {
    return send(method, path, body, "Bearer " + access_token);
  }

  static std::string text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  struct Account {
    std::string user_id;
    std::string org_id;  // the organisation made at sign-up
  };

  Account sign_up(const std::string& email, const std::string& org) {
    auto r = send(
        Method::kPost, "/api/v1/auth/register",
        json::serialize(json::object{
            {"email", email}, {"password", kPassword}, {"name", "Jeanne Chef"}, {"org_name", org}}),
        "");
    EXPECT_EQ(r.status, 201) << r.body;
    auto b = body_of(r);
    return {text(b, "user_id"), text(b, "org_id")};
  }

  // The token pair of a log-in, into `org_id` when given.
  json::object log_in(const std::string& email, const std::string& org_id = {}) {
    json::object request{{"email", email}, {"password", kPassword}};
    if (!org_id.empty()) {
      request["org_id"] = org_id;
    }
    auto r = send(Method::kPost, "/api/v1/auth/login", json::serialize(request), "");
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  }
  std::string access_token(const std::string& email, const std::string& org_id = {}) {
    return text(log_in(email, org_id), "access_token");
  }

  // Invites `email` into `org_id` as `role`; returns the created invitation (with its token).
  json::object invite(const std::string& token, const std::string& org_id, const std::string& email,
                      const std::string& role) {
    auto r = call(Method::kPost, "/api/v1/orgs/" + org_id + "/invitations",
                  json::serialize(json::object{{"email", email}, {"role", role}}), token);
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r);
  }

  json::object create_key(const std::string& token, const std::string& role) {
    auto r = call(Method::kPost, "/api/v1/api-keys",
                  json::serialize(json::object{{"name", "ERP " + role}, {"role", role}}), token);
    EXPECT_EQ(r.status, 201) << r.body;
    return body_of(r);
  }

  // True when the password alone gets a second-factor challenge, not tokens.
  bool log_in_refused_without_second_factor(const std::string& email) {
    const json::object answer = log_in(email);
    return answer.contains("mfa_token") && !answer.contains("access_token");
  }

  std::vector<std::string> member_ids(const std::string& token, const std::string& org_id) {
    auto r = call(Method::kGet, "/api/v1/orgs/" + org_id + "/members", {}, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const json::object page = body_of(r);
    for (const auto& m : page.at("items").as_array()) {
      ids.push_back(text(m.as_object(), "user_id"));
    }
    return ids;
  }
};

TEST_F(MembersHttpTest, InviteAcceptListRemove) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string owner_token = access_token("jeanne@chantiers-sud.fr");

  auto invitation = invite(owner_token, owner.org_id, "Karim@Menuiserie.fr", "member");
  EXPECT_EQ(text(invitation, "email"), "karim@menuiserie.fr");
  EXPECT_EQ(text(invitation, "role"), "member");
  EXPECT_FALSE(text(invitation, "expires_at").empty());
  const std::string invitation_token = text(invitation, "token");
  ASSERT_FALSE(invitation_token.empty());

  auto pending =
      call(Method::kGet, "/api/v1/orgs/" + owner.org_id + "/invitations", {}, owner_token);
  ASSERT_EQ(pending.status, 200) << pending.body;
  auto pending_items = body_of(pending)["items"].as_array();
  ASSERT_EQ(pending_items.size(), 1u);
  EXPECT_FALSE(pending_items[0].as_object().contains("token")) << "shown once, at creation";

  // The invitee signs up (with an organisation of their own), logs in and accepts.
  const Account karim = sign_up("karim@menuiserie.fr", "Menuiserie Karim");
  const std::string karim_home = access_token("karim@menuiserie.fr");
  auto accepted = call(Method::kPost, "/api/v1/invitations/accept",
                       json::serialize(json::object{{"token", invitation_token}}), karim_home);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(text(body_of(accepted), "org_id"), owner.org_id);
  EXPECT_EQ(text(body_of(accepted), "role"), "member");
  auto again = call(Method::kPost, "/api/v1/invitations/accept",
                    json::serialize(json::object{{"token", invitation_token}}), karim_home);
  EXPECT_EQ(again.status, 409) << again.body;

  // Signed in to the new organisation, Karim sees its members.
  auto karim_there = log_in("karim@menuiserie.fr", owner.org_id);
  const std::string karim_token = text(karim_there, "access_token");
  const std::string karim_refresh = text(karim_there, "refresh_token");
  auto listed =
      call(Method::kGet, "/api/v1/orgs/" + owner.org_id + "/members?limit=1", {}, karim_token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto page = body_of(listed);
  ASSERT_EQ(page["items"].as_array().size(), 1u);
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto rest = call(Method::kGet,
                   "/api/v1/orgs/" + owner.org_id +
                       "/members?limit=1&cursor=" + std::string(page["next_cursor"].as_string()),
                   {}, karim_token);
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(body_of(rest)["items"].as_array().size(), 1u);
  EXPECT_TRUE(body_of(rest)["next_cursor"].is_null());
  EXPECT_EQ(member_ids(owner_token, owner.org_id).size(), 2u);
  // As a member he may not invite.
  auto refused = call(Method::kPost, "/api/v1/orgs/" + owner.org_id + "/invitations",
                      R"({"email":"x@example.fr","role":"guest"})", karim_token);
  EXPECT_EQ(refused.status, 403) << refused.body;

  // The owner removes him: his session there ends at once.
  auto removed = call(Method::kDelete, "/api/v1/orgs/" + owner.org_id + "/members/" + karim.user_id,
                      {}, owner_token);
  ASSERT_EQ(removed.status, 204) << removed.body;
  auto refresh = send(Method::kPost, "/api/v1/auth/refresh",
                      json::serialize(json::object{{"refresh_token", karim_refresh}}), "");
  EXPECT_EQ(refresh.status, 401) << refresh.body;
  auto after = call(Method::kGet, "/api/v1/orgs/" + owner.org_id + "/members", {}, karim_token);
  EXPECT_EQ(after.status, 403) << "his access token is not expired, but he is no longer a member";
  EXPECT_EQ(member_ids(owner_token, owner.org_id).size(), 1u);

  auto audit = call(Method::kGet, "/api/v1/audit?limit=50", {}, owner_token);
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::set<std::string> actions;
  const json::object entries = body_of(audit);
  for (const auto& e : entries.at("items").as_array()) {
    actions.insert(text(e.as_object(), "action"));
  }
  for (const char* expected : {"invitation.created", "member.added", "member.removed"}) {
    EXPECT_TRUE(actions.count(expected)) << expected;
  }
}

TEST_F(MembersHttpTest, RoleChangeOwnershipAndBadInput) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string owner_token = access_token("jeanne@chantiers-sud.fr");
  const std::string base = "/api/v1/orgs/" + owner.org_id;

  auto bad =
      call(Method::kPost, base + "/invitations", R"({"email":"nope","role":"owner"})", owner_token);
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(body_of(bad)["errors"].as_array().size(), 2u);
  EXPECT_EQ(call(Method::kPost, base + "/invitations", "{", owner_token).status, 400);
  EXPECT_EQ(call(Method::kGet, base + "/members?limit=0", {}, owner_token).status, 422);

  auto invitation = invite(owner_token, owner.org_id, "ali@charpente.fr", "guest");
  const Account ali = sign_up("ali@charpente.fr", "Charpente Ali");
  ASSERT_EQ(call(Method::kPost, "/api/v1/invitations/accept",
                 json::serialize(json::object{{"token", text(invitation, "token")}}),
                 access_token("ali@charpente.fr"))
                .status,
            200);

  auto promoted =
      call(Method::kPatch, base + "/members/" + ali.user_id, R"({"role":"admin"})", owner_token);
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(text(body_of(promoted), "role"), "admin");
  EXPECT_EQ(
      call(Method::kPatch, base + "/members/" + ali.user_id, R"({"role":"owner"})", owner_token)
          .status,
      422);
  EXPECT_EQ(
      call(Method::kPatch, base + "/members/" + owner.user_id, R"({"role":"member"})", owner_token)
          .status,
      403);

  auto transferred = call(Method::kPost, base + "/ownership",
                          json::serialize(json::object{{"user_id", ali.user_id}}), owner_token);
  ASSERT_EQ(transferred.status, 200) << transferred.body;
  EXPECT_EQ(text(body_of(transferred), "owner_id"), ali.user_id);
  // The previous owner's token still says owner; the membership says admin now.
  auto back = call(Method::kPost, base + "/ownership",
                   json::serialize(json::object{{"user_id", owner.user_id}}), owner_token);
  EXPECT_EQ(back.status, 403) << back.body;
  auto me = log_in("jeanne@chantiers-sud.fr", owner.org_id);
  EXPECT_EQ(me["roles"].as_array()[0].as_string(), "admin");
  // She may leave now that she is not the owner.
  EXPECT_EQ(call(Method::kDelete, base + "/members/" + owner.user_id, {}, owner_token).status, 204);
}

TEST_F(MembersHttpTest, ApiKeysAreShownOnceAndStopAtRevocation) {
  const Account owner = sign_up("jeanne@chantiers-sud.fr", "Chantiers du Sud");
  const std::string owner_token = access_token("jeanne@chantiers-sud.fr");
  const std::string members_path = "/api/v1/orgs/" + owner.org_id + "/members";

  auto owner_key =
      call(Method::kPost, "/api/v1/api-keys", R"({"name":"Tout","role":"owner"})", owner_token);
  EXPECT_EQ(owner_key.status, 422) << owner_key.body;

  auto created = create_key(owner_token, "member");
  const std::string key = text(created, "key");
  const std::string key_id = text(created, "id");
  ASSERT_EQ(key.rfind("atk_", 0), 0u) << key;
  EXPECT_EQ(text(created, "prefix"), key.substr(0, 12));

  // Both ways of presenting a key work; the key acts in its organisation only.
  auto as_bearer = send(Method::kGet, members_path, {}, "Bearer " + key);
  ASSERT_EQ(as_bearer.status, 200) << as_bearer.body;
  EXPECT_EQ(body_of(as_bearer)["items"].as_array().size(), 1u);
  EXPECT_EQ(send(Method::kGet, members_path, {}, "ApiKey " + key).status, 200);
  auto me = send(Method::kGet, "/api/v1/me", {}, "ApiKey " + key);
  EXPECT_EQ(me.status, 403) << me.body;
  EXPECT_NE(text(body_of(me), "detail").find("API key"), std::string::npos) << me.body;
  // A key makes no keys, and a member key cannot invite.
  EXPECT_EQ(
      send(Method::kPost, "/api/v1/api-keys", R"({"name":"x","role":"guest"})", "ApiKey " + key)
          .status,
      403);
  EXPECT_EQ(send(Method::kPost, "/api/v1/orgs/" + owner.org_id + "/invitations",
                 R"({"email":"x@example.fr","role":"guest"})", "ApiKey " + key)
                .status,
            403);

  auto listed = call(Method::kGet, "/api/v1/api-keys", {}, owner_token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find(key), std::string::npos) << "the secret is never listed";
  auto items = body_of(listed)["items"].as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(text(items[0].as_object(), "id"), key_id);
  EXPECT_FALSE(items[0].as_object().at("last_used_at").is_null());

  ASSERT_EQ(call(Method::kDelete, "/api/v1/api-keys/" + key_id, {}, owner_token).status, 204);
  auto revoked = send(Method::kGet, members_path, {}, "ApiKey " + key);
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(text(body_of(revoked), "detail"), "This API key was revoked.");
  EXPECT_EQ(send(Method::kGet, members_path, {}, "ApiKey not-a-key").status, 401);

  auto audit = call(Method::kGet, "/api/v1/audit", {}, owner_token);
  EXPECT_NE(audit.body.find("api_key.created"), std::string::npos);
  EXPECT_NE(audit.body.find("api_key.revoked"), std::string::npos);
}

// One request of the cross-tenant matrix. Placeholders in `path` and `body` are replaced by the
// ids of the two organisations: {a_org}, {a_owner}, {a_email}, {a_refresh}, {a_client},
// {a_client_secret} for the caller's own; {b_org}, {b_owner}, {b_member}, {b_invitation},
// {b_invitation_token}, {b_key}, {b_client}, {b_client_refresh}, {b_mfa_token} for the other's.
struct Probe {
  Method method;
  std::string path;
  std::string body;
  // false: names the other organisation's things, so only 403 or 404 will do. true: acts on the
  // caller's own organisation or person (ids or fields of the other are ignored or unknown
  // there), so it may succeed, but must show nothing of the other organisation.
  bool own_scope = false;
  // Other refusals the route's protocol answers with (OAuth's 400 and 401, a 401 for a wrong
  // second-factor code, a 422 for a wrong current password...), accepted as well.
  std::set<int> also = {};
};

// Every identity route (the test below checks it against contracts/openapi/identity.yaml): the
// organisation's members, invitations, API keys and OAuth clients, the session routes with
// another organisation named, the per-person routes (/me, the second factor, the password), and
// the public ones, each with B's ids or tokens where it takes any. A new route adds rows.
const std::vector<Probe>& cross_tenant_probes() {
  static const std::vector<Probe> probes = {
      {Method::kGet, "/api/v1/orgs/{b_org}/members", "", false},
      {Method::kGet, "/api/v1/orgs/{a_org}/members?cursor={b_member}", "", true},
      {Method::kPatch, "/api/v1/orgs/{b_org}/members/{b_member}", R"({"role":"guest"})", false},
      {Method::kPatch, "/api/v1/orgs/{a_org}/members/{b_member}", R"({"role":"admin"})", false},
      {Method::kPatch, "/api/v1/orgs/{b_org}/members/{a_owner}", R"({"role":"admin"})", false},
      {Method::kDelete, "/api/v1/orgs/{b_org}/members/{b_member}", "", false},
      {Method::kDelete, "/api/v1/orgs/{a_org}/members/{b_member}", "", false},
      {Method::kDelete, "/api/v1/orgs/{b_org}/members/{b_owner}", "", false},
      {Method::kPost, "/api/v1/orgs/{b_org}/ownership", R"({"user_id":"{a_owner}"})", false},
      {Method::kPost, "/api/v1/orgs/{a_org}/ownership", R"({"user_id":"{b_member}"})", false},
      {Method::kPost, "/api/v1/orgs/{b_org}/invitations",
       R"({"email":"intrus@example.fr","role":"admin"})", false},
      {Method::kPost, "/api/v1/orgs/{a_org}/invitations",
       R"({"email":"nouveau@example.fr","role":"guest","org_id":"{b_org}"})", true},
      {Method::kGet, "/api/v1/orgs/{b_org}/invitations", "", false},
      {Method::kGet, "/api/v1/orgs/{a_org}/invitations?cursor={b_invitation}", "", true},
      {Method::kDelete, "/api/v1/orgs/{b_org}/invitations/{b_invitation}", "", false},
      {Method::kDelete, "/api/v1/orgs/{a_org}/invitations/{b_invitation}", "", false},
      {Method::kPost, "/api/v1/invitations/accept", R"({"token":"{b_invitation_token}"})", false},
      {Method::kPost, "/api/v1/api-keys", R"({"name":"Intrus","role":"guest","org_id":"{b_org}"})",
       true},
      {Method::kGet, "/api/v1/api-keys?cursor={b_key}", "", true},
      {Method::kDelete, "/api/v1/api-keys/{b_key}", "", false},
      {Method::kPost, "/api/v1/oauth-clients",
       R"({"name":"Intrus","type":"confidential","grant_types":["client_credentials"],)"
       R"("roles":["guest"],"org_id":"{b_org}"})",
       true},
      {Method::kGet, "/api/v1/oauth-clients?cursor={b_client}", "", true},
      {Method::kGet, "/api/v1/oauth-clients/{b_client}", "", false},
      {Method::kDelete, "/api/v1/oauth-clients/{b_client}", "", false},
      {Method::kPost, "/api/v1/oauth2/authorize",
       R"({"response_type":"code","client_id":"{b_client}","redirect_uri":"https://beta.example/cb",)"
       R"("code_challenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",)"
       R"("code_challenge_method":"S256","scope":"openid","approve":true})",
       false},
      {Method::kGet, "/api/v1/audit?limit=200", "", true},
      // Organisations and sessions: B's organisation is out of reach, a new one is the caller's.
      {Method::kPost, "/api/v1/auth/switch-org", R"({"org_id":"{b_org}"})", false},
      {Method::kPost, "/api/v1/orgs", R"({"name":"Alpha Bis","org_id":"{b_org}"})", true},
      {Method::kPost, "/api/v1/auth/login",
       R"({"email":"{a_email}","password":"Gros-Oeuvre-Beton-42","org_id":"{b_org}"})", false},
      // The caller's own refresh token, B's organisation named: the second caller replays it.
      {Method::kPost,
       "/api/v1/auth/refresh",
       R"({"refresh_token":"{a_refresh}","org_id":"{b_org}"})",
       true,
       {401}},
      // B's client's session is B's client's to end, not the portal's nor A's client's.
      {Method::kPost, "/api/v1/auth/logout", R"({"refresh_token":"{b_client_refresh}"})", false},
      {Method::kPost,
       "/oauth2/revoke",
       "token={b_client_refresh}&client_id={a_client}&client_secret={a_client_secret}",
       false,
       {400}},
      {Method::kPost,
       "/oauth2/token",
       "grant_type=refresh_token&refresh_token={b_client_refresh}&client_id={a_client}"
       "&client_secret={a_client_secret}",
       false,
       {400}},
      {Method::kPost,
       "/oauth2/token",
       "grant_type=client_credentials&client_id={b_client}&client_secret={a_client_secret}",
       false,
       {401}},
      {Method::kGet,
       "/oauth2/authorize?response_type=code&client_id={b_client}"
       "&redirect_uri=https%3A%2F%2Falpha.example%2Fcb&code_challenge="
       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&scope=openid",
       "",
       false,
       {400}},
      // The person's own routes: they act on the caller, whatever names B.
      {Method::kGet, "/api/v1/me", "", true},
      {Method::kPatch, "/api/v1/me", R"({"name":"Alice Alpha"})", true},
      {Method::kPost,
       "/api/v1/me/password",
       R"({"current_password":"pas-le-bon","new_password":"Autre-Mot-De-Passe-9","user_id":"{b_owner}"})",
       true,
       {422}},
      {Method::kPost, "/api/v1/me/mfa/totp", R"({"user_id":"{b_owner}"})", true},
      {Method::kPost,
       "/api/v1/me/mfa/totp/confirm",
       R"({"code":"000000","user_id":"{b_owner}"})",
       true,
       {422}},
      {Method::kDelete,
       "/api/v1/me/mfa/totp",
       R"({"code":"000000","user_id":"{b_owner}"})",
       true,
       {422}},
      {Method::kPost,
       "/api/v1/auth/login/mfa",
       R"({"mfa_token":"{b_mfa_token}","code":"000000"})",
       false,
       {401}},
      {Method::kGet, "/oauth2/userinfo", "", true},
      {Method::kPost, "/oauth2/userinfo", "", true},
      // Public routes that take an address or a token: B's are answered without B's data.
      {Method::kPost,
       "/api/v1/auth/register",
       R"({"email":"bruno@beta-btp.fr","password":"Gros-Oeuvre-Beton-42","name":"Intrus",)"
       R"("org_name":"Beta BTP"})",
       false,
       {409}},
      {Method::kPost, "/api/v1/auth/verify-email", R"({"token":"{b_invitation_token}"})", false},
      {Method::kPost, "/api/v1/auth/password-reset", R"({"email":"bruno@beta-btp.fr"})", true},
      {Method::kPost, "/api/v1/auth/password-reset/confirm",
       R"({"token":"{b_invitation_token}","new_password":"Autre-Mot-De-Passe-9"})", false},
      {Method::kGet, "/.well-known/jwks.json", "", true},
      {Method::kGet, "/.well-known/openid-configuration", "", true},
  };
  return probes;
}

// "METHOD /path" with every {parameter} written {} and the query left out.
std::string operation_of(std::string_view method, std::string_view path) {
  std::string out = std::string(method) + " ";
  path = path.substr(0, path.find('?'));
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      i = path.find('}', i);
      out += "{}";
    } else {
      out += path[i];
    }
  }
  return out;
}

// The operations of identity.yaml, read off its layout: paths two spaces in, methods four.
std::set<std::string> documented_identity_operations() {
  std::set<std::string> operations;
  std::ifstream in(ATELIER_IDENTITY_OPENAPI);
  std::string line;
  std::string path;
  while (std::getline(in, line)) {
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      continue;
    }
    if (!line.empty() && line[0] != ' ') {
      path.clear();
    }
    for (const char* method : {"get", "put", "post", "patch", "delete"}) {
      if (!path.empty() && line == std::string("    ") + method + ":") {
        std::string upper(method);
        for (char& c : upper) {
          c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        operations.insert(operation_of(upper, path));
      }
    }
  }
  return operations;
}

TEST(CrossTenantProbes, CoverEveryDocumentedIdentityRoute) {
  const std::set<std::string> documented = documented_identity_operations();
  ASSERT_GE(documented.size(), 40u) << ATELIER_IDENTITY_OPENAPI;
  std::set<std::string> probed;
  for (const auto& probe : cross_tenant_probes()) {
    probed.insert(operation_of(http::method_name(probe.method), probe.path));
  }
  std::vector<std::string> missing;
  std::set_difference(documented.begin(), documented.end(), probed.begin(), probed.end(),
                      std::back_inserter(missing));
  EXPECT_TRUE(missing.empty()) << "routes without a cross-tenant probe: "
                               << ::testing::PrintToString(missing);
}

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
      text.replace(at, name.size(), value);
      at += value.size();
    }
  }
  return text;
}

// The matrix runs on both engines: on PostgreSQL row-level security is live behind the routes.
class CrossTenantMatrix : public MembersHttpTest, public ::testing::WithParamInterface<db::Kind> {
 protected:
  bool on_postgres() const override { return GetParam() == db::Kind::kPostgres; }
};

TEST_P(CrossTenantMatrix, NoRouteLetsOneOrganisationReachAnother) {
  // Organisation B: an owner, a member, a pending invitation, an API key, an OAuth client with a
  // session of its own, and an owner with an authenticator half-way through a log-in.
  const Account b_owner = sign_up("bruno@beta-btp.fr", "Beta BTP");
  const Account b_member = sign_up("berthe@beta-btp.fr", "Berthe SARL");
  const std::string b_token = access_token("bruno@beta-btp.fr");
  auto b_join = invite(b_token, b_owner.org_id, "berthe@beta-btp.fr", "member");
  ASSERT_EQ(call(Method::kPost, "/api/v1/invitations/accept",
                 json::serialize(json::object{{"token", text(b_join, "token")}}),
                 access_token("berthe@beta-btp.fr"))
                .status,
            200);
  auto b_invitation = invite(b_token, b_owner.org_id, "bientot@beta-btp.fr", "guest");
  auto b_key = create_key(b_token, "member");
  auto b_client_created = call(
      Method::kPost, "/api/v1/oauth-clients",
      R"({"name":"Beta ERP","type":"confidential","redirect_uris":["https://beta.example/cb"],)"
      R"("grant_types":["authorization_code","refresh_token","client_credentials"],)"
      R"("roles":["member"]})",
      b_token);
  ASSERT_EQ(b_client_created.status, 201) << b_client_created.body;
  const json::object b_client = body_of(b_client_created);
  // B's owner authorizes B's client, which gets a refresh token (RFC 7636's example verifier).
  auto consent =
      call(Method::kPost, "/api/v1/oauth2/authorize",
           R"({"response_type":"code","client_id":")" + text(b_client, "client_id") +
               R"(","redirect_uri":"https://beta.example/cb",)"
               R"("code_challenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",)"
               R"("code_challenge_method":"S256","scope":"openid offline_access","approve":true})",
           b_token);
  ASSERT_EQ(consent.status, 200) << consent.body;
  const std::string redirect_to = text(body_of(consent), "redirect_to");
  const size_t code_at = redirect_to.find("code=") + 5;
  const std::string b_code = redirect_to.substr(code_at, redirect_to.find('&', code_at) - code_at);
  const std::string b_client_form = "&client_id=" + text(b_client, "client_id") +
                                    "&client_secret=" + text(b_client, "client_secret");
  auto exchanged = send(Method::kPost, "/oauth2/token",
                        "grant_type=authorization_code&code=" + b_code +
                            "&redirect_uri=https%3A%2F%2Fbeta.example%2Fcb"
                            "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" +
                            b_client_form,
                        "");
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  const std::string b_client_refresh = text(body_of(exchanged), "refresh_token");
  ASSERT_FALSE(b_client_refresh.empty()) << exchanged.body;
  // B's owner turns on a second factor and starts a log-in.
  auto b_totp = call(Method::kPost, "/api/v1/me/mfa/totp", {}, b_token);
  ASSERT_EQ(b_totp.status, 201) << b_totp.body;
  const std::string b_totp_secret = text(body_of(b_totp), "secret");
  auto b_enabled =
      call(Method::kPost, "/api/v1/me/mfa/totp/confirm",
           json::serialize(json::object{{"code", auth::totp(*auth::base32_decode(b_totp_secret),
                                                            SystemClock::instance().now())}}),
           b_token);
  ASSERT_EQ(b_enabled.status, 200) << b_enabled.body;
  const json::array b_recovery = body_of(b_enabled)["recovery_codes"].as_array();
  const std::string b_mfa_token = text(log_in("bruno@beta-btp.fr"), "mfa_token");
  ASSERT_FALSE(b_mfa_token.empty());

  // Organisation A: its owner's access token and an admin API key are the two callers; it has a
  // confidential client of its own and a session to refresh.
  const Account a_owner = sign_up("alice@alpha-renov.fr", "Alpha Rénovation");
  const json::object a_session = log_in("alice@alpha-renov.fr");
  const std::string a_token = text(a_session, "access_token");
  auto a_key = create_key(a_token, "admin");
  auto a_client_created = call(
      Method::kPost, "/api/v1/oauth-clients",
      R"({"name":"Alpha ERP","type":"confidential","redirect_uris":["https://alpha.example/cb"],)"
      R"("grant_types":["authorization_code","refresh_token","client_credentials"],)"
      R"("roles":["member"]})",
      a_token);
  ASSERT_EQ(a_client_created.status, 201) << a_client_created.body;
  const json::object a_client = body_of(a_client_created);

  const std::map<std::string, std::string> values = {
      {"{a_org}", a_owner.org_id},
      {"{a_owner}", a_owner.user_id},
      {"{a_email}", "alice@alpha-renov.fr"},
      {"{a_refresh}", text(a_session, "refresh_token")},
      {"{a_client}", text(a_client, "client_id")},
      {"{a_client_secret}", text(a_client, "client_secret")},
      {"{b_org}", b_owner.org_id},
      {"{b_owner}", b_owner.user_id},
      {"{b_member}", b_member.user_id},
      {"{b_invitation}", text(b_invitation, "id")},
      {"{b_invitation_token}", text(b_invitation, "token")},
      {"{b_key}", text(b_key, "id")},
      {"{b_client}", text(b_client, "client_id")},
      {"{b_client_refresh}", b_client_refresh},
      {"{b_mfa_token}", b_mfa_token},
  };
  // What must never appear in an answer to A.
  const std::vector<std::string> b_secrets = {b_owner.org_id,
                                              b_owner.user_id,
                                              b_member.user_id,
                                              "bruno@beta-btp.fr",
                                              "berthe@beta-btp.fr",
                                              "bientot@beta-btp.fr",
                                              "Beta BTP",
                                              text(b_invitation, "id"),
                                              text(b_invitation, "token"),
                                              text(b_key, "id"),
                                              text(b_key, "prefix"),
                                              text(b_key, "key"),
                                              text(b_client, "client_id"),
                                              text(b_client, "client_secret"),
                                              "Beta ERP",
                                              b_client_refresh,
                                              b_totp_secret,
                                              std::string(b_recovery[0].as_string()),
                                              b_mfa_token};

  const std::vector<std::pair<std::string, std::string>> callers = {
      {"A's owner", "Bearer " + a_token}, {"A's admin API key", "ApiKey " + text(a_key, "key")}};
  for (const auto& [who, authorization] : callers) {
    for (const auto& probe : cross_tenant_probes()) {
      const std::string path = fill(probe.path, values);
      const std::string body = fill(probe.body, values);
      auto r = send(probe.method, path, body, authorization);
      const std::string label = who + ": " + std::string(http::method_name(probe.method)) + " " +
                                probe.path + " -> " + std::to_string(r.status) + " " + r.body;
      const bool refused = r.status == 403 || r.status == 404 || probe.also.contains(r.status);
      if (probe.own_scope) {
        EXPECT_TRUE((r.status >= 200 && r.status < 300) || refused) << label;
      } else {
        EXPECT_TRUE(refused) << label;
      }
      // A problem echoes the request path in `instance`; anything else naming B is a leak.
      json::object answer = r.body.empty() ? json::object{} : body_of(r);
      answer.erase("instance");
      const std::string shown = json::serialize(answer);
      for (const auto& secret : b_secrets) {
        EXPECT_EQ(shown.find(secret), std::string::npos) << label << "\nleaks " << secret;
      }
    }
  }

  // Nothing of B changed.
  auto b_members = call(Method::kGet, "/api/v1/orgs/" + b_owner.org_id + "/members", {}, b_token);
  ASSERT_EQ(b_members.status, 200);
  std::map<std::string, std::string> roles;
  const json::object b_listed = body_of(b_members);
  for (const auto& m : b_listed.at("items").as_array()) {
    roles[text(m.as_object(), "user_id")] = text(m.as_object(), "role");
  }
  EXPECT_EQ(roles, (std::map<std::string, std::string>{{b_owner.user_id, "owner"},
                                                       {b_member.user_id, "member"}}));
  auto b_pending =
      call(Method::kGet, "/api/v1/orgs/" + b_owner.org_id + "/invitations", {}, b_token);
  ASSERT_EQ(b_pending.status, 200);
  ASSERT_EQ(body_of(b_pending)["items"].as_array().size(), 1u);
  EXPECT_EQ(text(body_of(b_pending)["items"].as_array()[0].as_object(), "id"),
            text(b_invitation, "id"));
  auto b_keys = call(Method::kGet, "/api/v1/api-keys", {}, b_token);
  ASSERT_EQ(b_keys.status, 200);
  EXPECT_EQ(body_of(b_keys)["items"].as_array().size(), 1u);
  EXPECT_EQ(send(Method::kGet, "/api/v1/orgs/" + b_owner.org_id + "/members", {},
                 "ApiKey " + text(b_key, "key"))
                .status,
            200);
  auto b_clients = call(Method::kGet, "/api/v1/oauth-clients", {}, b_token);
  ASSERT_EQ(b_clients.status, 200);
  ASSERT_EQ(body_of(b_clients)["items"].as_array().size(), 1u);
  EXPECT_EQ(text(body_of(b_clients)["items"].as_array()[0].as_object(), "client_id"),
            text(b_client, "client_id"));
  // B's client's session survived the attempts to end or use it, and B's second factor holds.
  auto b_refreshed =
      send(Method::kPost, "/oauth2/token",
           "grant_type=refresh_token&refresh_token=" + b_client_refresh + b_client_form, "");
  EXPECT_EQ(b_refreshed.status, 200) << b_refreshed.body;
  auto b_me = call(Method::kGet, "/api/v1/me", {}, b_token);
  ASSERT_EQ(b_me.status, 200);
  EXPECT_EQ(text(body_of(b_me), "name"), "Jeanne Chef");
  EXPECT_TRUE(log_in_refused_without_second_factor("bruno@beta-btp.fr"));
  auto b_audit = call(Method::kGet, "/api/v1/audit?limit=200", {}, b_token);
  ASSERT_EQ(b_audit.status, 200);
  EXPECT_EQ(b_audit.body.find(a_owner.user_id), std::string::npos) << b_audit.body;
  EXPECT_EQ(b_audit.body.find(text(a_key, "id")), std::string::npos) << b_audit.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, CrossTenantMatrix,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::identity
