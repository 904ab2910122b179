#include "atelier/auth/secrets.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "atelier/auth/encoding.hpp"

namespace atelier::auth {
namespace {

TEST(Secrets, RandomTokenIs43Base64UrlCharactersFor32Bytes) {
  const std::string token = random_token();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  const auto raw = base64url_decode(token);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_EQ(random_token(16).size(), 22u);
}

TEST(Secrets, RandomTokensDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(random_token());
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Secrets, TokenHashIsHexSha256) {
  // FIPS 180-2 example: SHA-256("abc").
  EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(token_hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string token = random_token();
  EXPECT_EQ(token_hash(token), token_hash(token));
  EXPECT_EQ(token_hash(token).size(), 64u);
}

TEST(Secrets, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(Secrets, ApiKeysCarryAVisiblePrefix) {
  const std::string key = generate_api_key();
  EXPECT_TRUE(key.starts_with("atk_"));
  EXPECT_EQ(key.size(), 4u + 43u);
  EXPECT_TRUE(looks_like_api_key(key));
  EXPECT_NE(generate_api_key(), key);
  EXPECT_FALSE(looks_like_api_key(key.substr(4)));
  EXPECT_FALSE(looks_like_api_key(key.substr(0, key.size() - 1)));
  EXPECT_FALSE(looks_like_api_key("atk_" + std::string(43, '!')));
}

TEST(Mac, VerifiesItsOwnTagAndNothingElse) {
  const std::string key = random_bytes(kMacKeyBytes);
  const std::string tag = mac(key, "book 42, video.mp4, until 1700000000");
  EXPECT_EQ(tag.size(), 32u);
  EXPECT_EQ(mac(key, "book 42, video.mp4, until 1700000000"), tag);  // deterministic
  EXPECT_TRUE(verify_mac(key, "book 42, video.mp4, until 1700000000", tag));
  EXPECT_FALSE(verify_mac(key, "book 42, video.mp4, until 1800000000", tag));
  EXPECT_FALSE(verify_mac(random_bytes(kMacKeyBytes), "book 42, video.mp4, until 1700000000", tag));
  std::string flipped = tag;
  flipped[0] = static_cast<char>(flipped[0] ^ 1);
  EXPECT_FALSE(verify_mac(key, "book 42, video.mp4, until 1700000000", flipped));
  EXPECT_FALSE(verify_mac(key, "book 42, video.mp4, until 1700000000", tag.substr(1)));
  EXPECT_THROW(mac("short key", "x"), std::invalid_argument);
}

}  // namespace
}  // namespace atelier::auth
