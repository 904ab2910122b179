// UUIDs, version 7 (RFC 9562): time-ordered, so rows inserted together sit together in indexes.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "atelier/core/clock.hpp"

namespace atelier {

class Uuid {
 public:
  Uuid() = default;  // the nil UUID
  explicit Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

  // A new version 7 UUID from the given clock. Within one millisecond the 12-bit rand_a field
  // is a counter (RFC 9562 §6.2 method 1), so ids made by one process sort in creation order.
  static Uuid v7(const Clock& clock = SystemClock::instance());
  // The canonical 8-4-4-4-12 hex form (either case); anything else is rejected.
  static std::optional<Uuid> parse(std::string_view text);

  std::string str() const;
  int version() const { return bytes_[6] >> 4; }
  bool is_nil() const { return bytes_ == std::array<uint8_t, 16>{}; }
  // Milliseconds since the Unix epoch for a v7 UUID.
  int64_t unix_ms() const;
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  auto operator<=>(const Uuid&) const = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace atelier
