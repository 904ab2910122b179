// Expected failures (validation, not found, conflict, ...) as values, and Result<T> to carry
// either a value or such an Error. Exceptions stay for the truly exceptional.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace atelier {

enum class ErrorCode {
  kBadRequest,            // malformed input: 400
  kInvalid,               // well-formed but failing validation: 422
  kUnauthenticated,       // 401
  kForbidden,             // 403
  kNotFound,              // 404
  kConflict,              // 409
  kGone,                  // 410
  kPreconditionFailed,    // 412
  kPreconditionRequired,  // 428: a conditional request (If-Match) was required
  kPayloadTooLarge,       // 413
  kTooManyRequests,       // 429
  kUnavailable,           // 503
  kTimeout,               // 504 for an upstream, 408 for a client that is too slow
  kInternal,              // 500: a bug or a broken dependency, never bad input
};

// The HTTP status an error code maps to, and a short stable slug used in problem+json `type`.
int http_status(ErrorCode code);
std::string_view slug(ErrorCode code);

struct FieldError {
  std::string field;  // JSON pointer-ish path: "name", "address.city", "items[2].qty"
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;
  std::optional<std::chrono::seconds> retry_after;

  static Error bad_request(std::string message) {
    return {ErrorCode::kBadRequest, std::move(message), {}, {}};
  }
  static Error invalid(std::string message, std::vector<FieldError> fields = {}) {
    return {ErrorCode::kInvalid, std::move(message), std::move(fields), {}};
  }
  static Error not_found(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}, {}};
  }
  static Error conflict(std::string message) {
    return {ErrorCode::kConflict, std::move(message), {}, {}};
  }
  static Error forbidden(std::string message) {
    return {ErrorCode::kForbidden, std::move(message), {}, {}};
  }
  static Error unavailable(std::string message) {
    return {ErrorCode::kUnavailable, std::move(message), {}, {}};
  }
  static Error internal(std::string message) {
    return {ErrorCode::kInternal, std::move(message), {}, {}};
  }
};

// Either a T or an Error. Deliberately small: ok(), value(), error(), and pointer-like access.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace atelier
