// MP4 assembly read back with probe(): H.264 and AAC at the requested size, the length of the
// longer of the shots and the narration, chapters with their titles and starts, a mov_text track
// or none when subtitles are burned in; bad arguments refused without leaving a file.
#include "atelier/media/video.hpp"

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>

#include "atelier/media/narration.hpp"
#include "atelier/media/panel.hpp"

namespace atelier::media {
namespace {

namespace fs = std::filesystem;

Audio sine(double seconds, int rate = 22050) {
  Audio audio;
  audio.sample_rate = rate;
  const auto n = static_cast<size_t>(seconds * rate);
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    audio.samples.push_back(static_cast<int16_t>(8000 * std::sin(2 * std::numbers::pi * 440 * t)));
  }
  return audio;
}

VideoOptions small_options() {
  VideoOptions options;
  options.width = 320;
  options.height = 180;
  options.fps = 12;
  options.preset = "ultrafast";
  options.crossfade_seconds = 0.25;
  return options;
}

Image flat(int width, int height, uint8_t level) {
  Image image;
  image.width = width;
  image.height = height;
  image.bgra.assign(static_cast<size_t>(width) * height * 4, level);
  for (size_t i = 3; i < image.bgra.size(); i += 4) {
    image.bgra[i] = 255;
  }
  return image;
}

// The mean luma (Y plane) of every video frame of the file, in order.
std::vector<double> frame_lumas(const std::string& path) {
  std::vector<double> lumas;
  AVFormatContext* format = nullptr;
  if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) < 0) {
    ADD_FAILURE() << "cannot open " << path;
    return lumas;
  }
  avformat_find_stream_info(format, nullptr);
  const AVCodec* codec = nullptr;
  const int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  AVCodecContext* decoder = avcodec_alloc_context3(codec);
  avcodec_parameters_to_context(decoder, format->streams[index]->codecpar);
  avcodec_open2(decoder, codec, nullptr);
  AVPacket* packet = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  const auto drain = [&] {
    while (avcodec_receive_frame(decoder, frame) >= 0) {
      double sum = 0;
      for (int y = 0; y < frame->height; ++y) {
        for (int x = 0; x < frame->width; ++x) {
          sum += frame->data[0][y * frame->linesize[0] + x];
        }
      }
      lumas.push_back(sum / (frame->width * frame->height));
    }
  };
  while (av_read_frame(format, packet) >= 0) {
    if (packet->stream_index == index) {
      avcodec_send_packet(decoder, packet);
      drain();
    }
    av_packet_unref(packet);
  }
  avcodec_send_packet(decoder, nullptr);
  drain();
  av_frame_free(&frame);
  av_packet_free(&packet);
  avcodec_free_context(&decoder);
  avformat_close_input(&format);
  return lumas;
}

class VideoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const Setting settings[] = {Setting::kInterior, Setting::kSea, Setting::kMountain};
    for (int i = 0; i < 3; ++i) {
      PanelSpec spec;
      spec.width = 320;
      spec.height = 180;
      spec.setting = settings[i];
      spec.caption = "Plan " + std::to_string(i + 1);
      spec.seed = static_cast<uint32_t>(i);
      auto image = render_panel(spec);
      ASSERT_TRUE(image.ok());
      panels_[i] = std::move(image).value();
    }
  }

  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atelier_media_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<Shot> shots(double seconds) const {
    return {{&panels_[0], seconds, "Élodie entre dans la cuisine."},
            {&panels_[1], seconds, ""},
            {&panels_[2], seconds, "Au sommet, enfin !"}};
  }

  MediaInfo probed(const fs::path& path) {
    auto info = probe(path.string());
    EXPECT_TRUE(info.ok()) << info.error().message;
    return info.ok() ? std::move(info).value() : MediaInfo{};
  }

  static Image panels_[3];
  fs::path dir_;
};

Image VideoTest::panels_[3];

