// Serves the built web portal: safe path resolution under a root, content types, caching.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>

#include "atelier/http/etag.hpp"
#include "atelier/http/file_response.hpp"
#include "atelier/http/server.hpp"

namespace atelier::http {

namespace fs = std::filesystem;

namespace {

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<ContentType, 17> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".wasm", "application/wasm"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".xml", "application/xml"},
}};

std::string_view content_type_for(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string_view extension = file_name.substr(dot);
    for (const auto& entry : kContentTypes) {
      if (iequals(entry.extension, extension)) {
        return entry.type;
      }
    }
  }
  return "application/octet-stream";
}

// The request path as a relative path, or nullopt when a segment could step out of the root or
// reveal a dotfile: any segment starting with '.', and backslashes.
std::optional<fs::path> relative_path(std::string_view path) {
  fs::path out;
  size_t pos = 0;
  while (pos < path.size()) {
    const size_t slash = path.find('/', pos);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view segment = path.substr(pos, end - pos);
    pos = end + 1;
    if (segment.empty()) {
      continue;
    }
    if (segment.front() == '.' || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos) {
      return std::nullopt;
    }
    out /= segment;
  }
  return out;
}

bool inside(const fs::path& root, const fs::path& candidate) {
  const auto [root_end, unused] =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

struct FoundFile {
  fs::path path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

// Resolves symlinks and refuses anything that ends up outside `root` or is not a regular file;
// a directory resolves to its index.html.
std::optional<FoundFile> find_file(const fs::path& root, const fs::path& relative) {
  std::error_code ec;
  fs::path candidate = fs::canonical(root / relative, ec);
  if (ec || !inside(root, candidate)) {
    return std::nullopt;
  }
  if (fs::is_directory(candidate, ec)) {
    candidate = fs::canonical(candidate / "index.html", ec);
    if (ec || !inside(root, candidate)) {
      return std::nullopt;
    }
  }
  struct stat st {};
  if (::stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  const int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                           static_cast<int64_t>(st.st_mtim.tv_nsec);
  return FoundFile{std::move(candidate), static_cast<uint64_t>(st.st_size), mtime_ns};
}

std::string file_etag(const FoundFile& file) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "\"%llx-%llx\"", static_cast<unsigned long long>(file.size),
                static_cast<unsigned long long>(file.mtime_ns));
  return buf;
}

// Whether the client takes gzip: a "gzip" (or "*") coding in Accept-Encoding without q=0.
bool accepts_gzip(std::string_view header) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) {
      comma = header.size();
    }
    std::string_view item = header.substr(pos, comma - pos);
    pos = comma + 1;
    const size_t semicolon = item.find(';');
    std::string_view coding = item.substr(0, semicolon);
    while (!coding.empty() && coding.front() == ' ') {
      coding.remove_prefix(1);
    }
    while (!coding.empty() && coding.back() == ' ') {
      coding.remove_suffix(1);
    }
    if (coding != "gzip" && coding != "*") {
      continue;
    }
    if (semicolon == std::string_view::npos) {
      return true;
    }
    std::string_view params = item.substr(semicolon + 1);
    const size_t q = params.find("q=");
    if (q == std::string_view::npos) {
      return true;
    }
    // q=0 (or 0.0, 0.000) refuses it; any other weight accepts it.
    std::string_view value = params.substr(q + 2);
    value = value.substr(0, value.find_first_of(" ;"));
    double weight = 1;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), weight);
    return ec != std::errc() || weight > 0;
  }
  return false;
}

bool spa_route(std::string_view path) {
  if (path == "/api" || path.starts_with("/api/")) {
    return false;
  }
  const size_t slash = path.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.find('.') == std::string_view::npos;
}

}  // namespace

Handler static_files(fs::path root, bool spa_fallback) {
  std::error_code ec;
  fs::path canonical_root = fs::weakly_canonical(root, ec);
  if (ec) {
    canonical_root = std::move(root);
  }
  return [root = std::move(canonical_root), spa_fallback](Request& request) -> Response {
    const auto not_found = [&] {
      return Response::problem(Error::not_found("No file at " + request.path + "."), request);
    };
    const std::optional<fs::path> relative = relative_path(request.path);
    if (!relative) {
      return not_found();
    }
    std::optional<FoundFile> file = find_file(root, *relative);
    bool fallback = false;
    if (!file && spa_fallback && spa_route(request.path)) {
      file = find_file(root, "index.html");
      fallback = true;
    }
    if (!file) {
      return not_found();
    }
    FileRepresentation representation;
    representation.content_type = content_type_for(file->path.filename().string());
    const bool hashed_asset = !fallback && request.path.starts_with("/assets/");
    representation.cache_control =
        hashed_asset ? "public, max-age=31536000, immutable" : "no-cache";
    // A gzip copy beside the file (the portal's build writes them) goes to clients that take it:
    // the same content, a third of the bytes. Its ETag differs from the plain file's.
    std::optional<FoundFile> gzipped;
    if (accepts_gzip(request.header("Accept-Encoding"))) {
      gzipped = find_file(root, fs::relative(file->path, root).concat(".gz"));
    }
    const bool gzip = gzipped.has_value();
    FoundFile& chosen = gzip ? *gzipped : *file;
    representation.etag = file_etag(chosen);
    if (gzip) {
      representation.etag.insert(representation.etag.size() - 1, "-gz");
    }
    representation.size = chosen.size;
    representation.file = std::move(chosen.path);
    Response response = serve_file(request, std::move(representation));
    if (gzip) {
      response.headers.set("Content-Encoding", "gzip");
    }
    response.headers.set("Vary", "Accept-Encoding");
    return response;
  };
}

}  // namespace atelier::http
