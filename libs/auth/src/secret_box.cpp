#include "atelier/auth/secret_box.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "atelier/auth/encoding.hpp"
#include "sodium.hpp"

namespace atelier::auth {

static_assert(SecretBox::kKeyBytes == crypto_secretbox_KEYBYTES);

namespace {

// A key file holds 64 hex digits and a newline; anything much longer is not a key file.
constexpr size_t kMaxKeyFileBytes = 256;

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// Wipes a string that held key material before it is freed.
void wipe(std::string& s) {
  if (!s.empty()) {
    sodium_memzero(s.data(), s.size());
  }
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Writes a new random key to `path`, which must not exist. EEXIST in `err` when another process
// made it first.
Result<void> create_key_file(const std::filesystem::path& path, int& err) {
  err = 0;
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return Error::internal("secrets key file " + path.string() +
                             ": cannot create its directory: " + ec.message());
    }
  }
  const Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    err = errno;
    return Error::internal("secrets key file " + path.string() +
                           ": cannot create it: " + errno_text(err));
  }
  detail::ensure_sodium();
  std::array<unsigned char, SecretBox::kKeyBytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string text =
      hex_encode(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())) + "\n";
  sodium_memzero(key.data(), key.size());
  const bool written = write_all(fd.get(), text) && ::fsync(fd.get()) == 0;
  err = written ? 0 : errno;
  wipe(text);
  if (!written) {
    ::unlink(path.c_str());  // a half-written key would refuse every later start
    return Error::internal("secrets key file " + path.string() +
                           ": cannot write it: " + errno_text(err));
  }
  // The new name must survive a crash as well as the content.
  const std::string dir = path.has_parent_path() ? path.parent_path().string() : ".";
  const Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) {
    (void)::fsync(dir_fd.get());
  }
  return {};
}

}  // namespace

SecretBox::SecretBox(const std::array<unsigned char, kKeyBytes>& key) : key_(key) {}

SecretBox::SecretBox(SecretBox&& other) noexcept : key_(other.key_) {
  sodium_memzero(other.key_.data(), other.key_.size());
}

SecretBox& SecretBox::operator=(SecretBox&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    sodium_memzero(other.key_.data(), other.key_.size());
  }
  return *this;
}

SecretBox::~SecretBox() {
  sodium_memzero(key_.data(), key_.size());
}

Result<SecretBox> SecretBox::from_hex(std::string_view hex) {
  detail::ensure_sodium();
  if (hex.size() != 2 * kKeyBytes) {
    return Error::invalid("a secrets key is 64 hex digits (32 bytes), got " +
                          std::to_string(hex.size()) + " characters");
  }
  auto bytes = hex_decode(hex);
  if (!bytes) {
    return Error::invalid("a secrets key is 64 hex digits (32 bytes): found other characters");
  }
  std::array<unsigned char, kKeyBytes> key{};
  std::memcpy(key.data(), bytes->data(), key.size());
  wipe(*bytes);
  SecretBox box(key);
  sodium_memzero(key.data(), key.size());
  return box;
}

Result<SecretBox> SecretBox::from_key_file(const std::filesystem::path& path,
                                           bool create_if_missing) {
  const std::string name = path.string();
  int fd_value = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_value < 0 && errno == ENOENT && create_if_missing) {
    int err = 0;
    if (auto created = create_key_file(path, err); !created && err != EEXIST) {
      return std::move(created).error();
    }
    fd_value = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // made here or by a racing process
  }
  if (fd_value < 0) {
    return Error::internal("secrets key file " + name + ": cannot open it: " + errno_text(errno));
  }
  const Fd fd(fd_value);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Error::internal("secrets key file " + name + ": cannot stat it: " + errno_text(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Error::internal("secrets key file " + name + ": not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error::internal("secrets key file " + name +
                           ": the group or others may access it; chmod 600 it");
  }
  std::string text(kMaxKeyFileBytes + 1, '\0');
  size_t size = 0;
  while (size < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + size, text.size() - size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      wipe(text);
      return Error::internal("secrets key file " + name + ": cannot read it: " + errno_text(err));
    }
    if (n == 0) {
      break;
    }
    size += static_cast<size_t>(n);
  }
  std::string_view content(text.data(), size);
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
    content.remove_suffix(1);
  }
  auto box = from_hex(content);
  wipe(text);
  if (!box) {
    return Error::internal("secrets key file " + name + ": " + box.error().message);
  }
  return box;
}

std::string SecretBox::seal(std::string_view plaintext) const {
  detail::ensure_sodium();
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, key_.data());
  return std::string(kPrefix) + base64url_encode(out);
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  detail::ensure_sodium();
  if (!is_sealed(sealed)) {
    return Error::internal("not a sealed value");
  }
  const auto raw = base64url_decode(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Error::internal("a sealed value is malformed");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw->data());
  const size_t cipher_size = raw->size() - crypto_secretbox_NONCEBYTES;
  std::string plain(cipher_size - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, cipher_size, nonce,
                                 key_.data()) != 0) {
    return Error::internal("a sealed value does not open: another secrets key, or it was altered");
  }
  return plain;
}

bool SecretBox::is_sealed(std::string_view text) {
  return text.starts_with(kPrefix);
}

}  // namespace atelier::auth
