// The second factor on both engines: enrolment, log-in with a TOTP code or a recovery code,
// replays and guessing refused.
#include <gtest/gtest.h>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/totp.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "identity/adapters/sql_mfa_store.hpp"
#include "identity/adapters/sql_store.hpp"
#include "identity/app/accounts.hpp"
#include "test_secrets.hpp"

std::vector<atelier::db::MigrationFile> atelier_identity_migrations();

namespace atelier::identity::app {
namespace {

constexpr const char* kEmail = "lea@menuiserie-roux.fr";
constexpr const char* kPassword = "Escalier-Chene-Massif-9";

class MfaTest : public db::testing::BackendTest {
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
      ASSERT_TRUE(db::migrate(*db_, component, *selected));
    }
    auth::PasswordPolicyOptions po;
    po.common_passwords_path = "/nonexistent";
    policy_ = std::make_unique<auth::PasswordPolicy>(po);
    keys_ = std::move(load_key_ring(*db_, store_, clock_).value());
    accounts_ = std::make_unique<Accounts>(
        *db_, store_, *keys_, TokenSettings{.issuer = "http://atelier.test"}, *policy_, clock_,
        ThrottleSettings{}, auth::PasswordHashParams::minimum(), &mfa_);
    auto r =
        accounts_->register_account({kEmail, kPassword, "Léa Roux", "Menuiserie Roux", "fr", ""});
    ASSERT_TRUE(r) << r.error().message;
    me_ = Principal{Principal::Kind::kUser, r->user_id, r->org_id, {"owner"}, ""};
  }

  // Enrols an authenticator and returns its raw secret and the recovery codes.
  std::pair<std::string, std::vector<std::string>> enrol() {
    auto setup = accounts_->start_totp(me_);
    EXPECT_TRUE(setup) << setup.error().message;
    EXPECT_EQ(setup->otpauth_uri.rfind("otpauth://totp/", 0), 0u);
    const std::string secret = auth::base32_decode(setup->secret_base32).value();
    auto codes = accounts_->confirm_totp(me_, auth::totp(secret, clock_.now()));
    EXPECT_TRUE(codes) << codes.error().message;
    return {secret, codes ? *codes : std::vector<std::string>{}};
  }

  std::string password_step() {
    auto r = accounts_->login({kEmail, kPassword, "", "10.1.1.1"});
    EXPECT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->access_token.empty()) << "tokens must wait for the second factor";
    return r->mfa_token;
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'796'000'000)}};
  adapters::SqlIdentityStore store_{identity::testing::test_secrets()};
  adapters::SqlMfaStore mfa_{identity::testing::test_secrets()};
  std::unique_ptr<auth::PasswordPolicy> policy_;
  std::unique_ptr<auth::KeyRing> keys_;
  std::unique_ptr<Accounts> accounts_;
  Principal me_;
};

TEST_P(MfaTest, WithoutASecondFactorLogInGivesTokensAtOnce) {
  auto r = accounts_->login({kEmail, kPassword, "", "10.1.1.1"});
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->access_token.empty());
  EXPECT_TRUE(r->mfa_token.empty());
}

TEST_P(MfaTest, AWrongFirstCodeDoesNotActivateTheAuthenticator) {
  ASSERT_TRUE(accounts_->start_totp(me_));
  auto refused = accounts_->confirm_totp(me_, "000000");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  auto r = accounts_->login({kEmail, kPassword, "", "10.1.1.1"});
  EXPECT_FALSE(r->access_token.empty()) << "an unconfirmed authenticator must not be required";
}

TEST_P(MfaTest, LogInNeedsTheCurrentCodeAndACodeWorksOnce) {
  const auto [secret, codes] = enrol();
  ASSERT_EQ(codes.size(), 10u);
  clock_.advance(std::chrono::seconds(60));
  const std::string token = password_step();
  const std::string code = auth::totp(secret, clock_.now());
  auto done = accounts_->complete_mfa_login(token, code, "10.1.1.1");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(accounts_->verify_access_token(done->access_token));

  // The same code, in the same time step, on a new log-in: refused.
  const std::string again = password_step();
  EXPECT_FALSE(accounts_->complete_mfa_login(again, code, "10.1.1.1"));
  // The challenge itself is spent too.
  EXPECT_FALSE(accounts_->complete_mfa_login(token, code, "10.1.1.1"));
}

TEST_P(MfaTest, ARecoveryCodeWorksOnceInAnyCase) {
  const auto [secret, codes] = enrol();
  std::string shouted = codes[3];
  for (char& c : shouted) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  auto first = accounts_->complete_mfa_login(password_step(), shouted, "10.1.1.1");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(accounts_->complete_mfa_login(password_step(), codes[3], "10.1.1.1"));
}

