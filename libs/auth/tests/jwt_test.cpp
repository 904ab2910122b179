#include "atelier/auth/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <thread>

#include "atelier/auth/encoding.hpp"

namespace atelier::auth {
namespace {

namespace json = boost::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow = TimePoint(seconds(1'800'000'000));
const std::string kIssuer = "https://id.atelier.test";
const std::string kAudience = "atelier-api";

VerifyOptions options_at(TimePoint now) {
  return {kIssuer, kAudience, now, seconds(30)};
}

Claims sample_claims(TimePoint now = kNow) {
  Claims c;
  c.iss = kIssuer;
  c.sub = "0192f0c1-7d2e-7a51-9f00-3c1d2b4a5e6f";
  c.aud = kAudience;
  c.org = "0192f0c1-0000-7000-8000-000000000001";
  c.roles = {"org_admin", "project_manager"};
  c.scope = "openid projects:read";
  c.jti = "0192f0c1-7d2e-7a51-9f00-000000000abc";
  c.iat = now;
  c.exp = now + minutes(15);
  return c;
}

// A compact JWS over any header and payload text, signed by `key`: how hostile tokens are forged.
std::string forge(const SigningKey& key, std::string_view header, std::string_view payload) {
  std::string token = base64url_encode(header) + "." + base64url_encode(payload);
  return token + "." + base64url_encode(key.sign(token));
}

std::string standard_payload(TimePoint now = kNow) {
  json::object p;
  p["iss"] = kIssuer;
  p["sub"] = "user-1";
  p["aud"] = kAudience;
  p["iat"] = std::chrono::floor<seconds>(now).time_since_epoch().count();
  p["exp"] = std::chrono::floor<seconds>(now + minutes(15)).time_since_epoch().count();
  return json::serialize(p);
}

std::string header_part(std::string_view token) {
  return *base64url_decode(token.substr(0, token.find('.')));
}

class JwtTest : public ::testing::Test {
 protected:
  SigningKey key_ = SigningKey::generate("k1");
  KeyRing ring_{key_};

  std::string reason(std::string_view token, TimePoint now = kNow) const {
    const auto result = verify_jwt(token, ring_, options_at(now));
    if (result.ok()) {
      return "accepted";
    }
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthenticated) << result.error().message;
    return result.error().message;
  }
};

// ---- RFC 8037 ----

TEST(JwtRfc8037, Ed25519SignatureVectorOfAppendixA4) {
  // Appendix A.1 key; A.4 signs "Example of Ed25519 signing" under {"alg":"EdDSA"}.
  const auto d = base64url_decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
  const auto x = base64url_decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  ASSERT_TRUE(d && x);
  const auto key = SigningKey::from_seed("rfc8037", *d);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->public_key().raw(), *x);
  EXPECT_EQ(key->public_jwk().at("x").as_string(), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");

  const std::string signing_input =
      base64url_encode(R"({"alg":"EdDSA"})") + "." + base64url_encode("Example of Ed25519 signing");
  EXPECT_EQ(signing_input, "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc");
  const auto expected = base64url_decode(
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
  ASSERT_TRUE(expected);
  const std::string signature = key->sign(signing_input);
  EXPECT_EQ(hex_encode(signature), hex_encode(*expected));
  EXPECT_EQ(
      signing_input + "." + base64url_encode(signature),
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");

  const auto public_key = PublicKey::from_raw("rfc8037", *x);
  ASSERT_TRUE(public_key);
  EXPECT_TRUE(public_key->verify(signing_input, *expected));
  EXPECT_FALSE(public_key->verify(signing_input + "x", *expected));
}

// ---- round trip ----

TEST_F(JwtTest, SignThenVerifyReturnsTheClaims) {
  Claims claims = sample_claims();
  claims.nbf = kNow - seconds(5);
  claims.extra["email"] = "jean@example.com";
  claims.extra["amr"] = json::array{"pwd", "otp"};
  const std::string token = ring_.sign(claims);

  EXPECT_EQ(header_part(token), R"({"alg":"EdDSA","typ":"JWT","kid":"k1"})");
  const auto verified = verify_jwt(token, ring_, options_at(kNow));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->iss, claims.iss);
  EXPECT_EQ(verified->sub, claims.sub);
  EXPECT_EQ(verified->aud, claims.aud);
  EXPECT_EQ(verified->org, claims.org);
  EXPECT_EQ(verified->roles, claims.roles);
  EXPECT_EQ(verified->scope, claims.scope);
  EXPECT_EQ(verified->jti, claims.jti);
  EXPECT_EQ(verified->iat, claims.iat);
  EXPECT_EQ(verified->nbf, claims.nbf);
  EXPECT_EQ(verified->exp, claims.exp);
  EXPECT_EQ(verified->extra.at("email").as_string(), "jean@example.com");
  EXPECT_EQ(verified->extra.at("amr"), (json::array{"pwd", "otp"}));
  EXPECT_EQ(verified->extra.size(), 2u);
}

TEST_F(JwtTest, OptionalClaimsAreLeftOutWhenEmpty) {
  Claims claims = sample_claims();
  claims.org.clear();
  claims.roles.clear();
  claims.scope.clear();
  claims.jti.clear();
  const std::string token = ring_.sign(claims);
  const std::string payload_b64 =
      token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  const json::object payload = json::parse(*base64url_decode(payload_b64)).as_object();
  EXPECT_EQ(payload.size(), 5u);  // iss sub aud iat exp
  EXPECT_TRUE(verify_jwt(token, ring_, options_at(kNow)));
}

TEST_F(JwtTest, TypedClaimsWinOverExtraOnes) {
  Claims claims = sample_claims();
  claims.extra["sub"] = "someone-else";
  claims.extra["iss"] = "https://evil.test";
  const auto verified = verify_jwt(ring_.sign(claims), ring_, options_at(kNow));
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->sub, claims.sub);
  EXPECT_TRUE(verified->extra.empty());
}

TEST_F(JwtTest, AudienceMayBeAnArrayThatHoldsOurs) {
  json::object p = json::parse(standard_payload()).as_object();
  p["aud"] = json::array{"other-api", kAudience};
  const auto verified = verify_jwt(forge(key_, R"({"alg":"EdDSA","kid":"k1"})", json::serialize(p)),
                                   ring_, options_at(kNow));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->aud, kAudience);

  p["aud"] = json::array{"other-api"};
  EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA","kid":"k1"})", json::serialize(p))),
            "token audience is not accepted");
  p["aud"] = json::array{};
  EXPECT_NE(reason(forge(key_, R"({"alg":"EdDSA","kid":"k1"})", json::serialize(p))), "accepted");
}

