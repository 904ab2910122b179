// SHA-256 computed piece by piece, for content addressing: bodies are hashed while they stream to
// disk, never held whole in memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace atelier::blob {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(std::string_view bytes);
  void update(const void* data, size_t size);
  // The digest as 64 lowercase hex digits. The hasher is spent afterwards.
  std::string hex_digest();

  static std::string hex_of(std::string_view bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atelier::blob
