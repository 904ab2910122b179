#include "atelier/auth/password.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace atelier::auth {
namespace {

const PasswordHashParams kFast = PasswordHashParams::minimum();

TEST(PasswordHash, RoundTripWithTheDefaultCost) {
  const auto hash = hash_password("correct horse battery staple");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << *hash;
  EXPECT_TRUE(verify_password("correct horse battery staple", *hash));
  EXPECT_FALSE(verify_password("correct horse battery stapler", *hash));
  EXPECT_FALSE(needs_rehash(*hash));
}

TEST(PasswordHash, WrongPasswordFails) {
  const auto hash = hash_password("s3cret-enough-for-tests", kFast);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(verify_password("s3cret-enough-for-tests", *hash));
  EXPECT_FALSE(verify_password("S3cret-enough-for-tests", *hash));
  EXPECT_FALSE(verify_password("", *hash));
}

TEST(PasswordHash, HashesAreSalted) {
  const auto a = hash_password("same password twice", kFast);
  const auto b = hash_password("same password twice", kFast);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password("same password twice", *a));
  EXPECT_TRUE(verify_password("same password twice", *b));
}

TEST(PasswordHash, ACheaperHashNeedsRehashUnderTheDefaultCost) {
  const auto hash = hash_password("old cheap hash", kFast);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(needs_rehash(*hash));
  EXPECT_FALSE(needs_rehash(*hash, kFast));
  EXPECT_TRUE(needs_rehash("not a hash"));
  EXPECT_TRUE(needs_rehash(""));
}

TEST(PasswordHash, GarbageHashesNeverVerify) {
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", "$argon2id$"));
  EXPECT_FALSE(verify_password("x", std::string(1000, '$')));
  EXPECT_FALSE(verify_password("x", std::string("$argon2id$v=19\0", 15)));
}

TEST(PasswordHash, EmbeddedNulBytesCount) {
  const auto hash = hash_password(std::string("abc\0def", 7), kFast);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(verify_password(std::string("abc\0def", 7), *hash));
  EXPECT_FALSE(verify_password("abc", *hash));
}

class PasswordPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    list_path_ =
        std::filesystem::path(::testing::TempDir()) /
        ("atelier_auth_common_" +
         std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".lst");
    std::ofstream out(list_path_);
    out << "#!comment: a small list for tests\n"
           "123456\n"
           "Password123456\n"
           "#!comment: lines like this one are not passwords\n"
           "correcthorsebattery\r\n";
  }
  void TearDown() override { std::filesystem::remove(list_path_); }

  PasswordPolicy policy() const {
    PasswordPolicyOptions options;
    options.common_passwords_path = list_path_.string();
    return PasswordPolicy(options);
  }

  static std::string reason(const Result<void>& result) {
    if (result.ok() || result.error().fields.empty()) {
      return {};
    }
    return result.error().fields.front().message;
  }

  std::filesystem::path list_path_;
};

TEST_F(PasswordPolicyTest, LoadsTheListSkippingComments) {
  EXPECT_EQ(policy().common_password_count(), 3u);
}

TEST_F(PasswordPolicyTest, ShortPasswordIsRefusedWithAFieldError) {
  const auto result = policy().check("short", "a@example.com", "");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(result.error().fields.size(), 1u);
  EXPECT_EQ(result.error().fields[0].field, "password");
  EXPECT_EQ(result.error().fields[0].message,
            "The password is too short: use at least 12 characters.");
  EXPECT_FALSE(policy().check("elevenchars"));
  EXPECT_TRUE(policy().check("twelve chars"));
}

TEST_F(PasswordPolicyTest, CountsCharactersNotBytes) {
  // 12 two-byte characters and 12 four-byte ones pass; 11 (22 or 44 bytes) do not.
  std::string accented;
  std::string emoji;
  for (int i = 0; i < 12; ++i) {
    accented += "é";
    emoji += "\U0001F3D7";  // building construction
  }
  EXPECT_TRUE(policy().check(accented)) << reason(policy().check(accented));
  EXPECT_TRUE(policy().check(emoji));
  EXPECT_FALSE(policy().check(accented.substr(0, 22)));
  EXPECT_FALSE(policy().check(emoji.substr(0, 44)));
}