TEST_F(JwtTest, FractionalNumericDatesAreAccepted) {
  json::object p = json::parse(standard_payload()).as_object();
  p["iat"] = 1'800'000'000.25;
  const auto verified = verify_jwt(forge(key_, R"({"alg":"EdDSA","kid":"k1"})", json::serialize(p)),
                                   ring_, options_at(kNow));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->iat, kNow + std::chrono::milliseconds(250));
}

// ---- time ----

TEST_F(JwtTest, ExpiredTokenIsRefused) {
  Claims claims = sample_claims(kNow - hours(1));
  EXPECT_EQ(reason(ring_.sign(claims)), "token has expired");
}

TEST_F(JwtTest, ExpiryForgivesExactlyTheLeeway) {
  // Valid while exp > now - leeway.
  Claims claims = sample_claims(kNow - hours(1));
  claims.exp = kNow - seconds(30);
  EXPECT_EQ(reason(ring_.sign(claims)), "token has expired");
  claims.exp = kNow - seconds(29);
  EXPECT_EQ(reason(ring_.sign(claims)), "accepted");
  claims.exp = kNow - seconds(30);
  EXPECT_EQ(reason(ring_.sign(claims), kNow - std::chrono::microseconds(1)), "accepted");
}

TEST_F(JwtTest, NotYetValidTokenIsRefused) {
  Claims claims = sample_claims();
  claims.nbf = kNow + minutes(5);
  EXPECT_EQ(reason(ring_.sign(claims)), "token is not valid yet (nbf)");
}

TEST_F(JwtTest, NotBeforeForgivesExactlyTheLeeway) {
  Claims claims = sample_claims();
  claims.nbf = kNow + seconds(30);
  EXPECT_EQ(reason(ring_.sign(claims)), "accepted");
  claims.nbf = kNow + seconds(31);
  EXPECT_EQ(reason(ring_.sign(claims)), "token is not valid yet (nbf)");
}

TEST_F(JwtTest, IssuedInTheFutureBeyondTheLeewayIsRefused) {
  Claims claims = sample_claims(kNow + seconds(30));
  EXPECT_EQ(reason(ring_.sign(claims)), "accepted");
  claims = sample_claims(kNow + seconds(31));
  EXPECT_EQ(reason(ring_.sign(claims)), "token was issued in the future (iat)");
}

