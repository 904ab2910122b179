#include "atelier/auth/encoding.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace atelier::auth {
namespace {

// RFC 4648 §10, with padding removed for base64url (RFC 7515 §2).
const std::vector<std::pair<std::string, std::string>> kBase64Vectors = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
};

const std::vector<std::pair<std::string, std::string>> kBase32Vectors = {
    {"", ""},
    {"f", "MY======"},
    {"fo", "MZXQ===="},
    {"foo", "MZXW6==="},
    {"foob", "MZXW6YQ="},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI======"},
};

TEST(Base64Url, Rfc4648Vectors) {
  for (const auto& [plain, encoded] : kBase64Vectors) {
    EXPECT_EQ(base64url_encode(plain), encoded) << plain;
    EXPECT_EQ(base64url_decode(encoded), plain) << encoded;
  }
}

TEST(Base64Url, UsesTheUrlAlphabet) {
  // Standard base64 spells these "+/8=" and "++++".
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_encode("\xfb\xef\xbe"), "----");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
}

TEST(Base64Url, RoundTripsEveryByteValueAndLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  for (size_t n = 0; n <= all.size(); ++n) {
    const std::string bytes = all.substr(0, n);
    ASSERT_EQ(base64url_decode(base64url_encode(bytes)), bytes) << n;
  }
}

TEST(Base64Url, RefusesPaddingBadCharactersAndImpossibleLengths) {
  EXPECT_FALSE(base64url_decode("Zg=="));
  EXPECT_FALSE(base64url_decode("Zm8="));
  EXPECT_FALSE(base64url_decode("+/8"));    // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm 9v"));  // whitespace
  EXPECT_FALSE(base64url_decode("Zm9v\n"));
  EXPECT_FALSE(base64url_decode(std::string("Zm\0v", 4)));
  EXPECT_FALSE(base64url_decode("Z"));      // 6 bits cannot make a byte
  EXPECT_FALSE(base64url_decode("Zm9vY"));  // same, after a full group
  EXPECT_FALSE(base64url_decode("\xc3\xa9"));
}

TEST(Base64Url, RefusesNonZeroTrailingBitsSoEachValueHasOneSpelling) {
  EXPECT_EQ(base64url_decode("Zg"), std::string("f"));
  EXPECT_FALSE(base64url_decode("Zh"));  // same byte, a stray bit set in the unused part
  EXPECT_EQ(base64url_decode("Zm8"), std::string("fo"));
  EXPECT_FALSE(base64url_decode("Zm9"));
}

TEST(Base64, DecodesPaddedStandardAlphabetAsBasicCredentialsUseIt) {
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9v"), "foo");
  EXPECT_EQ(base64_decode("YWxhZGRpbjpvcGVuc2VzYW1l"), "aladdin:opensesame");
  EXPECT_EQ(base64_decode("+/+/"), std::string("\xfb\xff\xbf", 3));
  EXPECT_FALSE(base64_decode("Zg"));     // padding is required
  EXPECT_FALSE(base64_decode("Zg==="));  // too much of it
  EXPECT_FALSE(base64_decode("Z==="));
  EXPECT_FALSE(base64_decode("-_-_"));  // the url alphabet
  EXPECT_FALSE(base64_decode("Zm 9v"));
}

TEST(Base32, Rfc4648Vectors) {
  for (const auto& [plain, encoded] : kBase32Vectors) {
    EXPECT_EQ(base32_encode(plain, Base32Padding::kPad), encoded) << plain;
    EXPECT_EQ(base32_decode(encoded), plain) << encoded;
    std::string unpadded = encoded;
    std::erase(unpadded, '=');
    EXPECT_EQ(base32_encode(plain), unpadded) << plain;
    EXPECT_EQ(base32_decode(unpadded), plain) << unpadded;
  }
}

TEST(Base32, DecodesWhatPeopleTypeIgnoringCaseAndSpaces) {
  EXPECT_EQ(base32_decode("mzxw 6ytb oi"), std::string("foobar"));
  EXPECT_EQ(base32_decode("MzXw6YtBoI======"), std::string("foobar"));
  // The RFC 6238 SHA1 seed as authenticator apps show it.
  EXPECT_EQ(base32_decode("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"),
            std::string("12345678901234567890"));
}

TEST(Base32, RoundTripsRandomLookingBytes) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    bytes.push_back(static_cast<char>((i * 37 + 11) & 0xff));
    ASSERT_EQ(base32_decode(base32_encode(bytes)), bytes) << i;
    ASSERT_EQ(base32_decode(base32_encode(bytes, Base32Padding::kPad)), bytes) << i;
  }
}

TEST(Base32, RefusesBadCharactersMisplacedPaddingAndImpossibleLengths) {
  EXPECT_FALSE(base32_decode("MZXW1"));  // 1 is not in the alphabet
  EXPECT_FALSE(base32_decode("MZXW8"));
  EXPECT_FALSE(base32_decode("MZ=XW6"));  // data after padding
  EXPECT_FALSE(base32_decode("M"));       // 1, 3 and 6 symbols cannot end a group
  EXPECT_FALSE(base32_decode("MZX"));
  EXPECT_FALSE(base32_decode("MZXW6Y"));
  EXPECT_FALSE(base32_decode("MY==="));       // padding that does not complete the group
  EXPECT_FALSE(base32_decode("MZXW6YTB=="));  // padding after a full group
  EXPECT_FALSE(base32_decode("MZXW-6YTB"));
}

TEST(Hex, RoundTripsAndAcceptsEitherCase) {
  EXPECT_EQ(hex_encode("foobar"), "666f6f626172");
  EXPECT_EQ(hex_decode("666F6F626172"), std::string("foobar"));
  EXPECT_EQ(hex_encode(std::string("\x00\xff", 2)), "00ff");
  EXPECT_EQ(hex_decode("00Ff"), std::string("\x00\xff", 2));
  EXPECT_EQ(hex_decode(""), std::string());
}

TEST(Hex, RefusesOddLengthsAndNonHex) {
  EXPECT_FALSE(hex_decode("abc"));
  EXPECT_FALSE(hex_decode("zz"));
  EXPECT_FALSE(hex_decode("0x00"));
  EXPECT_FALSE(hex_decode(" 00"));
}

}  // namespace
}  // namespace atelier::auth
