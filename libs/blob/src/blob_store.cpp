#include "atelier/blob/blob_store.hpp"

#include <unistd.h>

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

}  // namespace atelier::blob
