// The identity service alone behind an HTTP server on an ephemeral port, on SQLite and PostgreSQL,
// with the hooks the use-case tests have: a clock the tests move (lockouts end and TOTP steps pass
// without sleeping), the fast password hashing, and the database at hand to read the outbox (the
// links the e-mails would carry). Covers log-in throttling as a client sees it, the invitation
// email, editing one's profile, and one walk through the routes of e-mail links, passwords,
// sessions and the second factor.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <set>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/totp.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "atelier/http/client.hpp"
#include "atelier/http/server.hpp"
#include "backend.hpp"
#include "identity/adapters/routes.hpp"
#include "test_secrets.hpp"

std::vector<atelier::db::MigrationFile> atelier_identity_migrations();

namespace atelier::identity {
namespace {

namespace json = boost::json;
using http::Method;

constexpr const char* kPassword = "Gros-Oeuvre-Beton-42";
constexpr const char* kPortal = "https://atelier.test";

class IdentityFlowsHttpTest : public db::testing::BackendTest {
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
    passwords_ = dir_.empty() ? std::filesystem::temp_directory_path() /
                                    ("atelier_flows_pw_" + db::testing::random_suffix() + ".lst")
                              : dir_ / "pw.lst";
    std::ofstream(passwords_) << "motdepasse123456\n";
    auto config = Config::load(std::nullopt, {});
    ASSERT_TRUE(config) << config.error().message;
    config->public_url = kPortal;
    IdentityService::Options options;
    options.clock = &clock_;
    options.hashing = auth::PasswordHashParams::minimum();
    options.common_passwords = passwords_;
    options.key_maintenance_interval = std::chrono::seconds(0);
    options.secrets = testing::shared_test_secrets();
    // The throttle keeps its production settings (5 per account, 20 per address, 15 minutes):
    // they are what the tests assert.
    auto service = IdentityService::create(*config, *db_, options);
    ASSERT_TRUE(service) << service.error().message;
    service_ = std::move(service).value();
    http::Router router;
    service_->add_routes(router);
    std::vector<http::Middleware> chain = {http::request_context(),
                                           http::authenticate(router, service_->authenticator())};
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.io_threads = 1;
    server_options.worker_threads = 2;
    server_ = std::make_unique<http::Server>(server_options, std::move(router), std::move(chain));
    auto started = server_->start();
    ASSERT_TRUE(started) << started.error().message;
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  void TearDown() override {
    server_.reset();
    service_.reset();
    if (dir_.empty() && !passwords_.empty()) {
      std::error_code ec;
      std::filesystem::remove(passwords_, ec);
    }
    BackendTest::TearDown();
  }

  http::ClientResponse call(Method method, const std::string& path, const std::string& body = {},
                            const std::string& access_token = {}) {
    http::Headers headers;
    if (!body.empty()) {
      headers.set("Content-Type", "application/json");
    }
    if (!access_token.empty()) {
      headers.set("Authorization", "Bearer " + access_token);
    }
    auto r = client_.request(method, base_ + path, headers, body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::ClientResponse{};
  }

  static json::object body_of(const http::ClientResponse& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return !ec && v.is_object() ? v.as_object() : json::object{};
  }

  static std::string text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  }

  void sign_up(const std::string& email, const std::string& locale = "fr") {
    auto r = call(Method::kPost, "/api/v1/auth/register",
                  json::serialize(json::object{{"email", email},
                                               {"password", kPassword},
                                               {"name", "Jeanne Chef"},
                                               {"org_name", "Org of " + email},
                                               {"locale", locale}}));
    ASSERT_EQ(r.status, 201) << r.body;
  }

  http::ClientResponse log_in(const std::string& email, const std::string& password = kPassword) {
    return call(Method::kPost, "/api/v1/auth/login",
                json::serialize(json::object{{"email", email}, {"password", password}}));
  }

  // The data of every notifications.EmailRequested.v1 event of `template_` in the outbox, oldest
  // first.
  std::vector<json::object> emails(const std::string& template_) {
    auto found = db_->transact([&](db::Transaction& tx) -> Result<std::vector<json::object>> {
      auto rows = tx.query(
          "SELECT envelope FROM outbox WHERE type = 'notifications.EmailRequested.v1' "
          "ORDER BY seq");
      if (!rows) {
        return std::move(rows).error();
      }
      std::vector<json::object> out;
      for (const auto& row : *rows) {
        auto e = events::CloudEvent::from_json(row.get_text(0));
        if (!e) {
          return std::move(e).error();
        }
        auto data = json::parse(e->data).as_object();
        if (data.at("template").as_string() == template_) {
          out.push_back(std::move(data));
        }
      }
      return out;
    });
    EXPECT_TRUE(found) << found.error().message;
    return found ? *found : std::vector<json::object>{};
  }

