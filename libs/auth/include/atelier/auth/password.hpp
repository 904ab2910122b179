// Password storage (argon2id through libsodium) and the policy a new password must meet before it
// is stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "atelier/core/error.hpp"

namespace atelier::auth {

// argon2id cost. The numbers are libsodium's crypto_pwhash_*_INTERACTIVE and *_MIN constants
// (checked against them when the library is built), spelled out so this header needs no sodium.h.
struct PasswordHashParams {
  uint64_t opslimit = 2;        // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t memlimit = 64u << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE: 64 MiB
  static PasswordHashParams interactive() { return {}; }
  // The cheapest libsodium allows: for tests only, never for real passwords.
  static PasswordHashParams minimum() { return {1, 8192}; }
};

// The self-describing encoded hash ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash") with a fresh
// random salt. Fails (kUnavailable) only when the memory the cost asks for cannot be had.
Result<std::string> hash_password(std::string_view password, const PasswordHashParams& params = {});

// True when `password` matches `encoded_hash`. False for a wrong password and for anything that is
// not an encoded hash. Takes as long as the cost stored in the hash says, whatever the password.
bool verify_password(std::string_view password, std::string_view encoded_hash);

// True when `encoded_hash` was made with another cost (or algorithm) than `params`, or cannot be
// read: after a successful sign-in the caller hashes the password again and stores the new hash.
bool needs_rehash(std::string_view encoded_hash, const PasswordHashParams& params = {});

struct PasswordPolicyOptions {
  size_t min_code_points = 12;  // characters as people count them, not UTF-8 bytes
  size_t max_bytes = 256;       // bounds the work and the storage a request can ask for
  // One password per line; lines starting with `#!` are comments (John the Ripper's format).
  // Debian's john-data package installs it. A missing file leaves only the other rules.
  std::string common_passwords_path = "/usr/share/john/password.lst";
  // Parts of the e-mail address or name shorter than this are too common to refuse.
  size_t min_personal_length = 4;
};

// The rules a new password must meet. Construction reads the common-password list once; check()
// is then const and safe to call from many threads.
class PasswordPolicy {
 public:
  explicit PasswordPolicy(PasswordPolicyOptions options = {});

  // Ok, or Error::invalid with one FieldError{"password", reason} in plain words. Refuses: invalid
  // UTF-8, fewer than min_code_points characters, more than max_bytes bytes, an entry of the
  // common list (ignoring case), and a password that contains the e-mail's local part, the name,
  // or a part of either (split on spaces and . _ - +) of at least min_personal_length characters,
  // ignoring case. Case is folded for ASCII letters only.
  Result<void> check(std::string_view password, std::string_view email = {},
                     std::string_view name = {}) const;

  // How many entries the common list held (0 when the file was missing or unreadable).
  size_t common_password_count() const { return common_.size(); }

 private:
  PasswordPolicyOptions options_;
  std::unordered_set<std::string> common_;  // lower-cased
};

}  // namespace atelier::auth
