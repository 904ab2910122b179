#include "atelier/auth/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

#include "atelier/auth/secrets.hpp"

namespace atelier::auth {
namespace {

constexpr std::array<uint32_t, 9> kPowersOfTen = {1,      10,      100,      1000,     10000,
                                                  100000, 1000000, 10000000, 100000000};

const EVP_MD* digest_of(OtpAlgorithm algorithm) {
  switch (algorithm) {
    case OtpAlgorithm::kSha1:
      return EVP_sha1();
    case OtpAlgorithm::kSha256:
      return EVP_sha256();
    case OtpAlgorithm::kSha512:
      return EVP_sha512();
  }
  return EVP_sha1();
}

Error unauthenticated(std::string message) {
  return {ErrorCode::kUnauthenticated, std::move(message), {}, {}};
}

void percent_encode(std::string_view text, std::string& out) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      const auto b = static_cast<uint8_t>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0f]);
    }
  }
}

}  // namespace

std::string_view otp_algorithm_name(OtpAlgorithm algorithm) {
  switch (algorithm) {
    case OtpAlgorithm::kSha1:
      return "SHA1";
    case OtpAlgorithm::kSha256:
      return "SHA256";
    case OtpAlgorithm::kSha512:
      return "SHA512";
  }
  return "SHA1";
}

std::string generate_totp_secret() {
  return random_bytes(20);
}

std::string hotp(std::string_view secret, uint64_t counter, int digits, OtpAlgorithm algorithm) {
  if (digits < 6 || digits > 8) {
    throw std::invalid_argument("atelier::auth::hotp: digits must be 6, 7 or 8");
  }
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_length = 0;
  // HMAC() takes a non-null key pointer even for an empty key.
  static constexpr unsigned char kEmpty = 0;
  const void* key = secret.empty() ? &kEmpty : static_cast<const void*>(secret.data());
  if (HMAC(digest_of(algorithm), key, static_cast<int>(secret.size()), message.data(),
           message.size(), mac.data(), &mac_length) == nullptr ||
      mac_length < 20) {
    throw std::runtime_error("atelier::auth::hotp: HMAC failed");  // broken OpenSSL
  }
  // RFC 4226 §5.3 dynamic truncation.
  const unsigned offset = mac[mac_length - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  const uint32_t value = binary % kPowersOfTen[static_cast<size_t>(digits)];
  std::string code = std::to_string(value);
  code.insert(0, static_cast<size_t>(digits) - code.size(), '0');
  return code;
}

uint64_t totp_step(TimePoint now, std::chrono::seconds period) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  if (seconds < 0 || period.count() <= 0) {
    return 0;
  }
  return static_cast<uint64_t>(seconds) / static_cast<uint64_t>(period.count());
}

std::string totp(std::string_view secret, TimePoint now, const TotpParams& params) {
  return hotp(secret, totp_step(now, params.period), params.digits, params.algorithm);
}

Result<uint64_t> verify_totp(std::string_view code, std::string_view secret, TimePoint now,
                             int window, std::optional<uint64_t> last_used_step,
                             const TotpParams& params) {
  if (params.digits < 6 || params.digits > 8 || params.period.count() <= 0 || window < 0 ||
      window > 10) {
    return Error::internal("TOTP verification misconfigured");
  }
  if (secret.empty()) {
    return unauthenticated("no TOTP secret");
  }
  std::string typed;
  for (const char c : code) {
    if (c == ' ') {
      continue;
    }
    if (c < '0' || c > '9' || typed.size() >= static_cast<size_t>(params.digits)) {
      return unauthenticated("TOTP code is not " + std::to_string(params.digits) + " digits");
    }
    typed.push_back(c);
  }
  if (typed.size() != static_cast<size_t>(params.digits)) {
    return unauthenticated("TOTP code is not " + std::to_string(params.digits) + " digits");
  }

  const uint64_t current = totp_step(now, params.period);
  const auto w = static_cast<uint64_t>(window);
  const uint64_t first = current >= w ? current - w : 0;
  const uint64_t last = current + w;
  // Every step of the window is computed and compared, whatever matches, so the time taken does
  // not tell which step (if any) the code belongs to. A code that happens to be valid for both a
  // used step and a fresh one counts for the fresh one.
  std::optional<uint64_t> fresh;
  bool used = false;
  for (uint64_t step = first; step <= last; ++step) {
    const std::string expected = hotp(secret, step, params.digits, params.algorithm);
    const bool equal = constant_time_equal(expected, typed);
    const bool spent = last_used_step.has_value() && step <= *last_used_step;
    if (equal && spent) {
      used = true;
    } else if (equal && !fresh) {
      fresh = step;
    }
  }
  if (fresh) {
    return *fresh;
  }
  if (used) {
    return unauthenticated("TOTP code was already used");
  }
  return unauthenticated("TOTP code does not match");
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32, int digits, std::chrono::seconds period,
                        OtpAlgorithm algorithm) {
  // Authenticator apps expect the secret upper case, unpadded and without the spaces people use
  // to read it out.
  std::string secret;
  for (const char c : secret_base32) {
    if (c == ' ' || c == '=') {
      continue;
    }
    secret.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) {
    percent_encode(issuer, uri);
    uri.push_back(':');
  }
  percent_encode(account, uri);
  uri += "?secret=";
  percent_encode(secret, uri);
  if (!issuer.empty()) {
    uri += "&issuer=";
    percent_encode(issuer, uri);
  }
  uri += "&algorithm=";
  uri += otp_algorithm_name(algorithm);
  uri += "&digits=" + std::to_string(digits);
  uri += "&period=" + std::to_string(period.count());
  return uri;
}

}  // namespace atelier::auth
