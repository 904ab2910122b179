// The OAuth provider's rules and use cases: pure rules first, then clients, codes, grants and
// signing-key rotation on SQLite and PostgreSQL, with a clock the tests move.
#include "identity/domain/oauth.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/secrets.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "identity/adapters/sql_oauth_store.hpp"
#include "identity/adapters/sql_store.hpp"
#include "identity/app/accounts.hpp"
#include "identity/app/members.hpp"
#include "identity/app/oauth_clients.hpp"
#include "identity/app/oauth_provider.hpp"
#include "identity/app/signing_keys.hpp"
#include "test_secrets.hpp"

std::vector<atelier::db::MigrationFile> atelier_identity_migrations();

namespace atelier::identity {
namespace {

namespace json = boost::json;

// --- pure rules ---------------------------------------------------------------------------------

TEST(OAuthRules, RedirectUrisAreHttpsOrLoopbackHttpWithoutFragmentOrUserInfo) {
  for (const char* good :
       {"https://erp.durand-batiment.fr/oauth/callback", "https://app.example.fr:8443/cb?x=1",
        "http://localhost/cb", "http://localhost:51234/callback", "http://127.0.0.1:8000/",
        "http://[::1]:9000/cb"}) {
    EXPECT_FALSE(domain::redirect_uri_problem(good)) << good;
  }
  for (const char* bad :
       {"", "http://erp.example.fr/cb", "ftp://example.fr/cb", "https://example.fr/cb#frag",
        "https://user@example.fr/cb", "http://localhost.evil.fr/cb", "http://localhost@evil.fr/",
        "https:///cb", "https://exa mple.fr/", "com.example.app:/callback",
        "http://127.0.0.1:port/cb", "https://example.fr\\@evil.fr/"}) {
    EXPECT_TRUE(domain::redirect_uri_problem(bad)) << bad;
  }
}

TEST(OAuthRules, ScopesAreKnownAndCanonical) {
  EXPECT_EQ(domain::parse_scopes("email openid"), (std::vector<std::string>{"openid", "email"}));
  EXPECT_EQ(domain::parse_scopes(""), std::vector<std::string>{});
  EXPECT_EQ(domain::parse_scopes("openid openid"), std::vector<std::string>{"openid"});
  EXPECT_FALSE(domain::parse_scopes("openid admin"));
  EXPECT_FALSE(domain::parse_scopes("openid  email"));
  EXPECT_FALSE(domain::parse_scopes("openid "));
  EXPECT_TRUE(domain::has_scope("openid offline_access", "offline_access"));
  EXPECT_FALSE(domain::has_scope("openid offline_access", "offline"));
}

TEST(OAuthRules, PkceShapesAndRedirectQueries) {
  EXPECT_TRUE(domain::is_code_verifier(std::string(43, 'a')));
  EXPECT_TRUE(domain::is_code_verifier(std::string(128, '~')));
  EXPECT_FALSE(domain::is_code_verifier(std::string(42, 'a')));
  EXPECT_FALSE(domain::is_code_verifier(std::string(129, 'a')));
  EXPECT_FALSE(domain::is_code_verifier(std::string(43, '+')));
  EXPECT_TRUE(domain::is_s256_challenge(auth::base64url_encode(auth::sha256("verifier"))));
  EXPECT_FALSE(domain::is_s256_challenge("plain-verifier-of-some-length-but-not-a-digest!"));
  EXPECT_EQ(domain::with_query("https://a.fr/cb", {{"code", "x y"}, {"state", "s&t=1"}}),
            "https://a.fr/cb?code=x%20y&state=s%26t%3D1");
  EXPECT_EQ(domain::with_query("https://a.fr/cb?app=1", {{"code", "c"}}),
            "https://a.fr/cb?app=1&code=c");
}

// --- use cases on both engines ------------------------------------------------------------------

constexpr const char* kPassword = "Charpente-Chene-2025!";
constexpr const char* kIp = "10.0.0.1";
constexpr const char* kRedirect = "https://erp.durand-batiment.fr/oauth/callback";

class OAuthTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    for (const auto& [component, files] : {std::pair{"events", events::migrations()},
                                           std::pair{"identity", atelier_identity_migrations()}}) {
      auto selected = db::select_migrations(files, kind());
      ASSERT_TRUE(selected) << selected.error().message;
      auto applied = db::migrate(*db_, component, *selected);
      ASSERT_TRUE(applied) << applied.error().message;
    }
    const auto list = dir_.empty() ? std::filesystem::temp_directory_path() / "atelier_oauth_pw.lst"
                                   : dir_ / "pw.lst";
    std::ofstream(list) << "motdepasse123456\n";
    auth::PasswordPolicyOptions policy_options;
    policy_options.common_passwords_path = list;
    policy_ = std::make_unique<auth::PasswordPolicy>(policy_options);
    auto keys = app::load_key_ring(*db_, store_, clock_);
    ASSERT_TRUE(keys) << keys.error().message;
    keys_ = std::move(keys).value();
    accounts_ = std::make_unique<app::Accounts>(
        *db_, store_, *keys_, app::TokenSettings{.issuer = kIssuer}, *policy_, clock_,
        app::ThrottleSettings{}, auth::PasswordHashParams::minimum(), nullptr, nullptr,
        &oauth_store_);
    members_ = std::make_unique<app::Members>(*db_, store_, clock_, app::Members::kInvitationTtl,
                                              &oauth_store_);
    clients_ = std::make_unique<app::OAuthClients>(*db_, store_, oauth_store_, clock_);
    provider_ = std::make_unique<app::OAuthProvider>(*db_, store_, oauth_store_, *accounts_, *keys_,
                                                     app::OAuthSettings{.issuer = kIssuer}, clock_);