  // The token of the newest link of `template_` emailed to `to`, checked to point at `page`.
  std::string emailed_token(const std::string& template_, const std::string& to,
                            const std::string& page) {
    const auto all = emails(template_);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (text(*it, "to") != to) {
        continue;
      }
      const std::string link = text(it->at("params").as_object(), "link");
      const std::string prefix = std::string(kPortal) + page + "?token=";
      EXPECT_EQ(link.rfind(prefix, 0), 0u) << link;
      return link.substr(prefix.size());
    }
    ADD_FAILURE() << "no " << template_ << " email to " << to;
    return {};
  }

  // The actions of the caller's organisation's audit log, newest first.
  std::vector<std::string> audit_actions(const std::string& access_token) {
    auto r = call(Method::kGet, "/api/v1/audit?limit=200", {}, access_token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> actions;
    const json::object page = body_of(r);
    for (const auto& e : page.at("items").as_array()) {
      actions.push_back(text(e.as_object(), "action"));
    }
    return actions;
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'795'000'000)}};
  std::filesystem::path passwords_;
  std::unique_ptr<IdentityService> service_;
  std::unique_ptr<http::Server> server_;
  std::string base_;
  http::Client client_;
};

TEST_P(IdentityFlowsHttpTest, TheSixthWrongPasswordIsAnswered429WithRetryAfter) {
  sign_up("marie@durand-batiment.fr");
  for (int i = 0; i < 5; ++i) {
    auto wrong = log_in("marie@durand-batiment.fr", "pas-le-bon");
    ASSERT_EQ(wrong.status, 401) << i << ": " << wrong.body;
    EXPECT_TRUE(wrong.headers.get("Retry-After").empty());
  }
  // Locked for 15 minutes from the fifth failure: even the right password waits.
  auto locked = log_in("marie@durand-batiment.fr");
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.headers.get("Content-Type"), "application/problem+json");
  EXPECT_EQ(locked.headers.get("Retry-After"), std::to_string(15 * 60 + 1));
  EXPECT_EQ(body_of(locked)["status"].as_int64(), 429);

  clock_.advance(std::chrono::minutes(14));
  EXPECT_EQ(log_in("marie@durand-batiment.fr").status, 429);
  EXPECT_EQ(log_in("marie@durand-batiment.fr").headers.get("Retry-After"), std::to_string(60 + 1));
  clock_.advance(std::chrono::minutes(1) + std::chrono::seconds(1));
  auto back = log_in("marie@durand-batiment.fr");
  ASSERT_EQ(back.status, 200) << back.body;

  // The owner sees the attempts on her account in her organisation's audit log.
  const auto actions = audit_actions(text(body_of(back), "access_token"));
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login.failed"), 5);
}

TEST_P(IdentityFlowsHttpTest, TwentyFailuresFromOneAddressLockItForEveryAccount) {
  // Five accounts, four wrong passwords each: no account reaches its own limit of five.
  for (int a = 0; a < 5; ++a) {
    sign_up("compte" + std::to_string(a) + "@chantier.fr");
  }
  sign_up("avant@chantier.fr");
  sign_up("apres@chantier.fr");
  int failures = 0;
  for (int a = 0; a < 5; ++a) {
    for (int i = 0; i < 4; ++i) {
      if (failures == 19) {
        // One failure short of the address's limit, another account still logs in.
        ASSERT_EQ(log_in("avant@chantier.fr").status, 200);
      }
      auto wrong = log_in("compte" + std::to_string(a) + "@chantier.fr", "pas-le-bon");
      ASSERT_EQ(wrong.status, 401) << failures << ": " << wrong.body;
      ++failures;
    }
  }
  // The twentieth failure locked the address: an account it never tried is refused too.
  auto locked = log_in("apres@chantier.fr");
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.headers.get("Retry-After"), std::to_string(15 * 60 + 1));
  EXPECT_EQ(log_in("inconnu@ailleurs.fr", "peu-importe").status, 429);

