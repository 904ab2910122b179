#include "atelier/core/uuid.hpp"

#include <mutex>
#include <random>

namespace atelier {

namespace {

// A clock that jumps back further than this (a test clock, a badly set host) restarts ordering
// from its own time rather than stamping ids with a time that is far from it.
constexpr int64_t kMaxStepBackMs = 10'000;

struct V7State {
  std::mutex mutex;
  std::mt19937_64 rng{std::random_device{}()};
  int64_t last_ms = -1;
  uint16_t counter = 0;
};

V7State& v7_state() {
  static V7State state;
  return state;
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

}  // namespace

Uuid Uuid::v7(const Clock& clock) {
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
  uint64_t random_bits = 0;
  uint16_t counter = 0;
  {
    auto& s = v7_state();
    std::lock_guard lock(s.mutex);
    random_bits = s.rng();
    if (ms <= s.last_ms && s.last_ms - ms < kMaxStepBackMs) {
      // Same millisecond (or the clock stepped back a little): keep ordering by bumping the
      // counter, and borrow the next millisecond when it overflows.
      ms = s.last_ms;
      if (++s.counter > 0x0fff) {
        ms = ++s.last_ms;
        s.counter = static_cast<uint16_t>(random_bits & 0x01ff);
      }
    } else {
      s.last_ms = ms;
      // Start low in the 12-bit space so there is room to count up.
      s.counter = static_cast<uint16_t>(random_bits & 0x01ff);
    }
    counter = s.counter;
    random_bits = s.rng();
  }
  std::array<uint8_t, 16> b{};
  for (int i = 0; i < 6; ++i) {
    b[static_cast<size_t>(i)] = static_cast<uint8_t>(static_cast<uint64_t>(ms) >> (40 - 8 * i));
  }
  b[6] = static_cast<uint8_t>(0x70 | ((counter >> 8) & 0x0f));
  b[7] = static_cast<uint8_t>(counter & 0xff);
  for (int i = 8; i < 16; ++i) {
    b[static_cast<size_t>(i)] = static_cast<uint8_t>(random_bits >> (8 * (i - 8)));
  }
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3f));  // RFC 9562 variant
  return Uuid(b);
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) {
    return std::nullopt;
  }
  std::array<uint8_t, 16> b{};
  size_t j = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') {
        return std::nullopt;
      }
      ++i;
      continue;
    }
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    b[j++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return Uuid(b);
}

std::string Uuid::str() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out.push_back('-');
    }
    out.push_back(kHex[bytes_[i] >> 4]);
    out.push_back(kHex[bytes_[i] & 0x0f]);
  }
  return out;
}

int64_t Uuid::unix_ms() const {
  int64_t ms = 0;
  for (size_t i = 0; i < 6; ++i) {
    ms = ms << 8 | bytes_[i];
  }
  return ms;
}

}  // namespace atelier
