// WebVTT: the exact text for back-to-back cues, empty subtitles skipped, hours and milliseconds,
// and cue text that cannot break the file.
#include <gtest/gtest.h>

#include "atelier/media/video.hpp"

namespace atelier::media {
namespace {

TEST(WebVtt, CuesRunBackToBackAndEmptySubtitlesAreSkipped) {
  const std::vector<Shot> shots = {
      {nullptr, 3, "Il était une fois…"}, {nullptr, 2.5, ""}, {nullptr, 1.25, "Fin"}};
  EXPECT_EQ(webvtt(shots),
            "WEBVTT\n\n"
            "00:00:00.000 --> 00:00:03.000\nIl était une fois…\n\n"
            "00:00:05.500 --> 00:00:06.750\nFin\n\n");
}

TEST(WebVtt, NoShotsGiveJustTheHeader) {
  EXPECT_EQ(webvtt({}), "WEBVTT\n\n");
}

TEST(WebVtt, HoursAndMillisecondsAreWritten) {
  const std::vector<Shot> shots = {{nullptr, 3725.0, ""}, {nullptr, 0.0015, "a"}};
  EXPECT_EQ(webvtt(shots), "WEBVTT\n\n01:02:05.000 --> 01:02:05.002\na\n\n");
}

TEST(WebVtt, CueTextCannotEndTheCueOrOpenATag) {
  const std::vector<Shot> shots = {{nullptr, 1, "a\n\nb --> <i>c</i> & d\n"}};
  EXPECT_EQ(
      webvtt(shots),
      "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\na\nb --&gt; &lt;i&gt;c&lt;/i&gt; &amp; d\n\n");
}

}  // namespace
}  // namespace atelier::media
