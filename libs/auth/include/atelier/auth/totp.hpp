// One-time passwords for second-factor sign-in: HOTP (RFC 4226) and TOTP (RFC 6238), compatible
// with authenticator apps through otpauth:// URIs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"

namespace atelier::auth {

enum class OtpAlgorithm { kSha1, kSha256, kSha512 };

// "SHA1", "SHA256", "SHA512": the spelling otpauth URIs use.
std::string_view otp_algorithm_name(OtpAlgorithm algorithm);

struct TotpParams {
  OtpAlgorithm algorithm = OtpAlgorithm::kSha1;  // what every authenticator app supports
  int digits = 6;                                // 6, 7 or 8
  std::chrono::seconds period{30};
};

// A new TOTP secret: 20 random bytes (160 bits, RFC 4226 §4's recommendation), raw. Store it
// encrypted; show it to the user once as base32_encode(secret) or through otpauth_uri().
std::string generate_totp_secret();

// RFC 4226: the `digits`-digit code for `counter`, zero-padded. `secret` is raw bytes. Throws
// std::invalid_argument when digits is not 6, 7 or 8 (a programming error).
std::string hotp(std::string_view secret, uint64_t counter, int digits = 6,
                 OtpAlgorithm algorithm = OtpAlgorithm::kSha1);

// RFC 6238: the time step that `now` falls in (0 for times before the Unix epoch).
uint64_t totp_step(TimePoint now, std::chrono::seconds period = std::chrono::seconds(30));

// RFC 6238: the code for the step `now` falls in.
std::string totp(std::string_view secret, TimePoint now, const TotpParams& params = {});

// Checks a code the user typed (spaces ignored) against the steps now-window .. now+window, to
// forgive clock drift and slow typing. Returns the step it matched, which the caller stores and
// passes back as `last_used_step`: a code for that step or an earlier one is refused, so an
// observed code cannot be replayed. Codes are compared in constant time. Errors are
// kUnauthenticated with a message meant for logs, not for the user; a window above 10 steps, or
// params outside what hotp() takes, are a configuration bug (kInternal).
Result<uint64_t> verify_totp(std::string_view code, std::string_view secret, TimePoint now,
                             int window = 1, std::optional<uint64_t> last_used_step = std::nullopt,
                             const TotpParams& params = {});

// The Key URI Format that authenticator apps read from a QR code:
// otpauth://totp/Issuer:account?secret=BASE32&issuer=Issuer&algorithm=SHA1&digits=6&period=30
// Issuer and account are percent-encoded (RFC 3986 unreserved characters stay as they are); an
// empty issuer leaves out both the label prefix and the parameter.
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32, int digits = 6,
                        std::chrono::seconds period = std::chrono::seconds(30),
                        OtpAlgorithm algorithm = OtpAlgorithm::kSha1);

}  // namespace atelier::auth