// ---- issuer, audience ----

TEST_F(JwtTest, WrongIssuerOrAudienceIsRefused) {
  Claims claims = sample_claims();
  claims.iss = "https://id.other.test";
  EXPECT_EQ(reason(ring_.sign(claims)), "token issuer is not accepted");
  claims = sample_claims();
  claims.aud = "another-api";
  EXPECT_EQ(reason(ring_.sign(claims)), "token audience is not accepted");
}

TEST_F(JwtTest, AVerifierWithoutIssuerOrAudienceIsAConfigurationBug) {
  const std::string token = ring_.sign(sample_claims());
  const auto no_issuer = verify_jwt(token, ring_, {"", kAudience, kNow});
  ASSERT_FALSE(no_issuer);
  EXPECT_EQ(no_issuer.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(verify_jwt(token, ring_, {kIssuer, "", kNow}));
}

// ---- signature ----

TEST_F(JwtTest, TamperedPayloadFailsTheSignature) {
  const std::string token = ring_.sign(sample_claims());
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.rfind('.');
  for (size_t i = dot1 + 1; i < dot2 - 1; i += 7) {
    std::string tampered = token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(reason(tampered), "token signature is invalid") << i;
  }
  std::string tampered = token;
  tampered[dot2 + 5] = tampered[dot2 + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(reason(tampered), "token signature is invalid");
}

TEST_F(JwtTest, AnotherKeyWithTheSameKidFailsTheSignature) {
  const SigningKey impostor = SigningKey::generate("k1");
  KeyRing other(impostor);
  EXPECT_EQ(reason(other.sign(sample_claims())), "token signature is invalid");
}

TEST_F(JwtTest, MissingOrTruncatedSignatureIsRefused) {
  const std::string token = ring_.sign(sample_claims());
  const std::string unsigned_token = token.substr(0, token.rfind('.') + 1);
  EXPECT_EQ(reason(unsigned_token), "token signature is malformed");
  EXPECT_EQ(reason(token.substr(0, token.size() - 4)), "token signature is malformed");
}

// ---- algorithm confusion ----

TEST_F(JwtTest, AlgNoneWithEmptySignatureIsRefused) {
  const std::string token = base64url_encode(R"({"alg":"none","typ":"JWT","kid":"k1"})") + "." +
                            base64url_encode(standard_payload()) + ".";
  EXPECT_EQ(reason(token), "token algorithm is not accepted: only EdDSA is");
  const std::string upper = base64url_encode(R"({"alg":"None","kid":"k1"})") + "." +
                            base64url_encode(standard_payload()) + ".";
  EXPECT_EQ(reason(upper), "token algorithm is not accepted: only EdDSA is");
}

TEST_F(JwtTest, Hs256WithThePublicKeyAsHmacSecretIsRefused) {
  // The classic confusion: a verifier that lets the header pick HMAC would check this MAC with
  // the public key, which anyone can read from the JWKS.
  const std::string signing_input = base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":"k1"})") +
                                    "." + base64url_encode(standard_payload());
  const std::string secret = key_.public_key().raw();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                 reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(),
                 mac, &mac_length),
            nullptr);
  const std::string token =
      signing_input + "." +
      base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), mac_length));
  EXPECT_EQ(reason(token), "token algorithm is not accepted: only EdDSA is");
}

TEST_F(JwtTest, EveryOtherAlgorithmIsRefusedBeforeAnyKeyLookup) {
  // kid "unknown" would fail the lookup: the algorithm reason proves the order of the checks.
  for (const char* header :
       {R"({"alg":"RS256","kid":"unknown"})", R"({"alg":"ES256","kid":"unknown"})",
        R"({"alg":"eddsa","kid":"unknown"})", R"({"alg":"Ed25519","kid":"unknown"})",
        R"({"alg":"EdDSA ","kid":"unknown"})", R"({"alg":["EdDSA"],"kid":"unknown"})",
        R"({"alg":null,"kid":"unknown"})", R"({"kid":"unknown"})"}) {
    EXPECT_EQ(reason(forge(key_, header, standard_payload())),
              "token algorithm is not accepted: only EdDSA is")
        << header;
  }
}

TEST_F(JwtTest, CritHeaderIsRefused) {
  EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA","kid":"k1","crit":["exp"],"exp":1})",
                         standard_payload())),
            "token header has crit extensions, which are not supported");
  EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA","kid":"k1","crit":[]})", standard_payload())),
            "token header has crit extensions, which are not supported");
}

