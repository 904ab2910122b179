#include "atelier/http/file_response.hpp"

#include <unistd.h>

#include <charconv>

#include "atelier/http/etag.hpp"

namespace atelier::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Digits only (no sign, no spaces); nullopt when empty, not a number, or overflowing.
std::optional<uint64_t> number(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// If-Range (RFC 9110 §13.1.5): the range applies only when the validator is a strong ETag equal
// to the current one. Dates are not used: our representations are identified by content.
bool if_range_allows(const Request& request, std::string_view etag) {
  if (!request.headers.contains("If-Range")) {
    return true;
  }
  const std::string_view value = trim(request.header("If-Range"));
  return !value.starts_with("W/") && value == etag;
}

}  // namespace

RangeRequest parse_range(std::string_view header, uint64_t size) {
  RangeRequest whole;
  header = trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size() || !iequals(header.substr(0, kUnit.size()), kUnit)) {
    return whole;
  }
  const std::string_view spec = trim(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) {
    return whole;
  }
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) {
    return whole;
  }
  const std::string_view first_text = trim(spec.substr(0, dash));
  const std::string_view last_text = trim(spec.substr(dash + 1));
  RangeRequest out;
  out.kind = RangeRequest::Kind::kPartial;
  if (first_text.empty()) {
    // Suffix: the last N bytes.
    const auto suffix = number(last_text);
    if (!suffix) {
      return whole;
    }
    if (*suffix == 0 || size == 0) {
      out.kind = RangeRequest::Kind::kUnsatisfiable;
      return out;
    }
    out.range = {size - std::min(*suffix, size), size - 1};
    return out;
  }
  const auto first = number(first_text);
  if (!first) {
    return whole;
  }
  std::optional<uint64_t> last;
  if (!last_text.empty()) {
    last = number(last_text);
    if (!last || *last < *first) {
      return whole;  // syntactically invalid: ignored
    }
  }
  if (*first >= size) {
    out.kind = RangeRequest::Kind::kUnsatisfiable;
    return out;
  }
  out.range = {*first, last ? std::min(*last, size - 1) : size - 1};
  return out;
}

Response serve_file(const Request& request, FileRepresentation representation) {
  Response response;
  response.headers.set("Accept-Ranges", "bytes");
  if (!representation.etag.empty()) {
    response.headers.set("ETag", representation.etag);
  }
  if (!representation.cache_control.empty()) {
    response.headers.set("Cache-Control", representation.cache_control);
  }
  if (not_modified(request, representation.etag)) {
    response.status = 304;
    return response;
  }
  response.headers.set("Content-Type", representation.content_type);
  if (!representation.content_disposition.empty()) {
    response.headers.set("Content-Disposition", representation.content_disposition);
  }
  const uint64_t size = representation.size;
  RangeRequest range;
  if ((request.method == Method::kGet || request.method == Method::kHead) &&
      request.headers.contains("Range") && if_range_allows(request, representation.etag)) {
    range = parse_range(request.header("Range"), size);
  }
  switch (range.kind) {
    case RangeRequest::Kind::kUnsatisfiable: {
      Response refused = Response::problem(
          416, "range-not-satisfiable",
          "The requested range is outside the " + std::to_string(size) + " bytes of the file.",
          request);
      for (const auto& [name, value] : response.headers) {
        if (!iequals(name, "Content-Type")) {
          refused.headers.set(name, value);
        }
      }
      refused.headers.set("Content-Range", "bytes */" + std::to_string(size));
      return refused;
    }
    case RangeRequest::Kind::kPartial:
      response.status = 206;
      response.headers.set("Content-Range", "bytes " + std::to_string(range.range.first) + "-" +
                                                std::to_string(range.range.last) + "/" +
                                                std::to_string(size));
      representation.file.offset += range.range.first;
      representation.file.length = range.range.length();
      break;
    case RangeRequest::Kind::kWhole:
      representation.file.length = size;
      break;
  }
  response.file = std::move(representation.file);
  return response;
}

std::string content_disposition(std::string_view disposition, std::string_view file_name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string fallback;
  std::string encoded;
  for (char c : file_name) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    fallback += (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\') ? c : '_';
    if (plain) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0f];
    }
  }
  return std::string(disposition) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

}  // namespace atelier::http