  clock_.advance(std::chrono::minutes(15) + std::chrono::seconds(1));
  EXPECT_EQ(log_in("apres@chantier.fr").status, 200);
}

TEST_P(IdentityFlowsHttpTest, EmailLinksPasswordsSessionsAndTheSecondFactor) {
  const std::string email = "lea@menuiserie.fr";
  sign_up(email);

  // Verify the address with the link sign-up emailed: once.
  const std::string verify = emailed_token("verify_email", email, "/verify-email");
  ASSERT_FALSE(verify.empty());
  auto first = log_in(email);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string access1 = text(body_of(first), "access_token");
  const std::string refresh1 = text(body_of(first), "refresh_token");
  EXPECT_FALSE(body_of(call(Method::kGet, "/api/v1/me", {}, access1))["email_verified"].as_bool());
  auto verified = call(Method::kPost, "/api/v1/auth/verify-email",
                       json::serialize(json::object{{"token", verify}}));
  ASSERT_EQ(verified.status, 204) << verified.body;
  EXPECT_TRUE(body_of(call(Method::kGet, "/api/v1/me", {}, access1))["email_verified"].as_bool());
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/verify-email",
                 json::serialize(json::object{{"token", verify}}))
                .status,
            410);
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/verify-email", R"({"token":"invente"})").status, 404);

  // Password reset: the same answer for an unknown address, and no email for it.
  const size_t resets_before = emails("reset_password").size();
  auto unknown =
      call(Method::kPost, "/api/v1/auth/password-reset", R"({"email":"x@nulle-part.fr"})");
  EXPECT_EQ(unknown.status, 202) << unknown.body;
  EXPECT_EQ(emails("reset_password").size(), resets_before);
  auto asked = call(Method::kPost, "/api/v1/auth/password-reset",
                    json::serialize(json::object{{"email", "Lea@Menuiserie.fr"}}));
  ASSERT_EQ(asked.status, 202) << asked.body;
  EXPECT_EQ(asked.body, unknown.body);
  const std::string reset = emailed_token("reset_password", email, "/reset-password");
  auto weak = call(Method::kPost, "/api/v1/auth/password-reset/confirm",
                   json::serialize(json::object{{"token", reset}, {"new_password", "court"}}));
  EXPECT_EQ(weak.status, 422) << weak.body;
  const std::string password2 = "Nouvelle-Charpente-88";
  auto confirmed =
      call(Method::kPost, "/api/v1/auth/password-reset/confirm",
           json::serialize(json::object{{"token", reset}, {"new_password", password2}}));
  ASSERT_EQ(confirmed.status, 204) << confirmed.body;
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/password-reset/confirm",
                 json::serialize(json::object{{"token", reset}, {"new_password", password2}}))
                .status,
            410);
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/refresh",
                 json::serialize(json::object{{"refresh_token", refresh1}}))
                .status,
            401)
      << "a reset ends every session";
  EXPECT_EQ(log_in(email).status, 401);
  auto second = log_in(email, password2);
  ASSERT_EQ(second.status, 200) << second.body;
  const std::string access2 = text(body_of(second), "access_token");
  const std::string refresh2 = text(body_of(second), "refresh_token");

  // Change the password: the current one is needed; every session ends.
  const std::string password3 = "Troisieme-Escalier-17";
  auto wrong_current = call(
      Method::kPost, "/api/v1/me/password",
      json::serialize(json::object{{"current_password", kPassword}, {"new_password", password3}}),
      access2);
  ASSERT_EQ(wrong_current.status, 422) << wrong_current.body;
  EXPECT_EQ(text(body_of(wrong_current)["errors"].as_array()[0].as_object(), "field"),
            "current_password");
  EXPECT_EQ(call(Method::kPost, "/api/v1/me/password",
                 json::serialize(
                     json::object{{"current_password", password3}, {"new_password", password3}}))
                .status,
            401)
      << "signed in only";
  auto changed = call(
      Method::kPost, "/api/v1/me/password",
      json::serialize(json::object{{"current_password", password2}, {"new_password", password3}}),
      access2);
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/refresh",
                 json::serialize(json::object{{"refresh_token", refresh2}}))
                .status,
            401);
  EXPECT_EQ(log_in(email, password2).status, 401);

  // Log out: the refresh token dies; logging out twice is fine.
  auto third = body_of(log_in(email, password3));
  const std::string refresh3 = text(third, "refresh_token");
  ASSERT_FALSE(refresh3.empty());
  auto out = call(Method::kPost, "/api/v1/auth/logout",
                  json::serialize(json::object{{"refresh_token", refresh3}}));
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/refresh",
                 json::serialize(json::object{{"refresh_token", refresh3}}))
                .status,
            401);
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/logout",
                 json::serialize(json::object{{"refresh_token", refresh3}}))
                .status,
            204);

  // Second factor: enrol an authenticator, confirm it with a first code.
  const std::string access4 = text(body_of(log_in(email, password3)), "access_token");
  auto setup = call(Method::kPost, "/api/v1/me/mfa/totp", {}, access4);
  ASSERT_EQ(setup.status, 201) << setup.body;
  const std::string secret_base32 = text(body_of(setup), "secret");
  EXPECT_EQ(text(body_of(setup), "otpauth_uri").rfind("otpauth://totp/", 0), 0u);
  const auto secret = auth::base32_decode(secret_base32);
  ASSERT_TRUE(secret) << secret_base32;
  const auto code_now = [&] { return auth::totp(*secret, clock_.now()); };
  auto bad_code =
      call(Method::kPost, "/api/v1/me/mfa/totp/confirm",
           json::serialize(json::object{{"code", code_now() == "000000" ? "111111" : "000000"}}),
           access4);
  EXPECT_EQ(bad_code.status, 422) << bad_code.body;
  auto enabled = call(Method::kPost, "/api/v1/me/mfa/totp/confirm",
                      json::serialize(json::object{{"code", code_now()}}), access4);
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  const json::array recovery = body_of(enabled)["recovery_codes"].as_array();
  ASSERT_EQ(recovery.size(), 10u);
  EXPECT_EQ(call(Method::kPost, "/api/v1/me/mfa/totp", {}, access4).status, 409);

  // Log-in now stops at the second factor.
  const auto mfa_token = [&] {
    auto r = log_in(email, password3);
    EXPECT_EQ(r.status, 200) << r.body;
    auto b = body_of(r);
    EXPECT_TRUE(b.contains("mfa_required") && b["mfa_required"].as_bool()) << r.body;
    EXPECT_FALSE(b.contains("access_token")) << r.body;
    return text(b, "mfa_token");
  };
  const std::string challenge = mfa_token();
  ASSERT_FALSE(challenge.empty());
  // The step that confirmed the authenticator was spent; the next one is accepted.
  auto replayed =
      call(Method::kPost, "/api/v1/auth/login/mfa",
           json::serialize(json::object{{"mfa_token", challenge}, {"code", code_now()}}));
  EXPECT_EQ(replayed.status, 401) << replayed.body;
  clock_.advance(std::chrono::seconds(30));
  auto completed =
      call(Method::kPost, "/api/v1/auth/login/mfa",
           json::serialize(json::object{{"mfa_token", challenge}, {"code", code_now()}}));
  ASSERT_EQ(completed.status, 200) << completed.body;
  const std::string access5 = text(body_of(completed), "access_token");
  ASSERT_FALSE(access5.empty());
  EXPECT_EQ(call(Method::kGet, "/api/v1/me", {}, access5).status, 200);
  clock_.advance(std::chrono::seconds(30));
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/login/mfa",
                 json::serialize(json::object{{"mfa_token", challenge}, {"code", code_now()}}))
                .status,
            401)
      << "a challenge is completed once";

  // A recovery code works once.
  const std::string recovery_code(recovery[0].as_string());
  auto by_recovery =
      call(Method::kPost, "/api/v1/auth/login/mfa",
           json::serialize(json::object{{"mfa_token", mfa_token()}, {"code", recovery_code}}));
  ASSERT_EQ(by_recovery.status, 200) << by_recovery.body;
  EXPECT_EQ(call(Method::kPost, "/api/v1/auth/login/mfa",
                 json::serialize(json::object{{"mfa_token", mfa_token()}, {"code", recovery_code}}))
                .status,
            401);

  // Removing the authenticator needs a current code; log-in is one step again.
  EXPECT_EQ(call(Method::kDelete, "/api/v1/me/mfa/totp", R"({"code":"12345"})", access5).status,
            422);
  clock_.advance(std::chrono::seconds(30));
  auto disabled = call(Method::kDelete, "/api/v1/me/mfa/totp",
                       json::serialize(json::object{{"code", code_now()}}), access5);
  ASSERT_EQ(disabled.status, 204) << disabled.body;
  auto plain = body_of(log_in(email, password3));
  ASSERT_FALSE(text(plain, "access_token").empty());

  const auto actions = audit_actions(text(plain, "access_token"));
  for (const char* expected :
       {"email.verified", "password.reset_requested", "password.reset", "password.changed",
        "mfa.enabled", "login.mfa_failed", "mfa.disabled"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), expected), actions.end()) << expected;
  }
}

