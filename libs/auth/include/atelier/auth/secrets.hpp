// Opaque secrets handed to clients (refresh tokens, API keys, invitation and verification links):
// random, shown once, and stored only as a digest so a leaked table grants nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace atelier::auth {

// `bytes` random bytes from the operating system's CSPRNG (libsodium).
std::string random_bytes(size_t bytes);

// A random token of `bytes` random bytes, base64url without padding (43 characters for 32).
std::string random_token(size_t bytes = 32);

// What the database stores for a token: lower-case hex SHA-256. The token already carries 256 bits
// of entropy, so a fast unsalted digest is enough and lets a lookup go by index.
std::string token_hash(std::string_view token);

// SHA-256 of `data`, 32 raw bytes.
std::string sha256(std::string_view data);

// Compares in time that depends only on the lengths, not on where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

// A message authentication code of `message` under a key of kMacKeyBytes (libsodium crypto_auth:
// HMAC-SHA-512-256), 32 raw bytes, for tokens a server signs and later checks itself (signed
// links). verify_mac compares in constant time. A key of another size throws std::invalid_argument
// (a programming error).
inline constexpr size_t kMacKeyBytes = 32;
std::string mac(std::string_view key, std::string_view message);
bool verify_mac(std::string_view key, std::string_view message, std::string_view tag);

// API keys carry a visible prefix so support can tell what a pasted string is and secret scanners
// can find leaked ones: `atk_` followed by a random_token().
inline constexpr std::string_view kApiKeyPrefix = "atk_";
std::string generate_api_key();
// True for a string shaped like generate_api_key()'s output (prefix, 43 base64url characters).
// Says nothing about whether the key exists.
bool looks_like_api_key(std::string_view text);

}  // namespace atelier::auth
