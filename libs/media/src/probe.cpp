// The facts of a media file read back with libavformat: length, codecs, picture size, subtitle
// tracks and chapters. Used to check what write_mp4 produced.
#include <string>

#include "atelier/media/video.hpp"
#include "ffmpeg.hpp"

namespace atelier::media {

Result<MediaInfo> probe(const std::string& path) {
  using namespace detail;
  AVFormatContext* raw = nullptr;
  int ret = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (ret < 0) {
    return Error::invalid("probe: cannot open \"" + path + "\" as media: " + av_error_text(ret));
  }
  InputPtr input(raw);
  ret = avformat_find_stream_info(raw, nullptr);
  if (ret < 0) {
    return Error::invalid("probe: \"" + path + "\" is not readable media: " + av_error_text(ret));
  }
  MediaInfo info;
  if (raw->duration != kNoPts && raw->duration > 0) {
    info.duration_seconds = static_cast<double>(raw->duration) / AV_TIME_BASE;
  }
  bool any_stream = false;
  for (unsigned i = 0; i < raw->nb_streams; ++i) {
    const AVStream* stream = raw->streams[i];
    const AVCodecParameters* par = stream->codecpar;
    if (info.duration_seconds <= 0 && stream->duration != kNoPts && stream->duration > 0) {
      info.duration_seconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
    }
    switch (par->codec_type) {
      case AVMEDIA_TYPE_VIDEO:
        if (info.video_codec.empty() && (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
          info.video_codec = avcodec_get_name(par->codec_id);
          info.width = par->width;
          info.height = par->height;
          any_stream = true;
        }
        break;
      case AVMEDIA_TYPE_AUDIO:
        if (info.audio_codec.empty()) {
          info.audio_codec = avcodec_get_name(par->codec_id);
          any_stream = true;
        }
        break;
      case AVMEDIA_TYPE_SUBTITLE:
        ++info.subtitle_streams;
        any_stream = true;
        break;
      default:
        break;
    }
  }
  if (!any_stream) {
    return Error::invalid("probe: \"" + path + "\" has no audio, video or subtitle stream");
  }
  for (unsigned i = 0; i < raw->nb_chapters; ++i) {
    const AVChapter* chapter = raw->chapters[i];
    Chapter out;
    if (const AVDictionaryEntry* title = av_dict_get(chapter->metadata, "title", nullptr, 0)) {
      out.title = title->value;
    }
    out.start_seconds = static_cast<double>(chapter->start) * av_q2d(chapter->time_base);
    info.chapters.push_back(std::move(out));
  }
  return info;
}

}  // namespace atelier::media