TEST_P(MfaTest, FiveWrongCodesEndTheChallenge) {
  const auto [secret, codes] = enrol();
  clock_.advance(std::chrono::seconds(90));
  const std::string token = password_step();
  for (int i = 0; i < 5; ++i) {
    auto wrong = accounts_->complete_mfa_login(token, "123456", "10.1.1.1");
    ASSERT_FALSE(wrong);
  }
  // Even the right code is refused now.
  EXPECT_FALSE(accounts_->complete_mfa_login(token, auth::totp(secret, clock_.now()), "10.1.1.1"));
  EXPECT_EQ(scalar("SELECT failures FROM mfa_challenges"), 5);
}

TEST_P(MfaTest, TheChallengeExpiresAfterFiveMinutes) {
  const auto [secret, codes] = enrol();
  const std::string token = password_step();
  clock_.advance(std::chrono::minutes(6));
  EXPECT_FALSE(accounts_->complete_mfa_login(token, auth::totp(secret, clock_.now()), "10.1.1.1"));
}

TEST_P(MfaTest, DisablingNeedsACurrentCode) {
  const auto [secret, codes] = enrol();
  clock_.advance(std::chrono::seconds(30));
  EXPECT_FALSE(accounts_->disable_totp(me_, "000000"));
  ASSERT_TRUE(accounts_->disable_totp(me_, auth::totp(secret, clock_.now())));
  auto r = accounts_->login({kEmail, kPassword, "", "10.1.1.1"});
  EXPECT_FALSE(r->access_token.empty());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('mfa.enabled', "
                   "'mfa.disabled')"),
            2);
}

// The TOTP secret as the table holds it.
std::string stored_totp_secret(db::Database& db) {
  auto value = db.transact([](db::Transaction& tx) -> Result<std::string> {
    auto rows = tx.query("SELECT secret FROM mfa_totp");
    if (!rows) {
      return std::move(rows).error();
    }
    EXPECT_EQ(rows->size(), 1u);
    return rows->empty() ? std::string() : (*rows)[0].get_text(0);
  });
  EXPECT_TRUE(value) << value.error().message;
  return value ? *value : std::string();
}

TEST_P(MfaTest, TheTotpSecretIsSealedAtRest) {
  auto setup = accounts_->start_totp(me_);
  ASSERT_TRUE(setup) << setup.error().message;
  const std::string stored = stored_totp_secret(*db_);
  EXPECT_TRUE(stored.starts_with("sb1:")) << stored;
  EXPECT_EQ(stored.find(setup->secret_base32), std::string::npos);
  const std::string secret = auth::base32_decode(setup->secret_base32).value();
  ASSERT_TRUE(accounts_->confirm_totp(me_, auth::totp(secret, clock_.now())));
  EXPECT_EQ(stored_totp_secret(*db_), stored);  // confirming does not rewrite it

  clock_.advance(std::chrono::seconds(30));
  auto tokens =
      accounts_->complete_mfa_login(password_step(), auth::totp(secret, clock_.now()), "10.1.1.1");
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_FALSE(tokens->access_token.empty());
}

TEST_P(MfaTest, APlainSecretStoredBeforeSealingIsStillRead) {
  const auto [secret, codes] = enrol();
  script("UPDATE mfa_totp SET secret = '" + auth::base32_encode(secret) + "'");
  clock_.advance(std::chrono::seconds(30));
  auto tokens =
      accounts_->complete_mfa_login(password_step(), auth::totp(secret, clock_.now()), "10.1.1.1");
  ASSERT_TRUE(tokens) << tokens.error().message;
  // A new enrolment writes it sealed.
  clock_.advance(std::chrono::seconds(30));
  ASSERT_TRUE(accounts_->disable_totp(me_, auth::totp(secret, clock_.now())));
  ASSERT_TRUE(accounts_->start_totp(me_));
  EXPECT_TRUE(stored_totp_secret(*db_).starts_with("sb1:"));
}

TEST_P(MfaTest, ASecretSealedUnderAnotherKeyFailsTheLogInWithoutAGuess) {
  const auto [secret, codes] = enrol();
  const auto other_key = auth::SecretBox::from_hex(std::string(64, 'e')).value();
  adapters::SqlMfaStore other_mfa{other_key};
  Accounts other(*db_, store_, *keys_, TokenSettings{.issuer = "http://atelier.test"}, *policy_,
                 clock_, ThrottleSettings{}, auth::PasswordHashParams::minimum(), &other_mfa);
  auto r = other.login({kEmail, kPassword, "", "10.1.1.1"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_NE(r.error().message.find("the TOTP secret of user " + me_.subject +
                                   " cannot be decrypted: wrong secrets key?"),
            std::string::npos)
      << r.error().message;
  // The right key still works.
  clock_.advance(std::chrono::seconds(30));
  EXPECT_TRUE(
      accounts_->complete_mfa_login(password_step(), auth::totp(secret, clock_.now()), "10.1.1.1"));
}

INSTANTIATE_TEST_SUITE_P(Backends, MfaTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

}  // namespace
}  // namespace atelier::identity::app
