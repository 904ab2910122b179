// FFmpeg plumbing for the MP4 writer and the probe: owning handles, error text, and the few
// constants whose C macros use casts or compound literals that C++ rejects or warns about.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <cerrno>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "atelier/core/error.hpp"

namespace atelier::media::detail {

inline constexpr int kAgain = -EAGAIN;  // AVERROR(EAGAIN)
// AVERROR_EOF: FFERRTAG('E', 'O', 'F', ' ').
inline constexpr int kEof =
    -static_cast<int>(static_cast<unsigned>('E') | (static_cast<unsigned>('O') << 8) |
                      (static_cast<unsigned>('F') << 16) | (static_cast<unsigned>(' ') << 24));
inline constexpr int64_t kNoPts = std::numeric_limits<int64_t>::min();  // AV_NOPTS_VALUE

inline std::string av_error_text(int code) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(code, buffer, sizeof buffer) < 0) {
    return "error " + std::to_string(code);
  }
  return buffer;
}

// Error::internal("what: FFmpeg's text for code").
inline Error av_failure(const std::string& what, int code) {
  return Error::internal(what + ": " + av_error_text(code));
}

struct InputDeleter {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct OutputDeleter {
  void operator()(AVFormatContext* f) const {
    if (f->pb != nullptr && (f->oformat->flags & AVFMT_NOFILE) == 0) {
      avio_closep(&f->pb);
    }
    avformat_free_context(f);
  }
};
struct CodecDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
struct SwrDeleter {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
struct FifoDeleter {
  void operator()(AVAudioFifo* f) const { av_audio_fifo_free(f); }
};

using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;
using OutputPtr = std::unique_ptr<AVFormatContext, OutputDeleter>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;
using FifoPtr = std::unique_ptr<AVAudioFifo, FifoDeleter>;

// An AVDictionary freed at the end of the scope.
class Dictionary {
 public:
  Dictionary() = default;
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;
  ~Dictionary() { av_dict_free(&dict_); }
  void set(const char* key, const char* value) { av_dict_set(&dict_, key, value, 0); }
  AVDictionary** address() { return &dict_; }

 private:
  AVDictionary* dict_ = nullptr;
};

}  // namespace atelier::media::detail
