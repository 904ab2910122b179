// multipart/form-data (RFC 7578) read from a body the server streamed to disk
// (RouteOptions::with_streamed_body): one file part copied, hashed on the way, to a new temporary
// file of its own, and small text parts kept in memory. The body is read a chunk at a time, so
// memory stays bounded whatever the size of the file part.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "atelier/core/error.hpp"

namespace atelier::http {

// Whether a Content-Type header names multipart/form-data (any parameters, any case).
bool is_multipart_form_data(std::string_view content_type);

// The boundary parameter of a multipart Content-Type, quoted or not; nullopt when it is absent or
// not 1 to 70 characters (RFC 2046 §5.1.1).
std::optional<std::string> multipart_boundary(std::string_view content_type);

struct MultipartLimits {
  uint64_t max_file_bytes = 64ull << 20;  // the file part; beyond, kPayloadTooLarge
  size_t max_field_bytes = 16 * 1024;     // each text part; beyond, kPayloadTooLarge
  size_t max_header_bytes = 8 * 1024;     // the header block of each part; beyond, kBadRequest
  size_t max_parts = 32;                  // beyond, kPayloadTooLarge
  size_t read_size = 64 * 1024;           // bytes read from the body at a time
};

// The file part: its bytes are in `path`, a file this object owns and removes when it goes.
class MultipartFile {
 public:
  MultipartFile() = default;
  MultipartFile(std::filesystem::path path, uint64_t size, std::string sha256);
  ~MultipartFile();
  MultipartFile(MultipartFile&& other) noexcept;
  MultipartFile& operator=(MultipartFile&& other) noexcept;
  MultipartFile(const MultipartFile&) = delete;
  MultipartFile& operator=(const MultipartFile&) = delete;

  std::string field_name;    // the part's name parameter
  std::string filename;      // filename*=UTF-8''... when given, else filename=; no directories
  std::string content_type;  // the part's Content-Type ("" when absent): the client's claim

  const std::filesystem::path& path() const { return path_; }
  uint64_t size() const { return size_; }
  const std::string& sha256() const { return sha256_; }  // 64 lowercase hex digits

 private:
  std::filesystem::path path_;
  uint64_t size_ = 0;
  std::string sha256_;
};

struct MultipartForm {
  // The text parts (those without a filename), name and value, in the order they came.
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<MultipartFile> file;

  // The values of the text parts called `name`, in order.
  std::vector<std::string> values(std::string_view name) const;
};

// Reads the multipart/form-data `body` whose request had `content_type`; the file part goes to
// a new file in `dir`. Errors, with messages meant for the client: kBadRequest for a body that
// is not well-formed (no boundary, a missing closing boundary, a part without
// Content-Disposition: form-data), kInvalid for a second file part (one file per upload),
// kPayloadTooLarge beyond `limits`, kInternal when `dir` refuses the file.
Result<MultipartForm> read_multipart(const std::filesystem::path& body,
                                     std::string_view content_type,
                                     const std::filesystem::path& dir,
                                     const MultipartLimits& limits = {});

}  // namespace atelier::http
