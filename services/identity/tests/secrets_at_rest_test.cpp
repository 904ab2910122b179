// Secrets sealed at rest (ADR 0012), through the service as the platform starts it, on both
// engines: what the tables hold, the one-time upgrade of values stored before sealing, and a
// start under another key refused. Also where the key comes from (environment or key file).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/totp.hpp"
#include "atelier/db/migrations.hpp"
#include "atelier/events/outbox.hpp"
#include "backend.hpp"
#include "identity/adapters/routes.hpp"
#include "test_secrets.hpp"

std::vector<atelier::db::MigrationFile> atelier_identity_migrations();

namespace atelier::identity {
namespace {

constexpr const char* kEmail = "paul@couverture-morel.fr";
constexpr const char* kPassword = "Ardoise-Zinc-Faitage-7";

class SecretsAtRestTest : public db::testing::BackendTest {
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
    auto config = Config::load(std::nullopt, {});
    ASSERT_TRUE(config);
    config->public_url = "https://atelier.test";
    config_ = *config;
  }

  Result<std::unique_ptr<IdentityService>> start(std::shared_ptr<const auth::SecretBox> secrets) {
    IdentityService::Options options;
    options.clock = &clock_;
    options.hashing = auth::PasswordHashParams::minimum();
    options.common_passwords = "/nonexistent";
    options.key_maintenance_interval = std::chrono::seconds(0);
    options.secrets = std::move(secrets);
    return IdentityService::create(config_, *db_, options);
  }

  // One column of a table, every row.
  std::vector<std::string> column(std::string_view sql) const {
    auto values = db_->transact([&](db::Transaction& tx) -> Result<std::vector<std::string>> {
      auto rows = tx.query(sql);
      if (!rows) {
        return std::move(rows).error();
      }
      std::vector<std::string> out;
      for (const auto& r : *rows) {
        out.push_back(r.get_text(0));
      }
      return out;
    });
    EXPECT_TRUE(values) << values.error().message;
    return values ? *values : std::vector<std::string>{};
  }

  // Registers the account, enrols an authenticator, and returns the raw TOTP secret.
  std::string register_with_totp(app::Accounts& accounts) {
    auto r =
        accounts.register_account({kEmail, kPassword, "Paul Morel", "Couverture Morel", "fr", ""});
    EXPECT_TRUE(r) << r.error().message;
    if (!r) {
      return {};
    }
    user_id_ = r->user_id;
    const Principal me{Principal::Kind::kUser, r->user_id, r->org_id, {"owner"}, ""};
    auto setup = accounts.start_totp(me);
    EXPECT_TRUE(setup) << setup.error().message;
    secret_base32_ = setup ? setup->secret_base32 : "";
    const std::string secret = auth::base32_decode(secret_base32_).value_or("");
    EXPECT_TRUE(accounts.confirm_totp(me, auth::totp(secret, clock_.now())));
    return secret;
  }

  // A full log-in with a TOTP code, a step later than any used before; the access token.
  std::string log_in_with_totp(app::Accounts& accounts, const std::string& secret) {
    clock_.advance(std::chrono::seconds(30));
    auto first = accounts.login({kEmail, kPassword, "", "10.2.2.2"});
    EXPECT_TRUE(first) << first.error().message;
    if (!first) {
      return {};
    }
    EXPECT_FALSE(first->mfa_token.empty());
    auto tokens =
        accounts.complete_mfa_login(first->mfa_token, auth::totp(secret, clock_.now()), "10.2.2.2");
    EXPECT_TRUE(tokens) << tokens.error().message;
    return tokens ? tokens->access_token : std::string();
  }

