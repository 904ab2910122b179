#include "atelier/auth/secret_box.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <random>
#include <sstream>

#include "atelier/auth/encoding.hpp"

namespace atelier::auth {
namespace {

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

SecretBox box_of(const std::string& hex) {
  auto box = SecretBox::from_hex(hex);
  EXPECT_TRUE(box) << box.error().message;
  return std::move(box).value();
}

class SecretBoxFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("atelier_secret_box_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path write(const std::string& name, const std::string& text, mode_t mode) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }

  std::filesystem::path dir_;
};

TEST(SecretBox, SealsAndOpens) {
  const SecretBox box = box_of(kKeyHex);
  for (const std::string& plain : {std::string("JBSWY3DPEHPK3PXP"), std::string(),
                                   std::string("-----BEGIN PRIVATE KEY-----\n\0x\n", 32)}) {
    const std::string sealed = box.seal(plain);
    EXPECT_TRUE(sealed.starts_with("sb1:"));
    EXPECT_TRUE(SecretBox::is_sealed(sealed));
    if (!plain.empty()) {
      EXPECT_EQ(sealed.find(plain), std::string::npos);
    }
    auto opened = box.open(sealed);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, plain);
  }
  EXPECT_FALSE(SecretBox::is_sealed("JBSWY3DPEHPK3PXP"));
  EXPECT_FALSE(SecretBox::is_sealed("-----BEGIN PRIVATE KEY-----"));
}

TEST(SecretBox, TwoSealsOfOneTextDiffer) {
  const SecretBox box = box_of(kKeyHex);
  EXPECT_NE(box.seal("JBSWY3DPEHPK3PXP"), box.seal("JBSWY3DPEHPK3PXP"));
}

TEST(SecretBox, AnotherKeyDoesNotOpen) {
  const std::string sealed = box_of(kKeyHex).seal("JBSWY3DPEHPK3PXP");
  auto opened = box_of(std::string(64, 'f')).open(sealed);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInternal);
  EXPECT_NE(opened.error().message.find("another secrets key"), std::string::npos);
}

TEST(SecretBox, AnyChangedByteIsRefused) {
  const SecretBox box = box_of(kKeyHex);
  const std::string sealed = box.seal("JBSWY3DPEHPK3PXP");
  const std::string raw = base64url_decode(sealed.substr(4)).value();
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string changed = raw;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(box.open("sb1:" + base64url_encode(changed))) << "byte " << i;
  }
  EXPECT_FALSE(box.open("sb1:" + base64url_encode(raw.substr(0, raw.size() - 1))));
  EXPECT_FALSE(box.open("sb1:"));
  EXPECT_FALSE(box.open("sb1:!!!"));
  EXPECT_FALSE(box.open("JBSWY3DPEHPK3PXP"));
}

TEST(SecretBox, KeyFromHex) {
  EXPECT_TRUE(SecretBox::from_hex(std::string(64, 'A')));
  const auto short_key = SecretBox::from_hex(std::string(62, 'a'));
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().code, ErrorCode::kInvalid);
  const std::string not_hex = std::string(63, 'a') + "g";
  const auto refused = SecretBox::from_hex(not_hex);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.find(not_hex), std::string::npos);  // never echoed
}

TEST_F(SecretBoxFileTest, CreatesAMissingKeyFileWithMode0600AndReusesIt) {
  const auto path = dir_ / "sub" / "secrets.key";
  EXPECT_FALSE(SecretBox::from_key_file(path, false));
  EXPECT_FALSE(std::filesystem::exists(path));
  auto made = SecretBox::from_key_file(path, true);
  ASSERT_TRUE(made) << made.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  EXPECT_EQ(text.str().size(), 65u);  // 64 hex digits and a newline
  EXPECT_TRUE(hex_decode(text.str().substr(0, 64)));

  const std::string sealed = made->seal("JBSWY3DPEHPK3PXP");
  auto again = SecretBox::from_key_file(path, true);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->open(sealed).value(), "JBSWY3DPEHPK3PXP");
  // The file holds the key as hex: the same key given in the environment opens it too.
  EXPECT_EQ(box_of(text.str().substr(0, 64)).open(sealed).value(), "JBSWY3DPEHPK3PXP");
}

TEST_F(SecretBoxFileTest, RefusesAKeyFileOthersMayRead) {
  const auto path = write("open.key", kKeyHex + "\n", 0644);
  auto refused = SecretBox::from_key_file(path, true);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(path.string()), std::string::npos);
  EXPECT_NE(refused.error().message.find("chmod 600"), std::string::npos);
  EXPECT_FALSE(SecretBox::from_key_file(write("group.key", kKeyHex, 0640), false));
  EXPECT_TRUE(SecretBox::from_key_file(write("owner.key", kKeyHex, 0400), false));
}

TEST_F(SecretBoxFileTest, RefusesAKeyFileOfTheWrongLength) {
  for (const std::string& text : {kKeyHex.substr(2), kKeyHex + "00", std::string(),
                                  kKeyHex.substr(0, 63) + "x", std::string(300, 'a')}) {
    const auto path = write("bad.key", text, 0600);
    auto refused = SecretBox::from_key_file(path, true);
    ASSERT_FALSE(refused) << text;
    EXPECT_NE(refused.error().message.find(path.string()), std::string::npos);
    std::filesystem::remove(path);
  }
}

}  // namespace
}  // namespace atelier::auth
