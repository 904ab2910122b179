// The blob store port: immutable bodies addressed by the SHA-256 of their content (64 lowercase
// hex digits). Putting the same bytes twice stores them once; a key is never built from anything
// but a digest, so no user input ever reaches a path. Adapters: local disk (local_store.hpp) for
// the embedded default; S3 for the distributed deployment.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "atelier/core/error.hpp"

namespace atelier::blob {

// True for 64 lowercase hex digits.
bool is_valid_key(std::string_view key);

// An open blob, ready to read: a file descriptor (closed with this object) and its size.
class BlobFile {
 public:
  BlobFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
  ~BlobFile();
  BlobFile(BlobFile&& other) noexcept : fd_(other.fd_), size_(other.size_) { other.fd_ = -1; }
  BlobFile& operator=(BlobFile&& other) noexcept;
  BlobFile(const BlobFile&) = delete;
  BlobFile& operator=(const BlobFile&) = delete;

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  // Hands the descriptor over to the caller, who closes it.
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Reads the whole blob (tests and small files only).
  Result<std::string> read_all() const;
  // Copies the blob to a new file at `path` (which must not exist), in pieces.
  Result<void> copy_to(const std::filesystem::path& path) const;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

struct PutResult {
  std::string key;  // SHA-256 of the content
  uint64_t size = 0;
  bool created = false;  // false when the store already had these bytes
};

struct PutOptions {
  // The digest of the source as its producer computed it while writing it (the HTTP server does,
  // for streamed uploads). When set, the local store may adopt the file without reading it again
  // (a hard link on the same filesystem); otherwise the bytes are hashed as they are copied.
  std::string trusted_key;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores a copy of the file at `source` (which stays where it is). Durable on return.
  virtual Result<PutResult> put_file(const std::filesystem::path& source,
                                     const PutOptions& options = {}) = 0;
  // Stores what `in` yields until its end. Durable on return.
  virtual Result<PutResult> put_stream(std::istream& in) = 0;
  // Opens a blob for reading; kNotFound when absent, kBadRequest for a malformed key.
  virtual Result<BlobFile> open(std::string_view key) = 0;
  virtual Result<bool> exists(std::string_view key) = 0;
  // Removes a blob; removing an absent one is not an error.
  virtual Result<void> remove(std::string_view key) = 0;
};

}  // namespace atelier::blob
