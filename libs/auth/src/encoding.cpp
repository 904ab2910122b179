#include "atelier/auth/encoding.hpp"

#include <array>
#include <cstdint>

namespace atelier::auth {
namespace {

constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kHex = "0123456789abcdef";

// Reverse lookup tables: 0xff marks a byte outside the alphabet.
constexpr std::array<uint8_t, 256> reverse_table(std::string_view alphabet) {
  std::array<uint8_t, 256> table{};
  table.fill(0xff);
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<uint8_t>(alphabet[i])] = static_cast<uint8_t>(i);
  }
  return table;
}

constexpr auto kBase64UrlReverse = reverse_table(kBase64Url);
constexpr auto kBase32Reverse = reverse_table(kBase32);

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<uint8_t>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64Url[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) {
    out.push_back(kBase64Url[(buffer << (6 - bits)) & 0x3f]);
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // A final group of one character would carry only 6 bits: no byte string encodes to that.
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const uint8_t v = kBase64UrlReverse[static_cast<uint8_t>(c)];
    if (v == 0xff) {
      return std::nullopt;
    }
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  // The leftover bits are padding; an encoder always writes them as zero.
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  size_t padding = 0;
  while (padding < 2 && text.size() > padding && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  std::string url(text.substr(0, text.size() - padding));
  for (char& c : url) {
    if (c == '-' || c == '_') {
      return std::nullopt;  // the url alphabet's characters are not the standard one's
    }
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return base64url_decode(url);
}

std::string base32_encode(std::string_view bytes, Base32Padding padding) {
  std::string out;
  out.reserve((bytes.size() + 4) / 5 * 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = ((buffer << 8) | static_cast<uint8_t>(c)) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kBase32[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) {
    out.push_back(kBase32[(buffer << (5 - bits)) & 0x1f]);
  }
  if (padding == Base32Padding::kPad) {
    while (out.size() % 8 != 0) {
      out.push_back('=');
    }
  }
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  size_t symbols = 0;
  size_t pad = 0;
  for (const char c : text) {
    if (c == ' ') {
      continue;
    }
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad > 0) {
      return std::nullopt;  // data after padding
    }
    char upper = c;
    if (upper >= 'a' && upper <= 'z') {
      upper = static_cast<char>(upper - 'a' + 'A');
    }
    const uint8_t v = kBase32Reverse[static_cast<uint8_t>(upper)];
    if (v == 0xff) {
      return std::nullopt;
    }
    ++symbols;
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  // A final group holds 1..5 bytes, spelled with 2, 4, 5, 7 or 8 symbols; 1, 3 and 6 are
  // impossible. Padding, when present, completes the group and nothing more.
  const size_t rest = symbols % 8;
  if (rest == 1 || rest == 3 || rest == 6) {
    return std::nullopt;
  }
  if (pad > 0 && (rest == 0 || rest + pad != 8)) {
    return std::nullopt;
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

}  // namespace atelier::auth
