#include "atelier/http/multipart.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "atelier/core/uuid.hpp"
#include "atelier/http/request.hpp"

namespace atelier::http {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxBoundary = 70;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

Error too_large(std::string message) {
  return Error{ErrorCode::kPayloadTooLarge, std::move(message), {}, {}};
}

// A header value split into its type ("form-data", "multipart/form-data") and its parameters,
// names lowercased, values unquoted: \" and \\ are escapes, any other backslash is kept (old
// browsers send Windows paths unescaped).
struct HeaderValue {
  std::string type;
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string> param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) {
        return value;
      }
    }
    return std::nullopt;
  }
};

HeaderValue parse_header_value(std::string_view text) {
  HeaderValue out;
  const size_t semicolon = text.find(';');
  out.type = std::string(trim(text.substr(0, semicolon)));
  for (char& c : out.type) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  size_t pos = semicolon == std::string_view::npos ? text.size() : semicolon + 1;
  while (pos < text.size()) {
    while (pos < text.size() && (is_space(text[pos]) || text[pos] == ';')) {
      ++pos;
    }
    const size_t equals = text.find('=', pos);
    const size_t next = text.find(';', pos);
    if (equals == std::string_view::npos || (next != std::string_view::npos && next < equals)) {
      pos = next == std::string_view::npos ? text.size() : next + 1;  // a parameter without value
      continue;
    }
    std::string name(trim(text.substr(pos, equals - pos)));
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    pos = equals + 1;
    while (pos < text.size() && is_space(text[pos])) {
      ++pos;
    }
    std::string value;
    if (pos < text.size() && text[pos] == '"') {
      ++pos;
      while (pos < text.size() && text[pos] != '"') {
        if (text[pos] == '\\' && pos + 1 < text.size() &&
            (text[pos + 1] == '"' || text[pos + 1] == '\\')) {
          ++pos;
        }
        value += text[pos++];
      }
      ++pos;  // the closing quote
    } else {
      const size_t end = text.find(';', pos);
      value = std::string(trim(text.substr(pos, end == std::string_view::npos ? end : end - pos)));
      pos = end == std::string_view::npos ? text.size() : end;
    }
    if (!out.param(name)) {
      out.params.emplace_back(std::move(name), std::move(value));
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// filename*=UTF-8'lang'%C3%A9t%C3%A9.pdf (RFC 8187); nullopt for another charset or a bad escape.
std::optional<std::string> extended_value(std::string_view text) {
  const size_t first = text.find('\'');
  const size_t second = first == std::string_view::npos ? first : text.find('\'', first + 1);
  if (second == std::string_view::npos || !iequals(text.substr(0, first), "UTF-8")) {
    return std::nullopt;
  }
  std::string out;
  for (size_t i = second + 1; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    const int lo = hi < 0 ? -1 : hex_value(text[i + 2]);
    if (lo < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// The last component of a path some clients send as the file name (RFC 7578 §4.2).
std::string base_name(std::string name) {
  const size_t slash = name.find_last_of("/\\");
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string hex(const unsigned char* digest, unsigned int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now; false when the close reports an error (a write that did not reach the disk).
  bool close() { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_;
};

// The file part on its way to disk: written and hashed chunk by chunk; removed unless finished.
class FileSink {
 public:
  static Result<std::unique_ptr<FileSink>> create(const fs::path& dir) {
    auto sink = std::unique_ptr<FileSink>(new FileSink(dir / ("multipart-" + Uuid::v7().str())));
    if (sink->fd_.get() < 0 || sink->hash_ == nullptr ||
        EVP_DigestInit_ex(sink->hash_, EVP_sha256(), nullptr) != 1) {
      return Error::internal("cannot create " + sink->path_.string() + ": " + std::strerror(errno));
    }
    return sink;
  }
  ~FileSink() {
    EVP_MD_CTX_free(hash_);
    if (!finished_) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
  }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  uint64_t size() const { return size_; }

  Result<void> write(std::string_view bytes) {
    EVP_DigestUpdate(hash_, bytes.data(), bytes.size());
    size_ += bytes.size();
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return Error::internal("cannot write " + path_.string() + ": " + std::strerror(errno));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return {};
  }

  Result<MultipartFile> finish() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!fd_.close() || EVP_DigestFinal_ex(hash_, digest, &length) != 1) {
      return Error::internal("cannot write " + path_.string());
    }
    finished_ = true;
    return MultipartFile(path_, size_, hex(digest, length));
  }

 private:
  explicit FileSink(fs::path path)
      : path_(std::move(path)),
        fd_(::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)),
        hash_(EVP_MD_CTX_new()) {}

  fs::path path_;
  Fd fd_;
  EVP_MD_CTX* hash_;
  uint64_t size_ = 0;
  bool finished_ = false;
};

// Reads the body a chunk at a time. The buffer holds what has been read and not yet consumed:
// at most one chunk plus the few bytes kept back because they might begin a delimiter.
class Parser {
 public:
  Parser(int fd, const std::string& boundary, const MultipartLimits& limits)
      // The body's first delimiter need not follow a line break; pretending one came before it
      // makes every delimiter CRLF "--" boundary.
      : fd_(fd), delimiter_("\r\n--" + boundary), limits_(limits), buffer_("\r\n") {}

  Result<MultipartForm> run(const fs::path& dir) {
    MultipartForm form;
    // The preamble, discarded.
    auto closed = through_delimiter([](std::string_view) { return Result<void>(); }, true);
    size_t parts = 0;
    while (closed && !*closed) {
      if (++parts > limits_.max_parts) {
        return too_large("A multipart body may have at most " + std::to_string(limits_.max_parts) +
                         " parts.");
      }
      auto headers = part_headers();
      if (!headers) {
        return std::move(headers).error();
      }
      const HeaderValue& disposition = headers->first;
      const auto name = disposition.param("name");
      if (disposition.type != "form-data" || !name) {
        return Error::bad_request(
            "Each part of a multipart/form-data body needs a \"Content-Disposition: form-data; "
            "name=...\" header.");
      }
      auto filename = disposition.param("filename*");
      if (filename) {
        filename = extended_value(*filename);
      }
      if (!filename) {
        filename = disposition.param("filename");
      }
      if (!filename) {
        std::string value;
        closed = through_delimiter([&](std::string_view bytes) -> Result<void> {
          if (value.size() + bytes.size() > limits_.max_field_bytes) {
            return too_large("The text part \"" + *name + "\" is larger than " +
                             std::to_string(limits_.max_field_bytes) + " bytes.");
          }
          value += bytes;
          return {};
        });
        form.fields.emplace_back(*name, std::move(value));
        continue;
      }
      if (form.file) {
        return Error::invalid("One file per upload: this body has a second file part.",
                              {{*name, "A second file part; send one file per upload."}});
      }
      auto sink = FileSink::create(dir);
      if (!sink) {
        return std::move(sink).error();
      }
      closed = through_delimiter([&](std::string_view bytes) -> Result<void> {
        if ((*sink)->size() + bytes.size() > limits_.max_file_bytes) {
          return too_large("The file is larger than the limit of " +
                           std::to_string(limits_.max_file_bytes) + " bytes.");
        }
        return (*sink)->write(bytes);
      });
      if (!closed) {
        break;
      }
      auto file = (*sink)->finish();
      if (!file) {
        return std::move(file).error();
      }
      file->field_name = *name;
      file->filename = base_name(std::move(*filename));
      file->content_type = std::move(headers->second);
      form.file = std::move(file).value();
    }
    if (!closed) {
      return std::move(closed).error();
    }
    return form;
  }

 private:
  // Reads the next chunk after the unconsumed bytes; false at the end of the body.
  Result<bool> fill() {
    if (eof_) {
      return false;
    }
    buffer_.erase(0, pos_);
    pos_ = 0;
    const size_t old = buffer_.size();
    buffer_.resize(old + std::max<size_t>(limits_.read_size, 1));
    for (;;) {
      const ssize_t n = ::read(fd_, buffer_.data() + old, buffer_.size() - old);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        buffer_.resize(old);
        return Error::internal(std::string("cannot read the request body: ") +
                               std::strerror(errno));
      }
      buffer_.resize(old + static_cast<size_t>(n));
      eof_ = n == 0;
      return n > 0;
    }
  }

  // Whether `n` unconsumed bytes are there, reading more as needed.
  Result<bool> ensure(size_t n) {
    while (buffer_.size() - pos_ < n) {
      auto more = fill();
      if (!more || !*more) {
        return more;
      }
    }
    return true;
  }

  static Error unterminated() {
    return Error::bad_request(
        "The multipart body ends before its closing boundary (\"--\" boundary \"--\"): it was "
        "cut short or its boundary is not the one in Content-Type.");
  }

  // Passes the bytes up to the next delimiter to `emit`, a piece at a time, then consumes the
  // delimiter and the rest of its line. True when it was the close delimiter ("--" after it).
  // A boundary followed by anything but "--", white space or CRLF is content, not a delimiter.
  template <class Emit>
  Result<bool> through_delimiter(Emit&& emit, bool first = false) {
    for (;;) {
      const size_t found = buffer_.find(delimiter_, pos_);
      if (found == std::string::npos) {
        const size_t keep = delimiter_.size() - 1;
        if (buffer_.size() - pos_ > keep) {
          const size_t end = buffer_.size() - keep;
          if (auto r = emit(std::string_view(buffer_).substr(pos_, end - pos_)); !r) {
            return std::move(r).error();
          }
          pos_ = end;
        }
        auto more = fill();
        if (!more) {
          return std::move(more).error();
        }
        if (!*more) {
          if (first) {
            return Error::bad_request(
                "The body holds no line with the boundary of its Content-Type: it is not "
                "multipart/form-data.");
          }
          return unterminated();
        }
        continue;
      }
      if (auto r = emit(std::string_view(buffer_).substr(pos_, found - pos_)); !r) {
        return std::move(r).error();
      }
      pos_ = found;
      auto enough = ensure(delimiter_.size() + 2);
      if (!enough) {
        return std::move(enough).error();
      }
      const size_t after = pos_ + delimiter_.size();
      const char c1 = after < buffer_.size() ? buffer_[after] : '\0';
      const char c2 = after + 1 < buffer_.size() ? buffer_[after + 1] : '\0';
      if (c1 == '-' && c2 == '-') {
        pos_ = after + 2;
        return true;
      }
      if (!is_space(c1) && c1 != '\r') {
        if (auto r = emit(std::string_view(buffer_).substr(pos_, 1)); !r) {
          return std::move(r).error();
        }
        ++pos_;
        continue;
      }
      pos_ = after;
      for (;;) {
        auto available = ensure(2);
        if (!available) {
          return std::move(available).error();
        }
        if (!*available) {
          return unterminated();
        }
        if (!is_space(buffer_[pos_])) {
          break;
        }
        ++pos_;
      }
      if (buffer_.compare(pos_, 2, "\r\n") != 0) {
        return Error::bad_request("A boundary line of the multipart body does not end with CRLF.");
      }
      pos_ += 2;
      return false;
    }
  }

  // The header block of a part, through its empty line: Content-Disposition and Content-Type.
  Result<std::pair<HeaderValue, std::string>> part_headers() {
    HeaderValue disposition;
    std::string content_type;
    size_t total = 0;
    for (;;) {
      size_t end = buffer_.find("\r\n", pos_);
      while (end == std::string::npos) {
        if (buffer_.size() - pos_ > limits_.max_header_bytes) {
          return Error::bad_request("The headers of a part of the multipart body are too long.");
        }
        auto more = fill();
        if (!more) {
          return std::move(more).error();
        }
        if (!*more) {
          return unterminated();
        }
        end = buffer_.find("\r\n", pos_);
      }
      const std::string_view line = std::string_view(buffer_).substr(pos_, end - pos_);
      total += line.size() + 2;
      if (total > limits_.max_header_bytes) {
        return Error::bad_request("The headers of a part of the multipart body are too long.");
      }
      if (line.empty()) {
        pos_ = end + 2;
        return std::pair{std::move(disposition), std::move(content_type)};
      }
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return Error::bad_request("A part of the multipart body has a malformed header line.");
      }
      const std::string_view name = trim(line.substr(0, colon));
      const std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "Content-Disposition")) {
        disposition = parse_header_value(value);
      } else if (iequals(name, "Content-Type")) {
        content_type = std::string(value);
      }
      pos_ = end + 2;
    }
  }

  int fd_;
  std::string delimiter_;
  const MultipartLimits& limits_;
  std::string buffer_;
  size_t pos_ = 0;
  bool eof_ = false;
};

}  // namespace