TEST_F(VideoTest, ThreeShotsWithChaptersAndSubtitlesReadBack) {
  const fs::path path = dir_ / "three.mp4";
  const std::vector<Chapter> chapters = {
      {"Chapitre 1 — L'arrivée", 0}, {"Chapitre 2", 1.0}, {"Épilogue", 2.0}};
  const auto written = write_mp4(path.string(), shots(1.0), sine(2.0), chapters, small_options());
  ASSERT_TRUE(written.ok()) << written.error().message;
  const MediaInfo info = probed(path);
  EXPECT_EQ(info.video_codec, "h264");
  EXPECT_EQ(info.audio_codec, "aac");
  EXPECT_EQ(info.width, 320);
  EXPECT_EQ(info.height, 180);
  EXPECT_NEAR(info.duration_seconds, 3.0, 0.2);
  EXPECT_EQ(info.subtitle_streams, 1);
  ASSERT_EQ(info.chapters.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(info.chapters[i].title, chapters[i].title);
    EXPECT_NEAR(info.chapters[i].start_seconds, chapters[i].start_seconds, 0.01);
  }
}

TEST_F(VideoTest, SpokenNarrationLongerThanTheShotsSetsTheLength) {
  auto narrator = Narrator::open();
  ASSERT_TRUE(narrator.ok()) << narrator.error().message;
  auto speech = (*narrator)->speak(
      "Il était une fois, dans un petit village au bord de la mer, une fille qui rêvait de "
      "partir.",
      {"fr", "", 170});
  ASSERT_TRUE(speech.ok());
  ASSERT_GT(speech->seconds(), 2.0);
  const fs::path path = dir_ / "narrated.mp4";
  const auto written = write_mp4(path.string(), shots(0.5), *speech, {}, small_options());
  ASSERT_TRUE(written.ok()) << written.error().message;
  const MediaInfo info = probed(path);
  EXPECT_NEAR(info.duration_seconds, speech->seconds(), 0.2);
  EXPECT_EQ(info.audio_codec, "aac");
  EXPECT_TRUE(info.chapters.empty());
}

TEST_F(VideoTest, ShotsLongerThanTheNarrationSetTheLength) {
  const fs::path path = dir_ / "long.mp4";
  const auto written = write_mp4(path.string(), shots(1.5), sine(0.7, 16000), {}, small_options());
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_NEAR(probed(path).duration_seconds, 4.5, 0.2);
}

TEST_F(VideoTest, SilentVideoStillHasAnAudioTrack) {
  const fs::path path = dir_ / "silent.mp4";
  const auto written = write_mp4(path.string(), shots(0.5), Audio{}, {}, small_options());
  ASSERT_TRUE(written.ok()) << written.error().message;
  const MediaInfo info = probed(path);
  EXPECT_EQ(info.audio_codec, "aac");
  EXPECT_NEAR(info.duration_seconds, 1.5, 0.2);
}

TEST_F(VideoTest, BurnedSubtitlesLeaveNoSubtitleTrack) {
  VideoOptions options = small_options();
  options.burn_subtitles = true;
  const fs::path path = dir_ / "burned.mp4";
  ASSERT_TRUE(write_mp4(path.string(), shots(0.5), sine(1.0), {}, options).ok());
  const MediaInfo info = probed(path);
  EXPECT_EQ(info.subtitle_streams, 0);
  EXPECT_EQ(info.video_codec, "h264");
}

TEST_F(VideoTest, ConsecutiveShotsCrossFadeAtTheStartOfTheNext) {
  const Image black = flat(64, 36, 0);
  const Image white = flat(64, 36, 255);
  VideoOptions options = small_options();
  options.width = 64;
  options.height = 36;
  options.fps = 10;
  options.zoom = 1.0;
  options.crossfade_seconds = 0.5;
  const fs::path path = dir_ / "fade.mp4";
  ASSERT_TRUE(
      write_mp4(path.string(), {{&black, 1.0, ""}, {&white, 1.0, ""}}, Audio{}, {}, options).ok());
  const std::vector<double> y = frame_lumas(path.string());
  ASSERT_EQ(y.size(), 20u);
  for (int i = 0; i <= 10; ++i) {
    EXPECT_LT(y[i], 30) << "frame " << i << " shows the first shot";
  }
  for (int i = 11; i < 15; ++i) {  // 0.1 .. 0.4 s into the second shot: blending
    EXPECT_GT(y[i], y[i - 1] + 20) << "frame " << i;
    EXPECT_LT(y[i], 220) << "frame " << i;
  }
  for (int i = 15; i < 20; ++i) {
    EXPECT_GT(y[i], 225) << "frame " << i << " shows the second shot";
  }
}

