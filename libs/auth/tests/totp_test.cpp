#include "atelier/auth/totp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "atelier/auth/encoding.hpp"

namespace atelier::auth {
namespace {

using std::chrono::seconds;

TimePoint at(int64_t unix_seconds) {
  return TimePoint(seconds(unix_seconds));
}

// RFC 6238 Appendix B: each algorithm has its own seed length.
const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

struct Rfc6238Vector {
  int64_t time;
  const char* sha1;
  const char* sha256;
  const char* sha512;
};

TEST(Totp, Rfc6238AppendixBVectors) {
  const std::vector<Rfc6238Vector> vectors = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const auto& v : vectors) {
    EXPECT_EQ(totp(kSeed20, at(v.time), {OtpAlgorithm::kSha1, 8, seconds(30)}), v.sha1) << v.time;
    EXPECT_EQ(totp(kSeed32, at(v.time), {OtpAlgorithm::kSha256, 8, seconds(30)}), v.sha256)
        << v.time;
    EXPECT_EQ(totp(kSeed64, at(v.time), {OtpAlgorithm::kSha512, 8, seconds(30)}), v.sha512)
        << v.time;
  }
}

TEST(Totp, StepOfRfc6238Times) {
  EXPECT_EQ(totp_step(at(59)), 1u);
  EXPECT_EQ(totp_step(at(1111111109)), 0x23523ECu);
  EXPECT_EQ(totp_step(at(20000000000)), 0x27BC86AAu);
  EXPECT_EQ(totp_step(at(-5)), 0u);
}

TEST(Hotp, Rfc4226AppendixDValues) {
  const std::vector<std::string> expected = {"755224", "287082", "359152", "969429", "338314",
                                             "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < expected.size(); ++counter) {
    EXPECT_EQ(hotp(kSeed20, counter), expected[counter]) << counter;
  }
}

TEST(Hotp, SevenDigitsAreZeroPaddedAndOtherLengthsRefused) {
  EXPECT_EQ(hotp(kSeed20, 0, 7).size(), 7u);
  EXPECT_THROW((void)hotp(kSeed20, 0, 5), std::invalid_argument);
  EXPECT_THROW((void)hotp(kSeed20, 0, 9), std::invalid_argument);
}

TEST(Totp, GeneratedSecretsAre20RandomBytes) {
  const std::string a = generate_totp_secret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, generate_totp_secret());
  EXPECT_EQ(base32_encode(a).size(), 32u);
}

TEST(Totp, VerifyAcceptsOneStepOfDriftEitherWayButNotTwo) {
  const TimePoint now = at(1'800'000'015);
  const uint64_t step = totp_step(now);
  for (int delta : {-1, 0, 1}) {
    const std::string code = hotp(kSeed20, step + static_cast<uint64_t>(delta));
    const auto matched = verify_totp(code, kSeed20, now);
    ASSERT_TRUE(matched) << delta << ": " << matched.error().message;
    EXPECT_EQ(*matched, step + static_cast<uint64_t>(delta));
  }
  for (int delta : {-2, 2}) {
    const std::string code = hotp(kSeed20, step + static_cast<uint64_t>(delta));
    const auto matched = verify_totp(code, kSeed20, now);
    ASSERT_FALSE(matched) << delta;
    EXPECT_EQ(matched.error().code, ErrorCode::kUnauthenticated);
  }
  // A wider window is the caller's choice.
  EXPECT_TRUE(verify_totp(hotp(kSeed20, step + 2), kSeed20, now, 2));
}

TEST(Totp, VerifyRefusesAReplayOfTheSameOrAnEarlierStep) {
  const TimePoint now = at(1'800'000'015);
  const std::string code = totp(kSeed20, now);
  const auto first = verify_totp(code, kSeed20, now);
  ASSERT_TRUE(first);
  const auto replay = verify_totp(code, kSeed20, now, 1, *first);
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().message, "TOTP code was already used");
  const std::string previous = hotp(kSeed20, *first - 1);
  EXPECT_FALSE(verify_totp(previous, kSeed20, now, 1, *first));
  // The next step's code is still good.
  const auto next =
      verify_totp(totp(kSeed20, now + seconds(30)), kSeed20, now + seconds(30), 1, *first);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, *first + 1);
}

TEST(Totp, VerifyChecksTheShapeOfTheCode) {
  const TimePoint now = at(1'800'000'015);
  const std::string code = totp(kSeed20, now);
  EXPECT_TRUE(verify_totp(code.substr(0, 3) + " " + code.substr(3), kSeed20, now));
  EXPECT_FALSE(verify_totp(code.substr(0, 5), kSeed20, now));
  EXPECT_FALSE(verify_totp(code + "0", kSeed20, now));
  EXPECT_FALSE(verify_totp("12345a", kSeed20, now));
  EXPECT_FALSE(verify_totp("", kSeed20, now));
  EXPECT_FALSE(verify_totp(code, "", now));
  EXPECT_FALSE(verify_totp(code, kSeed32, now));
}

TEST(Totp, VerifyWithSha256AndEightDigits) {
  const TotpParams params{OtpAlgorithm::kSha256, 8, seconds(30)};
  const auto matched = verify_totp("68084774", kSeed32, at(1111111109), 1, std::nullopt, params);
  ASSERT_TRUE(matched);
  EXPECT_EQ(*matched, 0x23523ECu);
}

TEST(Totp, OtpauthUriIsPercentEncoded) {
  EXPECT_EQ(otpauth_uri("Atelier Co", "jean.dupont+chantier@example.com", "jbsw y3dp ehpk 3pxp"),
            "otpauth://totp/Atelier%20Co:jean.dupont%2Bchantier%40example.com"
            "?secret=JBSWY3DPEHPK3PXP&issuer=Atelier%20Co&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(otpauth_uri("Bâti:Pro", "zoé", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 8, seconds(60),
                        OtpAlgorithm::kSha256),
            "otpauth://totp/B%C3%A2ti%3APro:zo%C3%A9?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=B%C3%A2ti%3APro&algorithm=SHA256&digits=8&period=60");
  EXPECT_EQ(otpauth_uri("", "a b", "MFRGG==="),
            "otpauth://totp/a%20b?secret=MFRGG&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace atelier::auth
