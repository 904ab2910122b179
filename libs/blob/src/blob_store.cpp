#include "atelier/blob/blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace atelier::blob {

bool is_valid_key(std::string_view key) {
  if (key.size() != 64) {
    return false;
  }
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

BlobFile::~BlobFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

BlobFile& BlobFile::operator=(BlobFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = other.fd_;
    size_ = other.size_;
    other.fd_ = -1;
  }
  return *this;
}

Result<std::string> BlobFile::read_all() const {
  std::string out(size_, '\0');
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return Error::internal(std::string("cannot read blob: ") +
                             (n == 0 ? "unexpected end" : std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return out;
}

Result<void> BlobFile::copy_to(const std::filesystem::path& path) const {
  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    return Error::internal("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  std::array<char, 1 << 16> buffer{};
  uint64_t done = 0;
  std::string failure;
  while (done < size_ && failure.empty()) {
    const ssize_t n = ::pread(fd_, buffer.data(), std::min<uint64_t>(buffer.size(), size_ - done),
                              static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      failure =
          std::string("cannot read blob: ") + (n == 0 ? "unexpected end" : std::strerror(errno));
      break;
    }
    for (ssize_t written = 0; written < n;) {
      const ssize_t w = ::write(out, buffer.data() + written, static_cast<size_t>(n - written));
      if (w < 0 && errno == EINTR) {
        continue;
      }
      if (w <= 0) {
        failure = "cannot write " + path.string() + ": " + std::strerror(errno);
        break;
      }
      written += w;
    }
    done += static_cast<uint64_t>(n);
  }
  ::close(out);
  if (!failure.empty()) {
    std::filesystem::remove(path);
    return Error::internal(failure);
  }
  return {};
}

}  // namespace atelier::blob
