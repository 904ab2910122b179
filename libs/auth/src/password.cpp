#include "atelier/auth/password.hpp"

#include <sodium.h>

#include <fstream>
#include <optional>
#include <vector>

#include "sodium.hpp"

namespace atelier::auth {
namespace {

static_assert(PasswordHashParams{}.opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
static_assert(PasswordHashParams{}.memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
static_assert(crypto_pwhash_OPSLIMIT_MIN == 1);
static_assert(crypto_pwhash_MEMLIMIT_MIN == 8192);

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// Number of code points in well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or nullopt.
std::optional<size_t> utf8_length(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<uint8_t>(text[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      extra = 1;
      cp = b0 & 0x1fu;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      extra = 2;
      cp = b0 & 0x0fu;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      extra = 3;
      cp = b0 & 0x07u;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size()) {
      return std::nullopt;
    }
    for (size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<uint8_t>(text[i + k]);
      if ((b & 0xc0) != 0x80) {
        return std::nullopt;
      }
      cp = (cp << 6) | (b & 0x3fu);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return std::nullopt;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

// The pieces of an e-mail local part or a name worth refusing: the whole and each part split on
// separators, lower-cased, when long enough.
void add_personal_words(std::string_view text, size_t min_length, std::vector<std::string>& out) {
  const auto add = [&](std::string_view word) {
    const auto length = utf8_length(word);
    if (length && *length >= min_length) {
      out.push_back(ascii_lower(word));
    }
  };
  add(text);
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == '.' || text[i] == '_' || text[i] == '-' ||
        text[i] == '+') {
      if (i > start && (i - start) < text.size()) {
        add(text.substr(start, i - start));
      }
      start = i + 1;
    }
  }
}

Error refuse(std::string reason) {
  return Error::invalid("password does not meet the policy",
                        {FieldError{"password", std::move(reason)}});
}

}  // namespace

Result<std::string> hash_password(std::string_view password, const PasswordHashParams& params) {
  detail::ensure_sodium();
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), params.opslimit,
                            params.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::unavailable("not enough memory to hash the password");
  }
  out.resize(out.find('\0'));
  return out;
}

bool verify_password(std::string_view password, std::string_view encoded_hash) {
  detail::ensure_sodium();
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  const std::string terminated(encoded_hash);  // libsodium reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view encoded_hash, const PasswordHashParams& params) {
  detail::ensure_sodium();
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) {
    return true;
  }
  const std::string terminated(encoded_hash);
  // The argon2id variant also answers "needs rehash" for an argon2i hash.
  return crypto_pwhash_argon2id_str_needs_rehash(terminated.c_str(), params.opslimit,
                                                 params.memlimit) != 0;
}

PasswordPolicy::PasswordPolicy(PasswordPolicyOptions options) : options_(std::move(options)) {
  if (options_.common_passwords_path.empty()) {
    return;
  }
  std::ifstream in(options_.common_passwords_path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty() || line.starts_with("#!")) {
      continue;
    }
    common_.insert(ascii_lower(line));
  }
}

Result<void> PasswordPolicy::check(std::string_view password, std::string_view email,
                                   std::string_view name) const {
  if (password.size() > options_.max_bytes) {
    return refuse("The password is too long: at most " + std::to_string(options_.max_bytes) +
                  " bytes.");
  }
  const auto length = utf8_length(password);
  if (!length) {
    return refuse("The password contains characters that are not valid text.");
  }
  if (*length < options_.min_code_points) {
    return refuse("The password is too short: use at least " +
                  std::to_string(options_.min_code_points) + " characters.");
  }
  const std::string lowered = ascii_lower(password);
  if (common_.contains(lowered)) {
    return refuse("This password is too common: choose one that is harder to guess.");
  }
  std::vector<std::string> personal;
  const std::string_view local = email.substr(0, email.rfind('@'));
  add_personal_words(local, options_.min_personal_length, personal);
  add_personal_words(name, options_.min_personal_length, personal);
  for (const std::string& word : personal) {
    if (lowered.find(word) != std::string::npos) {
      return refuse("The password must not contain your name or e-mail address.");
    }
  }
  return {};
}

}  // namespace atelier::auth