TEST_F(JwtTest, UnknownOrMissingKidIsRefused) {
  EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA","kid":"k9"})", standard_payload())),
            "token signing key (kid) is unknown");
  EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA"})", standard_payload())),
            "token header has no kid");
  EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA","kid":1})", standard_payload())),
            "token header kid is not a string");
}

TEST_F(JwtTest, AKeyEmbeddedInTheHeaderIsIgnored) {
  const SigningKey attacker = SigningKey::generate("k9");
  json::object header;
  header["alg"] = "EdDSA";
  header["kid"] = "k9";
  header["jwk"] = attacker.public_jwk();
  EXPECT_EQ(reason(forge(attacker, json::serialize(header), standard_payload())),
            "token signing key (kid) is unknown");
}

// ---- malformed ----

TEST_F(JwtTest, MissingRequiredClaimsAreRefused) {
  for (const char* claim : {"iss", "sub", "aud", "iat", "exp"}) {
    json::object p = json::parse(standard_payload()).as_object();
    p.erase(claim);
    EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA","kid":"k1"})", json::serialize(p))),
              "token is malformed: claim " + std::string(claim) + " is missing");
  }
}

TEST_F(JwtTest, ClaimsOfTheWrongTypeAreRefused) {
  const std::vector<std::pair<const char*, json::value>> cases = {
      {"iss", 1},
      {"sub", nullptr},
      {"org", json::array{}},
      {"exp", "tomorrow"},
      {"exp", true},
      {"iat", -1},
      {"exp", 1e300},
      {"exp", 18446744073709551615ull},
      {"nbf", json::object{}},
      {"roles", "admin"},
      {"roles", json::array{"a", 1}},
      {"aud", 42},
      {"aud", json::array{kAudience, 1}},
  };
  for (const auto& [claim, value] : cases) {
    json::object p = json::parse(standard_payload()).as_object();
    p[claim] = value;
    const std::string why =
        reason(forge(key_, R"({"alg":"EdDSA","kid":"k1"})", json::serialize(p)));
    EXPECT_TRUE(why.starts_with("token is malformed: claim ")) << claim << ": " << why;
  }
}

TEST_F(JwtTest, GarbageNeverThrowsAndIsRefused) {
  const std::string valid = ring_.sign(sample_claims());
  const std::string big(3000, 'A');
  std::string deep_array(5000, '[');
  deep_array += std::string(5000, ']');
  const std::vector<std::string> inputs = {
      "",
      ".",
      "..",
      "...",
      "a.b.c",
      "a.b",
      "a.b.c.d",
      valid + ".",
      "." + valid,
      big + "." + big + "." + big,  // over 8 KiB
      std::string(kMaxTokenBytes + 1, 'A'),
      std::string(2000, 'A') + "." + std::string(2000, 'A') + "." + std::string(86, 'A'),
      "\xff\xfe\xfd.\xc3\x28.\xa0\xa1",
      base64url_encode("{\"alg\":\"EdDSA\xff\",\"kid\":\"k1\"}") + ".e30." + std::string(86, 'A'),
      base64url_encode("{\"alg\":\"EdDSA\",\"kid\":\"k1\xc3\x28\"}") + ".e30." +
          std::string(86, 'A'),
      base64url_encode("[\"alg\",\"EdDSA\"]") + ".e30." + std::string(86, 'A'),
      base64url_encode("\"EdDSA\"") + ".e30.",
      base64url_encode("null") + ".e30.",
      base64url_encode(deep_array) + ".e30.",
      base64url_encode("{\"alg\":\"EdDSA\",\"kid\":\"k1\"") + ".e30.",  // truncated JSON
      base64url_encode(R"({"alg":"EdDSA","kid":"k1"} trailing)") + ".e30.",
      base64url_encode(std::string("{\"alg\":\"EdDSA\",\"kid\":\"k1\0\"}", 26)) + ".e30.",
      "eyJhbGciOiJFZERTQSJ9==.e30.AAAA",  // padding
      "eyJhbGciOiJFZERTQSJ9 .e30.AAAA",   // whitespace
      forge(key_, R"({"alg":"EdDSA","kid":"k1"})", "[1,2,3]"),
      forge(key_, R"({"alg":"EdDSA","kid":"k1"})", "not json"),
      forge(key_, R"({"alg":"EdDSA","kid":"k1"})", ""),
      forge(key_, R"({"alg":"EdDSA","kid":"k1"})", "{\"iss\":\"\xff\"}"),
      forge(key_, R"({"alg":"EdDSA","kid":"k1"})", deep_array),
  };
  for (const std::string& input : inputs) {
    EXPECT_NO_THROW({
      const auto result = verify_jwt(input, ring_, options_at(kNow));
      EXPECT_FALSE(result) << input.substr(0, 80);
      if (!result) {
        EXPECT_EQ(result.error().code, ErrorCode::kUnauthenticated);
        EXPECT_FALSE(result.error().message.empty());
      }
    });
  }
  EXPECT_EQ(reason(big + "." + big + "." + big), "token is too long");
  EXPECT_EQ(reason("a.b"), "token is malformed: expected three parts separated by dots");
  EXPECT_EQ(reason(forge(key_, R"({"alg":"EdDSA","kid":"k1"})", "[1,2,3]")),
            "token is malformed: payload is not a JSON object");
  EXPECT_EQ(reason(base64url_encode("[\"alg\",\"EdDSA\"]") + ".e30.AAAA"),
            "token is malformed: header is not a JSON object");
}

