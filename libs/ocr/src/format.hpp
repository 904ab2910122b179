// What a document is, decided from its first bytes (the declared content type is only checked
// against them), and the count of frames of a TIFF, read without decoding any of them.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "atelier/core/error.hpp"

namespace atelier::ocr::detail {

enum class Format { kPng, kJpeg, kTiff, kPdf };

std::string_view format_name(Format format);

// kInvalid for an empty file, a format that is not one of the four, or a declared content type
// that names another of them. An empty or application/octet-stream content type is accepted.
Result<Format> sniff(std::span<const std::byte> bytes, std::string_view content_type);

// The number of images (IFDs) of a classic TIFF, counting no further than `cap`; kInvalid for a
// BigTIFF, an IFD outside the file or a loop in the chain of IFDs.
Result<int> count_tiff_frames(std::span<const std::byte> bytes, int cap);

// The structure of a PNG (chunks within the file, their CRCs, IHDR first, IEND last) and of a
// JPEG (segments up to the first scan, an end-of-image marker after it), checked before a codec
// sees the file: libpng and libjpeg print their complaints to stderr, where the service writes
// its JSON log, so a truncated or damaged file is refused here, quietly, with a clear message.
Result<void> check_png_structure(std::span<const std::byte> bytes);
Result<void> check_jpeg_structure(std::span<const std::byte> bytes);

}  // namespace atelier::ocr::detail
