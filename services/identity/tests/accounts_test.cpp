// The identity use cases on SQLite and PostgreSQL, with a clock the tests move.
#include "identity/app/accounts.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>

#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "identity/adapters/outbox_notifier.hpp"
#include "identity/adapters/sql_store.hpp"

std::vector<atelier::db::MigrationFile> atelier_identity_migrations();

namespace atelier::identity::app {
namespace {

constexpr const char* kPassword = "Charpente-Chene-2025!";

class AccountsTest : public db::testing::BackendTest {
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
    const auto list =
        dir_.empty() ? std::filesystem::temp_directory_path() / "atelier_pw.lst" : dir_ / "pw.lst";
    std::ofstream(list) << "#!comment\nmotdepasse123456\n";
    auth::PasswordPolicyOptions policy_options;
    policy_options.common_passwords_path = list;
    policy_ = std::make_unique<auth::PasswordPolicy>(policy_options);
    auto keys = load_key_ring(*db_, store_, clock_);
    ASSERT_TRUE(keys) << keys.error().message;
    keys_ = std::move(keys).value();
    accounts_ = std::make_unique<Accounts>(
        *db_, store_, *keys_, TokenSettings{.issuer = "http://atelier.test"}, *policy_, clock_,
        ThrottleSettings{}, auth::PasswordHashParams::minimum(), nullptr, &notifier_);
  }

  Registered register_marie(std::string email = "marie@durand-batiment.fr") {
    auto r = accounts_->register_account(
        {email, kPassword, "Marie Durand", "Durand Bâtiment", "fr", "10.0.0.1"});
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : Registered{};
  }

  // The token of the newest email link of `purpose` written to the outbox.
  std::string emailed_token(const std::string& purpose) {
    auto token = db_->transact([&](db::Transaction& tx) -> Result<std::string> {
      auto rows = tx.query(
          "SELECT envelope FROM outbox WHERE type = 'notifications.EmailRequested.v1' "
          "ORDER BY seq DESC");
      if (!rows) {
        return std::move(rows).error();
      }
      for (const auto& row : *rows) {
        auto e = events::CloudEvent::from_json(row.get_text(0));
        const auto data = boost::json::parse(e->data).as_object();
        if (data.at("template").as_string() == purpose) {
          const std::string link(data.at("params").as_object().at("link").as_string());
          return link.substr(link.find("token=") + 6);
        }
      }
      return Error::not_found("no email of " + purpose);
    });
    EXPECT_TRUE(token) << token.error().message;
    return token ? *token : std::string();
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'795'000'000)}};
  adapters::SqlIdentityStore store_;
  adapters::OutboxNotifier notifier_{clock_};
  std::unique_ptr<auth::PasswordPolicy> policy_;
  std::unique_ptr<auth::KeyRing> keys_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_P(AccountsTest, SignUpCreatesTheUserTheirOrgAndTheEvents) {
  const auto r = register_marie();
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE role = 'owner'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'identity.UserRegistered.v1'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'identity.OrgCreated.v1'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'identity.MemberAdded.v1'"), 1);
  EXPECT_FALSE(r.org_id.empty());
}

TEST_P(AccountsTest, ASecondSignUpWithTheSameEmailIsAConflictAndWritesNothing) {
  register_marie();
  auto again = accounts_->register_account(
      {"MARIE@durand-batiment.fr", kPassword, "Marie", "Autre", "fr", "10.0.0.1"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM orgs"), 1);
}

TEST_P(AccountsTest, BadSignUpsListEveryBadField) {
  auto r = accounts_->register_account({"not-an-email", "short", "", "", "de", ""});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) {
    fields.insert(f.field);
  }
  EXPECT_EQ(fields, (std::set<std::string>{"email", "name", "org_name", "locale", "password"}));
  auto common =
      accounts_->register_account({"a@b.fr", "motdepasse123456", "Alain", "Org", "fr", ""});
  ASSERT_FALSE(common);
  EXPECT_EQ(common.error().fields.at(0).field, "password");
}

TEST_P(AccountsTest, LoginIssuesATokenTheGatewayAccepts) {
  const auto r = register_marie();
  auto tokens = accounts_->login({"Marie@Durand-Batiment.fr", kPassword, "", "10.0.0.1"});
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_EQ(tokens->org_id, r.org_id);
  auto principal = accounts_->verify_access_token(tokens->access_token);
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_EQ(principal->subject, r.user_id);
  EXPECT_EQ(principal->org_id, r.org_id);
  EXPECT_TRUE(principal->has_role("owner"));
  // Verified again (now from memory): the same answer.
  auto again = accounts_->verify_access_token(tokens->access_token);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->subject, r.user_id);
  // Fifteen minutes later the access token is refused, remembered or not.
  clock_.advance(std::chrono::minutes(16));
  EXPECT_FALSE(accounts_->verify_access_token(tokens->access_token));
  // A forged token is not accepted because a genuine one was remembered.
  std::string forged = tokens->access_token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(accounts_->verify_access_token(forged));
}

TEST_P(AccountsTest, AWrongPasswordAndAnUnknownEmailGetTheSameAnswer) {
  register_marie();
  auto wrong = accounts_->login({"marie@durand-batiment.fr", "nope", "", "10.0.0.2"});
  auto unknown = accounts_->login({"nobody@example.fr", "nope", "", "10.0.0.2"});
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed'"), 2);
}

TEST_P(AccountsTest, TheSixthWrongPasswordIsThrottledUntilTheLockoutEnds) {
  register_marie();
  for (int i = 0; i < 5; ++i) {
    auto r = accounts_->login({"marie@durand-batiment.fr", "wrong", "", "10.0.0.3"});
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthenticated) << i;
  }
  auto locked = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.0.3"});
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kTooManyRequests);
  ASSERT_TRUE(locked.error().retry_after);
  EXPECT_GT(locked.error().retry_after->count(), 0);
  clock_.advance(std::chrono::minutes(16));
  EXPECT_TRUE(accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.0.3"}));
}

TEST_P(AccountsTest, RefreshRotatesAndAReusedTokenEndsTheWholeFamily) {
  register_marie();
  auto first = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.0.4"});
  ASSERT_TRUE(first);
  auto second = accounts_->refresh(first->refresh_token, "10.0.0.4");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(second->refresh_token, first->refresh_token);

  // The first token, already spent, comes back: a copy was stolen.
  auto replay = accounts_->refresh(first->refresh_token, "10.6.6.6");
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, ErrorCode::kUnauthenticated);
  // ...and the legitimate newer token dies with its family.
  EXPECT_FALSE(accounts_->refresh(second->refresh_token, "10.0.0.4"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'token.reuse_detected'"), 1);
}

TEST_P(AccountsTest, LogoutEndsTheSession) {
  register_marie();
  auto t = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.0.5"});
  ASSERT_TRUE(t);
  ASSERT_TRUE(accounts_->logout(t->refresh_token, "10.0.0.5"));
  EXPECT_FALSE(accounts_->refresh(t->refresh_token, "10.0.0.5"));
  EXPECT_TRUE(accounts_->logout("unknown-token", "10.0.0.5")) << "logging out twice is fine";
}

TEST_P(AccountsTest, ChangingThePasswordNeedsTheOldOneAndEndsEverySession) {
  const auto r = register_marie();
  auto t = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.1.1"});
  ASSERT_TRUE(t);
  const Principal me{Principal::Kind::kUser, r.user_id, r.org_id, {"owner"}, ""};
  auto wrong = accounts_->change_password(me, "not-it", "Nouveau-Mot-De-Passe-7", "10.0.1.1");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().fields.at(0).field, "current_password");
  auto weak = accounts_->change_password(me, kPassword, "court", "10.0.1.1");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().fields.at(0).field, "new_password");