// ---- keys ----

TEST(SigningKey, PemRoundTrip) {
  const SigningKey key = SigningKey::generate("k1");
  const std::string pem = key.to_pem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n")) << pem;
  const auto loaded = SigningKey::from_pem("k1", pem);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->public_key().raw(), key.public_key().raw());
  EXPECT_EQ(loaded->sign("message"), key.sign("message"));  // Ed25519 is deterministic
  EXPECT_TRUE(key.public_key().verify("message", loaded->sign("message")));
}

TEST(SigningKey, FromPemRefusesOtherKeysAndGarbage) {
  EXPECT_FALSE(SigningKey::from_pem("k1", ""));
  EXPECT_FALSE(SigningKey::from_pem("k1",
                                    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE "
                                    "KEY-----\n"));
  EXPECT_FALSE(SigningKey::from_pem("", SigningKey::generate("k1").to_pem()));

  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio, ec, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  const std::string ec_pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  EVP_PKEY_free(ec);
  const auto refused = SigningKey::from_pem("k1", ec_pem);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "PEM holds a private key that is not Ed25519");
}

TEST(SigningKey, GeneratedKeysDiffer) {
  EXPECT_NE(SigningKey::generate("a").public_key().raw(),
            SigningKey::generate("b").public_key().raw());
  EXPECT_THROW((void)SigningKey::generate(""), std::invalid_argument);
}

TEST(PublicKey, JwkRoundTripAndRefusals) {
  const SigningKey key = SigningKey::generate("k1");
  const auto again = PublicKey::from_jwk(key.public_jwk());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->raw(), key.public_key().raw());
  EXPECT_EQ(again->kid(), "k1");

  json::object jwk = key.public_jwk();
  jwk["crv"] = "Ed448";
  EXPECT_FALSE(PublicKey::from_jwk(jwk));
  jwk = key.public_jwk();
  jwk["alg"] = "RS256";
  EXPECT_FALSE(PublicKey::from_jwk(jwk));
  jwk = key.public_jwk();
  jwk["x"] = "AAAA";
  EXPECT_FALSE(PublicKey::from_jwk(jwk));
  jwk = key.public_jwk();
  jwk["d"] = "AAAA";
  EXPECT_FALSE(PublicKey::from_jwk(jwk));
}

// ---- rotation and JWKS ----

TEST(KeyRing, OldTokensVerifyUntilTheOldKeyIsRetiredThenFailAfterPrune) {
  const SigningKey k1 = SigningKey::generate("k1");
  KeyRing ring(k1);
  const TimePoint t0 = kNow;
  Claims claims = sample_claims(t0);
  claims.exp = t0 + hours(1);
  const std::string old_token = ring.sign(claims);
  // A token whose lifetime exceeds what the rotation promised to cover.
  claims.exp = t0 + hours(5);
  const std::string overlong_token = ring.sign(claims);

  ASSERT_TRUE(ring.rotate(SigningKey::generate("k2"), t0, hours(1)));
  EXPECT_EQ(ring.current_kid(), "k2");
  const std::string new_token = ring.sign(sample_claims(t0));
  EXPECT_EQ(header_part(new_token), R"({"alg":"EdDSA","typ":"JWT","kid":"k2"})");

  const auto at = [&](const std::string& token, TimePoint now) {
    const auto r = verify_jwt(token, ring, options_at(now));
    return r.ok() ? std::string("accepted") : r.error().message;
  };
  EXPECT_EQ(at(old_token, t0 + minutes(59)), "accepted");
  EXPECT_EQ(at(new_token, t0 + minutes(1)), "accepted");
  EXPECT_EQ(at(overlong_token, t0 + hours(1) + seconds(30)), "accepted");  // leeway
  EXPECT_EQ(at(overlong_token, t0 + hours(1) + seconds(31)), "token signing key has been retired");

  EXPECT_EQ(ring.prune(t0 + minutes(59)), 0u);
  EXPECT_EQ(ring.prune(t0 + hours(1)), 0u);  // not_after itself still counts
  EXPECT_EQ(ring.prune(t0 + hours(1) + seconds(1)), 1u);
  EXPECT_EQ(at(old_token, t0 + minutes(59)), "token signing key (kid) is unknown");
  EXPECT_EQ(at(overlong_token, t0 + hours(2)), "token signing key (kid) is unknown");
  EXPECT_EQ(at(new_token, t0 + minutes(1)), "accepted");
}

