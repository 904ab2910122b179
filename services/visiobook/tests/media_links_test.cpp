// Signed media links: what is signed comes back, a changed or foreign token is refused as if it
// did not exist, an expired one is gone.
#include "visiobook/app/media_links.hpp"

#include <gtest/gtest.h>

#include "atelier/auth/encoding.hpp"
#include "atelier/auth/secrets.hpp"

namespace atelier::visiobook::app {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

MediaLink link() {
  return MediaLink{"0190f1e2-0000-7000-8000-00000000000a", "0190f1e2-0000-7000-8000-00000000000b",
                   3, "narration/0002.wav", kNow + 1h};
}

TEST(MediaLinks, WhatIsSignedComesBack) {
  const std::string key = auth::random_bytes(auth::kMacKeyBytes);
  const std::string token = sign_media_link(key, link());
  auto back = verify_media_link(key, token, kNow);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->org_id, link().org_id);
  EXPECT_EQ(back->book_id, link().book_id);
  EXPECT_EQ(back->version, 3);
  EXPECT_EQ(back->name, "narration/0002.wav");
  EXPECT_EQ(back->expires_at, kNow + 1h);
  // Only URL-safe characters: it goes in a path.
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
      std::string::npos);
}

TEST(MediaLinks, AnExpiredLinkIsGone) {
  const std::string key = auth::random_bytes(auth::kMacKeyBytes);
  const std::string token = sign_media_link(key, link());
  EXPECT_TRUE(verify_media_link(key, token, kNow + 1h - 1s));
  auto expired = verify_media_link(key, token, kNow + 1h);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kGone);
}

TEST(MediaLinks, AChangedOrForeignTokenIsRefused) {
  const std::string key = auth::random_bytes(auth::kMacKeyBytes);
  const std::string token = sign_media_link(key, link());
  // Another server's key.
  EXPECT_EQ(verify_media_link(auth::random_bytes(auth::kMacKeyBytes), token, kNow).error().code,
            ErrorCode::kNotFound);
  // Another file, or a later expiry, with the old signature.
  MediaLink other = link();
  other.name = "video.mp4";
  const std::string forged_fields = sign_media_link(key, other).substr(0, token.find('.'));
  EXPECT_FALSE(verify_media_link(key, forged_fields + token.substr(token.find('.')), kNow));
  // Malformed tokens.
  for (const std::string& bad : {std::string(), std::string("."), std::string("abc"),
                                 token.substr(0, token.size() - 2), token + "x"}) {
    EXPECT_EQ(verify_media_link(key, bad, kNow).error().code, ErrorCode::kNotFound) << bad;
  }
}

}  // namespace
}  // namespace atelier::visiobook::app
