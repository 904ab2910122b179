#include "atelier/blob/local_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>

#include "atelier/blob/sha256.hpp"
#include "atelier/core/log.hpp"
#include "atelier/core/uuid.hpp"

namespace atelier::blob {

namespace fs = std::filesystem;

namespace {

constexpr size_t kChunk = 1 << 20;

Error io_error(std::string_view what, const fs::path& path) {
  return Error::internal(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
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

 private:
  int fd_;
};

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

Result<void> fsync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    return io_error("cannot fsync directory", dir);
  }
  return {};
}

// A temporary file in the store's tmp/ folder, removed unless committed.
class TempFile {
 public:
  explicit TempFile(const fs::path& tmp_dir)
      : path_(tmp_dir / (Uuid::v7().str() + ".part")),
        fd_(::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) {}
  ~TempFile() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  int fd_;
};

class LocalStore final : public BlobStore {
 public:
  explicit LocalStore(fs::path root) : root_(std::move(root)), tmp_(root_ / "tmp") {}

  Result<PutResult> put_file(const fs::path& source, const PutOptions& options) override {
    if (!options.trusted_key.empty() && is_valid_key(options.trusted_key)) {
      auto adopted = adopt(source, options.trusted_key);
      if (!adopted) {
        return std::move(adopted).error();
      }
      if (adopted->has_value()) {
        return std::move(**adopted);
      }
      // Another filesystem (or links refused): copy instead.
    }
    Fd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) {
      return io_error("cannot open", source);
    }
    return copy_in([&](char* buffer, size_t size) -> ssize_t {
      for (;;) {
        const ssize_t n = ::read(in.get(), buffer, size);
        if (n < 0 && errno == EINTR) {
          continue;
        }
        return n;
      }
    });
  }

  Result<PutResult> put_stream(std::istream& in) override {
    return copy_in([&](char* buffer, size_t size) -> ssize_t {
      in.read(buffer, static_cast<std::streamsize>(size));
      if (in.bad()) {
        errno = EIO;
        return -1;
      }
      return static_cast<ssize_t>(in.gcount());
    });
  }

  Result<BlobFile> open(std::string_view key) override {
    if (!is_valid_key(key)) {
      return Error::bad_request("not a blob key");
    }
    const fs::path path = path_of(key);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) {
        return Error::not_found("no blob " + std::string(key));
      }
      return io_error("cannot open", path);
    }
    BlobFile file(fd, 0);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      return io_error("cannot stat", path);
    }
    return BlobFile(file.release(), static_cast<uint64_t>(st.st_size));
  }

  Result<bool> exists(std::string_view key) override {
    if (!is_valid_key(key)) {
      return Error::bad_request("not a blob key");
    }
    struct stat st {};
    if (::stat(path_of(key).c_str(), &st) == 0) {
      return true;
    }
    if (errno == ENOENT) {
      return false;
    }
    return io_error("cannot stat", path_of(key));
  }

  Result<void> remove(std::string_view key) override {
    if (!is_valid_key(key)) {
      return Error::bad_request("not a blob key");
    }
    const fs::path path = path_of(key);
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT) {
        return {};
      }
      return io_error("cannot remove", path);
    }
    return fsync_dir(path.parent_path());
  }

  Result<void> prepare() {
    std::error_code ec;
    fs::create_directories(tmp_, ec);
    if (ec) {
      return Error::internal("cannot create " + tmp_.string() + ": " + ec.message());
    }
    // Leftovers of a crash mid-put: never linked, so nothing refers to them.
    for (const auto& entry : fs::directory_iterator(tmp_, ec)) {
      std::error_code ignored;
      fs::remove(entry.path(), ignored);
    }
    return {};
  }

 private:
  fs::path path_of(std::string_view key) const {
    return root_ / key.substr(0, 2) / key.substr(2, 2) / std::string(key);
  }

  // Makes <root>/ab/cd, fsyncing each parent that gained an entry.
  Result<fs::path> directory_for(std::string_view key) {
    const fs::path first = root_ / key.substr(0, 2);
    const fs::path second = first / key.substr(2, 2);
    for (const auto& [dir, parent] :
         std::array<std::pair<fs::path, fs::path>, 2>{{{first, root_}, {second, first}}}) {
      if (::mkdir(dir.c_str(), 0750) == 0) {
        if (auto r = fsync_dir(parent); !r) {
          return std::move(r).error();
        }
      } else if (errno != EEXIST) {
        return io_error("cannot create", dir);
      }
    }
    return second;
  }

  // Links the finished temporary file `temp` in as blob `key`. created=false when the blob was
  // there already (another put of the same bytes won).
  Result<bool> link_in(const fs::path& temp, std::string_view key) {
    auto dir = directory_for(key);
    if (!dir) {
      return std::move(dir).error();
    }
    const fs::path target = *dir / std::string(key);
    if (::link(temp.c_str(), target.c_str()) != 0) {
      if (errno == EEXIST) {
        return false;
      }
      return io_error("cannot link", target);
    }
    if (auto r = fsync_dir(*dir); !r) {
      return std::move(r).error();
    }
    return true;
  }

  // A file hashed by its producer, linked in without copying when it lives on our filesystem.
  // nullopt when it cannot be linked (another filesystem): the caller copies it.
  Result<std::optional<PutResult>> adopt(const fs::path& source, const std::string& key) {
    Fd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
      return io_error("cannot open", source);
    }
    if (::fsync(fd.get()) != 0) {
      return io_error("cannot fsync", source);
    }
    auto dir = directory_for(key);
    if (!dir) {
      return std::move(dir).error();
    }
    const fs::path target = *dir / key;
    PutResult result{key, static_cast<uint64_t>(st.st_size), true};
    if (::link(source.c_str(), target.c_str()) != 0) {
      if (errno == EEXIST) {
        result.created = false;
        return std::optional<PutResult>(std::move(result));
      }
      if (errno == EXDEV || errno == EPERM || errno == EMLINK) {
        return std::optional<PutResult>();
      }
      return io_error("cannot link", target);
    }
    if (auto r = fsync_dir(*dir); !r) {
      return std::move(r).error();
    }
    return std::optional<PutResult>(std::move(result));
  }

  template <class Read>
  Result<PutResult> copy_in(Read read) {
    TempFile temp(tmp_);
    if (!temp.ok()) {
      return io_error("cannot create", temp.path());
    }
    Sha256 hasher;
    std::string buffer(kChunk, '\0');
    uint64_t size = 0;
    for (;;) {
      const ssize_t n = read(buffer.data(), buffer.size());
      if (n < 0) {
        return Error::internal(std::string("cannot read the blob's source: ") +
                               std::strerror(errno));
      }
      if (n == 0) {
        break;
      }
      hasher.update(buffer.data(), static_cast<size_t>(n));
      if (!write_all(temp.fd(), buffer.data(), static_cast<size_t>(n))) {
        return io_error("cannot write", temp.path());
      }
      size += static_cast<uint64_t>(n);
    }
    if (::fsync(temp.fd()) != 0) {
      return io_error("cannot fsync", temp.path());
    }
    std::string key = hasher.hex_digest();
    auto created = link_in(temp.path(), key);
    if (!created) {
      return std::move(created).error();
    }
    return PutResult{std::move(key), size, *created};
  }

  fs::path root_;
  fs::path tmp_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> open_local_store(const fs::path& root) {
  auto store = std::make_unique<LocalStore>(root);
  if (auto r = store->prepare(); !r) {
    return std::move(r).error();
  }
  return std::unique_ptr<BlobStore>(std::move(store));
}

}  // namespace atelier::blob