TEST_F(VideoTest, TheSlowZoomMovesThePicture) {
  // A panel dark above and light below: zooming in towards an anchor off the middle (the first
  // shot's is low down) changes the share of each in the frame from the first frame to the last.
  Image half = flat(64, 36, 30);
  for (size_t i = half.bgra.size() / 2; i < half.bgra.size(); ++i) {
    half.bgra[i] = 220;
  }
  VideoOptions options = small_options();
  options.width = 64;
  options.height = 36;
  options.fps = 10;
  options.zoom = 1.5;
  const fs::path path = dir_ / "zoom.mp4";
  ASSERT_TRUE(write_mp4(path.string(), {{&half, 2.0, ""}}, Audio{}, {}, options).ok());
  const std::vector<double> y = frame_lumas(path.string());
  ASSERT_EQ(y.size(), 20u);
  EXPECT_GT(y.back(), y.front() + 15);  // about 2/3 light at the end, 1/2 at first
  for (size_t i = 1; i < y.size(); ++i) {
    EXPECT_GE(y[i], y[i - 1] - 1.0) << "frame " << i;  // smooth, one way
  }
}

TEST_F(VideoTest, BadArgumentsAreInvalidAndWriteNothing) {
  const fs::path path = dir_ / "bad.mp4";
  const Audio audio = sine(0.5);
  const auto expect_invalid = [&](const std::vector<Shot>& s, const VideoOptions& o,
                                  const std::vector<Chapter>& chapters, const char* what) {
    const auto written = write_mp4(path.string(), s, audio, chapters, o);
    ASSERT_FALSE(written.ok()) << what;
    EXPECT_EQ(written.error().code, ErrorCode::kInvalid) << what;
    EXPECT_FALSE(fs::exists(path)) << what;
  };
  const VideoOptions good = small_options();
  expect_invalid({}, good, {}, "no shots");
  expect_invalid({{nullptr, 1, ""}}, good, {}, "null image");
  expect_invalid({{&panels_[0], 0, ""}}, good, {}, "zero duration");
  expect_invalid({{&panels_[0], -1, ""}}, good, {}, "negative duration");
  expect_invalid({{&panels_[0], 1, ""}}, good, {{"late", 5.0}}, "chapter after the end");
  VideoOptions odd = good;
  odd.width = 321;
  expect_invalid(shots(1), odd, {}, "odd width");
  odd = good;
  odd.height = 0;
  expect_invalid(shots(1), odd, {}, "zero height");
  odd = good;
  odd.fps = 0;
  expect_invalid(shots(1), odd, {}, "zero fps");
  odd = good;
  odd.preset = "warp-speed";
  expect_invalid(shots(1), odd, {}, "unknown preset");
  Image broken = panels_[0];
  broken.bgra.resize(10);
  expect_invalid({{&broken, 1, ""}}, good, {}, "inconsistent image");
}

TEST_F(VideoTest, ProbeRefusesMissingAndNonMediaFiles) {
  const auto missing = probe((dir_ / "missing.mp4").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalid);
  const fs::path text = dir_ / "notes.txt";
  std::ofstream(text) << "ceci n'est pas une vidéo\n";
  const auto not_media = probe(text.string());
  ASSERT_FALSE(not_media.ok());
  EXPECT_EQ(not_media.error().code, ErrorCode::kInvalid);
}

TEST_F(VideoTest, PanelsOfAnotherSizeAreScaledToTheVideo) {
  PanelSpec spec;
  spec.width = 500;
  spec.height = 500;
  auto square = render_panel(spec);
  ASSERT_TRUE(square.ok());
  VideoOptions options = small_options();
  options.width = 256;
  options.height = 144;
  const fs::path path = dir_ / "square.mp4";
  const auto written = write_mp4(path.string(), {{&*square, 1.0, "Carré"}}, Audio{}, {}, options);
  ASSERT_TRUE(written.ok()) << written.error().message;
  const MediaInfo info = probed(path);
  EXPECT_EQ(info.width, 256);
  EXPECT_EQ(info.height, 144);
}

}  // namespace
}  // namespace atelier::media
