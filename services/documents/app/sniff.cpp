#include "documents/app/sniff.hpp"

#include <fstream>

namespace atelier::documents::app {

namespace {

constexpr size_t kHeadBytes = 64 * 1024;

bool starts(std::string_view head, std::string_view magic) {
  return head.substr(0, magic.size()) == magic;
}

// Valid UTF-8 without control characters other than tab, newlines, form feed and a BOM.
bool is_text(std::string_view head, bool truncated) {
  if (head.empty()) {
    return true;
  }
  size_t i = 0;
  while (i < head.size()) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
        return false;
      }
      if (c == 0x7f) {
        return false;
      }
      ++i;
      continue;
    }
    size_t extra = 0;
    if ((c & 0xe0) == 0xc0 && c >= 0xc2) {
      extra = 1;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
    } else if ((c & 0xf8) == 0xf0 && c <= 0xf4) {
      extra = 3;
    } else {
      return false;
    }
    if (i + extra >= head.size()) {
      return truncated;  // a character cut by the end of the sample
    }
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(head[i + k]) & 0xc0) != 0x80) {
        return false;
      }
    }
    i += extra + 1;
  }
  return true;
}

std::string zip_type(std::string_view head) {
  // EPUB (OCF): the first entry is an uncompressed "mimetype" holding the media type.
  if (head.size() >= 58 && head.substr(30, 8) == "mimetype" &&
      head.substr(38, 20) == "application/epub+zip") {
    return "application/epub+zip";
  }
  // Office Open XML: the parts' names show in the local file headers.
  if (head.find("[Content_Types].xml") != std::string_view::npos ||
      head.find("_rels/.rels") != std::string_view::npos) {
    if (head.find("word/") != std::string_view::npos) {
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    if (head.find("xl/") != std::string_view::npos) {
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
  }
  return "application/zip";
}

}  // namespace

std::string sniff_content_type(std::string_view head) {
  if (starts(head, "%PDF-")) {
    return "application/pdf";
  }
  if (starts(head, "\x89PNG\r\n\x1a\n")) {
    return "image/png";
  }
  if (starts(head, "\xff\xd8\xff")) {
    return "image/jpeg";
  }
  if (starts(head, std::string_view("II*\0", 4)) || starts(head, std::string_view("MM\0*", 4))) {
    return "image/tiff";
  }
  if (starts(head, "PK\x03\x04")) {
    return zip_type(head);
  }
  // ISO base media (MP4, QuickTime): a first box of type "ftyp"; its brand tells them apart.
  if (head.size() >= 12 && head.substr(4, 4) == "ftyp") {
    const std::string_view brand = head.substr(8, 4);
    if (brand == "qt  ") {
      return "video/quicktime";
    }
    if (brand == "M4A ") {
      return "audio/mp4";
    }
    return "video/mp4";
  }
  if (head.size() >= 12 && starts(head, "RIFF") && head.substr(8, 4) == "WAVE") {
    return "audio/wav";
  }
  if (starts(head, "WEBVTT") && (head.size() == 6 || head[6] == '\n' || head[6] == '\r' ||
                                 head[6] == ' ' || head[6] == '\t')) {
    return "text/vtt; charset=utf-8";
  }
  const bool truncated = head.size() >= kHeadBytes;
  std::string_view text = head;
  if (starts(text, "\xef\xbb\xbf")) {
    text.remove_prefix(3);
  }
  if (is_text(text, truncated)) {
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

std::string sniff_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "application/octet-stream";
  }
  std::string head(kHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return sniff_content_type(head);
}

}  // namespace atelier::documents::app
