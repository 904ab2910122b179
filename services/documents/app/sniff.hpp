// What a file is, read from its first bytes: the client's Content-Type is never trusted (a PNG
// sent as text/plain is stored as image/png, a script sent as image/png is not an image).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace atelier::documents::app {

// The media type of a file that starts with `head` (the first 64 KiB are enough): PDF, PNG, JPEG,
// TIFF, EPUB, DOCX, XLSX, other ZIP, UTF-8 plain text, else application/octet-stream.
std::string sniff_content_type(std::string_view head);

// The same for a file on disk; application/octet-stream when it cannot be read.
std::string sniff_file(const std::filesystem::path& path);

}  // namespace atelier::documents::app
