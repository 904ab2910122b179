// Text encodings of binary data used by tokens and secrets: base64url without padding (JWT, opaque
// tokens), base32 (TOTP secrets that people type or scan) and hex (stored digests).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace atelier::auth {

// Bytes travel as std::string: it owns any byte value and converts cheaply to string_view.

// RFC 4648 §5 alphabet, no `=` padding (RFC 7515 §2).
std::string base64url_encode(std::string_view bytes);
// Strict, because a token's text is what gets signed and hashed: padding, characters outside the
// url alphabet (including whitespace), impossible lengths and non-zero unused trailing bits are
// all refused, so each byte string has exactly one accepted spelling.
std::optional<std::string> base64url_decode(std::string_view text);

// RFC 4648 §4: the standard alphabet (+ and /) with `=` padding, as HTTP Basic credentials are
// written. As strict as base64url_decode: padding must make the length a multiple of 4.
std::optional<std::string> base64_decode(std::string_view text);

enum class Base32Padding { kNone, kPad };

// RFC 4648 §6 alphabet, upper case. otpauth URIs want it without padding (the default).
std::string base32_encode(std::string_view bytes, Base32Padding padding = Base32Padding::kNone);
// Tolerant, because people type these: any case, spaces ignored, trailing `=` optional. Refuses
// other characters, `=` anywhere but at the end, and lengths no encoder can produce.
std::optional<std::string> base32_decode(std::string_view text);

// Lower-case hex.
std::string hex_encode(std::string_view bytes);
// Either case, even length, nothing else.
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace atelier::auth