bool is_multipart_form_data(std::string_view content_type) {
  return iequals(trim(content_type.substr(0, content_type.find(';'))), "multipart/form-data");
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto boundary = parse_header_value(content_type).param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundary) {
    return std::nullopt;
  }
  return boundary;
}

MultipartFile::MultipartFile(fs::path path, uint64_t size, std::string sha256)
    : path_(std::move(path)), size_(size), sha256_(std::move(sha256)) {}

MultipartFile::~MultipartFile() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove(path_, ec);
  }
}

MultipartFile::MultipartFile(MultipartFile&& other) noexcept
    : field_name(std::move(other.field_name)),
      filename(std::move(other.filename)),
      content_type(std::move(other.content_type)),
      path_(std::exchange(other.path_, {})),
      size_(std::exchange(other.size_, 0)),
      sha256_(std::move(other.sha256_)) {}

MultipartFile& MultipartFile::operator=(MultipartFile&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
    field_name = std::move(other.field_name);
    filename = std::move(other.filename);
    content_type = std::move(other.content_type);
    path_ = std::exchange(other.path_, {});
    size_ = std::exchange(other.size_, 0);
    sha256_ = std::move(other.sha256_);
  }
  return *this;
}

std::vector<std::string> MultipartForm::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : fields) {
    if (key == name) {
      out.push_back(value);
    }
  }
  return out;
}

Result<MultipartForm> read_multipart(const fs::path& body, std::string_view content_type,
                                     const fs::path& dir, const MultipartLimits& limits) {
  if (!is_multipart_form_data(content_type)) {
    return Error::bad_request("Expected a multipart/form-data body.");
  }
  const auto boundary = multipart_boundary(content_type);
  if (!boundary) {
    return Error::bad_request(
        "The multipart/form-data Content-Type needs a boundary parameter of 1 to 70 characters.");
  }
  Fd in(::open(body.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) {
    return Error::internal("cannot open " + body.string() + ": " + std::strerror(errno));
  }
  return Parser(in.get(), *boundary, limits).run(dir);
}

}  // namespace atelier::http