TEST_F(PasswordPolicyTest, RefusesInvalidUtf8) {
  EXPECT_EQ(reason(policy().check("abcdefghijkl\xff")),
            "The password contains characters that are not valid text.");
  EXPECT_FALSE(policy().check("abcdefghijkl\xc3"));              // truncated sequence
  EXPECT_FALSE(policy().check("abcdefghijkl\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(policy().check("abcdefghijkl\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(policy().check("abcdefghijkl\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST_F(PasswordPolicyTest, RefusesMoreThan256Bytes) {
  EXPECT_TRUE(policy().check(std::string(256, 'k')));
  EXPECT_EQ(reason(policy().check(std::string(257, 'k'))),
            "The password is too long: at most 256 bytes.");
}

TEST_F(PasswordPolicyTest, RefusesCommonPasswordsIgnoringCase) {
  EXPECT_EQ(reason(policy().check("password123456")),
            "This password is too common: choose one that is harder to guess.");
  EXPECT_FALSE(policy().check("PASSWORD123456"));
  EXPECT_FALSE(policy().check("CorrectHorseBattery"));  // its line ended in CRLF
  EXPECT_TRUE(policy().check("password1234567"));
}

TEST_F(PasswordPolicyTest, RefusesTheEmailLocalPartOrTheName) {
  const auto p = policy();
  const std::string why = "The password must not contain your name or e-mail address.";
  EXPECT_EQ(reason(p.check("my-Jean.Dupont-pass", "jean.dupont@example.com", "")), why);
  EXPECT_EQ(reason(p.check("dupont-forever-2024", "jean.dupont@example.com", "")), why);
  EXPECT_EQ(reason(p.check("i am marie curie!", "mc@example.com", "Marie Curie")), why);
  EXPECT_EQ(reason(p.check("CURIE radium 1898", "mc@example.com", "Marie Curie")), why);
  // Parts shorter than four characters are too common to refuse.
  EXPECT_TRUE(p.check("li and bo walk the dog", "bo@example.com", "Li Bo"));
  EXPECT_TRUE(p.check("example.com rocks!", "jean@example.com", "Jean"));
}

TEST(PasswordPolicy, AMissingListLeavesTheOtherRules) {
  PasswordPolicyOptions options;
  options.common_passwords_path = "/nonexistent/atelier/password.lst";
  const PasswordPolicy policy(options);
  EXPECT_EQ(policy.common_password_count(), 0u);
  EXPECT_TRUE(policy.check("password123456"));
  EXPECT_FALSE(policy.check("short"));
}

TEST(PasswordPolicy, RefusesEntriesOfJohnTheRippersList) {
  // Debian's john-data package (scripts/deps.sh installs it).
  const PasswordPolicy policy;
  ASSERT_GT(policy.common_password_count(), 3000u)
      << "is john-data installed? /usr/share/john/password.lst";
  EXPECT_FALSE(policy.check("winniethepooh"));  // the one entry of 12+ characters
  EXPECT_FALSE(policy.check("WinnieThePooh"));
  EXPECT_TRUE(policy.check("winnie the pooh and friends"));

  // Shorter entries, with the minimum length lowered so that only the list can refuse them.
  PasswordPolicyOptions options;
  options.min_code_points = 6;
  const PasswordPolicy lenient(options);
  EXPECT_FALSE(lenient.check("qwertyuiop"));
  EXPECT_FALSE(lenient.check("Qwerty"));
  EXPECT_FALSE(lenient.check("password1"));
  EXPECT_TRUE(lenient.check("qwertyuiop-chantier"));
}

}  // namespace
}  // namespace atelier::auth
