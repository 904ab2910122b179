// The MP4 writer: every frame is drawn with cairo (the shot's panel, zoomed slowly about an
// anchor, cross-faded into the next), converted to yuv420p with swscale and encoded with x264;
// the narration is resampled with swresample and encoded as AAC; subtitles become a mov_text
// track (or are burned in) and chapters go into the container.
#include "atelier/media/video.hpp"

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "canvas.hpp"
#include "ffmpeg.hpp"

namespace atelier::media {

namespace {

using namespace detail;

constexpr int kAudioBitRate = 128000;
constexpr int kInputChunk = 4096;           // narration samples resampled at a time
constexpr double kMaxSeconds = 6 * 3600.0;  // a storyboard video, not a film
constexpr int kMaxFps = 120;
constexpr double kMaxZoom = 2.0;
constexpr AVRational kMillis{1, 1000};

// Where each shot's slow zoom is anchored (share of the frame): varied from shot to shot, near
// the middle across and low down, so that at the default zoom (1.08) no side loses more than
// 5 % and the bottom (a panel's caption band) at most 2 %: panels keep text inside those margins.
constexpr std::array<std::array<double, 2>, 5> kAnchors{
    {{0.5, 0.8}, {0.42, 0.76}, {0.58, 0.84}, {0.45, 0.78}, {0.55, 0.82}}};

constexpr std::array<std::string_view, 10> kPresets{"ultrafast", "superfast", "veryfast", "faster",
                                                    "fast",      "medium",    "slow",     "slower",
                                                    "veryslow",  "placebo"};

// A minimal ASS header: the mov_text encoder reads its default style from it.
constexpr const char* kAssHeader =
    "[Script Info]\n"
    "ScriptType: v4.00+\n"
    "PlayResX: 384\n"
    "PlayResY: 288\n"
    "\n"
    "[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
    "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
    "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,DejaVu Sans,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,"
    "10,0\n"
    "\n"
    "[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";

// FFmpeg's informational chatter (x264's statistics, the muxer's progress) is dropped; its
// warnings and errors still reach stderr. Process-wide, set once.
void quiet_ffmpeg() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_WARNING); });
}

Result<void> validate(const std::vector<Shot>& shots, const Audio& narration,
                      const std::vector<Chapter>& chapters, const VideoOptions& o) {
  if (shots.empty()) {
    return Error::invalid("video: no shots");
  }
  if (o.width <= 0 || o.height <= 0 || o.width % 2 != 0 || o.height % 2 != 0 ||
      o.width > kMaxSide || o.height > kMaxSide) {
    return Error::invalid("video: width and height must be even, 2.." + std::to_string(kMaxSide) +
                          ", got " + std::to_string(o.width) + "x" + std::to_string(o.height));
  }
  if (o.fps < 1 || o.fps > kMaxFps) {
    return Error::invalid("video: fps must be 1.." + std::to_string(kMaxFps));
  }
  if (!(o.crossfade_seconds >= 0) || !(o.zoom >= 1.0 && o.zoom <= kMaxZoom)) {
    return Error::invalid("video: crossfade must be >= 0 and zoom 1..2");
  }
  if (o.crf < 0 || o.crf > 51) {
    return Error::invalid("video: crf must be 0..51");
  }
  if (o.preset == nullptr ||
      std::find(kPresets.begin(), kPresets.end(), std::string_view(o.preset)) == kPresets.end()) {
    return Error::invalid(std::string("video: unknown x264 preset \"") +
                          (o.preset != nullptr ? o.preset : "") + "\"");
  }
  double total = 0;
  for (size_t i = 0; i < shots.size(); ++i) {
    const std::string what = "video: shot " + std::to_string(i);
    if (shots[i].image == nullptr) {
      return Error::invalid(what + " has no image");
    }
    if (auto checked = check_image(*shots[i].image, what.c_str()); !checked) {
      return std::move(checked).error();
    }
    if (!(shots[i].seconds > 0) || !std::isfinite(shots[i].seconds)) {
      return Error::invalid(what + " must last a positive number of seconds");
    }
    total += shots[i].seconds;
  }
  if (!narration.samples.empty() &&
      (narration.sample_rate < 8000 || narration.sample_rate > 192000)) {
    return Error::invalid("video: the narration's sample rate must be 8000..192000");
  }
  total = std::max(total, narration.seconds());
  if (total > kMaxSeconds) {
    return Error::invalid("video: longer than 6 hours");
  }
  for (const auto& chapter : chapters) {
    if (!(chapter.start_seconds >= 0) || chapter.start_seconds >= total) {
      return Error::invalid("video: chapter \"" + chapter.title + "\" starts outside the video");
    }
  }
  return {};
}