    auto marie = accounts_->register_account(
        {"marie@durand-batiment.fr", kPassword, "Marie Durand", "Durand Bâtiment", "fr", kIp});
    ASSERT_TRUE(marie) << marie.error().message;
    marie_ = *marie;
  }

  Principal marie() const {
    return Principal{Principal::Kind::kUser, marie_.user_id, marie_.org_id, {"owner"}, "jti"};
  }

  app::CreatedOAuthClient register_client(const std::string& type, std::vector<std::string> grants,
                                          std::vector<std::string> roles = {}) {
    app::CreateOAuthClientCommand cmd{"ERP Durand",     type, {kRedirect}, std::move(grants),
                                      std::move(roles), kIp};
    auto created = clients_->create(marie(), cmd);
    EXPECT_TRUE(created) << created.error().message;
    return created ? *created : app::CreatedOAuthClient{};
  }

  // Marie approves a request of `client_id` for `scope`; returns the code.
  std::string approve(const std::string& client_id, const std::string& challenge,
                      const std::string& scope = "openid offline_access") {
    app::AuthorizationRequest request{"code", client_id, kRedirect, challenge,
                                      "S256", scope,     "st4te",   "n0nce"};
    auto decided = provider_->decide(marie(), request, true, kIp);
    EXPECT_TRUE(decided) << decided.error().message;
    if (!decided || decided->refused) {
      ADD_FAILURE() << (decided ? decided->refused->description : "");
      return {};
    }
    const std::string& to = decided->redirect_to;
    const size_t at = to.find("code=") + 5;
    return to.substr(at, to.find('&', at) - at);
  }

  app::TokenRequest exchange(const app::CreatedOAuthClient& client, const std::string& code,
                             const std::string& verifier) {
    return app::TokenRequest{"authorization_code",
                             {client.client.id, client.secret},
                             code,
                             kRedirect,
                             verifier,
                             {},
                             {},
                             kIp};
  }