TEST(KeyRing, JwksListsEveryKeyDuringTheOverlap) {
  const SigningKey k1 = SigningKey::generate("k1");
  const SigningKey k2 = SigningKey::generate("k2");
  KeyRing ring(k1);
  ASSERT_TRUE(ring.rotate(k2, kNow, hours(1)));

  boost::system::error_code ec;
  const json::value jwks = json::parse(ring.jwks_json(), ec);
  ASSERT_FALSE(ec) << ring.jwks_json();
  ASSERT_TRUE(jwks.is_object());
  const json::array& keys = jwks.at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  const std::vector<const SigningKey*> expected = {&k2, &k1};  // current first
  for (size_t i = 0; i < keys.size(); ++i) {
    const json::object& jwk = keys[i].as_object();
    EXPECT_EQ(jwk.size(), 6u);
    EXPECT_EQ(jwk.at("kty").as_string(), "OKP");
    EXPECT_EQ(jwk.at("crv").as_string(), "Ed25519");
    EXPECT_EQ(jwk.at("use").as_string(), "sig");
    EXPECT_EQ(jwk.at("alg").as_string(), "EdDSA");
    EXPECT_EQ(jwk.at("kid").as_string(), expected[i]->kid());
    EXPECT_FALSE(jwk.contains("d"));
    const auto x = base64url_decode(jwk.at("x").as_string());
    ASSERT_TRUE(x);
    EXPECT_EQ(*x, expected[i]->public_key().raw());
  }

  ring.prune(kNow + hours(2));
  EXPECT_EQ(json::parse(ring.jwks_json()).at("keys").as_array().size(), 1u);
}

TEST(KeyRing, RefusesADuplicateKid) {
  KeyRing ring(SigningKey::generate("k1"));
  const auto same = ring.rotate(SigningKey::generate("k1"), kNow, hours(1));
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(ring.rotate(SigningKey::generate("k2"), kNow, hours(1)));
  EXPECT_FALSE(ring.rotate(SigningKey::generate("k1"), kNow, hours(1)));
  EXPECT_FALSE(ring.add_retired(SigningKey::generate("k2").public_key(), kNow));
}

TEST(KeyRing, RetiredKeysCanBePutBackAfterARestart) {
  const SigningKey k1 = SigningKey::generate("k1");
  KeyRing before(k1);
  const std::string token = before.sign(sample_claims());
  ASSERT_TRUE(before.rotate(SigningKey::generate("k2"), kNow, hours(1)));
  const auto retired = before.retired();
  ASSERT_EQ(retired.size(), 1u);
  EXPECT_EQ(retired[0].not_after, kNow + hours(1));

  KeyRing after(SigningKey::generate("k2"));
  ASSERT_TRUE(after.add_retired(retired[0].key, retired[0].not_after));
  EXPECT_TRUE(verify_jwt(token, after, options_at(kNow)));
  const auto entry = after.find("k1");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->not_after, kNow + hours(1));
  EXPECT_FALSE(after.find("k2")->not_after);
}

TEST(KeyRing, SignVerifyAndRotateFromManyThreads) {
  KeyRing ring(SigningKey::generate("k0"));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!verify_jwt(ring.sign(sample_claims()), ring, options_at(kNow))) {
          ++failures;
        }
      }
    });
  }
  for (int r = 1; r <= 20; ++r) {
    ASSERT_TRUE(ring.rotate(SigningKey::generate("k" + std::to_string(r)), kNow, hours(1)));
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ring.retired().size(), 20u);
}

}  // namespace
}  // namespace atelier::auth
