#include "format.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace atelier::ocr::detail {

namespace {

bool starts_with(std::span<const std::byte> bytes, std::initializer_list<int> magic) {
  if (bytes.size() < magic.size()) {
    return false;
  }
  return std::equal(magic.begin(), magic.end(), bytes.begin(),
                    [](int m, std::byte b) { return std::to_integer<int>(b) == m; });
}

// Readers tolerate some bytes before "%PDF-" (a mail gateway's or a scanner's preamble); so does
// poppler, within its first kilobyte.
bool is_pdf(std::span<const std::byte> bytes) {
  constexpr std::string_view kMagic = "%PDF-";
  const auto head = bytes.first(std::min<size_t>(bytes.size(), 1024));
  const auto* begin = reinterpret_cast<const char*>(head.data());
  return std::string_view(begin, head.size()).find(kMagic) != std::string_view::npos;
}

std::optional<Format> format_of(std::span<const std::byte> bytes) {
  if (starts_with(bytes, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
    return Format::kPng;
  }
  if (starts_with(bytes, {0xFF, 0xD8, 0xFF})) {
    return Format::kJpeg;
  }
  if (starts_with(bytes, {'I', 'I', 42, 0}) || starts_with(bytes, {'M', 'M', 0, 42}) ||
      starts_with(bytes, {'I', 'I', 43, 0}) || starts_with(bytes, {'M', 'M', 0, 43})) {
    return Format::kTiff;
  }
  if (is_pdf(bytes)) {
    return Format::kPdf;
  }
  return std::nullopt;
}

// "Image/PNG; foo=bar" -> "image/png".
std::string media_type(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  out.erase(
      std::remove_if(out.begin(), out.end(), [](unsigned char c) { return std::isspace(c) != 0; }),
      out.end());
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<Format> declared_format(std::string_view type) {
  if (type == "image/png") {
    return Format::kPng;
  }
  if (type == "image/jpeg" || type == "image/jpg" || type == "image/pjpeg") {
    return Format::kJpeg;
  }
  if (type == "image/tiff" || type == "image/tif") {
    return Format::kTiff;
  }
  if (type == "application/pdf" || type == "application/x-pdf") {
    return Format::kPdf;
  }
  return std::nullopt;
}

uint32_t crc32(std::span<const std::byte> bytes) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) {
        c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      }
      table[n] = c;
    }
    return table;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (const std::byte b : bytes) {
    crc = kTable[(crc ^ std::to_integer<uint32_t>(b)) & 0xFF] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFu;
}

uint32_t big_endian(std::span<const std::byte> bytes, size_t at, int size) {
  uint32_t v = 0;
  for (int i = 0; i < size; ++i) {
    v = (v << 8) | std::to_integer<uint32_t>(bytes[at + static_cast<size_t>(i)]);
  }
  return v;
}

}  // namespace

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kPng:
      return "PNG";
    case Format::kJpeg:
      return "JPEG";
    case Format::kTiff:
      return "TIFF";
    case Format::kPdf:
      return "PDF";
  }
  return "?";
}

Result<Format> sniff(std::span<const std::byte> bytes, std::string_view content_type) {
  if (bytes.empty()) {
    return Error::invalid("the document is empty");
  }
  const auto format = format_of(bytes);
  const std::string type = media_type(content_type);
  if (!format) {
    return Error::invalid("unsupported document: neither PNG, JPEG, TIFF nor PDF (declared '" +
                          type + "')");
  }
  if (type.empty() || type == "application/octet-stream") {
    return *format;
  }
  const auto declared = declared_format(type);
  if (declared != format) {
    return Error::invalid("the document is a " + std::string(format_name(*format)) +
                          " but was declared as '" + type + "'");
  }
  return *format;
}

