// Answering GET and HEAD with a file: conditional requests (If-None-Match -> 304) and byte ranges
// (RFC 9110 §14: Range, If-Range, 206 Partial Content, 416 Range Not Satisfiable). Used for the
// web portal's static files and for document downloads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atelier/http/request.hpp"
#include "atelier/http/response.hpp"

namespace atelier::http {

// An inclusive byte range within a representation: bytes first..last.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t length() const { return last - first + 1; }
};

struct RangeRequest {
  enum class Kind {
    kWhole,          // no Range, a malformed one, several ranges, or another unit: send it all
    kPartial,        // one satisfiable range: 206
    kUnsatisfiable,  // 416
  };
  Kind kind = Kind::kWhole;
  ByteRange range;
};

// Reads a Range header value ("bytes=0-99", "bytes=100-", "bytes=-500") against a representation
// of `size` bytes. A single range only: a list of ranges is answered whole, which RFC 9110
// allows. A range starting beyond the end, or a zero-length suffix, is unsatisfiable; an end
// beyond the last byte is clamped to it.
RangeRequest parse_range(std::string_view header, uint64_t size);

struct FileRepresentation {
  FileBody file;  // the whole file: offset 0, no length
  uint64_t size = 0;
  std::string etag;  // strong, with its quotes: "\"<sha256>\""
  std::string content_type = "application/octet-stream";
  std::string content_disposition;  // optional
  std::string cache_control;        // optional
};

// The response to a GET or HEAD of `representation`: 304 when If-None-Match matches the ETag;
// else 206 with Content-Range for one satisfiable range (unless If-Range names another ETag, then
// 200), 416 with `Content-Range: bytes */size` for an unsatisfiable one, 200 otherwise. Always
// Accept-Ranges: bytes and the ETag.
Response serve_file(const Request& request, FileRepresentation representation);

// `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266): an ASCII fallback with anything
// unsafe replaced by '_', and the exact name percent-encoded.
std::string content_disposition(std::string_view disposition, std::string_view file_name);

}  // namespace atelier::http