// When each shot starts, and how long it lasts (the last one padded to the video's length).
struct Timeline {
  std::vector<double> start;
  std::vector<double> length;
  std::vector<double> fade;  // cross-fade from the previous shot at this shot's start
  double total = 0;

  Timeline(const std::vector<Shot>& shots, double narration, double crossfade) {
    double t = 0;
    for (size_t i = 0; i < shots.size(); ++i) {
      start.push_back(t);
      length.push_back(shots[i].seconds);
      fade.push_back(
          i == 0 ? 0.0 : std::min({crossfade, shots[i].seconds / 2, shots[i - 1].seconds / 2}));
      t += shots[i].seconds;
    }
    total = std::max(t, narration);
    length.back() = total - start.back();
  }

  size_t shot_at(double t) const {
    const auto it = std::upper_bound(start.begin(), start.end(), t);
    return it == start.begin() ? 0 : static_cast<size_t>(it - start.begin()) - 1;
  }
};

// The shot's own ASS dialogue line for the mov_text encoder: override braces and backslashes
// are neutralised, newlines become ASS line breaks.
std::string ass_dialogue(const std::string& text) {
  std::string out = "0,0,Default,,0,0,0,,";
  for (const char c : text) {
    if (c == '\n') {
      out += "\\N";
    } else if (c == '{') {
      out += '(';
    } else if (c == '}') {
      out += ')';
    } else if (c == '\\') {
      out += '/';
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

class Mp4Writer {
 public:
  Mp4Writer(const std::vector<Shot>& shots, const Audio& narration,
            const std::vector<Chapter>& chapters, const VideoOptions& options)
      : shots_(shots),
        narration_(narration),
        chapters_(chapters),
        o_(options),
        timeline_(shots, narration.seconds(), options.crossfade_seconds) {}

  Result<void> write(const std::string& path) {
    if (auto r = open(path); !r) {
      return r;
    }
    if (auto r = prepare_drawing(); !r) {
      return r;
    }
    const auto frames = static_cast<int64_t>(std::ceil(timeline_.total * o_.fps - 1e-6));
    size_t next_subtitle = 0;
    for (int64_t k = 0; k < frames; ++k) {
      const double t = static_cast<double>(k) / o_.fps;
      while (next_subtitle < shots_.size() && timeline_.start[next_subtitle] <= t + 1e-9) {
        if (auto r = write_subtitle(next_subtitle++); !r) {
          return r;
        }
      }
      if (auto r = write_video_frame(k, t); !r) {
        return r;
      }
      if (auto r = write_audio_until(static_cast<double>(k + 1) / o_.fps); !r) {
        return r;
      }
    }
    if (auto r = write_audio_until(timeline_.total + 1); !r) {
      return r;
    }
    if (auto r = encode(audio_.get(), audio_stream_, nullptr); !r) {
      return r;
    }
    if (auto r = encode(video_.get(), video_stream_, nullptr); !r) {
      return r;
    }
    if (const int ret = av_write_trailer(out_.get()); ret < 0) {
      return av_failure("MP4 trailer", ret);
    }
    out_.reset();  // closes the file
    return {};
  }

  bool created_file() const { return created_file_; }
  void close() { out_.reset(); }

 private:
  Result<void> open(const std::string& path) {
    AVFormatContext* raw = nullptr;
    int ret = avformat_alloc_output_context2(&raw, nullptr, "mp4", path.c_str());
    if (ret < 0 || raw == nullptr) {
      return av_failure("MP4 muxer", ret);
    }
    out_.reset(raw);
    if (auto r = open_video(); !r) {
      return r;
    }
    if (auto r = open_audio(); !r) {
      return r;
    }
    if (auto r = open_subtitles(); !r) {
      return r;
    }
    if (auto r = add_chapters(); !r) {
      return r;
    }
    ret = avio_open(&out_->pb, path.c_str(), AVIO_FLAG_WRITE);
    if (ret < 0) {
      return av_failure("cannot write " + path, ret);
    }
    created_file_ = true;
    Dictionary options;
    options.set("movflags", "+faststart");
    ret = avformat_write_header(out_.get(), options.address());
    if (ret < 0) {
      return av_failure("MP4 header", ret);
    }
    return {};
  }

  // Opens the encoder and adds its stream to the MP4.
  Result<AVStream*> add_stream(AVCodecContext* codec, const AVCodec* encoder) {
    if ((out_->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
      codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    if (const int ret = avcodec_open2(codec, encoder, nullptr); ret < 0) {
      return av_failure(std::string("opening the ") + encoder->name + " encoder", ret);
    }
    AVStream* stream = avformat_new_stream(out_.get(), nullptr);
    if (stream == nullptr) {
      return Error::internal("MP4: cannot add a stream");
    }
    stream->time_base = codec->time_base;
    if (const int ret = avcodec_parameters_from_context(stream->codecpar, codec); ret < 0) {
      return av_failure("stream parameters", ret);
    }
    return stream;
  }

  Result<void> open_video() {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    const bool x264 = codec != nullptr;
    if (codec == nullptr) {
      codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    }
    if (codec == nullptr) {
      return Error::unavailable("video: no H.264 encoder in this FFmpeg");
    }
    video_.reset(avcodec_alloc_context3(codec));
    if (!video_) {
      return Error::internal("video: out of memory");
    }
    AVCodecContext* c = video_.get();
    c->width = o_.width;
    c->height = o_.height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = {1, o_.fps};
    c->framerate = {o_.fps, 1};
    c->gop_size = o_.fps * 2;
    if (x264) {
      av_opt_set(c->priv_data, "preset", o_.preset, 0);
      av_opt_set(c->priv_data, "crf", std::to_string(o_.crf).c_str(), 0);
    }
    auto stream = add_stream(c, codec);
    if (!stream) {
      return std::move(stream).error();
    }
    video_stream_ = *stream;
    video_stream_->avg_frame_rate = c->framerate;
    return {};
  }

  Result<void> open_audio() {
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (codec == nullptr) {
      return Error::unavailable("video: no AAC encoder in this FFmpeg");
    }
    audio_.reset(avcodec_alloc_context3(codec));
    if (!audio_) {
      return Error::internal("video: out of memory");
    }
    AVCodecContext* c = audio_.get();
    c->sample_fmt = codec->sample_fmts != nullptr ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    c->sample_rate = 48000;
    if (codec->supported_samplerates != nullptr) {
      bool has48k = false;
      for (const int* r = codec->supported_samplerates; *r != 0; ++r) {
        has48k = has48k || *r == 48000;
      }
      c->sample_rate = has48k ? 48000 : codec->supported_samplerates[0];
    }
    av_channel_layout_default(&c->ch_layout, 2);
    c->bit_rate = kAudioBitRate;
    c->time_base = {1, c->sample_rate};
    auto stream = add_stream(c, codec);
    if (!stream) {
      return std::move(stream).error();
    }
    audio_stream_ = *stream;
    small_last_frame_ = (codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0 ||
                        (codec->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME) != 0;
    frame_size_ = c->frame_size > 0 ? c->frame_size : 1024;
    audio_total_ = std::llround(timeline_.total * c->sample_rate);

    AVChannelLayout mono{};
    av_channel_layout_default(&mono, 1);
    SwrContext* swr = nullptr;
    const int in_rate = narration_.sample_rate > 0 ? narration_.sample_rate : c->sample_rate;
    int ret = swr_alloc_set_opts2(&swr, &c->ch_layout, c->sample_fmt, c->sample_rate, &mono,
                                  AV_SAMPLE_FMT_S16, in_rate, 0, nullptr);
    av_channel_layout_uninit(&mono);
    if (ret < 0) {
      return av_failure("resampler", ret);
    }
    resampler_.reset(swr);
    if (ret = swr_init(swr); ret < 0) {
      return av_failure("resampler", ret);
    }
    fifo_.reset(av_audio_fifo_alloc(c->sample_fmt, c->ch_layout.nb_channels, frame_size_ * 4));
    audio_frame_.reset(av_frame_alloc());
    if (!fifo_ || !audio_frame_) {
      return Error::internal("video: out of memory");
    }
    AVFrame* f = audio_frame_.get();
    f->format = c->sample_fmt;
    f->sample_rate = c->sample_rate;
    f->nb_samples = frame_size_;
    if (ret = av_channel_layout_copy(&f->ch_layout, &c->ch_layout); ret < 0) {
      return av_failure("audio frame", ret);
    }
    if (ret = av_frame_get_buffer(f, 0); ret < 0) {
      return av_failure("audio frame", ret);
    }
    return {};
  }

  Result<void> open_subtitles() {
    const bool any = std::any_of(shots_.begin(), shots_.end(),
                                 [](const Shot& s) { return !s.subtitle.empty(); });
    if (o_.burn_subtitles || !any) {
      return {};
    }
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MOV_TEXT);
    if (codec == nullptr) {
      return Error::unavailable("video: no mov_text encoder in this FFmpeg");
    }
    subtitles_.reset(avcodec_alloc_context3(codec));
    if (!subtitles_) {
      return Error::internal("video: out of memory");
    }
    AVCodecContext* c = subtitles_.get();
    c->time_base = kMillis;
    const size_t size = std::strlen(kAssHeader);
    c->subtitle_header = static_cast<uint8_t*>(av_mallocz(size + 1));  // freed with the context
    if (c->subtitle_header == nullptr) {
      return Error::internal("video: out of memory");
    }
    std::memcpy(c->subtitle_header, kAssHeader, size);
    c->subtitle_header_size = static_cast<int>(size);
    auto stream = add_stream(c, codec);
    if (!stream) {
      return std::move(stream).error();
    }
    subtitle_stream_ = *stream;
    return {};
  }

  Result<void> add_chapters() {
    if (chapters_.empty()) {
      return {};
    }
    std::vector<Chapter> sorted = chapters_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Chapter& a, const Chapter& b) {
      return a.start_seconds < b.start_seconds;
    });
    AVFormatContext* f = out_.get();
    f->chapters = static_cast<AVChapter**>(av_calloc(sorted.size(), sizeof(AVChapter*)));
    if (f->chapters == nullptr) {
      return Error::internal("video: out of memory");
    }
    for (size_t i = 0; i < sorted.size(); ++i) {
      auto* chapter = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
      if (chapter == nullptr) {
        return Error::internal("video: out of memory");
      }
      f->chapters[i] = chapter;
      f->nb_chapters = static_cast<unsigned>(i + 1);  // avformat_free_context frees these
      const double end = i + 1 < sorted.size() ? sorted[i + 1].start_seconds : timeline_.total;
      chapter->id = static_cast<int64_t>(i + 1);
      chapter->time_base = kMillis;
      chapter->start = std::llround(sorted[i].start_seconds * 1000);
      chapter->end = std::llround(end * 1000);
      av_dict_set(&chapter->metadata, "title", sorted[i].title.c_str(), 0);
    }
    return {};
  }

  Result<void> prepare_drawing() {
    auto canvas = new_surface(o_.width, o_.height);
    if (!canvas) {
      return std::move(canvas).error();
    }
    canvas_ = std::move(canvas).value();
    context_ = new_context(canvas_.get());
    for (const auto& shot : shots_) {
      // cairo only reads a source surface: the caller's pixels are used in place.
      const Image& image = *shot.image;
      sources_.emplace_back(cairo_image_surface_create_for_data(
          const_cast<unsigned char*>(image.bgra.data()), CAIRO_FORMAT_ARGB32, image.width,
          image.height, image.width * 4));
      if (cairo_surface_status(sources_.back().get()) != CAIRO_STATUS_SUCCESS) {
        return Error::internal("cairo: cannot wrap a shot's image");
      }
    }
    scaler_.reset(sws_getContext(o_.width, o_.height, AV_PIX_FMT_BGRA, o_.width, o_.height,
                                 AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr));
    video_frame_.reset(av_frame_alloc());
    packet_.reset(av_packet_alloc());
    if (!scaler_ || !video_frame_ || !packet_) {
      return Error::internal("video: out of memory");
    }
    AVFrame* f = video_frame_.get();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = o_.width;
    f->height = o_.height;
    if (const int ret = av_frame_get_buffer(f, 0); ret < 0) {
      return av_failure("video frame", ret);
    }
    return {};
  }

  // Shot i at `progress` (0 at its start, 1 at its end) laid over the canvas.
  void draw_shot(size_t i, double progress, double alpha) {
    cairo_t* cr = context_.get();
    const Image& image = *shots_[i].image;
    const double w = o_.width;
    const double h = o_.height;
    const double cover = std::max(w / image.width, h / image.height);
    const double zoom = 1 + (o_.zoom - 1) * progress;
    const auto& anchor = kAnchors[i % kAnchors.size()];
    const double ax = anchor[0] * w;
    const double ay = anchor[1] * h;
    cairo_save(cr);
    cairo_translate(cr, ax, ay);
    cairo_scale(cr, zoom, zoom);
    cairo_translate(cr, w / 2 - ax, h / 2 - ay);
    cairo_scale(cr, cover, cover);
    cairo_translate(cr, -image.width / 2.0, -image.height / 2.0);
    cairo_set_source_surface(cr, sources_[i].get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_paint_with_alpha(cr, alpha);
    cairo_restore(cr);
  }

  void draw_burned_subtitle(const std::string& text) {
    if (text.empty()) {
      return;
    }
    cairo_t* cr = context_.get();
    const double w = o_.width;
    const double h = o_.height;
    const double pad = h * 0.015;
    cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    const auto block = fit_text(cr, text, w * 0.86, h * 0.2, h * 0.05, h * 0.03);
    double widest = 0;
    for (const auto& line : block.lines) {
      cairo_text_extents_t ext;
      cairo_text_extents(cr, line.c_str(), &ext);
      widest = std::max(widest, ext.x_advance);
    }
    cairo_font_extents_t font;
    cairo_font_extents(cr, &font);
    const double text_h = static_cast<double>(block.lines.size()) * block.line_height;
    const double top = h * 0.94 - text_h;
    cairo_set_source_rgba(cr, 0, 0, 0, 0.62);
    cairo_rectangle(cr, (w - widest) / 2 - 2 * pad, top - pad, widest + 4 * pad, text_h + 2 * pad);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    double y = top + (block.line_height - font.height) / 2 + font.ascent;
    for (const auto& line : block.lines) {
      cairo_text_extents_t ext;
      cairo_text_extents(cr, line.c_str(), &ext);
      cairo_move_to(cr, (w - ext.x_advance) / 2, y);
      cairo_show_text(cr, line.c_str());
      y += block.line_height;
    }
  }

  Result<void> write_video_frame(int64_t index, double t) {
    cairo_t* cr = context_.get();
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    const size_t i = timeline_.shot_at(t);
    const double into = t - timeline_.start[i];
    const double fade = timeline_.fade[i];
    if (i > 0 && fade > 0 && into < fade) {
      const double before = (t - timeline_.start[i - 1]) / timeline_.length[i - 1];
      draw_shot(i - 1, std::min(before, 1.2), 1.0);
      draw_shot(i, into / timeline_.length[i], into / fade);
    } else {
      draw_shot(i, into / timeline_.length[i], 1.0);
    }
    if (o_.burn_subtitles) {
      draw_burned_subtitle(shots_[i].subtitle);
    }
    cairo_surface_flush(canvas_.get());
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
      return Error::internal(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr)));
    }
    AVFrame* f = video_frame_.get();
    if (const int ret = av_frame_make_writable(f); ret < 0) {
      return av_failure("video frame", ret);
    }
    const uint8_t* src[1] = {cairo_image_surface_get_data(canvas_.get())};
    const int stride[1] = {cairo_image_surface_get_stride(canvas_.get())};
    sws_scale(scaler_.get(), src, stride, 0, o_.height, f->data, f->linesize);
    f->pts = index;
    return encode(video_.get(), video_stream_, f);
  }

  // Resamples narration into the FIFO until it holds `wanted` samples or the narration is over.
  Result<void> fill_fifo(int wanted) {
    AVCodecContext* c = audio_.get();
    while (av_audio_fifo_size(fifo_.get()) < wanted && !resampled_all_) {
      const size_t left = narration_.samples.size() - std::min(narration_.samples.size(), read_);
      const int in_count = static_cast<int>(std::min<size_t>(left, kInputChunk));
      const int capacity = swr_get_out_samples(resampler_.get(), in_count) + 16;
      const int channels = c->ch_layout.nb_channels;
      std::vector<std::vector<uint8_t>> planes(channels);
      std::vector<uint8_t*> pointers(channels);
      const int bytes = capacity * av_get_bytes_per_sample(c->sample_fmt) *
                        (av_sample_fmt_is_planar(c->sample_fmt) != 0 ? 1 : channels);
      for (int ch = 0; ch < channels; ++ch) {
        planes[ch].resize(bytes);
        pointers[ch] = planes[ch].data();
      }
      const uint8_t* in = reinterpret_cast<const uint8_t*>(narration_.samples.data() + read_);
      const int got = in_count > 0
                          ? swr_convert(resampler_.get(), pointers.data(), capacity, &in, in_count)
                          : swr_convert(resampler_.get(), pointers.data(), capacity, nullptr, 0);
      if (got < 0) {
        return av_failure("resampling the narration", got);
      }
      read_ += static_cast<size_t>(in_count);
      if (in_count == 0 && got == 0) {
        resampled_all_ = true;
      }
      if (got > 0 &&
          av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(pointers.data()), got) < got) {
        return Error::internal("video: audio FIFO full");
      }
    }
    return {};
  }

  // Encodes audio frames until the audio reaches `seconds` or the video's length.
  Result<void> write_audio_until(double seconds) {
    AVCodecContext* c = audio_.get();
    const int64_t until = std::min<int64_t>(audio_total_, std::llround(seconds * c->sample_rate));
    while (audio_written_ < until) {
      const int n = static_cast<int>(std::min<int64_t>(frame_size_, audio_total_ - audio_written_));
      if (auto r = fill_fifo(n); !r) {
        return r;
      }
      AVFrame* f = audio_frame_.get();
      if (const int ret = av_frame_make_writable(f); ret < 0) {
        return av_failure("audio frame", ret);
      }
      f->nb_samples = small_last_frame_ ? n : frame_size_;
      av_samples_set_silence(f->data, 0, f->nb_samples, c->ch_layout.nb_channels, c->sample_fmt);
      const int available = std::min(n, av_audio_fifo_size(fifo_.get()));
      if (available > 0 &&
          av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(f->data), available) < 0) {
        return Error::internal("video: audio FIFO read");
      }
      f->pts = audio_written_;
      audio_written_ += n;
      if (auto r = encode(c, audio_stream_, f); !r) {
        return r;
      }
    }
    return {};
  }

  Result<void> write_subtitle(size_t i) {
    if (!subtitles_ || shots_[i].subtitle.empty()) {
      return {};
    }
    const int64_t start = std::llround(timeline_.start[i] * 1000);
    const int64_t end = std::llround((timeline_.start[i] + timeline_.length[i]) * 1000);
    std::string line = ass_dialogue(shots_[i].subtitle);
    AVSubtitleRect rect{};
    rect.type = SUBTITLE_ASS;
    rect.ass = line.data();
    AVSubtitleRect* rects[1] = {&rect};
    AVSubtitle sub{};
    sub.format = 1;  // text
    sub.start_display_time = 0;
    sub.end_display_time = static_cast<uint32_t>(end - start);
    sub.num_rects = 1;
    sub.rects = rects;
    sub.pts = start * 1000;  // AV_TIME_BASE units
    std::vector<uint8_t> buffer(line.size() * 4 + 1024);
    const int size = avcodec_encode_subtitle(subtitles_.get(), buffer.data(),
                                             static_cast<int>(buffer.size()), &sub);
    if (size < 0) {
      return av_failure("encoding a subtitle", size);
    }
    AVPacket* p = packet_.get();
    if (const int ret = av_new_packet(p, size); ret < 0) {
      return av_failure("subtitle packet", ret);
    }
    std::memcpy(p->data, buffer.data(), static_cast<size_t>(size));
    p->pts = start;
    p->dts = start;
    p->duration = end - start;
    p->stream_index = subtitle_stream_->index;
    av_packet_rescale_ts(p, kMillis, subtitle_stream_->time_base);
    if (const int ret = av_interleaved_write_frame(out_.get(), p); ret < 0) {
      return av_failure("writing a subtitle", ret);
    }
    return {};
  }

  // Sends a frame (nullptr: flush) and writes every packet the encoder gives back.
  Result<void> encode(AVCodecContext* codec, AVStream* stream, const AVFrame* frame) {
    int ret = avcodec_send_frame(codec, frame);
    if (ret < 0) {
      return av_failure(std::string("encoding with ") + codec->codec->name, ret);
    }
    AVPacket* p = packet_.get();
    for (;;) {
      ret = avcodec_receive_packet(codec, p);
      if (ret == kAgain || ret == kEof) {
        return {};
      }
      if (ret < 0) {
        return av_failure(std::string("encoding with ") + codec->codec->name, ret);
      }
      av_packet_rescale_ts(p, codec->time_base, stream->time_base);
      p->stream_index = stream->index;
      ret = av_interleaved_write_frame(out_.get(), p);
      if (ret < 0) {
        return av_failure("writing the MP4", ret);
      }
    }
  }

  const std::vector<Shot>& shots_;
  const Audio& narration_;
  const std::vector<Chapter>& chapters_;
  const VideoOptions& o_;
  Timeline timeline_;

  OutputPtr out_;
  CodecPtr video_;
  CodecPtr audio_;
  CodecPtr subtitles_;
  AVStream* video_stream_ = nullptr;
  AVStream* audio_stream_ = nullptr;
  AVStream* subtitle_stream_ = nullptr;

  SurfacePtr canvas_;
  ContextPtr context_;
  std::vector<SurfacePtr> sources_;
  SwsPtr scaler_;
  FramePtr video_frame_;
  PacketPtr packet_;

  SwrPtr resampler_;
  FifoPtr fifo_;
  FramePtr audio_frame_;
  int frame_size_ = 1024;
  bool small_last_frame_ = false;
  int64_t audio_total_ = 0;    // samples at the encoder's rate: the video's length
  int64_t audio_written_ = 0;  // samples sent to the encoder
  size_t read_ = 0;            // narration samples resampled
  bool resampled_all_ = false;
  bool created_file_ = false;
};

}  // namespace

Result<void> write_mp4(const std::string& path, const std::vector<Shot>& shots,
                       const Audio& narration, const std::vector<Chapter>& chapters,
                       const VideoOptions& options) {
  if (path.empty()) {
    return Error::invalid("video: no output path");
  }
  quiet_ffmpeg();
  if (auto valid = validate(shots, narration, chapters, options); !valid) {
    return valid;
  }
  Mp4Writer writer(shots, narration, chapters, options);
  auto written = writer.write(path);
  if (!written && writer.created_file()) {
    writer.close();
    std::error_code ec;
    std::filesystem::remove(path, ec);  // no half-written file left behind
  }
  return written;
}

}  // namespace atelier::media
