#include "identity/domain/accounts.hpp"

#include <algorithm>
#include <cctype>

namespace atelier::identity::domain {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view email) {
  email = trim(email);
  if (email.empty() || email.size() > 254) {
    return std::nullopt;
  }
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || email.find('@', at + 1) != email.npos) {
    return std::nullopt;
  }
  const std::string_view domain = email.substr(at + 1);
  const size_t dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size() ||
      domain.front() == '-' || domain.find("..") != domain.npos) {
    return std::nullopt;
  }
  for (char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == '"' || c == '\\' || c == '[' || c == ']') {
      return std::nullopt;
    }
  }
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::string> normalize_name(std::string_view name) {
  name = trim(name);
  if (name.empty() || name.size() > 200) {
    return std::nullopt;
  }
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return std::nullopt;
    }
  }
  return std::string(name);
}

}  // namespace atelier::identity::domain