  int64_t audit_count(const std::string& action) {
    return scalar("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
  }

  static constexpr const char* kIssuer = "http://atelier.test";
  ManualClock clock_{TimePoint{std::chrono::seconds(1'795'000'000)}};
  adapters::SqlIdentityStore store_{identity::testing::test_secrets()};
  adapters::SqlOAuthStore oauth_store_;
  std::unique_ptr<auth::PasswordPolicy> policy_;
  std::unique_ptr<auth::KeyRing> keys_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<app::Members> members_;
  std::unique_ptr<app::OAuthClients> clients_;
  std::unique_ptr<app::OAuthProvider> provider_;
  app::Registered marie_;
  const std::string verifier_ = auth::random_token(48);
  const std::string challenge_ = auth::base64url_encode(auth::sha256(verifier_));
};

std::set<std::string> fields_of(const Error& e) {
  std::set<std::string> out;
  for (const auto& f : e.fields) {
    out.insert(f.field);
  }
  return out;
}

TEST_P(OAuthTest, ClientsAreCheckedAndTheirSecretIsKeptAsADigest) {
  auto public_cc = clients_->create(
      marie(),
      {"App", "public", {kRedirect}, {"authorization_code", "client_credentials"}, {}, kIp});
  ASSERT_FALSE(public_cc);
  EXPECT_EQ(public_cc.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(fields_of(public_cc.error()).count("grant_types"));

  auto owner_role = clients_->create(
      marie(), {"Robot", "confidential", {}, {"client_credentials"}, {"owner"}, kIp});
  ASSERT_FALSE(owner_role);
  EXPECT_EQ(fields_of(owner_role.error()), std::set<std::string>{"roles"});

  auto plain_http = clients_->create(
      marie(), {"App", "public", {"http://erp.example.fr/cb"}, {"authorization_code"}, {}, kIp});
  ASSERT_FALSE(plain_http);
  EXPECT_EQ(fields_of(plain_http.error()), std::set<std::string>{"redirect_uris"});

  auto native = clients_->create(marie(), {"Appli chantier",
                                           "public",
                                           {"http://127.0.0.1:51234/cb"},
                                           {"authorization_code", "refresh_token"},
                                           {},
                                           kIp});
  ASSERT_TRUE(native) << native.error().message;
  EXPECT_TRUE(native->secret.empty()) << "a public client has no secret";

  const auto robot = register_client("confidential", {"client_credentials"}, {"member"});
  ASSERT_FALSE(robot.secret.empty());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM oauth_clients WHERE secret_hash = '" +
                   auth::token_hash(robot.secret) + "'"),
            1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM oauth_clients WHERE secret_hash = '" + robot.secret + "'"),
            0);
  EXPECT_EQ(audit_count("oauth_client.created"), 2);

  // Someone who is only a member may not register clients.
  auto invited = members_->invite(marie(), {"paul@plomberie-martin.fr", "member", kIp});
  ASSERT_TRUE(invited);
  auto paul = accounts_->register_account(
      {"paul@plomberie-martin.fr", kPassword, "Paul Martin", "Plomberie Martin", "fr", kIp});
  ASSERT_TRUE(paul);
  const Principal paul_home{Principal::Kind::kUser, paul->user_id, paul->org_id, {"owner"}, "j"};
  ASSERT_TRUE(members_->accept(paul_home, invited->token, kIp));
  const Principal paul_there{Principal::Kind::kUser, paul->user_id, marie_.org_id, {"member"}, "j"};
  auto refused =
      clients_->create(paul_there, {"App", "public", {kRedirect}, {"authorization_code"}, {}, kIp});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_FALSE(clients_->list(paul_there, "", 10));
}

TEST_P(OAuthTest, ADemotedCreatorsClientsAboveTheNewRoleAreRevoked) {
  auto invited = members_->invite(marie(), {"ali@charpente.fr", "admin", kIp});
  ASSERT_TRUE(invited);
  auto ali = accounts_->register_account(
      {"ali@charpente.fr", kPassword, "Ali Benali", "Charpente Ali", "fr", kIp});
  ASSERT_TRUE(ali);
  ASSERT_TRUE(
      members_->accept(Principal{Principal::Kind::kUser, ali->user_id, ali->org_id, {"owner"}, "j"},
                       invited->token, kIp));
  const Principal ali_there{Principal::Kind::kUser, ali->user_id, marie_.org_id, {"admin"}, "j"};
  auto strong = clients_->create(
      ali_there, {"Robot admin", "confidential", {}, {"client_credentials"}, {"admin"}, kIp});
  auto weak = clients_->create(
      ali_there, {"Robot membre", "confidential", {}, {"client_credentials"}, {"member"}, kIp});
  auto web = clients_->create(
      ali_there, {"Portail client", "public", {kRedirect}, {"authorization_code"}, {}, kIp});
  ASSERT_TRUE(strong && weak && web);

  ASSERT_TRUE(members_->change_role(marie(), ali->user_id, "member", kIp));
  EXPECT_TRUE(clients_->get(marie(), strong->client.id)->revoked_at);
  EXPECT_FALSE(clients_->get(marie(), weak->client.id)->revoked_at);

  ASSERT_TRUE(members_->remove(marie(), ali->user_id, kIp));
  EXPECT_TRUE(clients_->get(marie(), weak->client.id)->revoked_at);
  EXPECT_FALSE(clients_->get(marie(), web->client.id)->revoked_at)
      << "a client without roles acts only with the role of whoever authorizes it";
}

TEST_P(OAuthTest, AnExpiredCodeIsRefused) {
  const auto client = register_client("confidential", {"authorization_code"});
  const std::string code = approve(client.client.id, challenge_, "openid");
  clock_.advance(std::chrono::seconds(61));
  auto issued = provider_->token(exchange(client, code, verifier_));
  ASSERT_TRUE(issued) << issued.error().message;
  ASSERT_TRUE(issued->refused);
  EXPECT_EQ(issued->refused->error, "invalid_grant");
  EXPECT_NE(issued->refused->description.find("expired"), std::string::npos);
}

TEST_P(OAuthTest, ASecondUseOfACodeEndsTheSessionItStarted) {
  const auto client = register_client("confidential", {"authorization_code", "refresh_token"});
  const std::string code = approve(client.client.id, challenge_);
  auto first = provider_->token(exchange(client, code, verifier_));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_FALSE(first->refused) << first->refused->description;
  ASSERT_FALSE(first->tokens.refresh_token.empty());
  EXPECT_EQ(first->tokens.scope, "openid offline_access");

  auto second = provider_->token(exchange(client, code, verifier_));
  ASSERT_TRUE(second);
  ASSERT_TRUE(second->refused);
  EXPECT_EQ(second->refused->error, "invalid_grant");
  EXPECT_EQ(audit_count("oauth.code_reuse_detected"), 1);

  app::TokenRequest refresh{"refresh_token",
                            {client.client.id, client.secret},
                            {},
                            {},
                            {},
                            first->tokens.refresh_token,
                            {},
                            kIp};
  auto refreshed = provider_->token(refresh);
  ASSERT_TRUE(refreshed);
  ASSERT_TRUE(refreshed->refused);
  EXPECT_EQ(refreshed->refused->error, "invalid_grant");
}

TEST_P(OAuthTest, AClientsRefreshTokenIsItsOwn) {
  const auto client = register_client("confidential", {"authorization_code", "refresh_token"});
  auto first = provider_->token(exchange(client, approve(client.client.id, challenge_), verifier_));
  ASSERT_TRUE(first && !first->refused);
  // Neither the portal's refresh path nor another client may spend it, and trying leaves it good.
  EXPECT_FALSE(accounts_->refresh(first->tokens.refresh_token, kIp));
  const auto other = register_client("confidential", {"authorization_code", "refresh_token"});
  EXPECT_FALSE(accounts_->refresh(first->tokens.refresh_token, kIp, other.client.id));
  auto rotated = accounts_->refresh(first->tokens.refresh_token, kIp, client.client.id);
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_EQ(rotated->scope, "openid offline_access");
  auto principal = accounts_->verify_access_token(rotated->access_token);
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_EQ(principal->kind, Principal::Kind::kUser);
  EXPECT_EQ(principal->subject, marie_.user_id);
}

TEST_P(OAuthTest, ARevokedClientsTokensStopAtOnce) {
  const auto robot = register_client("confidential", {"client_credentials"}, {"member"});
  app::TokenRequest request{
      "client_credentials", {robot.client.id, robot.secret}, {}, {}, {}, {}, {}, kIp};
  auto issued = provider_->token(request);
  ASSERT_TRUE(issued && !issued->refused);
  EXPECT_TRUE(issued->tokens.refresh_token.empty());
  auto principal = accounts_->verify_access_token(issued->tokens.access_token);
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_EQ(principal->kind, Principal::Kind::kClient);
  EXPECT_EQ(principal->subject, robot.client.id);
  EXPECT_EQ(principal->org_id, marie_.org_id);
  EXPECT_EQ(principal->roles, std::vector<std::string>{"member"});

  ASSERT_TRUE(clients_->revoke(marie(), robot.client.id, kIp));
  EXPECT_FALSE(accounts_->verify_access_token(issued->tokens.access_token))
      << "a verified token is remembered, but its client's revocation is checked every time";
  auto again = provider_->token(request);
  ASSERT_TRUE(again);
  ASSERT_TRUE(again->refused);
  EXPECT_EQ(again->refused->error, "invalid_client");
  EXPECT_EQ(audit_count("oauth_client.revoked"), 1);
}

TEST_P(OAuthTest, SigningKeysRotateAndOldOnesLeaveOnceTheirTokensExpired) {
  const app::KeyRotationSettings settings{std::chrono::hours(24 * 30), std::chrono::minutes(20)};
  app::SigningKeyRotation rotation(*db_, store_, *keys_, clock_, settings);
  ASSERT_TRUE(rotation.run());
  const std::string first_kid = keys_->current_kid();

  clock_.advance(std::chrono::hours(24 * 30) - std::chrono::minutes(1));
  ASSERT_TRUE(rotation.run());
  EXPECT_EQ(keys_->current_kid(), first_kid) << "not due yet";
  auto before = accounts_->login({"marie@durand-batiment.fr", kPassword, "", kIp});
  ASSERT_TRUE(before) << before.error().message;

  clock_.advance(std::chrono::minutes(2));
  ASSERT_TRUE(rotation.run());
  const std::string second_kid = keys_->current_kid();
  EXPECT_NE(second_kid, first_kid);
  EXPECT_TRUE(accounts_->verify_access_token(before->access_token))
      << "a token of the old key still verifies";
  auto after = accounts_->login({"marie@durand-batiment.fr", kPassword, "", kIp});
  ASSERT_TRUE(after);
  const std::string header =
      *auth::base64url_decode(after->access_token.substr(0, after->access_token.find('.')));
  EXPECT_EQ(json::parse(header).as_object().at("kid").as_string(), second_kid);
  EXPECT_NE(keys_->jwks_json().find(first_kid), std::string::npos);

  // Another process on the same database follows the table.
  auto other_ring = app::load_key_ring(*db_, store_, clock_);
  ASSERT_TRUE(other_ring);
  EXPECT_EQ((*other_ring)->current_kid(), second_kid);

  clock_.advance(std::chrono::minutes(21));
  ASSERT_TRUE(rotation.run());
  EXPECT_EQ(keys_->jwks_json().find(first_kid), std::string::npos);
  EXPECT_NE(keys_->jwks_json().find(second_kid), std::string::npos);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM signing_keys"), 1) << "its private half is deleted";
  auto later = accounts_->login({"marie@durand-batiment.fr", kPassword, "", kIp});
  ASSERT_TRUE(later);
  EXPECT_TRUE(accounts_->verify_access_token(later->access_token));
}

TEST_P(OAuthTest, TwoProcessesRotatingAtOnceMakeOneKey) {
  const app::KeyRotationSettings settings{std::chrono::hours(24), std::chrono::minutes(20)};
  auto other_ring = app::load_key_ring(*db_, store_, clock_);
  ASSERT_TRUE(other_ring);
  app::SigningKeyRotation here(*db_, store_, *keys_, clock_, settings);
  app::SigningKeyRotation there(*db_, store_, **other_ring, clock_, settings);
  clock_.advance(std::chrono::hours(25));
  ASSERT_TRUE(here.run());
  ASSERT_TRUE(there.run());
  EXPECT_EQ(keys_->current_kid(), (*other_ring)->current_kid());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM signing_keys WHERE not_after IS NULL"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM signing_keys"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, OAuthTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::identity