Result<int> count_tiff_frames(std::span<const std::byte> bytes, int cap) {
  if (bytes.size() < 8) {
    return Error::invalid("truncated TIFF header");
  }
  const bool little = std::to_integer<char>(bytes[0]) == 'I';
  auto read = [&](uint64_t at, int size) -> std::optional<uint32_t> {
    if (at + static_cast<uint64_t>(size) > bytes.size()) {
      return std::nullopt;
    }
    uint32_t v = 0;
    for (int i = 0; i < size; ++i) {
      const auto b = std::to_integer<uint32_t>(bytes[at + static_cast<uint64_t>(i)]);
      v |= little ? b << (8 * i) : b << (8 * (size - 1 - i));
    }
    return v;
  };
  if (read(2, 2) == 43u) {
    return Error::invalid("BigTIFF files are not supported");
  }
  std::set<uint32_t> seen;  // an IFD chain that loops back would never end
  int frames = 0;
  std::optional<uint32_t> offset = read(4, 4);
  while (offset && *offset != 0 && frames < cap) {
    if (!seen.insert(*offset).second) {
      return Error::invalid("corrupt TIFF: its chain of images loops");
    }
    const auto entries = read(*offset, 2);
    if (!entries) {
      return Error::invalid("corrupt TIFF: an image directory lies outside the file");
    }
    ++frames;
    offset = read(uint64_t{*offset} + 2 + uint64_t{*entries} * 12, 4);
    if (!offset) {
      return Error::invalid("corrupt TIFF: truncated image directory");
    }
  }
  if (frames == 0) {
    return Error::invalid("corrupt TIFF: no image");
  }
  return frames;
}

Result<void> check_png_structure(std::span<const std::byte> bytes) {
  constexpr size_t kSignature = 8;
  size_t at = kSignature;
  bool first = true;
  while (at + 12 <= bytes.size()) {
    const uint32_t length = big_endian(bytes, at, 4);
    const auto type = bytes.subspan(at + 4, 4);
    const std::string name(reinterpret_cast<const char*>(type.data()), 4);
    if (length > bytes.size() - at - 12) {
      return Error::invalid("truncated PNG: chunk " + name + " runs past the end of the file");
    }
    if (first && name != "IHDR") {
      return Error::invalid("corrupt PNG: it does not start with its header chunk");
    }
    first = false;
    if (crc32(bytes.subspan(at + 4, length + 4)) != big_endian(bytes, at + 8 + length, 4)) {
      return Error::invalid("corrupt PNG: chunk " + name + " fails its checksum");
    }
    if (name == "IEND") {
      return {};
    }
    at += 12 + length;
  }
  return Error::invalid("truncated PNG: it ends before its last chunk");
}

Result<void> check_jpeg_structure(std::span<const std::byte> bytes) {
  auto at_byte = [&](size_t i) { return std::to_integer<unsigned>(bytes[i]); };
  size_t at = 2;  // after SOI
  for (;;) {
    if (at + 2 > bytes.size()) {
      return Error::invalid("truncated JPEG: it ends before its image data");
    }
    if (at_byte(at) != 0xFF) {
      return Error::invalid("corrupt JPEG: expected a marker at byte " + std::to_string(at));
    }
    const unsigned marker = at_byte(at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI, EOI; none belongs before the first scan.
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {
      return Error::invalid("corrupt JPEG: unexpected marker before its image data");
    }
    if (at + 4 > bytes.size()) {
      return Error::invalid("truncated JPEG: it ends inside a segment header");
    }
    const uint32_t length = big_endian(bytes, at + 2, 2);
    if (length < 2 || at + 2 + length > bytes.size()) {
      return Error::invalid("truncated JPEG: a segment runs past the end of the file");
    }
    at += 2 + length;
    if (marker == 0xDA) {  // start of scan: entropy-coded data follows
      break;
    }
  }
  // In entropy-coded data 0xFF is followed by 0x00 or a restart marker, so FF D9 is the end of
  // the image (a progressive file's later scans and tables may lie in between).
  for (size_t i = at; i + 1 < bytes.size(); ++i) {
    if (at_byte(i) == 0xFF && at_byte(i + 1) == 0xD9) {
      return {};
    }
  }
  return Error::invalid("truncated JPEG: it has no end-of-image marker");
}

}  // namespace atelier::ocr::detail
