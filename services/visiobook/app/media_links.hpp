// Signed links to a run's files, for what cannot send a bearer token: the portal's <video> and
// <track> elements stream the MP4 and its subtitles from such a link, with byte ranges. A link
// names the organisation, the book, the version and the file, and when it expires; the server
// signs it (auth::mac) with a key of its own and checks it on every request. No table, no
// account: anyone holding the link can read that one file until it expires.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"

namespace atelier::visiobook::app {

struct MediaLink {
  std::string org_id;
  std::string book_id;
  int64_t version = 0;
  std::string name;  // "video.mp4"
  TimePoint expires_at;
};

// The token: base64url(fields) "." base64url(mac). `key` is auth::kMacKeyBytes long.
std::string sign_media_link(std::string_view key, const MediaLink& link);
// kNotFound for a token that is malformed or not signed with `key`, kGone once expired.
Result<MediaLink> verify_media_link(std::string_view key, std::string_view token, TimePoint now);

}  // namespace atelier::visiobook::app