  ASSERT_TRUE(accounts_->change_password(me, kPassword, "Nouveau-Mot-De-Passe-7", "10.0.1.1"));
  EXPECT_FALSE(accounts_->refresh(t->refresh_token, "10.0.1.1")) << "old sessions must end";
  EXPECT_FALSE(accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.1.1"}));
  EXPECT_TRUE(
      accounts_->login({"marie@durand-batiment.fr", "Nouveau-Mot-De-Passe-7", "", "10.0.1.1"}));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'password.changed'"), 1);
}

TEST_P(AccountsTest, SignUpEmailsAVerificationLinkThatWorksOnce) {
  const auto r = register_marie();
  const std::string token = emailed_token("verify_email");
  ASSERT_FALSE(token.empty());
  const Principal me{Principal::Kind::kUser, r.user_id, r.org_id, {"owner"}, ""};
  EXPECT_FALSE(accounts_->profile(me)->user.email_verified_at);
  ASSERT_TRUE(accounts_->verify_email(token, "10.0.2.1"));
  EXPECT_TRUE(accounts_->profile(me)->user.email_verified_at);
  EXPECT_EQ(accounts_->verify_email(token, "10.0.2.1").error().code, ErrorCode::kGone);
  EXPECT_EQ(accounts_->verify_email("made-up", "10.0.2.1").error().code, ErrorCode::kNotFound);
}

TEST_P(AccountsTest, PasswordResetByEmailLinkEndsSessionsAndRevealsNoAccounts) {
  register_marie();
  auto session = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.2.2"});
  ASSERT_TRUE(session);
  const int64_t emails_before =
      scalar("SELECT COUNT(*) FROM outbox WHERE type = 'notifications.EmailRequested.v1'");
  ASSERT_TRUE(accounts_->request_password_reset("nobody@example.fr", "10.0.2.2"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE type = 'notifications.EmailRequested.v1'"),
            emails_before)
      << "no email for an address without an account";
  ASSERT_TRUE(accounts_->request_password_reset("Marie@Durand-Batiment.fr", "10.0.2.2"));
  const std::string token = emailed_token("reset_password");

  auto weak = accounts_->reset_password(token, "court", "10.0.2.2");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().code, ErrorCode::kInvalid);
  ASSERT_TRUE(accounts_->reset_password(token, "Nouvelle-Charpente-88", "10.0.2.2"));
  EXPECT_FALSE(accounts_->refresh(session->refresh_token, "10.0.2.2"));
  EXPECT_FALSE(accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.2.2"}));
  EXPECT_TRUE(
      accounts_->login({"marie@durand-batiment.fr", "Nouvelle-Charpente-88", "", "10.0.2.2"}));
  EXPECT_EQ(accounts_->reset_password(token, "Encore-Une-Autre-99", "10.0.2.2").error().code,
            ErrorCode::kGone);
}

TEST_P(AccountsTest, AResetLinkExpiresAfterAnHour) {
  register_marie();
  ASSERT_TRUE(accounts_->request_password_reset("marie@durand-batiment.fr", "10.0.2.3"));
  const std::string token = emailed_token("reset_password");
  clock_.advance(std::chrono::minutes(61));
  EXPECT_EQ(accounts_->reset_password(token, "Nouvelle-Charpente-88", "10.0.2.3").error().code,
            ErrorCode::kGone);
}

TEST_P(AccountsTest, OnPostgresAQueryThatForgetsTheOrgFilterStillSeesOnlyItsOrganisation) {
  if (!is_postgres()) {
    GTEST_SKIP() << "row-level security is PostgreSQL's; on SQLite the repositories' filter is "
                    "the only wall";
  }
  const auto marie = register_marie();
  const auto paul = register_marie("paul@plomberie-martin.fr");
  ASSERT_TRUE(accounts_->login({"paul@plomberie-martin.fr", kPassword, "", "10.0.3.1"}));
  // A careless query: no WHERE org_id at all, in a transaction for Marie's organisation.
  auto seen = db_->transact(
      db::TxOptions{.mode = db::TxMode::kRead, .org_id = marie.org_id},
      [&](db::Transaction& tx) -> Result<std::vector<std::string>> {
        std::vector<std::string> orgs;
        for (const char* table : {"orgs", "memberships", "audit_log", "refresh_tokens"}) {
          auto rows = tx.query(std::string("SELECT DISTINCT org_id FROM ") + table);
          if (!rows) {
            return std::move(rows).error();
          }
          for (const auto& row : *rows) {
            orgs.push_back(row.get_text(0));
          }
        }
        return orgs;
      });
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_FALSE(seen->empty());
  for (const auto& org : *seen) {
    EXPECT_EQ(org, marie.org_id) << "a row of another organisation (" << paul.org_id
                                 << ") was visible";
  }
}

TEST_P(AccountsTest, AnExpiredRefreshTokenIsRefused) {
  register_marie();
  auto t = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.0.6"});
  ASSERT_TRUE(t);
  clock_.advance(std::chrono::hours(24 * 31));
  EXPECT_FALSE(accounts_->refresh(t->refresh_token, "10.0.0.6"));
}

TEST_P(AccountsTest, TheSigningKeySurvivesARestart) {
  register_marie();
  auto t = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.0.7"});
  ASSERT_TRUE(t);
  auto reloaded = load_key_ring(*db_, store_, clock_);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ((*reloaded)->current_kid(), keys_->current_kid());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM signing_keys"), 1);
}

TEST_P(AccountsTest, TheAuditLogIsForOwnersOfThatOrgOnly) {
  const auto marie = register_marie();
  const auto paul = register_marie("paul@plomberie-martin.fr");
  auto marie_tokens = accounts_->login({"marie@durand-batiment.fr", kPassword, "", "10.0.0.8"});
  ASSERT_TRUE(marie_tokens);
  const Principal owner{Principal::Kind::kUser, marie.user_id, marie.org_id, {"owner"}, ""};
  auto entries = accounts_->audit(owner, "", 50);
  ASSERT_TRUE(entries) << entries.error().message;
  for (const auto& e : *entries) {
    EXPECT_EQ(e.org_id, marie.org_id) << "another org's audit entry leaked: " << e.action;
  }
  EXPECT_GE(entries->size(), 2u);  // registered, login.succeeded
  const Principal member{Principal::Kind::kUser, paul.user_id, marie.org_id, {"member"}, ""};
  auto refused = accounts_->audit(member, "", 50);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_P(AccountsTest, LoginIntoAnOrgOfWhichOneIsNotAMemberIsForbidden) {
  register_marie();
  const auto paul = register_marie("paul@plomberie-martin.fr");
  auto r = accounts_->login({"marie@durand-batiment.fr", kPassword, paul.org_id, "10.0.0.9"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::identity::app
