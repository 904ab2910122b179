#include "visiobook/app/media_links.hpp"

#include <charconv>
#include <vector>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/secrets.hpp"

namespace atelier::visiobook::app {

namespace {

// Fields joined by a byte that none of them holds (ids are UUIDs, names are file names).
constexpr char kSeparator = '\n';

Error not_found() {
  return Error::not_found("This link is not valid.");
}

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t at = text.find(kSeparator); at != std::string_view::npos;
       at = text.find(kSeparator, start)) {
    out.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

bool to_int(std::string_view text, int64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string sign_media_link(std::string_view key, const MediaLink& link) {
  const int64_t expires =
      std::chrono::duration_cast<std::chrono::seconds>(link.expires_at.time_since_epoch()).count();
  std::string fields = link.org_id;
  for (const std::string& part :
       {link.book_id, std::to_string(link.version), link.name, std::to_string(expires)}) {
    fields += kSeparator;
    fields += part;
  }
  return auth::base64url_encode(fields) + "." + auth::base64url_encode(auth::mac(key, fields));
}

Result<MediaLink> verify_media_link(std::string_view key, std::string_view token, TimePoint now) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos) {
    return not_found();
  }
  auto fields = auth::base64url_decode(token.substr(0, dot));
  auto tag = auth::base64url_decode(token.substr(dot + 1));
  if (!fields || !tag || !auth::verify_mac(key, *fields, *tag)) {
    return not_found();
  }
  const auto parts = split(*fields);
  MediaLink link;
  int64_t expires = 0;
  if (parts.size() != 5 || !to_int(parts[2], link.version) || !to_int(parts[4], expires)) {
    return not_found();
  }
  link.org_id = std::string(parts[0]);
  link.book_id = std::string(parts[1]);
  link.name = std::string(parts[3]);
  link.expires_at = TimePoint(std::chrono::seconds(expires));
  if (now >= link.expires_at) {
    return Error{ErrorCode::kGone, "This link has expired: ask the page for a new one.", {}, {}};
  }
  return link;
}

}  // namespace atelier::visiobook::app
