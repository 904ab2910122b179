// An HTTP response as handlers build it, with factories for JSON, text, 204 and RFC 9457
// problem details (the one error format every Atelier API speaks).
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "atelier/core/error.hpp"
#include "atelier/http/request.hpp"

namespace atelier::http {

// A file descriptor open for reading, closed when the last FileBody holding it goes.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// A response body the server sends straight from a file (sendfile, never read into memory): the
// file at `path`, or one already open, from `offset` for `length` bytes (to its end when absent).
struct FileBody {
  FileBody() = default;
  FileBody(std::filesystem::path file_path) : path(std::move(file_path)) {}  // NOLINT: implicit
  // Takes ownership of `fd`.
  static FileBody adopt_fd(int fd) {
    FileBody body;
    body.open = std::make_shared<const OpenFile>(fd);
    return body;
  }

  std::filesystem::path path;            // opened by the server when `open` is null
  std::shared_ptr<const OpenFile> open;  // shared: a Response stays copyable
  uint64_t offset = 0;
  std::optional<uint64_t> length;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the server sends this file as the body and `body` is ignored. Set by
  // static_files() and serve_file() (file_response.hpp).
  std::optional<FileBody> file;

  // `body` must already be JSON text. (The const char* overload keeps a literal from being
  // ambiguous between std::string and boost::json::value.)
  static Response json(int status, std::string body);
  static Response json(int status, const char* body) { return json(status, std::string(body)); }
  static Response json(int status, const boost::json::value& value);
  static Response text(int status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
  static Response no_content();

  // application/problem+json for an expected failure:
  //   {"type":"/problems/<slug>","title":"Not Found","status":404,"detail":<message>,
  //    "instance":<request path>,"request_id":...,"errors":[{"field":...,"message":...}]}
  // `errors` only when the error has field errors; `Retry-After` when it has retry_after.
  static Response problem(const Error& error, const Request& request);
  // The same for statuses that have no ErrorCode (405, 408, 428, 431, 501, ...).
  static Response problem(int status, std::string_view type_slug, std::string_view detail,
                          const Request& request);
};

// The reason phrase of a status code ("Not Found"); "Unknown" for codes it does not know.
std::string_view reason_phrase(int status);

}  // namespace atelier::http
