#include "identity/domain/oauth.hpp"

#include <algorithm>
#include <array>

namespace atelier::identity::domain {

namespace {

constexpr size_t kMaxRedirectUriBytes = 2000;

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A DNS name or IPv4 address as a host: letters, digits, '-' and '.', not empty.
bool is_plain_host(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

// Splits "host[:port]" (host possibly a bracketed IPv6 literal); nullopt when the port is not
// digits or the brackets do not close.
std::optional<std::string_view> host_of(std::string_view authority) {
  std::string_view host = authority;
  std::string_view rest;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    host = authority.substr(0, close + 1);
    rest = authority.substr(close + 1);
  } else if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    rest = authority.substr(colon);
  }
  if (!rest.empty() && (rest.front() != ':' || !is_digits(rest.substr(1)))) {
    return std::nullopt;
  }
  return host;
}

}  // namespace

std::string_view client_type_name(ClientType type) {
  return type == ClientType::kConfidential ? "confidential" : "public";
}

std::optional<ClientType> parse_client_type(std::string_view name) {
  if (name == "confidential") {
    return ClientType::kConfidential;
  }
  if (name == "public") {
    return ClientType::kPublic;
  }
  return std::nullopt;
}

std::string_view grant_type_name(GrantType grant) {
  switch (grant) {
    case GrantType::kAuthorizationCode:
      return "authorization_code";
    case GrantType::kRefreshToken:
      return "refresh_token";
    case GrantType::kClientCredentials:
      return "client_credentials";
  }
  return "authorization_code";
}

std::optional<GrantType> parse_grant_type(std::string_view name) {
  for (GrantType g :
       {GrantType::kAuthorizationCode, GrantType::kRefreshToken, GrantType::kClientCredentials}) {
    if (grant_type_name(g) == name) {
      return g;
    }
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> parse_scopes(std::string_view text) {
  std::array<bool, std::size(kScopes)> asked{};
  while (!text.empty()) {
    const size_t space = text.find(' ');
    const std::string_view scope = text.substr(0, space);
    const auto* known = std::find(std::begin(kScopes), std::end(kScopes), scope);
    if (known == std::end(kScopes)) {
      return std::nullopt;  // unknown, or empty between two spaces
    }
    asked[static_cast<size_t>(known - std::begin(kScopes))] = true;
    if (space == std::string_view::npos) {
      break;
    }
    text.remove_prefix(space + 1);
    if (text.empty()) {
      return std::nullopt;  // a trailing space
    }
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < asked.size(); ++i) {
    if (asked[i]) {
      out.emplace_back(kScopes[i]);
    }
  }
  return out;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) {
      out += ' ';
    }
    out += s;
  }
  return out;
}

bool has_scope(std::string_view scopes, std::string_view scope) {
  while (!scopes.empty()) {
    const size_t space = scopes.find(' ');
    if (scopes.substr(0, space) == scope) {
      return true;
    }
    if (space == std::string_view::npos) {
      break;
    }
    scopes.remove_prefix(space + 1);
  }
  return false;
}

std::optional<std::string> redirect_uri_problem(std::string_view uri) {
  if (uri.empty() || uri.size() > kMaxRedirectUriBytes) {
    return "A redirect URI is 1 to 2000 characters.";
  }
  for (char c : uri) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '\\' || c == '"' || c == '<' || c == '>') {
      return "A redirect URI has no spaces, control characters, backslashes, quotes or <>.";
    }
  }
  if (uri.find('#') != std::string_view::npos) {
    return "A redirect URI has no fragment (#...).";
  }
  bool https = false;
  std::string_view rest;
  if (uri.starts_with("https://")) {
    https = true;
    rest = uri.substr(8);
  } else if (uri.starts_with("http://")) {
    rest = uri.substr(7);
  } else {
    return "A redirect URI starts with https:// (or http://localhost for a native app).";
  }
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) {
    return "A redirect URI has no user information (user@host).";
  }
  const auto host = host_of(authority);
  if (!host || host->empty()) {
    return "A redirect URI names a host, with an optional numeric port.";
  }
  if (https) {
    if (!host->starts_with('[') && !is_plain_host(*host)) {
      return "A redirect URI's host is a DNS name or an IP address.";
    }
    return std::nullopt;
  }
  if (*host != "localhost" && *host != "127.0.0.1" && *host != "[::1]") {
    return "Plain http is allowed only on the loopback interface (localhost, 127.0.0.1, [::1]) "
           "for native apps; use https.";
  }
  return std::nullopt;
}

bool is_code_verifier(std::string_view text) {
  return text.size() >= 43 && text.size() <= 128 &&
         std::all_of(text.begin(), text.end(), is_unreserved);
}

bool is_s256_challenge(std::string_view text) {
  // 32 bytes are 43 base64url characters, the last of which carries only 4 bits of the digest.
  return text.size() == 43 && std::all_of(text.begin(), text.end(), is_base64url);
}

std::string with_query(std::string_view uri,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto encode = [](std::string& out, std::string_view s) {
    for (char c : s) {
      if (is_unreserved(c)) {
        out += c;
      } else {
        const auto u = static_cast<unsigned char>(c);
        out += '%';
        out += kHex[u >> 4];
        out += kHex[u & 0xf];
      }
    }
  };
  std::string out(uri);
  char separator = uri.find('?') == std::string_view::npos ? '?' : '&';
  if (!uri.empty() && (uri.back() == '?' || uri.back() == '&')) {
    separator = '\0';
  }
  for (const auto& [name, value] : params) {
    if (separator != '\0') {
      out += separator;
    }
    separator = '&';
    encode(out, name);
    out += '=';
    encode(out, value);
  }
  return out;
}

}  // namespace atelier::identity::domain
