#include "atelier/auth/secrets.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "atelier/auth/encoding.hpp"
#include "sodium.hpp"

namespace atelier::auth {

namespace detail {

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      std::fputs("atelier::auth: libsodium failed to initialise\n", stderr);
      std::abort();
    }
  });
}

}  // namespace detail

std::string random_bytes(size_t bytes) {
  detail::ensure_sodium();
  std::string out(bytes, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string random_token(size_t bytes) {
  std::string raw = random_bytes(bytes);
  std::string token = base64url_encode(raw);
  sodium_memzero(raw.data(), raw.size());
  return token;
}

std::string sha256(std::string_view data) {
  std::string digest(32, '\0');
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()), &length,
                 EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("atelier::auth: SHA-256 failed");  // broken OpenSSL, not bad input
  }
  return digest;
}

std::string token_hash(std::string_view token) {
  return hex_encode(sha256(token));
}

std::string mac(std::string_view key, std::string_view message) {
  static_assert(kMacKeyBytes == crypto_auth_KEYBYTES);
  if (key.size() != kMacKeyBytes) {
    throw std::invalid_argument("auth::mac: the key must be 32 bytes");
  }
  detail::ensure_sodium();
  std::string tag(crypto_auth_BYTES, '\0');
  crypto_auth(reinterpret_cast<unsigned char*>(tag.data()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(),
              reinterpret_cast<const unsigned char*>(key.data()));
  return tag;
}

bool verify_mac(std::string_view key, std::string_view message, std::string_view tag) {
  if (key.size() != kMacKeyBytes) {
    throw std::invalid_argument("auth::verify_mac: the key must be 32 bytes");
  }
  if (tag.size() != crypto_auth_BYTES) {
    return false;
  }
  detail::ensure_sodium();
  return crypto_auth_verify(reinterpret_cast<const unsigned char*>(tag.data()),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                            reinterpret_cast<const unsigned char*>(key.data())) == 0;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  if (a.empty()) {
    return true;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string generate_api_key() {
  return std::string(kApiKeyPrefix) + random_token(32);
}

bool looks_like_api_key(std::string_view text) {
  if (!text.starts_with(kApiKeyPrefix)) {
    return false;
  }
  const std::string_view body = text.substr(kApiKeyPrefix.size());
  return body.size() == 43 && base64url_decode(body).has_value();
}

}  // namespace atelier::auth