TEST_P(IdentityFlowsHttpTest, AnInvitationIsEmailedWithTheLinkToTheAcceptPage) {
  sign_up("jeanne@chantiers-sud.fr", "en");
  const json::object owner = body_of(log_in("jeanne@chantiers-sud.fr"));
  const std::string owner_token = text(owner, "access_token");
  auto created = call(Method::kPost, "/api/v1/orgs/" + text(owner, "org_id") + "/invitations",
                      R"({"email":"Karim@Menuiserie.fr","role":"member"})", owner_token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = text(body_of(created), "token");
  ASSERT_FALSE(token.empty());

  const auto sent = emails("invitation");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(text(sent[0], "to"), "karim@menuiserie.fr");
  EXPECT_EQ(text(sent[0], "locale"), "en") << "the inviter's language: the invitee has no account";
  const json::object& params = sent[0].at("params").as_object();
  EXPECT_EQ(text(params, "link"), std::string(kPortal) + "/accept-invitation?token=" + token);
  EXPECT_EQ(text(params, "org_name"), "Org of jeanne@chantiers-sud.fr");
  EXPECT_EQ(text(params, "role"), "member");
  EXPECT_EQ(text(params, "invited_by"), "Jeanne Chef");

  // The emailed link is the one that works.
  sign_up("karim@menuiserie.fr");
  const std::string karim = text(body_of(log_in("karim@menuiserie.fr")), "access_token");
  auto accepted = call(
      Method::kPost, "/api/v1/invitations/accept",
      json::serialize(json::object{
          {"token", emailed_token("invitation", "karim@menuiserie.fr", "/accept-invitation")}}),
      karim);
  EXPECT_EQ(accepted.status, 200) << accepted.body;
}

TEST_P(IdentityFlowsHttpTest, OnesOwnProfileIsEditedByMergePatch) {
  sign_up("lea@menuiserie.fr");
  const json::object tokens = body_of(log_in("lea@menuiserie.fr"));
  const std::string access = text(tokens, "access_token");

  auto patched =
      call(Method::kPatch, "/api/v1/me", R"({"name":"  Léa Martin  ","locale":"en"})", access);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(text(body_of(patched), "name"), "Léa Martin");
  EXPECT_EQ(text(body_of(patched), "locale"), "en");
  EXPECT_EQ(text(body_of(patched), "email"), "lea@menuiserie.fr");
  EXPECT_EQ(body_of(patched)["memberships"].as_array().size(), 1u);
  // A member left out stays as it is.
  auto named = call(Method::kPatch, "/api/v1/me", R"({"name":"Léa M."})", access);
  ASSERT_EQ(named.status, 200) << named.body;
  auto me = body_of(call(Method::kGet, "/api/v1/me", {}, access));
  EXPECT_EQ(text(me, "name"), "Léa M.");
  EXPECT_EQ(text(me, "locale"), "en");

  // Every bad field at once; nothing changes.
  const auto fields_of = [&](const http::ClientResponse& r) {
    std::set<std::string> fields;
    const json::object problem = body_of(r);
    for (const auto& e : problem.at("errors").as_array()) {
      fields.insert(text(e.as_object(), "field"));
    }
    return fields;
  };
  auto invalid = call(Method::kPatch, "/api/v1/me", R"({"name":"   ","locale":"de"})", access);
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(fields_of(invalid), (std::set<std::string>{"name", "locale"}));
  auto unknown = call(Method::kPatch, "/api/v1/me",
                      R"({"email":"autre@exemple.fr","name":null,"locale":5})", access);
  ASSERT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(fields_of(unknown), (std::set<std::string>{"email", "name", "locale"}));
  EXPECT_EQ(call(Method::kPatch, "/api/v1/me", "[1]", access).status, 400);
  EXPECT_EQ(call(Method::kPatch, "/api/v1/me", R"({"name":"X"})").status, 401);
  me = body_of(call(Method::kGet, "/api/v1/me", {}, access));
  EXPECT_EQ(text(me, "name"), "Léa M.");
  EXPECT_EQ(text(me, "email"), "lea@menuiserie.fr");

  // The same values again change nothing and record nothing.
  ASSERT_EQ(call(Method::kPatch, "/api/v1/me", R"({"locale":"en"})", access).status, 200);
  ASSERT_EQ(call(Method::kPatch, "/api/v1/me", "{}", access).status, 200);
  const auto actions = audit_actions(access);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "profile.updated"), 2);

  // An API key has no profile to edit.
  auto key = call(Method::kPost, "/api/v1/api-keys", R"({"name":"ERP","role":"member"})", access);
  ASSERT_EQ(key.status, 201) << key.body;
  http::Headers headers;
  headers.set("Authorization", "ApiKey " + text(body_of(key), "key"));
  headers.set("Content-Type", "application/json");
  auto as_key =
      client_.request(Method::kPatch, base_ + "/api/v1/me", headers, R"({"name":"Robot"})");
  ASSERT_TRUE(as_key);
  EXPECT_EQ(as_key->status, 403) << as_key->body;
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityFlowsHttpTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::identity
