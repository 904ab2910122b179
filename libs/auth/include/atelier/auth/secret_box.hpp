// Secrets the platform must read back (TOTP secrets, signing keys' private keys) are sealed before
// they are stored, so that a copy of the database alone grants nothing (ADR 0012). XSalsa20-
// Poly1305 (libsodium's crypto_secretbox) under one 32-byte key, a random nonce per value.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "atelier/core/error.hpp"

namespace atelier::auth {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;
  // What every sealed value starts with; the version lets a later format be told apart.
  static constexpr std::string_view kPrefix = "sb1:";

  // A key written as 64 hex digits, either case (ATELIER_SECRETS_KEY). kInvalid otherwise; the
  // message never repeats the text.
  static Result<SecretBox> from_hex(std::string_view hex);
  // A key file holds the key as 64 hex digits and an optional final newline. When it is missing
  // and `create_if_missing`, a random key is written to it (mode 0600, never over an existing
  // file) and its directory made. Refused, with the file named: a file that the group or others
  // may read or write, or whose content is not a key.
  static Result<SecretBox> from_key_file(const std::filesystem::path& path, bool create_if_missing);

  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;
  SecretBox(SecretBox&& other) noexcept;
  SecretBox& operator=(SecretBox&& other) noexcept;
  ~SecretBox();

  // "sb1:" + base64url(nonce || ciphertext and tag). Two seals of one text differ.
  std::string seal(std::string_view plaintext) const;
  // The plaintext of a seal() made under this key. kInternal when the text is not a sealed
  // value, or when the tag does not verify (another key, or a changed value): never a guess.
  Result<std::string> open(std::string_view sealed) const;
  // True when the text has the sealed form's prefix (values stored before sealing do not).
  static bool is_sealed(std::string_view text);

 private:
  explicit SecretBox(const std::array<unsigned char, kKeyBytes>& key);
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace atelier::auth
