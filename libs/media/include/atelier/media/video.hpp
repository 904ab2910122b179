// MP4 assembly with the FFmpeg libraries (H.264 + AAC): still panels shown for given durations
// with a slow pan/zoom and cross-fades, a narration track, chapter markers and a subtitle track
// (mov_text) or subtitles burned into the picture. Also the read-back of a media file's facts.
#pragma once

#include <string>
#include <vector>

#include "atelier/core/error.hpp"
#include "atelier/media/narration.hpp"
#include "atelier/media/panel.hpp"

namespace atelier::media {

struct Shot {
  const Image* image = nullptr;  // the panel, any size: scaled to the video's size
  double seconds = 3;            // how long it shows (the cross-fade eats into the next shot)
  std::string subtitle;          // text shown during the shot; may be empty
};

struct Chapter {
  std::string title;
  double start_seconds = 0;
};

struct VideoOptions {
  int width = 1280;
  int height = 720;
  int fps = 25;
  double crossfade_seconds = 0.5;
  double zoom = 1.08;               // Ken Burns: each shot ends this much closer
  bool burn_subtitles = false;      // else a mov_text subtitle track
  int crf = 23;                     // x264 quality
  const char* preset = "veryfast";  // x264 preset
};

// Writes the MP4 to `path`. Audio is AAC 128 kb/s, resampled from the narration's rate.
// The video lasts the longer of the sum of the shots and the narration.
Result<void> write_mp4(const std::string& path, const std::vector<Shot>& shots,
                       const Audio& narration, const std::vector<Chapter>& chapters,
                       const VideoOptions& options = {});

// WebVTT for the same shots (cues back to back from 0).
std::string webvtt(const std::vector<Shot>& shots);

struct MediaInfo {
  double duration_seconds = 0;
  std::string video_codec;  // "h264"
  std::string audio_codec;  // "aac"
  int width = 0;
  int height = 0;
  int subtitle_streams = 0;
  std::vector<Chapter> chapters;
};
Result<MediaInfo> probe(const std::string& path);

}  // namespace atelier::media