  ManualClock clock_{TimePoint{std::chrono::seconds(1'797'000'000)}};
  Config config_;
  std::string user_id_;
  std::string secret_base32_;
};

TEST_P(SecretsAtRestTest, TheTablesHoldNoSecretInTheClear) {
  auto service = start(testing::shared_test_secrets());
  ASSERT_TRUE(service) << service.error().message;
  const std::string secret = register_with_totp((*service)->accounts());

  const auto totp = column("SELECT secret FROM mfa_totp");
  ASSERT_EQ(totp.size(), 1u);
  EXPECT_TRUE(totp[0].starts_with("sb1:"));
  EXPECT_EQ(totp[0].find(secret_base32_), std::string::npos);
  const auto pems = column("SELECT private_pem FROM signing_keys");
  ASSERT_EQ(pems.size(), 1u);
  EXPECT_TRUE(pems[0].starts_with("sb1:"));
  EXPECT_EQ(pems[0].find("BEGIN PRIVATE KEY"), std::string::npos);

  EXPECT_FALSE(log_in_with_totp((*service)->accounts(), secret).empty());
  // A restart under the same key reads both back.
  service->reset();
  auto again = start(testing::shared_test_secrets());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(log_in_with_totp((*again)->accounts(), secret).empty());
}

TEST_P(SecretsAtRestTest, PlainValuesFromBeforeSealingAreSealedAtTheNextStart) {
  std::string secret;
  std::string pem;
  {
    auto service = start(testing::shared_test_secrets());
    ASSERT_TRUE(service) << service.error().message;
    secret = register_with_totp((*service)->accounts());
  }
  // Play a database written before this change: both values in plain text.
  const std::string legacy_pem = auth::SigningKey::generate("legacy-kid").to_pem();
  script("DELETE FROM signing_keys");
  script("INSERT INTO signing_keys (kid, private_pem, created_at) VALUES ('legacy-kid', '" +
         legacy_pem + "', '" + format_rfc3339(clock_.now()) + "')");
  script("UPDATE mfa_totp SET secret = '" + secret_base32_ + "'");
  ASSERT_EQ(column("SELECT private_pem FROM signing_keys")[0], legacy_pem);

  auto service = start(testing::shared_test_secrets());
  ASSERT_TRUE(service) << service.error().message;
  const auto totp = column("SELECT secret FROM mfa_totp");
  ASSERT_EQ(totp.size(), 1u);
  EXPECT_TRUE(totp[0].starts_with("sb1:"));
  EXPECT_EQ(testing::test_secrets().open(totp[0]).value(), secret_base32_);
  const auto pems = column("SELECT private_pem FROM signing_keys WHERE kid = 'legacy-kid'");
  ASSERT_EQ(pems.size(), 1u);
  EXPECT_TRUE(pems[0].starts_with("sb1:"));
  EXPECT_EQ(testing::test_secrets().open(pems[0]).value(), legacy_pem);
  // The legacy key still signs, and the legacy TOTP secret still logs in.
  const std::string token = log_in_with_totp((*service)->accounts(), secret);
  const auto header = auth::base64url_decode(token.substr(0, token.find('.')));
  ASSERT_TRUE(header);
  EXPECT_NE(header->find("\"legacy-kid\""), std::string::npos) << *header;
}

TEST_P(SecretsAtRestTest, AnotherKeyRefusesToStart) {
  {
    auto service = start(testing::shared_test_secrets());
    ASSERT_TRUE(service) << service.error().message;
  }
  auto other = std::make_shared<const auth::SecretBox>(
      auth::SecretBox::from_hex(std::string(64, 'c')).value());
  auto refused = start(other);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("cannot be decrypted: wrong secrets key?"),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("signing key"), std::string::npos);
  EXPECT_FALSE(start(nullptr));
}

INSTANTIATE_TEST_SUITE_P(Backends, SecretsAtRestTest,
                         ::testing::Values(db::Kind::kSqlite, db::Kind::kPostgres),
                         db::testing::backend_name);

class SecretsKeySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atelier_secrets_key_" + db::testing::random_suffix());
    auto config = Config::load(std::nullopt, {});
    ASSERT_TRUE(config);
    config_ = *config;
    config_.data_dir = dir_ / "data";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  Config config_;
};

TEST_F(SecretsKeySourceTest, TheEnvironmentWinsAndNothingIsWritten) {
  config_.secrets_key = std::string(testing::kTestSecretsKey);
  auto box = IdentityService::load_secrets(config_);
  ASSERT_TRUE(box) << box.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir_));
  EXPECT_EQ((*box)->open(testing::test_secrets().seal("x")).value(), "x");
}

TEST_F(SecretsKeySourceTest, TheKeyFileIsMadeOnFirstStartAndKept) {
  auto first = IdentityService::load_secrets(config_);
  ASSERT_TRUE(first) << first.error().message;
  const auto path = dir_ / "data" / "secrets.key";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = IdentityService::load_secrets(config_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ((*second)->open((*first)->seal("x")).value(), "x");

  config_.secrets_key_file = dir_ / "elsewhere.key";
  ::chmod(path.c_str(), 0644);
  std::filesystem::copy_file(path, config_.secrets_key_file);
  auto refused = IdentityService::load_secrets(config_);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("elsewhere.key"), std::string::npos);
}

}  // namespace
}  // namespace atelier::identity
